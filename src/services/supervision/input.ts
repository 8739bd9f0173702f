// What every scorecard verb checks first: the role (supervision.read), the area's scope (outside it
// NotFound, as everywhere), then the input, each problem naming its field in both languages: the
// area's shape and level, the days (YYYY-MM-DD), from ≤ to, at most three years, not after today.
// Without from and to, the period is the visit-frequency page's default (this year to today, or the
// calendar year of the area's latest visit when none is recorded this year).
import { NotFound, type FieldIssue } from '../../domain/errors.js';
import { scorecardPeriodIssues, scoredEnd } from '../../domain/supervision/index.js';
import type { Text } from '../../domain/policy-types.js';
import { localDay } from '../../domain/workflows/dates.js';
import { inScope, require, scopePattern, type Ctx } from '../context.js';
import { defaultVisitPeriod, type PeriodBasis } from '../pairing/visits.js';
import { codeIssue, reportArea, throwIfAny, type ReportArea } from '../reports/common.js';

export const AREA: Text = { zh: '区划', en: 'area' };

export interface PeriodInput {
  from?: unknown;
  to?: unknown;
  /** The instant "today" is taken from (tests date it; default now). */
  now?: Date;
}

export interface Period {
  from: string;
  to: string;
  /** The last day scored: `to`, or today when the period has not ended. */
  asOf: string;
  basis: PeriodBasis;
  today: string;
}

/** What the area may be for each table: the levels whose units it lists. */
export const AREA_LEVELS = {
  township: { levels: [1, 2, 3, 4], what: { zh: '省、市、旗县或苏木乡镇', en: 'a province, city, county or township' } },
  county: { levels: [1, 2, 3], what: { zh: '省、市或旗县', en: 'a province, city or county' } },
  cadre: { levels: [1, 2, 3, 4, 5], what: { zh: '区划', en: 'an area' } },
  trend: { levels: [1, 2, 3, 4, 5], what: { zh: '区划', en: 'an area' } },
} as const satisfies Record<string, { levels: readonly number[]; what: Text }>;
export type AreaUse = keyof typeof AREA_LEVELS;

/** The area asked, or the actor's own; '*' (the console operator) must name one. */
function areaOf(ctx: Ctx, area: unknown): unknown {
  if (area !== undefined && area !== null && area !== '') return area;
  return ctx.actor.areaCode === '*' ? undefined : ctx.actor.areaCode;
}

function areaIssue(code: unknown, use: AreaUse): FieldIssue | null {
  const a = AREA_LEVELS[use];
  if (code === undefined) {
    return { field: 'area', zh: `请填写${a.what.zh}的区划代码（--area 或 ?area=）`, en: `Give the code of ${a.what.en} (--area or ?area=)` };
  }
  return codeIssue(code, a.levels, a.what);
}

/**
 * The checks every verb starts with: role, then scope (a well-formed code outside the actor's area
 * is NotFound before anything else is said about the input), then every input issue at once, then
 * the area itself (unknown or of the wrong level: bad input).
 */
export async function checkInput(
  ctx: Ctx,
  input: { area?: unknown } & PeriodInput,
  use: AreaUse,
  extra: FieldIssue[] = [],
  optionalArea = false,
): Promise<{ area: ReportArea | null; today: string; period: { from: string; to: string } | null }> {
  require(ctx, 'supervision.read');
  const code = areaOf(ctx, input.area);
  if (typeof code === 'string' && /^\d{2,12}$/.test(code) && !inScope(ctx.actor, code)) throw new NotFound(AREA);
  const today = localDay(input.now ?? new Date());
  const given = !(input.from === undefined || input.from === null || input.from === '') || !(input.to === undefined || input.to === null || input.to === '');
  const skipArea = optionalArea && code === undefined;
  throwIfAny([skipArea ? null : areaIssue(code, use), ...(given ? scorecardPeriodIssues(input.from, input.to, today) : []), ...extra]);
  const area = skipArea ? null : await reportArea(ctx, code as string, AREA_LEVELS[use].levels, AREA_LEVELS[use].what);
  return { area, today, period: given ? { from: input.from as string, to: input.to as string } : null };
}

/** The period asked, or the default for the households under `pattern`. */
export async function periodOf(ctx: Ctx, given: { from: string; to: string } | null, pattern: string, today: string): Promise<Period> {
  if (given) return { ...given, asOf: scoredEnd(given.to, today), basis: 'given', today };
  const county = pattern.length >= 7 ? pattern.slice(0, 6) : null;
  const [latest] = await ctx.db.query<{ d: string | null }>(
    `SELECT to_char(max(s.visited_on), 'YYYY-MM-DD') AS d FROM visits s JOIN households h ON h.county_code = s.county_code AND h.id = s.household_id
      WHERE h.village_code LIKE $1 ${county ? 'AND s.county_code = $2' : ''}`,
    county ? [pattern, county] : [pattern],
  );
  const d = defaultVisitPeriod(today, latest?.d ?? null);
  return { from: d.from, to: d.to, asOf: scoredEnd(d.to, today), basis: d.basis, today };
}

/** The village pattern of an area, and its county when it lies within one. */
export function scopeOf(area: string): { pattern: string; county?: string } {
  return area.length >= 6 ? { pattern: `${area}%`, county: area.slice(0, 6) } : { pattern: `${area}%` };
}

/** The actor's own pattern (for a cadre's trend without an area). */
export function actorPattern(ctx: Ctx): string {
  return scopePattern(ctx.actor);
}
