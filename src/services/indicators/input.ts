// What the indicator services share about their input: the area asked for (default: the actor's,
// within scope), the year, the counties of an area, and the small-area refusal for readers of
// aggregates only (domain/measures/small-cells.ts).
import { NotFound, ValidationError, type FieldIssue } from '../../domain/errors.js';
import { MIN_CELL_HOUSEHOLDS } from '../../domain/measures/small-cells.js';
import { mayDo } from '../../domain/roles.js';
import type { Sql } from '../../db/client.js';
import { inScope, type Ctx } from '../context.js';
import { DEFAULT_AREA } from '../overview.js';
import { countyRange } from './sql.js';

const AREA = { zh: '区划', en: 'area' };

/** The area asked for, or the actor's own (Tongliao for the local operator); NotFound outside the scope. */
export function areaOf(ctx: Ctx, area: string | undefined): string {
  const code = area ?? (ctx.actor.areaCode === '*' ? DEFAULT_AREA : ctx.actor.areaCode);
  if (!inScope(ctx.actor, code)) throw new NotFound(AREA);
  return code;
}

/** The issue with a year, if any (undefined passes: the caller's default applies). */
export function yearIssue(year: unknown): FieldIssue | null {
  if (year === undefined || (typeof year === 'number' && Number.isInteger(year) && year >= 2000 && year <= 2100)) return null;
  return { field: 'year', value: String(year), zh: `年度应为 2000–2100 的整数，收到 ${String(year)}`, en: `The year must be a whole number 2000–2100; got ${String(year)}` };
}

export function checkYear(year: unknown): void {
  const issue = yearIssue(year);
  if (issue) throw new ValidationError([issue]);
}

/** The county codes of an area: itself (or its county) at county level and below, else those in its range. */
export async function countiesIn(db: Pick<Sql, 'query'>, code: string): Promise<string[]> {
  if (code.length >= 6) return [code.slice(0, 6)];
  const [lo, hi] = countyRange(code);
  return (await db.query<{ code: string }>('SELECT code FROM areas WHERE length(code) = 6 AND code >= $1 AND code < $2 ORDER BY code', [lo, hi])).map((r) => r.code);
}

/** Readers of aggregates only get no figures of an area-year with 1–4 households, and are told why. */
export function refuseSmallArea(ctx: Ctx, area: { name: string }, code: string, year: number, households: number): void {
  if (mayDo(ctx.actor.role, 'register.read') || households === 0 || households >= MIN_CELL_HOUSEHOLDS) return;
  throw new ValidationError([{
    field: 'area', value: code,
    zh: `${area.name}（${code}）${year} 年只有 ${households} 户，少于 ${MIN_CELL_HOUSEHOLDS} 户的区划不向只能查看汇总数据的角色公开；请选上一级区划`,
    en: `${area.name} (${code}) has only ${households} households in ${year}; areas of fewer than ${MIN_CELL_HOUSEHOLDS} are not shown to roles that may read aggregates only — choose the area above it`,
  }]);
}
