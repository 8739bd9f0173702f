// Shapes of the assistance (who helps whom) API. Bodies are shapes only: dates, codes, ids and
// required texts are checked by the services, so the API and the CLI give the same messages.
import { z } from 'zod';
import { errorSchema } from '../schemas.js';

export const text = z.object({ zh: z.string(), en: z.string() });
export const area = z.string().regex(/^\d{2,12}$/).describe('area code: that subtree');
const day = z.string().max(20).describe('YYYY-MM-DD');
const optDay = day.nullable().optional();
export const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
export const page = {
  page: z.coerce.number().int().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
};
export const paged = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });
export const state = z.enum(['open', 'ended']).optional().describe('open: not ended; ended: ended');
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const unit = z.object({
  id: z.number(), countyCode: z.string(), countyName: z.string(), name: z.string(), kind: z.string(), kindLabel: text, level: z.string(), levelLabel: text,
  contactName: z.string().nullable(), contactPhone: z.string().nullable().describe('masked'), cadres: z.number().describe('active cadres'), openPairings: z.number(),
});
export const unitBody = z.object({
  countyCode: z.string().max(6).optional().describe('default: your county'),
  name: z.string().max(200), kind: z.string().max(32).describe('UNIT_KINDS'), level: z.string().max(32).describe('UNIT_LEVELS'),
  contactName: z.string().max(200).nullable().optional(), contactPhone: z.string().max(40).nullable().optional(),
});
export const unitQuery = z.object({ area: area.optional(), q: z.string().max(50).optional().describe('name contains'), ...page });

export const cadre = z.object({
  id: z.number(), countyCode: z.string(), unitId: z.number(), unitName: z.string(), name: z.string(), idNumber: z.string().describe('masked'),
  phone: z.string().nullable().describe('masked'), position: z.string().nullable(), userId: z.number().nullable(), active: z.boolean(), openPairings: z.number(),
  teams: z.array(z.object({ teamId: z.number(), villageCode: z.string(), villageName: z.string(), role: z.string() })),
});
export const cadreBody = z.object({
  unitId: z.number().int(), name: z.string().max(200), idNumber: z.string().max(40).describe('GB 11643, 18 characters (15-digit legacy upgraded)'),
  phone: z.string().max(40).nullable().optional(), position: z.string().max(200).nullable().optional(),
  userId: z.number().int().nullable().optional().describe("the cadre's own login, if any"), active: z.boolean().optional(),
});
export const cadreQuery = z.object({
  area: area.optional(), unit: z.coerce.number().int().positive().optional(), q: z.string().max(50).optional().describe('name prefix'),
  active: bool.optional(), ...page,
});

const teamMember = z.object({ cadreId: z.number(), name: z.string(), role: z.string(), roleLabel: text, startedOn: z.string(), endedOn: z.string().nullable() });
export const team = z.object({
  id: z.number(), countyCode: z.string(), villageCode: z.string(), villageName: z.string(), townshipName: z.string().nullable(), unitId: z.number(), unitName: z.string(),
  startedOn: z.string(), endedOn: z.string().nullable(), members: z.array(teamMember),
});
export const teamBody = z.object({ villageCode: z.string().max(12), unitId: z.number().int(), startedOn: day });
export const teamQuery = z.object({ area: area.optional(), unit: z.coerce.number().int().positive().optional(), state, ...page });
export const teamMemberBody = z.object({ cadreId: z.number().int(), role: z.string().max(32).describe('first_secretary | leader | member'), startedOn: day });
export const endBody = z.object({ endedOn: day });

export const pairing = z.object({
  id: z.number(), countyCode: z.string(), householdId: z.number(), householdNo: z.string(), headName: z.string(), villageCode: z.string(), villageName: z.string(),
  exitStatus: z.string(), statusLabel: text, cadreId: z.number(), cadreName: z.string(), unitId: z.number(), unitName: z.string(),
  startedOn: z.string(), endedOn: z.string().nullable(), endReason: z.string().nullable(), createdBy: z.string(),
});
export const pairingBody = z.object({ householdId: z.number().int(), cadreId: z.number().int(), startedOn: day });
export const pairingEndBody = z.object({ endedOn: day, reason: z.string().max(2000) });
export const pairingQuery = z.object({
  area: area.optional(), unit: z.coerce.number().int().positive().optional(), cadre: z.coerce.number().int().positive().optional(),
  household: z.coerce.number().int().positive().optional(), state,
  q: z.string().trim().max(50).optional().describe('the start of a household number, head name or cadre name'), ...page,
});

export const flags = z.object({
  unpaired: z.array(z.object({
    householdId: z.number(), householdNo: z.string(), headName: z.string(), villageCode: z.string(), villageName: z.string().nullable(),
    exitStatus: z.string(), statusLabel: text, lastEndedOn: z.string().nullable(),
  })).describe('households with status 0, 1 or 3 and no open pairing (first 500)'),
  unpairedTotal: z.number(),
  cadresRegisteredPoor: z.array(z.object({
    cadreId: z.number(), cadreName: z.string(), countyCode: z.string(), unitName: z.string(), idNumber: z.string().describe('masked'),
    householdId: z.number().nullable(), householdNo: z.string().nullable(), villageName: z.string().nullable(), memberName: z.string().nullable(),
    registeredCounty: z.string(), registeredCountyName: z.string(), exitStatus: z.string(), statusLabel: text,
  })).describe('active cadres whose ID number is a member of a household with status 0, 1 or 3; the household and member are named only when inside the actor\'s area, otherwise only its county'),
});

const measure = z.object({
  typeCode: z.string(), typeName: text, unit: text, quantity: z.number().nullable(), amount: z.number().nullable(), dueOn: z.string().nullable(), note: z.string(),
});
export const plan = z.object({
  householdId: z.number(), countyCode: z.string(), exists: z.boolean(),
  needs: z.array(z.object({ code: z.string(), label: text })), needsNote: z.string(), agreedMeasures: z.array(measure),
  targetIncome: z.number().nullable(), targetYear: z.number().nullable(), targetsNote: z.string(),
  cadreId: z.number().nullable(), cadreName: z.string().nullable(), agreedOn: z.string().nullable(),
  reviewEveryMonths: z.number(), lastReviewedOn: z.string().nullable(), nextReviewOn: z.string().nullable().describe('computed: last review (or agreed day) + period'),
  overdue: z.boolean().describe('next review is past'), version: z.number().describe('0: no plan yet'), updatedAt: z.string().nullable(),
});
export const planBody = z.object({
  version: z.number().int().describe('the version you read (0 to create); a stale one gets 409 with the current plan'),
  needs: z.array(z.string().max(10)).max(20).optional().describe('致贫原因 codes'),
  needsNote: z.string().max(4000).nullable().optional(),
  agreedMeasures: z.array(z.object({
    typeCode: z.string().max(48), quantity: z.number().nullable().optional(), amount: z.number().nullable().optional(),
    dueOn: optDay, note: z.string().max(1000).nullable().optional(),
  })).max(100).optional(),
  targetIncome: z.number().nullable().optional().describe('yuan per person per year'),
  targetYear: z.number().int().nullable().optional(),
  targetsNote: z.string().max(4000).nullable().optional(),
  cadreId: z.number().int().nullable().optional(),
  agreedOn: optDay,
  reviewEveryMonths: z.number().int().optional().describe('1–24, default 6'),
  lastReviewedOn: optDay,
});

export const visit = z.object({
  id: z.number(), countyCode: z.string(), householdId: z.number(), householdNo: z.string(), headName: z.string(), villageCode: z.string(), villageName: z.string(),
  cadreId: z.number().nullable(), cadreName: z.string().nullable(), visitedOn: z.string(), kind: z.string(), kindLabel: text, findings: z.string(),
  followUps: z.string(), followUpDue: z.string().nullable(), followUpDoneOn: z.string().nullable(), followUpOverdue: z.boolean(), createdBy: z.string(),
});
export const visitBody = z.object({
  visitedOn: day, cadreId: z.number().int().nullable().optional().describe('default: the cadre linked to your account'),
  kind: z.string().max(16).optional().describe('home | phone | meeting (default home)'), findings: z.string().max(8000),
  followUps: z.string().max(4000).nullable().optional(), followUpDue: optDay,
});
export const visitQuery = z.object({
  area: area.optional(), cadre: z.coerce.number().int().positive().optional(), from: day.optional(), to: day.optional(),
  openFollowUps: bool.optional().describe('true: only visits whose follow-ups are not done'), ...page,
});
export const frequency = z.object({
  from: z.string(), to: z.string(), months: z.number().describe('length of the period in months (each month as the share of its days)'),
  basis: z.enum(['given', 'this_year', 'latest_visit_year']).describe('how the period was chosen: given; this year to today; the calendar year of the latest visit when the area has none this year'),
  latestVisit: z.string().nullable().describe('the latest visit recorded in the area (any date)'),
  items: z.array(z.object({
    cadreId: z.number(), cadreName: z.string(), unitName: z.string(), householdsPaired: z.number(), visits: z.number(),
    visitsPerHouseholdMonth: z.number().nullable(), lastVisit: z.string().nullable(), notVisited: z.number(),
    notVisitedHouseholds: z.array(z.object({ householdId: z.number(), householdNo: z.string(), headName: z.string() })),
  })),
});
