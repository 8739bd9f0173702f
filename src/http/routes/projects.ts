// Project library (项目库), funds, beneficiaries (利益联结), public disclosure (公告公示), assets and
// their income: thin routes over services/projects/.
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { errorSchema } from '../schemas.js';
import {
  ASSET_KINDS, ASSET_KIND_LABELS, CHANNELS, CHANNEL_LABELS, FUND_SOURCES, FUND_SOURCE_LABELS, LINK_KINDS, LINK_KIND_LABELS,
  PROJECT_STATUSES, PROJECT_STATUS_LABELS,
} from '../../domain/assistance/catalogue.js';
import { STATUS_MOVES } from '../../domain/assistance/projects.js';
import { PURPOSES } from '../../domain/calculators/index.js';
import { PURPOSE_LABELS } from '../../domain/calculators/solar.js';
import {
  addBeneficiary, createAsset, createProject, disburse, disclosureList, fundsView, getAsset, getBeneficiaries, getProject, listAssets,
  listIncomes, listProjects, recordIncome, removeBeneficiary, setBudget, setDisclosure, setProjectStatus, updateProject,
} from '../../services/projects/index.js';
import {
  areaQuery, assetBody, assetView, beneficiary, beneficiaryBody, budgetBody, budgetsResult, codesResult, disbursementBody, disbursementResult,
  disclosureBody, disclosureResult, fundsResult, idParam, incomeBody, incomeView, projectBody, projectFile, projectList, projectPatch, statusBody, yearQuery,
} from './projects-schemas.js';

const tags = ['projects'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const label = (l: { zh: string; en: string }) => ({ zh: l.zh, en: l.en });

export default function projectRoutes(app: ZodApp) {
  app.get('/api/v1/projects/codes', {
    schema: { tags, summary: '项目库代码表：渠道、状态（及可改为）、资金来源、利益联结方式、资产类别、光伏收益用途 Code lists', response: { 200: codesResult, 401: errorSchema } },
  }, async (req) => {
    ctxOf(req, app.db);
    return {
      channels: CHANNELS.map((k) => ({ key: k, label: label(CHANNEL_LABELS[k]) })),
      statuses: PROJECT_STATUSES.map((k) => ({ key: k, label: label(PROJECT_STATUS_LABELS[k]), next: [...STATUS_MOVES[k]] })),
      fundSources: FUND_SOURCES.map((k) => ({ key: k, label: label(FUND_SOURCE_LABELS[k]) })),
      linkKinds: LINK_KINDS.map((k) => ({ key: k, label: label(LINK_KIND_LABELS[k]) })),
      assetKinds: ASSET_KINDS.map((k) => ({ key: k, label: label(ASSET_KIND_LABELS[k]), unit: { zh: ASSET_KIND_LABELS[k].unitZh, en: ASSET_KIND_LABELS[k].unitEn } })),
      purposes: PURPOSES.map((k) => ({ key: k, label: label(PURPOSE_LABELS[k]) })),
    };
  });

  app.get('/api/v1/projects', {
    schema: {
      tags,
      summary: '项目库列表 Project library (area, year, channel, status; paged)',
      description: 'Projects visible from your area: whole counties inside it, and for township or village accounts the projects of their villages or county-wide. Needs aggregates.read.',
      querystring: z.object({
        area: areaQuery.optional(),
        year: yearQuery.optional(),
        channel: z.enum(CHANNELS).optional(),
        status: z.enum(PROJECT_STATUSES).optional(),
        q: z.string().max(100).optional().describe('part of the name or implementer'),
        page: z.coerce.number().int().min(1).optional(),
        pageSize: z.coerce.number().int().min(1).max(200).optional(),
      }),
      response: { 200: projectList, ...errors },
    },
  }, async (req) => listProjects(ctxOf(req, app.db), req.query));

  app.post('/api/v1/projects', {
    schema: { tags, summary: '新建项目（留痕）Create a project (audited)', body: projectBody, response: { 201: projectFile, ...errors } },
  }, async (req, reply) => {
    const r = await createProject(ctxOf(req, app.db), req.body);
    reply.code(201);
    return r;
  });

  app.get('/api/v1/projects/disclosure', {
    schema: {
      tags,
      summary: '项目公告公示清单（无个人信息）Public disclosure list of an area and year (no personal data)',
      querystring: z.object({ area: areaQuery.optional().describe('default your area'), year: yearQuery }),
      response: { 200: disclosureResult, ...errors },
    },
  }, async (req) => disclosureList(ctxOf(req, app.db), req.query));

  app.get('/api/v1/projects/:id', {
    schema: { tags, summary: '项目详情：预算、拨付、受益户、资产 Project with budgets, disbursements, beneficiaries, assets', params: idParam, response: { 200: projectFile, ...errors } },
  }, async (req) => getProject(ctxOf(req, app.db), req.params.id));

  app.patch('/api/v1/projects/:id', {
    schema: { tags, summary: '修改项目（须带 version，留痕）Edit a project (version required; audited)', params: idParam, body: projectPatch, response: { 200: projectFile, ...errors, 409: errorSchema } },
  }, async (req) => updateProject(ctxOf(req, app.db), req.params.id, req.body));

  app.post('/api/v1/projects/:id/status', {
    schema: {
      tags,
      summary: '变更项目状态（留痕）Move a project’s status (audited)',
      description: 'planned → approved → in_progress → completed; cancelled from any status but completed. A refused move names the moves allowed.',
      params: idParam, body: statusBody, response: { 200: projectFile, ...errors, 409: errorSchema },
    },
  }, async (req) => setProjectStatus(ctxOf(req, app.db), req.params.id, req.body));

  app.put('/api/v1/projects/:id/disclosure', {
    schema: { tags, summary: '登记项目公示日期和说明（留痕）Set the disclosure date and note (audited)', params: idParam, body: disclosureBody, response: { 200: projectFile, ...errors, 409: errorSchema } },
  }, async (req) => setDisclosure(ctxOf(req, app.db), req.params.id, req.body));

  app.put('/api/v1/projects/:id/budgets', {
    schema: {
      tags,
      summary: '安排某资金来源的预算（留痕）Set a fund source’s allocation (audited)',
      description: 'Lowering it below what is already paid from that source is refused with the numbers.',
      params: idParam, body: budgetBody, response: { 200: budgetsResult, ...errors },
    },
  }, async (req) => setBudget(ctxOf(req, app.db), req.params.id, req.body));

  app.post('/api/v1/projects/:id/disbursements', {
    schema: {
      tags,
      summary: '拨付资金（留痕）Pay out of a fund source (audited)',
      description: 'The project must be approved or in progress and have a budget from the source. A payment beyond the source’s remaining budget is refused (400) with the budget, already paid, this payment and the excess, and nothing is written.',
      params: idParam, body: disbursementBody, response: { 201: disbursementResult, ...errors },
    },
  }, async (req, reply) => {
    const r = await disburse(ctxOf(req, app.db), req.params.id, req.body);
    reply.code(201);
    return r;
  });

  app.get('/api/v1/projects/:id/beneficiaries', {
    schema: { tags, summary: '受益户（利益联结，个人信息）Beneficiary households (personal: register.read)', params: idParam, response: { 200: z.array(beneficiary), ...errors } },
  }, async (req) => getBeneficiaries(ctxOf(req, app.db), req.params.id));

  app.post('/api/v1/projects/:id/beneficiaries', {
    schema: { tags, summary: '添加受益户（留痕）Link a household (audited)', params: idParam, body: beneficiaryBody, response: { 201: z.array(beneficiary), ...errors } },
  }, async (req, reply) => {
    const r = await addBeneficiary(ctxOf(req, app.db), req.params.id, req.body);
    reply.code(201);
    return r;
  });

  app.delete('/api/v1/projects/:id/beneficiaries/:householdId', {
    schema: {
      tags, summary: '移除受益户（留痕）Unlink a household (audited)',
      params: z.object({ id: z.coerce.number().int().positive(), householdId: z.coerce.number().int().positive() }),
      response: { 200: z.array(beneficiary), ...errors },
    },
  }, async (req) => removeBeneficiary(ctxOf(req, app.db), req.params.id, req.params.householdId));

  app.get('/api/v1/funds', {
    schema: {
      tags,
      summary: '资金：各来源及各项目的预算、已拨付、余额 Allocation, disbursed and balance per source and per project',
      querystring: z.object({ area: areaQuery.optional().describe('default your area'), year: yearQuery.optional().describe('project year; default all years') }),
      response: { 200: fundsResult, ...errors },
    },
  }, async (req) => fundsView(ctxOf(req, app.db), req.query));

  app.get('/api/v1/assets', {
    schema: {
      tags, summary: '扶贫项目资产 Assets created by projects',
      querystring: z.object({ area: areaQuery.optional(), projectId: z.coerce.number().int().positive().optional(), kind: z.enum(ASSET_KINDS).optional() }),
      response: { 200: z.array(assetView), ...errors },
    },
  }, async (req) => listAssets(ctxOf(req, app.db), req.query));

  app.post('/api/v1/assets', {
    schema: { tags, summary: '登记项目形成的资产（留痕）Record an asset a project created (audited)', body: assetBody, response: { 201: assetView, ...errors } },
  }, async (req, reply) => {
    const r = await createAsset(ctxOf(req, app.db), req.body);
    reply.code(201);
    return r;
  });

  app.get('/api/v1/assets/:id', {
    schema: { tags, summary: '资产 An asset', params: idParam, response: { 200: assetView, ...errors } },
  }, async (req) => getAsset(ctxOf(req, app.db), req.params.id));

  app.get('/api/v1/assets/:id/incomes', {
    schema: { tags, summary: '资产收益及分配 An asset’s income by period and its distribution', params: idParam, response: { 200: z.array(incomeView), ...errors } },
  }, async (req) => listIncomes(ctxOf(req, app.db), req.params.id));

  app.post('/api/v1/assets/:id/incomes', {
    schema: {
      tags,
      summary: '登记资产收益及分配（留痕）Record an asset’s income and its distribution (audited)',
      description: 'For a solar station the village decision (shares and recipients) is computed by the solar calculator and stored with its lines; amounts of recipients linked to registered households are written to the measures ledger (solar_job, solar_reward) in the same transaction. The same period twice is refused.',
      params: idParam, body: incomeBody, response: { 201: incomeView, ...errors },
    },
  }, async (req, reply) => {
    const r = await recordIncome(ctxOf(req, app.db), req.params.id, req.body);
    reply.code(201);
    return r;
  });
}
