// Assets a project created (a village solar station, a cattle barn…) and their income by period.
// A solar station's income is split by the village's decision with the solar calculator
// (domain/calculators/solar.ts); the result (lines and arithmetic) is stored with the income, and
// the amounts of recipients linked to registered households go into the measures ledger
// (solar_job for a member's job wage, solar_reward for a household's reward or subsidy) in the same
// transaction, so the ledger and the distribution cannot disagree.
import type { Sql } from '../../db/client.js';
import { NotFound, ValidationError, type FieldIssue } from '../../domain/errors.js';
import { ASSET_KINDS, ASSET_KIND_LABELS, FUND_SOURCES, FUND_SOURCE_LABELS, type FundSource } from '../../domain/assistance/catalogue.js';
import { ledgerDay, ledgerFundSource, withoutLabour } from '../../domain/assistance/projects.js';
import { calcSolar, checkSolar, PURPOSES, type CalcResult } from '../../domain/calculators/index.js';
import { mayDo } from '../../domain/roles.js';
import { audit, inScope, require, scopePattern, type Ctx } from '../context.js';
import { policyYearLookup } from '../policy.js';
import { ASSET, Fields, assetKindLabel, loadProject, requireCounty, type ProjectRow } from './shared.js';

export interface AssetView {
  id: number;
  countyCode: string;
  projectId: number | null;
  projectName: string | null;
  villageCode: string;
  villageName: string | null;
  kind: string;
  kindLabel: { zh: string; en: string };
  name: string;
  capacity: number | null;
  value: number | null;
  completedOn: string | null;
  owner: string;
  incomeTotal: number;
  incomeCount: number;
  createdAt: string;
}

const assetCols = `a.id, a.county_code AS "countyCode", a.project_id AS "projectId", p.name AS "projectName", a.village_code AS "villageCode",
  v.name AS "villageName", a.kind, a.name, a.capacity, a.value, a.completed_on::text AS "completedOn", a.owner, a.created_at::text AS "createdAt",
  COALESCE((SELECT sum(i.amount) FROM asset_incomes i WHERE i.county_code = a.county_code AND i.asset_id = a.id), 0) AS "incomeTotal",
  (SELECT count(*)::int FROM asset_incomes i WHERE i.county_code = a.county_code AND i.asset_id = a.id) AS "incomeCount"`;
const assetFrom = `assets a LEFT JOIN projects p ON p.county_code = a.county_code AND p.id = a.project_id LEFT JOIN areas v ON v.code = a.village_code`;
const presentAsset = (r: Omit<AssetView, 'kindLabel'>): AssetView => ({ ...r, kindLabel: assetKindLabel(r.kind) });

/** The assets of a project in villages matching `areaPattern` (the reader's scopePattern): a village
 * account opening a county-wide project sees its own village's assets only, as GET /assets does. */
export async function assetsOfProject(db: Pick<Sql, 'query'>, p: Pick<ProjectRow, 'countyCode' | 'id'>, areaPattern: string): Promise<AssetView[]> {
  const rows = await db.query<Omit<AssetView, 'kindLabel'>>(
    `SELECT ${assetCols} FROM ${assetFrom} WHERE a.county_code = $1 AND a.project_id = $2 AND a.village_code LIKE $3 ORDER BY a.id`,
    [p.countyCode, p.id, areaPattern],
  );
  return rows.map(presentAsset);
}

/** An asset in the actor's area (its village), or NotFound. */
async function loadAsset(db: Pick<Sql, 'query'>, ctx: Ctx, id: number, lock = false): Promise<AssetView> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(ASSET);
  if (lock) {
    const [l] = await db.query('SELECT 1 FROM assets WHERE id = $1 AND village_code LIKE $2 FOR UPDATE', [id, scopePattern(ctx.actor)]);
    if (!l) throw new NotFound(ASSET);
  }
  const [row] = await db.query<Omit<AssetView, 'kindLabel'>>(`SELECT ${assetCols} FROM ${assetFrom} WHERE a.id = $1 AND a.village_code LIKE $2`, [id, scopePattern(ctx.actor)]);
  if (!row) throw new NotFound(ASSET);
  return presentAsset(row);
}

export async function getAsset(ctx: Ctx, id: number): Promise<AssetView> {
  require(ctx, 'aggregates.read');
  return loadAsset(ctx.db, ctx, id);
}

export async function listAssets(ctx: Ctx, q: { area?: string; projectId?: number; kind?: string }): Promise<AssetView[]> {
  require(ctx, 'aggregates.read');
  if (q.area && !inScope(ctx.actor, q.area)) throw new NotFound({ zh: '区划', en: 'area' });
  const params: unknown[] = [q.area ? `${q.area}%` : scopePattern(ctx.actor)];
  const conds = ['a.village_code LIKE $1'];
  if (q.projectId) {
    params.push(q.projectId);
    conds.push(`a.project_id = $${params.length}`);
  }
  if (q.kind) {
    params.push(q.kind);
    conds.push(`a.kind = $${params.length}`);
  }
  const rows = await ctx.db.query<Omit<AssetView, 'kindLabel'>>(`SELECT ${assetCols} FROM ${assetFrom} WHERE ${conds.join(' AND ')} ORDER BY a.village_code, a.id LIMIT 1000`, params);
  return rows.map(presentAsset);
}

export interface AssetInput {
  projectId?: unknown;
  villageCode?: unknown;
  kind?: unknown;
  name?: unknown;
  capacity?: unknown;
  value?: unknown;
  completedOn?: unknown;
  owner?: unknown;
}

export async function createAsset(ctx: Ctx, body: AssetInput): Promise<AssetView> {
  require(ctx, 'projects.write');
  const f = new Fields();
  const projectId = typeof body.projectId === 'number' && Number.isSafeInteger(body.projectId) && body.projectId > 0 ? body.projectId : undefined;
  if (projectId === undefined) f.add('projectId', body.projectId, '缺少 projectId：资产由哪个项目形成', 'projectId is required: the project that created the asset');
  const kind = f.oneOf('kind', body.kind, ASSET_KINDS, ASSET_KIND_LABELS);
  const name = f.text('name', body.name, 100, true);
  if (body.name === undefined) f.add('name', undefined, '缺少资产名称 name', 'name is required');
  let capacity: number | null = null;
  if (body.capacity !== undefined && body.capacity !== null) {
    if (typeof body.capacity !== 'number' || !(body.capacity > 0) || body.capacity >= 1e10 || !Number.isInteger(Number((body.capacity * 100).toPrecision(15)))) {
      f.add('capacity', body.capacity, 'capacity 应为大于 0 的数，最多两位小数（光伏电站按千瓦，牛舍按头，其他按平方米）', 'capacity must be a number above 0 with at most two decimals (kW for a solar station, head for a barn, m² otherwise)');
    } else capacity = body.capacity;
  }
  const value = body.value === undefined || body.value === null ? null : (f.amount('value', body.value, false) ?? null);
  const completedOn = f.day('completedOn', body.completedOn) ?? null;
  const owner = f.text('owner', body.owner, 100, false) ?? '村集体';
  const villageCode = typeof body.villageCode === 'string' ? body.villageCode : '';
  if (!villageCode) f.add('villageCode', body.villageCode, '缺少资产所在村 villageCode（12 位村级代码）', 'villageCode is required (a 12-digit village code)');
  if (f.issues.length || projectId === undefined || !kind || !name) throw new ValidationError(f.issues);
  const id = await ctx.db.transaction(async (tx) => {
    const p = await loadProject(tx, ctx, projectId);
    requireCounty(ctx.actor, p.countyCode);
    const [v] = await tx.query('SELECT 1 FROM areas WHERE code = $1 AND level = 5', [villageCode]);
    if (!v || !villageCode.startsWith(p.countyCode) || !inScope(ctx.actor, villageCode)) {
      throw new ValidationError([{ field: 'villageCode', value: villageCode, zh: `村代码 ${villageCode} 不是项目所在旗县（${p.countyCode}）的村；资产须建在项目旗县内`, en: `Village ${villageCode} is not a village of the project’s county ${p.countyCode}; the asset must be in that county` }]);
    }
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO assets (county_code, project_id, village_code, kind, name, capacity, value, completed_on, owner)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [p.countyCode, p.id, villageCode, kind, name, capacity, value, completedOn, owner],
    );
    await audit(tx, ctx.actor, { action: 'create', entity: 'assets', entityId: row!.id, countyCode: p.countyCode, after: { projectId: p.id, villageCode, kind, name, capacity, value, completedOn, owner } });
    return row!.id;
  });
  return getAsset(ctx, id);
}

// --- income and its distribution ---------------------------------------------------------------

export interface RecipientIn {
  name?: unknown;
  purpose?: unknown;
  weight?: unknown;
  noLabour?: unknown;
  householdId?: unknown;
  memberId?: unknown;
}

export interface IncomeInput {
  year?: unknown;
  quarter?: unknown;
  amount?: unknown;
  decidedOn?: unknown;
  decisionNote?: unknown;
  fundSource?: unknown;
  distribution?: { shares?: unknown; noLabourFactor?: unknown; recipients?: unknown } | null;
}

export interface LedgerRow {
  measureId: number;
  householdId: number;
  memberId: number | null;
  typeCode: string;
  amount: number;
}

/** What is stored in asset_incomes.distribution. */
export interface StoredDistribution {
  shares: Record<string, number>;
  noLabourFactor: number;
  recipients: { name: string; purpose: string; weight: number; noLabour: boolean; householdId: number | null; memberId: number | null; amount: number }[];
  result: CalcResult;
  /** The project fund source recorded on the ledger rows (null when the asset has no project). */
  fundSource: FundSource | null;
  ledger: LedgerRow[];
}

export interface IncomeView {
  id: number;
  assetId: number;
  year: number;
  quarter: number | null;
  amount: number;
  decidedOn: string | null;
  decisionNote: string | null;
  /** null when the actor may not read personal data (recipients are named people). */
  distribution: StoredDistribution | null;
  recordedBy: string;
  createdAt: string;
}

const incomeCols = `id, asset_id AS "assetId", year, quarter, amount, decided_on::text AS "decidedOn", decision_note AS "decisionNote",
  distribution, recorded_by AS "recordedBy", created_at::text AS "createdAt"`;

export async function listIncomes(ctx: Ctx, assetId: number): Promise<IncomeView[]> {
  require(ctx, 'aggregates.read');
  const a = await loadAsset(ctx.db, ctx, assetId);
  const rows = await ctx.db.query<IncomeView>(`SELECT ${incomeCols} FROM asset_incomes WHERE county_code = $1 AND asset_id = $2 ORDER BY year DESC, quarter DESC NULLS LAST`, [a.countyCode, a.id]);
  return rows.map((r) => presentIncome(ctx, r));
}

/** The decision note is free text (it may name people): like the distribution, register.read only. */
function presentIncome(ctx: Ctx, r: IncomeView): IncomeView {
  return mayDo(ctx.actor.role, 'register.read') ? r : { ...r, decisionNote: null, distribution: null };
}

const prefixed = (issues: FieldIssue[], prefix: string): FieldIssue[] => issues.map((i) => ({ ...i, field: `${prefix}${i.field}` }));

interface LinkedRecipient { name: string; purpose: string; weight: unknown; noLabour: boolean; householdId: number | null; memberId: number | null }

/** Checks the links of each recipient to the register; fills in names and the no-labour flag from it. */
async function linkRecipients(tx: Sql, asset: AssetView, raw: unknown): Promise<LinkedRecipient[]> {
  if (!Array.isArray(raw)) return [];
  const issues: FieldIssue[] = [];
  const out: LinkedRecipient[] = [];
  for (const [i, r0] of raw.entries()) {
    const r = (r0 && typeof r0 === 'object' ? r0 : {}) as RecipientIn;
    const f = `distribution.recipients.${i}`;
    const householdId = r.householdId === undefined || r.householdId === null ? null : r.householdId;
    const memberId = r.memberId === undefined || r.memberId === null ? null : r.memberId;
    let name = typeof r.name === 'string' ? r.name.trim() : '';
    let noLabour = typeof r.noLabour === 'boolean' ? r.noLabour : false;
    const purpose = typeof r.purpose === 'string' ? r.purpose : '';
    if (householdId !== null) {
      if (typeof householdId !== 'number' || !Number.isSafeInteger(householdId)) {
        issues.push({ field: `${f}.householdId`, value: String(householdId), zh: 'householdId 应为农户编号（数字 id）', en: 'householdId must be a household id (a number)' });
        continue;
      }
      if (purpose === 'works') {
        issues.push({ field: `${f}.householdId`, value: String(householdId), zh: '小型公益事业的受益对象是工程，不是农户；请去掉 householdId', en: 'Small public works go to a work, not a household; remove householdId' });
        continue;
      }
      const [h] = await tx.query<{ headName: string; householdNo: string; villageCode: string }>(
        'SELECT head_name AS "headName", household_no AS "householdNo", village_code AS "villageCode" FROM households WHERE county_code = $1 AND id = $2',
        [asset.countyCode, householdId],
      );
      if (!h || h.villageCode !== asset.villageCode) {
        issues.push({ field: `${f}.householdId`, value: String(householdId), zh: `农户 ${householdId} 不是资产所在村（${asset.villageName ?? asset.villageCode}）的建档立卡户；光伏收益只分配给本村农户`, en: `Household ${householdId} is not a registered household of the asset’s village (${asset.villageName ?? asset.villageCode}); station income goes to that village’s households` });
        continue;
      }
      const members = await tx.query<{ id: number; name: string; labour: string | null }>(
        'SELECT id, name, labour_ability AS labour FROM members WHERE county_code = $1 AND household_id = $2',
        [asset.countyCode, householdId],
      );
      if (typeof r.noLabour !== 'boolean') noLabour = withoutLabour(members.map((m) => m.labour));
      if (purpose === 'jobs') {
        const m = members.find((x) => x.id === memberId);
        if (!m) {
          issues.push({ field: `${f}.memberId`, ...(memberId === null ? {} : { value: String(memberId) }), zh: `公益岗位须指明农户 ${h.householdNo} 中上岗的成员 memberId`, en: `A job needs memberId: the member of household ${h.householdNo} who holds it` });
          continue;
        }
        if (!name) name = `公益岗位：${m.name}`;
      } else {
        if (memberId !== null) {
          issues.push({ field: `${f}.memberId`, value: String(memberId), zh: '奖励和补助发给农户，不填 memberId', en: 'Rewards and subsidies go to the household; leave memberId out' });
          continue;
        }
        if (!name) name = `${h.headName}户（${h.householdNo}）`;
      }
    } else if (memberId !== null) {
      issues.push({ field: `${f}.memberId`, value: String(memberId), zh: '填了 memberId 就须同时填 householdId', en: 'memberId needs householdId as well' });
      continue;
    }
    out.push({ name, purpose, weight: r.weight, noLabour, householdId: householdId as number | null, memberId: memberId as number | null });
  }
  if (issues.length) throw new ValidationError(issues);
  return out;
}

export async function recordIncome(ctx: Ctx, assetId: number, body: IncomeInput): Promise<IncomeView> {
  require(ctx, 'projects.write');
  const f = new Fields();
  const year = f.int('year', body.year, 2000, 2100);
  const quarter = body.quarter === undefined || body.quarter === null ? null : (f.int('quarter', body.quarter, 1, 4) ?? null);
  const amount = f.amount('amount', body.amount, true);
  const decidedOn = f.day('decidedOn', body.decidedOn) ?? null;
  const decisionNote = f.text('decisionNote', body.decisionNote, 2000, false) ?? null;
  const givenSource = body.fundSource === undefined || body.fundSource === null
    ? null
    : (f.oneOf('fundSource', body.fundSource, FUND_SOURCES, FUND_SOURCE_LABELS as Record<FundSource, { zh: string; en: string }>) ?? null);
  if (f.issues.length || !year || amount === undefined) throw new ValidationError(f.issues);
  const id = await ctx.db.transaction(async (tx) => {
    const asset = await loadAsset(tx, ctx, assetId, true);
    requireCounty(ctx.actor, asset.countyCode);
    const [dup] = await tx.query(
      'SELECT 1 FROM asset_incomes WHERE county_code = $1 AND asset_id = $2 AND year = $3 AND quarter IS NOT DISTINCT FROM $4::smallint',
      [asset.countyCode, asset.id, year, quarter],
    );
    if (dup) {
      const period = quarter ? { zh: `${year} 年第 ${quarter} 季度`, en: `${year} Q${quarter}` } : { zh: `${year} 年（全年）`, en: `${year} (whole year)` };
      throw new ValidationError([{ field: 'quarter', value: String(quarter ?? ''), zh: `${asset.name} ${period.zh}的收益已经登记；同一期间不能登记两次`, en: `The income of ${asset.name} for ${period.en} is already recorded; a period cannot be recorded twice` }]);
    }
    let stored: StoredDistribution | null = null;
    let linked: LinkedRecipient[] = [];
    if (asset.kind === 'solar_station') {
      const d = body.distribution;
      const issues: FieldIssue[] = [];
      if (!d) issues.push({ field: 'distribution', zh: '光伏电站收益须按村民议事决定填写分配方案 distribution（各用途比例和受益对象）', en: 'A solar station’s income needs its distribution (shares by purpose and recipients) as the village decided' });
      if (quarter === null) issues.push({ field: 'quarter', zh: '光伏收益按季度结算，请填写 quarter（1–4）', en: 'Solar income is settled by quarter; give quarter (1–4)' });
      if (issues.length || !d) throw new ValidationError(issues);
      linked = await linkRecipients(tx, asset, d.recipients);
      let input;
      try {
        input = checkSolar({
          year, quarter, area: asset.villageCode, village: asset.villageName ?? asset.villageCode, revenue: amount,
          capacityKw: asset.capacity, shares: d.shares, noLabourFactor: d.noLabourFactor,
          recipients: Array.isArray(d.recipients) ? linked.map((r) => ({ name: r.name, purpose: r.purpose, weight: r.weight, noLabour: r.noLabour })) : d.recipients,
        });
      } catch (e) {
        if (e instanceof ValidationError) throw new ValidationError(prefixed(e.issues.filter((i) => !['year', 'quarter', 'area', 'revenue', 'village'].includes(i.field)), 'distribution.'));
        throw e;
      }
      const result = calcSolar(input, await policyYearLookup(tx, asset.villageCode));
      const amounts = input.recipients.map((_, i) => result.lines.find((l) => l.key === `recipient.${i}`)?.amount ?? 0);
      // Ledger rows tied to the project name one of its budget sources (as every project measure must).
      let fundSource: FundSource | null = null;
      const toLedger = linked.some((r, i) => r.householdId !== null && amounts[i]! > 0);
      if (asset.projectId !== null && (toLedger || givenSource !== null)) {
        const [proj] = await tx.query<{ name: string }>('SELECT name FROM projects WHERE county_code = $1 AND id = $2', [asset.countyCode, asset.projectId]);
        const sources = (await tx.query<{ s: FundSource }>('SELECT fund_source AS s FROM project_budgets WHERE county_code = $1 AND project_id = $2', [asset.countyCode, asset.projectId]))
          .map((r) => r.s).sort((a, b) => FUND_SOURCES.indexOf(a) - FUND_SOURCES.indexOf(b));
        const pick = ledgerFundSource(givenSource, sources, proj?.name ?? String(asset.projectId));
        if ('refusal' in pick) throw new ValidationError([{ field: 'fundSource', ...(givenSource ? { value: givenSource } : {}), ...pick.refusal }], pick.refusal);
        fundSource = pick.source;
      }
      stored = {
        shares: Object.fromEntries(PURPOSES.map((p) => [p, input.shares[p]])),
        noLabourFactor: input.noLabourFactor,
        recipients: input.recipients.map((r, i) => ({ ...r, householdId: linked[i]!.householdId, memberId: linked[i]!.memberId, amount: amounts[i]! })),
        result,
        fundSource,
        ledger: [],
      };
    } else if (body.distribution) {
      throw new ValidationError([{ field: 'distribution', zh: '分配方案目前只用于村级光伏电站；其他资产只登记收益金额', en: 'A distribution is computed for village solar stations only; for other assets record the amount' }]);
    } else if (givenSource !== null) {
      throw new ValidationError([{ field: 'fundSource', value: givenSource, zh: 'fundSource 是光伏收益分配写入帮扶措施台账时的资金来源；其他资产只登记收益金额，请去掉 fundSource', en: 'fundSource is the source recorded when a solar distribution goes to the measures ledger; for other assets record the amount and leave fundSource out' }]);
    }
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO asset_incomes (county_code, asset_id, year, quarter, amount, decided_on, decision_note, distribution, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [asset.countyCode, asset.id, year, quarter, amount, decidedOn, decisionNote, stored ? JSON.stringify(stored) : null, ctx.actor.username],
    );
    const incomeId = row!.id;
    if (stored) {
      const types = await tx.query<{ code: string; component: string }>(`SELECT code, income_component AS component FROM measure_types WHERE code IN ('solar_job', 'solar_reward')`);
      const component = (code: string) => types.find((t) => t.code === code)?.component ?? (code === 'solar_job' ? 'wage' : 'transfer');
      const period = `${year} 年第 ${quarter} 季度`;
      // Dated in the income's year: the decision day when it falls in that year, else the quarter's last day.
      const givenOn = ledgerDay(year, quarter, decidedOn);
      for (const r of stored.recipients) {
        if (r.householdId === null || r.amount <= 0) continue;
        const typeCode = r.purpose === 'jobs' ? 'solar_job' : 'solar_reward';
        const [m] = await tx.query<{ id: number }>(
          `INSERT INTO measures (county_code, household_id, member_id, type_code, year, given_on, quantity, amount, project_id, fund_source, income_component, asset_income_id, note, recorded_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id`,
          [asset.countyCode, r.householdId, r.memberId, typeCode, year, givenOn, typeCode === 'solar_job' ? r.weight : null, r.amount, asset.projectId, stored.fundSource,
            component(typeCode), incomeId, `${asset.name} ${period}光伏收益分配：${r.name}`, ctx.actor.username],
        );
        stored.ledger.push({ measureId: m!.id, householdId: r.householdId, memberId: r.memberId, typeCode, amount: r.amount });
        await audit(tx, ctx.actor, {
          action: 'create', entity: 'measures', entityId: m!.id, countyCode: asset.countyCode, householdId: r.householdId,
          after: { typeCode, memberId: r.memberId, year, givenOn, amount: r.amount, assetIncomeId: incomeId, projectId: asset.projectId, fundSource: stored.fundSource },
        });
      }
      await tx.query('UPDATE asset_incomes SET distribution = $3 WHERE county_code = $1 AND id = $2', [asset.countyCode, incomeId, JSON.stringify(stored)]);
    }
    await audit(tx, ctx.actor, {
      action: 'create', entity: 'asset_incomes', entityId: incomeId, countyCode: asset.countyCode,
      after: { assetId: asset.id, year, quarter, amount, decidedOn, decisionNote, shares: stored?.shares ?? null, fundSource: stored?.fundSource ?? null, ledger: stored?.ledger ?? [] },
    });
    return incomeId;
  });
  const [r] = await ctx.db.query<IncomeView>(`SELECT ${incomeCols} FROM asset_incomes WHERE id = $1`, [id]);
  return presentIncome(ctx, r!);
}
