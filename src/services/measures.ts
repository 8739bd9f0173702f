// The measures ledger: what each household (or one of its members) was given, in which year, of
// which type and channel, how much, from which project and fund, and where its money goes in the
// yearly income record. Recording, correcting and deleting are audited; reading is area-scoped.
import type { Sql } from '../db/client.js';
import { Conflict, NotFound, ValidationError, type FieldIssue } from '../domain/errors.js';
import type { Text } from '../domain/policy-types.js';
import { CHANNEL_LABELS, FUND_SOURCE_LABELS, INCOME_COMPONENT_LABELS, type Channel, type FundSource, type IncomeComponent } from '../domain/assistance/catalogue.js';
import { validateMeasureFields, type MeasureInput } from '../domain/assistance/measures.js';
import { audit, inScope, require, scopeCounty, scopePattern, type Ctx } from './context.js';
import { loadHousehold } from './households.js';
import { typeForCounty } from './measure-types.js';

const MEASURE = { zh: '帮扶措施', en: 'measure' };

export interface MeasureView {
  id: number;
  countyCode: string;
  householdId: number;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string | null;
  memberId: number | null;
  memberName: string | null;
  typeCode: string;
  typeName: Text;
  unit: Text;
  channel: Channel;
  channelLabel: Text;
  year: number;
  givenOn: string | null;
  quantity: number | null;
  amount: number;
  projectId: number | null;
  projectName: string | null;
  fundSource: FundSource | null;
  fundSourceLabel: Text | null;
  incomeComponent: IncomeComponent;
  incomeComponentLabel: Text;
  note: string | null;
  recordedBy: string;
  createdAt: string;
  /** Bumped by each correction; a correction or deletion names the version it read. */
  version: number;
  /** Set when the measure is a line of an asset income's distribution: it changes only with that income. */
  assetIncomeId: number | null;
}

interface Row extends Omit<MeasureView, 'typeName' | 'unit' | 'channelLabel' | 'fundSourceLabel' | 'incomeComponentLabel'> {
  nameZh: string; nameEn: string; unitZh: string; unitEn: string;
}

export const MEASURE_SELECT = `SELECT m.id, m.county_code AS "countyCode", m.household_id AS "householdId", h.household_no AS "householdNo",
    h.head_name AS "headName", h.village_code AS "villageCode", v.name AS "villageName", m.member_id AS "memberId", mem.name AS "memberName",
    m.type_code AS "typeCode", t.name_zh AS "nameZh", t.name_en AS "nameEn", t.unit_zh AS "unitZh", t.unit_en AS "unitEn", t.channel,
    m.year, to_char(m.given_on, 'YYYY-MM-DD') AS "givenOn", m.quantity, m.amount, m.project_id AS "projectId", p.name AS "projectName",
    m.fund_source AS "fundSource", m.income_component AS "incomeComponent", m.note, m.recorded_by AS "recordedBy", m.created_at::text AS "createdAt",
    m.version, m.asset_income_id AS "assetIncomeId"
  FROM measures m
  JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id
  JOIN measure_types t ON t.code = m.type_code
  LEFT JOIN areas v ON v.code = h.village_code
  LEFT JOIN members mem ON mem.county_code = m.county_code AND mem.id = m.member_id
  LEFT JOIN projects p ON p.county_code = m.county_code AND p.id = m.project_id`;

const text = (t: Text): Text => ({ zh: t.zh, en: t.en });

export function measureView(r: Row): MeasureView {
  const { nameZh, nameEn, unitZh, unitEn, ...rest } = r;
  return {
    ...rest,
    typeName: { zh: nameZh, en: nameEn },
    unit: { zh: unitZh, en: unitEn },
    channelLabel: text(CHANNEL_LABELS[r.channel] ?? { zh: r.channel, en: r.channel }),
    fundSourceLabel: r.fundSource ? text(FUND_SOURCE_LABELS[r.fundSource] ?? { zh: r.fundSource, en: r.fundSource }) : null,
    incomeComponentLabel: text(INCOME_COMPONENT_LABELS[r.incomeComponent] ?? { zh: r.incomeComponent, en: r.incomeComponent }),
  };
}

async function readMeasure(db: Pick<Sql, 'query'>, countyCode: string, id: number): Promise<MeasureView> {
  const [r] = await db.query<Row>(`${MEASURE_SELECT} WHERE m.county_code = $1 AND m.id = $2`, [countyCode, id]);
  if (!r) throw new NotFound(MEASURE);
  return measureView(r);
}

/** The measures of one household the actor may see, newest year first. */
export async function listHouseholdMeasures(ctx: Ctx, householdId: number, q: { year?: number } = {}): Promise<{ items: MeasureView[] }> {
  require(ctx, 'register.read');
  const h = await loadHousehold(ctx.db, ctx, householdId);
  const rows = await ctx.db.query<Row>(
    `${MEASURE_SELECT} WHERE m.county_code = $1 AND m.household_id = $2 AND ($3::int IS NULL OR m.year = $3) ORDER BY m.year DESC, m.given_on DESC NULLS LAST, m.id DESC`,
    [h.countyCode, h.id, q.year ?? null],
  );
  return { items: rows.map(measureView) };
}

/**
 * Checks a measure against the register: the type (active, built in or this county's own), the
 * member (required for member types, and of this household), the project (this county's) and its
 * fund source (one of the project's budget sources). Returns the issues; nothing is written.
 */
async function registerIssues(tx: Pick<Sql, 'query'>, countyCode: string, householdId: number, m: MeasureInput): Promise<{ issues: FieldIssue[]; component?: IncomeComponent }> {
  const issues: FieldIssue[] = [];
  const type = await typeForCounty(tx, m.typeCode, countyCode);
  if (!type) {
    issues.push({ field: 'typeCode', value: m.typeCode, zh: `措施类型 ${m.typeCode} 不存在或不属于本旗县；请从措施类型目录中选择`, en: `Measure type ${m.typeCode} does not exist or is not this county's; choose one from the catalogue` });
  } else if (!type.active) {
    issues.push({ field: 'typeCode', value: m.typeCode, zh: `措施类型“${type.name.zh}”已停用，不能再登记；请选择其他类型或先重新启用`, en: `Measure type “${type.name.en}” is deactivated; choose another or reactivate it first` });
  }
  if (type?.target === 'member' && m.memberId === null) {
    issues.push({ field: 'memberId', zh: `“${type.name.zh}”发放给个人，请选择本户的一名成员`, en: `“${type.name.en}” is given to a person; choose a member of this household` });
  }
  if (m.memberId !== null) {
    const [mem] = await tx.query('SELECT 1 FROM members WHERE county_code = $1 AND household_id = $2 AND id = $3', [countyCode, householdId, m.memberId]);
    if (!mem) issues.push({ field: 'memberId', value: String(m.memberId), zh: `成员 ${m.memberId} 不是本户成员；请从本户成员中选择`, en: `Member ${m.memberId} is not in this household; choose one of its members` });
  }
  if (m.projectId !== null) {
    const [p] = await tx.query<{ name: string; serves: boolean }>(
      `SELECT p.name, (cardinality(p.village_codes) = 0 OR h.village_code = ANY(p.village_codes)) AS serves
         FROM projects p JOIN households h ON h.county_code = p.county_code AND h.id = $3
        WHERE p.county_code = $1 AND p.id = $2`,
      [countyCode, m.projectId, householdId],
    );
    if (!p) {
      issues.push({ field: 'projectId', value: String(m.projectId), zh: `本旗县没有编号为 ${m.projectId} 的项目；请从本旗县项目库中选择`, en: `This county has no project ${m.projectId}; choose one from the county's project library` });
    } else if (!p.serves) {
      // A project serves its listed villages (or the whole county when it lists none); a measure it
      // paid for elsewhere would put its money in the wrong village's figures.
      issues.push({ field: 'projectId', value: String(m.projectId), zh: `项目“${p.name}”不覆盖本户所在嘎查村；请选择覆盖本村或全旗县的项目，或先在项目库中把本村加入该项目`, en: `Project “${p.name}” does not serve this household's village; choose a project serving this village or the whole county, or add the village to the project first` });
    } else if (m.fundSource !== null) {
      const sources = (await tx.query<{ fund_source: FundSource }>('SELECT fund_source FROM project_budgets WHERE county_code = $1 AND project_id = $2 ORDER BY fund_source', [countyCode, m.projectId])).map((r) => r.fund_source);
      if (!sources.includes(m.fundSource)) {
        const list = (lang: 'zh' | 'en') => sources.map((s) => `${s}（${FUND_SOURCE_LABELS[s]?.[lang] ?? s}）`).join(lang === 'zh' ? '、' : ', ');
        issues.push(sources.length
          ? { field: 'fundSource', value: m.fundSource, zh: `项目“${p.name}”的预算中没有资金来源 ${m.fundSource}；可选：${list('zh')}`, en: `Project “${p.name}” has no budget from ${m.fundSource}; its sources are ${list('en')}` }
          : { field: 'fundSource', value: m.fundSource, zh: `项目“${p.name}”尚无预算，不能注明资金来源；请先在项目库中安排预算`, en: `Project “${p.name}” has no budget yet; allocate one in the project library first` });
      }
    }
  }
  return { issues, component: type?.incomeComponent };
}

function asStored(m: MeasureInput, component: IncomeComponent) {
  return { ...m, incomeComponent: m.incomeComponent ?? component };
}

/** Records a measure given to a household (or one of its members); audited. */
export async function recordMeasure(ctx: Ctx, householdId: number, body: Record<string, unknown>): Promise<MeasureView> {
  require(ctx, 'assistance.write');
  return ctx.db.transaction(async (tx) => {
    const h = await loadHousehold(tx, ctx, householdId);
    const v = validateMeasureFields(body);
    if (!v.value) throw new ValidationError(v.issues);
    const { issues, component } = await registerIssues(tx, h.countyCode, h.id, v.value);
    if (issues.length || !component) throw new ValidationError(issues);
    const m = asStored(v.value, component);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO measures (county_code, household_id, member_id, type_code, year, given_on, quantity, amount, project_id, fund_source, income_component, note, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id`,
      [h.countyCode, h.id, m.memberId, m.typeCode, m.year, m.givenOn, m.quantity, m.amount, m.projectId, m.fundSource, m.incomeComponent, m.note, ctx.actor.username],
    );
    await audit(tx, ctx.actor, { action: 'create', entity: 'measures', entityId: row!.id, countyCode: h.countyCode, householdId: h.id, after: m });
    return readMeasure(tx, h.countyCode, row!.id);
  });
}

/** A measure the actor may see (its household in their area), locked for a change. */
async function loadMeasure(tx: Pick<Sql, 'query'>, ctx: Ctx, id: number): Promise<MeasureView> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(MEASURE);
  const params: unknown[] = [id, scopePattern(ctx.actor)];
  const county = scopeCounty(ctx.actor);
  if (county) params.push(county);
  const [r] = await tx.query<{ countyCode: string }>(
    `SELECT m.county_code AS "countyCode" FROM measures m JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id
      WHERE m.id = $1 AND h.village_code LIKE $2 ${county ? 'AND m.county_code = $3' : ''} FOR UPDATE OF m`,
    params,
  );
  if (!r) throw new NotFound(MEASURE);
  return readMeasure(tx, r.countyCode, id);
}

/**
 * Checks the version the client read against the stored one (the row is locked by loadMeasure); a
 * stale one gets 409 with the current measure, and nothing is written.
 */
/** A line of an asset income's distribution changes only with that income (they must agree). */
function refuseDistributed(cur: MeasureView): void {
  if (cur.assetIncomeId !== null) {
    throw new Conflict(
      {
        zh: `该措施是资产收益分配（收益记录 ${cur.assetIncomeId}）的一行，不能单独更正或删除；请在项目库中更正该资产收益`,
        en: `This measure is a line of an asset income's distribution (income ${cur.assetIncomeId}) and cannot be corrected or deleted on its own; correct the asset income in the project library`,
      },
      cur,
    );
  }
}

function checkMeasureVersion(cur: MeasureView, version: unknown): void {
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) {
    throw new ValidationError([{ field: 'version', value: version === undefined ? undefined : String(version), zh: '缺少版本号 version（读取该措施时得到的数字）', en: 'Missing version (the number you got when reading the measure)' }]);
  }
  if (version !== cur.version) {
    throw new Conflict(
      {
        zh: `该措施已被他人更正（您读取的是第 ${version} 版，当前为第 ${cur.version} 版）；请重新加载后再修改`,
        en: `Someone else corrected this measure (you read version ${version}, it is now ${cur.version}); reload and try again`,
      },
      cur,
    );
  }
}

const EDITABLE = ['typeCode', 'memberId', 'year', 'givenOn', 'quantity', 'amount', 'projectId', 'fundSource', 'incomeComponent', 'note'] as const;

/**
 * Corrects a measure: the sent fields over the stored ones, checked as when recorded; audited. The
 * patch names the `version` read (a stale one gets 409); the correction bumps it.
 */
export async function updateMeasure(ctx: Ctx, id: number, patch: Record<string, unknown> & { version?: unknown }): Promise<MeasureView> {
  require(ctx, 'assistance.write');
  return ctx.db.transaction(async (tx) => {
    const cur = await loadMeasure(tx, ctx, id);
    refuseDistributed(cur);
    checkMeasureVersion(cur, patch.version);
    const merged: Record<string, unknown> = {};
    for (const k of EDITABLE) merged[k] = k in patch ? patch[k] : cur[k];
    // A new type brings its own income component unless one is sent.
    if ('typeCode' in patch && patch.typeCode !== cur.typeCode && !('incomeComponent' in patch)) merged.incomeComponent = null;
    const v = validateMeasureFields(merged);
    if (!v.value) throw new ValidationError(v.issues);
    const { issues, component } = await registerIssues(tx, cur.countyCode, cur.householdId, v.value);
    if (issues.length || !component) throw new ValidationError(issues);
    const m = asStored(v.value, component);
    await tx.query(
      `UPDATE measures SET member_id = $3, type_code = $4, year = $5, given_on = $6, quantity = $7, amount = $8, project_id = $9, fund_source = $10,
         income_component = $11, note = $12, version = version + 1 WHERE county_code = $1 AND id = $2`,
      [cur.countyCode, id, m.memberId, m.typeCode, m.year, m.givenOn, m.quantity, m.amount, m.projectId, m.fundSource, m.incomeComponent, m.note],
    );
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const k of EDITABLE) {
      if (JSON.stringify(cur[k]) !== JSON.stringify(m[k])) {
        before[k] = cur[k];
        after[k] = m[k];
      }
    }
    before.version = cur.version;
    after.version = cur.version + 1;
    await audit(tx, ctx.actor, { action: 'update', entity: 'measures', entityId: id, countyCode: cur.countyCode, householdId: cur.householdId, before, after });
    return readMeasure(tx, cur.countyCode, id);
  });
}

/** Deletes a measure that is still at the `version` read (a stale one gets 409); audited. */
export async function deleteMeasure(ctx: Ctx, id: number, version: unknown): Promise<{ deleted: number }> {
  require(ctx, 'assistance.write');
  return ctx.db.transaction(async (tx) => {
    const cur = await loadMeasure(tx, ctx, id);
    refuseDistributed(cur);
    checkMeasureVersion(cur, version);
    await tx.query('DELETE FROM measures WHERE county_code = $1 AND id = $2', [cur.countyCode, id]);
    await audit(tx, ctx.actor, { action: 'delete', entity: 'measures', entityId: id, countyCode: cur.countyCode, householdId: cur.householdId, before: cur });
    return { deleted: id };
  });
}

export interface LedgerFilters {
  area?: string;
  year?: number;
  channel?: string;
  type?: string;
  project?: number;
  page?: number;
  pageSize?: number;
}

/** WHERE clause of the county ledger: the area (inside the actor's scope) and the filters. */
export function ledgerWhere(ctx: Ctx, f: LedgerFilters): { where: string; params: unknown[] } {
  if (f.area && (!/^\d{2,12}$/.test(f.area) || !inScope(ctx.actor, f.area))) throw new NotFound({ zh: '区划', en: 'area' });
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const area = f.area ?? (ctx.actor.areaCode === '*' ? undefined : ctx.actor.areaCode);
  const conds: string[] = [];
  if (area) {
    conds.push(`h.village_code LIKE ${p(`${area}%`)}`);
    if (area.length >= 6) conds.push(`m.county_code = ${p(area.slice(0, 6))}`);
  }
  if (f.year !== undefined) conds.push(`m.year = ${p(f.year)}`);
  if (f.channel) conds.push(`t.channel = ${p(f.channel)}`);
  if (f.type) conds.push(`m.type_code = ${p(f.type)}`);
  if (f.project !== undefined) conds.push(`m.project_id = ${p(f.project)}`);
  return { where: conds.length ? conds.join(' AND ') : 'true', params };
}

/** The ledger of the actor's area (or `area` inside it), filtered, a page at a time, with the total amount. */
export async function listMeasures(ctx: Ctx, f: LedgerFilters): Promise<{ items: MeasureView[]; total: number; totalAmount: number; page: number; pageSize: number }> {
  require(ctx, 'register.read');
  const page = Math.max(1, f.page ?? 1);
  const pageSize = Math.min(500, Math.max(1, f.pageSize ?? 20));
  const { where, params } = ledgerWhere(ctx, f);
  const [sum] = await ctx.db.query<{ n: number; amount: number }>(
    `SELECT count(*)::int AS n, COALESCE(sum(m.amount), 0) AS amount FROM measures m
       JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id JOIN measure_types t ON t.code = m.type_code
      WHERE ${where}`,
    params,
  );
  const rows = await ctx.db.query<Row>(
    `${MEASURE_SELECT} WHERE ${where} ORDER BY m.year DESC, h.household_no, m.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  return { items: rows.map(measureView), total: sum?.n ?? 0, totalAmount: Number(sum?.amount ?? 0), page, pageSize };
}
