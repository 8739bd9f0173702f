// Evaluation of a household for a year (issue 4, Evaluation with reasons): loads the household, its
// members and yearly records, resolves the policy parameters for its village and calls the one
// domain function (domain/evaluate.ts). For a household with a monitoring case it adds the case's
// facts (identification day, measures recorded) so the risk-elimination decision can be made.
// Read-only; the cases service calls `evaluateHouseholdTx` inside its transaction and stores the
// result with the step, so a later parameter change never rewrites it.
import type { Sql } from '../db/client.js';
import { ValidationError } from '../domain/errors.js';
import { evaluateHouseholdYear, type HouseholdEvaluation, type MonitoringCaseInput } from '../domain/evaluate.js';
import type { HouseholdInput, MemberInput, YearInput } from '../domain/register.js';
import { isDay, localDay, monitoringCaseFacts } from '../domain/workflows/index.js';
import { require, type Ctx } from './context.js';
import { memberCols, yearCols } from './households-sql.js';
import { loadHousehold, type HouseholdRow } from './households.js';
import { policyLookup, policyYearLookup } from './policy.js';
import { loadEvents } from './cases/events.js';

/** Facts of a monitoring case that the records cannot show and a person verifies (evaluate.ts MonitoringCaseInput). */
export interface VerifiedFacts {
  /** Months the income has been verified stably above the monitoring threshold; null/undefined = not verified. */
  monthsAboveThreshold?: number | null;
  /** Large rigid expenses resolved; null/undefined = not recorded. */
  rigidExpensesResolved?: boolean | null;
}

export interface EvaluateOptions extends VerifiedFacts {
  householdId: number;
  year: number;
  /** YYYY-MM-DD; default today in China time. */
  asOf?: string;
  /** Evaluate against this monitoring case (default: the household's latest open monitoring case, if any). */
  caseId?: number;
}

export interface HouseholdEvaluationView extends HouseholdEvaluation {
  householdId: number;
  /** The monitoring case whose facts were used for riskElimination, or null. */
  monitoringCaseId: number | null;
  monitoringCase: MonitoringCaseInput | null;
}

/** Today in China time (the evaluation date when none is given). */
export function chinaToday(now: Date = new Date()): string {
  return localDay(now);
}

function checkOptions(o: { year: number; asOf?: string; monthsAboveThreshold?: number | null }): void {
  const issues = [];
  if (!Number.isInteger(o.year) || o.year < 2010 || o.year > 2100) {
    issues.push({ field: 'year', value: String(o.year), zh: `年度 ${o.year} 无效，应为 2010–2100 的整数`, en: `Year ${o.year} is invalid; use a whole year 2010–2100` });
  }
  if (o.asOf !== undefined && !isDay(o.asOf)) {
    issues.push({ field: 'asOf', value: String(o.asOf), zh: `评估日期 asOf（${o.asOf}）无效，请按 YYYY-MM-DD 填写`, en: `The evaluation date asOf (${o.asOf}) is invalid; write YYYY-MM-DD` });
  }
  const m = o.monthsAboveThreshold;
  if (m !== undefined && m !== null && (!Number.isInteger(m) || m < 0 || m > 600)) {
    issues.push({ field: 'monthsAboveThreshold', value: String(m), zh: `收入稳定超过监测线的月数（${m}）应为 0–600 的整数`, en: `Months above the threshold (${m}) must be a whole number 0–600` });
  }
  if (issues.length) throw new ValidationError(issues);
}

async function monitoringCaseOf(tx: Pick<Sql, 'query'>, h: HouseholdRow, caseId: number | undefined): Promise<{ id: number; facts: { identifiedOn: string | null; measuresApplied: number } } | null> {
  const rows = await tx.query<{ id: number }>(
    caseId !== undefined
      ? `SELECT id FROM cases WHERE county_code = $1 AND household_id = $2 AND workflow = 'monitoring' AND id = $3`
      : `SELECT id FROM cases WHERE county_code = $1 AND household_id = $2 AND workflow = 'monitoring' AND NOT closed ORDER BY id DESC LIMIT 1`,
    caseId !== undefined ? [h.countyCode, h.id, caseId] : [h.countyCode, h.id],
  );
  const id = rows[0]?.id;
  if (id === undefined) {
    if (caseId !== undefined) {
      throw new ValidationError([{ field: 'caseId', value: String(caseId), zh: `案件 ${caseId} 不是该户的防返贫监测案件`, en: `Case ${caseId} is not a monitoring case of this household` }]);
    }
    return null;
  }
  return { id, facts: monitoringCaseFacts(await loadEvents(tx, h.countyCode, id)) };
}

/**
 * Evaluates a household already loaded and scope-checked, through `tx` (usable inside a transaction).
 * Throws ValidationError when the household has no yearly record for `year`.
 */
export async function evaluateHouseholdTx(tx: Pick<Sql, 'query'>, h: HouseholdRow, o: Omit<EvaluateOptions, 'householdId'>): Promise<HouseholdEvaluationView> {
  checkOptions(o);
  const asOf = o.asOf ?? chinaToday();
  const members = await tx.query<MemberInput>(`SELECT ${memberCols} FROM members WHERE county_code = $1 AND household_id = $2 ORDER BY relation, birth_date`, [h.countyCode, h.id]);
  const years = await tx.query<YearInput>(`SELECT ${yearCols} FROM household_years WHERE county_code = $1 AND household_id = $2 AND year <= $3 ORDER BY year`, [h.countyCode, h.id, o.year]);
  const year = years.find((y) => y.year === o.year);
  if (!year) {
    const [all] = await tx.query<{ years: number[] | null }>(`SELECT array_agg(year ORDER BY year) AS years FROM household_years WHERE county_code = $1 AND household_id = $2`, [h.countyCode, h.id]);
    const have = (all?.years ?? []).join('、') || '无';
    throw new ValidationError([{
      field: 'year',
      value: String(o.year),
      zh: `户编号 ${h.householdNo} 没有 ${o.year} 年的年度记录（已有：${have}）；请先录入该年度信息或选择已有年度`,
      en: `Household ${h.householdNo} has no yearly record for ${o.year} (it has: ${have === '无' ? 'none' : have}); enter that year first or choose a year it has`,
    }]);
  }
  const mc = await monitoringCaseOf(tx, h, o.caseId);
  const monitoringCase: MonitoringCaseInput | null = mc
    ? { ...mc.facts, monthsAboveThreshold: o.monthsAboveThreshold ?? null, rigidExpensesResolved: o.rigidExpensesResolved ?? null }
    : null;
  const household: HouseholdInput = { ...h };
  const lookup = await policyLookup(tx, o.year, h.villageCode);
  const forYear = await policyYearLookup(tx, h.villageCode);
  const result = evaluateHouseholdYear(
    { household, members, year, years: years.filter((y) => y.year !== o.year), asOf, ...(monitoringCase ? { monitoringCase } : {}) },
    lookup,
    forYear,
  );
  return { householdId: h.id, monitoringCaseId: mc?.id ?? null, monitoringCase, ...result };
}

/** The evaluation of one household for one year, with reasons; a household outside the actor's area is NotFound. */
export async function evaluateHousehold(ctx: Ctx, o: EvaluateOptions): Promise<HouseholdEvaluationView> {
  require(ctx, 'register.read');
  checkOptions(o);
  const h = await loadHousehold(ctx.db, ctx, o.householdId);
  return evaluateHouseholdTx(ctx.db, h, o);
}

