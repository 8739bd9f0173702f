// 项目库: create, edit (optimistic on version), status moves, list and the project file.
import type { Sql } from '../../db/client.js';
import { Conflict, NotFound, ValidationError } from '../../domain/errors.js';
import { CHANNELS, CHANNEL_LABELS, PROJECT_STATUSES, type ProjectStatus } from '../../domain/assistance/catalogue.js';
import { statusMoveRefusal } from '../../domain/assistance/projects.js';
import { mayDo } from '../../domain/roles.js';
import { audit, inScope, require, scopePattern, type Ctx } from '../context.js';
import {
  Fields, PROJECT, channelLabel, loadProject, projectCols, requireCounty, sourceLabel, statusLabel, visibleFrom, type ProjectRow,
} from './shared.js';
import { budgetLines, type BudgetLine } from './funds.js';
import { listBeneficiaries, type BeneficiaryView } from './beneficiaries.js';
import { assetsOfProject, type AssetView } from './assets.js';

export interface ProjectView extends ProjectRow {
  channelLabel: { zh: string; en: string };
  statusLabel: { zh: string; en: string };
  villages: { code: string; name: string }[];
  countyName: string;
  allocated: number;
  disbursed: number;
  balance: number;
  beneficiaryCount: number;
}

export interface ProjectFile extends ProjectView {
  budgets: BudgetLine[];
  disbursements: DisbursementView[];
  /** null when the actor may not read personal records (register.read). */
  beneficiaries: BeneficiaryView[] | null;
  assets: AssetView[];
  allowedMoves: ProjectStatus[];
}

export interface DisbursementView {
  id: number;
  fundSource: string;
  fundSourceLabel: { zh: string; en: string };
  paidOn: string;
  amount: number;
  /** The payee may be a person; payee, note and recordedBy are null without register.read. */
  payee: string | null;
  voucherNo: string | null;
  note: string | null;
  recordedBy: string | null;
  createdAt: string;
}

const viewCols = `${projectCols},
  COALESCE((SELECT json_agg(json_build_object('code', a.code, 'name', a.name) ORDER BY a.code) FROM areas a WHERE a.code = ANY(p.village_codes)), '[]') AS villages,
  (SELECT name FROM areas c WHERE c.code = p.county_code) AS "countyName",
  COALESCE((SELECT sum(b.amount) FROM project_budgets b WHERE b.county_code = p.county_code AND b.project_id = p.id), 0) AS allocated,
  COALESCE((SELECT sum(d.amount) FROM disbursements d WHERE d.county_code = p.county_code AND d.project_id = p.id), 0) AS disbursed,
  (SELECT count(*)::int FROM project_beneficiaries pb WHERE pb.county_code = p.county_code AND pb.project_id = p.id) AS "beneficiaryCount"`;

function present(r: Omit<ProjectView, 'channelLabel' | 'statusLabel' | 'balance'>): ProjectView {
  return { ...r, channelLabel: channelLabel(r.channel), statusLabel: statusLabel(r.status), balance: Math.round((r.allocated - r.disbursed) * 100) / 100 };
}

export interface ProjectFilters {
  area?: string;
  year?: number;
  channel?: string;
  status?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

export async function listProjects(ctx: Ctx, f: ProjectFilters): Promise<{ items: ProjectView[]; total: number; page: number; pageSize: number }> {
  require(ctx, 'aggregates.read');
  if (f.area && !inScope(ctx.actor, f.area)) throw new NotFound({ zh: '区划', en: 'area' });
  const page = Math.max(1, f.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, f.pageSize ?? 20));
  const params: unknown[] = [];
  const conds = [visibleFrom(ctx.actor.areaCode, params)];
  if (f.area) conds.push(visibleFrom(f.area, params));
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.year) conds.push(`p.year = ${p(f.year)}`);
  if (f.channel) conds.push(`p.channel = ${p(f.channel)}`);
  if (f.status) conds.push(`p.status = ${p(f.status)}`);
  if (f.q?.trim()) conds.push(`(p.name LIKE ${p(`%${f.q.trim().replace(/[%_\\]/g, (m) => `\\${m}`)}%`)} OR p.implementer LIKE $${params.length})`);
  const where = conds.join(' AND ');
  const [count] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM projects p WHERE ${where}`, params);
  const rows = await ctx.db.query<Omit<ProjectView, 'channelLabel' | 'statusLabel' | 'balance'>>(
    `SELECT ${viewCols} FROM projects p WHERE ${where} ORDER BY p.year DESC, p.county_code, p.name, p.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  return { items: rows.map(present), total: count?.n ?? 0, page, pageSize };
}

async function projectView(db: Pick<Sql, 'query'>, p: ProjectRow): Promise<ProjectView> {
  const [r] = await db.query<Omit<ProjectView, 'channelLabel' | 'statusLabel' | 'balance'>>(
    `SELECT ${viewCols} FROM projects p WHERE p.county_code = $1 AND p.id = $2`,
    [p.countyCode, p.id],
  );
  return present(r!);
}

export async function getProject(ctx: Ctx, id: number): Promise<ProjectFile> {
  require(ctx, 'aggregates.read');
  const p = await loadProject(ctx.db, ctx, id);
  return projectFile(ctx.db, ctx, p);
}

async function projectFile(db: Pick<Sql, 'query'>, ctx: Ctx, p: ProjectRow): Promise<ProjectFile> {
  const view = await projectView(db, p);
  const personal = mayDo(ctx.actor.role, 'register.read');
  const disbursements = await db.query<Omit<DisbursementView, 'fundSourceLabel'>>(
    `SELECT id, fund_source AS "fundSource", paid_on::text AS "paidOn", amount, payee, voucher_no AS "voucherNo", note,
            recorded_by AS "recordedBy", created_at::text AS "createdAt"
       FROM disbursements WHERE county_code = $1 AND project_id = $2 ORDER BY paid_on, id`,
    [p.countyCode, p.id],
  );
  return {
    ...view,
    budgets: await budgetLines(db, p),
    // Aggregate readers (researchers) see amounts, dates and sources, not who was paid or by whom.
    disbursements: disbursements.map((d) => ({
      ...d, fundSourceLabel: sourceLabel(d.fundSource), ...(personal ? {} : { payee: null, note: null, recordedBy: null }),
    })),
    beneficiaries: personal ? await listBeneficiaries(db, p) : null,
    assets: await assetsOfProject(db, p, scopePattern(ctx.actor)),
    allowedMoves: PROJECT_STATUSES.filter((s) => statusMoveRefusal(p.status, s) === null),
  };
}

interface ProjectFieldsIn {
  county?: unknown;
  name?: unknown;
  channel?: unknown;
  year?: unknown;
  villageCodes?: unknown;
  implementer?: unknown;
  description?: unknown;
  startsOn?: unknown;
  endsOn?: unknown;
}

interface CheckedFields {
  name: string;
  channel: string;
  year: number;
  villageCodes: string[];
  implementer: string | null;
  description: string;
  startsOn: string | null;
  endsOn: string | null;
}

/** Checks the whole set of fields (create, or the stored record merged with a patch). */
async function checkFields(tx: Pick<Sql, 'query'>, countyCode: string, v: ProjectFieldsIn, exceptId: number | null): Promise<CheckedFields> {
  const f = new Fields();
  const name = f.text('name', v.name, 200, true);
  if (v.name === undefined) f.add('name', undefined, '缺少项目名称 name', 'name is required');
  const channel = f.oneOf('channel', v.channel, CHANNELS, CHANNEL_LABELS);
  const year = f.int('year', v.year, 2000, 2100);
  let villageCodes: string[] = [];
  if (v.villageCodes !== undefined && v.villageCodes !== null) {
    if (!Array.isArray(v.villageCodes) || v.villageCodes.some((c) => typeof c !== 'string')) {
      f.add('villageCodes', undefined, 'villageCodes 应为村级代码列表（空列表表示全旗县）', 'villageCodes must be a list of village codes (empty: the whole county)');
    } else {
      villageCodes = [...new Set(v.villageCodes as string[])].sort();
      if (villageCodes.length > 500) f.add('villageCodes', undefined, '最多 500 个村', 'At most 500 villages');
      const found = await tx.query<{ code: string }>(`SELECT code FROM areas WHERE code = ANY($1) AND level = 5 AND code LIKE $2`, [villageCodes, `${countyCode}%`]);
      const ok = new Set(found.map((r) => r.code));
      villageCodes.forEach((c, i) => {
        if (!ok.has(c)) f.add(`villageCodes.${i}`, c, `村代码 ${c} 不是本旗县（${countyCode}）的村；请选本旗县的 12 位村级代码`, `Village code ${c} is not a village of county ${countyCode}; use 12-digit village codes of this county`);
      });
    }
  }
  const implementer = f.text('implementer', v.implementer, 100, false) ?? null;
  const description = f.text('description', v.description, 4000, false) ?? '';
  const startsOn = f.day('startsOn', v.startsOn) ?? null;
  const endsOn = f.day('endsOn', v.endsOn) ?? null;
  if (startsOn && endsOn && endsOn < startsOn) {
    f.add('endsOn', endsOn, `计划完工日期 ${endsOn} 早于开工日期 ${startsOn}；完工不能早于开工`, `The end date ${endsOn} is before the start date ${startsOn}; a project cannot end before it starts`);
  }
  if (name && year) {
    const [dup] = await tx.query(`SELECT 1 FROM projects WHERE county_code = $1 AND year = $2 AND name = $3 AND id IS DISTINCT FROM $4::bigint`, [countyCode, year, name, exceptId]);
    if (dup) f.add('name', name, `本旗县 ${year} 年已有同名项目“${name}”；请换一个名称`, `County already has a ${year} project named “${name}”; choose another name`);
  }
  if (f.issues.length) throw new ValidationError(f.issues);
  return { name: name!, channel: channel!, year: year!, villageCodes, implementer, description, startsOn, endsOn };
}

export async function createProject(ctx: Ctx, input: ProjectFieldsIn): Promise<ProjectFile> {
  require(ctx, 'projects.write');
  let county = typeof input.county === 'string' ? input.county : ctx.actor.areaCode.length >= 6 && ctx.actor.areaCode !== '*' ? ctx.actor.areaCode.slice(0, 6) : '';
  if (!/^\d{6}$/.test(county)) {
    throw new ValidationError([{ field: 'county', ...(county ? { value: county } : {}), zh: '缺少或无效的旗县代码 county（6 位）', en: 'county is missing or invalid (a 6-digit county code)' }]);
  }
  const [c] = await ctx.db.query('SELECT 1 FROM areas WHERE code = $1 AND level = 3', [county]);
  if (!c || !inScope(ctx.actor, county)) {
    throw new ValidationError([{ field: 'county', value: county, zh: `旗县代码 ${county} 不存在或不在您的管辖范围内`, en: `County ${county} does not exist or is outside your area` }]);
  }
  requireCounty(ctx.actor, county);
  county = county.slice(0, 6);
  const id = await ctx.db.transaction(async (tx) => {
    const v = await checkFields(tx, county, input, null);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO projects (county_code, name, channel, year, village_codes, implementer, description, starts_on, ends_on)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [county, v.name, v.channel, v.year, v.villageCodes, v.implementer, v.description, v.startsOn, v.endsOn],
    );
    await audit(tx, ctx.actor, { action: 'create', entity: 'projects', entityId: row!.id, countyCode: county, after: v });
    return row!.id;
  });
  return getProject(ctx, id);
}

/** A stale version gets 409 with the current project file. */
export async function checkProjectVersion(tx: Pick<Sql, 'query'>, ctx: Ctx, p: ProjectRow, version: unknown): Promise<void> {
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new ValidationError([{ field: 'version', zh: '缺少版本号 version（读取项目时得到的数字）', en: 'Missing version (the number you got when reading the project)' }]);
  }
  if (version !== p.version) {
    throw new Conflict(
      {
        zh: `该项目已被他人修改（您读取的是第 ${version} 版，当前为第 ${p.version} 版）；请重新加载后再修改`,
        en: `Someone else changed this project (you read version ${version}, it is now ${p.version}); reload and edit again`,
      },
      await projectFile(tx, ctx, p),
    );
  }
}

/**
 * A project's villages cannot shrink past what hangs on them: narrowing the list (or a county-wide
 * project to some villages) while beneficiary households or the project's assets sit in a village
 * left out is refused, naming them, so no link points outside the project's villages.
 */
async function checkVillagesKeepLinks(tx: Pick<Sql, 'query'>, p: ProjectRow, villageCodes: string[]): Promise<void> {
  if (!villageCodes.length) return; // county-wide again: every village of the county is in
  // Left out: for a county-wide project every village not listed now, else the villages dropped from the list.
  const [cond, arg] = p.villageCodes.length
    ? ['= ANY($3)', p.villageCodes.filter((c) => !villageCodes.includes(c))]
    : ['<> ALL($3)', villageCodes];
  if (!arg.length) return;
  const households = await tx.query<{ householdNo: string; villageCode: string; villageName: string | null }>(
    `SELECT h.household_no AS "householdNo", h.village_code AS "villageCode", v.name AS "villageName"
       FROM project_beneficiaries pb JOIN households h ON h.county_code = pb.county_code AND h.id = pb.household_id LEFT JOIN areas v ON v.code = h.village_code
      WHERE pb.county_code = $1 AND pb.project_id = $2 AND h.village_code ${cond} ORDER BY h.village_code, h.household_no`,
    [p.countyCode, p.id, arg],
  );
  const assets = await tx.query<{ id: number; name: string; villageCode: string; villageName: string | null }>(
    `SELECT a.id, a.name, a.village_code AS "villageCode", v.name AS "villageName" FROM assets a LEFT JOIN areas v ON v.code = a.village_code
      WHERE a.county_code = $1 AND a.project_id = $2 AND a.village_code ${cond} ORDER BY a.village_code, a.id`,
    [p.countyCode, p.id, arg],
  );
  if (!households.length && !assets.length) return;
  const where = (x: { villageCode: string; villageName: string | null }) => x.villageName ?? x.villageCode;
  const hZh = households.map((h) => `${h.householdNo}（${where(h)}）`).join('、');
  const hEn = households.map((h) => `${h.householdNo} (${where(h)})`).join(', ');
  const aZh = assets.map((a) => `“${a.name}”（资产 ${a.id}，${where(a)}）`).join('、');
  const aEn = assets.map((a) => `“${a.name}” (asset ${a.id}, ${where(a)})`).join(', ');
  const zh = [households.length ? `受益户 ${hZh}` : '', assets.length ? `资产 ${aZh}` : ''].filter(Boolean).join('；');
  const en = [households.length ? `beneficiary households ${hEn}` : '', assets.length ? `assets ${aEn}` : ''].filter(Boolean).join('; ');
  const msg = {
    zh: `不能去掉这些村：项目在其中仍有${zh}；请先移除这些受益户，或保留其所在的村`,
    en: `These villages cannot be removed: the project still has ${en} there; remove those beneficiaries first or keep their villages`,
  };
  throw new ValidationError([{ field: 'villageCodes', ...msg }], msg);
}

export async function updateProject(ctx: Ctx, id: number, patch: ProjectFieldsIn & { version?: unknown }): Promise<ProjectFile> {
  require(ctx, 'projects.write');
  await ctx.db.transaction(async (tx) => {
    const p = await loadProject(tx, ctx, id, true);
    requireCounty(ctx.actor, p.countyCode);
    await checkProjectVersion(tx, ctx, p, patch.version);
    const { version: _v, county: _c, ...fields } = patch;
    const before: CheckedFields = { name: p.name, channel: p.channel, year: p.year, villageCodes: p.villageCodes, implementer: p.implementer, description: p.description, startsOn: p.startsOn, endsOn: p.endsOn };
    const merged = { ...before, ...Object.fromEntries(Object.entries(fields).filter(([, x]) => x !== undefined)) };
    const v = await checkFields(tx, p.countyCode, merged, p.id);
    await checkVillagesKeepLinks(tx, p, v.villageCodes);
    await tx.query(
      `UPDATE projects SET name = $3, channel = $4, year = $5, village_codes = $6, implementer = $7, description = $8, starts_on = $9, ends_on = $10,
         version = version + 1, updated_at = now() WHERE county_code = $1 AND id = $2`,
      [p.countyCode, p.id, v.name, v.channel, v.year, v.villageCodes, v.implementer, v.description, v.startsOn, v.endsOn],
    );
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    for (const k of Object.keys(v) as (keyof CheckedFields)[]) {
      if (JSON.stringify(before[k]) !== JSON.stringify(v[k])) {
        b[k] = before[k];
        a[k] = v[k];
      }
    }
    await audit(tx, ctx.actor, { action: 'update', entity: 'projects', entityId: p.id, countyCode: p.countyCode, before: b, after: a });
  });
  return getProject(ctx, id);
}

export async function setProjectStatus(ctx: Ctx, id: number, body: { status?: unknown; version?: unknown; note?: unknown }): Promise<ProjectFile> {
  require(ctx, 'projects.write');
  await ctx.db.transaction(async (tx) => {
    const p = await loadProject(tx, ctx, id, true);
    requireCounty(ctx.actor, p.countyCode);
    await checkProjectVersion(tx, ctx, p, body.version);
    const f = new Fields();
    const to = f.oneOf('status', body.status, PROJECT_STATUSES, Object.fromEntries(PROJECT_STATUSES.map((s) => [s, statusLabel(s)])) as Record<ProjectStatus, { zh: string; en: string }>);
    const note = f.text('note', body.note, 500, false) ?? null;
    if (f.issues.length || !to) throw new ValidationError(f.issues);
    const refusal = statusMoveRefusal(p.status, to);
    if (refusal) throw new ValidationError([{ field: 'status', value: to, ...refusal }], refusal);
    await tx.query(`UPDATE projects SET status = $3, version = version + 1, updated_at = now() WHERE county_code = $1 AND id = $2`, [p.countyCode, p.id, to]);
    await audit(tx, ctx.actor, { action: 'status', entity: 'projects', entityId: p.id, countyCode: p.countyCode, before: { status: p.status }, after: { status: to }, note });
  });
  return getProject(ctx, id);
}

export async function setDisclosure(ctx: Ctx, id: number, body: { disclosedOn?: unknown; disclosureNote?: unknown; version?: unknown }): Promise<ProjectFile> {
  require(ctx, 'projects.write');
  await ctx.db.transaction(async (tx) => {
    const p = await loadProject(tx, ctx, id, true);
    requireCounty(ctx.actor, p.countyCode);
    await checkProjectVersion(tx, ctx, p, body.version);
    const f = new Fields();
    const on = f.day('disclosedOn', body.disclosedOn) ?? null;
    const note = f.text('disclosureNote', body.disclosureNote, 1000, false) ?? null;
    if (body.disclosedOn === undefined) f.add('disclosedOn', undefined, '缺少公示日期 disclosedOn（YYYY-MM-DD；null 表示撤回公示）', 'disclosedOn is required (YYYY-MM-DD; null withdraws the disclosure)');
    if (f.issues.length) throw new ValidationError(f.issues);
    await tx.query(`UPDATE projects SET disclosed_on = $3, disclosure_note = $4, version = version + 1, updated_at = now() WHERE county_code = $1 AND id = $2`, [p.countyCode, p.id, on, note]);
    await audit(tx, ctx.actor, { action: 'disclose', entity: 'projects', entityId: p.id, countyCode: p.countyCode, before: { disclosedOn: p.disclosedOn, disclosureNote: p.disclosureNote }, after: { disclosedOn: on, disclosureNote: note } });
  });
  return getProject(ctx, id);
}

export { PROJECT };
