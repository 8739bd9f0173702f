// Zod shapes of the cases and evaluation API (the generated web client's types come from these).
// They mirror domain/evaluate.ts (Decision, RuleResult), domain/workflows/ (AllowedAction, FieldDef,
// Refusal, OverdueFlag) and services/cases/view.ts.
import { z } from 'zod';

export const text = z.object({ zh: z.string(), en: z.string() });

export const resolvedParam = z.object({
  key: z.string(),
  value: z.number().nullable().describe('null: the value is unknown'),
  year: z.number().describe('the year the value took effect'),
  region: z.string().describe("'' national, 2-digit province or 6-digit county"),
  source: z.string(),
});

const fact = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const status = z.enum(['pass', 'fail', 'unknown']);

export const ruleResult = z.object({
  key: z.string(),
  label: text,
  status,
  facts: z.record(z.string(), fact).describe('the facts the rule read'),
  params: z.array(resolvedParam),
  reason: text,
});

export const decision = z.object({
  key: z.enum(['identification', 'exit', 'risk_elimination']),
  eligible: z.boolean().nullable().describe('null: cannot decide; the reasons name the missing fact or parameter'),
  checks: z.array(ruleResult).describe('the household checks this decision relied on'),
  rules: z.array(ruleResult).describe('its own extra rules (e.g. income stably above the line)'),
  reasons: z.array(text).describe('the summary first, then the reason of every deciding check or rule'),
  params: z.array(resolvedParam).describe('every parameter used; stored with a step so later changes never rewrite it'),
});

export const monitoringCaseFacts = z.object({
  identifiedOn: z.string().nullable().describe('day of the county approval of the monitoring case'),
  monthsAboveThreshold: z.number().nullable().describe('verified months of income stably above the monitoring threshold (given by the user)'),
  measuresApplied: z.number().describe('assistance steps recorded in the case'),
  rigidExpensesResolved: z.boolean().nullable().describe('given by the user; null: not recorded'),
});

export const evaluation = z.object({
  householdId: z.number(),
  householdNo: z.string(),
  year: z.number(),
  asOf: z.string().describe('evaluation day YYYY-MM-DD (ages and months are counted to it)'),
  perCapitaNetIncome: z.number().nullable(),
  checks: z.array(ruleResult).describe('income, food, clothing, education, medical, housing, water'),
  identification: decision,
  exit: decision,
  riskElimination: decision.nullable().describe('only for a household with a monitoring case'),
  params: z.array(resolvedParam),
  monitoringCaseId: z.number().nullable(),
  monitoringCase: monitoringCaseFacts.nullable(),
});

export const verifiedFacts = z.object({
  monthsAboveThreshold: z.number().int().min(0).max(600).nullable().optional().describe('risk elimination: verified months of income stably above the monitoring threshold'),
  rigidExpensesResolved: z.boolean().nullable().optional().describe('risk elimination: large rigid expenses resolved'),
});

const codeOption = z.object({ code: z.string(), zh: z.string(), en: z.string() });

export const fieldDef = z.object({
  key: z.string(),
  label: text,
  kind: z.enum(['text', 'date', 'code', 'evaluation']).describe("'evaluation' fields are computed by the server: do not send them"),
  optional: z.boolean().optional().describe('absent or false: required'),
  codes: z.array(codeOption).readonly().optional().describe("kind 'code': the allowed values"),
  evaluationKey: z.string().optional(),
  mustBeEligible: z.boolean().optional(),
});

export const allowedAction = z.object({
  action: z.string(),
  label: text,
  kind: z.enum(['forward', 'reject', 'objection', 'withdraw', 'reopen']),
  to: z.string(),
  toLabel: text,
  level: z.enum(['village', 'township', 'county']),
  fields: z.array(fieldDef).readonly().describe('the input to ask for'),
  attachments: z.array(z.object({ kind: z.string(), label: text })).describe('attachment kinds required (upload each first, then pass its id)'),
  noticeEndsOn: z.string().optional().describe('the step starts a notice: the day it would end if taken now'),
  dueOn: z.string().optional().describe('the step starts a deadline: the day it would be due if taken now'),
});

export const refusal = z.object({
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  field: z.string().optional(),
  param: z.string().optional(),
  endsOn: z.string().optional(),
});

const overdueFlag = z.object({
  kind: z.enum(['notice_ended', 'deadline_passed']),
  param: z.string(),
  on: z.string(),
  days: z.number(),
  zh: z.string(),
  en: z.string(),
});

export const householdSummary = z.object({
  id: z.number(),
  householdNo: z.string(),
  headName: z.string(),
  villageCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  exitStatus: z.string(),
  exitStatusLabel: text,
  identifiedOn: z.string().nullable(),
  exitYear: z.number().nullable(),
});

export const attachmentView = z.object({
  id: z.number(),
  kind: z.string(),
  kindLabel: text,
  filename: z.string(),
  mime: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
  usedInSeq: z.number().nullable().describe('the first step that used it; null while unused'),
});

const storedEvaluation = z.object({
  field: z.string(),
  householdId: z.number(),
  householdNo: z.string(),
  year: z.number(),
  asOf: z.string(),
  perCapitaNetIncome: z.number().nullable(),
  monitoringCase: monitoringCaseFacts.nullable(),
  decision,
});

export const eventView = z.object({
  seq: z.number(),
  action: z.string(),
  actionLabel: text,
  kind: z.string(),
  from: z.string(),
  fromLabel: text,
  to: z.string(),
  toLabel: text,
  actor: z.object({ username: z.string(), role: z.string(), roleLabel: text, areaCode: z.string() }),
  at: z.string().describe('ISO instant'),
  comment: z.string(),
  input: z.record(z.string(), z.unknown()).describe('the declared fields given; an evaluation field holds {key, eligible, reasons}'),
  attachments: z.array(z.object({ id: z.number(), kind: z.string(), kindLabel: text, name: z.string().nullable(), size: z.number(), sha256: z.string(), mime: z.string() })),
  params: z.array(resolvedParam).describe('every policy value the step used'),
  evaluation: storedEvaluation.nullable().describe('the evaluation the step relied on, computed by the server'),
  noticeEndsOn: z.string().nullable(),
  dueOn: z.string().nullable(),
});

export const caseView = z.object({
  id: z.number(),
  workflow: z.string(),
  workflowLabel: text,
  state: z.string(),
  stateLabel: text,
  seq: z.number().describe('the last step; send it back with the next action'),
  closed: z.boolean(),
  year: z.number().nullable(),
  alertId: z.number().nullable(),
  riskType: z.string().nullable(),
  riskTypeLabel: text.nullable(),
  openedAt: z.string(),
  openedBy: z.string(),
  updatedAt: z.string(),
  household: householdSummary,
  events: z.array(eventView),
  attachments: z.array(attachmentView),
  allowedActions: z.array(allowedAction).describe('what you may do now (fields and attachments are checked when you act)'),
  notice: z.object({ state: z.string(), stateLabel: text, startedOn: z.string(), endsOn: z.string(), param: z.string(), ended: z.boolean() }).nullable(),
  deadline: z.object({ dueOn: z.string(), param: z.string(), label: text, startedOn: z.string(), met: z.boolean() }).nullable(),
  overdue: z.array(overdueFlag),
});

export const caseListItem = z.object({
  id: z.number(),
  workflow: z.string(),
  workflowLabel: text,
  state: z.string(),
  stateLabel: text,
  seq: z.number(),
  closed: z.boolean(),
  year: z.number().nullable(),
  householdId: z.number(),
  householdNo: z.string(),
  headName: z.string(),
  villageCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  noticeEndsOn: z.string().nullable(),
  dueOn: z.string().nullable(),
  overdue: z.boolean(),
  openedAt: z.string(),
  openedBy: z.string(),
  updatedAt: z.string(),
});

export const noticeItem = z.object({
  caseId: z.number(),
  workflow: z.string(),
  workflowLabel: text,
  state: z.string(),
  stateLabel: text,
  householdId: z.number(),
  householdNo: z.string(),
  headName: z.string(),
  villageCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  year: z.number().nullable(),
  startedOn: z.string(),
  endsOn: z.string().describe('the day from which the notice may be closed'),
  ended: z.boolean(),
});

export const batchRefusal = z.object({
  caseId: z.number(),
  householdNo: z.string().nullable(),
  status: z.number().describe('the HTTP status this step alone would get'),
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  reasons: z.array(refusal),
});
