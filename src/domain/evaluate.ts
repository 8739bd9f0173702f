// Evaluation with reasons (issue 4): one function evaluates a household for a year — income against
// the poverty line, 不愁吃, 不愁穿, 义务教育, 基本医疗, 住房安全, 饮水安全 — and decides identification,
// exit and (for a monitoring case) risk elimination on the same checks. Village and county exit and
// the county assessment are decided on exact counts. Pure: parameters come only from a ParamLookup,
// and every result lists the ResolvedParams it used so a stored decision never changes afterwards.
//
// The parts live in ./evaluate/: common.ts (shapes, helpers), checks.ts, decisions.ts, area.ts.

import type { ParamLookup, ResolvedParam } from './policy-types.js';
import type { HouseholdInput, MemberInput, YearInput } from './register.js';
import { dedupeParams, requireDate, type Check, type YearLookup } from './evaluate/common.js';
import { householdChecks } from './evaluate/checks.js';
import { exitEligibility, identificationEligibility, riskElimination, type Decision, type MonitoringCaseInput } from './evaluate/decisions.js';

export * from './evaluate/common.js';
export * from './evaluate/checks.js';
export * from './evaluate/decisions.js';
export * from './evaluate/area.js';

export interface HouseholdYearInput {
  household: HouseholdInput;
  members: readonly MemberInput[];
  /** The yearly record evaluated. */
  year: YearInput;
  /** Earlier yearly records, for the exit rule ("income stably at or above the line"). */
  years?: readonly YearInput[];
  /** The evaluation date, YYYY-MM-DD: ages (compulsory-school age) and months since identification are counted to it. */
  asOf: string;
  /** Set when the household is a monitoring case (防返贫) to decide risk elimination. */
  monitoringCase?: MonitoringCaseInput;
}

export interface HouseholdEvaluation {
  householdNo: string;
  year: number;
  asOf: string;
  /** From domain/income.ts; null when it cannot be computed (the income check says why). */
  perCapitaNetIncome: number | null;
  /** The seven checks in CHECK_KEYS order. */
  checks: Check[];
  identification: Decision;
  exit: Decision;
  /** null unless `monitoringCase` was given. */
  riskElimination: Decision | null;
  /** Every parameter used by any of the above, deduplicated. */
  params: ResolvedParam[];
}

/**
 * Evaluates a household for one year. `lookup` resolves parameters for `input.year.year` and the
 * household's area; `lookupForYear` does the same for earlier years (the exit rule compares each
 * past year with that year's poverty line; without it those lines are reported missing).
 * Throws ValidationError when `asOf` is not a valid date.
 */
export function evaluateHouseholdYear(input: HouseholdYearInput, lookup: ParamLookup, lookupForYear?: YearLookup): HouseholdEvaluation {
  const asOf = requireDate(input.asOf, 'asOf');
  const checks = householdChecks(input.year, input.members, asOf, input.asOf, lookup);
  const identification = identificationEligibility(checks);
  const exit = exitEligibility({ checks, year: input.year, years: input.years ?? [] }, lookup, lookupForYear);
  const risk = input.monitoringCase
    ? riskElimination({ checks, year: input.year, members: input.members, asOf, asOfText: input.asOf, monitoringCase: input.monitoringCase }, lookup)
    : null;
  const income = checks[0]?.facts.perCapitaNetIncome;
  return {
    householdNo: input.household.householdNo,
    year: input.year.year,
    asOf: input.asOf,
    perCapitaNetIncome: typeof income === 'number' ? income : null,
    checks,
    identification,
    exit,
    riskElimination: risk,
    params: dedupeParams([...checks.map((c) => c.params), identification.params, exit.params, risk?.params ?? []]),
  };
}
