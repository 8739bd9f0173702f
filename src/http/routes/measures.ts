// Measures and channels (issue 5): the measure-type catalogue, the measures ledger of a household and
// of an area (with .xlsx export), filling a yearly income record from the ledger, and the channel view.
// Shapes only here: the meaning of each value is checked by domain/assistance/measures.ts.
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { errorSchema, idParam, version, yearParam } from '../schemas.js';
import { CHANNELS, FUND_SOURCES, INCOME_COMPONENTS } from '../../domain/assistance/catalogue.js';
import { FILLABLE_COMPONENTS } from '../../domain/assistance/measures.js';
import { createMeasureType, listMeasureTypes, updateMeasureType } from '../../services/measure-types.js';
import { deleteMeasure, listHouseholdMeasures, listMeasures, recordMeasure, updateMeasure } from '../../services/measures.js';
import { exportMeasures } from '../../services/measures-export.js';
import { fillIncomeFromMeasures, incomeFromMeasures } from '../../services/measures-income.js';
import { channelView } from '../../services/channels.js';

const tags = ['measures'];
const text = z.object({ zh: z.string(), en: z.string() });
const area = z.string().regex(/^\d{2,12}$/);
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const measureType = z.object({
  code: z.string(),
  channel: z.enum(CHANNELS),
  name: text,
  unit: text,
  target: z.enum(['household', 'member']),
  incomeComponent: z.enum(INCOME_COMPONENTS),
  countyCode: z.string().nullable().describe('null: built in'),
  active: z.boolean(),
});

const catalogue = z.object({
  channels: z.array(z.object({ key: z.enum(CHANNELS), label: text, types: z.array(measureType) })),
  fundSources: z.array(z.object({ key: z.string(), label: text })),
  incomeComponents: z.array(z.object({ key: z.string(), label: text })),
});

const measure = z.object({
  id: z.number(),
  countyCode: z.string(),
  householdId: z.number(),
  householdNo: z.string(),
  headName: z.string(),
  villageCode: z.string(),
  villageName: z.string().nullable(),
  memberId: z.number().nullable(),
  memberName: z.string().nullable(),
  typeCode: z.string(),
  typeName: text,
  unit: text,
  channel: z.enum(CHANNELS),
  channelLabel: text,
  year: z.number(),
  givenOn: z.string().nullable(),
  quantity: z.number().nullable(),
  amount: z.number().describe('yuan'),
  projectId: z.number().nullable(),
  projectName: z.string().nullable(),
  fundSource: z.enum(FUND_SOURCES).nullable(),
  fundSourceLabel: text.nullable(),
  incomeComponent: z.enum(INCOME_COMPONENTS),
  incomeComponentLabel: text,
  note: z.string().nullable(),
  recordedBy: z.string(),
  createdAt: z.string(),
  version: z.number().describe('bumped by each correction; PATCH and DELETE name the version read'),
  assetIncomeId: z.number().nullable().describe('set for a line of an asset income distribution: it changes only with that income (PATCH/DELETE answer 409)'),
});

const measureFields = z.object({
  typeCode: z.string().max(48).describe('measure type code (GET /api/v1/measure-types)'),
  memberId: z.number().int().nullable().optional().describe('required for member types: a member of this household'),
  year: z.number().int().describe('the year the measure belongs to'),
  givenOn: z.string().max(10).nullable().optional().describe('date given, YYYY-MM-DD, within the year'),
  quantity: z.number().nullable().optional().describe("in the type's unit, ≥ 0"),
  amount: z.number().optional().describe('money value in yuan, ≥ 0, at most 2 decimals (default 0)'),
  projectId: z.number().int().nullable().optional().describe("a project of this county; then fundSource must be one of its budget's sources"),
  fundSource: z.string().max(24).nullable().optional().describe(`fund source: ${FUND_SOURCES.join(', ')}`),
  incomeComponent: z.string().max(16).nullable().optional().describe(`where its money goes in the income record (default: the type's): ${INCOME_COMPONENTS.join(', ')}`),
  note: z.string().max(4000).nullable().optional(),
});

const ledgerQuery = z.object({
  area: area.optional().describe('default: your area'),
  year: z.coerce.number().int().min(2010).max(2100).optional(),
  channel: z.enum(CHANNELS).optional(),
  type: z.string().max(48).optional(),
  project: z.coerce.number().int().positive().optional(),
});

const ledgerLine = z.object({ id: z.number(), typeCode: z.string(), typeName: text, memberName: z.string().nullable(), givenOn: z.string().nullable(), amount: z.number() });
const incomePreview = z.object({
  householdId: z.number(),
  year: z.number(),
  record: z.object({ version: z.number(), householdSize: z.number(), perCapitaIncome: z.number() }).nullable().describe('null: no yearly record yet (create it first)'),
  components: z.array(z.object({
    component: z.enum(FILLABLE_COMPONENTS), label: text, field: z.string(), recorded: z.number().nullable(), ledger: z.number(), lines: z.array(ledgerLine),
  })),
  chosen: z.array(z.enum(FILLABLE_COMPONENTS)),
  perCapitaBefore: z.number().nullable(),
  perCapitaAfter: z.number().nullable(),
});

const figures = z.object({
  households: z.number(), people: z.number(), measures: z.number(), amount: z.number(), disbursed: z.number(),
  income: z.object({ households: z.number(), before: z.number().nullable(), after: z.number().nullable(), change: z.number().nullable() }),
});

function attachment(name: string) {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export default function measureRoutes(app: ZodApp) {
  app.get('/api/v1/measure-types', {
    schema: {
      tags,
      summary: '帮扶措施类型目录（按渠道）Measure types by channel',
      description: 'Built-in types plus the county’s own (your county, or `county`). Also lists fund sources and income components with labels.',
      querystring: z.object({ county: z.string().regex(/^\d{6}$/).optional(), includeInactive: z.enum(['true', 'false']).optional() }),
      response: { 200: catalogue, ...errors },
    },
  }, async (req) => listMeasureTypes(ctxOf(req, app.db), { county: req.query.county, includeInactive: req.query.includeInactive === 'true' }));

  app.post('/api/v1/measure-types', {
    schema: {
      tags,
      summary: '新增本旗县措施类型（留痕）Add a county measure type (audited)',
      description: 'The code is saved with the county code in front (e.g. 150524_cattle_bonus).',
      body: z.object({
        countyCode: z.string().max(6).optional().describe('default: your county'),
        code: z.string().max(48), channel: z.string().max(24), nameZh: z.string().max(200), nameEn: z.string().max(200).optional(),
        unitZh: z.string().max(50), unitEn: z.string().max(50).optional(), target: z.string().max(16).optional(), incomeComponent: z.string().max(16),
      }),
      response: { 201: measureType, ...errors },
    },
  }, async (req, reply) => {
    reply.code(201);
    return createMeasureType(ctxOf(req, app.db), req.body);
  });

  app.patch('/api/v1/measure-types/:code', {
    schema: {
      tags,
      summary: '停用/启用或改名本旗县措施类型（留痕）Deactivate, reactivate or rename a county type (audited)',
      description: 'Built-in types cannot be changed (403).',
      params: z.object({ code: z.string().max(48) }),
      body: z.object({ active: z.boolean().optional(), nameZh: z.string().max(200).optional(), nameEn: z.string().max(200).optional(), unitZh: z.string().max(50).optional(), unitEn: z.string().max(50).optional() }),
      response: { 200: measureType, ...errors },
    },
  }, async (req) => updateMeasureType(ctxOf(req, app.db), req.params.code, req.body));

  app.get('/api/v1/households/:id/measures', {
    schema: {
      tags, summary: '该户的帮扶措施 Measures given to a household', params: idParam,
      querystring: z.object({ year: z.coerce.number().int().min(2010).max(2100).optional() }),
      response: { 200: z.object({ items: z.array(measure) }), ...errors },
    },
  }, async (req) => listHouseholdMeasures(ctxOf(req, app.db), req.params.id, req.query));

  app.post('/api/v1/households/:id/measures', {
    schema: { tags, summary: '登记帮扶措施（留痕）Record a measure (audited)', params: idParam, body: measureFields, response: { 201: measure, ...errors } },
  }, async (req, reply) => {
    reply.code(201);
    return recordMeasure(ctxOf(req, app.db), req.params.id, req.body);
  });

  app.patch('/api/v1/measures/:id', {
    schema: {
      tags,
      summary: '更正帮扶措施（留痕）Correct a measure (audited)',
      description: 'Send the fields to change and the `version` you read; a stale version gets 409 with the current measure (`error.current`) and nothing is written. Each correction bumps the version.',
      params: idParam,
      body: measureFields.partial().extend({ version }),
      response: { 200: measure, ...errors, 409: errorSchema },
    },
  }, async (req) => updateMeasure(ctxOf(req, app.db), req.params.id, req.body));

  app.delete('/api/v1/measures/:id', {
    schema: {
      tags,
      summary: '删除帮扶措施（留痕）Delete a measure (audited)',
      description: 'Name the `version` you read; a stale version gets 409 with the current measure (`error.current`) and nothing is deleted.',
      params: idParam,
      querystring: z.object({ version: z.coerce.number().int().describe('The version you read; a stale one gets 409 with the current measure') }),
      response: { 200: z.object({ deleted: z.number() }), ...errors, 409: errorSchema },
    },
  }, async (req) => deleteMeasure(ctxOf(req, app.db), req.params.id, req.query.version));

  app.get('/api/v1/measures', {
    schema: {
      tags, summary: '帮扶措施台账 The measures ledger of an area',
      querystring: ledgerQuery.extend({ page: z.coerce.number().int().min(1).optional(), pageSize: z.coerce.number().int().min(1).max(500).optional() }),
      response: { 200: z.object({ items: z.array(measure), total: z.number(), totalAmount: z.number(), page: z.number(), pageSize: z.number() }), ...errors },
    },
  }, async (req) => listMeasures(ctxOf(req, app.db), req.query));

  app.get('/api/v1/measures/export', {
    schema: { tags, summary: '导出帮扶措施台账（.xlsx）Export the ledger (.xlsx)', querystring: ledgerQuery, produces: [XLSX] },
  }, async (req, reply) => {
    const buf = await exportMeasures(ctxOf(req, app.db), req.query);
    const name = `帮扶措施台账-${req.query.area ?? 'all'}${req.query.year ? `-${req.query.year}` : ''}.xlsx`;
    return reply.header('content-type', XLSX).header('content-disposition', attachment(name)).send(buf);
  });

  app.get('/api/v1/households/:id/years/:year/income-from-measures', {
    schema: {
      tags,
      summary: '从措施台账填入收入（预览）Preview filling the yearly income from the ledger',
      description: 'Per income component: the yearly record’s value, the ledger sum and its lines; per-capita net income before and after replacing the chosen components (default: those with ledger lines).',
      params: yearParam,
      querystring: z.object({ components: z.string().max(100).optional().describe('comma-separated: wage,production,property,transfer,non_counting') }),
      response: { 200: incomePreview, ...errors },
    },
  }, async (req) => incomeFromMeasures(ctxOf(req, app.db), req.params.id, req.params.year, req.query.components === undefined ? undefined : req.query.components.split(',').filter(Boolean)));

  app.post('/api/v1/households/:id/years/:year/income-from-measures', {
    schema: {
      tags,
      summary: '从措施台账填入收入（确认，留痕）Fill the yearly income from the ledger (confirmed, audited)',
      description: 'Each chosen component of the yearly record is replaced by the ledger sum (not added to it); per-capita income is recomputed by the yearly record’s own path. A stale version gets 409.',
      params: yearParam,
      body: z.object({ version: z.number().int().describe('the yearly record’s version you read'), components: z.array(z.string().max(16)).max(5) }),
      response: { 200: incomePreview, ...errors, 409: errorSchema },
    },
  }, async (req) => fillIncomeFromMeasures(ctxOf(req, app.db), req.params.id, req.params.year, req.body));

  app.get('/api/v1/channels', {
    schema: {
      tags,
      summary: '帮扶渠道视图 Channel view: reach, money and income change per channel',
      description: 'Aggregates only. Households reached: distinct households with a measure of the channel that year; people: their members; income: mean per-capita net income in year−1 and year over reached households with both records.',
      querystring: z.object({ area: area.optional().describe('default: your area'), year: z.coerce.number().int().min(2010).max(2100) }),
      response: {
        200: z.object({
          area: z.string(), areaName: z.string(), year: z.number(),
          channels: z.array(figures.extend({ channel: z.enum(CHANNELS), label: text })),
          total: figures,
        }),
        ...errors,
      },
    },
  }, async (req) => channelView(ctxOf(req, app.db), req.query));
}
