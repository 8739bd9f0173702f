// Shapes of the workflow engine (engine.ts) and its definitions. Everything an event holds is plain
// JSON (strings, numbers, booleans, arrays, objects), so a later step stores events as rows or
// jsonb and reads them back unchanged.

import type { PolicyKey, ResolvedParam, Text } from '../policy-types.js';
import type { Role } from '../roles.js';

/** Where a step is taken, relative to the case's village: the actor's area code length must match. */
export type StepLevel = 'village' | 'township' | 'county';

export const STEP_LEVEL_CODE_LENGTH: Readonly<Record<StepLevel, number>> = { village: 12, township: 9, county: 6 };

export const STEP_LEVEL_LABELS: Readonly<Record<StepLevel, Text>> = {
  village: { zh: '村级（嘎查村）', en: 'village level' },
  township: { zh: '乡级（苏木乡镇）', en: 'township level' },
  county: { zh: '县级（旗县区）', en: 'county level' },
};

export type FieldKind = 'text' | 'date' | 'code' | 'evaluation';

export interface CodeOption {
  code: string;
  zh: string;
  en: string;
}

export interface FieldDef {
  key: string;
  label: Text;
  kind: FieldKind;
  /** Optional fields are checked when given; all others are required. */
  optional?: boolean;
  /** kind 'code': the allowed codes. */
  codes?: readonly CodeOption[];
  /** kind 'evaluation': the decision key the evaluation must be for ('exit', 'risk_elimination'). */
  evaluationKey?: string;
  /** kind 'evaluation': refuse the step unless `eligible` is true. */
  mustBeEligible?: boolean;
}

/** An evaluation result as given to a step (the shape of evaluate.ts's Decision, read loosely). */
export interface EvaluationValue {
  key?: string;
  /** null: the evaluation could not decide (a fact or parameter is missing). */
  eligible: boolean | null;
  reasons?: Text[];
  /** The parameters the evaluation used; the event keeps them with its own. */
  params?: ResolvedParam[];
  [more: string]: unknown;
}

export interface Attachment {
  kind: string;
  /** Where the file is kept (a stored file id or hash); the engine only requires it to be non-empty. */
  ref: string;
  name?: string;
}

export type ActionKind = 'forward' | 'reject' | 'objection' | 'withdraw' | 'reopen';

export interface DeadlineDef {
  /** A parameter in working days (the only deadline unit modelled). */
  key: PolicyKey;
  label: Text;
  /** Reaching one of these states (or any final state) meets the deadline. */
  metIn: readonly string[];
}

export interface ActionDef {
  id: string;
  label: Text;
  kind: ActionKind;
  from: readonly string[];
  to: string;
  /** Roles that may take the step. city_admin may take every step at any level (within its area). */
  roles: readonly Role[];
  level: StepLevel;
  fields: readonly FieldDef[];
  /** Attachment kinds required (at least one of each). */
  attachments: readonly string[];
  /** The step starts a notice of this many days (a `days` parameter); `to` is then a notice state. */
  startsNotice?: PolicyKey;
  /** The step ends a notice: allowed only once the notice is over. */
  closesNotice?: boolean;
  /** The step starts a deadline counted in working days from the day it is taken. */
  startsDeadline?: DeadlineDef;
}

export interface StateDef {
  label: Text;
  /** No forward step leaves it (a reopen may). */
  final?: boolean;
}

export interface WorkflowDef {
  key: string;
  label: Text;
  /**
   * Unset: whoever may take the first step opens a case (services/cases/open.ts). Set: a case is
   * never opened by hand, only by the service named — 'evaluation': a closed third-party evaluation
   * that found `finding` (services/assessment/close.ts) — and open.ts refuses everyone else.
   */
  openedBy?: { by: 'evaluation'; finding: Text };
  /** The state of a case with no events. */
  initial: string;
  states: Readonly<Record<string, StateDef>>;
  actions: readonly ActionDef[];
}

/** Who took a step; the same shape as services' Actor (id null for the console operator, areaCode '*' for every area). */
export interface WorkflowActor {
  id: number | null;
  username: string;
  role: Role;
  areaCode: string;
}

export interface WorkflowEvent {
  /** 1, 2, 3 … within the case; a store makes (case, seq) unique so two concurrent steps cannot both land. */
  seq: number;
  action: string;
  from: string;
  to: string;
  actor: WorkflowActor;
  /** ISO instant. */
  at: string;
  comment: string;
  /** The declared fields only, trimmed. */
  input: Record<string, unknown>;
  attachments: Attachment[];
  /** Every policy value the step used, so a later parameter change never rewrites it. */
  params: ResolvedParam[];
  /** Set by a step that starts a notice: the day (YYYY-MM-DD, China time) from which it may be closed. */
  noticeEndsOn?: string;
  /** Set by a step that starts a deadline: the last day (YYYY-MM-DD, China time) still in time. */
  dueOn?: string;
}

export type RefusalCode =
  | 'not_found'
  | 'unknown_action'
  | 'wrong_state'
  | 'wrong_role'
  | 'wrong_level'
  | 'missing_field'
  | 'invalid_field'
  | 'unknown_field'
  | 'not_eligible'
  | 'missing_attachment'
  | 'unknown_attachment'
  | 'invalid_attachment'
  | 'notice_not_over'
  | 'notice_over'
  | 'missing_param'
  | 'unknown_param'
  | 'invalid_param';

export interface Refusal extends Text {
  code: RefusalCode;
  /** The input field, or `attachments.<kind>`, the reason is about. */
  field?: string;
  /** The policy parameter the reason is about. */
  param?: PolicyKey;
  /** notice_not_over / notice_over: the day the notice ends. */
  endsOn?: string;
}

export interface CaseInfo {
  /** The case household's 12-digit village code. */
  villageCode: string;
}
