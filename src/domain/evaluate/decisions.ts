// Decisions built on the household checks: identification (建档立卡识别), household exit (脱贫退出)
// and risk elimination of a monitoring case (防返贫 风险消除). Each keeps the checks it relied on,
// its own extra rules, reasons in Chinese and English, and every parameter used.

import { labelOf } from '../codes.js';
import type { ParamLookup, ResolvedParam, Text } from '../policy-types.js';
import type { MemberInput, YearInput } from '../register.js';
import {
  combine,
  dedupeParams,
  fen,
  listOf,
  missingParam,
  monthsBetween,
  paramOrigin,
  paramsOf,
  parseDate,
  readParam,
  tri,
  who,
  worst,
  yearIncome,
  yuan,
  type Check,
  type CheckKey,
  type Part,
  type RuleResult,
  type Status,
  type YMD,
  type YearLookup,
} from './common.js';

export type DecisionKey = 'identification' | 'exit' | 'risk_elimination';

export interface Decision {
  key: DecisionKey;
  /** null: cannot decide (a fact or parameter is missing; the reasons say which). */
  eligible: boolean | null;
  checks: Check[];
  rules: RuleResult[];
  /** The summary first, then the reason of every check or rule that decided it. */
  reasons: Text[];
  /** Every parameter read by the checks and rules, deduplicated: store these with the decision. */
  params: ResolvedParam[];
}

/** 两不愁三保障: the checks that, with income, make the identification standard (domain.md §3). */
export const IDENTIFICATION_CHECKS: readonly CheckKey[] = ['income', 'food', 'clothing', 'education', 'medical', 'housing'];
/** Exit needs every check, drinking water included, and income stably at or above the line. */
export const EXIT_CHECKS: readonly CheckKey[] = ['income', 'food', 'clothing', 'education', 'medical', 'housing', 'water'];
/** Risk elimination needs 三保障 and drinking water secured (domain.md §6). */
export const RISK_ELIMINATION_CHECKS: readonly CheckKey[] = ['education', 'medical', 'housing', 'water'];
/** labourAbility codes meaning able to work (codes.ts): 1 普通劳动力, 2 技能劳动力. */
export const ABLE_TO_WORK: ReadonlySet<string> = new Set(['1', '2']);

function pick(checks: readonly Check[], keys: readonly CheckKey[]): Check[] {
  return keys.map((k) => {
    const c = checks.find((x) => x.key === k);
    if (!c) throw new Error(`check ${k} missing from the evaluation`);
    return c;
  });
}

function labels(items: readonly { label: Text }[]): Text {
  return listOf(items.map((i) => i.label));
}

function rule(key: string, label: Text, r: { status: Status; reason: Text }, facts: RuleResult['facts'], params: RuleResult['params'] = []): RuleResult {
  return { key, label, status: r.status, facts, params, reason: r.reason };
}

/** Eligible when every check and rule passes: fail → false, else unknown → null. */
function allMust(key: DecisionKey, title: Text, checks: Check[], rules: RuleResult[]): Decision {
  const items: RuleResult[] = [...checks, ...rules];
  const status = worst(items.map((i) => i.status));
  const deciding = items.filter((i) => i.status === status);
  const summary: Text =
    status === 'pass'
      ? { zh: `符合${title.zh}条件：${labels(items).zh}均满足`, en: `Meets the conditions for ${title.en}: ${labels(items).en} all met` }
      : status === 'fail'
        ? { zh: `不符合${title.zh}条件：${labels(deciding).zh}未满足`, en: `Does not meet the conditions for ${title.en}: ${labels(deciding).en} not met` }
        : { zh: `无法判断是否符合${title.zh}条件：${labels(deciding).zh}情况未知`, en: `Cannot decide ${title.en}: ${labels(deciding).en} unknown` };
  return {
    key,
    eligible: tri(status),
    checks,
    rules,
    reasons: [summary, ...(status === 'pass' ? [] : deciding.map((i) => i.reason))],
    params: dedupeParams(items.map((i) => i.params)),
  };
}

/**
 * 识别: eligible when per-capita net income is below the poverty line (strictly) OR any of
 * 两不愁三保障 fails. Drinking water is reported but does not by itself make a household eligible.
 */
export function identificationEligibility(allChecks: readonly Check[]): Decision {
  const checks = pick(allChecks, IDENTIFICATION_CHECKS);
  const failing = checks.filter((c) => c.status === 'fail');
  const unknown = checks.filter((c) => c.status === 'unknown');
  const water = allChecks.find((c) => c.key === 'water');
  const rule: Text = {
    zh: '识别标准：人均纯收入低于贫困线，或“两不愁三保障”任一项未保障',
    en: 'standard: per-capita net income below the poverty line, or any of food, clothing, education, medical care, housing not secured',
  };
  let eligible: boolean | null;
  let reasons: Text[];
  if (failing.length) {
    eligible = true;
    const l = labels(failing);
    reasons = [{ zh: `符合识别条件：${l.zh}未达标（${rule.zh}）`, en: `Eligible for identification: ${l.en} not met (${rule.en})` }, ...failing.map((c) => c.reason)];
  } else if (unknown.length) {
    eligible = null;
    const l = labels(unknown);
    reasons = [{ zh: `无法判断是否符合识别条件：${l.zh}情况未知（${rule.zh}）`, en: `Cannot decide identification: ${l.en} unknown (${rule.en})` }, ...unknown.map((c) => c.reason)];
  } else {
    eligible = false;
    reasons = [{ zh: `不符合识别条件：收入不低于贫困线，“两不愁三保障”均有保障（${rule.zh}）`, en: `Not eligible for identification: income is not below the line and all of 两不愁三保障 are secured (${rule.en})` }];
  }
  if (water?.status === 'fail') {
    reasons.push({ zh: `另：饮水安全未达标（不单独构成识别条件，须另行解决）：${water.reason.zh}`, en: `Also: drinking water not secured (not by itself a ground for identification; to be solved): ${water.reason.en}` });
  }
  return { key: 'identification', eligible, checks, rules: [], reasons, params: dedupeParams(checks.map((c) => c.params)) };
}

export interface ExitInput {
  checks: readonly Check[];
  /** The year evaluated. */
  year: YearInput;
  /** Earlier yearly records (the evaluated year may be among them; `year` wins). */
  years?: readonly YearInput[];
}

/**
 * "Income stably at or above the line": the per-capita net income of each of the last N yearly
 * records up to the evaluated year (N = `exit_stable_years`, consecutive calendar years) is at or
 * above that year's poverty line. A missing yearly record fails the rule; a missing line is unknown.
 * Past years' lines come from `lookupForYear`; without it they count as missing parameters.
 */
export function stableIncomeRule(input: ExitInput, lookup: ParamLookup, lookupForYear?: YearLookup): RuleResult {
  const Y = input.year.year;
  const label = { zh: '收入稳定达到贫困线', en: 'Income stably at or above the line' };
  const n = readParam(lookup, 'exit_stable_years', Y, (v) => Number.isInteger(v) && v >= 1);
  if (n.value === null) {
    return rule('stable_income', label, { status: 'unknown', reason: n.missing ?? missingParam('exit_stable_years', Y, n.param) }, { exitStableYears: null, year: Y }, paramsOf(n));
  }
  const N = n.value;
  const looked = Array.from({ length: N }, (_, i) => Y - N + 1 + i);
  const byYear = new Map<number, YearInput>();
  for (const y of input.years ?? []) byYear.set(y.year, y);
  byYear.set(Y, input.year);
  const facts: RuleResult['facts'] = { exitStableYears: N, yearsLookedAt: looked.join(',') };
  const params = paramsOf(n);
  const parts: Part[] = [];
  for (const y of looked) {
    const rec = byYear.get(y);
    if (!rec) {
      facts[`income${y}`] = null;
      parts.push({ status: 'fail', zh: `缺少 ${y} 年的年度记录`, en: `no yearly record for ${y}` });
      continue;
    }
    const inc = yearIncome(rec);
    facts[`income${y}`] = inc.value;
    const yl = y === Y ? lookup : lookupForYear?.(y);
    const line = yl ? readParam(yl, 'poverty_line', y) : { param: undefined, value: null, missing: missingParam('poverty_line', y) };
    params.push(...paramsOf(line));
    facts[`povertyLine${y}`] = line.value;
    if (inc.error) parts.push({ status: 'unknown', ...inc.error });
    else if (line.value === null) parts.push({ status: 'unknown', ...(line.missing ?? missingParam('poverty_line', y)) });
    else if (fen(inc.value) < fen(line.value)) {
      parts.push({ status: 'fail', zh: `${y} 年人均纯收入 ${yuan(inc.value)} 元低于当年贫困线 ${yuan(line.value)} 元`, en: `${y} per-capita net income ${yuan(inc.value)} yuan is below that year's line of ${yuan(line.value)} yuan` });
    } else parts.push({ status: 'pass', zh: '', en: '' });
  }
  const def = {
    zh: `“稳定”指截至 ${Y} 年连续 ${N} 个年度（${looked.join('、')}）的人均纯收入均不低于当年贫困线（参数 exit_stable_years = ${N}）`,
    en: `"stably" means the per-capita net income of each of the ${N} consecutive years up to ${Y} (${looked.join(', ')}) is at or above that year's line (parameter exit_stable_years = ${N})`,
  };
  const r = combine(parts);
  const reason: Text =
    r.status === 'pass'
      ? { zh: `收入稳定达标：${def.zh}`, en: `Income stably at or above the line: ${def.en}` }
      : { zh: `${r.status === 'fail' ? '收入未稳定达标' : '无法判断收入是否稳定达标'}：${r.reason.zh}；${def.zh}`, en: `${r.status === 'fail' ? 'Income not stably at or above the line' : 'Cannot tell whether income is stably at or above the line'}: ${r.reason.en}; ${def.en}` };
  return rule('stable_income', label, { status: r.status, reason }, facts, params);
}

/** 脱贫退出: income stably at or above the line, and every check (两不愁三保障 and drinking water) passes. */
export function exitEligibility(input: ExitInput, lookup: ParamLookup, lookupForYear?: YearLookup): Decision {
  return allMust('exit', { zh: '脱贫退出', en: 'exit' }, pick(input.checks, EXIT_CHECKS), [stableIncomeRule(input, lookup, lookupForYear)]);
}

/** Facts of a monitoring case (防返贫监测对象) needed for risk elimination. */
export interface MonitoringCaseInput {
  /** The date the monitoring case was identified, YYYY-MM-DD. */
  identifiedOn: string | null;
  /**
   * Months the income has been verified stably above the monitoring threshold (from visits or
   * department data). Taken as input, not derived: yearly records cannot show months. null = not verified.
   */
  monthsAboveThreshold: number | null;
  /** Assistance measures applied to the case (帮扶措施). */
  measuresApplied: number;
  /** Large rigid expenses (大额刚性支出) resolved; null = not recorded. */
  rigidExpensesResolved: boolean | null;
}

export interface RiskInput {
  checks: readonly Check[];
  year: YearInput;
  members: readonly MemberInput[];
  asOf: YMD;
  asOfText: string;
  monitoringCase: MonitoringCaseInput;
}

/**
 * The monitoring threshold: `monitoring_income_threshold` when set, otherwise
 * `monitoring_income_line_multiple` × `poverty_line` (rounded to the fen). Income passes at or above it.
 */
export function monitoringThresholdRule(year: YearInput, lookup: ParamLookup): RuleResult {
  const Y = year.year;
  const label = { zh: '收入达到监测线', en: 'Income at or above the monitoring threshold' };
  const t = readParam(lookup, 'monitoring_income_threshold', Y);
  const inc = yearIncome(year);
  let threshold: number | null = t.value;
  let source: string = 'monitoring_income_threshold';
  let how: Text = t.param ? paramOrigin(t.param) : { zh: 'monitoring_income_threshold', en: 'monitoring_income_threshold' };
  const params = paramsOf(t);
  const facts: RuleResult['facts'] = { year: Y, perCapitaNetIncome: inc.value };
  if (threshold === null) {
    const mult = readParam(lookup, 'monitoring_income_line_multiple', Y, (v) => v > 0);
    const line = readParam(lookup, 'poverty_line', Y);
    params.push(...paramsOf(mult, line));
    facts.monitoringIncomeLineMultiple = mult.value;
    facts.povertyLine = line.value;
    source = 'monitoring_income_line_multiple × poverty_line';
    if (mult.value !== null && line.value !== null) {
      threshold = Math.round(Number((mult.value * fen(line.value)).toPrecision(15))) / 100;
      how = {
        zh: `未设置 monitoring_income_threshold，按 monitoring_income_line_multiple ${mult.value} × 贫困线 ${yuan(line.value)} 元计算`,
        en: `monitoring_income_threshold not set; computed as monitoring_income_line_multiple ${mult.value} × poverty line ${yuan(line.value)} yuan`,
      };
    } else {
      const missing = [t.missing, mult.missing, line.missing].filter((m): m is Text => m !== null);
      facts.monitoringThreshold = null;
      facts.thresholdSource = null;
      return rule('monitoring_threshold', label, { status: 'unknown', reason: { zh: `无法确定监测线：${missing.map((m) => m.zh).join('；')}`, en: `The monitoring threshold cannot be set: ${missing.map((m) => m.en).join('; ')}` } }, facts, params);
    }
  }
  facts.monitoringThreshold = threshold;
  facts.thresholdSource = source;
  if (inc.error) return rule('monitoring_threshold', label, { status: 'unknown', reason: inc.error }, facts, params);
  const passes = fen(inc.value) >= fen(threshold);
  const reason: Text = {
    zh: `${Y} 年人均纯收入 ${yuan(inc.value)} 元，${passes ? '不低于' : '低于'}监测线 ${yuan(threshold)} 元（${how.zh}）；规则：收入 < 监测线仍在监测范围内，≥ 监测线为超出`,
    en: `${Y} per-capita net income ${yuan(inc.value)} yuan is ${passes ? 'not below' : 'below'} the monitoring threshold of ${yuan(threshold)} yuan (${how.en}); rule: income < threshold stays in the monitoring range, ≥ is above it`,
  };
  return rule('monitoring_threshold', label, { status: passes ? 'pass' : 'fail', reason }, facts, params);
}

/** 风险消除: the monitoring threshold, both month rules, a measure applied, rigid expenses resolved, 三保障 and water, and labour ability. */
export function riskElimination(input: RiskInput, lookup: ParamLookup): Decision {
  const Y = input.year.year;
  const c = input.monitoringCase;
  const rules: RuleResult[] = [monitoringThresholdRule(input.year, lookup)];
  const min = readParam(lookup, 'risk_elimination_min_months', Y, (v) => Number.isInteger(v) && v >= 0);
  const minParams = paramsOf(min);

  // At least M months since the case was identified.
  const since = { zh: '识别后满规定月数', en: 'Minimum months since identification' };
  const idOn = parseDate(c.identifiedOn);
  const months = idOn ? monthsBetween(idOn, input.asOf) : null;
  const sinceFacts = { identifiedOn: c.identifiedOn, asOf: input.asOfText, monthsSinceIdentification: months, minMonths: min.value };
  if (min.value === null) rules.push(rule('months_since_identification', since, { status: 'unknown', reason: min.missing ?? missingParam('risk_elimination_min_months', Y) }, sinceFacts, minParams));
  else if (months === null) {
    rules.push(rule('months_since_identification', since, { status: 'unknown', reason: { zh: `监测对象识别日期${c.identifiedOn ? `无效（${c.identifiedOn}）` : '未登记'}，无法计算识别后月数`, en: `The case's identification date is ${c.identifiedOn ? `invalid (${c.identifiedOn})` : 'not recorded'}; months since identification cannot be counted` } }, sinceFacts, minParams));
  } else {
    const ok = months >= min.value;
    rules.push(rule('months_since_identification', since, {
      status: ok ? 'pass' : 'fail',
      reason: {
        zh: `自 ${c.identifiedOn} 识别至 ${input.asOfText} 满 ${months} 个月，${ok ? '已达到' : '未达到'}至少 ${min.value} 个月（risk_elimination_min_months）`,
        en: `${months} full months from identification on ${c.identifiedOn} to ${input.asOfText}: ${ok ? 'meets' : 'short of'} the minimum of ${min.value} (risk_elimination_min_months)`,
      },
    }, sinceFacts, minParams));
  }

  // Income stably above the threshold for at least M months (verified months, an input).
  const stable = { zh: '收入稳定超过监测线满规定月数', en: 'Income stably above the threshold for the minimum months' };
  const m = c.monthsAboveThreshold;
  const stableFacts = { monthsAboveThreshold: m, minMonths: min.value };
  if (min.value === null) rules.push(rule('months_above_threshold', stable, { status: 'unknown', reason: min.missing ?? missingParam('risk_elimination_min_months', Y) }, stableFacts, minParams));
  else if (m === null || !Number.isFinite(m) || m < 0) {
    rules.push(rule('months_above_threshold', stable, { status: 'unknown', reason: { zh: '未核实收入稳定超过监测线的月数（monthsAboveThreshold 为空），请入户核实后填写', en: 'The months of income stably above the threshold are not verified (monthsAboveThreshold is empty); verify at a home visit and enter them' } }, stableFacts, minParams));
  } else {
    const ok = m >= min.value;
    rules.push(rule('months_above_threshold', stable, {
      status: ok ? 'pass' : 'fail',
      reason: {
        zh: `收入稳定超过监测线 ${m} 个月，${ok ? '已达到' : '未达到'}至少 ${min.value} 个月（risk_elimination_min_months）`,
        en: `income stably above the threshold for ${m} months: ${ok ? 'meets' : 'short of'} the minimum of ${min.value} (risk_elimination_min_months)`,
      },
    }, stableFacts, minParams));
  }

  const measures = c.measuresApplied;
  rules.push(rule('measures_applied', { zh: '已落实帮扶措施', en: 'Assistance measure applied' },
    measures >= 1
      ? { status: 'pass', reason: { zh: `已落实 ${measures} 项帮扶措施（至少 1 项）`, en: `${measures} assistance measures applied (at least 1 needed)` } }
      : { status: 'fail', reason: { zh: '尚未落实任何帮扶措施（至少需要 1 项）', en: 'no assistance measure applied yet (at least 1 needed)' } },
    { measuresApplied: measures }));

  const rigid = c.rigidExpensesResolved;
  rules.push(rule('rigid_expenses_resolved', { zh: '大额刚性支出已解决', en: 'Rigid expenses resolved' },
    rigid === true
      ? { status: 'pass', reason: { zh: '大额刚性支出问题已解决', en: 'large rigid expenses are resolved' } }
      : rigid === false
        ? { status: 'fail', reason: { zh: '大额刚性支出问题尚未解决', en: 'large rigid expenses are not resolved' } }
        : { status: 'unknown', reason: { zh: '未登记大额刚性支出是否已解决', en: 'whether large rigid expenses are resolved is not recorded' } },
    { rigidExpensesResolved: rigid }));

  rules.push(labourRule(input.members));
  return allMust('risk_elimination', { zh: '风险消除', en: 'risk elimination' }, pick(input.checks, RISK_ELIMINATION_CHECKS), rules);
}

/** Households with no member able to work (labourAbility 1 or 2) stay marked as monitored. */
export function labourRule(members: readonly MemberInput[]): RuleResult {
  const label = { zh: '有劳动能力成员', en: 'A member able to work' };
  const able = members.filter((m) => m.labourAbility !== null && ABLE_TO_WORK.has(m.labourAbility));
  const unknown = members.filter((m) => m.labourAbility === null);
  const facts = { members: members.length, membersAbleToWork: able.length, membersLabourUnknown: unknown.length };
  if (able.length) {
    const l = listOf(able.map((m) => ({ zh: `${who(m).zh}${labelOf('labourAbility', m.labourAbility ?? '')}`, en: `${who(m).en} ${labelOf('labourAbility', m.labourAbility ?? '', 'en').toLowerCase()}` })));
    return rule('labour_ability', label, { status: 'pass', reason: { zh: `有劳动能力成员：${l.zh}`, en: `members able to work: ${l.en}` } }, facts);
  }
  if (unknown.length || members.length === 0) {
    const l = listOf(unknown.map(who));
    return rule('labour_ability', label, { status: 'unknown', reason: members.length === 0 ? { zh: '无成员信息，无法判断劳动能力', en: 'no members recorded; labour ability cannot be told' } : { zh: `无已登记的有劳动能力成员，且${l.zh}的劳动能力未登记`, en: `no member recorded as able to work, and labour ability is not recorded for ${l.en}` } }, facts);
  }
  return rule('labour_ability', label, {
    status: 'fail',
    reason: { zh: '家中无劳动能力成员（均为丧失劳动力或无劳动力），按规定保持监测标记，不予风险消除', en: 'no member is able to work (all lost or without labour ability); such households stay marked and their risk is not eliminated' },
  }, facts);
}

