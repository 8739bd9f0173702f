// 电商产品: products sold online, by a cooperative or enterprise (a leader of the same county) or by
// the households of a village. Online sales attributed to households are recorded as measures of
// type ecommerce_sales (the measures ledger); this is the list of what is sold and where.
import { NotFound, type FieldIssue } from '../../domain/errors.js';
import { audit, type Ctx } from '../context.js';
import { leaderScope } from './leaders.js';
import { T, checkArea, escapeLike, fail, isUniqueViolation, paging, params, requireManage, requireRead, textIssues, trimOrNull, villageIssues, villageScope, type Query } from './shared.js';

export interface ProductView {
  id: number;
  countyCode: string;
  countyName: string;
  name: string;
  category: string;
  villageCode: string;
  villageName: string;
  leaderId: number | null;
  /** null for aggregates-only roles. */
  leaderName: string | null;
  shop: string | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ProductInput {
  name?: string;
  category?: string;
  villageCode?: string;
  leaderId?: number | null;
  shop?: string | null;
  note?: string | null;
}

const cols = `p.id, p.county_code AS "countyCode", c.name AS "countyName", p.name, p.category, p.village_code AS "villageCode", v.name AS "villageName",
  p.leader_id AS "leaderId", l.name AS "leaderName", p.shop, p.note, p.created_at::text AS "createdAt", p.updated_at::text AS "updatedAt"`;
const from = `FROM ecommerce_products p JOIN areas c ON c.code = p.county_code JOIN areas v ON v.code = p.village_code
  LEFT JOIN leaders l ON l.county_code = p.county_code AND l.id = p.leader_id`;

function view(r: ProductView, personal: boolean): ProductView {
  const v = { ...r, id: Number(r.id), leaderId: r.leaderId == null ? null : Number(r.leaderId) };
  return personal ? v : { ...v, leaderId: null, leaderName: null, note: null };
}

export async function listProducts(
  ctx: Ctx,
  f: { area?: string; category?: string; leader?: number; q?: string; page?: number; pageSize?: number },
): Promise<{ items: ProductView[]; total: number; page: number; pageSize: number; personal: boolean; byCategory: { category: string; n: number }[] }> {
  const personal = requireRead(ctx);
  const area = await checkArea(ctx.db, ctx.actor, f.area);
  const q = params();
  const conds = [villageScope(ctx.actor, 'p', q.p)];
  if (area) conds.push(area.length <= 6 ? `p.county_code LIKE ${q.p(`${area}%`)}` : `p.village_code LIKE ${q.p(`${area}%`)}`);
  if (f.category?.trim()) conds.push(`p.category = ${q.p(f.category.trim())}`);
  if (f.leader !== undefined) conds.push(`p.leader_id = ${q.p(f.leader)}`);
  if (f.q?.trim()) conds.push(`p.name LIKE ${q.p(`%${escapeLike(f.q.trim())}%`)}`);
  const where = conds.join(' AND ');
  const pg = paging(f);
  const cats = await ctx.db.query<{ category: string; n: number }>(`SELECT p.category, count(*)::int AS n FROM ecommerce_products p WHERE ${where} GROUP BY p.category ORDER BY n DESC, p.category`, q.list);
  const rows = await ctx.db.query<ProductView>(`SELECT ${cols} ${from} WHERE ${where} ORDER BY p.county_code, p.category, p.name, p.id ${pg.limit}`, q.list);
  return {
    items: rows.map((r) => view(r, personal)), total: cats.reduce((s, c) => s + Number(c.n), 0), page: pg.page, pageSize: pg.pageSize, personal,
    byCategory: cats.map((c) => ({ category: c.category, n: Number(c.n) })),
  };
}

async function readProduct(db: Query, ctx: Ctx, id: number, personal: boolean): Promise<ProductView> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(T.product);
  const q = params();
  const [row] = await db.query<ProductView>(`SELECT ${cols} ${from} WHERE p.id = ${q.p(id)} AND ${villageScope(ctx.actor, 'p', q.p)}`, q.list);
  if (!row) throw new NotFound(T.product);
  return view(row, personal);
}

export async function getProduct(ctx: Ctx, id: number): Promise<ProductView> {
  const personal = requireRead(ctx);
  return readProduct(ctx.db, ctx, id, personal);
}

async function productIssues(db: Query, ctx: Ctx, input: ProductInput, partial: boolean, county?: string): Promise<{ issues: FieldIssue[]; county?: string }> {
  const issues: FieldIssue[] = [];
  if (!partial || input.name !== undefined) issues.push(...textIssues('name', input.name, { zh: '产品名称', en: 'the product name' }, 100));
  if (!partial || input.category !== undefined) issues.push(...textIssues('category', input.category, { zh: '产品类别（如牛肉干、荞麦、蒙药材）', en: 'the category (e.g. beef jerky, buckwheat, herbs)' }, 50));
  let c = county;
  if (!partial || input.villageCode !== undefined) {
    const bad = await villageIssues(db, ctx.actor, 'villageCode', input.villageCode, county);
    issues.push(...bad);
    if (!bad.length) c = String(input.villageCode).trim().slice(0, 6);
  }
  if (input.leaderId != null) {
    const lid = input.leaderId;
    if (!Number.isSafeInteger(lid) || lid <= 0) {
      issues.push({ field: 'leaderId', value: String(lid), zh: '销售主体编号应为正整数，或留空', en: 'The seller id must be a positive whole number, or empty' });
    } else if (c) {
      const q = params();
      const [l] = await db.query(`SELECT 1 FROM leaders l WHERE l.county_code = ${q.p(c)} AND l.id = ${q.p(lid)} AND ${leaderScope(ctx.actor, 'l', q.p)}`, q.list);
      if (!l) issues.push({ field: 'leaderId', value: String(lid), zh: `带头人/合作社 ${lid} 不在产品所在旗县（${c}）；请从本旗县的带头人中选择，或留空`, en: `Leader ${lid} is not in the product's county (${c}); choose one of the county's leaders, or leave it empty` });
    }
  }
  issues.push(...textIssues('shop', input.shop, { zh: '店铺/平台', en: 'the shop or platform' }, 100, false));
  issues.push(...textIssues('note', input.note, { zh: '备注', en: 'the note' }, 1000, false));
  return { issues, county: c };
}

function duplicate(name: string): FieldIssue[] {
  return [{ field: 'name', value: name, zh: `该村已有名为“${name}”的电商产品；请换一个名称或修改已有记录`, en: `The village already has a product named "${name}"; use another name or edit that record` }];
}

export async function createProduct(ctx: Ctx, input: ProductInput): Promise<ProductView> {
  requireManage(ctx);
  const { issues, county } = await productIssues(ctx.db, ctx, input, false);
  fail(issues);
  const name = input.name!.trim();
  const village = input.villageCode!.trim();
  return ctx.db.transaction(async (tx) => {
    const [dup] = await tx.query('SELECT 1 FROM ecommerce_products WHERE county_code = $1 AND village_code = $2 AND name = $3', [county, village, name]);
    if (dup) fail(duplicate(name));
    let id: number;
    try {
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO ecommerce_products (county_code, name, category, village_code, leader_id, shop, note) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [county, name, input.category!.trim(), village, input.leaderId ?? null, trimOrNull(input.shop), trimOrNull(input.note)],
      );
      id = Number(row!.id);
    } catch (e) {
      if (isUniqueViolation(e)) fail(duplicate(name));
      throw e;
    }
    const after = await readProduct(tx, ctx, id, true);
    await audit(tx, ctx.actor, { action: 'create', entity: 'ecommerce_products', entityId: id, countyCode: county, after });
    return after;
  });
}

export async function updateProduct(ctx: Ctx, id: number, input: ProductInput): Promise<ProductView> {
  requireManage(ctx);
  const current = await readProduct(ctx.db, ctx, id, true);
  const { issues } = await productIssues(ctx.db, ctx, input, true, current.countyCode);
  fail(issues);
  return ctx.db.transaction(async (tx) => {
    const before = await readProduct(tx, ctx, id, true);
    const set: string[] = [];
    const vals: unknown[] = [before.countyCode, id];
    const put = (col: string, v: unknown) => set.push(`${col} = $${vals.push(v)}`);
    const name = input.name !== undefined ? input.name.trim() : before.name;
    const village = input.villageCode !== undefined ? input.villageCode.trim() : before.villageCode;
    if (name !== before.name || village !== before.villageCode) {
      const [dup] = await tx.query('SELECT 1 FROM ecommerce_products WHERE county_code = $1 AND village_code = $2 AND name = $3 AND id <> $4', [before.countyCode, village, name, id]);
      if (dup) fail(duplicate(name));
    }
    if (input.name !== undefined) put('name', name);
    if (input.category !== undefined) put('category', input.category.trim());
    if (input.villageCode !== undefined) put('village_code', village);
    if (input.leaderId !== undefined) put('leader_id', input.leaderId);
    if (input.shop !== undefined) put('shop', trimOrNull(input.shop));
    if (input.note !== undefined) put('note', trimOrNull(input.note));
    if (set.length) await tx.query(`UPDATE ecommerce_products SET ${set.join(', ')}, updated_at = now() WHERE county_code = $1 AND id = $2`, vals);
    const after = await readProduct(tx, ctx, id, true);
    await audit(tx, ctx.actor, { action: 'update', entity: 'ecommerce_products', entityId: id, countyCode: before.countyCode, before, after });
    return after;
  });
}
