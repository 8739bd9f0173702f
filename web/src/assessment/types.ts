// Shapes of the evaluation (第三方评估, issue 8) API's answers, mirroring the service types in
// src/services/assessment/*.ts: the routes declare no response schema.
export interface Text {
  zh: string;
  en: string;
}
export type Verdict = 'pass' | 'fail' | 'unknown';
export type PlanStatus = 'draft' | 'drawn' | 'closed' | 'superseded';
export type HouseholdStratum = 'exited' | 'remaining' | 'nonRegistered';
export type VillageKind = 'poor' | 'nonPoor';
export const STRATA: readonly HouseholdStratum[] = ['exited', 'remaining', 'nonRegistered'];

export interface PlanSizes {
  villages: Record<VillageKind, number>;
  villageOverrides: Record<string, number>;
  households: Record<HouseholdStratum, number>;
}

export interface PlanMember {
  userId: number;
  username: string;
  displayName: string;
  role: string;
  roleLabel: Text;
  memberRole: 'lead' | 'evaluator';
}

export interface PlanView {
  id: number;
  countyCode: string;
  countyName: string;
  year: number;
  name: string;
  seed: string;
  algorithm: string;
  status: PlanStatus;
  statusLabel: Text;
  sizes: PlanSizes;
  poorVillages: string[] | null;
  replacesPlanId: number | null;
  replacedByPlanId: number | null;
  frameDigest: string | null;
  createdBy: string;
  createdAt: string;
  drawnAt: string | null;
  drawnBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  version: number;
  villages: number;
  samples: number;
  surveys: number;
  members: PlanMember[];
}

export interface FrameSummary {
  digest: string;
  poorRule: Text;
  missingPopulation: string[];
  villageStrata: { stratum: string; populationSize: number; requestedSize: number; sampleSize: number; capped: boolean }[];
  cappedHouseholdStrata: { village: string; stratum: string; populationSize: number; requestedSize: number }[];
  villages: number;
  registerHouseholds: number;
}

export interface SampleHousehold {
  sampleId: number;
  stratum: HouseholdStratum;
  stratumLabel: Text;
  drawOrder: number;
  householdId: number | null;
  householdNo: string | null;
  headName: string | null;
  groupName: string | null;
  registerSize: number | null;
  rosterNo: number | null;
  populationSize: number;
  sampleSize: number;
  weight: { num: number; den: number; value: number };
  outcome: 'completed' | 'not_reached' | null;
  surveyVersion: number | null;
  discrepancies: number;
}

export interface SampleVillage {
  code: string;
  name: string;
  townshipCode: string;
  townshipName: string;
  stratum: string;
  kind: VillageKind;
  kindLabel: Text;
  drawOrder: number;
  populationSize: number;
  sampleSize: number;
  households: SampleHousehold[];
}

export interface PlanSample {
  planId: number;
  countyCode: string;
  year: number;
  status: string;
  villages: SampleVillage[];
  totals: { villages: number; households: number; surveyed: number; notReached: number; pending: number };
}

export interface SurveyAnswers {
  outcome: 'completed' | 'not_reached';
  surveyedOn: string;
  headName: string | null;
  householdSize: number | null;
  perCapitaIncome: number | null;
  foodSecure: boolean | null;
  clothingSecure: boolean | null;
  educationSecure: boolean | null;
  medicalSecure: boolean | null;
  housingSecure: boolean | null;
  waterSecure: boolean | null;
  exitCorrect: boolean | null;
  stillPoor: boolean | null;
  omitted: boolean | null;
  approves: boolean | null;
  note: string | null;
}

export interface Discrepancy {
  field: keyof SurveyAnswers;
  registerValue: string | null;
  surveyValue: string | null;
  reason: Text;
}

export interface SurveyView extends SurveyAnswers {
  sampleId: number;
  stratum: HouseholdStratum;
  source: 'form' | 'import';
  enteredBy: string;
  updatedAt: string;
  version: number;
  discrepancies: Discrepancy[];
}
/** GET …/surveys/:sampleId before any questionnaire is saved. */
export type SurveyAnswer = SurveyView | { sampleId: number; outcome: null };

export const SECURITY_FLAGS = ['foodSecure', 'clothingSecure', 'educationSecure', 'medicalSecure', 'housingSecure', 'waterSecure'] as const;
export const STRATUM_QUESTION = { exited: 'exitCorrect', remaining: 'stillPoor', nonRegistered: 'omitted' } as const satisfies Record<HouseholdStratum, keyof SurveyAnswers>;

export interface DiscrepancyRow {
  sampleId: number;
  villageCode: string;
  villageName: string;
  stratum: HouseholdStratum;
  householdId: number | null;
  householdNo: string | null;
  headName: string | null;
  field: string;
  registerValue: string | null;
  surveyValue: string | null;
}

export interface SurveyImportResult {
  rows: number;
  saved: number;
  created: number;
  updated: number;
  unchanged: number;
}

export type RateKey = 'wrong_exit_rate' | 'omission_rate' | 'approval' | 'combined_incidence';

export interface ProportionEstimate {
  method: 'wilson' | 'wilson-fpc' | 'ratio-linearised';
  numerator: number;
  denominator: number;
  estimate: number;
  lower: number;
  upper: number;
  confidence: 0.95;
  standardError: number;
  population: number | null;
  fpc: number | null;
  design: { sampleNumerator: number; sampleDenominator: number; units: number; psus: number; strata: number; singlePsuStrata: string[] } | null;
  exact: { numerator: string; denominator: string } | null;
}

export interface BarVerdict {
  comparison: 'at_most' | 'at_least';
  barPct: number;
  pass: boolean;
  exact: boolean;
  intervalAgrees: boolean;
  limitCount: number | null;
  reason: Text;
}

export interface RateResult {
  key: RateKey;
  label: Text;
  param: string;
  estimate: ProportionEstimate;
  verdict: BarVerdict;
}

export interface RateOutcome {
  key: RateKey;
  label: Text;
  param: string;
  barPct: number | null;
  verdict: Verdict;
  reason: Text;
  result: RateResult | null;
}

export interface StratumCounts {
  stratum: HouseholdStratum;
  sampled: number;
  completed: number;
  notReached: number;
  pending: number;
}

export interface PlanResults {
  planId: number;
  countyCode: string;
  year: number;
  status: string;
  computedAt: string;
  frozen: boolean;
  counts: StratumCounts[];
  rates: RateOutcome[];
  verdict: Verdict;
  reason: Text;
  method: Text;
}

export interface FindingView {
  planId: number;
  sampleId: number;
  kind: 'wrong_exit' | 'omission';
  kindLabel: Text;
  villageCode: string;
  villageName: string;
  stratum: HouseholdStratum;
  stratumLabel: Text;
  householdId: number | null;
  householdNo: string | null;
  headName: string | null;
  rosterNo: number | null;
  caseId: number | null;
  status: 'open' | 'case_opened';
}

export const STATUS_COLOR: Record<PlanStatus, string> = { draft: 'default', drawn: 'processing', closed: 'success', superseded: 'warning' };
export const VERDICT_COLOR: Record<Verdict, string> = { pass: 'success', fail: 'error', unknown: 'default' };
