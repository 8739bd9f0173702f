// Supervision (issue 8): scorecards of townships, counties and responsible cadres, a unit's trend by
// month, and the workbook. Thin: parse, call the service (which checks role, scope and input, with
// field-named messages in both languages), present. Queries are shapes only, so the API and the
// CLI give the same messages.
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { errorSchema } from '../schemas.js';
import { scorecardBook, scorecards, scorecardsWorkbook, scorecardTrend } from '../../services/supervision/index.js';

const tags = ['supervision'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const text = z.object({ zh: z.string(), en: z.string() });
const area = z.string().max(20).optional().describe('area code (default: your area)');
const day = (what: string) => z.string().max(20).optional().describe(`${what} YYYY-MM-DD; without from and to: this year to today, or the calendar year of the latest visit when none this year (see basis)`);

const indicator = z.object({
  key: z.string(),
  numerator: z.number(),
  denominator: z.number().describe('visits: household-months (households × months); otherwise a count'),
  value: z.number().nullable().describe('numerator ÷ denominator (visits: per household-month); null when there is nothing to measure'),
  score: z.number().nullable().describe('0–100; null: left out of the composite'),
  extra: z.record(z.string(), z.number()),
});
const indicators = z.object({
  visits: indicator, completeness: indicator, dataQuality: indicator, overdueCases: indicator, alertsInTime: indicator, discrepancies: indicator,
});
const info = z.object({
  key: z.string(), label: text, description: text, numerator: text, denominator: text, scoring: text, weight: z.number(), better: z.enum(['higher', 'lower']),
});
const period = {
  from: z.string(), to: z.string(), asOf: z.string().describe('the last day scored: the end, or today when the period has not ended'),
  basis: z.enum(['given', 'this_year', 'latest_visit_year']), months: z.number(), generatedOn: z.string(),
  indicators: z.array(info).describe('the indicators with their weights'), visitTarget: z.number().describe('visits per household per month that score 100'),
};
const row = z.object({
  key: z.string(), code: z.string().nullable(), cadreId: z.number().nullable(), name: z.string(),
  parentName: z.string().describe('township, county: the area above; cadre: the assistance unit'), countyCode: z.string(),
  indicators, composite: z.number().nullable(), weightCovered: z.number(), rank: z.number().nullable().describe('competition ranking (1, 2, 2, 4); null without a composite'),
});
const table = z.object({
  level: z.enum(['township', 'county', 'cadre']), area: z.object({ code: z.string(), name: z.string(), level: z.number() }), ...period, rows: z.array(row),
});
const trend = z.object({
  subject: z.object({ kind: z.enum(['area', 'cadre']), key: z.string(), code: z.string().nullable(), cadreId: z.number().nullable(), name: z.string(), parentName: z.string() }),
  ...period,
  points: z.array(z.object({ month: z.string(), from: z.string(), to: z.string(), indicators, composite: z.number().nullable(), weightCovered: z.number() })),
});

export default function supervisionRoutes(app: ZodApp) {
  app.get('/api/v1/supervision/scorecards', {
    schema: {
      tags,
      summary: '考核评分表 Scorecards of townships, counties or responsible cadres',
      description: 'Every unit under the area over the period with the six indicators (visit frequency, data completeness, data-quality rule hits, overdue cases, alerts handled in time, evaluation discrepancies), each with numerator, denominator and a 0–100 score, the weighted composite (indicators with nothing to measure left out and the rest re-weighted) and a competition rank. level=township: townships under a county, city or province; county: counties under a city or province; cadre: responsible cadres paired with a household of the area in the period. Needs supervision.read. Period at most 3 years.',
      querystring: z.object({ level: z.string().max(16).optional().describe('township (default) | county | cadre'), area, from: day('start'), to: day('end') }),
      response: { 200: table, ...errors },
    },
  }, async (req) => {
    const q = req.query;
    return scorecards(ctxOf(req, app.db), { level: q.level ?? 'township', area: q.area, from: q.from, to: q.to });
  });

  app.get('/api/v1/supervision/trend', {
    schema: {
      tags,
      summary: '考核指标月度趋势 A unit’s indicators by month',
      description: 'The indicators and composite of one area (area) or one responsible cadre (cadreId; their households in the area given, else in your area) for each calendar month of the period. Needs supervision.read.',
      querystring: z.object({ area, cadreId: z.string().max(20).optional().describe('cadre id'), from: day('start'), to: day('end') }),
      response: { 200: trend, ...errors },
    },
  }, async (req) => {
    const q = req.query;
    return scorecardTrend(ctxOf(req, app.db), { area: q.area, cadreId: q.cadreId, from: q.from, to: q.to });
  });

  app.get('/api/v1/supervision/scorecards.xlsx', {
    schema: {
      tags,
      summary: '考核评分工作簿（.xlsx）Scorecards workbook',
      description: 'One workbook: 苏木乡镇 (townships), 帮扶责任人 (cadres), 旗县 (counties, when the area is above a county) and 指标说明 (each indicator, its weight and scoring, the fields counted and the data-quality rules). Area: a township or larger. Needs supervision.read.',
      querystring: z.object({ area, from: day('start'), to: day('end') }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const book = await scorecardBook(ctxOf(req, app.db), { area: q.area, from: q.from, to: q.to });
    const name = `考核评分-${book.township.area.name}-${book.township.from}-${book.township.to}.xlsx`;
    return reply.header('content-type', XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`).send(await scorecardsWorkbook(book));
  });
}
