// Scorecards (考核评分, issue 8): per township, per county and per responsible cadre over a period,
// every row with the six indicators (domain/supervision/indicators.ts), the composite and a
// competition rank; and a unit's trend by month. Reads only (supervision.read); the role and the
// area's scope are checked first (services/supervision/input.ts). The counts come from one
// set-based query per indicator family (sql.ts).
import type { FieldIssue } from '../../domain/errors.js';
import { monthsInPeriod } from '../../domain/assistance/pairing.js';
import {
  INDICATORS, VISIT_TARGET_PER_HOUSEHOLD_MONTH, monthBuckets, rankRows, round2, scoreUnit, type IndicatorInfo, type Indicators,
} from '../../domain/supervision/index.js';
import type { Ctx } from '../context.js';
import { loadCadre } from '../pairing/shared.js';
import type { PeriodBasis } from '../pairing/visits.js';
import { actorPattern, checkInput, periodOf, scopeOf, type PeriodInput } from './input.js';
import { countsOf, gatherCounts, type Bucket, type Scope } from './sql.js';

export const SCORECARD_LEVELS = ['township', 'county', 'cadre'] as const;
export type ScorecardLevel = (typeof SCORECARD_LEVELS)[number];

export interface ScorecardRow {
  /** The area code, or the cadre id as text. */
  key: string;
  /** Township or county code (null for a cadre). */
  code: string | null;
  cadreId: number | null;
  name: string;
  /** Township and county: the area above; cadre: their assistance unit. */
  parentName: string;
  countyCode: string;
  indicators: Indicators;
  composite: number | null;
  weightCovered: number;
  rank: number | null;
}

interface PeriodView {
  from: string;
  to: string;
  /** The last day scored (the end, or today when the period has not ended). */
  asOf: string;
  basis: PeriodBasis;
  /** Months from `from` to `asOf`, each as the share of its days (2 decimals). */
  months: number;
  generatedOn: string;
  indicators: IndicatorInfo[];
  visitTarget: number;
}

export interface ScorecardTable extends PeriodView {
  level: ScorecardLevel;
  area: { code: string; name: string; level: number };
  rows: ScorecardRow[];
}

export interface ScorecardInput extends PeriodInput {
  area?: unknown;
}

interface Unit {
  key: string;
  code: string | null;
  cadreId: number | null;
  name: string;
  parentName: string;
  countyCode: string;
}

function levelIssue(level: unknown): FieldIssue[] {
  if ((SCORECARD_LEVELS as readonly unknown[]).includes(level)) return [];
  return [{
    field: 'level', value: level == null ? '' : String(level),
    zh: `考核对象应为 township（苏木乡镇）、county（旗县）或 cadre（帮扶责任人），收到 ${level == null || level === '' ? '（空）' : String(level)}`,
    en: `level must be township, county or cadre, got ${level == null || level === '' ? '(empty)' : String(level)}`,
  }];
}

async function unitsOf(ctx: Ctx, level: ScorecardLevel, area: string, from: string, to: string): Promise<Unit[]> {
  if (level !== 'cadre') {
    const rows = await ctx.db.query<{ code: string; name: string; parent: string | null }>(
      `SELECT a.code, a.name, p.name AS parent FROM areas a LEFT JOIN areas p ON p.code = a.parent_code
        WHERE a.level = $1 AND a.code LIKE $2 ORDER BY a.code`,
      [level === 'township' ? 4 : 3, `${area}%`],
    );
    return rows.map((r) => ({ key: r.code, code: r.code, cadreId: null, name: r.name, parentName: r.parent ?? '', countyCode: r.code.slice(0, 6) }));
  }
  const s = scopeOf(area);
  const rows = await ctx.db.query<{ id: number; countyCode: string; name: string; unitName: string }>(
    `SELECT DISTINCT c.id, c.county_code AS "countyCode", c.name, u.name AS "unitName"
       FROM pairings p JOIN households h ON h.county_code = p.county_code AND h.id = p.household_id
       JOIN cadres c ON c.county_code = p.county_code AND c.id = p.cadre_id
       JOIN assistance_units u ON u.county_code = c.county_code AND u.id = c.unit_id
      WHERE h.village_code LIKE $1 AND p.started_on <= $2::date AND (p.ended_on IS NULL OR p.ended_on >= $3::date)${s.county ? ' AND p.county_code = $4' : ''}
      ORDER BY c.county_code, u.name, c.name, c.id`,
    s.county ? [s.pattern, to, from, s.county] : [s.pattern, to, from],
  );
  return rows.map((r) => ({ key: String(r.id), code: null, cadreId: Number(r.id), name: r.name, parentName: r.unitName, countyCode: r.countyCode }));
}

/** The scorecard table of one level: every unit under the area, scored and ranked. */
export async function scorecards(ctx: Ctx, input: ScorecardInput & { level?: unknown }): Promise<ScorecardTable> {
  const bad = levelIssue(input.level);
  const level: ScorecardLevel = bad.length ? 'cadre' : (input.level as ScorecardLevel);
  const { area, today, period: given } = await checkInput(ctx, input, level, bad);
  const a = area!;
  const s = scopeOf(a.code);
  const period = await periodOf(ctx, given, s.pattern, today);
  const bucket: Bucket = { from: period.from, to: period.asOf };
  const units = await unitsOf(ctx, level, a.code, bucket.from, bucket.to);
  const scope: Scope = { ...s, group: level === 'cadre' ? { kind: 'cadre' } : { kind: 'area', length: level === 'township' ? 9 : 6 } };
  const counts = await gatherCounts(ctx.db, scope, [bucket], today);
  const rows = rankRows(
    units.map((u) => ({ ...u, ...scoreUnit(countsOf(counts, 0, u.key, bucket)) })),
    (r) => (r.code ?? `${r.countyCode}:${r.parentName}:${r.name}:${String(r.cadreId).padStart(12, '0')}`),
  );
  return {
    level, area: { code: a.code, name: a.name, level: a.level },
    from: period.from, to: period.to, asOf: period.asOf, basis: period.basis, months: round2(monthsInPeriod(period.from, period.asOf)),
    generatedOn: today, indicators: [...INDICATORS], visitTarget: VISIT_TARGET_PER_HOUSEHOLD_MONTH, rows,
  };
}

/** The townships under a county, city or province (or the one township asked). */
export function townshipScorecards(ctx: Ctx, input: ScorecardInput): Promise<ScorecardTable> {
  return scorecards(ctx, { ...input, level: 'township' });
}

/** The counties under a city or province: the county-level table. */
export function countyScorecards(ctx: Ctx, input: ScorecardInput): Promise<ScorecardTable> {
  return scorecards(ctx, { ...input, level: 'county' });
}

/** Every responsible cadre paired with a household of the area during the period (only those households count). */
export function cadreScorecards(ctx: Ctx, input: ScorecardInput): Promise<ScorecardTable> {
  return scorecards(ctx, { ...input, level: 'cadre' });
}

export interface TrendPoint {
  /** YYYY-MM */
  month: string;
  from: string;
  to: string;
  indicators: Indicators;
  composite: number | null;
  weightCovered: number;
}

export interface ScorecardTrend extends PeriodView {
  subject: { kind: 'area' | 'cadre'; key: string; code: string | null; cadreId: number | null; name: string; parentName: string };
  points: TrendPoint[];
}

/**
 * The indicators of one area or one cadre month by month over the period (the last month up to
 * the day scored). A cadre's trend counts their paired households in the area given, else in the
 * actor's whole area.
 */
export async function scorecardTrend(ctx: Ctx, input: ScorecardInput & { cadreId?: unknown }): Promise<ScorecardTrend> {
  const hasCadre = input.cadreId !== undefined && input.cadreId !== null && input.cadreId !== '';
  const cadreId = hasCadre ? Number(input.cadreId) : null;
  const bad: FieldIssue[] = hasCadre && !(Number.isSafeInteger(cadreId) && cadreId! > 0)
    ? [{ field: 'cadreId', value: String(input.cadreId), zh: '干部 ID 应为正整数', en: 'cadreId must be a positive whole number' }]
    : [];
  const { area, today, period: given } = await checkInput(ctx, input, 'trend', bad, hasCadre);
  let subject: ScorecardTrend['subject'];
  let scope: Scope;
  if (cadreId !== null) {
    const c = await loadCadre(ctx.db, ctx, cadreId);
    const pattern = area ? `${area.code}%` : actorPattern(ctx);
    subject = { kind: 'cadre', key: String(c.id), code: null, cadreId: c.id, name: c.name, parentName: c.unitName };
    scope = { pattern, county: c.countyCode, group: { kind: 'cadre', cadreId: c.id } };
  } else {
    const a = area!;
    const [parent] = await ctx.db.query<{ name: string }>('SELECT p.name FROM areas a JOIN areas p ON p.code = a.parent_code WHERE a.code = $1', [a.code]);
    subject = { kind: 'area', key: a.code, code: a.code, cadreId: null, name: a.name, parentName: parent?.name ?? '' };
    scope = { ...scopeOf(a.code), group: { kind: 'area', length: a.code.length } };
  }
  const period = await periodOf(ctx, given, scope.pattern, today);
  const months = monthBuckets(period.from, period.asOf);
  const counts = await gatherCounts(ctx.db, scope, months, today);
  const points = months.map((m, i) => {
    const s = scoreUnit(countsOf(counts, i, subject.key, m));
    return { month: m.month, from: m.from, to: m.to, indicators: s.indicators, composite: s.composite, weightCovered: s.weightCovered };
  });
  return {
    subject, from: period.from, to: period.to, asOf: period.asOf, basis: period.basis, months: round2(monthsInPeriod(period.from, period.asOf)),
    generatedOn: today, indicators: [...INDICATORS], visitTarget: VISIT_TARGET_PER_HOUSEHOLD_MONTH, points,
  };
}
