// The case as a person or a UI sees it: the household summary, the timeline with labels, what the
// actor may do next (with the fields and attachments to ask for), the notice, deadline and flags.
import type { Sql } from '../../db/client.js';
import { labelOf } from '../../domain/codes.js';
import type { ResolvedParam, Text } from '../../domain/policy-types.js';
import { roleLabels, type Role } from '../../domain/roles.js';
import {
  ATTACHMENT_KINDS,
  RISK_TYPES,
  actionOf,
  allowedActions,
  latestDeadline,
  localDay,
  openNotice,
  overdue,
  type AllowedAction,
  type OverdueFlag,
  type WorkflowDef,
} from '../../domain/workflows/index.js';
import type { Ctx } from '../context.js';
import { day, isoAt, loadEventRows, toWorkflowEvent, type StoredEvaluation } from './events.js';
import { defOf, stateLabel, stepLookup, workflowActor, type CaseRow } from './shared.js';

export interface HouseholdSummary {
  id: number;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  exitStatus: string;
  exitStatusLabel: Text;
  identifiedOn: string | null;
  exitYear: number | null;
}

export interface AttachmentView {
  id: number;
  kind: string;
  kindLabel: Text;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  /** The step that used it (the first), or null while unused. */
  usedInSeq: number | null;
}

export interface EventView {
  seq: number;
  action: string;
  actionLabel: Text;
  kind: string;
  from: string;
  fromLabel: Text;
  to: string;
  toLabel: Text;
  actor: { username: string; role: Role; roleLabel: Text; areaCode: string };
  at: string;
  comment: string;
  input: Record<string, unknown>;
  attachments: { id: number; kind: string; kindLabel: Text; name: string | null; size: number; sha256: string; mime: string }[];
  params: ResolvedParam[];
  /** The evaluation the step relied on, computed by the server when the step was taken. */
  evaluation: StoredEvaluation | null;
  noticeEndsOn: string | null;
  dueOn: string | null;
}

export interface CaseView {
  id: number;
  workflow: string;
  workflowLabel: Text;
  state: string;
  stateLabel: Text;
  seq: number;
  closed: boolean;
  year: number | null;
  alertId: number | null;
  riskType: string | null;
  riskTypeLabel: Text | null;
  openedAt: string;
  openedBy: string;
  updatedAt: string;
  household: HouseholdSummary;
  events: EventView[];
  attachments: AttachmentView[];
  allowedActions: AllowedAction[];
  notice: { state: string; stateLabel: Text; startedOn: string; endsOn: string; param: string; ended: boolean } | null;
  deadline: { dueOn: string; param: string; label: Text; startedOn: string; met: boolean } | null;
  overdue: OverdueFlag[];
}

export async function householdSummary(db: Pick<Sql, 'query'>, countyCode: string, householdId: number): Promise<HouseholdSummary> {
  const [h] = await db.query<Omit<HouseholdSummary, 'exitStatusLabel'>>(
    `SELECT h.id, h.household_no AS "householdNo", h.head_name AS "headName", h.village_code AS "villageCode", v.name AS "villageName",
            coalesce(t.name, '') AS "townshipName", h.exit_status AS "exitStatus", ${day('h.identified_on')} AS "identifiedOn", h.exit_year AS "exitYear"
       FROM households h JOIN areas v ON v.code = h.village_code LEFT JOIN areas t ON t.code = v.parent_code
      WHERE h.county_code = $1 AND h.id = $2`,
    [countyCode, householdId],
  );
  if (!h) throw new Error(`case household ${countyCode}/${householdId} is missing`);
  return { ...h, exitStatusLabel: { zh: labelOf('exitStatus', h.exitStatus), en: labelOf('exitStatus', h.exitStatus, 'en') } };
}

export async function caseAttachments(db: Pick<Sql, 'query'>, c: CaseRow): Promise<AttachmentView[]> {
  const rows = await db.query<Omit<AttachmentView, 'kindLabel'>>(
    `SELECT a.id, a.kind, a.filename, a.mime, a.size, a.sha256, a.uploaded_by AS "uploadedBy", ${isoAt('a.uploaded_at')} AS "uploadedAt",
            (SELECT min(e.seq) FROM case_events e WHERE e.county_code = a.county_code AND e.case_id = a.case_id
                AND e.attachments @> jsonb_build_array(jsonb_build_object('id', a.id))) AS "usedInSeq"
       FROM case_attachments a WHERE a.county_code = $1 AND a.case_id = $2 ORDER BY a.id`,
    [c.countyCode, c.id],
  );
  return rows.map((r) => ({ ...r, kindLabel: ATTACHMENT_KINDS[r.kind] ?? { zh: r.kind, en: r.kind } }));
}

function riskTypeOf(def: WorkflowDef, events: { input: Record<string, unknown> }[]): string | null {
  if (def.key !== 'monitoring') return null;
  for (let i = events.length - 1; i >= 0; i--) {
    const r = events[i]!.input.riskType;
    if (typeof r === 'string') return r;
  }
  return null;
}

/** The whole case for `ctx.actor` at `now`, read through `db` (a transaction inside a write). */
export async function caseView(db: Pick<Sql, 'query'>, ctx: Ctx, c: CaseRow, now: Date): Promise<CaseView> {
  const def = defOf(c.workflow);
  const rows = await loadEventRows(db, c.countyCode, c.id);
  const events = rows.map(toWorkflowEvent);
  const lookup = await stepLookup(db, c.villageCode, now);
  const info = { villageCode: c.villageCode };
  const n = openNotice(def, events);
  const d = latestDeadline(def, events);
  const risk = riskTypeOf(def, rows);
  const riskLabel = risk ? RISK_TYPES.find((r) => r.code === risk) : undefined;
  return {
    id: c.id,
    workflow: c.workflow,
    workflowLabel: def.label,
    state: c.state,
    stateLabel: stateLabel(def, c.state),
    seq: c.seq,
    closed: c.closed,
    year: c.year,
    alertId: c.alertId,
    riskType: risk,
    riskTypeLabel: riskLabel ? { zh: riskLabel.zh, en: riskLabel.en } : null,
    openedAt: c.openedAt,
    openedBy: c.openedBy,
    updatedAt: c.updatedAt,
    household: await householdSummary(db, c.countyCode, c.householdId),
    events: rows.map((r) => {
      const a = actionOf(def, r.action);
      return {
        seq: r.seq,
        action: r.action,
        actionLabel: a?.label ?? { zh: r.action, en: r.action },
        kind: a?.kind ?? 'forward',
        from: r.from,
        fromLabel: stateLabel(def, r.from),
        to: r.to,
        toLabel: stateLabel(def, r.to),
        actor: { username: r.actor.username, role: r.actor.role, roleLabel: roleLabels[r.actor.role] ?? { zh: r.actor.role, en: r.actor.role }, areaCode: r.actor.areaCode },
        at: r.at,
        comment: r.comment,
        input: r.input,
        attachments: r.attachments.map((x) => ({ id: x.id, kind: x.kind, kindLabel: ATTACHMENT_KINDS[x.kind] ?? { zh: x.kind, en: x.kind }, name: x.name ?? null, size: x.size, sha256: x.sha256, mime: x.mime })),
        params: r.params,
        evaluation: r.evaluation ?? null,
        noticeEndsOn: r.noticeEndsOn,
        dueOn: r.dueOn,
      };
    }),
    attachments: await caseAttachments(db, c),
    allowedActions: allowedActions(def, events, workflowActor(ctx), now, lookup, info),
    notice: n ? { state: n.state, stateLabel: stateLabel(def, n.state), startedOn: n.startedOn, endsOn: n.endsOn, param: n.param, ended: localDay(now) >= n.endsOn } : null,
    deadline: d ? { dueOn: d.dueOn, param: d.param, label: d.label, startedOn: d.startedOn, met: d.met } : null,
    overdue: overdue(def, events, now),
  };
}
