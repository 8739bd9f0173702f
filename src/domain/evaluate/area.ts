// Village and county exit (贫困发生率) and the county assessment bars (错退率, 漏评率, 群众认可度),
// decided on exact counts. domain.md §4 "Boundaries": 以上/以下 are inclusive, so exactly 3.00%
// incidence, 2.00% error rate or 90.00% approval passes; the comparison is done on integers, never
// on a rounded or floating-point percentage.

import { ValidationError, type FieldIssue } from '../errors.js';
import type { ParamLookup, PolicyKey, ResolvedParam, Text } from '../policy-types.js';
import { count, dedupeParams, missingParam, paramOrigin, worst, type Status } from './common.js';

/**
 * Percent parameters may have decimals (2.5); they are scaled to integers by this factor, so up to
 * 4 decimals are exact (a fifth decimal is rounded away).
 */
export const PERCENT_SCALE = 10_000;

export type BarKey = 'incidence' | 'wrong_exit_rate' | 'omission_rate' | 'approval';

export interface AreaBar {
  key: BarKey;
  label: Text;
  numerator: number;
  denominator: number;
  /** For display only: numerator / denominator in %, rounded half up to 2 decimals; null when the denominator is 0. */
  percent: number | null;
  /** at_most: pass when the rate ≤ the bar; at_least: pass when the rate ≥ the bar. Both inclusive. */
  comparison: 'at_most' | 'at_least';
  /** The parameter used; null when none applies. */
  bar: ResolvedParam | null;
  /** The largest numerator allowed (at_most) or the smallest needed (at_least) at this denominator. */
  limitCount: number | null;
  verdict: Status;
  reason: Text;
}

export interface AreaEvaluation {
  /** Every bar blocks on its own: any fail → fail, else any unknown → unknown. */
  verdict: Status;
  bars: AreaBar[];
  reason: Text;
  params: ResolvedParam[];
}

interface BarSpec {
  key: BarKey;
  param: PolicyKey;
  comparison: 'at_most' | 'at_least';
  label: Text;
  num: Text;
  den: Text;
  unit: Text;
}

const INCIDENCE = {
  key: 'incidence',
  comparison: 'at_most',
  label: { zh: '贫困发生率', en: 'Poverty incidence' },
  num: { zh: '贫困人口', en: 'poor people' },
  den: { zh: '农村人口', en: 'rural population' },
  unit: { zh: '人', en: 'people' },
} as const;

const SPECS = {
  village: { ...INCIDENCE, param: 'village_exit_incidence_max_pct' },
  county: { ...INCIDENCE, param: 'county_exit_incidence_max_pct' },
  wrong: {
    key: 'wrong_exit_rate',
    param: 'wrong_exit_rate_max_pct',
    comparison: 'at_most',
    label: { zh: '错退率', en: 'Wrong-exit rate' },
    num: { zh: '错退人数', en: 'wrongly exited' },
    den: { zh: '抽查已脱贫人数', en: 'sampled exited people' },
    unit: { zh: '人', en: 'people' },
  },
  omission: {
    key: 'omission_rate',
    param: 'omission_rate_max_pct',
    comparison: 'at_most',
    label: { zh: '漏评率', en: 'Omission rate' },
    num: { zh: '漏评人数', en: 'omitted' },
    den: { zh: '抽查未建档立卡农村人口', en: 'sampled non-registered rural people' },
    unit: { zh: '人', en: 'people' },
  },
  approval: {
    key: 'approval',
    param: 'approval_min_pct',
    comparison: 'at_least',
    label: { zh: '群众认可度', en: 'Public approval' },
    num: { zh: '认可户数', en: 'approving households' },
    den: { zh: '受访户数', en: 'surveyed households' },
    unit: { zh: '户', en: 'households' },
  },
} as const satisfies Record<string, BarSpec>;

/** Counts are whole numbers ≥ 0 and a part is never larger than its whole: otherwise a ValidationError naming the fields. */
function checkCounts(pairs: readonly [numField: string, numerator: number, denField: string, denominator: number][]): void {
  const issues: FieldIssue[] = [];
  const isCount = (v: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  for (const [nf, n, df, d] of pairs) {
    for (const [f, v] of [[nf, n], [df, d]] as const) {
      if (!isCount(v)) issues.push({ field: f, value: String(v), zh: `${f} 必须是非负整数，收到 ${String(v)}`, en: `${f} must be a whole number ≥ 0, got ${String(v)}` });
    }
    if (isCount(n) && isCount(d) && n > d) {
      issues.push({ field: nf, value: String(n), zh: `${nf}（${n}）大于 ${df}（${d}），请核对人数`, en: `${nf} (${n}) exceeds ${df} (${d}); check the counts` });
    }
  }
  if (issues.length) throw new ValidationError(issues);
}

/** Percent rounded half up to 2 decimals, exact (BigInt). */
function displayPercent(n: number, d: number): number | null {
  if (d === 0) return null;
  const hundredths = (BigInt(n) * 20000n + BigInt(d)) / (2n * BigInt(d));
  return Number(hundredths) / 100;
}

function pct(v: number | null): string {
  return v === null ? '—' : `${v.toFixed(2)}%`;
}

/** Evaluates one bar: numerator/denominator against the parameter, on integers. */
function evaluateBar(spec: BarSpec, numerator: number, denominator: number, lookup: ParamLookup, year?: number): AreaBar {
  const found = lookup(spec.param);
  const param = found ? { ...found } : null; // a copy: the evaluation keeps the value it used
  const base = { key: spec.key, label: spec.label, numerator, denominator, percent: displayPercent(numerator, denominator), comparison: spec.comparison, bar: param };
  const counts = {
    zh: `${spec.num.zh} ${count(numerator)} / ${spec.den.zh} ${count(denominator)}`,
    en: `${count(numerator)} ${spec.num.en} / ${count(denominator)} ${spec.den.en}`,
  };
  const v = param?.value;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) {
    const m = missingParam(spec.param, year, param ?? undefined);
    return { ...base, limitCount: null, verdict: 'unknown', reason: { zh: `${spec.label.zh}（${counts.zh}）：${m.zh}`, en: `${spec.label.en} (${counts.en}): ${m.en}` } };
  }
  if (denominator === 0) {
    return {
      ...base,
      limitCount: null,
      verdict: 'unknown',
      reason: { zh: `${spec.label.zh}无法计算：${spec.den.zh}为 0，请先录入${spec.den.zh}`, en: `${spec.label.en} cannot be computed: the ${spec.den.en} count is 0; enter it first` },
    };
  }
  const S = BigInt(PERCENT_SCALE);
  const barScaled = BigInt(Math.round(Number((v * PERCENT_SCALE).toPrecision(15))));
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  // rate ≤ bar  ⇔  n/d·100 ≤ barScaled/S  ⇔  n·100·S ≤ barScaled·d   (and ≥ likewise), all integers.
  const lhs = n * 100n * S;
  const rhs = barScaled * d;
  const atMost = spec.comparison === 'at_most';
  const passes = atMost ? lhs <= rhs : lhs >= rhs;
  const limit = atMost ? rhs / (100n * S) : (rhs + 100n * S - 1n) / (100n * S);
  const limitCount = Number(limit);
  const origin = paramOrigin(param!);
  const barText = `${v}%`;
  const head = {
    zh: `${spec.label.zh} ${pct(base.percent)}（${counts.zh}）`,
    en: `${spec.label.en} ${pct(base.percent)} (${counts.en})`,
  };
  let reason: Text;
  if (atMost) {
    const over = n - limit;
    reason = passes
      ? { zh: `${head.zh}，不高于上限 ${barText}（含等于，${origin.zh}）：至多允许 ${count(limit)} ${spec.unit.zh}，达标`, en: `${head.en} is not above the maximum of ${barText} (inclusive, ${origin.en}): at most ${count(limit)} ${spec.unit.en} allowed; passes` }
      : { zh: `${head.zh}，高于上限 ${barText}（${origin.zh}）：至多允许 ${count(limit)} ${spec.unit.zh}，实际 ${count(n)} ${spec.unit.zh}，超出 ${count(over)} ${spec.unit.zh}，不达标`, en: `${head.en} is above the maximum of ${barText} (${origin.en}): at most ${count(limit)} ${spec.unit.en} allowed, ${count(n)} counted, ${count(over)} too many; fails` };
  } else {
    const short = limit - n;
    reason = passes
      ? { zh: `${head.zh}，不低于下限 ${barText}（含等于，${origin.zh}）：至少需要 ${count(limit)} ${spec.unit.zh}，达标`, en: `${head.en} is not below the minimum of ${barText} (inclusive, ${origin.en}): at least ${count(limit)} ${spec.unit.en} needed; passes` }
      : { zh: `${head.zh}，低于下限 ${barText}（${origin.zh}）：至少需要 ${count(limit)} ${spec.unit.zh}，实际 ${count(n)} ${spec.unit.zh}，差 ${count(short)} ${spec.unit.zh}，不达标`, en: `${head.en} is below the minimum of ${barText} (${origin.en}): at least ${count(limit)} ${spec.unit.en} needed, ${count(n)} counted, ${count(short)} short; fails` };
  }
  return { ...base, limitCount, verdict: passes ? 'pass' : 'fail', reason };
}

function overall(title: Text, bars: AreaBar[]): AreaEvaluation {
  const verdict = worst(bars.map((b) => b.verdict));
  const deciding = bars.filter((b) => b.verdict === verdict);
  const names = { zh: deciding.map((b) => b.label.zh).join('、'), en: deciding.map((b) => b.label.en).join(', ') };
  const reason: Text =
    verdict === 'pass'
      ? { zh: `${title.zh}：各项指标均达标`, en: `${title.en}: every bar passes` }
      : verdict === 'fail'
        ? { zh: `${title.zh}：未通过，${names.zh}不达标（每项单独否决）`, en: `${title.en}: fails on ${names.en} (each bar blocks on its own)` }
        : { zh: `${title.zh}：无法判断，${names.zh}无法计算`, en: `${title.en}: cannot decide, ${names.en} cannot be evaluated` };
  return { verdict, bars, reason, params: dedupeParams(bars.map((b) => (b.bar ? [b.bar] : []))) };
}

export interface IncidenceInput {
  poorPeople: number;
  ruralPeople: number;
  /** The year evaluated, for messages only (the lookup is already bound to it). */
  year?: number;
}

/** 贫困村出列: incidence at or below `village_exit_incidence_max_pct` (2%, 3% in the west). */
export function villageExit(input: IncidenceInput, lookup: ParamLookup): AreaEvaluation {
  checkCounts([['poorPeople', input.poorPeople, 'ruralPeople', input.ruralPeople]]);
  return overall({ zh: '贫困村出列', en: 'Village exit' }, [evaluateBar(SPECS.village, input.poorPeople, input.ruralPeople, lookup, input.year)]);
}

/** 贫困县摘帽 (incidence only): at or below `county_exit_incidence_max_pct`. */
export function countyExit(input: IncidenceInput, lookup: ParamLookup): AreaEvaluation {
  checkCounts([['poorPeople', input.poorPeople, 'ruralPeople', input.ruralPeople]]);
  return overall({ zh: '贫困县摘帽', en: 'County exit' }, [evaluateBar(SPECS.county, input.poorPeople, input.ruralPeople, lookup, input.year)]);
}

export interface CountyAssessmentInput {
  wrongExits: { wrong: number; sampledExited: number };
  omissions: { omitted: number; sampledNonRegistered: number };
  approval: { approving: number; surveyed: number };
  incidence: { poor: number; rural: number };
  year?: number;
}

/** 贫困县退出专项评估检查: incidence, 错退率 ≤ bar, 漏评率 ≤ bar, 群众认可度 ≥ bar; each blocks on its own. */
export function countyAssessment(input: CountyAssessmentInput, lookup: ParamLookup): AreaEvaluation {
  checkCounts([
    ['incidence.poor', input.incidence.poor, 'incidence.rural', input.incidence.rural],
    ['wrongExits.wrong', input.wrongExits.wrong, 'wrongExits.sampledExited', input.wrongExits.sampledExited],
    ['omissions.omitted', input.omissions.omitted, 'omissions.sampledNonRegistered', input.omissions.sampledNonRegistered],
    ['approval.approving', input.approval.approving, 'approval.surveyed', input.approval.surveyed],
  ]);
  return overall({ zh: '贫困县退出评估', en: 'County exit assessment' }, [
    evaluateBar(SPECS.county, input.incidence.poor, input.incidence.rural, lookup, input.year),
    evaluateBar(SPECS.wrong, input.wrongExits.wrong, input.wrongExits.sampledExited, lookup, input.year),
    evaluateBar(SPECS.omission, input.omissions.omitted, input.omissions.sampledNonRegistered, lookup, input.year),
    evaluateBar(SPECS.approval, input.approval.approving, input.approval.surveyed, lookup, input.year),
  ]);
}
