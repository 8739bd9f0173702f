// Gini on hand examples and against the brute-force definition.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { gini } from './gini.js';

/** Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W² μ), straight from the definition. */
function bruteGini(ys: readonly number[], ws: readonly number[] = ys.map(() => 1)): number {
  let W = 0;
  let S = 0;
  let D = 0;
  ys.forEach((y, i) => {
    W += ws[i]!;
    S += ws[i]! * y;
    ys.forEach((y2, j) => {
      D += ws[i]! * ws[j]! * Math.abs(y - y2);
    });
  });
  return D / (2 * W * S);
}

function issuesOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

describe('Gini', () => {
  it('is 4/15 for 1, 2, 3, 4, 5', () => {
    // mean 3; unordered |differences|: 1 ×4, 2 ×3, 3 ×2, 4 ×1 → 4 + 6 + 6 + 4 = 20, ordered pairs 40
    // G = 40 / (2 · 5² · 3) = 40/150 = 4/15
    expect(gini({ incomes: [5, 3, 1, 4, 2] })).toBeCloseTo(4 / 15, 15);
  });

  it('is 0 for equal incomes', () => {
    expect(gini({ incomes: [7, 7, 7, 7] })).toBe(0);
    expect(gini({ incomes: [0.1, 0.1, 0.1], weights: [1, 2, 3] })).toBe(0);
  });

  it('is (n−1)/n when one of n people has everything', () => {
    // 0,0,0,10: ordered pairs with difference 10: 6 → 60 / (2 · 16 · 2.5) = 60/80 = 3/4
    expect(gini({ incomes: [0, 0, 0, 10] })).toBeCloseTo(0.75, 15);
  });

  it('weighted equals unweighted with rows repeated', () => {
    // (1 ×2, 4 ×1, 6 ×3) vs 1,1,4,6,6,6: W = 6, μ = (2 + 4 + 18)/6 = 4;
    // Σ_i Σ_j w_i w_j |y_i − y_j| = 2·(2·1·|1−4| + 2·3·|1−6| + 1·3·|4−6|) = 2·(6 + 30 + 6) = 84
    // G = 84 / (2 · 36 · 4) = 84/288 = 7/24
    const w = gini({ incomes: [1, 4, 6], weights: [2, 1, 3] });
    expect(w).toBeCloseTo(7 / 24, 15);
    expect(w).toBeCloseTo(gini({ incomes: [1, 1, 4, 6, 6, 6] }), 15);
  });

  it('matches the definition, stays in [0, 1) and ignores the scale', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 30 }),
      fc.integer({ min: 1, max: 100 }),
      (rows, scale) => {
        const ys = rows.map(([y]) => y / 10);
        const ws = rows.map(([, w]) => w);
        fc.pre(ws.some((w, i) => w > 0 && ys[i]! > 0));
        const g = gini({ incomes: ys, weights: ws });
        expect(g).toBeGreaterThanOrEqual(0);
        expect(g).toBeLessThan(1);
        expect(g).toBeCloseTo(bruteGini(ys, ws), 12);
        expect(gini({ incomes: ys.map((y) => y * scale), weights: ws })).toBeCloseTo(g, 12);
        const rep = ys.flatMap((y, i) => Array.from({ length: ws[i]! }, () => y));
        expect(gini({ incomes: rep })).toBeCloseTo(g, 12);
      },
    ), { numRuns: 300 });
  });

  it('refuses negative incomes, NaN and a zero mean', () => {
    expect(issuesOf(() => gini({ incomes: [1, -2, 3] }))).toEqual([
      { field: 'incomes.1', zh: '基尼系数要求收入 ≥ 0：收入第 2 行（下标 1）为 -2', en: 'The Gini coefficient needs incomes ≥ 0: income in row 2 (index 1) is -2', value: '-2' },
    ]);
    expect(issuesOf(() => gini({ incomes: [1, 2, Number.NaN] }))).toEqual([
      { field: 'incomes.2', zh: '收入第 3 行（下标 2）不是有限数字：NaN', en: 'income in row 3 (index 2) is not a finite number: NaN', value: 'NaN' },
    ]);
    expect(issuesOf(() => gini({ incomes: [0, 0] }))).toEqual([
      { field: 'incomes', zh: '收入（加权）合计为 0，平均收入为 0 时基尼系数无定义', en: 'The (weighted) incomes sum to 0; the Gini coefficient is undefined when the mean is 0' },
    ]);
  });
});
