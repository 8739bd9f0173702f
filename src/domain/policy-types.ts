// Shapes shared by policy parameters (domain/policy.ts, services/policy.ts), the evaluation of
// households and areas (domain/evaluate.ts) and the procedures (domain/workflows/). A rule never
// reads a parameter from anywhere but a `ParamLookup`, and every decision keeps the
// `ResolvedParam`s it used, so changing a parameter later never rewrites a past decision.

import { CALCULATOR_POLICY_KEYS } from './calculators/keys.js';

/** Every policy parameter the rules know. The catalogue with names, units and sources is in domain/policy.ts. */
export const POLICY_KEYS = [
  'poverty_line', // yuan per person per year, current prices, by year (domain.md §5)
  'village_exit_incidence_max_pct', // % of rural population; 2, 3 in the west (domain.md §4)
  'county_exit_incidence_max_pct', // idem for a county (摘帽)
  'wrong_exit_rate_max_pct', // 错退率 bar, 2
  'omission_rate_max_pct', // 漏评率 bar, 2
  'approval_min_pct', // 群众认可度 bar, 90
  'monitoring_income_threshold', // yuan per person per year, by year and province (防返贫 monitoring range)
  'monitoring_income_line_multiple', // the 2020 guidance: about 1.5 × the poverty line, when no threshold is set
  'identification_notice_days', // each notice of 两公示一公告, at least 7 (weak)
  'exit_notice_days', // village notice before a household exit
  'monitoring_notice_days', // village notice for a monitoring case, at least 5
  'monitoring_identification_working_days', // deadline for identifying a monitoring case, about 20 working days
  'risk_elimination_min_months', // months of income stably above the range, and since identification, at least 6
  'exit_stable_years', // project rule: consecutive yearly records above the line needed to exit ("stably")
  'income_drop_alert_pct', // monitoring rule: income drop above this % year on year
  'medical_oop_alert_yuan', // monitoring rule: medical out-of-pocket spending above this per year
  'dq_income_min_yuan', // data-quality rule (domain.md §4): per-capita net income at or below this is implausible (0)
  'dq_income_max_yuan', // data-quality rule: per-capita net income above this is implausible (100,000)
  'dq_farmland_mu_per_person_max', // data-quality rule: farmland above this many mu per person is implausible (50)
  'dq_forest_mu_per_person_max', // data-quality rule: forest land above this many mu per person is implausible (70)
  ...CALCULATOR_POLICY_KEYS, // the calculators' parameters (domain.md §7), listed in domain/calculators/keys.ts
] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

/**
 * The value of one parameter as it applies to one year and area: the most specific region wins
 * (county over province over national), then the latest year not after the one asked.
 * `value: null` means the parameter is known to exist but its value is unknown (domain.md marks
 * it so): a rule that needs it reports the missing parameter instead of guessing.
 */
export interface ResolvedParam {
  key: PolicyKey;
  value: number | null;
  /** The year the value takes effect (applies to later years until another row). */
  year: number;
  /** '' for national, a 2-digit province code or a 6-digit county code. */
  region: string;
  source: string;
}

/** Resolves one parameter for the year and area a rule evaluates; undefined when no row applies. */
export type ParamLookup = (key: PolicyKey) => ResolvedParam | undefined;

/** A reason in both languages. */
export interface Text {
  zh: string;
  en: string;
}
