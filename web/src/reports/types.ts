// Shapes of the reports' JSON (format=json), mirroring src/services/reports/*: the routes declare
// no response schema because the same route answers with the workbook.
export interface Text {
  zh: string;
  en: string;
}
export type Verdict = 'pass' | 'fail' | 'unknown';
export interface ReportArea {
  code: string;
  name: string;
  level: number;
  path: { code: string; name: string }[];
}
export interface Param {
  key: string;
  value: number | null;
  year: number;
  region: string;
  source: string;
}

export interface HouseholdReport {
  kind: 'household';
  generatedOn: string;
  revealed: boolean;
  household: {
    id: number;
    householdNo: string;
    villageCode: string;
    area: { county: string; township: string; village: string };
    groupName: string | null;
    attribute: Text | null;
    exitStatus: string;
    exitStatusLabel: Text | null;
    mainCause: Text | null;
    otherCauses: Text[];
    headName: string;
    identifiedOn: string | null;
    exitYear: number | null;
    phone: string | null;
    assistanceUnit: string | null;
    responsibleCadre: string | null;
    relocated: boolean;
  };
  members: {
    id: number;
    name: string;
    relation: Text | null;
    sex: Text | null;
    birthDate: string;
    ethnicity: Text | null;
    idNumber: string;
    phone: string | null;
    education: Text | null;
    health: Text | null;
    labourAbility: Text | null;
    workMonths: number | null;
    medicalInsurance: boolean | null;
  }[];
  years: {
    year: number;
    householdSize: number;
    statusLabel: Text | null;
    wageIncome: number;
    productionIncome: number;
    propertyIncome: number;
    transferIncome: number;
    productionCosts: number;
    nonCountingIncome: number;
    netIncome: number;
    perCapitaIncome: number;
    povertyLine: number | null;
    gap: number | null;
    atOrAboveLine: boolean | null;
    foodSecure: boolean | null;
    clothingSecure: boolean | null;
    educationSecure: boolean | null;
    medicalSecure: boolean | null;
    housingSecure: boolean | null;
    waterSecure: boolean | null;
  }[];
  assistance: {
    year: number | null;
    pairing: { cadreName: string; unitName: string; startedOn: string } | null;
    plan: { needs: Text[]; needsNote: string; targetIncome: number | null; targetYear: number | null; agreedOn: string | null; nextReviewOn: string | null; overdue: boolean } | null;
    measures: { typeName: Text; channel: Text; memberName: string | null; givenOn: string | null; quantity: number | null; unit: Text; amount: number }[];
    measuresTotal: number;
  };
}

export type SecurityFlag = 'foodSecure' | 'clothingSecure' | 'educationSecure' | 'medicalSecure' | 'housingSecure' | 'waterSecure';
export const SECURITY_FLAGS: SecurityFlag[] = ['foodSecure', 'clothingSecure', 'educationSecure', 'medicalSecure', 'housingSecure', 'waterSecure'];

export interface VillageReport {
  kind: 'village';
  generatedOn: string;
  area: ReportArea;
  year: number;
  povertyLine: Param | null;
  households: ({
    no: number;
    id: number;
    householdNo: string;
    headName: string;
    size: number;
    statusLabel: Text | null;
    mainCause: Text | null;
    perCapitaIncome: number;
    belowLine: boolean | null;
  } & Record<SecurityFlag, boolean | null>)[];
  totals: {
    households: number;
    people: number;
    poorHouseholds: number;
    poorPeople: number;
    exitedHouseholds: number;
    belowLineHouseholds: number | null;
    meanPerCapitaIncome: number | null;
    notMet: Record<SecurityFlag, number>;
  };
  population: { ruralPeople: number; ruralHouseholds: number; synthetic: boolean } | null;
  incidence: number | null;
  exit: { verdict: Verdict; reason: Text; missing: Text | null; numerator: number; denominator: number; limitPct: number | null; limitCount: number | null };
}

export interface Bar {
  key: string;
  label: Text;
  numerator: number;
  denominator: number;
  percent: number | null;
  comparison: 'at_most' | 'at_least';
  bar: Param | null;
  limitCount: number | null;
  verdict: Verdict;
  reason: Text;
}

export interface CountyExitReport {
  kind: 'county-exit';
  generatedOn: string;
  area: ReportArea;
  year: number;
  verdict: Verdict;
  reason: Text;
  missing: Text | null;
  counts: { households: number; people: number; poorHouseholds: number; poorPeople: number; ruralPeople: number | null };
  bars: Bar[];
  assessmentNote: Text | null;
  townships: { code: string; name: string; villages: number; pass: number; fail: number; unknown: number; households: number; people: number; poorHouseholds: number; poorPeople: number; ruralPeople: number | null; incidence: number | null }[];
  townshipTotals: { villages: number; pass: number; fail: number; unknown: number; households: number; people: number; poorHouseholds: number; poorPeople: number; ruralPeople: number | null; incidence: number | null };
  villages: { code: string; name: string; townshipName: string | null; households: number; people: number; poorPeople: number; ruralPeople: number | null; incidence: number | null; limitCount: number | null; verdict: Verdict; reason: Text }[];
  villageSummary: { villages: number; pass: number; fail: number; unknown: number };
}

export interface MpiGroup {
  group: string;
  label: Text;
  households: number;
  people: number;
  populationShare: number | null;
  H: number | null;
  A: number | null;
  M0: number | null;
  contribution: number | null;
  share: number | null;
}

export interface MpiReport {
  kind: 'mpi';
  generatedOn: string;
  area: ReportArea;
  year: number;
  line: Param | null;
  k: number;
  missing: Text[];
  households: number;
  people: number;
  registeredPoorPeople: number;
  excludedHouseholds: number;
  mpi: { H: number; A: number; M0: number; population: number; households: number } | null;
  indicators: { key: string; label: Text; dimension: Text; weight: number; uncensored: number; censored: number; contribution: number; share: number | null }[];
  dimensions: { key: string; label: Text; weight: number; contribution: number; share: number | null }[];
  income: { p0: number | null; gini: number | null; mean: number | null; median: number | null };
  breakdowns: { by: string; label: Text; groups: MpiGroup[] }[];
}
