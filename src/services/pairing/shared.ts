// Who helps whom (issue 5), shared by units, cadres, work teams, pairings, plans and visits:
// area scope of county-level records, today in China time, paging, and small checks.
//
// Scope: units and cadres belong to a county. An actor at county level or above sees the counties
// in their area; a township office (which manages pairings) sees its whole county; a village-level
// actor sees only the cadres and units working in their village (paired with one of its
// households, or in a work team stationed there). Pairings, teams, plans and visits follow the
// village of their household or team. Outside the scope a record is NotFound, never Forbidden.
import type { Sql } from '../../db/client.js';
import { NotFound, ValidationError, type FieldIssue } from '../../domain/errors.js';
import { localDay } from '../../domain/workflows/dates.js';
import { inScope, scopePattern, type Actor, type Ctx } from '../context.js';

export type Query = Pick<Sql, 'query'>;

export const T = {
  unit: { zh: '帮扶单位', en: 'assistance unit' },
  cadre: { zh: '帮扶干部', en: 'cadre' },
  team: { zh: '驻村工作队', en: 'work team' },
  pairing: { zh: '结对记录', en: 'pairing' },
  visit: { zh: '走访记录', en: 'visit' },
  area: { zh: '区划', en: 'area' },
  household: { zh: '农户', en: 'household' },
};

export function today(): string {
  return localDay(new Date());
}

/** Builds positional parameters: p(v) → "$n". */
export function params(): { list: unknown[]; p: (v: unknown) => string } {
  const list: unknown[] = [];
  return { list, p: (v: unknown) => `$${list.push(v)}` };
}

export function paging(f: { page?: number; pageSize?: number }): { page: number; pageSize: number; limit: string } {
  const page = Math.max(1, Math.floor(f.page ?? 1));
  const pageSize = Math.min(500, Math.max(1, Math.floor(f.pageSize ?? 50)));
  return { page, pageSize, limit: `LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}` };
}

/** The actor sees the whole county (county level and above, township offices), not only their village. */
export function seesWholeCounty(actor: Actor): boolean {
  return actor.areaCode === '*' || actor.areaCode.length <= 9;
}

/** The county is in the actor's area, or the actor's area is inside it. */
export function countyOverlaps(actor: Actor, county: string): boolean {
  return actor.areaCode === '*' || county.startsWith(actor.areaCode) || actor.areaCode.startsWith(county);
}

/** SQL: cadre `c` works in villages under `pattern` (paired with a household there, or in a team stationed there). */
export function cadreWorksIn(c: string, pattern: string): string {
  return `(EXISTS (SELECT 1 FROM pairings sp JOIN households sh ON sh.county_code = sp.county_code AND sh.id = sp.household_id
                    WHERE sp.county_code = ${c}.county_code AND sp.cadre_id = ${c}.id AND sh.village_code LIKE ${pattern})
        OR EXISTS (SELECT 1 FROM work_team_members sm JOIN work_teams st ON st.county_code = sm.county_code AND st.id = sm.team_id
                    WHERE sm.county_code = ${c}.county_code AND sm.cadre_id = ${c}.id AND st.village_code LIKE ${pattern}))`;
}

/** SQL condition: cadre `c` is visible to the actor. */
export function cadreScope(actor: Actor, c: string, p: (v: unknown) => string): string {
  if (actor.areaCode === '*') return 'true';
  if (actor.areaCode.length <= 6) return `${c}.county_code LIKE ${p(`${actor.areaCode}%`)}`;
  const county = `${c}.county_code = ${p(actor.areaCode.slice(0, 6))}`;
  if (seesWholeCounty(actor)) return county;
  return `(${county} AND ${cadreWorksIn(c, p(scopePattern(actor)))})`;
}

/** SQL condition: unit `u` is visible to the actor (at village level: a unit with a cadre or a team there). */
export function unitScope(actor: Actor, u: string, p: (v: unknown) => string): string {
  if (actor.areaCode === '*') return 'true';
  if (actor.areaCode.length <= 6) return `${u}.county_code LIKE ${p(`${actor.areaCode}%`)}`;
  const county = `${u}.county_code = ${p(actor.areaCode.slice(0, 6))}`;
  if (seesWholeCounty(actor)) return county;
  const pattern = p(scopePattern(actor));
  return `(${county} AND (EXISTS (SELECT 1 FROM work_teams ut WHERE ut.county_code = ${u}.county_code AND ut.unit_id = ${u}.id AND ut.village_code LIKE ${pattern})
        OR EXISTS (SELECT 1 FROM cadres uc WHERE uc.county_code = ${u}.county_code AND uc.unit_id = ${u}.id AND ${cadreWorksIn('uc', pattern)})))`;
}

/** An area filter given by the user: a known code inside the actor's area, else NotFound. */
export async function checkArea(db: Query, actor: Actor, area: string | undefined): Promise<string | undefined> {
  if (area === undefined || area === '') return undefined;
  if (!/^\d{2,12}$/.test(area)) {
    throw new ValidationError([{ field: 'area', value: area, zh: '区划代码应为 2–12 位数字', en: 'The area code must be 2–12 digits' }]);
  }
  if (!inScope(actor, area)) throw new NotFound(T.area);
  const [a] = await db.query('SELECT 1 FROM areas WHERE code = $1', [area]);
  if (!a) throw new NotFound(T.area);
  return area;
}

/** The narrowest village pattern: the area asked (already checked) or the actor's scope. */
export function villagePattern(actor: Actor, area: string | undefined): string {
  return area ? `${area}%` : scopePattern(actor);
}

export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

export function fail(issues: FieldIssue[]): void {
  if (issues.length) throw new ValidationError(issues);
}

/** A positive whole id or an issue for the field. */
export function idIssue(field: string, v: unknown, what: { zh: string; en: string }): FieldIssue[] {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0
    ? []
    : [{ field, value: v == null ? '' : String(v), zh: `请选择${what.zh}`, en: `Choose the ${what.en}` }];
}

export function trimOrNull(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t ? t : null;
}

/** Loads a cadre the actor may see (any county in scope), or null. */
export async function findCadre(db: Query, ctx: Ctx, id: number): Promise<{ id: number; countyCode: string; name: string; unitId: number; unitName: string; active: boolean } | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const q = params();
  const scope = cadreScope(ctx.actor, 'c', q.p);
  const [row] = await db.query<{ id: number; countyCode: string; name: string; unitId: number; unitName: string; active: boolean }>(
    `SELECT c.id, c.county_code AS "countyCode", c.name, c.unit_id AS "unitId", u.name AS "unitName", c.active
       FROM cadres c JOIN assistance_units u ON u.county_code = c.county_code AND u.id = c.unit_id
      WHERE c.id = ${q.p(id)} AND ${scope}`,
    q.list,
  );
  return row ? { ...row, id: Number(row.id), unitId: Number(row.unitId) } : null;
}

export async function loadCadre(db: Query, ctx: Ctx, id: number) {
  const c = await findCadre(db, ctx, id);
  if (!c) throw new NotFound(T.cadre);
  return c;
}
