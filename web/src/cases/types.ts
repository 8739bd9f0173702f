// Shapes of the evaluation, procedure and monitoring answers, taken from the generated schema
// (web/src/api/schema.d.ts, from the server's Zod schemas in src/http/routes/cases-schemas.ts and
// monitoring.ts), plus the few helpers that read error bodies.
import type { paths } from '../api/schema';
import type { Msg } from '../api/types';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': infer J } } } ? J
    : R extends { 201: { content: { 'application/json': infer J } } } ? J : never
  : never;

// --- evaluation (domain/evaluate.ts) --------------------------------------------------------------

export type HouseholdEvaluation = Json<'/api/v1/households/{id}/evaluation', 'get'>;
export type Decision = HouseholdEvaluation['exit'];
export type RuleResult = Decision['rules'][number];
export type Status = RuleResult['status'];

// --- cases (services/cases) -----------------------------------------------------------------------

/** GET /api/v1/cases/:id: the case, its household, timeline, allowed steps, notice, deadline, flags. */
export type CaseDetailView = Json<'/api/v1/cases/{id}', 'get'>;
export type CaseEventView = CaseDetailView['events'][number];
export type AllowedAction = CaseDetailView['allowedActions'][number];
export type FieldDef = AllowedAction['fields'][number];
export type CaseAttachment = Json<'/api/v1/cases/{id}/attachments', 'post'>;
export type CasePage = Json<'/api/v1/cases', 'get'>;
export type CaseListItem = CasePage['items'][number];
export type NoticeItem = Json<'/api/v1/notices', 'get'>['items'][number];
export type BatchRefusal = paths['/api/v1/cases/batch-actions']['post']['responses'][409]['content']['application/json']['error']['current']['refused'][number];
export type Refusal = BatchRefusal['reasons'][number];

/** Every reason of a refused step: the field issues of a 400, or the reasons a 409 carries in `current`. */
export function refusalsOf(e: { body: { issues?: { field: string; zh: string; en: string }[]; current?: unknown } }): (Msg & { field?: string; code?: string })[] {
  if (e.body.issues?.length) return e.body.issues;
  const cur = e.body.current as { reasons?: Refusal[] } | undefined;
  return Array.isArray(cur?.reasons) ? cur.reasons : [];
}

/** 409 because the case moved on since it was read (another step landed first): `current` has the case and no reasons. */
export function isStale(e: { status: number; body: { current?: unknown } }): boolean {
  if (e.status !== 409) return false;
  const cur = e.body.current as { case?: unknown; reasons?: unknown[] } | undefined;
  return !!cur?.case && Array.isArray(cur.reasons) && cur.reasons.length === 0;
}

// --- procedure definitions (routes/workflows.ts, from domain/workflows/) ---------------------------

export type WorkflowCatalogue = Json<'/api/v1/workflows', 'get'>;
export type WorkflowView = WorkflowCatalogue['workflows'][number];

// --- monitoring (routes/monitoring.ts) ------------------------------------------------------------

export type AlertPage = Json<'/api/v1/monitoring/alerts', 'get'>;
export type AlertView = AlertPage['items'][number];
export type AlertStatus = AlertView['status'];
export type MonitoringRule = Json<'/api/v1/monitoring/rules', 'get'>['rules'][number];
export type ScanResult = Json<'/api/v1/monitoring/scan', 'post'>;
export type DepartmentResult = Json<'/api/v1/monitoring/department-records', 'post'>;
