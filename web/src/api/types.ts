// Shapes of the API's answers that the generated schema does not describe yet (routes without a
// response schema). They mirror the server's views in src/services/*; the overview's comes from
// the generated schema itself.
import type { paths } from './schema';

export type Action =
  | 'supervision.read'
  | 'register.read'
  | 'register.write'
  | 'register.import'
  | 'register.export'
  | 'aggregates.read'
  | 'areas.write'
  | 'users.manage'
  | 'policy.write'
  | 'monitor.scan'
  | 'alerts.handle'
  | 'assistance.manage'
  | 'assistance.write'
  | 'projects.write'
  | 'assessment.manage'
  | 'assessment.survey'
  | 'assessment.read'
  | 'audit.verify';

export interface Msg {
  zh: string;
  en: string;
}

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: string;
  roleLabel: Msg;
  areaCode: string;
  areaName: string | null;
  disabled: boolean;
}

export interface Me {
  user: UserView;
  actions: Action[];
}

export interface CodeItem extends Msg {
  code: string;
}
export interface CodeList extends Msg {
  key: string;
  items: CodeItem[];
}
export interface Codes {
  codeLists: Record<string, CodeList>;
  roles: Record<string, Msg>;
}

export interface AreaView {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
  isWestern: boolean;
  childCount: number;
  parentName?: string | null;
}
export interface AreaDetail extends AreaView {
  path: { code: string; name: string }[];
}

export interface HouseholdListItem {
  id: number;
  householdNo: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  headName: string;
  headIdNumber: string;
  size: number;
  attribute: string;
  exitStatus: string;
  mainCause: string | null;
  identifiedOn: string | null;
  exitYear: number | null;
  perCapitaIncome: number | null;
  version: number;
}
export interface HouseholdPage {
  items: HouseholdListItem[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Member {
  id: number;
  householdId: number;
  name: string;
  idNumber: string;
  relation: string;
  sex: string;
  birthDate: string;
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

export interface YearRecord {
  year: number;
  householdSize: number;
  status: string;
  wageIncome: number;
  productionIncome: number;
  propertyIncome: number;
  transferIncome: number;
  productionCosts: number;
  nonCountingIncome: number;
  perCapitaIncome: number;
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
  version: number;
}

export interface HouseholdFile {
  id: number;
  countyCode: string;
  householdNo: string;
  villageCode: string;
  groupName: string | null;
  attribute: string;
  exitStatus: string;
  mainCause: string | null;
  otherCauses: string[];
  headName: string;
  identifiedOn: string | null;
  exitYear: number | null;
  phone: string | null;
  assistanceUnit: string | null;
  responsibleCadre: string | null;
  relocated: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  members: Member[];
  years: YearRecord[];
  area: { village: string; township: string; county: string };
}

export interface HistoryEntry {
  id: number;
  at: string;
  actorName: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
}

export interface ImportIssue extends Msg {
  field: string;
  row?: number;
  column?: string;
  value?: string;
}
export interface ImportResult {
  status: 'validated' | 'imported' | 'rejected';
  rows: number;
  households: { created: number; updated: number; unchanged: number };
  members: { created: number; updated: number; deleted: number };
  years: { upserted: number };
  issues: ImportIssue[];
  encoding?: string;
  importId: number;
}

export type Overview = paths['/api/v1/overview']['get']['responses'][200]['content']['application/json'];
export type Figures = Overview['totals'];
