// The public data's columns, data dictionary and files (services/reports/public-data.ts computes
// the data): one workbook (说明 About with the rules and the dictionary, aggregates, microdata) or
// CSV files, machine-readable column names in row 1, withheld counts shown as "<5".
import { stringify } from 'csv-stringify/sync';
import { codeLists } from '../../domain/codes.js';
import { xlsxBuffer } from '../imports/export.js';
import { pathName } from './common.js';
import { FMT, type Fmt } from './sheet.js';
import type { AggregateRow, DictionaryRow, MicroRow, PublicData } from './public-data.js';

/** Fewer households than this in a row (or a township, for the microdata) and it is withheld. */
export const MIN_CELL = 5;
const SUPPRESSED = `<${MIN_CELL}`;

// --- dictionary -------------------------------------------------------------------------------

const codesOf = (key: 'exitStatus' | 'cause' | 'attribute' | 'sex') => codeLists[key].items.map((i) => `${i.code}=${i.zh} ${i.en}`).join('; ');
const FLAG_CODES = '1=是 yes; 0=否 no; 空 blank=未记录 not recorded';
const SUPPRESSED_NOTE = `少于 ${MIN_CELL} 户的单元显示为“${SUPPRESSED}” / cells of fewer than ${MIN_CELL} households show "${SUPPRESSED}"`;

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
  { key: 'suppressed', column: 'suppressed', zh: '隐藏原因', en: 'Why the row is withheld', unit: '', codes: `primary=少于 ${MIN_CELL} 户 fewer than ${MIN_CELL} households; secondary=为防止由上级合计相减或下级相加反推而一并隐藏 withheld so a primary cell cannot be recovered by subtraction or by adding up children; 空 blank=公开 shown` },
];

export const MICRO_COLUMNS: (Omit<DictionaryRow, 'table'> & { key: keyof MicroRow; fmt?: Fmt })[] = [
  { key: 'pseudonym', column: 'pseudonym', zh: '户化名（每次导出随机生成，不同导出之间不能关联；非数据库编号）', en: 'Household pseudonym (random per export, cannot be linked across exports; not the database id)', unit: '', codes: '' },
  { key: 'townshipCode', column: 'township_code', zh: '苏木乡镇代码（不提供村级代码）', en: 'Township code (no village code is given)', unit: '', codes: '', fmt: 'text' },
  { key: 'year', column: 'year', zh: '年度', en: 'Year', unit: '年 year', codes: '' },
  { key: 'householdSize', column: 'household_size', zh: '家庭人口', en: 'Household size', unit: '人 people', codes: '', fmt: 'int' },
  { key: 'status', column: 'status', zh: '该年度脱贫标志', en: 'Poverty exit status that year', unit: '', codes: codesOf('exitStatus') },
  { key: 'attribute', column: 'attribute', zh: '贫困户属性', en: 'Household attribute', unit: '', codes: codesOf('attribute') },
  { key: 'mainCause', column: 'main_cause', zh: '主要致贫原因', en: 'Main cause of poverty', unit: '', codes: `${codesOf('cause')}; 空 blank=未记录 not recorded` },
  { key: 'wageIncome', column: 'wage_income', zh: '工资性收入（全户）', en: 'Wage income (household)', unit: '元/年 yuan per year', codes: '', fmt: 'money' },
  { key: 'productionIncome', column: 'production_income', zh: '生产经营性收入（全户）', en: 'Production and business income (household)', unit: '元/年 yuan per year', codes: '', fmt: 'money' },
  { key: 'propertyIncome', column: 'property_income', zh: '财产性收入（全户）', en: 'Property income (household)', unit: '元/年 yuan per year', codes: '', fmt: 'money' },
  { key: 'transferIncome', column: 'transfer_income', zh: '转移性收入（计入部分，全户）', en: 'Transfer income, counted part (household)', unit: '元/年 yuan per year', codes: '', fmt: 'money' },
  { key: 'productionCosts', column: 'production_costs', zh: '生产经营性支出（全户）', en: 'Production costs (household)', unit: '元/年 yuan per year', codes: '', fmt: 'money' },
  { key: 'nonCountingIncome', column: 'non_counting_income', zh: '不计入收入的补助（教育、医疗报销、搬迁/危房补助）', en: 'Grants not counted as income (education, medical reimbursement, relocation/housing)', unit: '元/年 yuan per year', codes: '', fmt: 'money' },
  { key: 'perCapitaIncome', column: 'per_capita_income', zh: '人均纯收入 =（工资+生产经营+财产+转移−生产经营支出）÷ 家庭人口', en: 'Per-capita net income = (wage + production + property + transfers − production costs) ÷ household size', unit: '元/人·年 yuan per person per year', codes: '', fmt: 'money' },
  { key: 'foodSecure', column: 'food_secure', zh: '不愁吃', en: 'Enough food', unit: '', codes: FLAG_CODES },
  { key: 'clothingSecure', column: 'clothing_secure', zh: '不愁穿', en: 'Enough clothing', unit: '', codes: FLAG_CODES },
  { key: 'educationSecure', column: 'education_secure', zh: '义务教育有保障', en: 'Compulsory education assured', unit: '', codes: FLAG_CODES },
  { key: 'medicalSecure', column: 'medical_secure', zh: '基本医疗有保障', en: 'Basic medical care assured', unit: '', codes: FLAG_CODES },
  { key: 'housingSecure', column: 'housing_secure', zh: '住房安全有保障', en: 'Safe housing assured', unit: '', codes: FLAG_CODES },
  { key: 'waterSecure', column: 'water_secure', zh: '饮水安全有保障', en: 'Safe drinking water assured', unit: '', codes: FLAG_CODES },
  { key: 'headSex', column: 'head_sex', zh: '户主性别', en: 'Sex of the household head', unit: '', codes: codesOf('sex') },
  { key: 'headEthnicGroup', column: 'head_ethnic_group', zh: '户主民族（分组）', en: 'Ethnic group of the household head', unit: '', codes: 'mongol=蒙古族 Mongol; han=汉族 Han; other=其他民族 other' },
  { key: 'headAgeBand', column: 'head_age_band', zh: '户主年龄段（当年 12 月 31 日的周岁，按出生年计）', en: 'Age band of the household head (age in the year, by year of birth)', unit: '岁 years', codes: '<20; 20-29; …; 70-79; 80+' },
];

export function dictionary(): DictionaryRow[] {
  return [
    ...AGGREGATE_COLUMNS.map(({ key: _k, fmt: _f, ...d }) => ({ table: 'aggregates' as const, ...d })),
    ...MICRO_COLUMNS.map(({ key: _k, fmt: _f, ...d }) => ({ table: 'microdata' as const, ...d })),
  ];
}

// --- files ------------------------------------------------------------------------------------

type Out = string | number | null;

function aggregateValues(a: AggregateRow): Out[] {
  return AGGREGATE_COLUMNS.map((c) => {
    const v = a[c.key];
    // A withheld count reads "<5" (not blank, which would look like zero or missing).
    if (a.suppressed && c.codes === SUPPRESSED_NOTE) return SUPPRESSED;
    return v === '' ? null : (v as Out);
  });
}

function microValues(m: MicroRow): Out[] {
  return MICRO_COLUMNS.map((c) => m[c.key] as Out);
}

function aboutLines(d: PublicData): string[] {
  const n = d.notes;
  return [
    `公开数据 Public data：${pathName(d.area, 2)}（${d.area.code}）${d.year} 年度；生成日期 generated ${d.generatedOn}`,
    '来源：精准扶贫建档立卡系统（Jingzhun）。Source: the Jingzhun register of targeted poverty alleviation.',
    `小单元隐藏：少于 ${MIN_CELL} 户的汇总行，户数、人数显示为“${SUPPRESSED}”，发生率和人均收入为空（primary，共 ${n.primarySuppressed} 行）；若某上级区划下只有一行被隐藏，则再隐藏户数最少的另一行，被隐藏行的下级也一并隐藏（secondary，共 ${n.secondarySuppressed} 行），以免反推。`,
    `Small cells: aggregate rows of fewer than ${MIN_CELL} households show counts as "${SUPPRESSED}" and derived figures blank (primary, ${n.primarySuppressed} rows); where only one row under a parent is withheld, the smallest other one is withheld too, and so are the children of a withheld row (secondary, ${n.secondarySuppressed} rows), so none can be recovered by subtraction or addition.`,
    `微观数据：每户每年一行，无姓名、身份证号、电话、地址、村代码、出生日期；户化名每次导出随机生成。少于 ${MIN_CELL} 户或汇总被隐藏的苏木乡镇的记录不提供（本次 ${n.droppedTownships} 个苏木乡镇、${n.droppedRecords} 条记录）。`,
    `Microdata: one row per household-year; no names, ID numbers, phones, addresses, village codes or birth dates; pseudonyms are random per export. Records of townships with fewer than ${MIN_CELL} households or whose aggregate is withheld are left out (${n.droppedTownships} townships, ${n.droppedRecords} records this time).`,
  ];
}

/** One workbook: 说明 (about and the dictionary), 汇总 aggregates, 微观数据 microdata; machine-readable headers in row 1. */
export async function publicDataWorkbook(d: PublicData): Promise<Buffer> {
  return xlsxBuffer((wb) => {
    const about = wb.addWorksheet('说明 About', { views: [{ state: 'frozen', ySplit: 0 }] });
    about.columns = [{ width: 12 }, { width: 24 }, { width: 50 }, { width: 60 }, { width: 24 }, { width: 70 }];
    for (const line of aboutLines(d)) about.addRow([line]).commit();
    about.addRow([]).commit();
    const head = about.addRow(['表 table', '列 column', '说明', 'Description', '单位 unit', '代码 codes']);
    head.font = { bold: true };
    head.commit();
    for (const r of d.dictionary) about.addRow([r.table, r.column, r.zh, r.en, r.unit, r.codes]).commit();
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
    'dictionary.csv': csv(['table', 'column', 'description_zh', 'description_en', 'unit', 'codes'], d.dictionary.map((r) => [r.table, r.column, r.zh, r.en, r.unit, r.codes])),
    'README.txt': `${aboutLines(d).join('\r\n')}\r\n`,
  };
}
