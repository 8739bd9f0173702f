// Request shapes for the API (documented in OpenAPI). Shapes only: the meaning of each value
// (code lists, ID numbers, dates) is checked by domain/validate.ts, the same as for imports,
// so the API and the importer give the same messages.
import { z } from 'zod';

const str = z.string().max(200);
const optStr = str.nullable().optional();
const optBool = z.boolean().nullable().optional();
const optNum = z.number().nullable().optional();

export const householdFields = z.object({
  householdNo: str.describe('户编号 (unique within the county)'),
  villageCode: z.string().max(12).describe('12-digit village code (NBS)'),
  groupName: optStr.describe('村民小组'),
  attribute: str.describe('贫困户属性 code or label, e.g. 1 / 一般贫困户'),
  exitStatus: str.optional().describe('脱贫标志 code: 0 未脱贫, 1 已脱贫(享受政策), 3 返贫, 4 已脱贫(不再享受政策); on create the starting status (migration from the national system)'),
  mainCause: optStr.describe('主要致贫原因 code or label'),
  otherCauses: z.array(str).max(11).optional().describe('其他致贫原因'),
  identifiedOn: optStr.describe('首次识别时间 YYYY-MM-DD'),
  exitYear: optNum.describe('脱贫年度'),
  phone: optStr,
  assistanceUnit: optStr.describe('帮扶单位'),
  responsibleCadre: optStr.describe('帮扶责任人'),
  relocated: optBool.describe('易地扶贫搬迁户'),
});

/**
 * The update body: as on create, except that 脱贫标志, 首次识别时间 and 脱贫年度 are read-only —
 * they follow from the identification, exit and monitoring procedures (src/domain/register-status.ts).
 */
const readOnly = '. Read-only on update: set when the household is created, then only by a procedure (识别 identification, 退出 exit, 监测 monitoring); sending the stored value is accepted, a different one is refused with 400 and the procedure to use.';
export const householdPatchFields = householdFields.partial().extend({
  exitStatus: str.optional().describe(`脱贫标志 code: 0 未脱贫, 1 已脱贫(享受政策), 3 返贫, 4 已脱贫(不再享受政策)${readOnly}`),
  identifiedOn: optStr.describe(`首次识别时间 YYYY-MM-DD${readOnly}`),
  exitYear: optNum.describe(`脱贫年度${readOnly}`),
});

export const memberFields = z.object({
  name: str.describe('姓名'),
  idNumber: z.string().max(40).describe('身份证号 (18 digits, or 15-digit legacy, upgraded)'),
  relation: str.describe('与户主关系 code or label; 01 户主'),
  sex: optStr.describe('性别 1 男 / 2 女; derived from the ID when empty'),
  birthDate: optStr.describe('出生日期 YYYY-MM-DD; derived from the ID when empty'),
  ethnicity: str.describe('民族 code or label, e.g. 02 / 蒙古族'),
  education: optStr,
  studentStatus: optStr,
  health: optStr,
  disabilityGrade: optStr,
  labourAbility: optStr,
  workMonths: optNum.describe('务工时间 (months, 0–12)'),
  medicalInsurance: optBool,
  criticalIllnessInsurance: optBool,
  pensionInsurance: optBool,
  phone: optStr,
});

export const yearFields = z.object({
  householdSize: z.number().int().optional().describe('家庭人口 that year'),
  status: optStr.describe('脱贫标志 that year. A past year may be corrected; the current year’s must equal the household’s status (set by procedures), else 400'),
  wageIncome: optNum,
  productionIncome: optNum,
  propertyIncome: optNum,
  transferIncome: optNum,
  productionCosts: optNum,
  nonCountingIncome: optNum.describe('教育补助、医疗报销、搬迁/危房补助: recorded, not counted'),
  foodSecure: optBool,
  clothingSecure: optBool,
  educationSecure: optBool,
  medicalSecure: optBool,
  housingSecure: optBool,
  waterSecure: optBool,
  dangerousHouse: optBool,
  waterLitresPerDay: optNum,
  waterFetchMinutes: optNum,
  electricity: optBool,
  roadAccess: optBool,
  sanitaryToilet: optBool,
  farmlandMu: optNum,
  forestMu: optNum,
  returnedFarmlandMu: optNum,
  pastureMu: optNum,
  note: optStr,
});

export const version = z.number().int().describe('The version you read; a stale one gets 409 with the current record');

export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const memberParam = idParam.extend({ memberId: z.coerce.number().int().positive() });
export const yearParam = idParam.extend({ year: z.coerce.number().int().min(2010).max(2100) });

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    zh: z.string(),
    en: z.string(),
    issues: z
      .array(z.object({ field: z.string(), zh: z.string(), en: z.string(), row: z.number().optional(), column: z.string().optional(), value: z.string().optional() }))
      .optional(),
    current: z.unknown().optional(),
  }),
});
