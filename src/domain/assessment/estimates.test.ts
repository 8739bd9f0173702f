// Rates, intervals and verdicts: Wilson against Newcombe's published table, the linearised ratio
// against a hand computation, inclusive bars decided on exact counts, invariants by fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { approvalRate, combinedIncidence, estimateProportion, omissionRate, verdict, wrongExitRate, Z95, type WeightedUnit } from './estimates.js';

function issuesOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

describe('Wilson score interval (equal-probability samples)', () => {
  it("matches Newcombe's published examples", () => {
    // Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
    // methods. Statistics in Medicine 1998;17:857–872, Table II, method 3 (Wilson score, no
    // continuity correction), 95%, to 4 decimals.
    const table: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
      [29, 29, 0.883, 1],
    ];
    for (const [x, n, lo, hi] of table) {
      const e = estimateProportion({ numerator: x, denominator: n });
      expect(e.method).toBe('wilson');
      expect(e.estimate).toBe(x / n);
      expect(e.lower).toBeCloseTo(lo, 4);
      expect(e.upper).toBeCloseTo(hi, 4);
    }
    const zero = estimateProportion({ numerator: 0, denominator: 20 });
    expect(zero.lower).toBe(0);
    expect(estimateProportion({ numerator: 29, denominator: 29 }).upper).toBe(1);
  });

  it('applies the finite-population correction (hand computation)', () => {
    // 2 of 100 sampled from N = 1000: F = 900/999 = 0.9009…, z² → F·z²; computed by hand from the
    // header's formulas: 0.005833–0.066279 (without FPC: 0.005502–0.070012)
    const e = estimateProportion({ numerator: 2, denominator: 100, population: 1000 });
    expect(e.method).toBe('wilson-fpc');
    expect(e.fpc).toBeCloseTo(900 / 999, 15);
    expect(e.lower).toBeCloseTo(0.005833231, 8);
    expect(e.upper).toBeCloseTo(0.066278869, 8);
    const plain = estimateProportion({ numerator: 2, denominator: 100 });
    expect(plain.lower).toBeCloseTo(0.005501968, 8);
    expect(plain.upper).toBeCloseTo(0.070011791, 8);
    // a census has no sampling error
    expect(estimateProportion({ numerator: 7, denominator: 50, population: 50 })).toMatchObject({ estimate: 0.14, lower: 0.14, upper: 0.14, fpc: 0 });
  });

  it('keeps 0 ≤ lower ≤ estimate ≤ upper ≤ 1, and the FPC only narrows the interval', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1_000_000 }), (n, f, extra) => {
        const x = Math.floor(f * n);
        const e = estimateProportion({ numerator: x, denominator: n });
        const c = estimateProportion({ numerator: x, denominator: n, population: n + extra });
        for (const r of [e, c]) {
          expect(0 <= r.lower && r.lower <= r.estimate && r.estimate <= r.upper && r.upper <= 1).toBe(true);
        }
        expect(c.lower).toBeGreaterThanOrEqual(e.lower - 1e-15);
        expect(c.upper).toBeLessThanOrEqual(e.upper + 1e-15);
      }),
    );
  });

  it('refuses counts that are not whole, a part larger than its whole, and a population below the sample', () => {
    expect(issuesOf(() => estimateProportion({ numerator: 1.5, denominator: 10 }))[0]!.zh).toMatch(/分子必须是非负整数/);
    expect(issuesOf(() => estimateProportion({ numerator: 0, denominator: 0 }))[0]!.en).toMatch(/denominator must be a whole number > 0/);
    expect(issuesOf(() => estimateProportion({ numerator: 11, denominator: 10 }))[0]!.en).toMatch(/numerator \(11\) exceeds the denominator \(10\)/);
    expect(issuesOf(() => estimateProportion({ numerator: 1, denominator: 10, population: 9 }))[0]!.zh).toMatch(/总体数必须是不小于样本量（10）的整数/);
    expect(() => wrongExitRate({ numerator: 3, denominator: 2 }, 2)).toThrow(/错退率输入有误.*Invalid input to the wrong-exit rate/);
  });
});

describe('verdicts at the bars (inclusive, exact)', () => {
  it('passes 错退率 at exactly 2.00% and fails just above', () => {
    const ok = wrongExitRate({ numerator: 2, denominator: 100 }, 2);
    expect(ok).toMatchObject({ key: 'wrong_exit_rate', param: 'wrong_exit_rate_max_pct' });
    expect(ok.verdict).toMatchObject({ pass: true, exact: true, comparison: 'at_most', limitCount: 2 });
    expect(ok.verdict.reason.zh).toMatch(/错退率 2\.00%（2 \/ 100，95% 置信区间 .*），不高于上限 2%（含等于），达标/);
    expect(ok.verdict.reason.en).toMatch(/is not above the maximum of 2% \(inclusive\); passes/);
    const bad = wrongExitRate({ numerator: 3, denominator: 100 }, 2);
    expect(bad.verdict).toMatchObject({ pass: false, limitCount: 2 });
    expect(bad.verdict.reason.en).toMatch(/is above the maximum of 2%; fails/);
    expect(wrongExitRate({ numerator: 1, denominator: 50 }, 2).verdict.pass).toBe(true);
    expect(wrongExitRate({ numerator: 21, denominator: 1000 }, 2).verdict.pass).toBe(false);
  });

  it('passes 漏评率 at exactly 2.00% and 综合贫困发生率 at exactly 3.00% (west)', () => {
    expect(omissionRate({ numerator: 4, denominator: 200 }, 2).verdict.pass).toBe(true);
    expect(omissionRate({ numerator: 5, denominator: 200 }, 2).verdict.pass).toBe(false);
    expect(combinedIncidence({ numerator: 3, denominator: 100 }, 3).verdict.pass).toBe(true);
    expect(combinedIncidence({ numerator: 31, denominator: 1000 }, 3).verdict.pass).toBe(false);
  });

  it('passes 认可度 at exactly 90.00% and fails just below', () => {
    const ok = approvalRate({ numerator: 90, denominator: 100 }, 90);
    expect(ok).toMatchObject({ key: 'approval', param: 'approval_min_pct' });
    expect(ok.verdict).toMatchObject({ pass: true, comparison: 'at_least', limitCount: 90 });
    expect(ok.verdict.reason.zh).toMatch(/不低于下限 90%（含等于），达标/);
    const bad = approvalRate({ numerator: 89, denominator: 100 }, 90);
    expect(bad.verdict.pass).toBe(false);
    expect(bad.verdict.reason.en).toMatch(/is below the minimum of 90%; fails/);
    expect(approvalRate({ numerator: 900, denominator: 1000 }, 90).verdict.pass).toBe(true);
    expect(approvalRate({ numerator: 899, denominator: 1000 }, 90).verdict.pass).toBe(false);
    // 91 of 101 = 90.099%: the smallest count that passes out of 101 is ⌈90.9⌉ = 91
    expect(approvalRate({ numerator: 91, denominator: 101 }, 90).verdict).toMatchObject({ pass: true, limitCount: 91 });
  });

  it('is not flipped by floating point where x/n·100 is off by one ulp', () => {
    // 7/1000·100 = 0.7000000000000001 and 28/1000·100 = 2.8000000000000003 in floating point
    expect((7 / 1000) * 100 > 0.7).toBe(true);
    expect(wrongExitRate({ numerator: 7, denominator: 1000 }, 0.7).verdict.pass).toBe(true);
    expect(wrongExitRate({ numerator: 28, denominator: 1000 }, 2.8).verdict.pass).toBe(true);
    // 9/1000·100 = 0.8999999999999999
    expect(approvalRate({ numerator: 9, denominator: 1000 }, 0.9).verdict.pass).toBe(true);
  });

  it('says when the interval straddles the bar', () => {
    const v = wrongExitRate({ numerator: 1, denominator: 100 }, 2).verdict;
    expect(v.pass).toBe(true);
    expect(v.intervalAgrees).toBe(false);
    expect(v.reason.en).toMatch(/straddles the bar/);
    expect(wrongExitRate({ numerator: 5, denominator: 10_000 }, 2).verdict.intervalAgrees).toBe(true);
  });

  it('refuses a bar outside 0–100', () => {
    const e = estimateProportion({ numerator: 1, denominator: 2 });
    expect(() => verdict(e, 'at_most', 101, { zh: '错退率', en: 'wrong-exit rate' })).toThrow(ValidationError);
    expect(() => verdict(e, 'at_most', Number.NaN, { zh: '错退率', en: 'wrong-exit rate' })).toThrow(/的标准必须是 0–100 之间的百分数.*must be a percent from 0 to 100/);
  });
});

// --- weighted ---------------------------------------------------------------------------------

const unit = (stratum: string, psu: string, weight: WeightedUnit['weight'], numerator: number, denominator = 1): WeightedUnit => ({ stratum, psu, weight, numerator, denominator });

describe('weighted ratio with linearised variance', () => {
  it('matches a hand computation on two strata', () => {
    // A: a1 = {w 2: 1/1, 0/1}, a2 = {w 2: 0/1, 0/1};  B: b1, b2, b3 = {w 4: 1/1}, {w 4: 0/1}, {w 4: 0/1}
    // Ŷ = 2 + 4 = 6, X̂ = 8 + 12 = 20, R̂ = 0.3;  u = w(y − 0.3x)/20
    // PSU totals: a1 = (1.4 − 0.6)/20 = 0.04, a2 = −1.2/20 = −0.06 → mean −0.01, 2/1·(0.05² + 0.05²) = 0.01
    //             b1 = 0.14, b2 = b3 = −0.06 → mean 0.02/3, 3/2·(0.13̇² + 2·0.06̇²) = 0.04
    // v = 0.05, SE = 0.2236, interval 0.3 ± 0.4383 → [0 (clipped), 0.7383]
    const units = [unit('A', 'a1', 2, 1), unit('A', 'a1', 2, 0), unit('A', 'a2', 2, 0), unit('A', 'a2', 2, 0), unit('B', 'b1', 4, 1), unit('B', 'b2', 4, 0), unit('B', 'b3', 4, 0)];
    const e = estimateProportion({ units });
    expect(e).toMatchObject({ method: 'ratio-linearised', numerator: 6, denominator: 20, lower: 0 });
    expect(e.estimate).toBeCloseTo(0.3, 15);
    expect(e.standardError).toBeCloseTo(Math.sqrt(0.05), 12);
    expect(e.upper).toBeCloseTo(0.3 + Z95 * Math.sqrt(0.05), 12);
    expect(e.design).toEqual({ sampleNumerator: 2, sampleDenominator: 7, units: 7, psus: 5, strata: 2, singlePsuStrata: [] });
  });

  it('reduces to p(1 − p)/(n − 1) for one stratum of equally weighted units', () => {
    // u_i = (y_i − p)/n, so v = n/(n − 1)·Σ(y_i − p)²/n² = p(1 − p)/(n − 1)
    const units = Array.from({ length: 50 }, (_, i) => unit('h', `u${i}`, 7, i < 12 ? 1 : 0));
    const e = estimateProportion({ units });
    expect(e.estimate).toBeCloseTo(0.24, 15);
    expect(e.standardError).toBeCloseTo(Math.sqrt((0.24 * 0.76) / 49), 14);
  });

  it('decides the bar exactly with fractional weights, where floating point would fail it', () => {
    // 100 households with weight 10/3, 2 wrongly exited: exactly 2%; summed in floating point,
    // Ŷ·100 = 666.6666666666667 > 2·X̂ = 666.6666666666664
    const fr = Array.from({ length: 100 }, (_, i) => unit('h', `u${i}`, { num: 10, den: 3 }, i < 2 ? 1 : 0));
    const exact = wrongExitRate({ units: fr }, 2);
    expect(exact.verdict).toMatchObject({ pass: true, exact: true, limitCount: null });
    expect(exact.estimate.exact).toEqual({ numerator: '20', denominator: '1000' });
    const approx = wrongExitRate({ units: fr.map((u) => ({ ...u, weight: 10 / 3 })) }, 2);
    expect(approx.verdict.exact).toBe(false); // documented: float weights are compared in floating point
    expect(approx.verdict.pass).toBe(false);
    expect(wrongExitRate({ units: fr.map((u, i) => ({ ...u, numerator: i < 3 ? 1 : 0 })) }, 2).verdict.pass).toBe(false);
    // weights with different denominators meet over their least common multiple
    const mixed = [unit('h', 'a', { num: 7, den: 2 }, 1), unit('h', 'b', { num: 5, den: 3 }, 0), unit('h', 'c', 4, 1), unit('h', 'd', { num: 1, den: 6 }, 0)];
    // Ŷ = 7/2 + 4 = 15/2, X̂ = 7/2 + 5/3 + 4 + 1/6 = 28/3 → R̂ = 45/56 = 80.357…%
    const m = approvalRate({ units: mixed }, 80);
    expect(m.estimate.estimate).toBeCloseTo(45 / 56, 14);
    expect(m.verdict).toMatchObject({ pass: true, exact: true });
    expect(approvalRate({ units: mixed }, 80.36).verdict.pass).toBe(false);
  });

  it('uses the weights from a two-stage draw, village as PSU and village stratum as stratum', () => {
    const units = [unit('T1/poor', 'V1', { num: 28, den: 6 }, 1), unit('T1/poor', 'V1', { num: 28, den: 6 }, 0), unit('T1/poor', 'V2', { num: 16, den: 6 }, 0), unit('T1/poor', 'V2', { num: 16, den: 6 }, 1)];
    const e = estimateProportion({ units });
    expect(e.estimate).toBeCloseTo(0.5, 15);
    expect(e.design!.psus).toBe(2);
  });

  it('refuses a stratum with one PSU by name, or adjusts when asked', () => {
    const units = [unit('A', 'a1', 2, 1), unit('A', 'a2', 2, 0), unit('C', 'c1', 3, 1), unit('C', 'c1', 3, 0)];
    const iss = issuesOf(() => estimateProportion({ units }));
    expect(iss[0]!.zh).toMatch(/层“C”只有一个初级抽样单位/);
    expect(iss[0]!.en).toMatch(/Stratum "C" has a single PSU/);
    const e = estimateProportion({ units, singlePsu: 'adjust' });
    expect(e.design!.singlePsuStrata).toEqual(['C']);
    // Ŷ = 2 + 3 = 5, X̂ = 4 + 6 = 10, R̂ = 0.5; u: a1 = 2·0.5/10 = 0.1, a2 = −0.1, c1 = 3·(1 − 1)/10 = 0
    // v = 2·(0.1² + 0.1²) + (0 − 0)² = 0.04
    expect(e.standardError).toBeCloseTo(0.2, 14);
  });

  it('refuses bad units, naming them', () => {
    expect(issuesOf(() => estimateProportion({ units: [] }))[0]!.en).toMatch(/sample is empty/);
    const bad = issuesOf(() => estimateProportion({ units: [unit('h', 'a', -1, 0), unit('h', 'b', { num: 1, den: 0 }, 0), unit('h', 'c', 1, 2, 1), unit('', 'd', 1, 0)] }));
    expect(bad.map((i) => i.field)).toEqual(['units.0.weight', 'units.1.weight', 'units.2.numerator', 'units.3.stratum']);
    expect(bad[2]!.zh).toMatch(/第 3 个单位的分子（2）大于分母（1）/);
    expect(issuesOf(() => estimateProportion({ units: [unit('A', 'p', 1, 0), unit('B', 'p', 1, 0)] }))[0]!.en).toMatch(/PSU "p" appears in stratum "A" and in stratum "B"/);
    expect(issuesOf(() => estimateProportion({ units: [unit('h', 'a', 1, 0, 0), unit('h', 'b', 1, 0, 0)] }))[0]!.zh).toMatch(/分母都为 0/);
  });

  it('keeps 0 ≤ lower ≤ estimate ≤ upper ≤ 1 for any stratified sample', () => {
    const arb = fc.array(
      fc.record({
        h: fc.integer({ min: 0, max: 3 }),
        c: fc.integer({ min: 0, max: 2 }),
        w: fc.oneof(fc.double({ min: 0.01, max: 1000, noNaN: true }), fc.record({ num: fc.integer({ min: 1, max: 5000 }), den: fc.integer({ min: 1, max: 50 }) })),
        x: fc.integer({ min: 1, max: 8 }),
        f: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { minLength: 1, maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const units = rows.map((r) => unit(`h${r.h}`, `h${r.h}c${r.c}`, r.w, Math.floor(r.f * r.x), r.x));
        const e = estimateProportion({ units, singlePsu: 'adjust' });
        expect(0 <= e.lower && e.lower <= e.estimate && e.estimate <= e.upper && e.upper <= 1).toBe(true);
        expect(e.standardError).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
