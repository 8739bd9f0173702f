// Normalised shapes of the register, shared by validation, import, seed and services.
// Field names match the Drizzle schema (src/db/schema/registry.ts) in camelCase.

export interface HouseholdInput {
  householdNo: string;
  villageCode: string;
  groupName: string | null;
  attribute: string;
  exitStatus: string;
  mainCause: string | null;
  otherCauses: string[];
  identifiedOn: string | null; // YYYY-MM-DD
  exitYear: number | null;
  phone: string | null;
  assistanceUnit: string | null;
  responsibleCadre: string | null;
  relocated: boolean;
}

export interface MemberInput {
  name: string;
  idNumber: string; // 18 chars, upper-case X
  relation: string;
  sex: string; // '1' | '2'
  birthDate: string; // YYYY-MM-DD
  ethnicity: string;
  education: string | null;
  studentStatus: string | null;
  health: string | null;
  disabilityGrade: string | null;
  labourAbility: string | null;
  workMonths: number | null;
  medicalInsurance: boolean | null;
  criticalIllnessInsurance: boolean | null;
  pensionInsurance: boolean | null;
  phone: string | null;
}

export interface YearInput {
  year: number;
  householdSize: number;
  status: string;
  wageIncome: number;
  productionIncome: number;
  propertyIncome: number;
  transferIncome: number;
  productionCosts: number;
  nonCountingIncome: number;
  foodSecure: boolean | null;
  clothingSecure: boolean | null;
  educationSecure: boolean | null;
  medicalSecure: boolean | null;
  housingSecure: boolean | null;
  waterSecure: boolean | null;
  dangerousHouse: boolean | null;
  waterLitresPerDay: number | null;
  waterFetchMinutes: number | null;
  electricity: boolean | null;
  roadAccess: boolean | null;
  sanitaryToilet: boolean | null;
  farmlandMu: number | null;
  forestMu: number | null;
  returnedFarmlandMu: number | null;
  pastureMu: number | null;
  note: string | null;
}

/** One household with its members and yearly records, as imported or seeded. */
export interface HouseholdBundle {
  household: HouseholdInput;
  members: MemberInput[];
  years: YearInput[];
}

export const HEAD_RELATION = '01';

/** County code of a village (the first 6 digits of its 12-digit code). */
export function countyOf(villageCode: string): string {
  return villageCode.slice(0, 6);
}
