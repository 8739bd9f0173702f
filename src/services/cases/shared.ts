// What the case verbs share: the case row, loading a case in the actor's area, the workflow of a
// key, the engine's view of the actor, and the clock (services take `now` so tests can date steps).
import type { Sql } from '../../db/client.js';
import { NotFound, ValidationError } from '../../domain/errors.js';
import type { ParamLookup, Text } from '../../domain/policy-types.js';
import { WORKFLOWS, localDay, workflowOf, type WorkflowActor, type WorkflowDef } from '../../domain/workflows/index.js';
import { scopeCounty, scopePattern, type Ctx } from '../context.js';
import { policyLookup } from '../policy.js';
import { day, isoAt } from './events.js';

export const CASE: Text = { zh: '案件', en: 'case' };

/** Options every case verb accepts: the instant the step is taken (default: now). */
export interface Clock {
  now?: Date;
}

export const nowOf = (o: Clock | undefined): Date => o?.now ?? new Date();

export interface CaseRow {
  countyCode: string;
  id: number;
  workflow: string;
  householdId: number;
  villageCode: string;
  state: string;
  seq: number;
  closed: boolean;
  noticeEndsOn: string | null;
  dueOn: string | null;
  year: number | null;
  alertId: number | null;
  openedAt: string;
  openedBy: string;
  updatedAt: string;
}

export const caseCols = (a = 'c') => `${a}.county_code AS "countyCode", ${a}.id, ${a}.workflow, ${a}.household_id AS "householdId",
  ${a}.village_code AS "villageCode", ${a}.state, ${a}.seq, ${a}.closed, ${day(`${a}.notice_ends_on`)} AS "noticeEndsOn",
  ${day(`${a}.due_on`)} AS "dueOn", ${a}.year, ${a}.alert_id AS "alertId", ${isoAt(`${a}.opened_at`)} AS "openedAt",
  ${a}.opened_by AS "openedBy", ${isoAt(`${a}.updated_at`)} AS "updatedAt"`;

/** A case the actor may see (its village inside the actor's area), or NotFound; `lock` takes the row for a step. */
export async function loadCase(db: Pick<Sql, 'query'>, ctx: Ctx, id: number, lock = false): Promise<CaseRow> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(CASE);
  const params: unknown[] = [id, scopePattern(ctx.actor)];
  const county = scopeCounty(ctx.actor);
  if (county) params.push(county);
  const [row] = await db.query<CaseRow>(
    `SELECT ${caseCols()} FROM cases c WHERE c.id = $1 AND c.village_code LIKE $2 ${county ? 'AND c.county_code = $3' : ''} ${lock ? 'FOR UPDATE' : ''}`,
    params,
  );
  if (!row) throw new NotFound(CASE);
  return row;
}

export function defOf(key: string): WorkflowDef {
  const def = workflowOf(key);
  if (!def) throw new Error(`case with unknown workflow ${key}`);
  return def;
}

/** The workflow named by a client, or a ValidationError listing the workflows. */
export function requireWorkflow(key: unknown, field = 'workflow'): WorkflowDef {
  const def = typeof key === 'string' ? workflowOf(key) : undefined;
  if (def) return def;
  const keys = Object.values(WORKFLOWS).map((w) => `${w.key}（${w.label.zh}）`).join('、');
  const keysEn = Object.values(WORKFLOWS).map((w) => `${w.key} (${w.label.en})`).join(', ');
  throw new ValidationError([{ field, value: String(key), zh: `没有程序「${String(key)}」；可选：${keys}`, en: `No procedure "${String(key)}"; choose one of: ${keysEn}` }]);
}

export function workflowActor(ctx: Ctx): WorkflowActor {
  const { id, username, role, areaCode } = ctx.actor;
  return { id, username, role, areaCode };
}

/** Parameters in force on the day of `now` (notice days, deadlines) for the case's village. */
export async function stepLookup(db: Pick<Sql, 'query'>, villageCode: string, now: Date): Promise<ParamLookup> {
  return policyLookup(db, Number(localDay(now).slice(0, 4)), villageCode);
}

export function stateLabel(def: WorkflowDef, state: string): Text {
  return def.states[state]?.label ?? { zh: state, en: state };
}
