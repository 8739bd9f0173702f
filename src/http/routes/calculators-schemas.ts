// Request and response shapes of the calculators (documented in OpenAPI). Shapes only: ranges,
// decimals, sums and cross-field rules are checked by domain/calculators/*, which names each field
// in zh and en the same way for the API and the CLI.
import { z } from 'zod';
import { MEDICAL_LAYERS, PERSON_CATEGORIES, PROGRAMMES, PURPOSES, STAGES } from '../../domain/calculators/index.js';

const text = z.object({ zh: z.string(), en: z.string() });
const year = z.number().describe('calendar year whose parameters apply (2000–2100)');
const area = z.string().max(12).optional().describe("area whose parameters apply: '' national, or a 2/4/6/9/12-digit code; default the account's own area");
const yuan = z.number().describe('yuan, at most two decimals');

const layerUse = z.object({
  deductibleMet: yuan.optional().describe("this layer's deductible already met this year by earlier bills (default 0)"),
  paid: yuan.optional().describe('what this layer already paid this year, counted against its cap (default 0)'),
});

export const medicalBody = z.object({
  year,
  area,
  person: z.enum(PERSON_CATEGORIES).describe('poor: registered poor (建档立卡贫困人口; favourable critical-illness parameters and medical assistance); general: other insured'),
  bill: z.object({
    total: yuan.describe('the whole bill'),
    eligible: yuan.optional().describe('the part within the policy scope (政策范围内); default the total'),
  }),
  used: z.object(Object.fromEntries(MEDICAL_LAYERS.map((l) => [l, layerUse.optional()])) as Record<(typeof MEDICAL_LAYERS)[number], z.ZodOptional<typeof layerUse>>)
    .optional().describe("the year's accumulated use before this bill, per layer"),
});

export const educationBody = z.object({
  year,
  area,
  students: z.array(z.object({
    name: z.string().max(50).optional(),
    stage: z.enum(STAGES).describe('primary 小学, lower_secondary 初中, upper_secondary 普通高中, vocational 中职, yulu 雨露计划'),
    boarding: z.boolean().optional().describe('required for primary and lower secondary; non-boarders get the non-boarder share'),
  })).describe('1–20 students'),
});

export const ecologyBody = z.object({
  year,
  area,
  programme: z.enum(PROGRAMMES).describe('forest 退耕还林, grass 退耕还草, public_forest 公益林, ranger 生态护林员'),
  mu: z.number().optional().describe('area in mu, at most two decimals (forest, grass, public_forest)'),
  startYear: z.number().optional().describe('the year the plot entered the programme, its year 1 (forest, grass)'),
  rangers: z.number().optional().describe('number of rangers (ranger; default 1)'),
  months: z.number().optional().describe('months served in the year, 1–12 (ranger; default 12)'),
});

export const solarBody = z.object({
  year,
  quarter: z.number().describe('1–4'),
  area,
  village: z.string().max(100).optional().describe('the village, for the heading'),
  revenue: yuan.describe("the station's revenue for the quarter"),
  capacityKw: z.number().optional().describe('station size in kW, checked against solar_station_max_kw'),
  shares: z.object(Object.fromEntries(PURPOSES.map((p) => [p, z.number().optional()])) as Record<(typeof PURPOSES)[number], z.ZodOptional<z.ZodNumber>>)
    .describe('percent by purpose (jobs 公益岗位, works 小型公益事业, rewards 奖励, subsidies 补助), summing to 100; the village decision'),
  noLabourFactor: z.number().optional().describe('weight multiplier for recipients without labour (1–10, default 1)'),
  recipients: z.array(z.object({
    name: z.string().max(100),
    purpose: z.enum(PURPOSES),
    weight: z.number().optional().describe('share within the purpose (default 1), e.g. months worked'),
    noLabour: z.boolean().optional().describe('a household that cannot work (weighted by noLabourFactor)'),
  })).describe('jobs, works and households, 1–500'),
});

const resolvedParam = z.object({
  key: z.string(),
  value: z.number().nullable().describe('null: unknown'),
  year: z.number().describe('the year the value takes effect'),
  region: z.string().describe("'' national, 2-digit province or 6-digit county code"),
  source: z.string(),
});

export const calcResult = z.object({
  calculator: z.enum(['medical', 'education', 'ecology', 'solar']),
  year: z.number(),
  area: z.string().describe("the area whose parameters were used ('' national)"),
  complete: z.boolean().describe('false when a needed parameter is missing; the totals that depend on it are null'),
  lines: z.array(z.object({
    key: z.string(),
    label: text,
    status: z.enum(['ok', 'missing', 'not_applicable', 'warning']),
    amount: z.number().nullable().describe('yuan; null when it cannot be computed or the line is a check'),
    formula: text.describe('the arithmetic with the numbers used'),
    values: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
    params: z.array(resolvedParam).describe('the parameters this line read'),
  })),
  totals: z.array(z.object({ key: z.string(), label: text, amount: z.number().nullable(), formula: text })),
  missing: z.array(z.object({ key: z.string(), year: z.number(), reason: text })).describe('parameters needed but unknown or not set'),
  params: z.array(resolvedParam),
  notes: z.array(text),
});
