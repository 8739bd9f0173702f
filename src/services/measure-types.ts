// The measure-type catalogue: the built-in types (county_code null, loaded on migrate from
// domain/assistance/catalogue.ts) and the types a county adds for itself, grouped by channel.
import type { Sql } from '../db/client.js';
import { Forbidden, NotFound, ValidationError } from '../domain/errors.js';
import type { Text } from '../domain/policy-types.js';
import {
  BUILTIN_MEASURE_TYPES, CHANNELS, CHANNEL_LABELS, FUND_SOURCES, FUND_SOURCE_LABELS, INCOME_COMPONENTS, INCOME_COMPONENT_LABELS, type Channel, type IncomeComponent,
} from '../domain/assistance/catalogue.js';
import { validateMeasureTypeFields } from '../domain/assistance/measures.js';
import { audit, inScope, require, scopeCounty, scopePattern, type Actor, type Ctx } from './context.js';

export interface MeasureTypeView {
  code: string;
  channel: Channel;
  name: Text;
  unit: Text;
  target: 'household' | 'member';
  incomeComponent: IncomeComponent;
  /** null: built in, the same for every county. */
  countyCode: string | null;
  active: boolean;
}

export interface MeasureTypeCatalogue {
  channels: { key: Channel; label: Text; types: MeasureTypeView[] }[];
  fundSources: { key: string; label: Text }[];
  incomeComponents: { key: string; label: Text }[];
}

export const typeCols = `code, channel, name_zh, name_en, unit_zh, unit_en, target, income_component, county_code, active`;

interface TypeRow {
  code: string; channel: Channel; name_zh: string; name_en: string; unit_zh: string; unit_en: string;
  target: 'household' | 'member'; income_component: IncomeComponent; county_code: string | null; active: boolean;
}

export function typeView(r: TypeRow): MeasureTypeView {
  return {
    code: r.code, channel: r.channel, name: { zh: r.name_zh, en: r.name_en }, unit: { zh: r.unit_zh, en: r.unit_en },
    target: r.target, incomeComponent: r.income_component, countyCode: r.county_code, active: r.active,
  };
}

const BUILTIN_ORDER = new Map(BUILTIN_MEASURE_TYPES.map((t, i) => [t.code, i]));
const label = (t: Text): Text => ({ zh: t.zh, en: t.en });

/** The county whose own types an actor works with: the one asked (in or above their area) or their own. */
function countyFor(actor: Actor, asked?: string): string | undefined {
  if (asked) {
    if (!/^\d{6}$/.test(asked) || !(inScope(actor, asked) || actor.areaCode.startsWith(asked))) throw new NotFound({ zh: '旗县', en: 'county' });
    return asked;
  }
  return scopeCounty(actor);
}

/**
 * Built-in types plus the county's own (the actor's county, or `county`); an actor above county
 * level without `county` sees the own types of every county in their area. Any signed-in role may
 * read it: it is a code list.
 */
export async function listMeasureTypes(ctx: Ctx, q: { county?: string; includeInactive?: boolean } = {}): Promise<MeasureTypeCatalogue> {
  const county = countyFor(ctx.actor, q.county);
  const params: unknown[] = [county ?? null, county ? null : scopePattern(ctx.actor)];
  const rows = await ctx.db.query<TypeRow>(
    `SELECT ${typeCols} FROM measure_types
      WHERE (county_code IS NULL OR county_code = $1 OR ($1::text IS NULL AND county_code LIKE $2))
        ${q.includeInactive ? '' : 'AND active'}
      ORDER BY county_code NULLS FIRST, code`,
    params,
  );
  // Built-ins in the catalogue's order, then the counties' own by code.
  const rank = (r: TypeRow) => (r.county_code === null ? BUILTIN_ORDER.get(r.code) ?? 999 : 1000);
  rows.sort((a, b) => rank(a) - rank(b));
  return {
    channels: CHANNELS.map((c) => ({ key: c, label: label(CHANNEL_LABELS[c]), types: rows.filter((r) => r.channel === c).map(typeView) })),
    fundSources: FUND_SOURCES.map((f) => ({ key: f, label: label(FUND_SOURCE_LABELS[f]) })),
    incomeComponents: INCOME_COMPONENTS.map((c) => ({ key: c, label: label(INCOME_COMPONENT_LABELS[c]) })),
  };
}

/** A type usable for a measure of a household in `countyCode`: built in, or that county's own. */
export async function typeForCounty(tx: Pick<Sql, 'query'>, code: string, countyCode: string): Promise<MeasureTypeView | undefined> {
  const [r] = await tx.query<TypeRow>(`SELECT ${typeCols} FROM measure_types WHERE code = $1 AND (county_code IS NULL OR county_code = $2)`, [code, countyCode]);
  return r ? typeView(r) : undefined;
}

/** County types are kept by the county office (or above): a township's reviewer may not change a whole county's list. */
function manageCounty(ctx: Ctx, asked?: string): string {
  require(ctx, 'assistance.manage');
  if (ctx.actor.areaCode !== '*' && ctx.actor.areaCode.length > 6) {
    throw new Forbidden({ zh: '旗县自定义措施类型由旗县扶贫办或以上维护', en: 'A county’s own measure types are kept by the county office or above' });
  }
  const county = asked ?? (ctx.actor.areaCode.length === 6 ? ctx.actor.areaCode : undefined);
  if (!county) throw new ValidationError([{ field: 'countyCode', zh: '请指明旗县代码 countyCode（6 位）', en: 'Name the county (countyCode, 6 digits)' }]);
  if (!/^\d{6}$/.test(county) || !inScope(ctx.actor, county)) throw new NotFound({ zh: '旗县', en: 'county' });
  return county;
}

export async function createMeasureType(ctx: Ctx, input: Record<string, unknown>): Promise<MeasureTypeView> {
  const county = manageCounty(ctx, typeof input.countyCode === 'string' ? input.countyCode : undefined);
  const [area] = await ctx.db.query('SELECT 1 FROM areas WHERE code = $1 AND level = 3', [county]);
  if (!area) throw new NotFound({ zh: '旗县', en: 'county' });
  const v = validateMeasureTypeFields(input, county);
  if (!v.value) throw new ValidationError(v.issues);
  const t = v.value;
  return ctx.db.transaction(async (tx) => {
    const [dup] = await tx.query('SELECT 1 FROM measure_types WHERE code = $1', [t.code]);
    if (dup) throw new ValidationError([{ field: 'code', value: t.code, zh: `代码 ${t.code} 已存在；请换一个代码`, en: `Code ${t.code} already exists; choose another` }]);
    const [row] = await tx.query<TypeRow>(
      `INSERT INTO measure_types (code, channel, name_zh, name_en, unit_zh, unit_en, target, income_component, county_code)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING ${typeCols}`,
      [t.code, t.channel, t.nameZh, t.nameEn, t.unitZh, t.unitEn, t.target, t.incomeComponent, county],
    );
    await audit(tx, ctx.actor, { action: 'create', entity: 'measure_types', entityId: t.code, countyCode: county, after: t });
    return typeView(row!);
  });
}

/** Deactivates (or reactivates) a county's own type, or corrects its names; built-ins cannot be changed. */
export async function updateMeasureType(ctx: Ctx, code: string, patch: { active?: boolean; nameZh?: string; nameEn?: string; unitZh?: string; unitEn?: string }): Promise<MeasureTypeView> {
  require(ctx, 'assistance.manage');
  return ctx.db.transaction(async (tx) => {
    const [cur] = await tx.query<TypeRow>(`SELECT ${typeCols} FROM measure_types WHERE code = $1 FOR UPDATE`, [code]);
    if (!cur || (cur.county_code !== null && !inScope(ctx.actor, cur.county_code) && !ctx.actor.areaCode.startsWith(cur.county_code))) throw new NotFound({ zh: '措施类型', en: 'measure type' });
    if (cur.county_code === null) {
      throw new Forbidden({ zh: `${cur.name_zh}（${code}）是系统内置类型，不能修改或停用；如需不同口径请新增本旗县类型`, en: `${cur.name_en} (${code}) is built in and cannot be changed or deactivated; add a county type instead` });
    }
    manageCounty(ctx, cur.county_code);
    const issues = [];
    const next = { ...cur };
    for (const [k, col, max] of [['nameZh', 'name_zh', 100], ['nameEn', 'name_en', 100], ['unitZh', 'unit_zh', 16], ['unitEn', 'unit_en', 16]] as const) {
      const val = patch[k];
      if (val === undefined) continue;
      const s = val.trim();
      if (!s || s.length > max) issues.push({ field: k, zh: `${k} 不能为空，最长 ${max} 字`, en: `${k} cannot be empty and has at most ${max} characters` });
      else next[col] = s;
    }
    if (issues.length) throw new ValidationError(issues);
    if (patch.active !== undefined) next.active = patch.active;
    const [row] = await tx.query<TypeRow>(
      `UPDATE measure_types SET name_zh = $2, name_en = $3, unit_zh = $4, unit_en = $5, active = $6 WHERE code = $1 RETURNING ${typeCols}`,
      [code, next.name_zh, next.name_en, next.unit_zh, next.unit_en, next.active],
    );
    await audit(tx, ctx.actor, { action: 'update', entity: 'measure_types', entityId: code, countyCode: cur.county_code, before: typeView(cur), after: typeView(row!) });
    return typeView(row!);
  });
}
