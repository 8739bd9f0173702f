// Reading a case's append-only events back as the engine's WorkflowEvents (domain/workflows/).
import type { Sql } from '../../db/client.js';
import type { Attachment, WorkflowActor, WorkflowEvent } from '../../domain/workflows/index.js';
import type { ResolvedParam } from '../../domain/policy-types.js';
import type { Decision, MonitoringCaseInput } from '../../domain/evaluate.js';

/** case_events.evaluation: the server's evaluation a step relied on (the household and year it was made for). */
export interface StoredEvaluation {
  /** The step's field it filled. */
  field: string;
  householdId: number;
  householdNo: string;
  year: number;
  asOf: string;
  perCapitaNetIncome: number | null;
  monitoringCase: MonitoringCaseInput | null;
  decision: Decision;
}

/** ISO instant in UTC with milliseconds, the form WorkflowEvent.at uses. */
export const isoAt = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
export const day = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;

/** An attachment as stored in case_events.attachments: the engine's shape plus the stored file's facts. */
export interface StoredAttachment extends Attachment {
  /** case_attachments.id (also in `ref`). */
  id: number;
  sha256: string;
  size: number;
  mime: string;
}

export interface EventRow {
  seq: number;
  action: string;
  from: string;
  to: string;
  actor: WorkflowActor;
  at: string;
  comment: string;
  input: Record<string, unknown>;
  attachments: StoredAttachment[];
  params: ResolvedParam[];
  evaluation: StoredEvaluation | null;
  noticeEndsOn: string | null;
  dueOn: string | null;
}

export async function loadEventRows(db: Pick<Sql, 'query'>, countyCode: string, caseId: number): Promise<EventRow[]> {
  return db.query<EventRow>(
    `SELECT seq, action, from_state AS "from", to_state AS "to", actor, ${isoAt('at')} AS at, comment, input, attachments, params, evaluation,
            ${day('notice_ends_on')} AS "noticeEndsOn", ${day('due_on')} AS "dueOn"
       FROM case_events WHERE county_code = $1 AND case_id = $2 ORDER BY seq`,
    [countyCode, caseId],
  );
}

export function toWorkflowEvent(r: EventRow): WorkflowEvent {
  const e: WorkflowEvent = {
    seq: r.seq,
    action: r.action,
    from: r.from,
    to: r.to,
    actor: r.actor,
    at: r.at,
    comment: r.comment,
    input: r.input,
    attachments: r.attachments,
    params: r.params,
  };
  if (r.noticeEndsOn) e.noticeEndsOn = r.noticeEndsOn;
  if (r.dueOn) e.dueOn = r.dueOn;
  return e;
}

/** The events of a case in seq order, as the engine replays them. */
export async function loadEvents(db: Pick<Sql, 'query'>, countyCode: string, caseId: number): Promise<WorkflowEvent[]> {
  return (await loadEventRows(db, countyCode, caseId)).map(toWorkflowEvent);
}
