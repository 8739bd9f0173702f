// Opening a case: who may open it is whoever may take the procedure's first step (its role and
// area level, in the household's area); one open case per procedure and household.
import type { Sql } from '../../db/client.js';
import { Conflict, Forbidden, ValidationError } from '../../domain/errors.js';
import { decide, localDay, type WorkflowDef } from '../../domain/workflows/index.js';
import { audit, type Ctx } from '../context.js';
import { loadHousehold, type HouseholdRow } from '../households.js';
import { caseView, type CaseView } from './view.js';
import { caseCols, nowOf, requireWorkflow, stateLabel, workflowActor, type CaseRow, type Clock } from './shared.js';
import { markAlertCaseOpened } from '../monitoring/alerts.js';

export interface OpenCaseInput extends Clock {
  workflow: string;
  householdId: number;
  /** The year the case is about (the yearly record evaluated); default: the household's latest yearly record, else this year. */
  year?: number;
  /** Monitoring: the alert the case is opened from. */
  alertId?: number;
  /**
   * Internal only, never from a client: open without checking that the actor may take the first
   * step. For a service that has checked its own rights and opens the case for the offices (the
   * exit evaluation: an inspector opens an exit_correction case that the village then verifies; a
   * definition with `openedBy` is opened only this way).
   * The household must still be in the actor's area. Routes and CLI commands build their input
   * from explicit fields, so a request cannot set it.
   */
  skipOpenerRoleCheck?: boolean;
}

export function firstAction(def: WorkflowDef) {
  const a = def.actions.find((x) => x.from.includes(def.initial));
  if (!a) throw new Error(`workflow ${def.key} has no first step`);
  return a;
}

function notByHand(def: WorkflowDef, o: NonNullable<WorkflowDef['openedBy']>): Forbidden {
  return new Forbidden({
    zh: `“${def.label.zh}”只能由第三方评估结束时发现的${o.finding.zh}发起，不能手工发起`,
    en: `"${def.label.en}" is opened only by a closed evaluation that found ${o.finding.en}, not by hand`,
  });
}

/** Refuses an actor who could not take the first step of `def` on this household's case. */
export function checkMayOpen(ctx: Ctx, def: WorkflowDef, villageCode: string, now: Date): void {
  const a = firstAction(def);
  const r = decide(def, [], a.id, { actor: workflowActor(ctx), now, lookup: () => undefined, caseInfo: { villageCode } });
  if (r.ok) return;
  const who = r.reasons.filter((x) => x.code === 'wrong_role' || x.code === 'wrong_level');
  if (!who.length) return;
  throw new Forbidden({
    zh: `只有能办理第一步「${a.label.zh}」的账号可以发起「${def.label.zh}」：${who.map((x) => x.zh).join('；')}`,
    en: `Only an account that may take the first step "${a.label.en}" may open "${def.label.en}": ${who.map((x) => x.en).join('; ')}`,
  });
}

/** The other open case of this procedure for the household, if any. */
export async function openCaseOf(tx: Pick<Sql, 'query'>, countyCode: string, householdId: number, workflow: string, exceptId?: number): Promise<CaseRow | undefined> {
  const [row] = await tx.query<CaseRow>(
    `SELECT ${caseCols()} FROM cases c WHERE c.county_code = $1 AND c.household_id = $2 AND c.workflow = $3 AND NOT c.closed AND c.id IS DISTINCT FROM $4::bigint
      ORDER BY c.id LIMIT 1`,
    [countyCode, householdId, workflow, exceptId ?? null],
  );
  return row;
}

export function alreadyOpen(def: WorkflowDef, h: Pick<HouseholdRow, 'householdNo'>, other: CaseRow): Conflict {
  const s = stateLabel(def, other.state);
  return new Conflict(
    {
      zh: `户编号 ${h.householdNo} 已有未办结的「${def.label.zh}」案件（案件 ${other.id}，当前「${s.zh}」）；同一户同一程序只能有一个未办结案件，请在该案件中继续办理`,
      en: `Household ${h.householdNo} already has an open "${def.label.en}" case (case ${other.id}, now "${s.en}"); a household has at most one open case per procedure — continue in that case`,
    },
    { id: other.id, workflow: other.workflow, state: other.state, stateLabel: s, seq: other.seq },
  );
}

async function defaultYear(tx: Pick<Sql, 'query'>, h: HouseholdRow, now: Date): Promise<number> {
  const [r] = await tx.query<{ year: number | null }>('SELECT max(year) AS year FROM household_years WHERE county_code = $1 AND household_id = $2', [h.countyCode, h.id]);
  return r?.year ?? Number(localDay(now).slice(0, 4));
}

/** Opens a case inside `tx` (for other services too, e.g. opening a monitoring case from an alert). Audited. */
export async function openCaseTx(tx: Sql, ctx: Ctx, input: OpenCaseInput): Promise<CaseRow> {
  const def = requireWorkflow(input.workflow);
  const now = nowOf(input);
  if (input.year !== undefined && (!Number.isInteger(input.year) || input.year < 2010 || input.year > 2100)) {
    throw new ValidationError([{ field: 'year', value: String(input.year), zh: `年度 ${input.year} 无效，应为 2010–2100 的整数`, en: `Year ${input.year} is invalid; use a whole year 2010–2100` }]);
  }
  const h = await loadHousehold(tx, ctx, input.householdId, true);
  if (input.skipOpenerRoleCheck !== true) {
    // A procedure its definition reserves to a service (e.g. a wrong-exit correction: a closed evaluation).
    if (def.openedBy) throw notByHand(def, def.openedBy);
    checkMayOpen(ctx, def, h.villageCode, now);
  }
  if (input.alertId !== undefined) {
    const [alert] = def.key === 'monitoring'
      ? await tx.query('SELECT 1 FROM monitoring_alerts WHERE county_code = $1 AND id = $2 AND household_id = $3', [h.countyCode, input.alertId, h.id])
      : [];
    if (!alert) {
      throw new ValidationError([{ field: 'alertId', value: String(input.alertId), zh: `预警 ${input.alertId} 不存在，或不是该户的预警，或该程序不是防返贫监测`, en: `Alert ${input.alertId} does not exist, is not this household's, or the procedure is not monitoring` }]);
    }
  }
  const other = await openCaseOf(tx, h.countyCode, h.id, def.key);
  if (other) throw alreadyOpen(def, h, other);
  const year = input.year ?? (await defaultYear(tx, h, now));
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO cases (county_code, workflow, household_id, village_code, state, seq, closed, year, alert_id, opened_at, opened_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, 0, false, $6, $7, $8, $9, $8) RETURNING id`,
    [h.countyCode, def.key, h.id, h.villageCode, def.initial, year, input.alertId ?? null, now.toISOString(), ctx.actor.username],
  );
  const id = Number(row!.id);
  // The alert now points at its case (refused with 409 unless the alert is still open).
  if (input.alertId !== undefined) await markAlertCaseOpened(tx, { countyCode: h.countyCode, alertId: input.alertId, caseId: id, actor: ctx.actor });
  await audit(tx, ctx.actor, {
    action: 'create',
    entity: 'cases',
    entityId: id,
    countyCode: h.countyCode,
    householdId: h.id,
    after: { workflow: def.key, state: def.initial, year, alertId: input.alertId ?? null, villageCode: h.villageCode },
  });
  const [c] = await tx.query<CaseRow>(`SELECT ${caseCols()} FROM cases c WHERE c.county_code = $1 AND c.id = $2`, [h.countyCode, id]);
  if (!c) throw new Error(`case ${id} vanished`);
  return c;
}

/** Opens a case for a household; returns the case as the actor sees it. */
export async function openCase(ctx: Ctx, input: OpenCaseInput): Promise<CaseView> {
  const now = nowOf(input);
  return ctx.db.transaction(async (tx) => caseView(tx, ctx, await openCaseTx(tx, ctx, input), now));
}

