import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { incomeDistribution, MAX_BINS } from '../../services/indicators/distribution.js';

const text = z.object({ zh: z.string(), en: z.string() });

const distributionSchema = z.object({
  area: z.object({ code: z.string(), name: z.string(), level: z.number() }),
  year: z.number(),
  line: z.object({ key: z.string(), value: z.number().nullable(), year: z.number(), region: z.string(), source: z.string() }).nullable(),
  width: z.number().describe('bin width, yuan per person'),
  households: z.number(),
  people: z.number(),
  mean: z.number().nullable(),
  belowLinePeople: z.number().nullable(),
  bins: z.array(z.object({
    from: z.number().nullable().describe('inclusive; null: open below (incomes ≤ 0 included)'),
    to: z.number().nullable().describe('exclusive; null: open above'),
    households: z.number(),
    people: z.number(),
    registeredPoorPeople: z.number().nullable().describe('people in households with 脱贫标志 0 or 3 that year; null in a bin of fewer than 5 households for readers of aggregates only'),
  })),
  missing: z.array(text),
});

export default function indicatorDistributionRoutes(app: ZodApp) {
  app.get('/api/v1/indicators/distribution', {
    schema: {
      tags: ['indicators'],
      summary: '收入分布：人均纯收入的人数直方图（组界与贫困线对齐） Income distribution: people per per-capita income bin, edges aligned on the poverty line',
      querystring: z.object({
        area: z.string().regex(/^\d{2,12}$/).optional().describe('area code; default: your own area'),
        year: z.coerce.number().int().min(2000).max(2100),
        bins: z.coerce.number().int().min(2).max(MAX_BINS).optional().describe('about how many bins up to the 99th percentile (default 20)'),
        width: z.coerce.number().min(10).max(100_000).optional().describe('bin width in yuan (default: a round width for `bins`)'),
      }),
      response: { 200: distributionSchema },
    },
  }, async (req) => incomeDistribution(ctxOf(req, app.db), { area: req.query.area, year: req.query.year, bins: req.query.bins, width: req.query.width }));
}
