// Reading cases: one case with its timeline and next steps, the inbox list (filters: area,
// procedure, state, overdue, "mine" = a decision step is open to me now), and the notice board.
import { NotFound } from '../../domain/errors.js';
import type { Text } from '../../domain/policy-types.js';
import { STEP_LEVEL_CODE_LENGTH, WORKFLOWS, localDay, type WorkflowDef } from '../../domain/workflows/index.js';
import { inScope, require, scopeCounty, scopePattern, type Actor, type Ctx } from '../context.js';
import { caseView, type CaseView } from './view.js';
import { caseCols, defOf, loadCase, nowOf, requireWorkflow, stateLabel, type CaseRow, type Clock } from './shared.js';

export async function getCase(ctx: Ctx, id: number, o: Clock = {}): Promise<CaseView> {
  require(ctx, 'register.read');
  const c = await loadCase(ctx.db, ctx, id);
  return caseView(ctx.db, ctx, c, nowOf(o));
}

export interface CaseListFilters extends Clock {
  /** An area code inside the actor's area (2–12 digits). */
  area?: string;
  workflow?: string;
  state?: string;
  /** true: only cases with an ended, unclosed notice or a passed deadline. */
  overdue?: boolean;
  /** true: only cases where a decision step (forward or reject, not withdraw/objection/reopen) is open to the actor now. */
  mine?: boolean;
  /** true: closed cases only; false: open cases only. */
  closed?: boolean;
  householdId?: number;
  page?: number;
  pageSize?: number;
}

export interface CaseListItem {
  id: number;
  workflow: string;
  workflowLabel: Text;
  state: string;
  stateLabel: Text;
  seq: number;
  closed: boolean;
  year: number | null;
  householdId: number;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  noticeEndsOn: string | null;
  dueOn: string | null;
  /** A notice has ended without being closed, or a deadline has passed. */
  overdue: boolean;
  openedAt: string;
  openedBy: string;
  updatedAt: string;
}

/** SQL for "a decision step of `def` is open to the actor" on case alias c. */
function mineCondition(defs: WorkflowDef[], actor: Actor, p: (v: unknown) => string, today: string): string {
  const conds: string[] = [];
  for (const def of defs) {
    for (const a of def.actions) {
      if (a.kind !== 'forward' && a.kind !== 'reject') continue;
      const role = actor.role === 'city_admin' || a.roles.includes(actor.role);
      const level = actor.role === 'city_admin' || actor.areaCode.length === STEP_LEVEL_CODE_LENGTH[a.level];
      if (!role || !level) continue;
      for (const s of a.from) conds.push(`(c.workflow = ${p(def.key)} AND c.state = ${p(s)}${a.closesNotice ? ` AND c.notice_ends_on <= ${p(today)}::date` : ''})`);
    }
  }
  return conds.length ? `(${conds.join(' OR ')})` : 'false';
}

function scopeConds(ctx: Ctx, area: string | undefined, p: (v: unknown) => string): string[] {
  if (area && !inScope(ctx.actor, area)) throw new NotFound({ zh: '区划', en: 'area' });
  const conds: string[] = [];
  const county = area && area.length >= 6 ? area.slice(0, 6) : scopeCounty(ctx.actor);
  if (county) conds.push(`c.county_code = ${p(county)}`);
  conds.push(`c.village_code LIKE ${p(area ? `${area}%` : scopePattern(ctx.actor))}`);
  return conds;
}

const listSelect = `SELECT ${caseCols()}, h.household_no AS "householdNo", h.head_name AS "headName", v.name AS "villageName", coalesce(t.name, '') AS "townshipName"
  FROM cases c JOIN households h ON h.county_code = c.county_code AND h.id = c.household_id
  JOIN areas v ON v.code = c.village_code LEFT JOIN areas t ON t.code = v.parent_code`;

type ListRow = CaseRow & { householdNo: string; headName: string; villageName: string; townshipName: string };

export async function listCases(ctx: Ctx, f: CaseListFilters = {}): Promise<{ items: CaseListItem[]; total: number; page: number; pageSize: number }> {
  require(ctx, 'register.read');
  const today = localDay(nowOf(f));
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const conds = scopeConds(ctx, f.area, p);
  const defs = f.workflow !== undefined ? [requireWorkflow(f.workflow)] : Object.values(WORKFLOWS);
  if (f.workflow !== undefined) conds.push(`c.workflow = ${p(f.workflow)}`);
  if (f.state) conds.push(`c.state = ${p(f.state)}`);
  if (f.closed !== undefined) conds.push(f.closed ? 'c.closed' : 'NOT c.closed');
  if (f.householdId !== undefined) conds.push(`c.household_id = ${p(f.householdId)}`);
  // today is our own YYYY-MM-DD (localDay), a literal so the count query needs no unused parameter.
  const overdueSql = `(c.notice_ends_on <= DATE '${today}' OR c.due_on < DATE '${today}')`;
  if (f.overdue !== undefined) conds.push(f.overdue ? overdueSql : `NOT coalesce(${overdueSql}, false)`);
  if (f.mine) conds.push(mineCondition(defs, ctx.actor, p, today));
  const page = Math.max(1, f.page ?? 1);
  const pageSize = Math.min(500, Math.max(1, f.pageSize ?? 50));
  const where = conds.join(' AND ');
  const [count] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases c WHERE ${where}`, params);
  const rows = await ctx.db.query<ListRow & { isOverdue: boolean | null }>(
    `${listSelect.replace('FROM cases c', `, coalesce(${overdueSql}, false) AS "isOverdue" FROM cases c`)}
      WHERE ${where} ORDER BY c.updated_at DESC, c.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  const items = rows.map((r) => {
    const def = defOf(r.workflow);
    return {
      id: r.id, workflow: r.workflow, workflowLabel: def.label, state: r.state, stateLabel: stateLabel(def, r.state), seq: r.seq, closed: r.closed,
      year: r.year, householdId: r.householdId, householdNo: r.householdNo, headName: r.headName, villageCode: r.villageCode, villageName: r.villageName,
      townshipName: r.townshipName, noticeEndsOn: r.noticeEndsOn, dueOn: r.dueOn, overdue: r.isOverdue === true, openedAt: r.openedAt, openedBy: r.openedBy,
      updatedAt: r.updatedAt,
    };
  });
  return { items, total: count?.n ?? 0, page, pageSize };
}

export interface NoticeItem {
  caseId: number;
  workflow: string;
  workflowLabel: Text;
  state: string;
  stateLabel: Text;
  householdId: number;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  year: number | null;
  /** The day the notice was posted (China time). */
  startedOn: string;
  /** The day from which it may be closed. */
  endsOn: string;
  /** The notice period is over (it waits to be closed). */
  ended: boolean;
}

/** Cases now in a notice (公示): what a village or township posts, by village then end day. */
export async function listNotices(ctx: Ctx, f: { area?: string } & Clock = {}): Promise<{ items: NoticeItem[]; asOf: string }> {
  require(ctx, 'register.read');
  const today = localDay(nowOf(f));
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const conds = scopeConds(ctx, f.area, p);
  conds.push('c.notice_ends_on IS NOT NULL', 'NOT c.closed');
  const rows = await ctx.db.query<ListRow & { startedAt: string }>(
    `${listSelect.replace('FROM cases c', `, (SELECT to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM case_events e
         WHERE e.county_code = c.county_code AND e.case_id = c.id AND e.seq = c.seq) AS "startedAt" FROM cases c`)}
      WHERE ${conds.join(' AND ')} ORDER BY c.village_code, c.notice_ends_on, c.id LIMIT 5000`,
    params,
  );
  const items = rows.map((r) => {
    const def = defOf(r.workflow);
    return {
      caseId: r.id, workflow: r.workflow, workflowLabel: def.label, state: r.state, stateLabel: stateLabel(def, r.state), householdId: r.householdId,
      householdNo: r.householdNo, headName: r.headName, villageCode: r.villageCode, villageName: r.villageName, townshipName: r.townshipName, year: r.year,
      startedOn: localDay(r.startedAt), endsOn: r.noticeEndsOn!, ended: today >= r.noticeEndsOn!,
    };
  });
  return { items, asOf: today };
}
