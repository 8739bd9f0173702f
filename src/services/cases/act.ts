// Steps on cases: one case (naming the seq the user saw, so a stale view gets 409 with the current
// case) or a batch, all or nothing in one transaction, listing every refused case with its reasons.
import { AppError, Conflict, ValidationError } from '../../domain/errors.js';
import { refusalError, type Refusal } from '../../domain/workflows/index.js';
import { scopeCounty, scopePattern, type Ctx } from '../context.js';
import type { VerifiedFacts } from '../evaluation.js';
import { takeStep } from './step.js';
import { caseView, type CaseView } from './view.js';
import { caseCols, loadCase, nowOf, type CaseRow, type Clock } from './shared.js';

export interface ActInput extends Clock {
  caseId: number;
  action: string;
  /** The seq of the last event the user saw (cases.seq, 0 for a new case). */
  seq: number;
  comment?: string;
  input?: Record<string, unknown>;
  attachmentIds?: number[];
  facts?: VerifiedFacts;
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

function staleConflict(seen: number, v: CaseView): Conflict {
  return new Conflict(
    {
      zh: `案件 ${v.id} 已有新的办理记录（您看到的是第 ${seen} 步，当前为第 ${v.seq} 步，状态「${v.stateLabel.zh}」）；请刷新后再办理`,
      en: `Case ${v.id} has moved on (you saw step ${seen}; it is now at step ${v.seq}, "${v.stateLabel.en}"); reload and try again`,
    },
    { case: v, reasons: [] },
  );
}

/** The typed error of a refused step; a 409 carries the current case and the reasons. */
function stepError(reasons: Refusal[], v: CaseView): AppError {
  const e = refusalError(reasons);
  return e instanceof Conflict ? new Conflict(e.msg, { case: v, reasons }) : e;
}

/** Takes one step; returns the case after it. */
export async function actOnCase(ctx: Ctx, o: ActInput): Promise<CaseView> {
  const now = nowOf(o);
  if (!Number.isInteger(o.seq) || o.seq < 0) {
    throw new ValidationError([{ field: 'seq', value: String(o.seq), zh: '缺少或无效的 seq（读取案件时得到的步骤序号，新案件为 0）', en: 'Missing or invalid seq (the step number you read with the case; 0 for a new case)' }]);
  }
  try {
    return await ctx.db.transaction(async (tx) => {
      const c = await loadCase(tx, ctx, o.caseId, true);
      if (c.seq !== o.seq) throw staleConflict(o.seq, await caseView(tx, ctx, c, now));
      const r = await takeStep(tx, ctx, c, { action: o.action, comment: o.comment, input: o.input, attachmentIds: o.attachmentIds, facts: o.facts, now });
      if (!r.ok) throw stepError(r.reasons, await caseView(tx, ctx, c, now));
      return caseView(tx, ctx, r.after, now);
    });
  } catch (e) {
    // Two steps racing past the row lock (should not happen): the (case, seq) key refuses the second.
    if (!isUniqueViolation(e)) throw e;
    const c = await loadCase(ctx.db, ctx, o.caseId);
    throw staleConflict(o.seq, await caseView(ctx.db, ctx, c, now));
  }
}

export interface BatchInput extends Clock {
  caseIds: number[];
  action: string;
  comment?: string;
  input?: Record<string, unknown>;
  /** Files uploaded to any case of the batch (e.g. one announcement listing every household). */
  attachmentIds?: number[];
  facts?: VerifiedFacts;
}

export interface BatchRefusal {
  caseId: number;
  householdNo: string | null;
  /** The HTTP status this step alone would get (403, 404, 400, 409). */
  status: number;
  code: string;
  zh: string;
  en: string;
  reasons: Refusal[];
}

export interface BatchResult {
  count: number;
  cases: { id: number; householdNo: string; state: string; seq: number }[];
}

export const MAX_BATCH = 500;

/** The same step on many cases in one transaction: all are taken, or none and every refusal is listed. */
export async function actOnCases(ctx: Ctx, o: BatchInput): Promise<BatchResult> {
  const now = nowOf(o);
  const ids = [...new Set(o.caseIds)];
  const bad = ids.filter((id) => !Number.isSafeInteger(id) || id <= 0);
  if (!ids.length || ids.length > MAX_BATCH || bad.length) {
    throw new ValidationError([{
      field: 'caseIds',
      zh: `请给出 1–${MAX_BATCH} 个案件编号（正整数）${bad.length ? `；无效：${bad.join('、')}` : ''}`,
      en: `Give 1–${MAX_BATCH} case ids (positive whole numbers)${bad.length ? `; invalid: ${bad.join(', ')}` : ''}`,
    }]);
  }
  return ctx.db.transaction(async (tx) => {
    const params: unknown[] = [ids, scopePattern(ctx.actor)];
    const county = scopeCounty(ctx.actor);
    if (county) params.push(county);
    // Locked in id order, so two batches over the same cases cannot deadlock.
    const rows = await tx.query<CaseRow & { householdNo: string }>(
      `SELECT ${caseCols()}, h.household_no AS "householdNo" FROM cases c JOIN households h ON h.county_code = c.county_code AND h.id = c.household_id
        WHERE c.id = ANY($1::bigint[]) AND c.village_code LIKE $2 ${county ? 'AND c.county_code = $3' : ''} ORDER BY c.id FOR UPDATE OF c`,
      params,
    );
    const found = new Map(rows.map((r) => [r.id, r]));
    const refused: BatchRefusal[] = [];
    const done: BatchResult['cases'] = [];
    for (const id of ids) {
      const c = found.get(id);
      const r = c
        ? await takeStep(tx, ctx, c, { action: o.action, comment: o.comment, input: o.input, attachmentIds: o.attachmentIds, facts: o.facts, now, attachmentCases: ids, note: `batch of ${ids.length}` })
        : { ok: false as const, reasons: [{ code: 'not_found' as const, zh: '', en: '' }] };
      if (r.ok) {
        done.push({ id, householdNo: c!.householdNo, state: r.after.state, seq: r.after.seq });
        continue;
      }
      const e = refusalError(r.reasons);
      refused.push({ caseId: id, householdNo: c?.householdNo ?? null, status: e.status, code: e.code, zh: e.msg.zh, en: e.msg.en, reasons: e.status === 404 ? [] : r.reasons });
    }
    if (refused.length) {
      throw new Conflict(
        {
          zh: `批量办理未执行：${ids.length} 个案件中有 ${refused.length} 个不能办理（${refused.map((x) => `案件 ${x.caseId}：${x.zh}`).join('；')}）；所有案件均未改动，请处理后重试或从批量中移除这些案件`,
          en: `Nothing was done: ${refused.length} of ${ids.length} cases cannot take this step (${refused.map((x) => `case ${x.caseId}: ${x.en}`).join('; ')}); no case was changed — fix them or leave them out and try again`,
        },
        { refused },
      );
    }
    return { count: done.length, cases: done };
  });
}
