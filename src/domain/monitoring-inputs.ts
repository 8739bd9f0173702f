// What the relapse-monitoring rules read and return (monitoring-rules.ts for income and department
// records, monitoring-register.ts for the register's own rules and the data-quality rules), and
// the citation of a parameter used in every reason.

import { paramOrigin, type Fact, type ParamRead } from './evaluate/common.js';
import type { PolicyKey, ResolvedParam, Text } from './policy-types.js';
import type { AssistanceKind, DepartmentKind, MonitoringRuleKey } from './monitoring-catalogue.js';

// --- inputs --------------------------------------------------------------------------------------

/** What the rules read of a yearly record (per_capita_income is written by domain/income.ts). */
export interface YearFacts {
  year: number;
  /** 脱贫标志 that year. */
  status: string;
  householdSize: number;
  perCapitaIncome: number;
  /** 住房安全 and 饮水安全 indicators, read by the same checks as the household evaluation; absent = not recorded. */
  housingSecure?: boolean | null;
  dangerousHouse?: boolean | null;
  waterSecure?: boolean | null;
  waterLitresPerDay?: number | null;
  waterFetchMinutes?: number | null;
  /** Land in mu (data-quality rule on land per person). */
  farmlandMu?: number | null;
  forestMu?: number | null;
}

export interface MemberFacts {
  id: number;
  name: string;
  /** The number as shown (the register keeps it masked for display); alerts carry it masked. */
  idNumber: string;
  /** What matches the person to department records when idNumber is masked (the keyed hash). */
  idKey?: string;
}

/** A member with the fields the member rules read (school, labour, illness cause, work months). */
export interface PersonFacts extends MemberFacts {
  /** YYYY-MM-DD. */
  birthDate: string;
  studentStatus: string | null;
  health: string | null;
  labourAbility: string | null;
  workMonths: number | null;
}

/** A civil affairs list (民政 低保 or 特困) as it bears on one household. */
export interface AssistanceListFacts {
  /** A list of this kind has been loaded for the county: at least one registered person of the county is on it. */
  covered: boolean;
  /** How many of the household's members are on it. */
  listedMembers: number;
}

/** The household's own fields, and every member: without `members` the member rules do not run. */
export interface HouseholdFacts {
  /** 贫困户属性 (code list `attribute`). */
  attribute: string;
  mainCause: string | null;
  otherCauses: readonly string[];
  /** Every member of the household (a partial list would make "no sick member" wrong). */
  members?: readonly PersonFacts[];
  assistance?: Partial<Record<AssistanceKind, AssistanceListFacts>>;
  /** Pairing with a responsible cadre (结对帮扶); absent: not judged. */
  pairing?: PairingFacts;
  /** Active cadres (帮扶干部) who are members of this household. */
  cadreMembers?: readonly CadreMemberFacts[];
}

export interface PairingFacts {
  /** The county keeps its pairings here: at least one pairing is recorded (before that, every household would be flagged). */
  covered: boolean;
  /** A pairing was in force on `asOf`. */
  paired: boolean;
  /** The day judged: the end of the year scanned, or today when that is earlier (YYYY-MM-DD). */
  asOf: string;
}

export interface CadreMemberFacts {
  cadreId: number;
  cadreName: string;
  cadreCounty: string;
  unitName: string;
  memberId: number;
  memberName: string;
  /** The full number, for matching only: alerts carry it masked. */
  idNumber: string;
}

export interface DepartmentRecordFacts {
  id: number;
  batch: number;
  kind: DepartmentKind;
  idNumber: string;
  /** Matched to MemberFacts.idKey when given (see there). */
  idKey?: string;
  name: string | null;
  detail: string | null;
  /** Whole yuan. */
  amount: number | null;
  /** YYYY-MM-DD. */
  date: string | null;
  department: string;
}

export interface HouseholdScanInput {
  /** The year scanned. */
  year: number;
  /** The yearly record of `year`, if any. */
  record?: YearFacts | null;
  /** The yearly record of `year - 1`, if any. */
  previous?: YearFacts | null;
  /** Members to match department records against (may be only the matched ones). */
  members: readonly MemberFacts[];
  /** The household's fields and full member list, for the register's member and data-quality rules. */
  household?: HouseholdFacts | null;
  /** Department records; only those whose ID number is a member's count. */
  departmentRecords?: readonly DepartmentRecordFacts[];
}

// --- outputs -------------------------------------------------------------------------------------

export type Json = Fact | Json[] | { [k: string]: Json };

export interface MonitoringAlert {
  rule: MonitoringRuleKey;
  year: number;
  facts: Record<string, Json>;
  params: ResolvedParam[];
  reason: Text;
}

export interface MissingParam {
  key: PolicyKey;
  year: number;
  /** The rules that could not run for want of it. */
  rules: MonitoringRuleKey[];
  reason: Text;
}

/** The parameters of one year and area, resolved once and shared by every household scanned. */
export interface MonitoringParams {
  year: number;
  threshold: {
    /** null when it cannot be worked out. */
    fen: number | null;
    basis: 'threshold' | 'multiple' | null;
    params: ResolvedParam[];
    /** How the value was found, naming each parameter with its value and source. */
    how: Text;
  };
  line: { fen: number | null; read: ParamRead };
  /** income_drop_alert_pct in hundredths of a percent (30 → 3000), so comparisons stay in integers. */
  dropPct: { hundredths: number | null; read: ParamRead };
  medical: { fen: number | null; read: ParamRead };
  /** The data-quality limits: income in fen, land in hundredths of a mu per person. */
  dq: {
    incomeMin: { fen: number | null; read: ParamRead };
    incomeMax: { fen: number | null; read: ParamRead };
    farmland: { hundredths: number | null; read: ParamRead };
    forest: { hundredths: number | null; read: ParamRead };
  };
  /** Every parameter a rule needed and could not use. */
  missing: MissingParam[];
}

// --- citing a parameter --------------------------------------------------------------------------

/** 'zh / en' sources are split; others are shown as they are in both languages. */
function sourceText(s: string): Text {
  const m = / ?\/ /.exec(s);
  return m ? { zh: s.slice(0, m.index), en: s.slice(m.index + m[0].length) } : { zh: s, en: s };
}

/** "poverty_line，2020 年起，全国；来源：…" — a parameter's row and its source. */
export function cite(p: ResolvedParam): Text {
  const o = paramOrigin(p);
  const s = sourceText(p.source);
  return { zh: `${o.zh}；来源：${s.zh}`, en: `${o.en}; source: ${s.en}` };
}
