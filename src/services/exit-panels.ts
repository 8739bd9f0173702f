// Village and county exit panels (贫困村出列, 贫困县摘帽) and the county assessment (专项评估检查),
// computed from the register for one area and year. Aggregates only — no personal data — so every
// role with 'aggregates.read' may read them inside its area; outside it an area is NotFound.
//
// Numerator: remaining poor people of that year, the overview's definition (household_years of the
// year with 脱贫标志 未脱贫 or 返贫, people = household_size), so the numbers agree with the overview.
// Denominator: area_populations (rural people) of the area and year. The verdicts come from the pure
// rules in domain/evaluate/area.ts (exact integer comparison, inclusive bars) with the policy values
// in force for that year and area. The county assessment evaluates survey counts given in the
// request; nothing is stored (survey capture comes with issue 8).
import type { Sql } from '../db/client.js';
import { NotFound, ValidationError, type FieldIssue } from '../domain/errors.js';
import { count, countyAssessment, countyExit, villageExit, type AreaEvaluation, type Status } from '../domain/evaluate.js';
import type { ParamLookup, PolicyKey, ResolvedParam, Text } from '../domain/policy-types.js';
import { getArea } from './areas.js';
import { inScope, require, type Ctx } from './context.js';
import { POOR_STATUSES } from './overview.js';
import { policyLookup } from './policy.js';
import { closedResultsOf, type PlanResults } from './assessment/results.js';

export const MIN_PANEL_YEAR = 2000;
export const MAX_PANEL_YEAR = 2100;

const AREA = { zh: '区划', en: 'area' };
const LEVEL_NAMES: Record<number, Text> = {
  1: { zh: '省级区划', en: 'a province' },
  2: { zh: '市级区划', en: 'a city' },
  3: { zh: '旗县', en: 'a county' },
  4: { zh: '苏木乡镇', en: 'a township' },
  5: { zh: '嘎查村', en: 'a village' },
};

export interface PanelArea {
  code: string;
  name: string;
  level: number;
  path: { code: string; name: string }[];
}

/** The register's counts for an area and year, and its rural population. */
export interface PanelCounts {
  /** Households with a yearly record for the year, and their people (household_size). */
  households: number;
  people: number;
  /** Remaining poor: 未脱贫 (0) plus 返贫 (3) that year — as on the overview. */
  poorHouseholds: number;
  poorPeople: number;
  /** Rural population of the area that year (area_populations); null when none is loaded. */
  ruralPeople: number | null;
  ruralHouseholds: number | null;
  /** true when the population is the demo's synthesised figure; null without a population. */
  populationSynthetic: boolean | null;
}

export interface ExitPanel {
  kind: 'village' | 'county';
  area: PanelArea;
  year: number;
  counts: PanelCounts;
  verdict: Status;
  reason: Text;
  /** What is missing or inconsistent in the data and how to fix it; null when nothing is. */
  missing: Text | null;
  /** The incidence bar; when `missing` is set its verdict is unknown and its reason says why. */
  evaluation: AreaEvaluation;
  /** The incidence bar parameter in force for the area and year (also when the population is missing). */
  threshold: ResolvedParam | null;
}

export interface VillageExitRow {
  code: string;
  name: string;
  townshipCode: string | null;
  townshipName: string | null;
  households: number;
  people: number;
  poorHouseholds: number;
  poorPeople: number;
  ruralPeople: number | null;
  /** Incidence in %, rounded half up to 2 decimals for display; null without a usable population. */
  percent: number | null;
  /** The most poor people the bar allows at this population; null when it cannot be computed. */
  limitCount: number | null;
  verdict: Status;
  reason: Text;
  missing: Text | null;
}

export interface ExitSummary {
  villages: number;
  pass: number;
  fail: number;
  unknown: number;
}

export interface VillageExitList {
  area: PanelArea;
  year: number;
  /** `village_exit_incidence_max_pct` in force for the county of the area and the year. */
  threshold: ResolvedParam | null;
  summary: ExitSummary;
  /** Villages with yearly records in the year, worst first: failing (most over the bar first), unknown, passing. */
  items: VillageExitRow[];
  /** Set when the county has no yearly records at all for the year (nothing to list). */
  missing: Text | null;
}

export interface CountyExitPanel extends ExitPanel {
  villages: { summary: ExitSummary; items: VillageExitRow[] };
  /**
   * The latest closed third-party evaluation of the county and year (issue 8): 错退率, 漏评率,
   * 群众认可度 and 综合贫困发生率 with their verdicts; null when none is closed. `exitVerdict`
   * combines it with the incidence bar: every bar must pass, and without an evaluation it is unknown.
   */
  assessment: (PlanResults & { planName: string; closedAt: string }) | null;
  exitVerdict: Status;
  exitReason: Text;
}

// --- input checks -----------------------------------------------------------------------------

function yearIssue(year: unknown): FieldIssue | null {
  if (typeof year === 'number' && Number.isInteger(year) && year >= MIN_PANEL_YEAR && year <= MAX_PANEL_YEAR) return null;
  return {
    field: 'year',
    value: String(year),
    zh: `年度应为 ${MIN_PANEL_YEAR}–${MAX_PANEL_YEAR} 的整数，收到 ${String(year)}`,
    en: `year must be a whole number ${MIN_PANEL_YEAR}–${MAX_PANEL_YEAR}, got ${String(year)}`,
  };
}

function codeIssue(field: string, code: unknown, length: readonly number[], what: Text): FieldIssue | null {
  if (typeof code === 'string' && /^\d+$/.test(code) && length.includes(code.length)) return null;
  const digits = length.join(' / ');
  return {
    field,
    value: String(code),
    zh: `${field} 应为${what.zh}的 ${digits} 位区划代码，收到 ${String(code)}`,
    en: `${field} must be the ${digits}-digit code of ${what.en}, got ${String(code)}`,
  };
}

/** Scope first (outside → NotFound, never a hint), then existence, then the level asked for. */
async function areaAt(ctx: Ctx, code: string, levels: readonly number[], what: Text, hint: Text, field = 'area'): Promise<PanelArea> {
  if (!inScope(ctx.actor, code)) throw new NotFound(AREA);
  const a = await getArea(ctx, code);
  if (!levels.includes(a.level)) {
    const is = LEVEL_NAMES[a.level] ?? { zh: `第 ${a.level} 级区划`, en: `a level-${a.level} area` };
    throw new ValidationError([
      { field, value: code, zh: `${a.name}（${code}）是${is.zh}，不是${what.zh}；${hint.zh}`, en: `${a.name} (${code}) is ${is.en}, not ${what.en}; ${hint.en}` },
    ]);
  }
  return { code: a.code, name: a.name, level: a.level, path: a.path };
}

// --- register queries -------------------------------------------------------------------------

interface VillageCounts {
  code: string;
  households: number;
  people: number;
  poorHouseholds: number;
  poorPeople: number;
}

const POOR_SQL = POOR_STATUSES.map((s) => `'${s}'`).join(', ');

/** That year's records per village under `area` (a county, township or village): all households and the remaining poor. */
async function villageCounts(db: Pick<Sql, 'query'>, area: string, year: number): Promise<VillageCounts[]> {
  const rows = await db.query<Record<keyof VillageCounts, string | number>>(
    `SELECT h.village_code AS code, count(*)::int AS households, coalesce(sum(y.household_size), 0)::int AS people,
            (count(*) FILTER (WHERE y.status IN (${POOR_SQL})))::int AS "poorHouseholds",
            coalesce(sum(y.household_size) FILTER (WHERE y.status IN (${POOR_SQL})), 0)::int AS "poorPeople"
       FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
      WHERE y.year = $1 AND y.county_code = $2 AND h.village_code LIKE $3
      GROUP BY h.village_code`,
    [year, area.slice(0, 6), `${area}%`],
  );
  // Counts are numbers on both engines (int casts), normalised here all the same.
  return rows.map((r) => ({ code: String(r.code), households: Number(r.households), people: Number(r.people), poorHouseholds: Number(r.poorHouseholds), poorPeople: Number(r.poorPeople) }));
}

async function countyHasRecords(db: Pick<Sql, 'query'>, county: string, year: number): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM household_years WHERE county_code = $1 AND year = $2 LIMIT 1', [county, year]);
  return rows.length > 0;
}

interface Population {
  ruralPeople: number;
  ruralHouseholds: number;
  synthetic: boolean;
}

async function populationsOf(db: Pick<Sql, 'query'>, codes: string[], year: number): Promise<Map<string, Population>> {
  if (!codes.length) return new Map();
  const rows = await db.query<{ code: string; ruralPeople: number | string; ruralHouseholds: number | string; synthetic: boolean }>(
    `SELECT area_code AS code, rural_people AS "ruralPeople", rural_households AS "ruralHouseholds", synthetic
       FROM area_populations WHERE year = $1 AND area_code = ANY($2::text[])`,
    [year, codes],
  );
  return new Map(rows.map((r) => [r.code, { ruralPeople: Number(r.ruralPeople), ruralHouseholds: Number(r.ruralHouseholds), synthetic: r.synthetic }]));
}

// --- deciding with what is missing said ---------------------------------------------------------

function noRecordsText(county: PanelArea | { code: string; name: string }, year: number): Text {
  return {
    zh: `${county.name}（${county.code}）没有 ${year} 年度的农户年度记录，无法统计贫困人口；请先导入该年度的农户数据（\`jingzhun import households\` 或“数据导入”页面），或选择其他年度`,
    en: `${county.name} (${county.code}) has no yearly household records for ${year}, so its poor people cannot be counted; import that year's records first (\`jingzhun import households\` or the Import page), or choose another year`,
  };
}

function missingPopulationText(area: { code: string; name: string }, year: number): Text {
  return {
    zh: `缺少${area.name}（${area.code}）${year} 年的农村人口（贫困发生率的分母），无法判断；请用 \`jingzhun populations --file 文件.csv\` 导入（列：area_code,year,rural_people,rural_households）`,
    en: `The rural population of ${area.name} (${area.code}) for ${year} (the incidence denominator) is missing, so this cannot be decided; load it with \`jingzhun populations --file file.csv\` (columns area_code,year,rural_people,rural_households)`,
  };
}

function inconsistentText(area: { code: string; name: string }, year: number, poor: number, rural: number): Text {
  return {
    zh: `${area.name}（${area.code}）${year} 年登记的贫困人口 ${count(poor)} 人多于农村人口 ${count(rural)} 人，数据有误，无法判断；请核对农村人口（用 \`jingzhun populations --file\` 重新导入）或该年度的农户年度记录`,
    en: `${area.name} (${area.code}) has ${count(poor)} registered poor people in ${year} but a rural population of only ${count(rural)}; the data are inconsistent, so this cannot be decided — check the population (reload it with \`jingzhun populations --file\`) or that year's household records`,
  };
}

/** Why the incidence cannot be computed from the data, or null when it can. */
function dataProblem(area: { code: string; name: string }, county: { code: string; name: string }, year: number, hasRecords: boolean, poor: number, rural: number | null): Text | null {
  if (!hasRecords) return noRecordsText(county, year);
  if (rural === null) return missingPopulationText(area, year);
  if (poor > rural) return inconsistentText(area, year, poor, rural);
  return null;
}

/**
 * The domain's evaluation when the data allow it; otherwise the same rule on 0/0 (unknown, with
 * the parameter it would use) with the real counts and the data problem as the bar's reason.
 */
function incidence(
  rule: (input: { poorPeople: number; ruralPeople: number; year?: number }, lookup: ParamLookup) => AreaEvaluation,
  poor: number,
  rural: number | null,
  problem: Text | null,
  lookup: ParamLookup,
  year: number,
): AreaEvaluation {
  if (!problem) return rule({ poorPeople: poor, ruralPeople: rural!, year }, lookup);
  const e = rule({ poorPeople: 0, ruralPeople: 0, year }, lookup);
  return { ...e, bars: e.bars.map((b, i) => (i === 0 ? withProblem(b, poor, rural, problem) : b)) };
}

function withProblem<B extends AreaEvaluation['bars'][number]>(b: B, poor: number, rural: number | null, problem: Text): B {
  const paramUsable = typeof b.bar?.value === 'number';
  // When the parameter is missing too, both are said.
  const reason = paramUsable ? problem : { zh: `${problem.zh}；${b.reason.zh}`, en: `${problem.en}; ${b.reason.en}` };
  return { ...b, numerator: poor, denominator: rural ?? 0, percent: null, limitCount: null, verdict: 'unknown', reason };
}

function panelCounts(rows: VillageCounts[], pop: Population | undefined): PanelCounts {
  const sum = (k: keyof Omit<VillageCounts, 'code'>) => rows.reduce((n, r) => n + r[k], 0);
  return {
    households: sum('households'),
    people: sum('people'),
    poorHouseholds: sum('poorHouseholds'),
    poorPeople: sum('poorPeople'),
    ruralPeople: pop ? pop.ruralPeople : null,
    ruralHouseholds: pop ? pop.ruralHouseholds : null,
    populationSynthetic: pop ? pop.synthetic : null,
  };
}

const RANK: Record<Status, number> = { fail: 0, unknown: 1, pass: 2 };

/** Fail first (highest incidence first), then unknown, then pass (highest first); exact comparison by cross-multiplication. */
function worstFirst(a: VillageExitRow, b: VillageExitRow): number {
  if (a.verdict !== b.verdict) return RANK[a.verdict] - RANK[b.verdict];
  const ra = a.ruralPeople && a.ruralPeople >= a.poorPeople ? a.ruralPeople : null;
  const rb = b.ruralPeople && b.ruralPeople >= b.poorPeople ? b.ruralPeople : null;
  if (ra !== null && rb !== null) {
    const c = b.poorPeople * ra - a.poorPeople * rb;
    if (c !== 0) return c;
  } else if (ra !== null || rb !== null) return ra === null ? 1 : -1;
  return b.poorPeople - a.poorPeople || a.code.localeCompare(b.code);
}

function summarise(items: VillageExitRow[]): ExitSummary {
  return {
    villages: items.length,
    pass: items.filter((i) => i.verdict === 'pass').length,
    fail: items.filter((i) => i.verdict === 'fail').length,
    unknown: items.filter((i) => i.verdict === 'unknown').length,
  };
}

async function countyOf(ctx: Ctx, area: PanelArea): Promise<{ code: string; name: string }> {
  const code = area.code.slice(0, 6);
  const fromPath = area.path.find((p) => p.code === code);
  if (fromPath) return fromPath;
  const [row] = await ctx.db.query<{ name: string }>('SELECT name FROM areas WHERE code = $1', [code]);
  return { code, name: row?.name ?? code };
}

/** The rows of every village with records in the year under a county or township. */
async function villageRows(ctx: Ctx, area: PanelArea, year: number, lookup: ParamLookup, county: { code: string; name: string }, hasRecords: boolean): Promise<VillageExitRow[]> {
  if (!hasRecords) return [];
  const counts = await villageCounts(ctx.db, area.code, year);
  if (!counts.length) return [];
  const codes = counts.map((c) => c.code);
  const [names, pops] = [
    await ctx.db.query<{ code: string; name: string; townshipCode: string | null; townshipName: string | null }>(
      `SELECT a.code, a.name, a.parent_code AS "townshipCode", p.name AS "townshipName"
         FROM areas a LEFT JOIN areas p ON p.code = a.parent_code WHERE a.code = ANY($1::text[])`,
      [codes],
    ),
    await populationsOf(ctx.db, codes, year),
  ];
  const nameOf = new Map(names.map((n) => [n.code, n]));
  return counts
    .map((c): VillageExitRow => {
      const n = nameOf.get(c.code);
      const village = { code: c.code, name: n?.name ?? c.code };
      const rural = pops.get(c.code)?.ruralPeople ?? null;
      const problem = dataProblem(village, county, year, true, c.poorPeople, rural);
      const e = incidence(villageExit, c.poorPeople, rural, problem, lookup, year);
      const bar = e.bars[0]!;
      return {
        ...village,
        townshipCode: n?.townshipCode ?? null,
        townshipName: n?.townshipName ?? null,
        households: c.households,
        people: c.people,
        poorHouseholds: c.poorHouseholds,
        poorPeople: c.poorPeople,
        ruralPeople: rural,
        percent: bar.percent,
        limitCount: bar.limitCount,
        verdict: e.verdict,
        reason: bar.reason,
        missing: problem,
      };
    })
    .sort(worstFirst);
}

// --- verbs --------------------------------------------------------------------------------------

export interface PanelInput {
  area: string;
  year: number;
}

function checkPanelInput(input: PanelInput, lengths: readonly number[], what: Text): void {
  const issues = [codeIssue('area', input.area, lengths, what), yearIssue(input.year)].filter((i): i is FieldIssue => i !== null);
  if (issues.length) throw new ValidationError(issues);
}

async function panel(ctx: Ctx, kind: 'village' | 'county', area: PanelArea, year: number): Promise<{ panel: ExitPanel; lookup: ParamLookup; hasRecords: boolean }> {
  const county = await countyOf(ctx, area);
  const [lookup, hasRecords, rows, pops] = [
    await policyLookup(ctx.db, year, area.code),
    await countyHasRecords(ctx.db, county.code, year),
    await villageCounts(ctx.db, area.code, year),
    await populationsOf(ctx.db, [area.code], year),
  ];
  const counts = panelCounts(rows, pops.get(area.code));
  const problem = dataProblem(area, county, year, hasRecords, counts.poorPeople, counts.ruralPeople);
  const evaluation = incidence(kind === 'village' ? villageExit : countyExit, counts.poorPeople, counts.ruralPeople, problem, lookup, year);
  const key: PolicyKey = kind === 'village' ? 'village_exit_incidence_max_pct' : 'county_exit_incidence_max_pct';
  const found = lookup(key);
  const reason = problem ? { zh: `${evaluation.reason.zh}：${problem.zh}`, en: `${evaluation.reason.en}: ${problem.en}` } : evaluation.reason;
  return {
    panel: { kind, area, year, counts, verdict: evaluation.verdict, reason, missing: problem, evaluation, threshold: found ? { ...found } : null },
    lookup,
    hasRecords,
  };
}

/** 贫困村出列 panel for one village (12-digit code) and year. */
export async function villageExitPanel(ctx: Ctx, input: PanelInput): Promise<ExitPanel> {
  require(ctx, 'aggregates.read');
  const village = LEVEL_NAMES[5]!;
  checkPanelInput(input, [12], village);
  const area = await areaAt(ctx, input.area, [5], village, { zh: '旗县请用县级出列评估，苏木乡镇请用村列表', en: 'use the county panel for a county and the village list for a township' });
  return (await panel(ctx, 'village', area, input.year)).panel;
}

/** 贫困县摘帽 panel for one county (6-digit code) and year, with its villages worst first and the counts passing. */
export async function countyExitPanel(ctx: Ctx, input: PanelInput): Promise<CountyExitPanel> {
  require(ctx, 'aggregates.read');
  const what = LEVEL_NAMES[3]!;
  checkPanelInput(input, [6], what);
  const area = await areaAt(ctx, input.area, [3], what, { zh: '请填写 6 位旗县代码', en: 'give a 6-digit county code' });
  // A county's villages resolve to the same regions (county, province, national), so one lookup serves all.
  const { panel: p, lookup, hasRecords } = await panel(ctx, 'county', area, input.year);
  const items = await villageRows(ctx, area, input.year, lookup, area, hasRecords);
  const assessment = await closedResultsOf(ctx.db, area.code, input.year);
  const exit = exitVerdictOf(p.verdict, assessment);
  return { ...p, villages: { summary: summarise(items), items }, assessment, exitVerdict: exit.verdict, exitReason: exit.reason };
}

/** The county exit: the incidence bar and every bar of the closed evaluation; any fail fails, no evaluation is unknown. */
function exitVerdictOf(incidence: Status, a: PlanResults | null): { verdict: Status; reason: Text } {
  if (!a) {
    return {
      verdict: incidence === 'fail' ? 'fail' : 'unknown',
      reason: incidence === 'fail'
        ? { zh: '贫困发生率不达标', en: 'The incidence bar fails' }
        : { zh: '尚无已结束的第三方评估（错退率、漏评率、群众认可度），不能判断能否摘帽', en: 'No closed third-party evaluation yet (wrong exits, omissions, approval), so the exit cannot be decided' },
    };
  }
  const fails = a.rates.filter((r) => r.verdict === 'fail').map((r) => r.label);
  if (incidence === 'fail') fails.unshift({ zh: '贫困发生率', en: 'incidence' });
  if (fails.length) return { verdict: 'fail', reason: { zh: `不达标：${fails.map((f) => f.zh).join('、')}`, en: `Fails: ${fails.map((f) => f.en).join(', ')}` } };
  if (incidence === 'pass' && a.verdict === 'pass') return { verdict: 'pass', reason: { zh: '贫困发生率和第三方评估各项指标均达标', en: 'The incidence and every evaluation bar pass' } };
  return { verdict: 'unknown', reason: { zh: '部分指标无法判断（见各项说明）', en: 'Some bars cannot be decided (see each)' } };
}

/** The table of villages of a county or township (9 digits) for a year: counts, population and verdict, worst first. */
export async function villageExitList(ctx: Ctx, input: PanelInput): Promise<VillageExitList> {
  require(ctx, 'aggregates.read');
  const what = { zh: '旗县或苏木乡镇', en: 'a county or township' };
  checkPanelInput(input, [6, 9], what);
  const area = await areaAt(ctx, input.area, [3, 4], what, { zh: '单个村请用村级出列评估', en: 'use the village panel for one village' });
  const county = await countyOf(ctx, area);
  const [lookup, hasRecords] = [await policyLookup(ctx.db, input.year, area.code), await countyHasRecords(ctx.db, county.code, input.year)];
  const items = await villageRows(ctx, area, input.year, lookup, county, hasRecords);
  const found = lookup('village_exit_incidence_max_pct');
  return {
    area,
    year: input.year,
    threshold: found ? { ...found } : null,
    summary: summarise(items),
    items,
    missing: hasRecords ? null : noRecordsText(county, input.year),
  };
}

// --- county assessment ------------------------------------------------------------------------

export const ASSESSMENT_FIELDS = {
  sampledExited: { zh: '抽查已脱贫人数', en: 'sampled exited people' },
  wronglyExited: { zh: '错退人数', en: 'wrongly exited people' },
  sampledNonRegistered: { zh: '抽查未建档立卡农村人口', en: 'sampled non-registered rural people' },
  omitted: { zh: '漏评人数', en: 'omitted people' },
  surveyedHouseholds: { zh: '受访户数', en: 'surveyed households' },
  approving: { zh: '认可户数', en: 'approving households' },
} as const satisfies Record<string, Text>;
export type AssessmentField = keyof typeof ASSESSMENT_FIELDS;

/** Numerator field, denominator field: a part is never larger than its whole. */
const PAIRS: readonly [AssessmentField, AssessmentField][] = [
  ['wronglyExited', 'sampledExited'],
  ['omitted', 'sampledNonRegistered'],
  ['approving', 'surveyedHouseholds'],
];

export type AssessmentCounts = Record<AssessmentField, number>;

export interface AssessCountyInput extends Partial<Record<AssessmentField, unknown>> {
  county: unknown;
  year: unknown;
}

export interface CountyAssessmentResult {
  area: PanelArea;
  year: number;
  /** The survey counts evaluated (as given; not stored). */
  counts: AssessmentCounts;
  /** The county's own register figures used for the incidence bar (same as the county panel). */
  register: PanelCounts;
  verdict: Status;
  reason: Text;
  /** Why the incidence bar is unknown from the register data, or null. */
  missing: Text | null;
  /** Four bars: 贫困发生率 (register), 错退率, 漏评率, 群众认可度 (survey); each blocks on its own. */
  evaluation: AreaEvaluation;
  stored: false;
}

function checkAssessment(input: AssessCountyInput): { county: string; year: number; counts: AssessmentCounts } {
  const issues: FieldIssue[] = [];
  const c = codeIssue('county', input.county, [6], LEVEL_NAMES[3]!);
  if (c) issues.push(c);
  const y = yearIssue(input.year);
  if (y) issues.push(y);
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  for (const [field, label] of Object.entries(ASSESSMENT_FIELDS) as [AssessmentField, Text][]) {
    const v = input[field];
    if (v === undefined || v === null || v === '') {
      issues.push({ field, zh: `缺少${label.zh}（${field}）；请填写不小于 0 的整数`, en: `${label.en} (${field}) is required; give a whole number ≥ 0` });
    } else if (!ok(v)) {
      issues.push({ field, value: String(v), zh: `${label.zh}（${field}）必须是不小于 0 的整数，收到 ${String(v)}`, en: `${label.en} (${field}) must be a whole number ≥ 0, got ${String(v)}` });
    }
  }
  for (const [nf, df] of PAIRS) {
    const n = input[nf];
    const d = input[df];
    if (ok(n) && ok(d) && n > d) {
      const nl = ASSESSMENT_FIELDS[nf];
      const dl = ASSESSMENT_FIELDS[df];
      issues.push({
        field: nf,
        value: String(n),
        zh: `${nl.zh}（${nf}）${count(n)} 大于${dl.zh}（${df}）${count(d)}；部分不能多于总数，请核对调查结果`,
        en: `${nl.en} (${nf}) ${count(n)} exceeds ${dl.en} (${df}) ${count(d)}; a part cannot exceed its whole — check the survey results`,
      });
    }
  }
  if (issues.length) {
    throw new ValidationError(issues, { zh: '评估数据有误，未作评估；请按提示修改后重试', en: 'The assessment counts are invalid; nothing was evaluated — correct the fields listed and try again' });
  }
  const counts = Object.fromEntries(Object.keys(ASSESSMENT_FIELDS).map((k) => [k, input[k as AssessmentField] as number])) as AssessmentCounts;
  return { county: input.county as string, year: input.year as number, counts };
}

/**
 * 贫困县退出专项评估: the survey counts given (错退率, 漏评率, 群众认可度) and the county's incidence
 * from the register, each bar with numerator, denominator and verdict. Evaluated, not stored.
 */
export async function assessCounty(ctx: Ctx, input: AssessCountyInput): Promise<CountyAssessmentResult> {
  require(ctx, 'aggregates.read');
  const { county, year, counts } = checkAssessment(input);
  const what = LEVEL_NAMES[3]!;
  const area = await areaAt(ctx, county, [3], what, { zh: '专项评估针对旗县，请填写 6 位旗县代码', en: 'the assessment is of a county; give a 6-digit county code' }, 'county');
  const [lookup, hasRecords, rows, pops] = [
    await policyLookup(ctx.db, year, area.code),
    await countyHasRecords(ctx.db, area.code, year),
    await villageCounts(ctx.db, area.code, year),
    await populationsOf(ctx.db, [area.code], year),
  ];
  const register = panelCounts(rows, pops.get(area.code));
  const problem = dataProblem(area, area, year, hasRecords, register.poorPeople, register.ruralPeople);
  const survey = {
    wrongExits: { wrong: counts.wronglyExited, sampledExited: counts.sampledExited },
    omissions: { omitted: counts.omitted, sampledNonRegistered: counts.sampledNonRegistered },
    approval: { approving: counts.approving, surveyed: counts.surveyedHouseholds },
    year,
  };
  let evaluation: AreaEvaluation;
  if (!problem) {
    evaluation = countyAssessment({ ...survey, incidence: { poor: register.poorPeople, rural: register.ruralPeople! } }, lookup);
  } else {
    const e = countyAssessment({ ...survey, incidence: { poor: 0, rural: 0 } }, lookup);
    evaluation = { ...e, bars: e.bars.map((b) => (b.key === 'incidence' ? withProblem(b, register.poorPeople, register.ruralPeople, problem) : b)) };
  }
  return {
    area,
    year,
    counts,
    register,
    verdict: evaluation.verdict,
    reason: evaluation.reason,
    missing: problem,
    evaluation,
    stored: false,
  };
}
