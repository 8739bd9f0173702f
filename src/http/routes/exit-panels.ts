// Village and county exit panels and the county assessment (aggregates only; services/exit-panels.ts).
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { assessCounty, countyExitPanel, villageExitList, villageExitPanel } from '../../services/exit-panels.js';

const text = z.object({ zh: z.string(), en: z.string() });
const status = z.enum(['pass', 'fail', 'unknown']);
const resolvedParam = z.object({
  key: z.string(),
  value: z.number().nullable().describe('null: unknown'),
  year: z.number().describe('the year the value takes effect'),
  region: z.string().describe("'' national, 2-digit province or 6-digit county code"),
  source: z.string(),
});
const bar = z.object({
  key: z.enum(['incidence', 'wrong_exit_rate', 'omission_rate', 'approval']),
  label: text,
  numerator: z.number(),
  denominator: z.number(),
  percent: z.number().nullable().describe('numerator / denominator in %, rounded half up to 2 decimals, for display only; null when it cannot be computed'),
  comparison: z.enum(['at_most', 'at_least']).describe('at_most: passes when the rate ≤ the bar; at_least: when ≥; both inclusive'),
  bar: resolvedParam.nullable().describe('the parameter used; null when none applies'),
  limitCount: z.number().nullable().describe('the largest numerator allowed (at_most) or the smallest needed (at_least) at this denominator'),
  verdict: status,
  reason: text,
});
const evaluation = z.object({
  verdict: status.describe('any fail → fail, else any unknown → unknown'),
  bars: z.array(bar),
  reason: text,
  params: z.array(resolvedParam),
});
const area = z.object({ code: z.string(), name: z.string(), level: z.number(), path: z.array(z.object({ code: z.string(), name: z.string() })) });
const counts = z.object({
  households: z.number().describe('households with a yearly record for the year'),
  people: z.number(),
  poorHouseholds: z.number().describe('remaining poor: 未脱贫 + 返贫 that year (as on the overview)'),
  poorPeople: z.number(),
  ruralPeople: z.number().nullable().describe('农村人口 of the area and year; null when not loaded'),
  ruralHouseholds: z.number().nullable(),
  populationSynthetic: z.boolean().nullable().describe('true for the demo’s synthesised population'),
});
const panelFields = {
  kind: z.enum(['village', 'county']),
  area,
  year: z.number(),
  counts,
  verdict: status,
  reason: text,
  missing: text.nullable().describe('what is missing or inconsistent in the data and how to supply it'),
  evaluation,
  threshold: resolvedParam.nullable().describe('the incidence bar in force for the area and year'),
};
const villageRow = z.object({
  code: z.string(),
  name: z.string(),
  townshipCode: z.string().nullable(),
  townshipName: z.string().nullable(),
  households: z.number(),
  people: z.number(),
  poorHouseholds: z.number(),
  poorPeople: z.number(),
  ruralPeople: z.number().nullable(),
  percent: z.number().nullable(),
  limitCount: z.number().nullable(),
  verdict: status,
  reason: text,
  missing: text.nullable(),
});
const summary = z.object({ villages: z.number(), pass: z.number(), fail: z.number(), unknown: z.number() });

const year = z.coerce.number().int().min(2000).max(2100).describe('the year evaluated (yearly records and population of that year)');
const query = (digits: string) => z.object({ area: z.string().regex(/^\d+$/).max(12).describe(digits), year });

const count = (what: string) => z.number().describe(`${what}: a whole number ≥ 0`);

export default function exitPanelRoutes(app: ZodApp) {
  app.get('/api/v1/exit-panels/village', {
    schema: {
      tags: ['exit-panels'],
      summary: '贫困村出列评估：贫困发生率（分子、分母、上限、结论）Village exit panel',
      querystring: query('12-digit village code'),
      response: { 200: z.object(panelFields) },
    },
  }, async (req) => villageExitPanel(ctxOf(req, app.db), { area: req.query.area, year: req.query.year }));

  app.get('/api/v1/exit-panels/county', {
    schema: {
      tags: ['exit-panels'],
      summary: '贫困县摘帽评估：贫困发生率及各村结论 County exit panel with its villages, worst first',
      querystring: query('6-digit county code'),
      response: {
        200: z.object({
          ...panelFields,
          villages: z.object({ summary, items: z.array(villageRow) }),
          assessment: z.looseObject({
            planId: z.number(), planName: z.string(), closedAt: z.string(), year: z.number(), verdict: status, reason: text,
            rates: z.array(z.looseObject({ key: z.string(), label: text, barPct: z.number().nullable(), verdict: status, reason: text })),
            counts: z.array(z.looseObject({ stratum: z.string(), sampled: z.number(), completed: z.number(), notReached: z.number(), pending: z.number() })),
          }).nullable().describe('the latest closed third-party evaluation of the county and year (PlanResults with planName and closedAt: counts, rates with estimates, intervals and verdicts); null when none is closed'),
          exitVerdict: status.describe('the incidence bar and every evaluation bar; unknown without a closed evaluation'),
          exitReason: text,
        }),
      },
    },
  }, async (req) => countyExitPanel(ctxOf(req, app.db), { area: req.query.area, year: req.query.year }));

  app.get('/api/v1/exit-panels/villages', {
    schema: {
      tags: ['exit-panels'],
      summary: '旗县或苏木乡镇的各村出列结论 Villages of a county or township with counts and verdicts, worst first',
      querystring: query('6-digit county or 9-digit township code'),
      response: {
        200: z.object({
          area,
          year: z.number(),
          threshold: resolvedParam.nullable(),
          summary,
          items: z.array(villageRow),
          missing: text.nullable().describe('set when the county has no yearly records for the year'),
        }),
      },
    },
  }, async (req) => villageExitList(ctxOf(req, app.db), { area: req.query.area, year: req.query.year }));

  app.post('/api/v1/exit-panels/county-assessment', {
    schema: {
      tags: ['exit-panels'],
      summary: '贫困县退出专项评估：错退率、漏评率、群众认可度（按提交的调查数评估，不保存）County assessment of the survey counts given (not stored)',
      body: z.object({
        county: z.string().max(12).describe('6-digit county code'),
        year: z.number(),
        sampledExited: count('抽查已脱贫人数 sampled exited people'),
        wronglyExited: count('错退人数 wrongly exited people'),
        sampledNonRegistered: count('抽查未建档立卡农村人口 sampled non-registered rural people'),
        omitted: count('漏评人数 omitted people'),
        surveyedHouseholds: count('受访户数 surveyed households'),
        approving: count('认可户数 approving households'),
      }),
      response: {
        200: z.object({
          area,
          year: z.number(),
          counts: z.object({
            sampledExited: z.number(),
            wronglyExited: z.number(),
            sampledNonRegistered: z.number(),
            omitted: z.number(),
            surveyedHouseholds: z.number(),
            approving: z.number(),
          }),
          register: counts,
          verdict: status,
          reason: text,
          missing: text.nullable().describe('why the incidence bar cannot be computed from the register'),
          evaluation,
          stored: z.literal(false),
        }),
      },
    },
  }, async (req) => assessCounty(ctxOf(req, app.db), req.body));
}
