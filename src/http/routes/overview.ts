import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { getOverview } from '../../services/overview.js';

const count = z.object({ households: z.number(), people: z.number() });
const figures = z.object({
  households: z.number(),
  people: z.number(),
  poorHouseholds: z.number().describe('未脱贫 + 返贫'),
  poorPeople: z.number(),
  exitedHouseholds: z.number().describe('已脱贫 (1, 4)'),
  exitedPeople: z.number(),
  relapsedHouseholds: z.number().describe('返贫 (3)'),
  relapsedPeople: z.number(),
  byStatus: z.record(z.string(), count).describe('by 脱贫标志 code'),
  ruralPeople: z.number().nullable().describe('农村人口 (incidence denominator)'),
  incidence: z.number().nullable().describe('贫困发生率 = poorPeople / ruralPeople'),
});

const overviewSchema = z.object({
  area: z.object({ code: z.string(), name: z.string(), level: z.number(), path: z.array(z.object({ code: z.string(), name: z.string() })) }),
  year: z.number().nullable(),
  populationYear: z.number().nullable(),
  totals: figures,
  children: z.array(figures.extend({ code: z.string(), name: z.string(), level: z.number() })),
  trend: z.array(z.object({
    year: z.number(),
    households: z.number(),
    poorHouseholds: z.number(),
    poorPeople: z.number(),
    ruralPeople: z.number().nullable(),
    incidence: z.number().nullable(),
  })),
  causes: z.array(z.object({ cause: z.string().nullable(), households: z.number(), people: z.number(), poorHouseholds: z.number() })),
});

export default function overviewRoutes(app: ZodApp) {
  app.get('/api/v1/overview', {
    schema: {
      tags: ['overview'],
      summary: '首页概览：人数户数、贫困发生率、下级区划、趋势、致贫原因 Overview of an area (aggregates only)',
      querystring: z.object({
        area: z.string().regex(/^\d{2,12}$/).optional().describe('area code; default: your own area'),
        year: z.coerce.number().int().min(2010).max(2100).optional().describe('status and size from that year’s records'),
      }),
      response: { 200: overviewSchema },
    },
  }, async (req) => getOverview(ctxOf(req, app.db), { area: req.query.area, year: req.query.year }));
}
