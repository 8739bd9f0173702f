// Request and response shapes of the project library, funds, beneficiaries, disclosure and assets.
// Shapes only: code lists, dates, amounts, budgets and links are checked by services/projects/, which
// names each field in zh and en the same way for the API and the CLI.
import { z } from 'zod';
import { ASSET_KINDS, CHANNELS, FUND_SOURCES, LINK_KINDS, PROJECT_STATUSES } from '../../domain/assistance/catalogue.js';
import { PURPOSES } from '../../domain/calculators/index.js';
import { calcResult } from './calculators-schemas.js';

const text = z.object({ zh: z.string(), en: z.string() });
const yuan = z.number().describe('yuan, two decimals');
const day = z.string().describe('YYYY-MM-DD');
export const areaQuery = z.string().regex(/^\d{2,12}$/);
export const yearQuery = z.coerce.number().int().min(2000).max(2100);
export const idParam = z.object({ id: z.coerce.number().int().positive() });

export const projectBody = z.object({
  county: z.string().max(12).optional().describe('6-digit county code; default the county of your account'),
  name: z.string().max(200),
  channel: z.enum(CHANNELS),
  year: z.number().int().describe('项目库年度 the year the project is planned in'),
  villageCodes: z.array(z.string().max(12)).max(500).optional().describe('12-digit village codes of the county; empty or absent: county-wide'),
  implementer: z.string().max(100).nullable().optional().describe('实施主体'),
  description: z.string().max(4000).optional(),
  startsOn: day.nullable().optional(),
  endsOn: day.nullable().optional().describe('not before startsOn'),
});

export const projectPatch = projectBody.omit({ county: true }).partial().extend({
  version: z.number().int().describe('the version you read; a stale one gets 409 with the current project'),
});

export const statusBody = z.object({
  status: z.enum(PROJECT_STATUSES).describe('planned → approved → in_progress → completed; cancelled from any but completed'),
  version: z.number().int(),
  note: z.string().max(500).optional(),
});

export const disclosureBody = z.object({
  disclosedOn: day.nullable().describe('公示日期; null withdraws it'),
  disclosureNote: z.string().max(1000).nullable().optional().describe('where and how it was posted'),
  version: z.number().int(),
});

export const budgetBody = z.object({
  fundSource: z.enum(FUND_SOURCES),
  amount: yuan.describe('the allocation of this source (≥ 0, not below what is already paid from it)'),
});

export const disbursementBody = z.object({
  fundSource: z.enum(FUND_SOURCES).describe('a source the project has a budget from'),
  amount: yuan.describe('> 0; refused with the numbers when beyond the source’s remaining budget'),
  paidOn: day.describe('not after today (China time)'),
  payee: z.string().max(100).describe('收款单位或个人'),
  voucherNo: z.string().max(50).nullable().optional().describe('凭证号'),
  note: z.string().max(1000).nullable().optional(),
});

export const beneficiaryBody = z.object({
  householdId: z.number().int().positive().describe('a household of the project’s county (and of its villages when it lists some)'),
  linkKind: z.enum(LINK_KINDS),
  expectedBenefit: yuan.nullable().optional().describe('expected benefit a year, yuan'),
  note: z.string().max(500).nullable().optional(),
});

export const assetBody = z.object({
  projectId: z.number().int().positive().describe('the project that created the asset'),
  villageCode: z.string().max(12).describe('a village of the project’s county'),
  kind: z.enum(ASSET_KINDS),
  name: z.string().max(100),
  capacity: z.number().nullable().optional().describe('kW for a solar station, head for a barn, m² otherwise'),
  value: yuan.nullable().optional(),
  completedOn: day.nullable().optional(),
  owner: z.string().max(100).optional().describe('default 村集体'),
});

const recipientIn = z.object({
  name: z.string().max(100).optional().describe('default from the register when linked'),
  purpose: z.enum(PURPOSES),
  weight: z.number().optional().describe('share within the purpose (default 1), e.g. months worked'),
  noLabour: z.boolean().optional().describe('default from the register when linked: nobody in the household able to work'),
  householdId: z.number().int().positive().nullable().optional().describe('registered household of the asset’s village (jobs, rewards, subsidies)'),
  memberId: z.number().int().positive().nullable().optional().describe('the member holding a job (jobs with householdId)'),
});

export const incomeBody = z.object({
  year: z.number().int(),
  quarter: z.number().int().nullable().optional().describe('1–4; required for a solar station; null: the whole year'),
  amount: yuan.describe('the income of the period, > 0'),
  decidedOn: day.nullable().optional().describe('date of the village decision (村民议事)'),
  decisionNote: z.string().max(2000).nullable().optional(),
  fundSource: z.enum(FUND_SOURCES).nullable().optional()
    .describe('solar station: the project budget source recorded on the measures ledger rows; default the project’s only source, required when it has several'),
  distribution: z.object({
    shares: z.object(Object.fromEntries(PURPOSES.map((p) => [p, z.number().optional()])) as Record<(typeof PURPOSES)[number], z.ZodOptional<z.ZodNumber>>)
      .describe('percent by purpose, summing to 100'),
    noLabourFactor: z.number().optional().describe('weight multiplier for households without labour (1–10)'),
    recipients: z.array(recipientIn).describe('1–500'),
  }).nullable().optional().describe('required for a solar station: the village decision, computed by the solar calculator'),
});

// --- responses ------------------------------------------------------------------------------------

const budgetLine = z.object({ fundSource: z.string(), fundSourceLabel: text, allocated: yuan, disbursed: yuan, balance: yuan });
const village = z.object({ code: z.string(), name: z.string() });

export const projectView = z.object({
  id: z.number(),
  countyCode: z.string(),
  countyName: z.string().nullable(),
  name: z.string(),
  channel: z.string(),
  channelLabel: text,
  year: z.number(),
  status: z.enum(PROJECT_STATUSES),
  statusLabel: text,
  villageCodes: z.array(z.string()),
  villages: z.array(village),
  implementer: z.string().nullable(),
  description: z.string(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  disclosedOn: z.string().nullable(),
  disclosureNote: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  allocated: yuan,
  disbursed: yuan,
  balance: yuan,
  beneficiaryCount: z.number(),
});

const disbursement = z.object({
  id: z.number(), fundSource: z.string(), fundSourceLabel: text, paidOn: z.string(), amount: yuan,
  payee: z.string().nullable().describe('null without register.read (the payee may be a person)'),
  voucherNo: z.string().nullable(), note: z.string().nullable().describe('null without register.read'),
  recordedBy: z.string().nullable().describe('null without register.read'), createdAt: z.string(),
});

export const beneficiary = z.object({
  householdId: z.number(), householdNo: z.string(), headName: z.string(), villageCode: z.string(), villageName: z.string().nullable(),
  linkKind: z.string(), linkKindLabel: text, expectedBenefit: yuan.nullable(), note: z.string().nullable(), createdAt: z.string(),
});

export const assetView = z.object({
  id: z.number(), countyCode: z.string(), projectId: z.number().nullable(), projectName: z.string().nullable(), villageCode: z.string(),
  villageName: z.string().nullable(), kind: z.string(), kindLabel: text, name: z.string(), capacity: z.number().nullable(), value: yuan.nullable(),
  completedOn: z.string().nullable(), owner: z.string(), incomeTotal: yuan, incomeCount: z.number(), createdAt: z.string(),
});

export const projectFile = projectView.extend({
  budgets: z.array(budgetLine),
  disbursements: z.array(disbursement),
  beneficiaries: z.array(beneficiary).nullable().describe('null without register.read (personal data)'),
  assets: z.array(assetView),
  allowedMoves: z.array(z.enum(PROJECT_STATUSES)).describe('statuses this project may move to now'),
});

export const projectList = z.object({ items: z.array(projectView), total: z.number(), page: z.number(), pageSize: z.number() });

export const budgetsResult = z.array(budgetLine);
export const disbursementResult = z.object({ id: z.number(), budgets: z.array(budgetLine) });

export const fundsResult = z.object({
  area: z.string(),
  year: z.number().nullable(),
  sources: z.array(budgetLine).describe('per fund source over the projects listed'),
  projects: z.array(z.object({
    id: z.number(), countyCode: z.string(), name: z.string(), channel: z.string(), channelLabel: text, status: z.string(), statusLabel: text,
    year: z.number(), allocated: yuan, disbursed: yuan, balance: yuan, bySource: z.array(budgetLine),
  })),
  totals: z.object({ allocated: yuan, disbursed: yuan, balance: yuan, projects: z.number() }),
});

export const disclosureResult = z.object({
  area: z.object({ code: z.string(), name: z.string().nullable() }),
  year: z.number(),
  items: z.array(z.object({
    id: z.number(), countyCode: z.string(), countyName: z.string().nullable(), name: z.string(), year: z.number(), channel: z.string(), channelLabel: text,
    villages: z.array(village), implementer: z.string().nullable(), startsOn: z.string().nullable(), endsOn: z.string().nullable(),
    budgets: z.array(budgetLine), allocated: yuan, disbursed: yuan, beneficiaryHouseholds: z.number(), status: z.string(), statusLabel: text,
    disclosedOn: z.string().nullable(), disclosureNote: z.string().nullable(),
  })),
  totals: z.object({ projects: z.number(), allocated: yuan, disbursed: yuan, beneficiaryHouseholds: z.number() }),
});

export const incomeView = z.object({
  id: z.number(), assetId: z.number(), year: z.number(), quarter: z.number().nullable(), amount: yuan, decidedOn: z.string().nullable(),
  decisionNote: z.string().nullable().describe('null without register.read (free text)'), recordedBy: z.string(), createdAt: z.string(),
  distribution: z.object({
    shares: z.record(z.string(), z.number()),
    noLabourFactor: z.number(),
    recipients: z.array(z.object({
      name: z.string(), purpose: z.string(), weight: z.number(), noLabour: z.boolean(), householdId: z.number().nullable(), memberId: z.number().nullable(), amount: yuan,
    })),
    result: calcResult,
    fundSource: z.string().nullable().optional().describe('the project fund source recorded on the ledger rows'),
    ledger: z.array(z.object({ measureId: z.number(), householdId: z.number(), memberId: z.number().nullable(), typeCode: z.string(), amount: yuan }))
      .describe('rows written to the measures ledger for recipients linked to registered households'),
  }).nullable().describe('the village decision as computed by the solar calculator; null for other assets or without register.read'),
});

export const codesResult = z.object({
  channels: z.array(z.object({ key: z.string(), label: text })),
  statuses: z.array(z.object({ key: z.string(), label: text, next: z.array(z.string()) })),
  fundSources: z.array(z.object({ key: z.string(), label: text })),
  linkKinds: z.array(z.object({ key: z.string(), label: text })),
  assetKinds: z.array(z.object({ key: z.string(), label: text, unit: text })),
  purposes: z.array(z.object({ key: z.string(), label: text })),
});
