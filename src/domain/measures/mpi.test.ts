// Alkire–Foster on the worked example of Alkire & Foster (2011, J. Public Economics 95, 476–487,
// §2 and §4): 4 people × 4 dimensions, arithmetic in the comments, and property tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { mpi, type MpiIndicator } from './mpi.js';

function issuesOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

// Alkire & Foster (2011): income, years of schooling, self-reported health, health insurance.
const AF_INDICATORS: MpiIndicator[] = [
  { name: 'income', cutoff: 500, cardinal: true },
  { name: 'schooling', cutoff: 12, cardinal: true },
  { name: 'health', cutoff: 3, cardinal: true },
  { name: 'insurance', cutoff: 1, cardinal: true },
];
const AF_ROWS = [
  [700, 14, 4, 1],
  [300, 13, 1, 0],
  [400, 10, 3, 0],
  [800, 11, 3, 1],
];

describe('Alkire & Foster (2011) example', () => {
  // Deprivation (x < z):      income  school  health  insur.   count  c_i (w_j = 1/4)
  //   700, 14, 4, 1            0       0       0       0        0      0
  //   300, 13, 1, 0            1       0       1       1        3      3/4
  //   400, 10, 3, 0            1       1       0       1        3      3/4
  //   800, 11, 3, 1            0       1       0       0        1      1/4
  // k = 2 of 4 = 1/2 → persons 2 and 3 are poor; person 4 (1/4 < 1/2) is censored.
  const r = mpi({ indicators: AF_INDICATORS, rows: AF_ROWS, k: 2 / 4 });

  it('gives H = 1/2, A = 3/4, M0 = 3/8', () => {
    expect(r.poor).toEqual([false, true, true, false]);
    expect(r.scores).toEqual([0, 0.75, 0.75, 0.25]);
    expect(r.H).toBe(0.5); // 2 / 4
    expect(r.A).toBe(0.75); // (3/4 + 3/4) / 2
    expect(r.M0).toBe(0.375); // 6 censored deprivations / 16 = H · A = 3/8
  });

  it('gives M1 = 103/480 and M2 = 481/2880', () => {
    // censored normalised gaps (z − x)/z of the poor:
    //   person 2: income (500−300)/500 = 2/5, health (3−1)/3 = 2/3, insurance (1−0)/1 = 1
    //   person 3: income (500−400)/500 = 1/5, schooling (12−10)/12 = 1/6, insurance 1
    // M1 = Σ g / (n·d) = (2/5 + 2/3 + 1 + 1/5 + 1/6 + 1) / 16 = (3/5 + 5/6 + 2) / 16 = (103/30) / 16 = 103/480 ≈ 0.214583
    expect(r.M1).toBeCloseTo(103 / 480, 15);
    // M2 = Σ g² / 16 = (4/25 + 4/9 + 1 + 1/25 + 1/36 + 1) / 16 = (1/5 + 17/36 + 2) / 16 = (481/180) / 16 = 481/2880 ≈ 0.167014
    expect(r.M2).toBeCloseTo(481 / 2880, 15);
  });

  it('gives the headcount ratios and contributions per indicator', () => {
    // uncensored h_j: income {2,3} 2/4, schooling {3,4} 2/4, health {2} 1/4, insurance {2,3} 2/4
    // censored h_j(k): person 4 dropped → schooling {3} 1/4; the others unchanged
    // contribution w_j h_j(k): 1/8, 1/16, 1/16, 1/8 (sum 3/8 = M0); share ÷ M0: 1/3, 1/6, 1/6, 1/3
    expect(r.indicators.map((i) => [i.name, i.weight, i.uncensored, i.censored, i.contribution])).toEqual([
      ['income', 0.25, 0.5, 0.5, 0.125],
      ['schooling', 0.25, 0.5, 0.25, 0.0625],
      ['health', 0.25, 0.25, 0.25, 0.0625],
      ['insurance', 0.25, 0.5, 0.5, 0.125],
    ]);
    const shares = r.indicators.map((i) => i.share!);
    [1 / 3, 1 / 6, 1 / 6, 1 / 3].forEach((s, j) => expect(shares[j]).toBeCloseTo(s, 15));
  });

  it('decomposes by subgroup', () => {
    // groups A = persons 1, 2; B = persons 3, 4. v_A = v_B = 1/2.
    // M0_A = (0 + 3/4) / 2 = 3/8, H_A = 1/2, A_A = 3/4; M0_B = (3/4 + 0) / 2 = 3/8 (person 4 censored)
    // Σ v_g M0_g = 1/2 · 3/8 + 1/2 · 3/8 = 3/8 = M0; shares 1/2 each
    const g = mpi({ indicators: AF_INDICATORS, rows: AF_ROWS, k: 0.5, groups: ['A', 'A', 'B', 'B'] }).groups!;
    expect(g).toEqual([
      { group: 'A', n: 2, population: 2, populationShare: 0.5, H: 0.5, A: 0.75, M0: 0.375, contribution: 0.1875, share: 0.5 },
      { group: 'B', n: 2, population: 2, populationShare: 0.5, H: 0.5, A: 0.75, M0: 0.375, contribution: 0.1875, share: 0.5 },
    ]);
  });

  it('varies with k: union (k = 1/4) and intersection (k = 1)', () => {
    // k = 1/4: persons 2, 3, 4 poor → H = 3/4, A = (3/4 + 3/4 + 1/4)/3 = 7/12, M0 = 7/16
    const u = mpi({ indicators: AF_INDICATORS, rows: AF_ROWS, k: 0.25 });
    expect(u.H).toBe(0.75);
    expect(u.A).toBeCloseTo(7 / 12, 15);
    expect(u.M0).toBeCloseTo(7 / 16, 15);
    // k = 1: nobody is deprived in all four → H = A = M0 = 0, shares null
    const n = mpi({ indicators: AF_INDICATORS, rows: AF_ROWS, k: 1 });
    expect([n.H, n.A, n.M0, n.M1, n.M2]).toEqual([0, 0, 0, 0, 0]);
    expect(n.indicators.every((i) => i.share === null)).toBe(true);
  });

  it('leaves M1 and M2 out when an indicator is not cardinal', () => {
    const inds = AF_INDICATORS.map((i) => (i.name === 'health' ? { ...i, cardinal: false } : i));
    const res = mpi({ indicators: inds, rows: AF_ROWS, k: 0.5 });
    expect(res.M0).toBe(0.375);
    expect(res.M1).toBeNull();
    expect(res.M2).toBeNull();
  });

  it('weighted people equal repeated rows', () => {
    // person weights 2, 1, 3, 2 ↔ rows repeated: P = 8, poor weight 1 + 3 = 4 → H = 1/2, A = 3/4, M0 = 3/8
    const w = mpi({ indicators: AF_INDICATORS, rows: AF_ROWS, k: 0.5, weights: [2, 1, 3, 2] });
    const rep = mpi({ indicators: AF_INDICATORS, rows: [AF_ROWS[0]!, AF_ROWS[0]!, AF_ROWS[1]!, AF_ROWS[2]!, AF_ROWS[2]!, AF_ROWS[2]!, AF_ROWS[3]!, AF_ROWS[3]!], k: 0.5 });
    expect([w.H, w.A, w.M0]).toEqual([0.5, 0.75, 0.375]);
    expect(w.M1).toBeCloseTo(rep.M1!, 15);
    expect(w.M2).toBeCloseTo(rep.M2!, 15);
    w.indicators.forEach((ind, j) => expect(ind.censored).toBeCloseTo(rep.indicators[j]!.censored, 15));
  });
});

describe('the k boundary', () => {
  it('counts a score exactly equal to k as poor', () => {
    // equal weights 1/3: two deprivations give 1/3 + 1/3 = 0.666…6 = 2/3 in floating point → poor at k = 2/3
    const inds = [{ name: 'a', cutoff: 1 }, { name: 'b', cutoff: 1 }, { name: 'c', cutoff: 1 }];
    const r = mpi({ indicators: inds, rows: [[0, 0, 1], [0, 1, 1]], k: 2 / 3 });
    expect(r.poor).toEqual([true, false]);
    expect(r.H).toBe(0.5);
  });

  it('counts it as poor even when the sum of weights rounds below k', () => {
    // 0.1 + 0.7 = 0.7999999999999999 < 0.8 in floating point; the score still reaches k = 0.8
    expect(0.1 + 0.7 < 0.8).toBe(true);
    const inds = [{ name: 'a', cutoff: 1, weight: 0.1 }, { name: 'b', cutoff: 1, weight: 0.7 }, { name: 'c', cutoff: 1, weight: 0.2 }];
    const r = mpi({ indicators: inds, rows: [[0, 0, 1], [1, 0, 1]], k: 0.8 });
    expect(r.scores[0]).toBeLessThan(0.8); // the rounding really happens…
    expect(r.poor).toEqual([true, false]); // …and the person is still poor; 0.7 alone is not
    expect(r.H).toBe(0.5);
    expect(r.A).toBeCloseTo(0.8, 15);
  });

  it('never counts a person with no deprivation as poor', () => {
    const r = mpi({ indicators: [{ name: 'a', cutoff: 1 }], rows: [[1], [0]], k: 1e-12 });
    expect(r.poor).toEqual([false, true]);
  });
});

describe('bad inputs', () => {
  const inds = [{ name: 'water', cutoff: 1, weight: 0.5 }, { name: 'housing', cutoff: 1, weight: 0.4 }];

  it('refuses weights not summing to 1', () => {
    expect(issuesOf(() => mpi({ indicators: inds, rows: [[1, 1]], k: 0.5 }))).toEqual([
      { field: 'indicators', zh: '指标权重合计为 0.9，应为 1（允许误差 0.000001）', en: 'The indicator weights sum to 0.9, not 1 (tolerance 0.000001)', value: '0.9' },
    ]);
  });

  it('refuses a negative indicator weight and a partial set of weights', () => {
    const bad = [{ name: 'water', cutoff: 1, weight: -0.5 }, { name: 'housing', cutoff: 1, weight: 1.5 }];
    expect(issuesOf(() => mpi({ indicators: bad, rows: [[1, 1]], k: 0.5 }))).toEqual([
      { field: 'indicators.0.weight', zh: '指标“water”的权重必须是大于 0 的有限数字，收到 -0.5', en: 'The weight of indicator "water" must be a finite number above 0; got -0.5', value: '-0.5' },
    ]);
    const partial = [{ name: 'water', cutoff: 1, weight: 1 }, { name: 'housing', cutoff: 1 }];
    expect(issuesOf(() => mpi({ indicators: partial, rows: [[1, 1]], k: 0.5 }))).toEqual([
      { field: 'indicators', zh: '只有 1 个指标给了权重，共 2 个：要么全部给出（合计为 1），要么都不给（等权）', en: 'Only 1 of 2 indicators have a weight: give all (summing to 1) or none (equal weights)' },
    ]);
  });

  it('refuses a negative person weight', () => {
    const ok = [{ name: 'water', cutoff: 1 }, { name: 'housing', cutoff: 1 }];
    expect(issuesOf(() => mpi({ indicators: ok, rows: [[1, 1], [0, 0]], k: 0.5, weights: [1, -2] }))).toEqual([
      { field: 'weights.1', zh: '权数第 2 行（下标 1）为负数：-2，权数不能为负', en: 'weight in row 2 (index 1) is negative (-2); weights must be ≥ 0', value: '-2' },
    ]);
  });

  it('refuses k out of range', () => {
    const ok = [{ name: 'water', cutoff: 1 }];
    for (const k of [0, -0.1, 1.01, Number.NaN]) {
      expect(issuesOf(() => mpi({ indicators: ok, rows: [[1]], k }))).toEqual([
        { field: 'k', zh: `贫困临界值 k 必须满足 0 < k ≤ 1（占总权重的份额），收到 ${k}`, en: `The poverty cut-off k must satisfy 0 < k ≤ 1 (a share of the total weight); got ${k}`, value: String(k) },
      ]);
    }
  });

  it('names a NaN value by its row and indicator, and says so in the top message', () => {
    let err: unknown;
    try {
      mpi({ indicators: [{ name: 'water', cutoff: 1 }, { name: 'housing', cutoff: 1 }], rows: [[1, 1], [0, 1], [1, Number.NaN]], k: 0.5 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.issues).toEqual([
      { field: 'rows.2.housing', zh: '第 3 行（下标 2）指标“housing”的值不是有限数字：NaN', en: 'row 3 (index 2), indicator "housing": the value is not a finite number: NaN', value: 'NaN' },
    ]);
    expect(v.msg).toEqual({ zh: `多维贫困指数（Alkire–Foster）输入有误：${v.issues[0]!.zh}`, en: `Invalid input to the Alkire–Foster multidimensional poverty measures: ${v.issues[0]!.en}` });
  });

  it('refuses a short row, a negative cardinal value and a zero cardinal cut-off', () => {
    const card = [{ name: 'income', cutoff: 0, cardinal: true }, { name: 'school', cutoff: 9, cardinal: true }];
    expect(issuesOf(() => mpi({ indicators: card, rows: [[1, -1], [2]], k: 0.5 }))).toEqual([
      { field: 'indicators.0.cutoff', zh: '基数型指标“income”的剥夺临界值必须大于 0（缺口 (z−x)/z 要除以它），收到 0', en: 'The cut-off of cardinal indicator "income" must be above 0 (the gap (z−x)/z divides by it); got 0', value: '0' },
      { field: 'rows.0.school', zh: '第 1 行（下标 0）基数型指标“school”的值为负数：-1（缺口 (z−x)/z 要求 x ≥ 0）', en: 'row 1 (index 0), cardinal indicator "school": the value is negative (-1); the gap (z−x)/z needs x ≥ 0', value: '-1' },
      { field: 'rows.1', zh: '第 2 行（下标 1）应有 2 个指标值，实际为 1', en: 'row 2 (index 1) should have 2 indicator values; it has 1' },
    ]);
  });
});

describe('invariants', () => {
  // d indicators with integer values 0..4 and cut-offs 1..4 (so ties with the cut-off occur),
  // random weights summing to 1, person weights 0..3, groups 'a'..'c'.
  const instance = fc.integer({ min: 1, max: 5 }).chain((d) => fc.record({
    cutoffs: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: d, maxLength: d }),
    raw: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: d, maxLength: d }),
    rows: fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 25 }),
    pw: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 25, maxLength: 25 }),
    gs: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 25, maxLength: 25 }),
    k: fc.integer({ min: 1, max: 20 }).map((x) => x / 20),
    equal: fc.boolean(),
  }));

  it('M0 = H·A; 0 ≤ M2 ≤ M1 ≤ M0 ≤ H ≤ 1; censored ≤ uncensored; contributions sum to M0 (100 %); subgroups sum to M0', () => {
    fc.assert(fc.property(instance, ({ cutoffs, raw, rows, pw, gs, k, equal }) => {
      const total = raw.reduce((a, b) => a + b, 0);
      const indicators = cutoffs.map((z, j) => ({ name: `x${j}`, cutoff: z, cardinal: true, ...(equal ? {} : { weight: raw[j]! / total }) }));
      const weights = rows.map((_, i) => pw[i]!);
      fc.pre(weights.some((w) => w > 0));
      const groups = rows.map((_, i) => gs[i]!);
      const r = mpi({ indicators, rows, k, weights, groups });
      const eps = 1e-12;
      expect(r.M0).toBeCloseTo(r.H * r.A, 14);
      expect(r.M2!).toBeGreaterThanOrEqual(0);
      expect(r.M2!).toBeLessThanOrEqual(r.M1! + eps);
      expect(r.M1!).toBeLessThanOrEqual(r.M0 + eps);
      expect(r.M0).toBeLessThanOrEqual(r.H + eps);
      expect(r.H).toBeLessThanOrEqual(1);
      for (const ind of r.indicators) expect(ind.censored).toBeLessThanOrEqual(ind.uncensored);
      expect(r.indicators.reduce((a, i) => a + i.contribution, 0)).toBeCloseTo(r.M0, 14);
      if (r.M0 > 0) expect(r.indicators.reduce((a, i) => a + i.share!, 0)).toBeCloseTo(1, 12);
      const g = r.groups!;
      expect(g.reduce((a, x) => a + x.populationShare, 0)).toBeCloseTo(1, 14);
      expect(g.reduce((a, x) => a + x.populationShare * x.M0, 0)).toBeCloseTo(r.M0, 14);
      for (const x of g) expect(x.M0).toBeCloseTo(x.H * x.A, 14);
      if (r.M0 > 0) expect(g.reduce((a, x) => a + x.share!, 0)).toBeCloseTo(1, 12);
      // with equal weights, identification agrees with an exact comparison in integer units
      if (equal) rows.forEach((row, i) => {
        const count = row.filter((x, j) => x < cutoffs[j]!).length;
        // count/d ≥ m/20 ⇔ 20·count ≥ m·d, with k = m/20
        expect(r.poor[i]).toBe(count > 0 && 20 * count >= Math.round(k * 20) * cutoffs.length);
      });
    }), { numRuns: 400 });
  });
});
