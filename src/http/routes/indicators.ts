import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { FIGURES, figureHouseholds, getIndicators } from '../../services/indicators/indicators.js';
import { ANALYSIS_GROUPINGS, analyseArea } from '../../services/indicators/analysis.js';

const text = z.object({ zh: z.string(), en: z.string() });
const mpiIndicator = z.object({
  key: z.string(), dimension: z.string(), label: text, weight: z.number(),
  uncensored: z.number().describe('h_j'), censored: z.number().describe('h_j(k)'), contribution: z.number().describe('w_j h_j(k)'), share: z.number().nullable().describe('w_j h_j(k) / M0'),
});
const figures = z.object({
  code: z.string(), name: z.string(), year: z.number(),
  households: z.number(), people: z.number(), poorHouseholds: z.number(), poorPeople: z.number(),
  exitedHouseholds: z.number(), exitedPeople: z.number(), relapsedHouseholds: z.number(), relapsedPeople: z.number(),
  ruralPeople: z.number().nullable(), incidence: z.number().nullable().describe('贫困发生率 = poorPeople / ruralPeople'),
  line: z.number().nullable().describe('贫困线 used (null when unknown or different below)'),
  fgt: z.object({ population: z.number(), poorPeople: z.number(), p0: z.number(), p1: z.number(), p2: z.number(), watts: z.number().nullable() }).nullable(),
  meanIncome: z.number().nullable(),
  composition: z.object({ wage: z.number(), production: z.number(), property: z.number(), transfer: z.number(), costs: z.number(), nonCounting: z.number() }).nullable(),
  mpi: z.object({
    k: z.number(), population: z.number(), excludedHouseholds: z.number(), poorPeople: z.number(), H: z.number(), A: z.number(), M0: z.number(),
    indicators: z.array(mpiIndicator),
  }).nullable(),
});
const indicatorsSchema = z.object({
  area: z.object({ code: z.string(), name: z.string(), level: z.number(), path: z.array(z.object({ code: z.string(), name: z.string() })) }),
  year: z.number().nullable(),
  figures: figures.nullable(),
  children: z.array(figures),
  trend: z.array(figures),
  refreshedAt: z.string().nullable(),
  suppressed: z.object({ children: z.number(), years: z.number(), own: z.boolean(), minHouseholds: z.number() }).nullable()
    .describe('readers of aggregates only: child areas, years and the area itself left out with fewer than minHouseholds households (one more child is left out when only one would be)'),
});

const measureSet = {
  households: z.number(), people: z.number(), registeredPoorPeople: z.number(),
  fgt: z.object({ poorPeople: z.number(), p0: z.number(), p1: z.number(), p2: z.number() }).nullable(),
  watts: z.number().nullable(), gini: z.number().nullable(), mean: z.number().nullable(), median: z.number().nullable(),
  composition: z.object({ wage: z.number(), production: z.number(), property: z.number(), transfer: z.number(), costs: z.number(), nonCounting: z.number(), net: z.number() }).nullable(),
  negativeIncomeHouseholds: z.number(),
  mpi: z.object({
    n: z.number(), population: z.number(), k: z.number(), H: z.number(), A: z.number(), M0: z.number(), M1: z.number().nullable(), M2: z.number().nullable(),
    indicators: z.array(z.object({ name: z.string(), cutoff: z.number(), weight: z.number(), uncensored: z.number(), censored: z.number(), contribution: z.number(), share: z.number().nullable() })),
  }).nullable(),
  mpiExcludedHouseholds: z.number(),
};
const analysisSchema = z.object({
  area: z.object({ code: z.string(), name: z.string(), level: z.number() }),
  year: z.number(),
  line: z.object({ key: z.string(), value: z.number().nullable(), year: z.number(), region: z.string(), source: z.string() }).nullable(),
  missing: z.array(text),
  k: z.number(),
  by: z.enum(ANALYSIS_GROUPINGS).nullable(),
  groups: z.array(z.object({ group: z.string(), label: text, mpiShare: z.number().nullable(), ...measureSet })).nullable(),
  suppressedGroups: z.number().describe('readers of aggregates only: groups left out with fewer than 5 households (one more when only one would be)'),
  ...measureSet,
});

const areaQuery = z.string().regex(/^\d{2,12}$/).optional().describe('area code; default: your own area');

export default function indicatorRoutes(app: ZodApp) {
  app.get('/api/v1/indicators', {
    schema: {
      tags: ['indicators'],
      summary: '指标：贫困发生率、FGT、收入构成、多维贫困（汇总表）、下级对比、历年趋势 Indicators of an area and year from the rollups',
      querystring: z.object({
        area: areaQuery,
        year: z.coerce.number().int().min(2000).max(2100).optional().describe('default: the latest year with records'),
      }),
      response: { 200: indicatorsSchema },
    },
  }, async (req) => getIndicators(ctxOf(req, app.db), { area: req.query.area, year: req.query.year }));

  app.get('/api/v1/indicators/analysis', {
    schema: {
      tags: ['indicators'],
      summary: '按需分析：FGT、Watts、基尼系数、中位数、多维贫困及分组分解 On-demand analysis with Gini, median and subgroups',
      querystring: z.object({
        area: areaQuery,
        year: z.coerce.number().int().min(2000).max(2100),
        by: z.enum(ANALYSIS_GROUPINGS).optional().describe('subgroups: child areas, ethnicity or sex of the head, main cause'),
      }),
      response: { 200: analysisSchema },
    },
  }, async (req) => analyseArea(ctxOf(req, app.db), { area: req.query.area, year: req.query.year, by: req.query.by }));

  app.get('/api/v1/indicators/households', {
    schema: {
      tags: ['indicators'],
      summary: '指标背后的农户 The households behind a figure (personal data: register readers only)',
      querystring: z.object({
        area: areaQuery,
        year: z.coerce.number().int().min(2000).max(2100),
        figure: z.enum(FIGURES),
        page: z.coerce.number().int().min(1).optional(),
        size: z.coerce.number().int().min(1).max(500).optional(),
      }),
      response: {
        200: z.object({
          area: z.string(), year: z.number(), figure: z.string(), line: z.number().nullable(), total: z.number(), people: z.number(),
          rows: z.array(z.object({
            id: z.number(), countyCode: z.string(), householdNo: z.string(), headName: z.string(), villageCode: z.string(), villageName: z.string(),
            status: z.string(), size: z.number(), perCapitaIncome: z.number(), gap: z.number().nullable(), score: z.number().nullable(),
          })),
        }),
      },
    },
  }, async (req) => figureHouseholds(ctxOf(req, app.db), { area: req.query.area, year: req.query.year, figure: req.query.figure, page: req.query.page, size: req.query.size }));
}
