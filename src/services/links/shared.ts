// Assistance links (issue 5): area scope and small helpers shared by leaders (能人带动), scenic
// spots (景区带村) and e-commerce products (电商产品).
//
// Scope: each record sits in a village. County offices and above (area code of 6 digits or fewer,
// or the local operator) see and manage every record of their counties; township and village
// accounts see the records of their area (a leader also when it brings along a household there,
// a scenic spot also when it brings along a village there), read-only. Outside the scope a record
// is NotFound, never Forbidden. Personal data (names of people, households, phones) needs
// 'register.read'; 'aggregates.read' alone (researchers) sees counts only.
import type { Sql } from '../../db/client.js';
import { Forbidden, NotFound, ValidationError, type FieldIssue } from '../../domain/errors.js';
import { mayDo } from '../../domain/roles.js';
import { localDay } from '../../domain/workflows/dates.js';
import { inScope, require, scopePattern, type Actor, type Ctx } from '../context.js';

export type Query = Pick<Sql, 'query'>;

export const T = {
  leader: { zh: '带头人/合作社', en: 'leader' },
  spot: { zh: '景区', en: 'scenic spot' },
  product: { zh: '电商产品', en: 'e-commerce product' },
  area: { zh: '区划', en: 'area' },
};

export function today(): string {
  return localDay(new Date());
}

export function params(): { list: unknown[]; p: (v: unknown) => string } {
  const list: unknown[] = [];
  return { list, p: (v: unknown) => `$${list.push(v)}` };
}

export function paging(f: { page?: number; pageSize?: number }): { page: number; pageSize: number; limit: string } {
  const page = Math.max(1, Math.floor(f.page ?? 1));
  const pageSize = Math.min(500, Math.max(1, Math.floor(f.pageSize ?? 50)));
  return { page, pageSize, limit: `LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}` };
}

/** Reading: personal lists need register.read; counts need aggregates.read. Returns whether names may be shown. */
export function requireRead(ctx: Ctx): boolean {
  if (mayDo(ctx.actor.role, 'register.read')) return true;
  require(ctx, 'aggregates.read');
  return false;
}

/** Managing: 'assistance.manage' at county level or above. */
export function requireManage(ctx: Ctx): void {
  require(ctx, 'assistance.manage');
  const a = ctx.actor.areaCode;
  if (a !== '*' && a.length > 6) {
    throw new Forbidden({ zh: '带头人、景区和电商产品由旗县及以上账号维护；苏木乡镇和嘎查村账号只能查看', en: 'Leaders, scenic spots and products are managed by county-level accounts and above; township and village accounts can only view them' });
  }
}

/** SQL: the record `x` (with county_code and village_code) is in the actor's area, with an optional extra reach. */
export function villageScope(actor: Actor, x: string, p: (v: unknown) => string, alsoWhen?: (pattern: string) => string): string {
  if (actor.areaCode === '*') return 'true';
  if (actor.areaCode.length <= 6) return `${x}.county_code LIKE ${p(`${actor.areaCode}%`)}`;
  const county = `${x}.county_code = ${p(actor.areaCode.slice(0, 6))}`;
  const pattern = p(scopePattern(actor));
  return `(${county} AND (${x}.village_code LIKE ${pattern}${alsoWhen ? ` OR ${alsoWhen(pattern)}` : ''}))`;
}

/** An area filter given by the user: a known code inside the actor's area, else NotFound. */
export async function checkArea(db: Query, actor: Actor, area: string | undefined): Promise<string | undefined> {
  if (area === undefined || area === '') return undefined;
  if (!/^\d{2,12}$/.test(area)) {
    throw new ValidationError([{ field: 'area', value: area, zh: '区划代码应为 2–12 位数字', en: 'The area code must be 2–12 digits' }]);
  }
  if (!inScope(actor, area) && !(actor.areaCode.startsWith(area))) throw new NotFound(T.area);
  const [a] = await db.query('SELECT 1 FROM areas WHERE code = $1', [area]);
  if (!a) throw new NotFound(T.area);
  return area;
}

/** The village a record sits in: a known level-5 area inside the actor's area (county given: inside it). */
export async function villageIssues(db: Query, actor: Actor, field: string, code: unknown, county?: string): Promise<FieldIssue[]> {
  const v = typeof code === 'string' ? code.trim() : '';
  if (!v) return [{ field, zh: '请选择所在村（12 位村级区划代码）', en: 'Choose the village (12-digit village code)' }];
  if (!/^\d{12}$/.test(v)) return [{ field, value: v, zh: `村代码“${v}”应为 12 位数字`, en: `Village code "${v}" must be 12 digits` }];
  const [a] = await db.query<{ level: number }>('SELECT level FROM areas WHERE code = $1', [v]);
  if (!a || Number(a.level) !== 5 || !inScope(actor, v)) {
    return [{ field, value: v, zh: `村 ${v} 不存在、不是村级区划或不在您的管辖范围内；请从区划中选择`, en: `Village ${v} does not exist, is not a village or is outside your area; choose one from the areas` }];
  }
  if (county && !v.startsWith(county)) {
    return [{ field, value: v, zh: `村 ${v} 不在本记录所属旗县（${county}）；不能把记录移到另一个旗县`, en: `Village ${v} is outside this record's county (${county}); a record cannot move to another county` }];
  }
  return [];
}

export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

export function fail(issues: FieldIssue[]): void {
  if (issues.length) throw new ValidationError(issues);
}

export function trimOrNull(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t ? t : null;
}

export function escapeLike(s: string): string {
  return s.replace(/[%_\\]/g, (m) => `\\${m}`);
}

/** A required or optional text, at most `max` characters. */
export function textIssues(field: string, value: unknown, label: { zh: string; en: string }, max: number, required = true): FieldIssue[] {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) return required ? [{ field, zh: `请填写${label.zh}`, en: `${label.en.charAt(0).toUpperCase()}${label.en.slice(1)} is required` }] : [];
  if (v.length > max) return [{ field, zh: `${label.zh}最多 ${max} 个字（现有 ${v.length} 个）；请精简`, en: `${label.en.charAt(0).toUpperCase()}${label.en.slice(1)} may have at most ${max} characters (it has ${v.length}); shorten it` }];
  return [];
}
