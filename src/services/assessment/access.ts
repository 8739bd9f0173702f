// Who may see and change evaluation data (issue 8). One place decides, after the role table:
//   - inspectors and evaluators: only plans they are members of (the lead is the inspector who
//     created the plan), inside their area; a plan they are not on is NotFound, never Forbidden;
//   - the city's supervisors (assessment.read): every plan in their area, read-only;
//   - the offices being checked (county, township, village, bureaus): no sample, no questionnaire;
//     only the results of a closed plan, through the exit panel and the results endpoint.
import type { Sql } from '../../db/client.js';
import { Forbidden, NotFound, type Msg } from '../../domain/errors.js';
import { mayDo } from '../../domain/roles.js';
import { inScope, type Ctx } from '../context.js';

export const PLAN: Msg = { zh: '评估计划', en: 'evaluation plan' };

export type PlanStatus = 'draft' | 'drawn' | 'closed' | 'superseded';

export interface PlanRow {
  countyCode: string;
  id: number;
  year: number;
  name: string;
  seed: string;
  algorithm: string;
  status: PlanStatus;
  sizes: unknown;
  poorVillages: string[] | null;
  replacesPlanId: number | null;
  frame: unknown;
  frameDigest: string | null;
  results: unknown;
  createdBy: string;
  createdAt: string;
  drawnAt: string | null;
  drawnBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  version: number;
}

export const PLAN_COLS = `p.county_code AS "countyCode", p.id, p.year, p.name, p.seed, p.algorithm, p.status, p.sizes,
  p.poor_villages AS "poorVillages", p.replaces_plan_id AS "replacesPlanId", p.frame, p.frame_digest AS "frameDigest", p.results,
  p.created_by AS "createdBy", p.created_at AS "createdAt", p.drawn_at AS "drawnAt", p.drawn_by AS "drawnBy",
  p.closed_at AS "closedAt", p.closed_by AS "closedBy", p.version`;

/** What the caller wants to do with the plan. */
export type PlanNeed = 'results' | 'read' | 'survey' | 'manage';

/** SQL condition (on alias p) limiting plans to those the actor may read in full; bind $1 to the actor's user id. */
export function memberClause(ctx: Ctx): string {
  if (mayDo(ctx.actor.role, 'assessment.read') || ctx.actor.id === null) return '$1::bigint IS NULL OR true';
  return 'EXISTS (SELECT 1 FROM assessment_plan_members m WHERE m.county_code = p.county_code AND m.plan_id = p.id AND m.user_id = $1::bigint)';
}

export async function memberRoleOf(db: Pick<Sql, 'query'>, p: Pick<PlanRow, 'countyCode' | 'id'>, userId: number | null): Promise<'lead' | 'evaluator' | null> {
  if (userId === null) return null;
  const [r] = await db.query<{ role: 'lead' | 'evaluator' }>('SELECT member_role AS role FROM assessment_plan_members WHERE county_code = $1 AND plan_id = $2 AND user_id = $3', [p.countyCode, p.id, userId]);
  return r?.role ?? null;
}

/**
 * Loads a plan the actor may use for `need`, or throws: NotFound when it is outside the area, or the
 * actor is not on it and may not read every plan; Forbidden when the actor sees it but may not act.
 * `lock` takes the row FOR UPDATE (inside a transaction).
 */
export async function planFor(db: Pick<Sql, 'query'>, ctx: Ctx, planId: number, need: PlanNeed, lock = false): Promise<PlanRow> {
  if (!Number.isSafeInteger(planId) || planId <= 0) throw new NotFound(PLAN);
  const [p] = await db.query<PlanRow>(`SELECT ${PLAN_COLS} FROM assessment_plans p WHERE p.id = $1`, [planId]);
  // Locked only once the actor is allowed, on the full key (county_code routes to one shard on Citus), re-read under the lock.
  const ok = async (): Promise<PlanRow> => {
    if (!lock) return p!;
    const [l] = await db.query<PlanRow>(`SELECT ${PLAN_COLS} FROM assessment_plans p WHERE p.county_code = $1 AND p.id = $2 FOR UPDATE`, [p!.countyCode, planId]);
    return l!;
  };
  // Results and findings also reach the township and village users inside the county (findings are then filtered to their area).
  const inside = (need === 'results' && ctx.actor.areaCode !== '*' && ctx.actor.areaCode.startsWith(p?.countyCode ?? '\u0000'));
  if (!p || !(inScope(ctx.actor, p.countyCode) || inside)) throw new NotFound(PLAN);
  const role = ctx.actor.role;
  const system = ctx.actor.id === null;
  const memberRole = system ? 'lead' : await memberRoleOf(db, p, ctx.actor.id);
  const member = memberRole !== null;
  const reader = mayDo(role, 'assessment.read');
  if (need === 'results') {
    // The offices being checked see the results once the plan is closed, and nothing before.
    if (member || reader) return ok();
    if (mayDo(role, 'aggregates.read') && p.status === 'closed') return ok();
    throw new NotFound(PLAN);
  }
  if (!member && !reader) throw new NotFound(PLAN);
  if (need === 'read') return ok();
  if (need === 'survey' && (system || (member && mayDo(role, 'assessment.survey')))) return ok();
  if (need === 'manage' && (system || (memberRole === 'lead' && mayDo(role, 'assessment.manage')))) return ok();
  throw new Forbidden(
    need === 'survey'
      ? { zh: '只有本计划的评估人员可以录入或导入问卷', en: "Only this plan's evaluators may enter or import questionnaires" }
      : { zh: '只有本计划的督查负责人可以修改计划、抽样或结束评估', en: "Only this plan's lead inspector may change the plan, draw the sample or close the evaluation" },
  );
}
