// POST /api/v1/calculators/{medical,education,ecology,solar}: any signed-in role; the body's shape is
// checked here, its meaning by domain/calculators (400 with per-field reasons in zh and en).
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { calculate } from '../../services/calculators.js';
import { calcResult, ecologyBody, educationBody, medicalBody, solarBody } from './calculators-schemas.js';

const SUMMARY = {
  medical: '医疗一站式结算：基本医保 → 大病保险 → 医疗救助，各层明细与个人自付 Medical one-stop settlement: each layer and the out-of-pocket remainder',
  education: '教育资助：按学段、是否寄宿、年度 Education aid by stage, boarding status and year',
  ecology: '生态补偿：退耕还林/还草按面积与实施年度，公益林，生态护林员 Ecological payments by area and programme year',
  solar: '光伏收益分配：按村级决定的用途比例与权重，分到分且合计等于收益 Solar income distribution for a village and quarter, to the fen',
} as const;

export default function calculatorRoutes(app: ZodApp) {
  // Sign-in is checked before the body (http/auth.ts), so an anonymous caller gets 401 whatever it sent.
  const bodies = { medical: medicalBody, education: educationBody, ecology: ecologyBody, solar: solarBody } as const;
  for (const kind of ['medical', 'education', 'ecology', 'solar'] as const) {
    app.post(`/api/v1/calculators/${kind}`, {
      schema: { tags: ['calculators'], summary: SUMMARY[kind], body: bodies[kind], response: { 200: calcResult } },
    }, async (req) => calculate(ctxOf(req, app.db), kind, req.body));
  }
}
