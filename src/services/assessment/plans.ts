// Evaluation plans (评估计划): created by an inspector for a county and year with a published seed
// and the sizes of the sample; members (the lead and evaluators) are the only accounts that see
// its sample. A drawn plan is frozen: changing it means a re-draw, which is a new plan naming the
// one it replaces (that one becomes superseded), both audited.
import { randomBytes } from 'node:crypto';
import type { Sql } from '../../db/client.js';
import { checkPlanInput, type PlanSizes } from '../../domain/assessment/plan.js';
import { SAMPLING_ALGORITHM } from '../../domain/assessment/sampling.js';
import { Conflict, NotFound, ValidationError, type Msg } from '../../domain/errors.js';
import { mayDo, roleLabels, type Role } from '../../domain/roles.js';
import { audit, inScope, require, scopePattern, type Ctx } from '../context.js';
import { PLAN, PLAN_COLS, memberClause, planFor, type PlanRow, type PlanStatus } from './access.js';

export const PLAN_STATUS_LABELS: Record<PlanStatus, Msg> = {
  draft: { zh: '草稿（未抽样）', en: 'Draft (not drawn)' },
  drawn: { zh: '已抽样（样本冻结）', en: 'Drawn (sample frozen)' },
  closed: { zh: '已结束（结果已冻结）', en: 'Closed (results frozen)' },
  superseded: { zh: '已被重抽计划取代', en: 'Superseded by a re-draw' },
};

export interface PlanMember {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: Msg;
  memberRole: 'lead' | 'evaluator';
}

export interface PlanView {
  id: number;
  countyCode: string;
  countyName: string;
  year: number;
  name: string;
  seed: string;
  algorithm: string;
  status: PlanStatus;
  statusLabel: Msg;
  sizes: PlanSizes;
  poorVillages: string[] | null;
  replacesPlanId: number | null;
  /** The plan that re-drew this one, when it is superseded. */
  replacedByPlanId: number | null;
  frameDigest: string | null;
  createdBy: string;
  createdAt: string;
  drawnAt: string | null;
  drawnBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  version: number;
  villages: number;
  samples: number;
  surveys: number;
  members: PlanMember[];
}

function iso(v: string | Date | null): string | null {
  return v === null ? null : new Date(v).toISOString();
}

/**
 * The views of many plans with two queries in all (their counts, re-draws and county names; their
 * members), not four per plan.
 */
async function views(db: Pick<Sql, 'query'>, plans: PlanRow[]): Promise<PlanView[]> {
  if (!plans.length) return [];
  const ids = plans.map((p) => Number(p.id));
  const [facts, members] = [
    await db.query<{ id: number; villages: number; samples: number; surveys: number; next: number | null; countyName: string | null }>(
      `SELECT p.id,
              (SELECT count(*)::int FROM assessment_villages v WHERE v.county_code = p.county_code AND v.plan_id = p.id) AS villages,
              (SELECT count(*)::int FROM assessment_samples s WHERE s.county_code = p.county_code AND s.plan_id = p.id) AS samples,
              (SELECT count(*)::int FROM assessment_surveys q WHERE q.county_code = p.county_code AND q.plan_id = p.id) AS surveys,
              (SELECT min(r.id) FROM assessment_plans r WHERE r.county_code = p.county_code AND r.replaces_plan_id = p.id) AS next,
              (SELECT a.name FROM areas a WHERE a.code = p.county_code) AS "countyName"
         FROM assessment_plans p WHERE p.id = ANY($1::bigint[])`,
      [ids],
    ),
    await db.query<Omit<PlanMember, 'roleLabel'> & { planId: number }>(
      `SELECT m.plan_id AS "planId", m.user_id AS "userId", u.username, u.display_name AS "displayName", u.role, m.member_role AS "memberRole"
         FROM assessment_plan_members m JOIN users u ON u.id = m.user_id
        WHERE m.plan_id = ANY($1::bigint[]) ORDER BY m.member_role DESC, u.username`,
      [ids],
    ),
  ];
  const factOf = new Map(facts.map((f) => [Number(f.id), f]));
  return plans.map((p) => {
    const f = factOf.get(Number(p.id));
    return {
      id: Number(p.id),
      countyCode: p.countyCode,
      countyName: f?.countyName ?? p.countyCode,
      year: Number(p.year),
      name: p.name,
      seed: p.seed,
      algorithm: p.algorithm,
      status: p.status,
      statusLabel: PLAN_STATUS_LABELS[p.status],
      sizes: p.sizes as PlanSizes,
      poorVillages: p.poorVillages,
      replacesPlanId: p.replacesPlanId === null ? null : Number(p.replacesPlanId),
      replacedByPlanId: f?.next == null ? null : Number(f.next),
      frameDigest: p.frameDigest,
      createdBy: p.createdBy,
      createdAt: iso(p.createdAt)!,
      drawnAt: iso(p.drawnAt),
      drawnBy: p.drawnBy,
      closedAt: iso(p.closedAt),
      closedBy: p.closedBy,
      version: Number(p.version),
      villages: Number(f?.villages ?? 0),
      samples: Number(f?.samples ?? 0),
      surveys: Number(f?.surveys ?? 0),
      members: members
        .filter((m) => Number(m.planId) === Number(p.id))
        .map(({ planId: _planId, ...m }) => ({ ...m, userId: Number(m.userId), roleLabel: roleLabels[m.role] })),
    };
  });
}

async function view(db: Pick<Sql, 'query'>, p: PlanRow): Promise<PlanView> {
  return (await views(db, [p]))[0]!;
}

/** A seed when none is given: the county, the year and 64 random bits, so two plans never share streams. */
export function newSeed(county: string, year: number): string {
  return `${county}-${year}-${randomBytes(8).toString('hex')}`;
}

/**
 * The seed as published. An inspector's text gets 64 server-drawn random bits appended, so nobody
 * can try seeds offline against the (public) algorithm and the register to steer the sample; the
 * console operator's seed is used exactly (re-running a published draw, tests).
 */
function publishedSeed(ctx: Ctx, raw: Record<string, unknown>): unknown {
  const county = typeof raw.county === 'string' ? raw.county : '';
  const year = typeof raw.year === 'number' ? raw.year : '';
  if (raw.seed === undefined || raw.seed === null || raw.seed === '') return newSeed(county, Number(year));
  if (ctx.actor.id === null || typeof raw.seed !== 'string' || raw.seed.trim() !== raw.seed || raw.seed.length > 180) return raw.seed;
  return `${raw.seed}-${randomBytes(8).toString('hex')}`;
}

async function insertPlan(tx: Sql, ctx: Ctx, raw: Record<string, unknown>, replaces: number | null): Promise<number> {
  const input = checkPlanInput({ ...raw, seed: publishedSeed(ctx, raw) });
  if (!inScope(ctx.actor, input.county)) throw new NotFound({ zh: '旗县', en: 'county' });
  const [county] = await tx.query<{ level: number }>('SELECT level FROM areas WHERE code = $1', [input.county]);
  if (!county || Number(county.level) !== 3) {
    throw new ValidationError([{ field: 'county', value: input.county, zh: `旗县代码 ${input.county} 不存在或不是旗县`, en: `County code ${input.county} does not exist or is not a county` }]);
  }
  // One evaluation per county and year: another plan only as an audited re-draw of the current one.
  // The county's area row is the lock that serialises two inspectors creating plans at once.
  await tx.query('SELECT 1 FROM areas WHERE code = $1 FOR UPDATE', [input.county]);
  if (replaces === null) {
    const [current] = await tx.query<{ id: number; status: PlanStatus }>(
      `SELECT id, status FROM assessment_plans WHERE county_code = $1 AND year = $2 AND status <> 'superseded' ORDER BY id LIMIT 1`,
      [input.county, input.year],
    );
    if (current) {
      throw new Conflict(
        { zh: `旗县 ${input.county} ${input.year} 年已有评估计划 ${current.id}（${PLAN_STATUS_LABELS[current.status].zh}）；每个旗县每年只有一个评估，需要重新抽样请对该计划“重抽”（须写明理由，记入审计）`, en: `County ${input.county} already has evaluation plan ${current.id} for ${input.year} (${PLAN_STATUS_LABELS[current.status].en}); a county has one evaluation a year — to sample again, re-draw that plan (with a reason, audited)` },
        { id: Number(current.id), status: current.status },
      );
    }
  }
  if (input.poorVillages?.length) {
    const found = await tx.query<{ code: string }>('SELECT code FROM areas WHERE code = ANY($1::text[]) AND level = 5', [input.poorVillages]);
    const have = new Set(found.map((f) => f.code));
    const unknown = input.poorVillages.filter((c) => !have.has(c));
    if (unknown.length) throw new ValidationError([{ field: 'poorVillages', value: unknown.join(','), zh: `村代码 ${unknown.join('、')} 不存在`, en: `Village codes ${unknown.join(', ')} do not exist` }]);
  }
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO assessment_plans (county_code, year, name, seed, algorithm, status, sizes, poor_villages, replaces_plan_id, created_by)
     VALUES ($1, $2, $3, $4, $5, 'draft', $6::jsonb, $7::text[], $8, $9) RETURNING id`,
    [input.county, input.year, input.name, input.seed, SAMPLING_ALGORITHM, JSON.stringify(input.sizes), input.poorVillages, replaces, ctx.actor.username],
  );
  const id = Number(row!.id);
  if (ctx.actor.id !== null) {
    await tx.query(`INSERT INTO assessment_plan_members (county_code, plan_id, user_id, member_role, added_by) VALUES ($1, $2, $3, 'lead', $4)`, [input.county, id, ctx.actor.id, ctx.actor.username]);
  }
  await audit(tx, ctx.actor, { action: 'create', entity: 'assessment_plans', entityId: id, countyCode: input.county, after: { ...input, replacesPlanId: replaces } });
  return id;
}

async function viewById(db: Pick<Sql, 'query'>, id: number): Promise<PlanView> {
  const [p] = await db.query<PlanRow>(`SELECT ${PLAN_COLS} FROM assessment_plans p WHERE p.id = $1`, [id]);
  if (!p) throw new NotFound(PLAN);
  return view(db, p);
}

/** Creates a draft plan; the creating inspector becomes its lead. */
export async function createPlan(ctx: Ctx, raw: Record<string, unknown>): Promise<PlanView> {
  require(ctx, 'assessment.manage');
  return ctx.db.transaction(async (tx) => viewById(tx, await insertPlan(tx, ctx, raw, null)));
}

export interface PlanFilter {
  county?: string;
  year?: number;
  status?: string;
}

/** The plans the actor may read: members see their plans; the city's supervisors every plan in their area. */
export async function listPlans(ctx: Ctx, f: PlanFilter = {}): Promise<PlanView[]> {
  if (!(['assessment.read', 'assessment.manage', 'assessment.survey'] as const).some((a) => mayDo(ctx.actor.role, a))) require(ctx, 'assessment.read');
  const params: unknown[] = [ctx.actor.id];
  const p = (v: unknown) => `$${params.push(v)}`;
  const conds = [`(${memberClause(ctx)})`, `p.county_code LIKE ${p(scopePattern(ctx.actor))}`];
  if (f.county) conds.push(`p.county_code = ${p(f.county)}`);
  if (f.year !== undefined) conds.push(`p.year = ${p(f.year)}`);
  if (f.status) conds.push(`p.status = ${p(f.status)}`);
  const rows = await ctx.db.query<PlanRow>(`SELECT ${PLAN_COLS} FROM assessment_plans p WHERE ${conds.join(' AND ')} ORDER BY p.year DESC, p.id DESC LIMIT 500`, params);
  return views(ctx.db, rows);
}

export async function getPlan(ctx: Ctx, planId: number): Promise<PlanView> {
  const p = await planFor(ctx.db, ctx, planId, 'read');
  return view(ctx.db, p);
}

/** Adds an evaluator (or a second inspector) to the plan; only the plan's lead may. */
export async function addPlanMember(ctx: Ctx, planId: number, input: { username?: unknown }): Promise<PlanView> {
  require(ctx, 'assessment.manage');
  return ctx.db.transaction(async (tx) => {
    const p = await planFor(tx, ctx, planId, 'manage', true);
    if (p.status === 'closed' || p.status === 'superseded') throw new Conflict({ zh: `计划已${PLAN_STATUS_LABELS[p.status].zh}，不能再加人`, en: `The plan is ${PLAN_STATUS_LABELS[p.status].en.toLowerCase()}; no one can be added` });
    const username = typeof input.username === 'string' ? input.username.trim() : '';
    const [u] = username ? await tx.query<{ id: number; role: string; areaCode: string; disabled: boolean }>('SELECT id, role, area_code AS "areaCode", disabled FROM users WHERE lower(username) = lower($1)', [username]) : [];
    if (!u || u.disabled || !(u.role === 'evaluator' || u.role === 'inspector') || !p.countyCode.startsWith(u.areaCode)) {
      throw new ValidationError([{
        field: 'username', value: username,
        zh: `账号 ${username || '（空）'} 不存在、已停用、不是督查或第三方评估账号，或其区划不覆盖整个旗县 ${p.countyCode}；只能把区划覆盖该旗县的评估人员加入计划`,
        en: `Account ${username || '(empty)'} does not exist, is disabled, is not an inspector or evaluator, or its area does not cover the whole county ${p.countyCode}; only evaluation staff whose area covers the county can join a plan`,
      }]);
    }
    const [had] = await tx.query('SELECT 1 FROM assessment_plan_members WHERE county_code = $1 AND plan_id = $2 AND user_id = $3', [p.countyCode, p.id, u.id]);
    if (!had) {
      await tx.query(`INSERT INTO assessment_plan_members (county_code, plan_id, user_id, member_role, added_by) VALUES ($1, $2, $3, 'evaluator', $4)`, [p.countyCode, p.id, u.id, ctx.actor.username]);
      await audit(tx, ctx.actor, { action: 'create', entity: 'assessment_plan_members', entityId: `${p.id}:${u.id}`, countyCode: p.countyCode, after: { planId: p.id, username, memberRole: 'evaluator' } });
    }
    return view(tx, (await planFor(tx, ctx, planId, 'read'))!);
  });
}

/** Re-draw: a new draft plan with a new seed (and optionally new sizes) that supersedes `planId` once drawn. */
export async function redrawPlan(ctx: Ctx, planId: number, input: { seed?: unknown; reason?: unknown; sizes?: unknown; name?: unknown }): Promise<PlanView> {
  require(ctx, 'assessment.manage');
  return ctx.db.transaction(async (tx) => {
    const p = await planFor(tx, ctx, planId, 'manage', true);
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (reason.length < 2) throw new ValidationError([{ field: 'reason', zh: '重新抽样必须写明理由（至少 2 个字），理由会记入审计', en: 'A re-draw needs a reason (at least 2 characters); it is written to the audit log' }]);
    if (p.status !== 'drawn') {
      throw new Conflict({ zh: `只有已抽样、未结束的计划可以重抽；此计划为“${PLAN_STATUS_LABELS[p.status].zh}”`, en: `Only a drawn, open plan can be re-drawn; this plan is "${PLAN_STATUS_LABELS[p.status].en}"` });
    }
    const [other] = await tx.query<{ id: number }>(`SELECT id FROM assessment_plans WHERE county_code = $1 AND replaces_plan_id = $2 AND status = 'draft'`, [p.countyCode, p.id]);
    if (other) throw new Conflict({ zh: `已有待抽样的重抽计划 ${other.id}，请在该计划中继续`, en: `Re-draw plan ${other.id} is already waiting to be drawn; continue there` }, { id: Number(other.id) });
    const id = await insertPlan(tx, ctx, {
      county: p.countyCode, year: Number(p.year), name: input.name ?? `${p.name}（重抽）`, seed: input.seed, sizes: input.sizes ?? p.sizes, poorVillages: p.poorVillages,
    }, p.id);
    await audit(tx, ctx.actor, { action: 'redraw', entity: 'assessment_plans', entityId: p.id, countyCode: p.countyCode, after: { newPlanId: id }, note: reason });
    // The members follow the plan to its re-draw, in their roles (the lead who re-draws is already lead).
    const moved = await tx.query<{ userId: number; role: string }>(
      `INSERT INTO assessment_plan_members (county_code, plan_id, user_id, member_role, added_by)
       SELECT county_code, $3, user_id, member_role, $4 FROM assessment_plan_members WHERE county_code = $1 AND plan_id = $2
       ON CONFLICT DO NOTHING RETURNING user_id AS "userId", member_role AS role`,
      [p.countyCode, p.id, id, ctx.actor.username],
    );
    if (moved.length) await audit(tx, ctx.actor, { action: 'create', entity: 'assessment_plan_members', entityId: id, countyCode: p.countyCode, after: { planId: id, copiedFrom: p.id, members: moved } });
    return viewById(tx, id);
  });
}
