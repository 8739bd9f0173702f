// Third-party exit evaluation (第三方评估, issue 8): plans, the frozen sample and route sheets,
// questionnaires (form and spreadsheet), discrepancies, results, closing and findings. Thin: parse,
// call the service (which checks role, plan membership and scope), present. Response shapes are
// the service types in src/services/assessment/ (PlanView, PlanSample, SurveyView, PlanResults, FindingView).
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { readUpload } from '../upload.js';
import {
  addPlanMember, closePlan, createPlan, drawPlan, getPlan, getResults, getSample, getSurvey, importSurveys, linkOmission, listDiscrepancies,
  exportFrame, listFindings, listPlans, redrawPlan, saveSurvey, surveyTemplate, verifyDraw,
} from '../../services/assessment/index.js';

const tags = ['assessment'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const planId = z.object({ id: z.coerce.number().int().positive().describe('plan id') });
const yesNo = z.boolean().nullable().optional();
const sizes = z.object({
  villages: z.object({ poor: z.number().int().min(0).optional(), nonPoor: z.number().int().min(0).optional() }).optional().describe('villages drawn per township stratum'),
  villageOverrides: z.record(z.string(), z.number().int().min(0)).optional().describe('"<township code>/poor|nonPoor" → villages'),
  households: z.object({ exited: z.number().int().min(0).optional(), remaining: z.number().int().min(0).optional(), nonRegistered: z.number().int().min(0).optional() }).optional().describe('households drawn per chosen village'),
}).optional();
const survey = z.object({
  outcome: z.string().describe('completed | not_reached'),
  surveyedOn: z.string().describe('YYYY-MM-DD'),
  headName: z.string().nullable().optional().describe("non-registered households: the head's name as found"),
  householdSize: z.number().nullable().optional(),
  perCapitaIncome: z.number().nullable().optional().describe('yuan per person per year'),
  foodSecure: yesNo, clothingSecure: yesNo, educationSecure: yesNo, medicalSecure: yesNo, housingSecure: yesNo, waterSecure: yesNo,
  exitCorrect: yesNo.describe('exited households: false = 错退'),
  stillPoor: yesNo.describe('remaining households'),
  omitted: yesNo.describe('non-registered households: true = 漏评'),
  approves: yesNo.describe('认可度'),
  note: z.string().nullable().optional(),
  version: z.number().int().optional().describe('the version read, to correct a saved questionnaire'),
});

function attachment(name: string) {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export default function assessmentRoutes(app: ZodApp) {
  app.get('/api/v1/assessment/plans', {
    schema: {
      tags, summary: '评估计划列表 Evaluation plans',
      description: 'Plans the account may read: inspectors and evaluators see the plans they are members of; city supervisors every plan in their area. Offices being evaluated see none.',
      querystring: z.object({ county: z.string().max(6).optional(), year: z.coerce.number().int().optional(), status: z.enum(['draft', 'drawn', 'closed', 'superseded']).optional() }),
    },
  }, async (req) => ({ items: await listPlans(ctxOf(req, app.db), req.query) }));

  app.post('/api/v1/assessment/plans', {
    schema: {
      tags, summary: '新建评估计划 Create an evaluation plan (inspectors)',
      description: 'County, year, name, a published seed (default: county-year-64 random bits) and sizes; poorVillages optionally lists the 贫困村. The creator becomes the lead.',
      body: z.object({ county: z.string(), year: z.number(), name: z.string(), seed: z.string().optional(), sizes, poorVillages: z.array(z.string()).nullable().optional() }),
    },
  }, async (req, reply) => reply.code(201).send(await createPlan(ctxOf(req, app.db), req.body)));

  app.get('/api/v1/assessment/plans/:id', { schema: { tags, summary: '评估计划 A plan', params: planId } }, async (req) => getPlan(ctxOf(req, app.db), req.params.id));

  app.post('/api/v1/assessment/plans/:id/members', {
    schema: { tags, summary: '加入评估人员 Add an evaluator (the lead)', params: planId, body: z.object({ username: z.string() }) },
  }, async (req) => addPlanMember(ctxOf(req, app.db), req.params.id, req.body));

  app.post('/api/v1/assessment/plans/:id/draw', {
    schema: { tags, summary: '抽样并冻结 Draw the sample and freeze it (the lead)', description: 'Reads the frame from the register, draws with the published seed and algorithm, stores villages, households, weights and the frame digest. A drawn plan is never drawn again.', params: planId },
  }, async (req) => drawPlan(ctxOf(req, app.db), req.params.id));

  app.post('/api/v1/assessment/plans/:id/redraw', {
    schema: { tags, summary: '重新抽样（新计划）Re-draw as a new plan (audited)', params: planId, body: z.object({ reason: z.string(), seed: z.string().optional(), name: z.string().optional(), sizes }) },
  }, async (req, reply) => reply.code(201).send(await redrawPlan(ctxOf(req, app.db), req.params.id, req.body)));

  app.get('/api/v1/assessment/plans/:id/frame', {
    schema: { tags, summary: '抽样框（JSON，可复核）The frozen sampling frame with the seed and sizes', description: 'Everything needed to re-run the draw elsewhere: sha256(JSON.stringify(frame)) equals frameDigest.', params: planId },
  }, async (req) => exportFrame(ctxOf(req, app.db), req.params.id));

  app.get('/api/v1/assessment/plans/:id/verify', {
    schema: { tags, summary: '复核抽样 Re-run the draw from the stored frame and the published seed and compare', params: planId },
  }, async (req) => verifyDraw(ctxOf(req, app.db), req.params.id));

  app.get('/api/v1/assessment/plans/:id/sample', {
    schema: { tags, summary: '样本与路线单 The sample by village (route sheets)', params: planId, querystring: z.object({ village: z.string().max(12).optional() }) },
  }, async (req) => getSample(ctxOf(req, app.db), req.params.id, req.query.village));

  app.get('/api/v1/assessment/plans/:id/surveys/:sampleId', {
    schema: { tags, summary: '一户问卷 One questionnaire with its discrepancies', params: z.object({ id: z.coerce.number().int().positive(), sampleId: z.coerce.number().int().positive() }) },
  }, async (req) => (await getSurvey(ctxOf(req, app.db), req.params.id, req.params.sampleId)) ?? { sampleId: req.params.sampleId, outcome: null });

  app.put('/api/v1/assessment/plans/:id/surveys/:sampleId', {
    schema: { tags, summary: '录入或修改问卷 Enter or correct a questionnaire (evaluators)', params: z.object({ id: z.coerce.number().int().positive(), sampleId: z.coerce.number().int().positive() }), body: survey },
  }, async (req) => saveSurvey(ctxOf(req, app.db), req.params.id, req.params.sampleId, req.body));

  app.get('/api/v1/assessment/plans/:id/surveys.xlsx', {
    schema: { tags, summary: '问卷导入模板 The questionnaire template (the sample, answers empty)', params: planId },
  }, async (req, reply) => reply.header('content-type', XLSX).header('content-disposition', attachment(`评估问卷-计划${req.params.id}.xlsx`)).send(await surveyTemplate(ctxOf(req, app.db), req.params.id)));

  app.post('/api/v1/assessment/plans/:id/surveys/import', {
    schema: { tags, summary: '导入问卷（xlsx/csv，multipart 字段 file）Import questionnaires', description: 'All or nothing: every problem is listed with its row and column.', params: planId, consumes: ['multipart/form-data'] },
  }, async (req) => {
    const ctx = ctxOf(req, app.db); // before reading the upload: without a session 401, not a multipart error
    const file = await readUpload(req);
    return importSurveys(ctx, req.params.id, { fileName: file.filename, data: file.bytes });
  });

  app.get('/api/v1/assessment/plans/:id/discrepancies', {
    schema: { tags, summary: '问卷与登记不一致清单 Every discrepancy between the questionnaires and the register', params: planId },
  }, async (req) => ({ items: await listDiscrepancies(ctxOf(req, app.db), req.params.id) }));

  app.get('/api/v1/assessment/plans/:id/results', {
    schema: { tags, summary: '评估结果 Results: 错退率, 漏评率, 认可度, 综合贫困发生率 with intervals and verdicts', description: 'Frozen once the plan is closed (the offices see them only then); live before, for members and supervisors.', params: planId },
  }, async (req) => getResults(ctxOf(req, app.db), req.params.id));

  app.post('/api/v1/assessment/plans/:id/close', {
    schema: { tags, summary: '结束评估 Close: freeze the results, open correction cases (the lead)', params: planId },
  }, async (req) => closePlan(ctxOf(req, app.db), req.params.id));

  app.get('/api/v1/assessment/plans/:id/findings', {
    schema: { tags, summary: '问题线索 Findings (wrong exits, omissions) and their cases', params: planId },
  }, async (req) => ({ items: await listFindings(ctxOf(req, app.db), req.params.id) }));

  app.post('/api/v1/assessment/plans/:id/findings/:sampleId/link', {
    schema: { tags, summary: '漏评户已录入：发起识别 Link an omission to the household now registered (opens identification)', params: z.object({ id: z.coerce.number().int().positive(), sampleId: z.coerce.number().int().positive() }), body: z.object({ householdId: z.number() }) },
  }, async (req) => linkOmission(ctxOf(req, app.db), req.params.id, req.params.sampleId, req.body));
}
