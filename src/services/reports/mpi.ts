// 年度多维贫困报告: the Alkire–Foster measures of an area and year with the default dimension set
// (两不愁三保障, water, income; src/domain/measures/dimensions.ts) as the indicators service computes
// them (services/indicators/analysis.ts `analyseArea`): H, A, M0, each indicator's uncensored and
// censored headcount ratio, its contribution and share of M0, the same summed by dimension, and
// subgroup breakdowns by child area, ethnicity and sex of the household head, and main cause.
// Aggregates only. exceljs cannot draw charts, so the workbook gives the contributions as a table;
// the printable web page draws them.
import { DEFAULT_DIMENSIONS, DIMENSION_LABELS, type DefaultIndicator } from '../../domain/measures/dimensions.js';
import type { ResolvedParam, Text } from '../../domain/policy-types.js';
import { require, type Ctx } from '../context.js';
import { analyseArea, type Analysis, type AnalysisGrouping } from '../indicators/analysis.js';
import { xlsxBuffer } from '../imports/export.js';
import { codeIssue, pathName, reportArea, reportDay, throwIfAny, yearIssue, type ReportArea } from './common.js';
import { Sheet, type Cell, type Column } from './sheet.js';

export interface MpiIndicatorRow {
  key: string;
  label: Text;
  dimension: Text;
  weight: number;
  /** h_j: share of people deprived in the indicator */
  uncensored: number;
  /** h_j(k): share of people multidimensionally poor and deprived in it */
  censored: number;
  /** w_j h_j(k); these add up to M0 */
  contribution: number;
  /** w_j h_j(k) / M0; null when M0 is 0 */
  share: number | null;
}

export interface MpiDimensionRow {
  key: DefaultIndicator['dimension'];
  label: Text;
  weight: number;
  contribution: number;
  share: number | null;
}

export interface MpiGroupRow {
  group: string;
  label: Text;
  households: number;
  people: number;
  /** people the MPI covers in the group ÷ those of the area (v_g) */
  populationShare: number | null;
  H: number | null;
  A: number | null;
  M0: number | null;
  /** v_g M0_g */
  contribution: number | null;
  /** v_g M0_g ÷ M0 */
  share: number | null;
  /** households left out of the group's MPI for an unknown answer */
  excludedHouseholds: number;
}

export interface MpiBreakdown {
  by: AnalysisGrouping;
  label: Text;
  groups: MpiGroupRow[];
}

export interface MpiReport {
  kind: 'mpi';
  generatedOn: string;
  area: ReportArea;
  year: number;
  line: ResolvedParam | null;
  k: number;
  /** why figures are missing (no poverty line that year, …) */
  missing: Text[];
  households: number;
  people: number;
  registeredPoorPeople: number;
  /** households left out of the MPI because an answer is unknown */
  excludedHouseholds: number;
  /** null without a poverty line or without complete records */
  mpi: { H: number; A: number; M0: number; population: number; households: number } | null;
  indicators: MpiIndicatorRow[];
  dimensions: MpiDimensionRow[];
  income: { p0: number | null; p1: number | null; p2: number | null; gini: number | null; mean: number | null; median: number | null };
  breakdowns: MpiBreakdown[];
}

const BREAKDOWNS: { by: AnalysisGrouping; label: Text }[] = [
  { by: 'child', label: { zh: '按下级区划', en: 'By child area' } },
  { by: 'ethnicity', label: { zh: '按户主民族', en: 'By ethnicity of the head' } },
  { by: 'sex', label: { zh: '按户主性别', en: 'By sex of the head' } },
  { by: 'cause', label: { zh: '按主要致贫原因', en: 'By main cause of poverty' } },
];

const WHAT: Text = { zh: '区划（市、旗县、苏木乡镇或嘎查村）', en: 'an area (city, county, township or village)' };

function indicatorRows(a: Analysis): MpiIndicatorRow[] {
  if (!a.mpi) return [];
  return a.mpi.indicators.map((i) => {
    const d = DEFAULT_DIMENSIONS.find((x) => x.key === i.name);
    return {
      key: i.name,
      label: d?.label ?? { zh: i.name, en: i.name },
      dimension: d ? DIMENSION_LABELS[d.dimension] : { zh: '', en: '' },
      weight: i.weight,
      uncensored: i.uncensored,
      censored: i.censored,
      contribution: i.contribution,
      share: i.share,
    };
  });
}

function dimensionRows(a: Analysis): MpiDimensionRow[] {
  if (!a.mpi) return [];
  const M0 = a.mpi.M0;
  const keys = [...new Set(DEFAULT_DIMENSIONS.map((d) => d.dimension))];
  return keys.map((key) => {
    const inds = a.mpi!.indicators.filter((i) => DEFAULT_DIMENSIONS.find((d) => d.key === i.name)?.dimension === key);
    const contribution = inds.reduce((s, i) => s + i.contribution, 0);
    return { key, label: DIMENSION_LABELS[key], weight: inds.reduce((s, i) => s + i.weight, 0), contribution, share: M0 > 0 ? contribution / M0 : null };
  });
}

function groupRows(a: Analysis, total: Analysis): MpiGroupRow[] {
  const P = total.mpi?.population ?? 0;
  return (a.groups ?? []).map((g) => {
    const v = g.mpi && P > 0 ? g.mpi.population / P : null;
    return {
      group: g.group,
      label: g.label,
      households: g.households,
      people: g.people,
      populationShare: v,
      H: g.mpi?.H ?? null,
      A: g.mpi?.A ?? null,
      M0: g.mpi?.M0 ?? null,
      contribution: v !== null && g.mpi ? v * g.mpi.M0 : null,
      share: g.mpiShare,
      excludedHouseholds: g.mpiExcludedHouseholds,
    };
  });
}

export async function mpiReport(ctx: Ctx, input: { area: unknown; year: unknown }): Promise<MpiReport> {
  require(ctx, 'aggregates.read');
  throwIfAny([codeIssue(input.area, [1, 2, 3, 4, 5], WHAT), yearIssue(input.year)]);
  const area = await reportArea(ctx, input.area as string, [1, 2, 3, 4, 5], WHAT);
  const year = input.year as number;
  // One analysis per breakdown: each carries the area's totals too, so the first gives them.
  const analyses: Analysis[] = [];
  for (const b of BREAKDOWNS) analyses.push(await analyseArea(ctx, { area: area.code, year, by: b.by }));
  const total = analyses[0]!;
  return {
    kind: 'mpi',
    generatedOn: reportDay(),
    area,
    year,
    line: total.line ? { ...total.line } : null,
    k: total.k,
    missing: total.missing,
    households: total.households,
    people: total.people,
    registeredPoorPeople: total.registeredPoorPeople,
    excludedHouseholds: total.mpiExcludedHouseholds,
    mpi: total.mpi ? { H: total.mpi.H, A: total.mpi.A, M0: total.mpi.M0, population: total.mpi.population, households: total.mpi.n } : null,
    indicators: indicatorRows(total),
    dimensions: dimensionRows(total),
    income: {
      p0: total.fgt?.p0 ?? null, p1: total.fgt?.p1 ?? null, p2: total.fgt?.p2 ?? null,
      gini: total.gini, mean: total.mean, median: total.median,
    },
    // The child-area breakdown of a village is the village itself: left out.
    breakdowns: BREAKDOWNS.map((b, i) => ({ ...b, groups: groupRows(analyses[i]!, total) })).filter((b) => !(b.by === 'child' && area.level === 5)),
  };
}

// --- workbook ---------------------------------------------------------------------------------

const INDICATOR_COLS: Column<MpiIndicatorRow>[] = [
  { zh: '维度', en: 'Dimension', width: 12, value: (i) => i.dimension.zh },
  { zh: '指标（达标标准）', en: 'Indicator (met when)', width: 26, value: (i) => i.label.zh },
  { zh: '权重', en: 'Weight', width: 9, fmt: 'dec', value: (i) => i.weight },
  { zh: '未删减发生率', en: 'Uncensored headcount', width: 12, fmt: 'pct', value: (i) => i.uncensored },
  { zh: '删减后发生率', en: 'Censored headcount', width: 12, fmt: 'pct', value: (i) => i.censored },
  { zh: '贡献（w·h(k)）', en: 'Contribution', width: 12, fmt: 'dec', value: (i) => i.contribution },
  { zh: '贡献率', en: 'Share of M0', width: 10, fmt: 'pct', value: (i) => i.share },
];

const DIMENSION_COLS: Column<MpiDimensionRow>[] = [
  { zh: '维度', en: 'Dimension', width: 12, value: (d) => d.label.zh },
  { zh: '', en: '', width: 26, value: () => null },
  { zh: '权重', en: 'Weight', width: 9, fmt: 'dec', value: (d) => d.weight },
  { zh: '', en: '', width: 12, value: () => null },
  { zh: '', en: '', width: 12, value: () => null },
  { zh: '贡献', en: 'Contribution', width: 12, fmt: 'dec', value: (d) => d.contribution },
  { zh: '贡献率', en: 'Share of M0', width: 10, fmt: 'pct', value: (d) => d.share },
];

const GROUP_COLS: Column<MpiGroupRow>[] = [
  { zh: '分组', en: 'Group', width: 18, value: (g) => g.label.zh },
  { zh: '户数', en: 'Households', width: 9, fmt: 'int', value: (g) => g.households },
  { zh: '人数', en: 'People', width: 9, fmt: 'int', value: (g) => g.people },
  { zh: '人口占比', en: 'Population share', width: 10, fmt: 'pct', value: (g) => g.populationShare },
  { zh: '多维贫困发生率 H', en: 'Headcount H', width: 12, fmt: 'pct', value: (g) => g.H },
  { zh: '平均剥夺份额 A', en: 'Intensity A', width: 12, fmt: 'pct', value: (g) => g.A },
  { zh: '多维贫困指数 M0', en: 'MPI M0', width: 12, fmt: 'dec', value: (g) => g.M0 },
  { zh: '贡献（v·M0）', en: 'Contribution', width: 12, fmt: 'dec', value: (g) => g.contribution },
  { zh: '贡献率', en: 'Share of M0', width: 10, fmt: 'pct', value: (g) => g.share },
  { zh: '未纳入户数', en: 'Households left out', width: 10, fmt: 'int', value: (g) => g.excludedHouseholds },
];

const CHART_NOTE = 'Excel 工作簿中无法绘制图表（exceljs 不支持图表），上表即贡献率图的数据；图见网页打印版。 exceljs cannot draw charts: the table above is the data of the contributions chart, which the printable web page draws.';

export async function mpiWorkbook(r: MpiReport): Promise<Buffer> {
  const sub = `区划：${pathName(r.area, 2)}（${r.area.code}）　年度：${r.year}　贫困线：${r.line?.value ?? '未知'} 元/人·年　k = ${(r.k * 100).toFixed(2)}%　制表日期：${r.generatedOn}`;
  return xlsxBuffer((wb) => {
    const s = new Sheet(wb, { name: '总体', span: INDICATOR_COLS.length, widths: INDICATOR_COLS.map((c) => c.width), freezeRows: 2 });
    s.title(`${r.area.name} ${r.year} 年度多维贫困报告`);
    s.subtitle(sub);
    for (const m of r.missing) s.note(`缺少数据：${m.zh} / Missing: ${m.en}`);
    s.section('总体指标 Headline');
    s.pairs([
      ['多维贫困发生率 H', r.mpi?.H ?? null, 'pct'], ['平均剥夺份额 A', r.mpi?.A ?? null, 'pct'], ['多维贫困指数 M0 = H × A', r.mpi?.M0 ?? null, 'dec'],
      ['有年度记录户数', r.households, 'int'], ['人数', r.people, 'int'], ['登记贫困人口（未脱贫+返贫）', r.registeredPoorPeople, 'int'],
      ['纳入计算人数', r.mpi?.population ?? null, 'int'], ['因指标未知未纳入户数', r.excludedHouseholds, 'int'], ['贫困临界值 k', r.k, 'pct'],
      ['收入贫困发生率 P0', r.income.p0, 'pct'], ['贫困距 P1', r.income.p1, 'dec'], ['基尼系数', r.income.gini, 'dec'],
      ['人均纯收入均值（元）', r.income.mean, 'money'], ['人均纯收入中位数（元）', r.income.median, 'money'],
    ], 3);
    s.blank();
    s.section('各指标剥夺与贡献 Indicators');
    const sum = (f: (i: MpiIndicatorRow) => number | null) => r.indicators.reduce((n, i) => n + (f(i) ?? 0), 0);
    const totals: Cell[] = ['合计', null, sum((i) => i.weight), null, null, sum((i) => i.contribution), r.mpi && r.mpi.M0 > 0 ? sum((i) => i.share) : null];
    s.table(INDICATOR_COLS, r.indicators, r.indicators.length ? totals : null);
    s.note(CHART_NOTE);
    s.blank();
    s.section('各维度贡献 Dimensions');
    s.table(DIMENSION_COLS, r.dimensions);
    s.note('维度权重相等（各 1/4），维度内各指标平分；户按家庭人口加权；有任一指标未知的户不纳入。 Dimensions weigh 1/4 each, split equally among their indicators; households count with their size; a household with any unknown answer is left out.');
    s.done();

    for (const b of r.breakdowns) {
      const g = new Sheet(wb, { name: b.label.zh, span: GROUP_COLS.length, widths: GROUP_COLS.map((c) => c.width), freezeRows: 4, freezeCols: 1, printTitles: '3:4' });
      g.title(`${r.area.name} ${r.year} 年度多维贫困：${b.label.zh}`);
      g.subtitle(sub);
      const add = (f: (x: MpiGroupRow) => number | null) => b.groups.reduce((n, x) => n + (f(x) ?? 0), 0);
      g.table(GROUP_COLS, b.groups, [
        '合计', r.households, r.people, r.mpi ? add((x) => x.populationShare) : null, r.mpi?.H ?? null, r.mpi?.A ?? null, r.mpi?.M0 ?? null,
        r.mpi ? add((x) => x.contribution) : null, r.mpi && r.mpi.M0 > 0 ? add((x) => x.share) : null, r.excludedHouseholds,
      ]);
      g.note('各组贡献（人口占比 × 组内 M0）之和等于总体 M0。 The groups’ contributions (population share × group M0) add up to the area’s M0.');
      g.done();
    }
  });
}
