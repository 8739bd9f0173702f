// Estimates of the county-exit assessment rates from an evaluation sample (issue 8; domain.md §4),
// each with numerator, denominator, a 95% confidence interval and the verdict against its bar.
//
//   错退率 wrong-exit rate        = wrongly exited / sampled exited                    bar: ≤ wrong_exit_rate_max_pct (2)
//   漏评率 omission rate          = verified omitted / sampled non-registered rural     bar: ≤ omission_rate_max_pct (2)
//   群众认可度 approval            = approving / surveyed households                     bar: ≥ approval_min_pct (90)
//   综合贫困发生率 combined incidence = (remaining poor + omitted + wrongly exited) / rural population
//                                                                                    bar: ≤ county_exit_incidence_max_pct (2; 3 west)
// Bars are inclusive (以上/以下): exactly 2.00% or 90.00% passes. The caller resolves the bar from
// policy; it is a percent with up to 4 exact decimals (scaled by PERCENT_SCALE, as evaluate/area.ts).
//
// A) Equal-probability sample of counted units (SRS without replacement, or any self-weighting
//    design treated as one): x of n, optionally from a population of N.
//      p̂ = x/n;  F = (N − n)/(N − 1) (finite-population correction; 1 when N is not given, 0 when n = N)
//      Wilson score interval (Wilson 1927) solving |p̂ − p| ≤ z·√(F·p(1 − p)/n), i.e. with z² → F·z²:
//        centre = (p̂ + F z²/(2n)) / (1 + F z²/n)
//        half   = √F·z / (1 + F z²/n) · √( p̂(1 − p̂)/n + F z²/(4n²) )
//      z = Φ⁻¹(0.975). standardError reports the Wald value √(F·p̂(1 − p̂)/n), for reference only.
//      Verdict: x·100·S ≤ bar·S·n (or ≥), in integers, so float error cannot flip a boundary.
//      Not valid when the counted units are clustered (people within sampled households): use B.
// B) Weighted (stratified, possibly multi-stage) sample: unit i in stratum h, primary sampling
//    unit (PSU, e.g. the village) c, weight w_i, y_i counted in the numerator out of x_i.
//      Ŷ = Σ w_i y_i,  X̂ = Σ w_i x_i,  R̂ = Ŷ/X̂ (ratio estimator)
//      Taylor linearisation (Woodruff 1971; Wolter 2007 §6; Lohr 2019 §9.1; R survey::svyratio):
//        u_i = w_i (y_i − R̂ x_i) / X̂;  U_hc = Σ_{i∈(h,c)} u_i;  Ū_h = mean of U_hc over the n_h PSUs
//        v(R̂) = Σ_h n_h/(n_h − 1) · Σ_c (U_hc − Ū_h)²
//      This is the with-replacement approximation at the PSU level: no finite-population correction
//      and no later-stage variance term; it slightly overstates the variance when villages are
//      drawn without replacement at a sizeable fraction (conservative). A stratum with one PSU has
//      no variance estimate: 'refuse' (default) names it; 'adjust' centres it at the overall mean
//      of PSU totals (R survey's lonely.psu = "adjust").
//      Interval: R̂ ± z·√v, clipped to [0, 1]. When no unit (or every unit) is counted, v = 0 and
//      the interval collapses to the point: report it with the sample sizes, or use A when valid.
//      Verdict: Ŷ·100·S ≤ bar·S·X̂ (or ≥). Exact (BigInt over a common denominator) when every
//      weight is a whole number or an exact Fraction (as sampling.ts gives) and every count is a
//      whole number; otherwise compared in floating point (`exact: false`), where a rate within
//      ~1e-15 of the bar could fall either side.

import { ValidationError, type Msg } from '../errors.js';
import { PERCENT_SCALE } from '../evaluate/area.js';
import { Issues, show } from '../measures/check.js';
import type { Fraction } from './sampling.js';

/** Φ⁻¹(0.975): the two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

export interface CountSample {
  /** x: units counted (e.g. wrongly exited), whole */
  numerator: number;
  /** n: units sampled (e.g. exited sampled), whole, > 0 */
  denominator: number;
  /** N: units in the population the sample was drawn from; omitted = no finite-population correction */
  population?: number;
}

export interface WeightedUnit {
  /** the design stratum (stage-1 stratum in a two-stage draw) */
  stratum: string;
  /** the primary sampling unit (the village in a two-stage draw; the unit itself in one stage) */
  psu: string;
  /** sampling weight w_i > 0: a number, or the exact fraction from sampling.ts */
  weight: number | Fraction;
  /** y_i ≥ 0, counted in the numerator (e.g. 1 if wrongly exited, or a number of people) */
  numerator: number;
  /** x_i ≥ y_i (e.g. 1 for a sampled exited household, or its people) */
  denominator: number;
}

export interface WeightedSample {
  units: readonly WeightedUnit[];
  singlePsu?: 'refuse' | 'adjust';
}

export type ProportionSample = CountSample | WeightedSample;

export interface ProportionEstimate {
  method: 'wilson' | 'wilson-fpc' | 'ratio-linearised';
  /** x (A) or Ŷ = Σ w y (B) */
  numerator: number;
  /** n (A) or X̂ = Σ w x (B) */
  denominator: number;
  estimate: number;
  lower: number;
  upper: number;
  confidence: 0.95;
  standardError: number;
  /** A only: N and F; null otherwise */
  population: number | null;
  fpc: number | null;
  /** B only: sample sums and design counts */
  design: { sampleNumerator: number; sampleDenominator: number; units: number; psus: number; strata: number; singlePsuStrata: string[] } | null;
  /**
   * For exact verdicts: Ŷ and X̂ as whole numbers over one common denominator (decimal strings, so
   * the result stays JSON-safe); null when a weight or count is not exact.
   */
  exact: { numerator: string; denominator: string } | null;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isFraction = (w: unknown): w is Fraction => typeof w === 'object' && w !== null && isCount((w as Fraction).num) && isCount((w as Fraction).den) && (w as Fraction).den > 0;

function fail(what: Msg, iss: Issues): never {
  iss.throwIfAny(what);
  throw new Error('unreachable');
}

// --- A: counts, Wilson --------------------------------------------------------------------------

function wilson(s: CountSample, what: Msg): ProportionEstimate {
  const iss = new Issues();
  const { numerator: x, denominator: n, population: N } = s;
  if (!isCount(x)) iss.add('numerator', `分子必须是非负整数，收到 ${show(x)}`, `The numerator must be a whole number ≥ 0, got ${show(x)}`, x);
  if (!isCount(n) || n === 0) iss.add('denominator', `分母必须是正整数，收到 ${show(n)}`, `The denominator must be a whole number > 0, got ${show(n)}`, n);
  else if (isCount(x) && x > n) iss.add('numerator', `分子（${x}）大于分母（${n}），请核对`, `The numerator (${x}) exceeds the denominator (${n}); check the counts`, x);
  if (N !== undefined && (!isCount(N) || (isCount(n) && N < n))) {
    iss.add('population', `总体数必须是不小于样本量（${show(n)}）的整数，收到 ${show(N)}`, `The population must be a whole number ≥ the sample size (${show(n)}), got ${show(N)}`, N);
  }
  if (iss.count) fail(what, iss);
  const p = x / n;
  const F = N === undefined ? 1 : N === n ? 0 : (N - n) / (N - 1);
  const z2 = F * Z95 * Z95;
  const d = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / d;
  const half = (Math.sqrt(z2) / d) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // the exact ends (0 of n → 0, n of n → 1, census → p̂) are set, not left to rounding
  const lower = F === 0 ? p : x === 0 ? 0 : Math.min(p, Math.max(0, centre - half));
  const upper = F === 0 ? p : x === n ? 1 : Math.max(p, Math.min(1, centre + half));
  return {
    method: N === undefined ? 'wilson' : 'wilson-fpc',
    numerator: x,
    denominator: n,
    estimate: p,
    lower,
    upper,
    confidence: 0.95,
    standardError: Math.sqrt((F * p * (1 - p)) / n),
    population: N ?? null,
    fpc: N === undefined ? null : F,
    design: null,
    exact: { numerator: String(x), denominator: String(n) },
  };
}

// --- B: weighted ratio, linearised --------------------------------------------------------------

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

function ratio(s: WeightedSample, what: Msg): ProportionEstimate {
  const iss = new Issues();
  const mode = s.singlePsu ?? 'refuse';
  if (mode !== 'refuse' && mode !== 'adjust') iss.add('singlePsu', `singlePsu 只能是 refuse 或 adjust，收到 ${show(mode)}`, `singlePsu must be refuse or adjust, got ${show(mode)}`, mode);
  if (!Array.isArray(s.units) || s.units.length === 0) iss.add('units', '样本为空，至少需要一个单位', 'The sample is empty; at least one unit is needed');
  const psuStratum = new Map<string, string>();
  (Array.isArray(s.units) ? s.units : []).forEach((u, i) => {
    const f = `units.${i}`;
    const at = { zh: `第 ${i + 1} 个单位`, en: `unit ${i + 1}` };
    for (const k of ['stratum', 'psu'] as const) {
      if (typeof u?.[k] !== 'string' || u[k] === '') iss.add(`${f}.${k}`, `${at.zh}的 ${k} 必须是非空文本，收到 ${show(u?.[k])}`, `${at.en}: ${k} must be non-empty text, got ${show(u?.[k])}`, u?.[k]);
    }
    const w = u?.weight;
    if (!(isFraction(w) ? w.num > 0 : typeof w === 'number' && Number.isFinite(w) && w > 0)) {
      iss.add(`${f}.weight`, `${at.zh}的权数必须是正数或分数 {num, den}，收到 ${show(w)}`, `${at.en}: the weight must be a positive number or a fraction {num, den}, got ${show(w)}`, w);
    }
    const y = u?.numerator;
    const x = u?.denominator;
    if (!(typeof y === 'number' && Number.isFinite(y) && y >= 0)) iss.add(`${f}.numerator`, `${at.zh}的分子必须是非负数，收到 ${show(y)}`, `${at.en}: the numerator must be a number ≥ 0, got ${show(y)}`, y);
    if (!(typeof x === 'number' && Number.isFinite(x) && x >= 0)) iss.add(`${f}.denominator`, `${at.zh}的分母必须是非负数，收到 ${show(x)}`, `${at.en}: the denominator must be a number ≥ 0, got ${show(x)}`, x);
    else if (typeof y === 'number' && y > x) iss.add(`${f}.numerator`, `${at.zh}的分子（${y}）大于分母（${x}）`, `${at.en}: the numerator (${y}) exceeds the denominator (${x})`, y);
    if (typeof u?.psu === 'string' && typeof u?.stratum === 'string') {
      const before = psuStratum.get(u.psu);
      if (before === undefined) psuStratum.set(u.psu, u.stratum);
      else if (before !== u.stratum) {
        iss.add(`${f}.psu`, `抽样单位“${u.psu}”同时出现在层“${before}”和层“${u.stratum}”，一个初级抽样单位只能属于一层`, `PSU "${u.psu}" appears in stratum "${before}" and in stratum "${u.stratum}"; a PSU belongs to one stratum`, u.psu);
      }
    }
  });
  if (iss.count) fail(what, iss);

  const wf = (w: number | Fraction) => (typeof w === 'number' ? w : w.num / w.den);
  let Y = 0;
  let X = 0;
  let y0 = 0;
  let x0 = 0;
  for (const u of s.units) {
    Y += wf(u.weight) * u.numerator;
    X += wf(u.weight) * u.denominator;
    y0 += u.numerator;
    x0 += u.denominator;
  }
  if (!(X > 0)) {
    iss.add('units', '所有单位的分母都为 0，无法计算比率', 'Every unit has denominator 0; the rate cannot be computed');
    fail(what, iss);
  }
  const R = Y / X;
  // PSU totals of the linearised variable, by stratum
  const strata = new Map<string, Map<string, number>>();
  for (const u of s.units) {
    const zi = (wf(u.weight) * (u.numerator - R * u.denominator)) / X;
    const h = strata.get(u.stratum) ?? new Map<string, number>();
    h.set(u.psu, (h.get(u.psu) ?? 0) + zi);
    strata.set(u.stratum, h);
  }
  const lonely = [...strata].filter(([, h]) => h.size === 1).map(([k]) => k).sort();
  if (lonely.length && mode === 'refuse') {
    for (const k of lonely) {
      iss.add(`units`, `层“${k}”只有一个初级抽样单位，无法估计方差：请合并相邻的层，或选用 singlePsu: 'adjust'`, `Stratum "${k}" has a single PSU, so its variance cannot be estimated: merge it with a neighbouring stratum, or use singlePsu: 'adjust'`, k);
    }
    fail(what, iss);
  }
  let totalPsus = 0;
  let grand = 0;
  for (const h of strata.values()) {
    for (const t of h.values()) {
      totalPsus++;
      grand += t;
    }
  }
  grand /= totalPsus;
  let v = 0;
  for (const h of strata.values()) {
    const ts = [...h.values()];
    if (ts.length === 1) {
      v += (ts[0]! - grand) ** 2;
      continue;
    }
    const mean = ts.reduce((a, b) => a + b, 0) / ts.length;
    v += (ts.length / (ts.length - 1)) * ts.reduce((a, t) => a + (t - mean) ** 2, 0);
  }
  const se = Math.sqrt(v);
  return {
    method: 'ratio-linearised',
    numerator: Y,
    denominator: X,
    estimate: R,
    lower: Math.max(0, Math.min(R, R - Z95 * se)),
    upper: Math.min(1, Math.max(R, R + Z95 * se)),
    confidence: 0.95,
    standardError: se,
    population: null,
    fpc: null,
    design: { sampleNumerator: y0, sampleDenominator: x0, units: s.units.length, psus: totalPsus, strata: strata.size, singlePsuStrata: lonely },
    exact: exactTotals(s.units),
  };
}

/** Ŷ and X̂ as integers over a common denominator L, when every weight and count is exact. */
function exactTotals(units: readonly WeightedUnit[]): { numerator: string; denominator: string } | null {
  const fr: [bigint, bigint][] = [];
  for (const u of units) {
    if (!Number.isSafeInteger(u.numerator) || !Number.isSafeInteger(u.denominator)) return null;
    if (typeof u.weight === 'number') {
      if (!Number.isSafeInteger(u.weight)) return null;
      fr.push([BigInt(u.weight), 1n]);
    } else fr.push([BigInt(u.weight.num), BigInt(u.weight.den)]);
  }
  let L = 1n;
  for (const [, q] of fr) L = (L / gcd(L, q)) * q;
  let Y = 0n;
  let X = 0n;
  units.forEach((u, i) => {
    const [p, q] = fr[i]!;
    const w = p * (L / q);
    Y += w * BigInt(u.numerator);
    X += w * BigInt(u.denominator);
  });
  return { numerator: String(Y), denominator: String(X) };
}

/** The estimate and 95% interval: Wilson (with FPC when `population` is given) for counts, the linearised ratio for weighted units. */
export function estimateProportion(sample: ProportionSample, what: Msg = { zh: '比率估计', en: 'the proportion estimate' }): ProportionEstimate {
  if (typeof sample !== 'object' || sample === null) {
    throw new ValidationError([{ field: '', zh: `样本必须是对象，收到 ${show(sample)}`, en: `The sample must be an object, got ${show(sample)}` }]);
  }
  return 'units' in sample ? ratio(sample, what) : wilson(sample, what);
}

// --- verdicts -----------------------------------------------------------------------------------

export type Comparison = 'at_most' | 'at_least';

export interface BarVerdict {
  comparison: Comparison;
  barPct: number;
  pass: boolean;
  /** true when decided on whole numbers; false when on floating point (weighted, inexact weights) */
  exact: boolean;
  /** whether the whole interval lies on the same side of the bar as the estimate (informational) */
  intervalAgrees: boolean;
  /** counts only: the largest numerator allowed (at_most) or smallest needed (at_least) at this denominator */
  limitCount: number | null;
  reason: Msg;
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

/** The point estimate against an inclusive bar (percent), exactly when the estimate allows. */
export function verdict(est: ProportionEstimate, comparison: Comparison, barPct: number, label: Msg): BarVerdict {
  if (!(typeof barPct === 'number' && Number.isFinite(barPct) && barPct >= 0 && barPct <= 100)) {
    const iss = new Issues();
    iss.add('barPct', `${label.zh}的标准必须是 0–100 之间的百分数，收到 ${show(barPct)}`, `The bar for ${label.en} must be a percent from 0 to 100, got ${show(barPct)}`, barPct);
    fail({ zh: `${label.zh}的判定`, en: `the verdict on ${label.en}` }, iss);
  }
  const S = BigInt(PERCENT_SCALE);
  const bar = BigInt(Math.round(Number((barPct * PERCENT_SCALE).toPrecision(15))));
  const atMost = comparison === 'at_most';
  let pass: boolean;
  let limitCount: number | null = null;
  if (est.exact) {
    // rate ≤ bar ⇔ Ŷ/X̂·100 ≤ bar/S ⇔ Ŷ·100·S ≤ bar·X̂ (Ŷ, X̂ over the same denominator)
    const lhs = BigInt(est.exact.numerator) * 100n * S;
    const rhs = bar * BigInt(est.exact.denominator);
    pass = atMost ? lhs <= rhs : lhs >= rhs;
    if (est.design === null) limitCount = Number(atMost ? rhs / (100n * S) : (rhs + 100n * S - 1n) / (100n * S));
  } else {
    const lhs = est.numerator * 100;
    const rhs = barPct * est.denominator;
    pass = atMost ? lhs <= rhs : lhs >= rhs;
  }
  const b = barPct / 100;
  const intervalAgrees = atMost ? (pass ? est.upper <= b : est.lower > b) : pass ? est.lower >= b : est.upper < b;
  const ci = { zh: `95% 置信区间 ${pct(est.lower)}–${pct(est.upper)}`, en: `95% CI ${pct(est.lower)}–${pct(est.upper)}` };
  const counts =
    est.design === null
      ? { zh: `${est.numerator} / ${est.denominator}`, en: `${est.numerator} of ${est.denominator}` }
      : { zh: `加权 ${est.numerator.toFixed(1)} / ${est.denominator.toFixed(1)}，样本 ${est.design.sampleNumerator} / ${est.design.sampleDenominator}`, en: `weighted ${est.numerator.toFixed(1)} of ${est.denominator.toFixed(1)}, sample ${est.design.sampleNumerator} of ${est.design.sampleDenominator}` };
  const head = { zh: `${label.zh} ${pct(est.estimate)}（${counts.zh}，${ci.zh}）`, en: `${label.en} ${pct(est.estimate)} (${counts.en}, ${ci.en})` };
  const side = atMost
    ? pass
      ? { zh: `不高于上限 ${barPct}%（含等于），达标`, en: `is not above the maximum of ${barPct}% (inclusive); passes` }
      : { zh: `高于上限 ${barPct}%，不达标`, en: `is above the maximum of ${barPct}%; fails` }
    : pass
      ? { zh: `不低于下限 ${barPct}%（含等于），达标`, en: `is not below the minimum of ${barPct}% (inclusive); passes` }
      : { zh: `低于下限 ${barPct}%，不达标`, en: `is below the minimum of ${barPct}%; fails` };
  const caveat = intervalAgrees ? { zh: '', en: '' } : { zh: '（置信区间跨越标准线，结论受抽样误差影响）', en: ' (the interval straddles the bar, so sampling error could change the outcome)' };
  return {
    comparison,
    barPct,
    pass,
    exact: est.exact !== null,
    intervalAgrees,
    limitCount,
    reason: { zh: `${head.zh}，${side.zh}${caveat.zh}`, en: `${head.en} ${side.en}${caveat.en}` },
  };
}

export type RateKey = 'wrong_exit_rate' | 'omission_rate' | 'approval' | 'combined_incidence';

export interface RateResult {
  key: RateKey;
  label: Msg;
  /** the policy parameter the bar comes from */
  param: 'wrong_exit_rate_max_pct' | 'omission_rate_max_pct' | 'approval_min_pct' | 'county_exit_incidence_max_pct';
  estimate: ProportionEstimate;
  verdict: BarVerdict;
}

function rate(key: RateKey, param: RateResult['param'], comparison: Comparison, label: Msg, sample: ProportionSample, barPct: number): RateResult {
  const estimate = estimateProportion(sample, { zh: label.zh, en: `the ${label.en.toLowerCase()}` });
  return { key, label, param, estimate, verdict: verdict(estimate, comparison, barPct, label) };
}

/** 错退率 = wrongly exited / sampled exited; passes when ≤ barPct (wrong_exit_rate_max_pct). */
export function wrongExitRate(sample: ProportionSample, barPct: number): RateResult {
  return rate('wrong_exit_rate', 'wrong_exit_rate_max_pct', 'at_most', { zh: '错退率', en: 'Wrong-exit rate' }, sample, barPct);
}

/** 漏评率 = verified omitted / sampled non-registered rural; passes when ≤ barPct (omission_rate_max_pct). */
export function omissionRate(sample: ProportionSample, barPct: number): RateResult {
  return rate('omission_rate', 'omission_rate_max_pct', 'at_most', { zh: '漏评率', en: 'Omission rate' }, sample, barPct);
}

/** 群众认可度 = approving / surveyed households; passes when ≥ barPct (approval_min_pct). */
export function approvalRate(sample: ProportionSample, barPct: number): RateResult {
  return rate('approval', 'approval_min_pct', 'at_least', { zh: '群众认可度', en: 'Public approval' }, sample, barPct);
}

/** 综合贫困发生率 = (remaining poor + omitted + wrongly exited) / rural population; passes when ≤ barPct. */
export function combinedIncidence(sample: ProportionSample, barPct: number): RateResult {
  return rate('combined_incidence', 'county_exit_incidence_max_pct', 'at_most', { zh: '综合贫困发生率', en: 'Combined poverty incidence' }, sample, barPct);
}
