// 景区带村: scenic spots and the villages of their county they bring along (jobs, sales, farm stays).
import { NotFound, type FieldIssue } from '../../domain/errors.js';
import { SCENIC_GRADES, SCENIC_GRADE_LABELS, linkedVillageIssues } from '../../domain/assistance/links.js';
import { isOneOf } from '../../domain/assistance/catalogue.js';
import type { Text } from '../../domain/policy-types.js';
import { audit, type Actor, type Ctx } from '../context.js';
import { T, checkArea, escapeLike, fail, isUniqueViolation, paging, params, requireManage, requireRead, textIssues, trimOrNull, villageIssues, villageScope, type Query } from './shared.js';

export interface SpotView {
  id: number;
  countyCode: string;
  countyName: string;
  name: string;
  grade: string | null;
  gradeLabel: Text | null;
  villageCode: string;
  villageName: string;
  linkedVillages: { code: string; name: string; households: number }[];
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SpotInput {
  name?: string;
  grade?: string | null;
  villageCode?: string;
  linkedVillageCodes?: string[] | null;
  note?: string | null;
}

/** SQL: spot `s` is visible (in the area, or bringing along a village there). */
export function spotScope(actor: Actor, s: string, p: (v: unknown) => string): string {
  return villageScope(actor, s, p, (pattern) => `EXISTS (SELECT 1 FROM unnest(${s}.linked_village_codes) lv(code) WHERE lv.code LIKE ${pattern})`);
}

const cols = `s.id, s.county_code AS "countyCode", c.name AS "countyName", s.name, s.grade, s.village_code AS "villageCode", v.name AS "villageName", s.note,
  coalesce((SELECT jsonb_agg(jsonb_build_object('code', lv.code, 'name', coalesce(a.name, lv.code),
      'households', (SELECT count(*)::int FROM households h WHERE h.county_code = s.county_code AND h.village_code = lv.code)) ORDER BY lv.ord)
     FROM unnest(s.linked_village_codes) WITH ORDINALITY lv(code, ord) LEFT JOIN areas a ON a.code = lv.code), '[]'::jsonb) AS "linkedVillages",
  s.created_at::text AS "createdAt", s.updated_at::text AS "updatedAt"`;
const from = 'FROM scenic_spots s JOIN areas c ON c.code = s.county_code JOIN areas v ON v.code = s.village_code';

function view(r: Omit<SpotView, 'gradeLabel'>): SpotView {
  return {
    ...r, id: Number(r.id),
    gradeLabel: r.grade && isOneOf(SCENIC_GRADES, r.grade) ? SCENIC_GRADE_LABELS[r.grade] : null,
    linkedVillages: (r.linkedVillages ?? []).map((x) => ({ ...x, households: Number(x.households) })),
  };
}

export async function listSpots(ctx: Ctx, f: { area?: string; grade?: string; q?: string; page?: number; pageSize?: number }): Promise<{ items: SpotView[]; total: number; page: number; pageSize: number; linkedVillages: number }> {
  requireRead(ctx);
  const area = await checkArea(ctx.db, ctx.actor, f.area);
  const q = params();
  const conds = [spotScope(ctx.actor, 's', q.p)];
  if (area) conds.push(area.length <= 6 ? `s.county_code LIKE ${q.p(`${area}%`)}` : `(s.village_code LIKE ${q.p(`${area}%`)} OR EXISTS (SELECT 1 FROM unnest(s.linked_village_codes) fv(code) WHERE fv.code LIKE ${q.p(`${area}%`)}))`);
  if (f.grade) conds.push(`s.grade = ${q.p(f.grade)}`);
  if (f.q?.trim()) conds.push(`s.name LIKE ${q.p(`%${escapeLike(f.q.trim())}%`)}`);
  const where = conds.join(' AND ');
  const pg = paging(f);
  const [n] = await ctx.db.query<{ n: number; v: number }>(
    `SELECT count(*)::int AS n, (SELECT count(DISTINCT (x.county_code, x.code))::int FROM (SELECT s.county_code, unnest(s.linked_village_codes) AS code FROM scenic_spots s WHERE ${where}) x) AS v
       FROM scenic_spots s WHERE ${where}`,
    q.list,
  );
  const rows = await ctx.db.query<Omit<SpotView, 'gradeLabel'>>(`SELECT ${cols} ${from} WHERE ${where} ORDER BY s.county_code, s.name, s.id ${pg.limit}`, q.list);
  return { items: rows.map(view), total: Number(n?.n ?? 0), page: pg.page, pageSize: pg.pageSize, linkedVillages: Number(n?.v ?? 0) };
}

async function readSpot(db: Query, ctx: Ctx, id: number): Promise<SpotView> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(T.spot);
  const q = params();
  const [row] = await db.query<Omit<SpotView, 'gradeLabel'>>(`SELECT ${cols} ${from} WHERE s.id = ${q.p(id)} AND ${spotScope(ctx.actor, 's', q.p)}`, q.list);
  if (!row) throw new NotFound(T.spot);
  return view(row);
}

export async function getSpot(ctx: Ctx, id: number): Promise<SpotView> {
  requireRead(ctx);
  return readSpot(ctx.db, ctx, id);
}

async function spotIssues(db: Query, ctx: Ctx, input: SpotInput, partial: boolean, county?: string): Promise<{ issues: FieldIssue[]; county?: string; linked?: string[] }> {
  const issues: FieldIssue[] = [];
  if (!partial || input.name !== undefined) issues.push(...textIssues('name', input.name, { zh: '景区名称', en: 'the name of the scenic spot' }, 100));
  if (input.grade != null && input.grade !== '' && !isOneOf(SCENIC_GRADES, input.grade)) {
    issues.push({ field: 'grade', value: String(input.grade), zh: `景区等级应为 ${SCENIC_GRADES.join('、')} 之一，未评级请留空`, en: `The grade must be one of ${SCENIC_GRADES.join(', ')}, or empty when not graded` });
  }
  let spotCounty = county;
  if (!partial || input.villageCode !== undefined) {
    const bad = await villageIssues(db, ctx.actor, 'villageCode', input.villageCode, county);
    issues.push(...bad);
    if (!bad.length) spotCounty = String(input.villageCode).trim().slice(0, 6);
  }
  let linked: string[] | undefined;
  if (input.linkedVillageCodes !== undefined && spotCounty) {
    const r = linkedVillageIssues(spotCounty, input.linkedVillageCodes);
    issues.push(...r.issues);
    linked = r.codes;
    if (r.codes.length) {
      const known = await db.query<{ code: string }>('SELECT code FROM areas WHERE code = ANY($1::varchar[]) AND level = 5', [r.codes]);
      const have = new Set(known.map((k) => k.code));
      (input.linkedVillageCodes ?? []).forEach((c, i) => {
        const v = String(c);
        if (/^\d{12}$/.test(v) && v.startsWith(spotCounty!) && !have.has(v)) {
          issues.push({ field: `linkedVillageCodes.${i}`, value: v, zh: `第 ${i + 1} 个带动村 ${v} 不是已知的村级区划；请从区划中选择`, en: `Linked village ${i + 1} (${v}) is not a known village; choose one from the areas` });
        }
      });
    }
  }
  issues.push(...textIssues('note', input.note, { zh: '备注', en: 'the note' }, 1000, false));
  return { issues, county: spotCounty, linked };
}

function duplicate(name: string): FieldIssue[] {
  return [{ field: 'name', value: name, zh: `本旗县已有名为“${name}”的景区；请换一个名称或修改已有记录`, en: `The county already has a scenic spot named "${name}"; use another name or edit that record` }];
}

export async function createSpot(ctx: Ctx, input: SpotInput): Promise<SpotView> {
  requireManage(ctx);
  const { issues, county, linked } = await spotIssues(ctx.db, ctx, input, false);
  fail(issues);
  const name = input.name!.trim();
  return ctx.db.transaction(async (tx) => {
    const [dup] = await tx.query('SELECT 1 FROM scenic_spots WHERE county_code = $1 AND name = $2', [county, name]);
    if (dup) fail(duplicate(name));
    let id: number;
    try {
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO scenic_spots (county_code, name, grade, village_code, linked_village_codes, note) VALUES ($1, $2, $3, $4, $5::varchar[], $6) RETURNING id`,
        [county, name, input.grade || null, input.villageCode!.trim(), linked ?? [], trimOrNull(input.note)],
      );
      id = Number(row!.id);
    } catch (e) {
      if (isUniqueViolation(e)) fail(duplicate(name));
      throw e;
    }
    const after = await readSpot(tx, ctx, id);
    await audit(tx, ctx.actor, { action: 'create', entity: 'scenic_spots', entityId: id, countyCode: county, after });
    return after;
  });
}

export async function updateSpot(ctx: Ctx, id: number, input: SpotInput): Promise<SpotView> {
  requireManage(ctx);
  const current = await readSpot(ctx.db, ctx, id);
  const { issues, linked } = await spotIssues(ctx.db, ctx, input, true, current.countyCode);
  fail(issues);
  return ctx.db.transaction(async (tx) => {
    const before = await readSpot(tx, ctx, id);
    const set: string[] = [];
    const vals: unknown[] = [before.countyCode, id];
    const put = (col: string, v: unknown, cast = '') => set.push(`${col} = $${vals.push(v)}${cast}`);
    if (input.name !== undefined) {
      const name = input.name.trim();
      const [dup] = await tx.query('SELECT 1 FROM scenic_spots WHERE county_code = $1 AND name = $2 AND id <> $3', [before.countyCode, name, id]);
      if (dup) fail(duplicate(name));
      put('name', name);
    }
    if (input.grade !== undefined) put('grade', input.grade || null);
    if (input.villageCode !== undefined) put('village_code', input.villageCode.trim());
    if (input.linkedVillageCodes !== undefined) put('linked_village_codes', linked ?? [], '::varchar[]');
    if (input.note !== undefined) put('note', trimOrNull(input.note));
    if (set.length) await tx.query(`UPDATE scenic_spots SET ${set.join(', ')}, updated_at = now() WHERE county_code = $1 AND id = $2`, vals);
    const after = await readSpot(tx, ctx, id);
    await audit(tx, ctx.actor, { action: 'update', entity: 'scenic_spots', entityId: id, countyCode: before.countyCode, before, after });
    return after;
  });
}
