// Cases of the four procedures, the notice board and household evaluation. Thin: parse, call one
// service verb, present. Refused steps: 400 (input, with issues per field), 403 (role or level),
// 404 (outside your area), 409 (state, notice not over, stale seq; `current` = {case, reasons}).
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { readUpload } from '../upload.js';
import { errorSchema, idParam } from '../schemas.js';
import { WORKFLOWS } from '../../domain/workflows/index.js';
import { evaluateHousehold } from '../../services/evaluation.js';
import {
  actOnCase, actOnCases, addAttachment, getAttachment, getCase, listCases, listNotices, openCase, MAX_ATTACHMENT_BYTES, MAX_BATCH,
} from '../../services/cases/index.js';
import { attachmentView, batchRefusal, caseListItem, caseView, evaluation, noticeItem, verifiedFacts } from './cases-schemas.js';

const workflowKey = z.enum(Object.keys(WORKFLOWS) as [string, ...string[]]);
const area = z.string().regex(/^\d{2,12}$/);
const bool = z.enum(['true', 'false']);
const asBool = (v: 'true' | 'false' | undefined) => (v === undefined ? undefined : v === 'true');
const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

const stepBody = {
  action: z.string().min(1).max(48).describe('an action id from allowedActions'),
  comment: z.string().max(2000).optional(),
  input: z.record(z.string(), z.unknown()).optional().describe("the step's fields by key (leave out 'evaluation' fields: the server computes them)"),
  attachmentIds: z.array(z.number().int().positive()).max(50).optional().describe('ids returned by POST /api/v1/cases/{id}/attachments'),
  facts: verifiedFacts.optional().describe('facts a person verified, used by a risk-elimination evaluation'),
};

const attachmentTooLarge = { zh: '文件过大，附件最大 10 MB；请压缩或拆分后上传', en: 'The file is too large; attachments are at most 10 MB — compress or split it' };

export default function caseRoutes(app: ZodApp) {
  const tags = ['cases'];

  app.get('/api/v1/cases', {
    schema: {
      tags,
      summary: '案件列表（待办）List cases (the inbox)',
      querystring: z.object({
        area: area.optional().describe('area code inside yours'),
        workflow: workflowKey.optional(),
        state: z.string().max(32).optional(),
        overdue: bool.optional().describe('true: an ended notice not closed, or a passed deadline'),
        mine: bool.optional().describe('true: a decision step is open to you now'),
        closed: bool.optional().describe('true: closed cases only; false: open only'),
        householdId: z.coerce.number().int().positive().optional(),
        page: z.coerce.number().int().min(1).optional(),
        pageSize: z.coerce.number().int().min(1).max(500).optional(),
      }),
      response: { 200: z.object({ items: z.array(caseListItem), total: z.number(), page: z.number(), pageSize: z.number() }), 400: errorSchema, 404: errorSchema },
    },
  }, async (req) => {
    const q = req.query;
    return listCases(ctxOf(req, app.db), { ...q, overdue: asBool(q.overdue), mine: asBool(q.mine), closed: asBool(q.closed) });
  });

  app.post('/api/v1/cases', {
    schema: {
      tags,
      summary: '发起案件 Open a case for a household',
      description: 'Who may open: whoever may take the first step of the procedure. One open case per procedure and household (409 names the open one).',
      body: z.object({
        workflow: workflowKey,
        householdId: z.number().int().positive(),
        year: z.number().int().min(2010).max(2100).optional().describe("the yearly record the case is about; default the household's latest"),
        alertId: z.number().int().positive().optional().describe('monitoring: the alert it comes from'),
      }),
      response: { 201: caseView, ...errors },
    },
  }, async (req, reply) => {
    reply.code(201);
    // Named fields only: the service's internal options (skipOpenerRoleCheck) are never a client's.
    const { workflow, householdId, year, alertId } = req.body;
    return openCase(ctxOf(req, app.db), { workflow, householdId, ...(year !== undefined ? { year } : {}), ...(alertId !== undefined ? { alertId } : {}) });
  });

  app.get('/api/v1/cases/:id', {
    schema: { tags, summary: '案件详情：时间线、可办理步骤、公示与期限 One case', params: idParam, response: { 200: caseView, 404: errorSchema } },
  }, async (req) => getCase(ctxOf(req, app.db), req.params.id));

  app.post('/api/v1/cases/:id/actions', {
    schema: {
      tags,
      summary: '办理一步 Take a step on a case',
      description: '`seq` is the case seq you read; a stale one gets 409 with the current case in error.current.case. Refusals list every reason.',
      params: idParam,
      body: z.object({ ...stepBody, seq: z.number().int().min(0).describe('the seq of the case you read (0 for a new case)') }),
      response: { 200: caseView, ...errors },
    },
  }, async (req) => actOnCase(ctxOf(req, app.db), { caseId: req.params.id, ...req.body }));

  app.post('/api/v1/cases/batch-actions', {
    schema: {
      tags,
      summary: '批量办理（全部或全不）Take the same step on many cases, all or none',
      description: 'One transaction. If any case is refused nothing is written and 409 lists every refused case in error.current.refused.',
      body: z.object({ ...stepBody, caseIds: z.array(z.number().int().positive()).min(1).max(MAX_BATCH) }),
      response: {
        200: z.object({ count: z.number(), cases: z.array(z.object({ id: z.number(), householdNo: z.string(), state: z.string(), seq: z.number() })) }),
        400: errorSchema,
        409: z.object({ error: z.object({ code: z.string(), zh: z.string(), en: z.string(), current: z.object({ refused: z.array(batchRefusal) }) }) }),
      },
    },
  }, async (req) => actOnCases(ctxOf(req, app.db), req.body));

  app.post('/api/v1/cases/:id/attachments', {
    schema: {
      tags,
      summary: '上传附件（multipart 字段 file，≤10 MB）Upload an attachment',
      description: 'Upload first, then pass the returned id in attachmentIds of the step.',
      params: idParam,
      querystring: z.object({ kind: z.string().max(32).describe('attachment kind, e.g. application, meeting_minutes, notice_photo, announcement') }),
      consumes: ['multipart/form-data'],
      response: { 201: attachmentView, ...errors },
    },
  }, async (req, reply) => {
    const ctx = ctxOf(req, app.db);
    const { filename, mime, bytes } = await readUpload(req, { fileSize: MAX_ATTACHMENT_BYTES, tooLarge: attachmentTooLarge });
    reply.code(201);
    return addAttachment(ctx, { caseId: req.params.id, kind: req.query.kind, filename, mime, bytes });
  });

  app.get('/api/v1/cases/:id/attachments/:attId', {
    schema: {
      tags,
      summary: '下载附件 Download an attachment (the file itself)',
      params: idParam.extend({ attId: z.coerce.number().int().positive() }),
    },
  }, async (req, reply) => {
    const f = await getAttachment(ctxOf(req, app.db), req.params.id, req.params.attId);
    return reply
      .header('content-type', f.mime)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
      .header('x-content-sha256', f.sha256)
      .send(Buffer.from(f.bytes));
  });

  app.get('/api/v1/notices', {
    schema: {
      tags,
      summary: '公示栏：正在公示的案件 Notice board: cases now in a notice',
      querystring: z.object({ area: area.optional() }),
      response: { 200: z.object({ items: z.array(noticeItem), asOf: z.string() }), 404: errorSchema },
    },
  }, async (req) => listNotices(ctxOf(req, app.db), { area: req.query.area }));

  app.get('/api/v1/households/:id/evaluation', {
    schema: {
      tags: ['households'],
      summary: '评估（识别、退出、风险消除，含理由）Evaluate a household for a year, with reasons',
      params: idParam,
      querystring: z.object({
        year: z.coerce.number().int().min(2010).max(2100),
        asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('evaluation day; default today (China time)'),
        caseId: z.coerce.number().int().positive().optional().describe('the monitoring case to evaluate risk elimination for (default: the open one)'),
        monthsAboveThreshold: z.coerce.number().int().min(0).max(600).optional(),
        rigidExpensesResolved: bool.optional(),
      }),
      response: { 200: evaluation, 400: errorSchema, 404: errorSchema },
    },
  }, async (req) => {
    const q = req.query;
    return evaluateHousehold(ctxOf(req, app.db), { householdId: req.params.id, ...q, rigidExpensesResolved: asBool(q.rigidExpensesResolved) });
  });
}
