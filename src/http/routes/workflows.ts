// GET /api/v1/workflows: the procedures as domain/workflows/ defines them (states, steps,
// fields with their code lists, attachment kinds), with Chinese and English labels, so the web app
// takes every procedure label from the domain instead of keeping copies. The route only maps.
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { ROLES } from '../../domain/roles.js';
import { ATTACHMENT_KINDS, WORKFLOWS } from '../../domain/workflows/index.js';
import { STEP_LEVEL_LABELS, type ActionDef, type CodeOption, type FieldDef, type WorkflowDef } from '../../domain/workflows/types.js';

const text = z.object({ zh: z.string(), en: z.string() });

const codeView = z.object({ code: z.string(), label: text });

const fieldView = z.object({
  key: z.string(),
  label: text,
  kind: z.enum(['text', 'date', 'code', 'evaluation']).describe("'evaluation' fields are computed by the server when the step is taken"),
  required: z.boolean(),
  codes: z.array(codeView).describe("kind 'code': the allowed values (empty otherwise)"),
  evaluationKey: z.string().nullable().describe("kind 'evaluation': the decision it must be ('exit', 'risk_elimination')"),
});

const actionView = z.object({
  id: z.string(),
  label: text,
  kind: z.enum(['forward', 'reject', 'objection', 'withdraw', 'reopen']),
  from: z.array(z.string()),
  to: z.string(),
  roles: z.array(z.enum(ROLES)).describe('roles that may take the step (city_admin may take every step)'),
  level: z.enum(['village', 'township', 'county']),
  levelLabel: text,
  fields: z.array(fieldView),
  attachments: z.array(z.string()).describe('attachment kinds required (keys of attachmentKinds)'),
  startsNotice: z.string().nullable().describe('the step starts a notice of this many days (a policy parameter key)'),
  closesNotice: z.boolean().describe('the step ends a notice: allowed once the notice is over'),
  startsDeadline: z.object({ param: z.string(), label: text, metIn: z.array(z.string()) }).nullable()
    .describe('the step starts a deadline in working days (a policy parameter key), met on reaching one of metIn'),
});

const workflowView = z.object({
  key: z.string(),
  label: text,
  initial: z.string().describe('the state of a case with no steps'),
  states: z.array(z.object({ key: z.string(), label: text, final: z.boolean() })),
  actions: z.array(actionView),
});

export const workflowsResponse = z.object({
  workflows: z.array(workflowView),
  attachmentKinds: z.array(z.object({ key: z.string(), label: text })),
});

const label = (t: { zh: string; en: string }) => ({ zh: t.zh, en: t.en });
const codeOf = (c: CodeOption) => ({ code: c.code, label: { zh: c.zh, en: c.en } });

function fieldOf(f: FieldDef): z.infer<typeof fieldView> {
  return { key: f.key, label: label(f.label), kind: f.kind, required: !f.optional, codes: (f.codes ?? []).map(codeOf), evaluationKey: f.evaluationKey ?? null };
}

function actionOf(a: ActionDef): z.infer<typeof actionView> {
  return {
    id: a.id,
    label: label(a.label),
    kind: a.kind,
    from: [...a.from],
    to: a.to,
    roles: [...a.roles],
    level: a.level,
    levelLabel: label(STEP_LEVEL_LABELS[a.level]),
    fields: a.fields.map(fieldOf),
    attachments: [...a.attachments],
    startsNotice: a.startsNotice ?? null,
    closesNotice: a.closesNotice === true,
    startsDeadline: a.startsDeadline ? { param: a.startsDeadline.key, label: label(a.startsDeadline.label), metIn: [...a.startsDeadline.metIn] } : null,
  };
}

function workflowOf(w: WorkflowDef): z.infer<typeof workflowView> {
  return {
    key: w.key,
    label: label(w.label),
    initial: w.initial,
    states: Object.entries(w.states).map(([key, s]) => ({ key, label: label(s.label), final: s.final === true })),
    actions: w.actions.map(actionOf),
  };
}

export function workflowCatalogue(): z.infer<typeof workflowsResponse> {
  return {
    workflows: Object.values(WORKFLOWS).map(workflowOf),
    attachmentKinds: Object.entries(ATTACHMENT_KINDS).map(([key, l]) => ({ key, label: label(l) })),
  };
}

export default function workflowRoutes(app: ZodApp) {
  app.get('/api/v1/workflows', {
    schema: {
      tags: ['cases'],
      summary: '业务流程定义（状态、步骤、字段、代码表、附件类型）Procedure definitions: states, steps, fields, code lists, attachment kinds',
      response: { 200: workflowsResponse },
    },
  }, async (req) => {
    ctxOf(req, app.db); // any logged-in user; 401 otherwise
    return workflowCatalogue();
  });
}
