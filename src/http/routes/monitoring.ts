// Relapse monitoring (防返贫): the scan, its alerts, department data for the cross-checks, the rule list.
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { readUpload } from '../upload.js';
import { errorSchema } from '../schemas.js';
import { DEPARTMENT_KINDS, DEPARTMENT_KIND_LABELS, MONITORING_RULES } from '../../domain/monitoring-rules.js';
import {
  ALERT_STATUSES, dismissAlert, listAlerts, loadDepartmentRecords, runMonitoringScan,
} from '../../services/monitoring/index.js';

const tags = ['monitoring'];
const text = z.object({ zh: z.string(), en: z.string() });
const area = z.string().regex(/^\d{2,12}$/);
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

const resolvedParam = z.object({
  key: z.string(),
  value: z.number().nullable(),
  year: z.number(),
  region: z.string().describe("'' national, 2-digit province or 6-digit county"),
  source: z.string(),
});

const ruleCount = z.object({
  rule: z.string(),
  label: text,
  found: z.number().describe('households the rule fired for'),
  new: z.number().describe('alerts added by this scan'),
  known: z.number().describe('alerts already there (any status), left unchanged'),
});

const scanResult = z.object({
  area: z.string().describe("the area scanned ('*' for everything)"),
  year: z.number(),
  counties: z.number(),
  candidates: z.number().describe('households examined by the rules'),
  rules: z.array(ruleCount),
  totals: z.object({ found: z.number(), new: z.number(), known: z.number() }),
  missing: z.array(z.object({
    key: z.string(), year: z.number(), rules: z.array(z.string()), reason: text, counties: z.array(z.string()),
  })).describe('parameters a rule needed and could not use: those rules raised nothing there'),
  elapsedMs: z.number(),
});

const alert = z.object({
  id: z.number(),
  countyCode: z.string(),
  householdId: z.number(),
  householdNo: z.string(),
  headName: z.string(),
  villageCode: z.string(),
  villageName: z.string().nullable(),
  rule: z.string(),
  ruleLabel: text,
  year: z.number(),
  facts: z.record(z.string(), z.unknown()).describe('what triggered it; ID numbers masked'),
  params: z.array(resolvedParam).describe('the parameters used, as they were at the scan'),
  reason: text,
  status: z.enum(ALERT_STATUSES),
  statusLabel: text,
  caseId: z.number().nullable(),
  foundAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: z.string().nullable(),
});

const loadResult = z.object({
  batch: z.number().describe('the batch id (its imports record)'),
  rows: z.number(),
  byKind: z.record(z.string(), z.number()),
  department: z.string(),
  encoding: z.string().optional(),
  matchedPeople: z.number().describe('loaded rows whose ID number is a registered member'),
});

export default function monitoringRoutes(app: ZodApp) {
  app.get('/api/v1/monitoring/rules', {
    schema: {
      tags,
      summary: '监测规则及部门数据类别 Monitoring rules and department record kinds',
      response: {
        200: z.object({
          rules: z.array(z.object({
            key: z.string(), label: text, description: text, source: z.enum(['register', 'department']),
            params: z.array(z.string()), riskType: z.string().nullable(),
          })),
          departmentKinds: z.array(z.object({ key: z.enum(DEPARTMENT_KINDS), label: text })),
        }),
        401: errorSchema,
      },
    },
  }, async (req) => {
    ctxOf(req, app.db);
    return {
      rules: MONITORING_RULES.map((r) => ({ ...r, params: [...r.params] })),
      departmentKinds: DEPARTMENT_KINDS.map((k) => ({ key: k, label: { zh: DEPARTMENT_KIND_LABELS[k].zh, en: DEPARTMENT_KIND_LABELS[k].en } })),
    };
  });

  app.post('/api/v1/monitoring/scan', {
    schema: {
      tags,
      summary: '运行防返贫监测扫描（留痕）Run the monitoring scan (audited)',
      description: 'Runs every rule over the area for one year. New hits become open alerts; alerts already there (also dismissed ones) are left as they are.',
      body: z.object({
        area: area.optional().describe('default: your area'),
        year: z.number().int().min(2000).max(2100).optional().describe('default: the latest year with yearly records'),
      }).nullish().describe('optional: an empty body scans your area for the latest year'),
      response: { 200: scanResult, ...errors },
    },
  }, async (req) => runMonitoringScan(ctxOf(req, app.db), { area: req.body?.area, year: req.body?.year }));

  app.get('/api/v1/monitoring/alerts', {
    schema: {
      tags,
      summary: '监测预警列表 Monitoring alerts',
      querystring: z.object({
        area: area.optional(),
        status: z.enum(ALERT_STATUSES).optional(),
        rule: z.string().max(48).optional(),
        year: z.coerce.number().int().min(2000).max(2100).optional(),
        page: z.coerce.number().int().min(1).optional(),
        pageSize: z.coerce.number().int().min(1).max(500).optional(),
      }),
      response: { 200: z.object({ items: z.array(alert), total: z.number(), page: z.number(), pageSize: z.number() }), ...errors },
    },
  }, async (req) => listAlerts(ctxOf(req, app.db), req.query));

  app.post('/api/v1/monitoring/alerts/:id/dismiss', {
    schema: {
      tags,
      summary: '排除预警（须填理由，留痕）Dismiss an alert with a reason (audited)',
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({ reason: z.string().max(2000).describe('why the alert needs no case, e.g. what the home visit found') }),
      response: { 200: alert, ...errors, 409: errorSchema },
    },
  }, async (req) => dismissAlert(ctxOf(req, app.db), { id: req.params.id, reason: req.body.reason }));

  app.post('/api/v1/monitoring/department-records', {
    schema: {
      tags,
      summary: '导入部门比对数据（xlsx/csv，multipart 字段 file）Load department records for the cross-checks',
      description: 'Columns 身份证号/id_number, 姓名/name, 类别/kind, 详情/detail, 金额/amount, 日期/date. All rows are validated first; any error rejects the file (400, every issue with row and column) and nothing is loaded. ' +
        'department (required) and kind may be query parameters or form fields sent before the file.',
      querystring: z.object({
        department: z.string().max(100).optional().describe('the department the records come from'),
        kind: z.string().max(32).optional().describe(`the kind of every row: ${DEPARTMENT_KINDS.join(', ')}`),
      }),
      consumes: ['multipart/form-data'],
      response: { 201: loadResult, ...errors, 413: errorSchema },
    },
  }, async (req, reply) => {
    const ctx = ctxOf(req, app.db);
    const file = await readUpload(req); // form fields sent before the file (department, kind) come with it
    const result = await loadDepartmentRecords(ctx, {
      bytes: file.bytes, filename: file.filename,
      department: req.query.department ?? file.fields.department ?? '',
      kind: req.query.kind ?? file.fields.kind,
    });
    reply.code(201);
    return result;
  });
}
