import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { POLICY_CATALOGUE } from '../../domain/policy.js';
import { listParameters, setParameter, showParameter } from '../../services/policy.js';

const text = z.object({ zh: z.string(), en: z.string() });
const level = z.enum(['national', 'province', 'county']);

const keyInfo = z.object({
  key: z.string(),
  name: text,
  unit: z.string(),
  unitLabel: text,
  description: text,
  levels: z.array(level).readonly().describe('region levels at which the parameter may be set'),
  integer: z.boolean(),
  min: z.number(),
  max: z.number().optional(),
  projectDefault: z.boolean().describe('a project default, not published policy'),
});

const parameter = z.object({
  id: z.number(),
  key: z.string(),
  name: text,
  unitLabel: text,
  year: z.number().describe('the year the value takes effect; it applies until a newer row'),
  region: z.string().describe("'' national, 2-digit province or 6-digit county code"),
  regionLevel: level,
  regionName: text,
  value: z.number().nullable().describe('null: unknown'),
  source: z.string(),
  note: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable().describe('null for a shipped default nobody changed'),
});

const region = z.string().regex(/^(\d{2}|\d{6})?$/);

export default function policyRoutes(app: ZodApp) {
  app.get('/api/v1/policy', {
    schema: {
      tags: ['policy'],
      summary: '政策参数列表（含参数目录）Policy parameters, with the catalogue of keys',
      querystring: z.object({
        key: z.string().max(64).optional().describe('one parameter key'),
        region: region.optional().describe("exact region: '' national, 2 or 6 digits"),
      }),
      response: { 200: z.object({ items: z.array(parameter), catalogue: z.array(keyInfo) }) },
    },
  }, async (req) => ({
    items: await listParameters(ctxOf(req, app.db), { key: req.query.key, region: req.query.region }),
    catalogue: [...POLICY_CATALOGUE],
  }));

  app.get('/api/v1/policy/:key', {
    schema: {
      tags: ['policy'],
      summary: '一个政策参数：说明及各地区、各年度取值 One parameter: description and every row',
      params: z.object({ key: z.string().max(64) }),
      response: { 200: keyInfo.extend({ rows: z.array(parameter) }) },
    },
  }, async (req) => showParameter(ctxOf(req, app.db), req.params.key));

  app.put('/api/v1/policy', {
    schema: {
      tags: ['policy'],
      summary: '设置政策参数（某年度起、某地区；仅管理员，留痕）Set a parameter for a year and region (administrators; audited)',
      body: z.object({
        key: z.string().max(64),
        year: z.number().describe('the year the value takes effect (1978–2100)'),
        region: z.string().max(6).optional().describe("'' or omitted: national; 2-digit province; 6-digit county"),
        value: z.number().nullable().describe('null: unknown'),
        source: z.string().max(2000).describe('the document the value comes from'),
        note: z.string().max(2000).nullable().optional(),
      }),
      response: { 200: z.object({ parameter, created: z.boolean() }) },
    },
  }, async (req) => setParameter(ctxOf(req, app.db), req.body));
}
