// The scorecards as one Excel workbook (exceljs streaming writer, through reports/sheet.ts: title
// and date rows, zh + en headers, frozen panes, number formats): 苏木乡镇 (townships), 帮扶责任人
// (cadres), 旗县 (counties, when the area is above a county) and 指标说明 (each indicator, its weight,
// numerator, denominator and scoring, the composite rule, the fields counted for completeness and the
// data-quality rules).
import { INDICATORS, DATA_QUALITY_RULES, HOUSEHOLD_FIELDS, MEMBER_FIELDS, RESPONSIBLE_CADRE_FIELD, YEAR_FIELDS, YEAR_RECORD_FIELD } from '../../domain/supervision/index.js';
import { ruleLabel } from '../../domain/monitoring-rules.js';
import { xlsxBuffer } from '../imports/export.js';
import { Sheet, type Column } from '../reports/sheet.js';
import type { Ctx } from '../context.js';
import { checkInput } from './input.js';
import { scorecards, type ScorecardInput, type ScorecardRow, type ScorecardTable } from './scorecards.js';

export interface ScorecardBook {
  township: ScorecardTable;
  cadre: ScorecardTable;
  /** Only when the area is above a county. */
  county: ScorecardTable | null;
}

/** The tables of the workbook: townships, cadres (and counties above a county) of the same area and period. */
export async function scorecardBook(ctx: Ctx, input: ScorecardInput): Promise<ScorecardBook> {
  const { area } = await checkInput(ctx, input, 'township');
  const township = await scorecards(ctx, { ...input, area: area!.code, level: 'township' });
  // The same period for every sheet, even when it was defaulted.
  const same = { ...input, area: area!.code, from: township.from, to: township.to };
  const cadre = await scorecards(ctx, { ...same, level: 'cadre' });
  const county = area!.code.length < 6 ? await scorecards(ctx, { ...same, level: 'county' }) : null;
  return { township, cadre, county };
}

const ind = (k: keyof ScorecardRow['indicators']) => (r: ScorecardRow) => r.indicators[k];

function indicatorColumns(): Column<ScorecardRow>[] {
  return [
    { zh: '综合得分', en: 'Composite', width: 9, fmt: 'money', value: (r) => r.composite },
    { zh: '计入权重', en: 'Weight covered', width: 8, fmt: 'int', value: (r) => r.weightCovered },
    { zh: '走访次数', en: 'Visits', width: 8, fmt: 'int', value: (r) => ind('visits')(r).numerator },
    { zh: '结对户数', en: 'Paired households', width: 8, fmt: 'int', value: (r) => ind('visits')(r).extra.households ?? 0 },
    { zh: '户均月走访', en: 'Visits / household-month', width: 9, fmt: 'money', value: (r) => ind('visits')(r).value },
    { zh: '走访得分', en: 'Visit score', width: 8, fmt: 'money', value: (r) => ind('visits')(r).score },
    { zh: '已填字段', en: 'Fields filled', width: 9, fmt: 'int', value: (r) => ind('completeness')(r).numerator },
    { zh: '应填字段', en: 'Fields expected', width: 9, fmt: 'int', value: (r) => ind('completeness')(r).denominator },
    { zh: '完整率', en: 'Completeness', width: 9, fmt: 'pct', value: (r) => ind('completeness')(r).value },
    { zh: '完整得分', en: 'Completeness score', width: 9, fmt: 'money', value: (r) => ind('completeness')(r).score },
    { zh: '问题户', en: 'Households with DQ hits', width: 8, fmt: 'int', value: (r) => ind('dataQuality')(r).numerator },
    { zh: '农户数', en: 'Households', width: 8, fmt: 'int', value: (r) => ind('dataQuality')(r).denominator },
    { zh: '规则命中', en: 'Rule hits', width: 8, fmt: 'int', value: (r) => ind('dataQuality')(r).extra.hits ?? 0 },
    { zh: '数据质量得分', en: 'Data-quality score', width: 9, fmt: 'money', value: (r) => ind('dataQuality')(r).score },
    { zh: '逾期案件', en: 'Overdue cases', width: 8, fmt: 'int', value: (r) => ind('overdueCases')(r).numerator },
    { zh: '在办案件', en: 'Cases open', width: 8, fmt: 'int', value: (r) => ind('overdueCases')(r).denominator },
    { zh: '逾期得分', en: 'Overdue score', width: 8, fmt: 'money', value: (r) => ind('overdueCases')(r).score },
    { zh: '按时处置', en: 'Alerts in time', width: 8, fmt: 'int', value: (r) => ind('alertsInTime')(r).numerator },
    { zh: '应计预警', en: 'Alerts judged', width: 8, fmt: 'int', value: (r) => ind('alertsInTime')(r).denominator },
    { zh: '未到期', en: 'Pending', width: 7, fmt: 'int', value: (r) => ind('alertsInTime')(r).extra.pending ?? 0 },
    { zh: '及时处置得分', en: 'Alert score', width: 9, fmt: 'money', value: (r) => ind('alertsInTime')(r).score },
    { zh: '差异户', en: 'Sampled with discrepancy', width: 8, fmt: 'int', value: (r) => ind('discrepancies')(r).numerator },
    { zh: '核查户', en: 'Sampled checked', width: 8, fmt: 'int', value: (r) => ind('discrepancies')(r).denominator },
    { zh: '差异条数', en: 'Discrepancies', width: 8, fmt: 'int', value: (r) => ind('discrepancies')(r).extra.discrepancies ?? 0 },
    { zh: '评估得分', en: 'Evaluation score', width: 8, fmt: 'money', value: (r) => ind('discrepancies')(r).score },
  ];
}

const TOWNSHIP_COLS: Column<ScorecardRow>[] = [
  { zh: '排名', en: 'Rank', width: 6, fmt: 'int', value: (r) => r.rank },
  { zh: '代码', en: 'Code', width: 11, fmt: 'text', value: (r) => r.code },
  { zh: '苏木乡镇', en: 'Township', width: 14, value: (r) => r.name },
  { zh: '旗县', en: 'County', width: 12, value: (r) => r.parentName },
  ...indicatorColumns(),
];
const COUNTY_COLS: Column<ScorecardRow>[] = [
  { zh: '排名', en: 'Rank', width: 6, fmt: 'int', value: (r) => r.rank },
  { zh: '代码', en: 'Code', width: 9, fmt: 'text', value: (r) => r.code },
  { zh: '旗县', en: 'County', width: 14, value: (r) => r.name },
  { zh: '市', en: 'City', width: 10, value: (r) => r.parentName },
  ...indicatorColumns(),
];
const CADRE_COLS: Column<ScorecardRow>[] = [
  { zh: '排名', en: 'Rank', width: 6, fmt: 'int', value: (r) => r.rank },
  { zh: '干部 ID', en: 'Cadre ID', width: 8, fmt: 'int', value: (r) => r.cadreId },
  { zh: '帮扶责任人', en: 'Responsible cadre', width: 10, value: (r) => r.name },
  { zh: '帮扶单位', en: 'Unit', width: 16, value: (r) => r.parentName },
  ...indicatorColumns(),
];

function subtitle(t: ScorecardTable): string {
  const basis = t.basis === 'given' ? '' : t.basis === 'this_year' ? '（默认：本年至今 default: this year）' : '（默认：最近一次走访所在年度 default: the year of the latest visit）';
  return `区划：${t.area.name}（${t.area.code}）　期间：${t.from} 至 ${t.to}${basis}　计至：${t.asOf}　制表日期：${t.generatedOn}`;
}

function tableSheet(wb: Parameters<Parameters<typeof xlsxBuffer>[0]>[0], name: string, title: string, cols: Column<ScorecardRow>[], t: ScorecardTable, frozenCols: number): void {
  const s = new Sheet(wb, { name, span: cols.length, widths: cols.map((c) => c.width), freezeRows: 4, freezeCols: frozenCols, printTitles: '3:4' });
  s.title(title);
  s.subtitle(subtitle(t));
  s.table(cols, t.rows);
  s.note('综合得分 = Σ 权重 × 指标得分 ÷ Σ 权重（只计可计算的指标，空白的指标不计入并按其余权重折算）；并列同名次（1、2、2、4）。说明见“指标说明”。 Composite = Σ weight × score ÷ Σ weight over the measurable indicators (blank ones are left out and the rest re-weighted); ties share a rank (1, 2, 2, 4). See the sheet 指标说明.');
  s.done();
}

export async function scorecardsWorkbook(b: ScorecardBook): Promise<Buffer> {
  const t = b.township;
  const period = `${t.from} 至 ${t.to}`;
  return xlsxBuffer((wb) => {
    tableSheet(wb, '苏木乡镇', `${t.area.name} 苏木乡镇考核评分 ${period}`, TOWNSHIP_COLS, t, 3);
    tableSheet(wb, '帮扶责任人', `${t.area.name} 帮扶责任人考核评分 ${period}`, CADRE_COLS, b.cadre, 3);
    if (b.county) tableSheet(wb, '旗县', `${t.area.name} 旗县考核评分 ${period}`, COUNTY_COLS, b.county, 3);

    const cols: Column<(typeof INDICATORS)[number]>[] = [
      { zh: '指标', en: 'Indicator', width: 14, value: (i) => `${i.label.zh} ${i.label.en}` },
      { zh: '权重', en: 'Weight', width: 6, fmt: 'int', value: (i) => i.weight },
      { zh: '分子', en: 'Numerator', width: 18, value: (i) => `${i.numerator.zh} / ${i.numerator.en}` },
      { zh: '分母', en: 'Denominator', width: 22, value: (i) => `${i.denominator.zh} / ${i.denominator.en}` },
      { zh: '计分（0–100）', en: 'Scoring (0–100)', width: 30, value: (i) => `${i.scoring.zh} / ${i.scoring.en}` },
      { zh: '说明', en: 'What it measures', width: 70, value: (i) => i.description.zh },
      { zh: 'Description', en: 'in English', width: 70, value: (i) => i.description.en },
    ];
    const s = new Sheet(wb, { name: '指标说明', span: cols.length, widths: cols.map((c) => c.width), freezeRows: 4, freezeCols: 1 });
    s.title('考核指标与权重 Indicators and weights');
    s.subtitle(subtitle(t));
    s.table(cols, INDICATORS);
    s.blank();
    s.section('综合得分 Composite');
    s.note('综合得分 = Σ 权重 × 指标得分 ÷ Σ 可计算指标的权重。分母为 0 的指标（无结对户、无在办案件、无预警、无抽样户）不计入：计 0 分会惩罚无事可做的单位，计 100 分会奖励没有数据。“计入权重”为综合得分所依据的权重之和（全部可计算时为 100）。各指标得分与综合得分保留两位小数（四舍五入），排名按综合得分，同分同名次（1、2、2、4）。');
    s.note('Composite = Σ weight × score ÷ Σ weight of the measurable indicators. An indicator whose denominator is 0 (no paired household, no case open, no alert, no sampled household) is left out: scoring it 0 would punish a unit with nothing to do, 100 would reward missing data. "Weight covered" is the weight the composite stands on (100 when all are measurable). Scores and the composite are rounded to 2 decimals (half up); ranks follow the composite, equal scores share a rank (1, 2, 2, 4).');
    s.note(`走访目标：每户每月 ${t.visitTarget} 次得满分。 Visit target: ${t.visitTarget} visit per household per month scores 100.`);
    s.blank();
    s.section('数据完整率计入的字段 Fields counted for completeness');
    const list = (fs: readonly { label: { zh: string; en: string } }[]) => fs.map((f) => `${f.label.zh}（${f.label.en}）`).join('、');
    s.note(`户 Household：${list([...HOUSEHOLD_FIELDS, RESPONSIBLE_CADRE_FIELD])}`);
    s.note(`成员 Member（每人 each）：${list(MEMBER_FIELDS)}`);
    s.note(`年度记录 Yearly record（期末所在年度 the year the period ends in）：${list([YEAR_RECORD_FIELD, ...YEAR_FIELDS])}`);
    s.blank();
    s.section('数据质量规则 Data-quality rules (domain.md §4)');
    for (const k of DATA_QUALITY_RULES) s.note(`${k}：${ruleLabel(k).zh} / ${ruleLabel(k).en}`);
    s.done();
  });
}
