// Procedures as state machines (issue 4): the engine, the four definitions, and the typed error
// for a refused step. Services store events (append-only, unique (case, seq)) and call `decide`.

import { Conflict, Forbidden, NotFound, ValidationError, type AppError, type FieldIssue } from '../errors.js';
import { exitCorrection } from './correction.js';
import { householdExit } from './exit.js';
import { identification } from './identification.js';
import { monitoring } from './monitoring.js';
import type { Refusal, RefusalCode, WorkflowDef } from './types.js';

export * from './engine.js';
export * from './define.js';
export * from './codes.js';
export * from './dates.js';
export { ATTACHMENT_KINDS } from './fields.js';
export { identification } from './identification.js';
export { householdExit } from './exit.js';
export { exitCorrection } from './correction.js';
export { monitoring, monitoringCaseFacts } from './monitoring.js';

export const WORKFLOWS: Readonly<Record<string, WorkflowDef>> = Object.freeze({
  [identification.key]: identification,
  [householdExit.key]: householdExit,
  [monitoring.key]: monitoring,
  [exitCorrection.key]: exitCorrection,
});

export type WorkflowKey = 'identification' | 'household_exit' | 'monitoring' | 'exit_correction';

export function workflowOf(key: string): WorkflowDef | undefined {
  return Object.hasOwn(WORKFLOWS, key) ? WORKFLOWS[key] : undefined;
}

const FORBIDDEN: readonly RefusalCode[] = ['wrong_role', 'wrong_level'];
const INPUT: readonly RefusalCode[] = ['unknown_action', 'missing_field', 'invalid_field', 'unknown_field', 'not_eligible', 'missing_attachment', 'unknown_attachment', 'invalid_attachment'];

/**
 * The typed error for a refused step, carrying every reason: NotFound when the case is outside the
 * actor's area; Forbidden for a wrong role or level; ValidationError for the input (each reason an
 * issue); otherwise Conflict (wrong state, notice not over, parameter missing) with the reasons as
 * `current`.
 */
export function refusalError(reasons: readonly Refusal[]): AppError {
  const codes = reasons.map((r) => r.code);
  if (codes.includes('not_found')) return new NotFound({ zh: '案件', en: 'case' });
  const joined = { zh: reasons.map((r) => r.zh).join('；'), en: reasons.map((r) => r.en).join('; ') };
  if (codes.some((c) => FORBIDDEN.includes(c))) return new Forbidden(joined);
  if (codes.some((c) => INPUT.includes(c))) {
    const issues: FieldIssue[] = reasons.map((r) => ({ field: r.field ?? r.param ?? r.code, zh: r.zh, en: r.en }));
    return new ValidationError(issues, { zh: `不能办理此步骤：${joined.zh}`, en: `This step cannot be taken: ${joined.en}` });
  }
  return new Conflict(joined, { reasons });
}
