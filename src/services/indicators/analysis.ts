// On-demand analysis of one area and year with the domain measures (src/domain/measures): FGT,
// Watts, Gini, mean and median per-capita income, income composition and the default
// Alkire–Foster set, in total and by subgroup (child area, ethnicity or sex of the head, main
// cause). Gini and the median are not sums, so unlike the rollups they are computed here from
// the households' yearly records (one query; a county reads ~40k rows, the city ~225k).
// The unit is the household weighted by its size, so every figure counts people.
import { labelOf } from '../../domain/codes.js';
import { ValidationError } from '../../domain/errors.js';
import { fgt, gini, meanIncome, medianIncome, mpi, watts } from '../../domain/measures/index.js';
import { DEFAULT_MPI_K, defaultMpiIndicators, defaultMpiRow } from '../../domain/measures/dimensions.js';
import type { MpiResult } from '../../domain/measures/mpi.js';
import type { ResolvedParam } from '../../domain/policy-types.js';
import { cellsToHide } from '../../domain/measures/small-cells.js';
import { mayDo } from '../../domain/roles.js';
import { getArea } from '../areas.js';
import { require, type Ctx } from '../context.js';
import { childCodeLength, POOR_STATUSES } from '../overview.js';
import { policyLookup } from '../policy.js';
import { countyRange } from './sql.js';
import { areaOf, checkYear, refuseSmallArea } from './input.js';
import { lineArrays } from './rollup.js';

export const ANALYSIS_GROUPINGS = ['child', 'ethnicity', 'sex', 'cause'] as const;
export type AnalysisGrouping = (typeof ANALYSIS_GROUPINGS)[number];

export interface AnalysisInput {
  area?: string;
  year: number;
  by?: AnalysisGrouping;
}

export interface IncomeComposition {
  /** per person: Σ component / Σ household size */
  wage: number;
  production: number;
  property: number;
  transfer: number;
  costs: number;
  /** kept, not counted (education grants, medical reimbursements, housing subsidies) */
  nonCounting: number;
  /** per-capita net income = wage + production + property + transfer − costs */
  net: number;
}

export interface MeasureSet {
  households: number;
  people: number;
  /** people in households whose 脱贫标志 that year is 0 or 3 (the register's own count) */
  registeredPoorPeople: number;
  /** FGT on per-capita income against the year's line; null when the year has no line */
  fgt: { poorPeople: number; p0: number; p1: number; p2: number } | null;
  /** null when no line, or when a poor household's income is ≤ 0 (ln(z/y) undefined) */
  watts: number | null;
  gini: number | null;
  mean: number | null;
  median: number | null;
  composition: IncomeComposition | null;
  /** households whose per-capita income is below 0: counted as 0 in FGT and Gini */
  negativeIncomeHouseholds: number;
  mpi: Omit<MpiResult, 'scores' | 'poor' | 'groups'> | null;
  /** households left out of the MPI because a 两不愁三保障/water answer is unknown */
  mpiExcludedHouseholds: number;
}

export interface AnalysisGroup extends MeasureSet {
  group: string;
  label: { zh: string; en: string };
  /** this group's share of M0 (v_g M0_g / M0), null when M0 is 0 or there is no MPI */
  mpiShare: number | null;
}

export interface Analysis extends MeasureSet {
  area: { code: string; name: string; level: number };
  year: number;
  line: ResolvedParam | null;
  /** why a figure is missing, e.g. the year has no poverty line */
  missing: { zh: string; en: string }[];
  k: number;
  by: AnalysisGrouping | null;
  groups: AnalysisGroup[] | null;
  /** readers of aggregates only: groups left out as small cells (fewer than 5 households, plus one more when only one would be) */
  suppressedGroups: number;
}

interface Row {
  county: string;
  village: string;
  cause: string | null;
  sex: string | null;
  ethnicity: string | null;
  status: string;
  size: number;
  income: number;
  wage: number;
  production: number;
  property: number;
  transfer: number;
  costs: number;
  nonCounting: number;
  food: boolean | null;
  clothing: boolean | null;
  education: boolean | null;
  medical: boolean | null;
  housing: boolean | null;
  water: boolean | null;
}


/** The households' yearly records of an area and year, with what the groupings need. */
export async function analysisRows(ctx: Ctx, area: string, year: number): Promise<Row[]> {
  const [lo, hi] = countyRange(area);
  const rows = await ctx.db.query<Row>(
    `SELECT y.county_code AS county, h.village_code AS village, h.main_cause AS cause, hd.sex, hd.ethnicity, y.status,
            y.household_size::int AS size, y.per_capita_income::float8 AS income,
            y.wage_income::float8 AS wage, y.production_income::float8 AS production,
            y.property_income::float8 AS property, y.transfer_income::float8 AS transfer,
            y.production_costs::float8 AS costs, y.non_counting_income::float8 AS "nonCounting",
            y.food_secure AS food, y.clothing_secure AS clothing, y.education_secure AS education,
            y.medical_secure AS medical, y.housing_secure AS housing, y.water_secure AS water
       FROM household_years y
       JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
       LEFT JOIN LATERAL (SELECT m.sex, m.ethnicity FROM members m
                           WHERE m.county_code = h.county_code AND m.household_id = h.id AND m.relation = '01'
                           ORDER BY m.id LIMIT 1) hd ON true
      WHERE y.year = $1 AND y.county_code >= $2 AND y.county_code < $3 AND h.village_code LIKE $4
      ORDER BY h.village_code, y.household_id`,
    [year, lo, hi, `${area}%`],
  );
  return rows.map((r) => ({ ...r, size: Number(r.size) }));
}

/**
 * Every measure on one set of rows (the whole area or one subgroup). `lines` maps a county to its
 * poverty line that year; rows of a county without one are left out of FGT, Watts and the MPI (as
 * the rollups leave them out). When the counties' lines differ, each income is divided by its own
 * line and the line becomes 1: the gaps (z − y)/z, ln(z/y) and "y < z" are unchanged by that.
 */
export function measureRows(rows: readonly Row[], lines: ReadonlyMap<string, number>): MeasureSet {
  const people = rows.reduce((s, r) => s + r.size, 0);
  const weights = rows.map((r) => r.size);
  const clipped = rows.map((r) => Math.max(0, r.income));
  const registeredPoorPeople = rows.reduce((s, r) => s + ((POOR_STATUSES as readonly string[]).includes(r.status) ? r.size : 0), 0);
  const out: MeasureSet = {
    households: rows.length, people, registeredPoorPeople, fgt: null, watts: null, gini: null, mean: null, median: null, composition: null,
    negativeIncomeHouseholds: rows.filter((r) => r.income < 0).length, mpi: null, mpiExcludedHouseholds: 0,
  };
  if (people === 0) return out;
  out.mean = meanIncome({ incomes: rows.map((r) => r.income), weights });
  out.median = medianIncome({ incomes: rows.map((r) => r.income), weights });
  if (clipped.some((y, i) => y > 0 && weights[i]! > 0)) out.gini = gini({ incomes: clipped, weights });
  const sum = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0) / people;
  const c = { wage: sum((r) => r.wage), production: sum((r) => r.production), property: sum((r) => r.property), transfer: sum((r) => r.transfer), costs: sum((r) => r.costs), nonCounting: sum((r) => r.nonCounting) };
  out.composition = { ...c, net: c.wage + c.production + c.property + c.transfer - c.costs };
  const lined = rows.filter((r) => lines.has(r.county) && r.size > 0);
  if (!lined.length) return out;
  const distinct = new Set(lined.map((r) => lines.get(r.county)!));
  const one = distinct.size === 1 ? [...distinct][0]! : null;
  const income = (r: Row) => (one === null ? r.income / lines.get(r.county)! : r.income);
  const line = one ?? 1;
  const w = lined.map((r) => r.size);
  const ys = lined.map(income);
  const f = fgt({ incomes: ys, weights: w, line, negativeIncomes: 'asZero' });
  out.fgt = { poorPeople: f.poor, p0: f.p0, p1: f.p1, p2: f.p2 };
  // every income ≥ line > 0 outside the poor, so this is "every income > 0"
  if (ys.every((y) => y >= line || y > 0)) out.watts = watts({ incomes: ys, weights: w, line });
  const mpiRows: number[][] = [];
  const mpiWeights: number[] = [];
  for (const r of lined) {
    const x = defaultMpiRow({ ...r, income: income(r) });
    if (x) {
      mpiRows.push(x);
      mpiWeights.push(r.size);
    } else out.mpiExcludedHouseholds++;
  }
  out.mpiExcludedHouseholds += rows.length - lined.length;
  if (mpiWeights.some((x) => x > 0)) {
    const m = mpi({ indicators: defaultMpiIndicators(line), rows: mpiRows, weights: mpiWeights, k: DEFAULT_MPI_K });
    const { scores: _s, poor: _p, groups: _g, ...rest } = m;
    out.mpi = rest;
  }
  return out;
}

function groupOf(r: Row, by: AnalysisGrouping, childLen: number): string {
  if (by === 'child') return r.village.slice(0, childLen);
  if (by === 'sex') return r.sex ?? '';
  if (by === 'ethnicity') return r.ethnicity === '01' || r.ethnicity === '02' ? r.ethnicity : r.ethnicity ? 'other' : '';
  return r.cause ?? '';
}

export async function analyseArea(ctx: Ctx, input: AnalysisInput): Promise<Analysis> {
  require(ctx, 'aggregates.read');
  const code = areaOf(ctx, input.area);
  checkYear(input.year);
  if (input.by !== undefined && !(ANALYSIS_GROUPINGS as readonly string[]).includes(input.by)) {
    throw new ValidationError([{ field: 'by', value: input.by, zh: `分组只能是 ${ANALYSIS_GROUPINGS.join('、')}，收到 ${input.by}`, en: `by must be one of ${ANALYSIS_GROUPINGS.join(', ')}; got ${input.by}` }]);
  }
  const area = await getArea(ctx, code);
  const rows = await analysisRows(ctx, code, input.year);
  const aggregatesOnly = !mayDo(ctx.actor.role, 'register.read');
  refuseSmallArea(ctx, area, code, input.year, rows.length);
  // each county's own line that year (a county may set its own; the most specific region wins)
  const counties = [...new Set(rows.map((r) => r.county))];
  const lineRows = counties.length ? await lineArrays(ctx.db, counties) : [[], [], []];
  const lines = new Map<string, number>();
  lineRows[1].forEach((y, i) => {
    if (y === input.year && lineRows[2][i] !== null) lines.set(lineRows[0][i]!, lineRows[2][i]!);
  });
  const values = new Set(lines.values());
  const lineParam = values.size === 1 && lines.size === counties.length
    ? (await policyLookup(ctx.db, input.year, [...lines.keys()][0]!))('poverty_line') ?? null
    : counties.length === 0 ? (await policyLookup(ctx.db, input.year, code.length >= 6 ? code.slice(0, 6) : code))('poverty_line') ?? null : null;
  const missing: Analysis['missing'] = [];
  if (lines.size === 0 && (counties.length > 0 || lineParam?.value == null)) {
    missing.push({
      zh: `${input.year} 年没有贫困线（poverty_line 未设置或未知）：FGT、Watts 和多维贫困指数无法计算；请用 \`jingzhun policy set\` 设置`,
      en: `There is no poverty line for ${input.year} (poverty_line unset or unknown): FGT, Watts and the MPI cannot be computed; set it with \`jingzhun policy set\``,
    });
  } else if (values.size > 1 || lines.size < counties.length) {
    missing.push({
      zh: `下属旗县的贫困线不同（或有旗县未设）：每户按本旗县的贫困线计算 FGT 和多维贫困，未设贫困线的旗县不计入`,
      en: 'The counties below use different poverty lines (or some have none): each household is measured against its own county’s line, and counties without one are left out',
    });
  }
  const total = measureRows(rows, lines);
  if (lines.size > 0 && total.fgt && total.watts === null && total.fgt.poorPeople > 0) {
    missing.push({ zh: 'Watts 指数无定义：有贫困户人均纯收入 ≤ 0（ln(z/y) 无意义）', en: 'The Watts index is undefined: a poor household has a per-capita income ≤ 0 (ln(z/y) has no value)' });
  }
  let groups: AnalysisGroup[] | null = null;
  let suppressedGroups = 0;
  if (input.by) {
    const by = input.by;
    const childLen = childCodeLength(code);
    const byGroup = new Map<string, Row[]>();
    for (const r of rows) {
      const g = groupOf(r, by, childLen);
      const list = byGroup.get(g) ?? [];
      list.push(r);
      byGroup.set(g, list);
    }
    const labels = await groupLabels(ctx, by, [...byGroup.keys()]);
    let entries = [...byGroup.entries()].sort(([a], [b]) => a.localeCompare(b));
    if (aggregatesOnly) {
      const hide = cellsToHide(entries.map(([, list]) => list.length));
      suppressedGroups = hide.size;
      entries = entries.filter((_, i) => !hide.has(i));
    }
    groups = entries.map(([g, list]) => {
      const m = measureRows(list, lines);
      const M0 = total.mpi?.M0 ?? 0;
      const mpiPeople = total.mpi?.population ?? 0;
      const share = m.mpi && M0 > 0 && mpiPeople > 0 ? (m.mpi.population / mpiPeople) * m.mpi.M0 / M0 : null;
      return { group: g, label: labels.get(g) ?? { zh: g || '未填', en: g || 'not recorded' }, mpiShare: share, ...m };
    });
  }
  return {
    area: { code: area.code, name: area.name, level: area.level }, year: input.year, line: lineParam, missing, k: DEFAULT_MPI_K,
    by: input.by ?? null, groups, suppressedGroups, ...total,
  };
}

async function groupLabels(ctx: Ctx, by: AnalysisGrouping, keys: string[]): Promise<Map<string, { zh: string; en: string }>> {
  const out = new Map<string, { zh: string; en: string }>();
  if (by === 'child') {
    const rows = await ctx.db.query<{ code: string; name: string }>('SELECT code, name FROM areas WHERE code = ANY($1::text[])', [keys]);
    for (const r of rows) out.set(r.code, { zh: r.name, en: r.name });
    return out;
  }
  const list = by === 'sex' ? 'sex' : by === 'ethnicity' ? 'ethnicity' : 'cause';
  for (const k of keys) {
    if (k === 'other') out.set(k, { zh: '其他民族', en: 'other ethnic groups' });
    else if (k) out.set(k, { zh: labelOf(list, k, 'zh'), en: labelOf(list, k, 'en') });
  }
  return out;
}
