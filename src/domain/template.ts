// The household register's spreadsheet template: one row per member per year, household and
// year columns repeated on each row. Import, export, the template workbook and
// docs/import-template.md are all driven by this one list, so they cannot drift apart.
import { codeLists, type CodeListKey } from './codes.js';

export type ColumnKind = 'text' | 'code' | 'codes' | 'int' | 'money' | 'decimal' | 'bool' | 'date' | 'id' | 'area';
export type ColumnPart = 'household' | 'member' | 'year' | 'info';

export interface TemplateColumn {
  /** Chinese header, exactly as in the template (row 1). */
  header: string;
  headerEn: string;
  /** camelCase field of HouseholdInput / MemberInput / YearInput ('info' columns: a name only). */
  field: string;
  part: ColumnPart;
  kind: ColumnKind;
  codeList?: CodeListKey;
  /** The cell must not be empty (and the header must be present). */
  required: boolean;
  note?: string;
  noteEn?: string;
  /** Inclusive bounds for numbers; `max: 'thisYear'` means the current calendar year. */
  min?: number;
  max?: number | 'thisYear';
  /** Longest text accepted (the database column's length). */
  maxLength?: number;
  /** Text that must look like a phone number. */
  phone?: boolean;
}

/** The column the error workbook adds in front; the importer ignores it. */
export const ERROR_COLUMN = '错误说明';
export const ERROR_COLUMN_EN = 'Errors';

const money = (header: string, headerEn: string, field: string, note?: string, noteEn?: string, negative = false): TemplateColumn => ({
  header, headerEn, field, part: 'year', kind: 'money', required: false, ...(negative ? { min: -9_999_999_999 } : { min: 0 }), max: 9_999_999_999,
  note: `元，最多两位小数；空 = 0${note ? `。${note}` : ''}`, noteEn: `yuan, up to 2 decimals; empty = 0${noteEn ? `. ${noteEn}` : ''}`,
});
const flag = (part: ColumnPart, header: string, headerEn: string, field: string, note?: string, noteEn?: string): TemplateColumn => ({
  header, headerEn, field, part, kind: 'bool', required: false, note: note ?? '是/否；空 = 未填', noteEn: noteEn ?? 'yes/no; empty = not recorded',
});
const land = (header: string, headerEn: string, field: string): TemplateColumn => ({
  header, headerEn, field, part: 'year', kind: 'decimal', required: false, min: 0, max: 99_999_999,
  note: '亩，≥0，最多两位小数；空 = 未填', noteEn: 'mu, ≥ 0, up to 2 decimals; empty = not recorded',
});
const code = (part: ColumnPart, header: string, headerEn: string, field: string, list: CodeListKey, required: boolean, note?: string, noteEn?: string): TemplateColumn => ({
  header, headerEn, field, part, kind: 'code', codeList: list, required,
  note: note ?? '填中文名称或代码', noteEn: noteEn ?? 'the Chinese label or the code',
});

export const TEMPLATE_COLUMNS: readonly TemplateColumn[] = Object.freeze([
  // ---- household: repeated on every row of the household, must agree across them
  { header: '户编号', headerEn: 'Household no.', field: 'householdNo', part: 'household', kind: 'text', required: true, maxLength: 32,
    note: '本旗县内唯一；同一户的各行填同一编号', noteEn: 'unique within the county; every row of a household carries the same number' },
  { header: '村代码', headerEn: 'Village code', field: 'villageCode', part: 'household', kind: 'area', required: true,
    note: '12位统计用区划代码（村级），须在您的管辖范围内', noteEn: '12-digit NBS village code within your area' },
  { header: '旗县', headerEn: 'County', field: 'countyName', part: 'info', kind: 'text', required: false, note: '导出时填写，导入时忽略', noteEn: 'written by export, ignored on import' },
  { header: '苏木乡镇', headerEn: 'Township', field: 'townshipName', part: 'info', kind: 'text', required: false, note: '导出时填写，导入时忽略', noteEn: 'written by export, ignored on import' },
  { header: '嘎查村', headerEn: 'Village', field: 'villageName', part: 'info', kind: 'text', required: false, note: '导出时填写，导入时忽略', noteEn: 'written by export, ignored on import' },
  { header: '村民小组', headerEn: 'Village group', field: 'groupName', part: 'household', kind: 'text', required: false, maxLength: 50 },
  code('household', '贫困户属性', 'Household attribute', 'attribute', 'attribute', true),
  code('household', '脱贫标志', 'Exit status', 'exitStatus', 'exitStatus', true,
    '填中文名称或代码；按年度填写（同一户同一年度的各行须相同），最新年度的值为该户当前状态；1、4 须填脱贫年度',
    'label or code; per year (the same on all rows of a household-year), the latest year’s value is the household’s current status; 1 and 4 need an exit year'),
  code('household', '主要致贫原因', 'Main cause of poverty', 'mainCause', 'cause', false),
  { header: '其他致贫原因', headerEn: 'Other causes of poverty', field: 'otherCauses', part: 'household', kind: 'codes', codeList: 'cause', required: false,
    note: '可填多个，用 、 , ; 分隔', noteEn: 'several allowed, separated by 、 , or ;' },
  { header: '首次识别时间', headerEn: 'First identified on', field: 'identifiedOn', part: 'household', kind: 'date', required: false,
    note: 'YYYY-MM-DD，不晚于今天', noteEn: 'YYYY-MM-DD, not in the future' },
  { header: '脱贫年度', headerEn: 'Exit year', field: 'exitYear', part: 'household', kind: 'int', required: false, min: 2010, max: 'thisYear',
    note: '四位年份，不早于首次识别年份', noteEn: 'four-digit year, not before the identification year' },
  { header: '联系电话', headerEn: 'Phone', field: 'phone', part: 'household', kind: 'text', required: false, maxLength: 20, phone: true,
    note: '11位手机号或固定电话（如 0475-1234567）', noteEn: '11-digit mobile or a landline such as 0475-1234567' },
  { header: '帮扶单位', headerEn: 'Assisting unit', field: 'assistanceUnit', part: 'household', kind: 'text', required: false, maxLength: 100 },
  { header: '帮扶责任人', headerEn: 'Responsible cadre', field: 'responsibleCadre', part: 'household', kind: 'text', required: false, maxLength: 50 },
  flag('household', '是否易地搬迁', 'Relocated', 'relocated', '是/否；空 = 否', 'yes/no; empty = no'),
  // ---- year: one record per household and year, the same on all rows of that household-year
  { header: '年度', headerEn: 'Year', field: 'year', part: 'year', kind: 'int', required: false, min: 2010, max: 'thisYear',
    note: '四位年份；家庭人口数 = 该户该年度的行数。整户都不填年度时只登记户和成员，不写年度记录',
    noteEn: 'four-digit year; household size = number of rows of that household and year. A household with no year on any row gets no yearly record' },
  money('工资性收入', 'Wage income', 'wageIncome'),
  money('生产经营性收入', 'Net production income', 'productionIncome', '可为负数（亏损）', 'may be negative (a loss)', true),
  money('财产性收入', 'Property income', 'propertyIncome'),
  money('转移性收入', 'Transfer income', 'transferIncome', '低保金、特困供养金、养老金、生态补偿、农业补贴等', 'dibao, tekun support, pensions, ecological compensation, farm subsidies'),
  money('生产经营性支出', 'Production costs', 'productionCosts'),
  money('不计入收入的补助', 'Non-counting subsidies', 'nonCountingIncome', '教育/医疗报销/搬迁/危房补助，只登记不计入人均纯收入',
    'education grants, medical reimbursements, relocation and housing subsidies: recorded, not counted in per-capita income'),
  flag('year', '不愁吃', 'Food secure', 'foodSecure'),
  flag('year', '不愁穿', 'Clothing secure', 'clothingSecure'),
  flag('year', '义务教育有保障', 'Compulsory education secured', 'educationSecure'),
  flag('year', '基本医疗有保障', 'Basic medical care secured', 'medicalSecure'),
  flag('year', '住房安全有保障', 'Safe housing secured', 'housingSecure'),
  flag('year', '饮水安全有保障', 'Safe drinking water secured', 'waterSecure'),
  flag('year', '是否危房', 'Dangerous house', 'dangerousHouse'),
  { header: '人均日供水量(升)', headerEn: 'Water per person per day (L)', field: 'waterLitresPerDay', part: 'year', kind: 'int', required: false, min: 0, max: 32767,
    note: '整数，升；空 = 未填', noteEn: 'whole litres; empty = not recorded' },
  { header: '取水往返时间(分钟)', headerEn: 'Water fetching round trip (min)', field: 'waterFetchMinutes', part: 'year', kind: 'int', required: false, min: 0, max: 1440,
    note: '整数，分钟；空 = 未填', noteEn: 'whole minutes; empty = not recorded' },
  flag('year', '通生活用电', 'Electricity', 'electricity'),
  flag('year', '通硬化路', 'Paved road access', 'roadAccess'),
  flag('year', '卫生厕所', 'Sanitary toilet', 'sanitaryToilet'),
  land('耕地面积(亩)', 'Farmland (mu)', 'farmlandMu'),
  land('林地面积(亩)', 'Forest land (mu)', 'forestMu'),
  land('退耕还林面积(亩)', 'Farmland returned to forest (mu)', 'returnedFarmlandMu'),
  land('牧草地面积(亩)', 'Pasture (mu)', 'pastureMu'),
  // ---- member: one per row
  { header: '姓名', headerEn: 'Name', field: 'name', part: 'member', kind: 'text', required: true, maxLength: 50 },
  { header: '身份证号', headerEn: 'ID number', field: 'idNumber', part: 'member', kind: 'id', required: true,
    note: '18位（旧15位自动升级）；请把该列设为“文本”格式，避免 Excel 改成科学计数法', noteEn: '18 characters (15-digit numbers are upgraded); format the column as Text so Excel does not turn it into scientific notation' },
  code('member', '与户主关系', 'Relation to head', 'relation', 'relation', true, '填中文名称或代码；每户每年度须且只能有一名户主', 'label or code; exactly one 户主 (head) per household and year'),
  code('member', '性别', 'Sex', 'sex', 'sex', false, '男/女；空则按身份证号第17位推出，填了则须与身份证号一致', 'male/female; derived from the ID number when empty, must agree with it when given'),
  { header: '出生日期', headerEn: 'Birth date', field: 'birthDate', part: 'member', kind: 'date', required: false,
    note: 'YYYY-MM-DD；空则按身份证号推出，填了则须与身份证号一致', noteEn: 'YYYY-MM-DD; derived from the ID number when empty, must agree with it when given' },
  code('member', '民族', 'Ethnicity', 'ethnicity', 'ethnicity', true),
  code('member', '文化程度', 'Education', 'education', 'education', false),
  code('member', '在校生状况', 'Student status', 'studentStatus', 'studentStatus', false),
  code('member', '健康状况', 'Health', 'health', 'health', false),
  code('member', '残疾等级', 'Disability grade', 'disabilityGrade', 'disabilityGrade', false),
  code('member', '劳动能力', 'Labour ability', 'labourAbility', 'labourAbility', false),
  { header: '务工时间(月)', headerEn: 'Months worked away', field: 'workMonths', part: 'member', kind: 'int', required: false, min: 0, max: 12,
    note: '0–12 的整数；空 = 未填', noteEn: 'whole number 0–12; empty = not recorded' },
  flag('member', '参加城乡居民基本医疗保险', 'Basic medical insurance', 'medicalInsurance'),
  flag('member', '参加大病保险', 'Critical illness insurance', 'criticalIllnessInsurance'),
  flag('member', '参加城乡居民基本养老保险', 'Basic pension insurance', 'pensionInsurance'),
  { header: '成员联系电话', headerEn: 'Member phone', field: 'phone', part: 'member', kind: 'text', required: false, maxLength: 20, phone: true,
    note: '11位手机号或固定电话', noteEn: '11-digit mobile or a landline' },
] satisfies TemplateColumn[]);

export const TEMPLATE_HEADERS: readonly string[] = TEMPLATE_COLUMNS.map((c) => c.header);

/** Folds what people and Excel do to headers: full-width brackets, spaces, case. */
export function normaliseHeader(h: string): string {
  return h
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u00A0\u3000\uFEFF]+/g, '')
    .toLowerCase();
}

const byHeader = new Map<string, TemplateColumn>();
for (const c of TEMPLATE_COLUMNS) {
  byHeader.set(normaliseHeader(c.header), c);
  if (!byHeader.has(normaliseHeader(c.headerEn))) byHeader.set(normaliseHeader(c.headerEn), c);
}

/** The template column for a header as written in a file (Chinese or English, brackets and spaces folded). */
export function columnByHeader(h: string): TemplateColumn | undefined {
  return byHeader.get(normaliseHeader(h));
}

export function isErrorColumn(h: string): boolean {
  const n = normaliseHeader(h);
  return n === normaliseHeader(ERROR_COLUMN) || n === normaliseHeader(ERROR_COLUMN_EN);
}

/** The column of a part's field (e.g. ('member', 'phone') → 成员联系电话). */
export function columnOf(part: ColumnPart, field: string): TemplateColumn | undefined {
  return TEMPLATE_COLUMNS.find((c) => c.part === part && c.field === field);
}

export function columnsOf(part: ColumnPart): TemplateColumn[] {
  return TEMPLATE_COLUMNS.filter((c) => c.part === part);
}

/** One example household of two members, by header, as export would write it. */
export function exampleRows(year = 2020): Record<string, string | number>[] {
  const household: Record<string, string | number> = {
    户编号: '150524001001001', 村代码: '150524100201', 旗县: '库伦旗', 苏木乡镇: '库伦镇', 嘎查村: '库伦镇西嘎查', 村民小组: '一组',
    贫困户属性: '一般贫困户', 脱贫标志: '已脱贫(享受政策)', 主要致贫原因: '因病', 其他致贫原因: '缺资金、缺技术', 首次识别时间: '2014-10-15',
    脱贫年度: 2019, 联系电话: '13800000000', 帮扶单位: '库伦旗农牧局', 帮扶责任人: '王建国', 是否易地搬迁: '否',
    年度: year, 工资性收入: 8000, 生产经营性收入: 3500.5, 财产性收入: 0, 转移性收入: 2400, 生产经营性支出: 1200, 不计入收入的补助: 1000,
    不愁吃: '是', 不愁穿: '是', 义务教育有保障: '是', 基本医疗有保障: '是', 住房安全有保障: '是', 饮水安全有保障: '是', 是否危房: '否',
    '人均日供水量(升)': 60, '取水往返时间(分钟)': 5, 通生活用电: '是', 通硬化路: '是', 卫生厕所: '否',
    '耕地面积(亩)': 30, '林地面积(亩)': 5.5, '退耕还林面积(亩)': 0, '牧草地面积(亩)': 0,
  };
  return [
    { ...household, 姓名: '包金山', 身份证号: '150524197003120036', 与户主关系: '户主', 性别: '男', 出生日期: '1970-03-12', 民族: '蒙古族',
      文化程度: '初中', 在校生状况: '非在校生', 健康状况: '长期慢性病', 残疾等级: '', 劳动能力: '普通劳动力', '务工时间(月)': 6,
      参加城乡居民基本医疗保险: '是', 参加大病保险: '是', 参加城乡居民基本养老保险: '是', 成员联系电话: '13800000000' },
    { ...household, 姓名: '乌云', 身份证号: '150524197205060027', 与户主关系: '配偶', 性别: '女', 出生日期: '1972-05-06', 民族: '蒙古族',
      文化程度: '小学', 在校生状况: '非在校生', 健康状况: '健康', 残疾等级: '', 劳动能力: '普通劳动力', '务工时间(月)': 0,
      参加城乡居民基本医疗保险: '是', 参加大病保险: '是', 参加城乡居民基本养老保险: '是', 成员联系电话: '' },
  ];
}

const kindText: Record<ColumnKind, { zh: string; en: string }> = {
  text: { zh: '文本', en: 'text' },
  code: { zh: '代码', en: 'code' },
  codes: { zh: '多个代码', en: 'codes' },
  int: { zh: '整数', en: 'whole number' },
  money: { zh: '金额', en: 'money' },
  decimal: { zh: '小数', en: 'decimal' },
  bool: { zh: '是/否', en: 'yes/no' },
  date: { zh: '日期', en: 'date' },
  id: { zh: '身份证号', en: 'ID number' },
  area: { zh: '区划代码', en: 'area code' },
};

export function kindLabel(k: ColumnKind): { zh: string; en: string } {
  return kindText[k];
}

const partText: Record<ColumnPart, string> = { household: '户 household', year: '年度 year', member: '成员 member', info: '参考 info' };

function cell(s: string | number | undefined): string {
  return String(s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** Markdown describing every column, the rules and an example (docs/import-template.md). */
export function templateDoc(): string {
  const out: string[] = [];
  out.push('# 农户导入模板 / Household import template', '');
  out.push('<!-- Generated from src/domain/template.ts by templateDoc(); do not edit by hand. -->', '');
  out.push(
    '`jingzhun export template` 写出该模板（.xlsx，含填写说明工作表）；`jingzhun import households FILE` 或 `POST /api/v1/imports` 导入；',
    '`jingzhun export households --area CODE --out FILE.xlsx|.csv` 按同一模板导出，导出的文件可原样再导入。',
    '',
    '`jingzhun export template` writes this template (.xlsx with an instructions sheet); `jingzhun import households FILE` or',
    '`POST /api/v1/imports` imports it; `jingzhun export households --area CODE --out FILE.xlsx|.csv` exports in the same layout,',
    'so an exported file re-imports unchanged.',
    '',
    '## 规则 / Rules',
    '',
    '- **一行 = 一名成员的一个年度** (one row per member per year). 户级列在该户每一行重复且必须一致（脱贫标志按年度填写，只须在同一年度内一致）；年度列在同一户同一年度的各行必须一致；同一人在同一户各行的成员信息必须一致。',
    '  Household columns repeat on each row of the household and must agree (脱贫标志 is per year and only has to agree within a year); year columns must agree on all rows of a household-year; a person’s columns must agree on all of their rows.',
    '- 该户的成员 = 最新年度各行中的人；各年度的家庭人口数 = 该年度的行数。导入时，库中该户不在文件最新年度里的成员会被移除；文件中没有的户和年度保持不变。',
    '  The household’s members are the people on its latest year’s rows; each year’s household size is that year’s row count. Members in the database but not in the latest year of the file are removed; households and years not in the file are left as they are.',
    '- 文件格式：.xlsx（读取第一个工作表，第 1 行为表头）或 .csv（UTF-8、带 BOM 的 UTF-8 或 GBK，自动识别）。表头可用中文或英文，全角括号和空格不影响识别；未知表头报错；“旗县、苏木乡镇、嘎查村”和“错误说明”列在导入时忽略。',
    '  Files: .xlsx (first worksheet, header in row 1) or .csv (UTF-8, UTF-8 with BOM or GBK, detected). Headers in Chinese or English; full-width brackets and spaces are folded; unknown headers are an error; 旗县/苏木乡镇/嘎查村 and 错误说明 are ignored on import.',
    '- 先校验全部行；任何一处错误都不写入任何数据，并给出逐行逐列的错误报告（及可修改后重新导入的错误报告 .xlsx）。`--dry-run` 只校验。',
    '  Every row is validated first; any error means nothing is written and a report lists each bad row, column and reason (also as an .xlsx you can fix and re-import). `--dry-run` validates only.',
    '- 重复导入同一文件不会产生重复人员；户按（旗县, 户编号）、成员按（旗县, 身份证号）、年度记录按（户, 年度）更新。',
    '  Re-importing the same file duplicates no one: households are matched by (county, household no.), members by (county, ID number), yearly records by (household, year).',
    '- 已登记农户的当前状态——脱贫标志（取文件中最新年度的值）、首次识别时间、脱贫年度——由识别、退出和监测程序决定：重新导入时须与系统中一致，不一致的户被拒绝，报告指出行、列和应发起的程序；往年的年度记录可以更正。新户导入时填写的是初始值（从全国系统迁移）。',
    '  A registered household’s current status — 脱贫标志 (the file’s latest year), first identification date and exit year — is decided by the identification, exit and monitoring procedures: on re-import it must match the register, and a household that differs is refused with its row, column and the procedure to start; past years’ records may be corrected. For a new household the file gives the starting values (migration from the national system).',
    '- 同一人不能在两户：文件内两户都有同一身份证号、或该人已登记在库中另一户（任何旗县），都会报错并指出另一户的户编号。',
    '  A person may not be in two households: the same ID in two households of the file, or already registered in another household (any county), is an error naming the other household.',
    '- 身份证号按 GB 11643 校验（校验位、出生日期、地址码）；15 位旧号自动升级为 18 位；性别、出生日期与身份证号核对。Excel 损坏的号码（`1.50521E+17`、末尾 `.0`、全角数字、空格、数字格式单元格）会被指出，不会被“修正”。',
    '  ID numbers are checked per GB 11643; 15-digit numbers are upgraded; sex and birth date are checked against the ID. Numbers Excel has damaged (scientific notation, trailing `.0`, full-width digits, spaces, numeric cells) are reported, never "repaired".',
    '- 代码列可填中文名称（导出所写）或代码；是/否列可填 是/否、Y/N、1/0、true/false；非必填列留空表示未填。',
    '  Code columns take the Chinese label (what export writes) or the code; yes/no columns take 是/否, Y/N, 1/0, true/false; an empty optional cell means not recorded.',
    '- 导出时以 = + - @ 开头的文本单元格前加 `\'` 防止公式注入，导入时去掉该 `\'`。',
    '  On export, text cells starting with = + - @ get a leading `\'` against formula injection; import removes it.',
    '',
    '## 列 / Columns',
    '',
    '| # | 列名 header | English | 部分 part | 类型 kind | 必填 required | 说明 notes |',
    '|---|---|---|---|---|---|---|',
  );
  TEMPLATE_COLUMNS.forEach((c, i) => {
    const k = kindText[c.kind];
    const list = c.codeList ? `（代码表 ${codeLists[c.codeList].zh} / code list \`${c.codeList}\`）` : '';
    out.push(
      `| ${i + 1} | ${cell(c.header)} | ${cell(c.headerEn)} | ${partText[c.part]} | ${k.zh} ${k.en} | ${c.required ? '是 yes' : ''} | ${cell([c.note, c.noteEn].filter(Boolean).join(' / '))}${list} |`,
    );
  });
  out.push('', '## 代码表 / Code lists', '');
  const used = [...new Set(TEMPLATE_COLUMNS.flatMap((c) => (c.codeList ? [c.codeList] : [])))];
  for (const key of used) {
    const l = codeLists[key];
    out.push(`### ${l.zh} / ${l.en} (\`${key}\`)`, '');
    out.push(l.items.map((it) => `${it.code} ${it.zh}`).join('；'), '');
  }
  out.push('## 示例 / Example', '', '一户两名成员、一个年度 / one household of two members, one year:', '');
  const rows = exampleRows();
  out.push(`| ${TEMPLATE_HEADERS.map(cell).join(' | ')} |`, `|${TEMPLATE_HEADERS.map(() => '---').join('|')}|`);
  for (const r of rows) out.push(`| ${TEMPLATE_HEADERS.map((h) => cell(r[h])).join(' | ')} |`);
  out.push('');
  return out.join('\n');
}
