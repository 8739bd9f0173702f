// One step on a locked case inside a transaction: the server computes any evaluation the step
// needs (a client-supplied one is refused), resolves the uploaded attachments, asks the engine
// (`decide`), then appends the event, updates the case row, applies the register effects and
// writes the audit row. Refusals are returned, not thrown, so a batch can list every one.
import type { Sql } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import type { Text } from '../../domain/policy-types.js';
import {
  actionOf,
  decide,
  latestDeadline,
  localDay,
  openNotice,
  type Attachment,
  type Refusal,
  type WorkflowDef,
  type WorkflowEvent,
} from '../../domain/workflows/index.js';
import { audit, type Ctx } from '../context.js';
import { evaluateHouseholdTx, type VerifiedFacts } from '../evaluation.js';
import { householdCols } from '../households-sql.js';
import type { HouseholdRow } from '../households.js';
import { applyEffects } from './effects.js';
import { loadEvents, type StoredAttachment, type StoredEvaluation } from './events.js';
import { alreadyOpen, openCaseOf } from './open.js';
import { defOf, stepLookup, workflowActor, type CaseRow } from './shared.js';

export interface StepInput {
  action: string;
  comment?: string;
  input?: Record<string, unknown>;
  /** Ids of files uploaded to the case (POST /cases/:id/attachments). */
  attachmentIds?: number[];
  /** Verified facts for a risk-elimination evaluation (monthsAboveThreshold, rigidExpensesResolved). */
  facts?: VerifiedFacts;
  now: Date;
  /** Batch: attachments may have been uploaded to any of these cases (one announcement for many). */
  attachmentCases?: number[];
  /** Batch: a note for the audit row. */
  note?: string;
}

export type StepOutcome = { ok: true; event: WorkflowEvent; after: CaseRow } | { ok: false; reasons: Refusal[] };

function refusal(code: Refusal['code'], field: string, t: Text): Refusal {
  return { code, field, zh: t.zh, en: t.en };
}

async function householdOf(tx: Pick<Sql, 'query'>, c: CaseRow): Promise<HouseholdRow> {
  const [h] = await tx.query<HouseholdRow>(`SELECT ${householdCols} FROM households WHERE county_code = $1 AND id = $2`, [c.countyCode, c.householdId]);
  if (!h) throw new Error(`case ${c.id}: household ${c.householdId} is missing`);
  return h;
}

interface Evaluated {
  input: Record<string, unknown>;
  /** What case_events.evaluation stores. */
  stored: StoredEvaluation | null;
  refusals: Refusal[];
  /** Fields already refused here (left out of the input, so the engine's "missing" for them is dropped). */
  skip: Set<string>;
}

/** Replaces every evaluation field of the step by the server's evaluation of the case's household. */
async function evaluateFields(tx: Sql, def: WorkflowDef, c: CaseRow, s: StepInput): Promise<Evaluated> {
  const input: Record<string, unknown> = { ...(s.input ?? {}) };
  const a = actionOf(def, s.action);
  const fields = a?.fields.filter((f) => f.kind === 'evaluation') ?? [];
  const refusals: Refusal[] = [];
  const skip = new Set<string>();
  let stored: StoredEvaluation | null = null;
  for (const f of fields) {
    if (input[f.key] !== undefined && input[f.key] !== null) {
      skip.add(f.key);
      delete input[f.key];
      refusals.push(refusal('invalid_field', f.key, {
        zh: `「${f.label.zh}」（${f.key}）由系统根据登记信息计算，请勿填写；补全农户的年度记录后再办理`,
        en: `"${f.label.en}" (${f.key}) is computed by the server from the register; leave it out (complete the household's yearly record if it is wrong)`,
      }));
      continue;
    }
    const h = await householdOf(tx, c);
    const year = c.year ?? Number(localDay(s.now).slice(0, 4));
    try {
      const ev = await evaluateHouseholdTx(tx, h, { year, asOf: localDay(s.now), ...(c.workflow === 'monitoring' ? { caseId: c.id } : {}), ...(s.facts ?? {}) });
      const decision = f.evaluationKey === 'risk_elimination' ? ev.riskElimination : f.evaluationKey === 'exit' ? ev.exit : ev.identification;
      if (!decision) throw new Error(`case ${c.id}: no ${f.evaluationKey} decision`);
      input[f.key] = decision;
      stored = { field: f.key, householdId: h.id, householdNo: h.householdNo, year: ev.year, asOf: ev.asOf, perCapitaNetIncome: ev.perCapitaNetIncome, monitoringCase: ev.monitoringCase, decision };
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      skip.add(f.key);
      // An optional evaluation the register cannot support (no yearly record) is left out, not refused.
      if (f.optional) continue;
      for (const i of e.issues) refusals.push(refusal('invalid_field', f.key, { zh: `无法评估：${i.zh}`, en: `Cannot evaluate: ${i.en}` }));
    }
  }
  return { input, stored, refusals, skip };
}

/** The uploaded files named by id, as the engine's attachments; unknown ids are refusals. */
async function resolveAttachments(tx: Pick<Sql, 'query'>, c: CaseRow, s: StepInput): Promise<{ attachments: StoredAttachment[]; refusals: Refusal[] }> {
  const ids = [...new Set(s.attachmentIds ?? [])];
  if (!ids.length) return { attachments: [], refusals: [] };
  const cases = s.attachmentCases ?? [c.id];
  const rows = await tx.query<{ id: number; kind: string; filename: string; sha256: string; size: number; mime: string }>(
    `SELECT id, kind, filename, sha256, size, mime FROM case_attachments WHERE county_code = $1 AND id = ANY($2::bigint[]) AND case_id = ANY($3::bigint[])`,
    [c.countyCode, ids, cases],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const refusals: Refusal[] = [];
  const attachments: StoredAttachment[] = [];
  ids.forEach((id, i) => {
    const r = byId.get(id);
    if (!r) {
      refusals.push(refusal('unknown_attachment', `attachmentIds.${i}`, {
        zh: `附件 ${id} 不存在或不属于本案件；请先上传到本案件（POST /api/v1/cases/${c.id}/attachments）`,
        en: `Attachment ${id} does not exist or belongs to another case; upload it to this case first (POST /api/v1/cases/${c.id}/attachments)`,
      }));
      return;
    }
    attachments.push({ kind: r.kind, ref: String(r.id), name: r.filename, id: r.id, sha256: r.sha256, size: r.size, mime: r.mime });
  });
  return { attachments, refusals };
}

/** Takes one step on case `c` (locked by the caller). Writes only when the step is allowed. */
export async function takeStep(tx: Sql, ctx: Ctx, c: CaseRow, s: StepInput): Promise<StepOutcome> {
  const def = defOf(c.workflow);
  const events = await loadEvents(tx, c.countyCode, c.id);
  const ev = await evaluateFields(tx, def, c, s);
  const att = await resolveAttachments(tx, c, s);
  const lookup = await stepLookup(tx, c.villageCode, s.now);
  const r = decide(def, events, s.action, {
    actor: workflowActor(ctx),
    input: ev.input,
    attachments: att.attachments.map((a): Attachment => ({ kind: a.kind, ref: a.ref, ...(a.name ? { name: a.name } : {}) })),
    comment: s.comment,
    now: s.now,
    lookup,
    caseInfo: { villageCode: c.villageCode },
  });
  const pre = [...ev.refusals, ...att.refusals];
  // A refusal of the input the engine never saw (a supplied evaluation) is reported with the engine's own.
  if (!r.ok) {
    if (r.reasons.some((x) => x.code === 'not_found')) return { ok: false, reasons: r.reasons };
    return { ok: false, reasons: [...pre, ...r.reasons.filter((x) => !(x.field && ev.skip.has(x.field)))] };
  }
  if (pre.length) return { ok: false, reasons: pre };
  const event = r.event;
  const a = actionOf(def, event.action)!;
  if (a.kind === 'reopen') {
    const other = await openCaseOf(tx, c.countyCode, c.householdId, c.workflow, c.id);
    if (other) {
      const h = await householdOf(tx, c);
      const e = alreadyOpen(def, h, other);
      return { ok: false, reasons: [{ code: 'wrong_state', zh: e.msg.zh, en: e.msg.en }] };
    }
  }

  // Store the evaluation once (case_events.evaluation) and only its verdict in the input.
  const input = { ...event.input };
  for (const f of a.fields) {
    const d = input[f.key] as { key?: string; eligible?: unknown; reasons?: unknown } | undefined;
    if (f.kind === 'evaluation' && d) input[f.key] = { key: d.key, eligible: d.eligible, reasons: d.reasons };
  }
  const attachments = att.attachments;
  await tx.query(
    `INSERT INTO case_events (county_code, case_id, seq, action, from_state, to_state, actor, at, comment, input, attachments, params, evaluation, notice_ends_on, due_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13::jsonb, $14, $15)`,
    [c.countyCode, c.id, event.seq, event.action, event.from, event.to, JSON.stringify(event.actor), event.at, event.comment, JSON.stringify(input),
      JSON.stringify(attachments), JSON.stringify(event.params), ev.stored === null ? null : JSON.stringify(ev.stored), event.noticeEndsOn ?? null, event.dueOn ?? null],
  );
  const all = [...events, event];
  const notice = openNotice(def, all);
  const deadline = latestDeadline(def, all);
  const after: CaseRow = {
    ...c,
    state: event.to,
    seq: event.seq,
    closed: def.states[event.to]?.final === true,
    noticeEndsOn: notice?.endsOn ?? null,
    dueOn: deadline && !deadline.met ? deadline.dueOn : null,
    updatedAt: event.at,
  };
  await tx.query(
    // risk_type: kept from the step that recorded it (monitoring discovery), so lists can filter by it.
    `UPDATE cases SET state = $3, seq = $4, closed = $5, notice_ends_on = $6, due_on = $7, updated_at = $8,
            risk_type = coalesce($9, risk_type) WHERE county_code = $1 AND id = $2`,
    [c.countyCode, c.id, after.state, after.seq, after.closed, after.noticeEndsOn, after.dueOn, event.at,
      typeof event.input.riskType === 'string' ? event.input.riskType : null],
  );
  await applyEffects(tx, ctx, c, event);
  await audit(tx, ctx.actor, {
    action: 'step',
    entity: 'cases',
    entityId: c.id,
    countyCode: c.countyCode,
    householdId: c.householdId,
    before: { state: c.state, seq: c.seq },
    after: { state: after.state, seq: after.seq, action: event.action, comment: event.comment, input, attachments: attachments.map((x) => x.id), params: event.params },
    note: s.note ?? null,
  });
  return { ok: true, event, after };
}
