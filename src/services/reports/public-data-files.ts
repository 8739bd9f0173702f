// The public data's columns, data dictionary and files (services/reports/public-data.ts computes
// the data): one workbook (说明 About with the rules and the dictionary, aggregates, microdata) or
// CSV files, machine-readable column names in row 1, withheld counts shown as "<5". Text that a
// spreadsheet would run as a formula (=, +, -, @ first: an area name, say) gets a leading '.
import { stringify } from 'csv-stringify/sync';
import { codeLists } from '../../domain/codes.js';
import { neutralise, xlsxBuffer } from '../imports/export.js';
import { pathName } from './common.js';
import { FMT, type Fmt } from './sheet.js';
import type { AggregateRow, DictionaryRow, MicroRow, PublicData } from './public-data.js';

/** Fewer households than this in a row (or a township, for the microdata) and it is withheld. */
export const MIN_CELL = 5;
const SUPPRESSED = `<${MIN_CELL}`;
/** k of the microdata's k-anonymity: every combination of its quasi-identifiers has at least this many rows. */
export const K_ANON = 5;
const K = K_ANON;

// --- dictionary -------------------------------------------------------------------------------

const codesOf = (key: 'exitStatus' | 'cause' | 'attribute' | 'sex') => codeLists[key].items.map((i) => `${i.code}=${i.zh} ${i.en}`).join('; ');
const FLAG_CODES = '1=是 yes; 0=否 no; 空 blank=未记录 not recorded';
const SUPPRESSED_NOTE = `少于 ${MIN_CELL} 户的单元显示为“${SUPPRESSED}” / cells of fewer than ${MIN_CELL} households show "${SUPPRESSED}"`;
const ROUNDED = '四舍五入到 100 元 rounded to the nearest 100 yuan';
const K_NOTE = `suppressed=为使（苏木乡镇、家庭人口、户主性别、民族、年龄段）每种组合至少 ${K} 户而隐藏 blanked so that every combination of township, household size, head's sex, ethnic group and age band has at least ${K} rows`;

export const AGGREGATE_COLUMNS: (Omit<DictionaryRow, 'table'> & { key: keyof AggregateRow; fmt?: Fmt })[] = [
  { key: 'level', column: 'level', zh: '区划级别', en: 'Area level', unit: '', codes: 'province; city; county=旗县; township=苏木乡镇; village=嘎查村' },
  { key: 'code', column: 'area_code', zh: '区划代码（国家统计局统计用区划代码）', en: 'Area code (NBS statistical division code)', unit: '', codes: '', fmt: 'text' },
  { key: 'name', column: 'area_name', zh: '区划名称', en: 'Area name', unit: '', codes: '' },
  { key: 'parentCode', column: 'parent_code', zh: '上级区划代码', en: 'Parent area code', unit: '', codes: '', fmt: 'text' },
  { key: 'year', column: 'year', zh: '年度', en: 'Year', unit: '年 year', codes: '' },
  { key: 'households', column: 'households', zh: '有该年度记录的建档立卡户数', en: 'Registered households with a record for the year', unit: '户 households', codes: SUPPRESSED_NOTE, fmt: 'int' },
  { key: 'people', column: 'people', zh: '上述户的家庭人口合计', en: 'People in those households', unit: '人 people', codes: SUPPRESSED_NOTE, fmt: 'int' },
  { key: 'poorHouseholds', column: 'poor_households', zh: '贫困户数（脱贫标志为未脱贫或返贫）', en: 'Poor households (status not out of poverty or returned to poverty)', unit: '户 households', codes: SUPPRESSED_NOTE, fmt: 'int' },
  { key: 'poorPeople', column: 'poor_people', zh: '贫困人口', en: 'Poor people', unit: '人 people', codes: SUPPRESSED_NOTE, fmt: 'int' },
  { key: 'exitedHouseholds', column: 'exited_households', zh: '已脱贫户数（享受或不再享受政策）', en: 'Households out of poverty (with or without continued support)', unit: '户 households', codes: SUPPRESSED_NOTE, fmt: 'int' },
  { key: 'exitedPeople', column: 'exited_people', zh: '已脱贫人口', en: 'People out of poverty', unit: '人 people', codes: SUPPRESSED_NOTE, fmt: 'int' },
  { key: 'ruralPeople', column: 'rural_people', zh: '农村人口（贫困发生率分母，统计数据）', en: 'Rural population (incidence denominator, official statistics)', unit: '人 people', codes: '空 blank=未导入 not loaded', fmt: 'int' },
  { key: 'incidence', column: 'incidence', zh: '贫困发生率 = 贫困人口 ÷ 农村人口', en: 'Poverty incidence = poor people ÷ rural population', unit: '比例 fraction (0.03 = 3%)', codes: '隐藏或无人口时为空 blank when suppressed or without population', fmt: 'pct' },
  { key: 'meanPerCapitaIncome', column: 'mean_per_capita_income', zh: '人均纯收入（按人口加权：Σ家庭纯收入 ÷ Σ人口）', en: 'Mean per-capita net income, people-weighted (Σ household net income ÷ Σ people)', unit: '元/人·年 yuan per person per year', codes: '隐藏时为空 blank when suppressed', fmt: 'money' },
  { key: 'suppressed', column: 'suppressed', zh: '隐藏原因', en: 'Why the row is withheld', unit: '', codes: `primary=少于 ${MIN_CELL} 户 fewer than ${MIN_CELL} households; secondary=为防止由上级合计相减或下级相加反推而一并隐藏 withheld so a primary cell cannot be recovered by subtraction or by adding up children; 空 blank=公开 shown（在所属整个区划树上计算，各次导出一致 computed on the whole tree the area belongs to, the same in every export）` },
];

export const MICRO_COLUMNS: (Omit<DictionaryRow, 'table'> & { key: keyof MicroRow; fmt?: Fmt })[] = [
  { key: 'pseudonym', column: 'pseudonym', zh: '户化名（每次导出随机生成，不同导出之间不能关联；非数据库编号）', en: 'Household pseudonym (random per export, cannot be linked across exports; not the database id)', unit: '', codes: '' },
  { key: 'townshipCode', column: 'township_code', zh: '苏木乡镇代码（不提供村级代码）', en: 'Township code (no village code is given)', unit: '', codes: '', fmt: 'text' },
  { key: 'year', column: 'year', zh: '年度', en: 'Year', unit: '年 year', codes: '' },
  { key: 'householdSize', column: 'household_size', zh: '家庭人口（6 人及以上合并为 6+）', en: 'Household size (six or more top-coded as 6+)', unit: '人 people', codes: `1–5; 6+=6 人及以上 six or more; ${K_NOTE}`, fmt: 'int' },
  { key: 'status', column: 'status', zh: '该年度脱贫标志', en: 'Poverty exit status that year', unit: '', codes: codesOf('exitStatus') },
  { key: 'attribute', column: 'attribute', zh: '贫困户属性', en: 'Household attribute', unit: '', codes: codesOf('attribute') },
  { key: 'mainCause', column: 'main_cause', zh: '主要致贫原因', en: 'Main cause of poverty', unit: '', codes: `${codesOf('cause')}; 空 blank=未记录 not recorded` },
  { key: 'wageIncome', column: 'wage_income', zh: '工资性收入（全户）', en: 'Wage income (household)', unit: '元/年 yuan per year', codes: ROUNDED, fmt: 'money' },
  { key: 'productionIncome', column: 'production_income', zh: '生产经营性收入（全户）', en: 'Production and business income (household)', unit: '元/年 yuan per year', codes: ROUNDED, fmt: 'money' },
  { key: 'propertyIncome', column: 'property_income', zh: '财产性收入（全户）', en: 'Property income (household)', unit: '元/年 yuan per year', codes: ROUNDED, fmt: 'money' },
  { key: 'transferIncome', column: 'transfer_income', zh: '转移性收入（计入部分，全户）', en: 'Transfer income, counted part (household)', unit: '元/年 yuan per year', codes: ROUNDED, fmt: 'money' },
  { key: 'productionCosts', column: 'production_costs', zh: '生产经营性支出（全户）', en: 'Production costs (household)', unit: '元/年 yuan per year', codes: ROUNDED, fmt: 'money' },
  { key: 'nonCountingIncome', column: 'non_counting_income', zh: '不计入收入的补助（教育、医疗报销、搬迁/危房补助）', en: 'Grants not counted as income (education, medical reimbursement, relocation/housing)', unit: '元/年 yuan per year', codes: ROUNDED, fmt: 'money' },
  { key: 'perCapitaIncome', column: 'per_capita_income', zh: '人均纯收入 =（工资+生产经营+财产+转移−生产经营支出）÷ 家庭人口', en: 'Per-capita net income = (wage + production + property + transfers − production costs) ÷ household size', unit: '元/人·年 yuan per person per year', codes: ROUNDED, fmt: 'money' },
  { key: 'foodSecure', column: 'food_secure', zh: '不愁吃', en: 'Enough food', unit: '', codes: FLAG_CODES },
  { key: 'clothingSecure', column: 'clothing_secure', zh: '不愁穿', en: 'Enough clothing', unit: '', codes: FLAG_CODES },
  { key: 'educationSecure', column: 'education_secure', zh: '义务教育有保障', en: 'Compulsory education assured', unit: '', codes: FLAG_CODES },
  { key: 'medicalSecure', column: 'medical_secure', zh: '基本医疗有保障', en: 'Basic medical care assured', unit: '', codes: FLAG_CODES },
  { key: 'housingSecure', column: 'housing_secure', zh: '住房安全有保障', en: 'Safe housing assured', unit: '', codes: FLAG_CODES },
  { key: 'waterSecure', column: 'water_secure', zh: '饮水安全有保障', en: 'Safe drinking water assured', unit: '', codes: FLAG_CODES },
  { key: 'headSex', column: 'head_sex', zh: '户主性别', en: 'Sex of the household head', unit: '', codes: `${codesOf('sex')}; 空 blank=未记录 not recorded; ${K_NOTE}` },
  { key: 'headEthnicGroup', column: 'head_ethnic_group', zh: '户主民族（分组）', en: 'Ethnic group of the household head', unit: '', codes: `mongol=蒙古族 Mongol; han=汉族 Han; other=其他民族 other; 空 blank=未记录 not recorded; ${K_NOTE}` },
  { key: 'headAgeBand', column: 'head_age_band', zh: '户主年龄段（当年 12 月 31 日的周岁，按出生年计）', en: 'Age band of the household head (age in the year, by year of birth)', unit: '岁 years', codes: `<20; 20-29; …; 70-79; 80+; 空 blank=未记录 not recorded; ${K_NOTE}` },
];

export function dictionary(): DictionaryRow[] {
  return [
    ...AGGREGATE_COLUMNS.map(({ key: _k, fmt: _f, ...d }) => ({ table: 'aggregates' as const, ...d })),
    ...MICRO_COLUMNS.map(({ key: _k, fmt: _f, ...d }) => ({ table: 'microdata' as const, ...d })),
  ];
}

// --- files ------------------------------------------------------------------------------------

type Out = string | number | null;

/** A value as written to a cell: text a spreadsheet would take for a formula is neutralised. */
const out = (v: Out): Out => (typeof v === 'string' ? neutralise(v) : v);

function aggregateValues(a: AggregateRow): Out[] {
  return AGGREGATE_COLUMNS.map((c) => {
    const v = a[c.key];
    // A withheld count reads "<5" (not blank, which would look like zero or missing).
    if (a.suppressed && c.codes === SUPPRESSED_NOTE) return SUPPRESSED;
    return v === '' ? null : out(v as Out);
  });
}

function microValues(m: MicroRow): Out[] {
  return MICRO_COLUMNS.map((c) => out(m[c.key] as Out));
}

function dictionaryValues(r: DictionaryRow): Out[] {
  return [r.table, r.column, r.zh, r.en, r.unit, r.codes].map(out);
}

function aboutLines(d: PublicData): string[] {
  const n = d.notes;
  const b = n.blanked;
  const lines = [
    `公开数据 Public data：${pathName(d.area, 2)}（${d.area.code}）${d.year} 年度；生成日期 generated ${d.generatedOn}`,
    '来源：精准扶贫建档立卡系统（Jingzhun）。Source: the Jingzhun register of targeted poverty alleviation.',
    `小单元隐藏：少于 ${MIN_CELL} 户的汇总行，户数、人数显示为“${SUPPRESSED}”，发生率和人均收入为空（primary，共 ${n.primarySuppressed} 行）；若某上级区划下只有一行被隐藏，则再隐藏户数最少的另一行，被隐藏行的下级也一并隐藏（secondary，共 ${n.secondarySuppressed} 行），以免反推。隐藏始终在所属整个区划树（自省级向下）上计算，再截取所要区划，因此任何区划的导出都隐藏同样的行，本区划本身也可能被隐藏。`,
    `Small cells: aggregate rows of fewer than ${MIN_CELL} households show counts as "${SUPPRESSED}" and derived figures blank (primary, ${n.primarySuppressed} rows); where only one row under a parent is withheld, the smallest other one is withheld too, and so are the children of a withheld row (secondary, ${n.secondarySuppressed} rows), so none can be recovered by subtraction or addition. Suppression is always computed on the whole tree the area belongs to (from the province down) and this area is cut out of it, so every export withholds the same rows, and the area asked for may itself be withheld.`,
  ];
  if (n.areaSuppressed) {
    lines.push(
      `本区划（${d.area.code}）在整体计算中被隐藏（${n.areaSuppressed}），其本身的户数、人数等也不公开，且不提供微观数据。`,
      `This area (${d.area.code}) is withheld in the suppression over the whole tree (${n.areaSuppressed}): its own counts are withheld too and no microdata are given.`,
    );
  }
  lines.push(
    `微观数据：每户每年一行，无姓名、身份证号、电话、地址、村代码、出生日期；户化名每次导出随机生成。少于 ${MIN_CELL} 户或汇总被隐藏的苏木乡镇的记录不提供（本次 ${n.droppedTownships} 个苏木乡镇、${n.droppedRecords} 条记录）。`,
    `Microdata: one row per household-year; no names, ID numbers, phones, addresses, village codes or birth dates; pseudonyms are random per export. Records of townships with fewer than ${MIN_CELL} households or whose aggregate is withheld are left out (${n.droppedTownships} townships, ${n.droppedRecords} records this time).`,
    `微观数据的收入（各项收入、支出和人均纯收入）四舍五入到 100 元；家庭人口 6 人及以上记为“6+”。k-匿名（k = ${n.k}）：（苏木乡镇、家庭人口、户主性别、民族、年龄段）组合少于 ${n.k} 行的记录，依次将年龄段、民族、性别、家庭人口记为“suppressed”，直到组合不少于 ${n.k} 行，仍不足的不提供。本次：年龄段隐藏 ${b.headAgeBand} 行，民族隐藏 ${b.headEthnicGroup} 行，性别隐藏 ${b.headSex} 行，家庭人口隐藏 ${b.householdSize} 行，不提供 ${n.kDroppedRecords} 行。`,
    `Microdata incomes (each component, costs and per-capita income) are rounded to the nearest 100 yuan; household sizes of six or more read "6+". k-anonymity (k = ${n.k}): rows whose combination of township, household size, head's sex, ethnic group and age band has fewer than ${n.k} rows get the age band, then the ethnic group, then the sex, then the household size set to "suppressed" until the combination has ${n.k}; rows still short are left out. This time: age band blanked in ${b.headAgeBand} rows, ethnic group in ${b.headEthnicGroup}, sex in ${b.headSex}, household size in ${b.householdSize}; ${n.kDroppedRecords} rows left out.`,
  );
  return lines;
}

/** One workbook: 说明 (about and the dictionary), 汇总 aggregates, 微观数据 microdata; machine-readable headers in row 1. */
export async function publicDataWorkbook(d: PublicData): Promise<Buffer> {
  return xlsxBuffer((wb) => {
    const about = wb.addWorksheet('说明 About', { views: [{ state: 'frozen', ySplit: 0 }] });
    about.columns = [{ width: 12 }, { width: 24 }, { width: 50 }, { width: 60 }, { width: 24 }, { width: 70 }];
    for (const line of aboutLines(d)) about.addRow([out(line)]).commit();
    about.addRow([]).commit();
    const head = about.addRow(['表 table', '列 column', '说明', 'Description', '单位 unit', '代码 codes']);
    head.font = { bold: true };
    head.commit();
    for (const r of d.dictionary) about.addRow(dictionaryValues(r)).commit();
    about.commit();

    const agg = wb.addWorksheet('aggregates', { views: [{ state: 'frozen', ySplit: 1, xSplit: 3 }] });
    agg.columns = AGGREGATE_COLUMNS.map((c) => ({ width: Math.max(10, c.column.length + 2), ...(c.fmt ? { style: { numFmt: FMT[c.fmt] } } : {}) }));
    const ah = agg.addRow(AGGREGATE_COLUMNS.map((c) => c.column));
    ah.font = { bold: true };
    ah.commit();
    for (const a of d.aggregates) agg.addRow(aggregateValues(a)).commit();
    agg.commit();

    const mic = wb.addWorksheet('microdata', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
    mic.columns = MICRO_COLUMNS.map((c) => ({ width: Math.max(10, c.column.length + 2), ...(c.fmt ? { style: { numFmt: FMT[c.fmt] } } : {}) }));
    const mh = mic.addRow(MICRO_COLUMNS.map((c) => c.column));
    mh.font = { bold: true };
    mh.commit();
    for (const m of d.microdata) mic.addRow(microValues(m)).commit();
    mic.commit();
  });
}

const BOM = '\ufeff';

/** The same as CSV files (UTF-8 with BOM, so Excel opens them as such): name → content. */
export function publicDataCsv(d: PublicData): Record<string, string> {
  const csv = (header: string[], rows: Out[][]) => BOM + stringify([header, ...rows], { record_delimiter: '\r\n' });
  return {
    'aggregates.csv': csv(AGGREGATE_COLUMNS.map((c) => c.column), d.aggregates.map(aggregateValues)),
    'microdata.csv': csv(MICRO_COLUMNS.map((c) => c.column), d.microdata.map(microValues)),
    'dictionary.csv': csv(['table', 'column', 'description_zh', 'description_en', 'unit', 'codes'], d.dictionary.map(dictionaryValues)),
    'README.txt': `${aboutLines(d).join('\r\n')}\r\n`,
  };
}
