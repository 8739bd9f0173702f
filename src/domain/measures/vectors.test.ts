// Independent test vectors from an open-source poverty and inequality package: Inequality.jl
// (JosepER/Inequality.jl, MIT licence), test/runtests.jl — incomes v = [8,5,1,3,5,6,7,6,3], weights
// w = 0.1, 0.2, …, 0.9, poverty line 4. Only the published numbers are used here; the code is ours.
// Inequality.jl's weights are probability or frequency weights, as ours are (W = Σ w_i).
import { describe, expect, it } from 'vitest';
import { fgt, gini, headcount, watts } from './index.js';

const v = [8, 5, 1, 3, 5, 6, 7, 6, 3];
const w = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const line = 4;
// Inequality.jl compares with atol = 1e-8
const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-8);

describe('Inequality.jl test vectors', () => {
  it('Gini: 0.237373737373737 unweighted, 0.2065239551478077 weighted', () => {
    near(gini({ incomes: v }), 0.237373737373737);
    near(gini({ incomes: v, weights: w }), 0.2065239551478077);
  });

  it('headcount ratio: 1/3 unweighted, 0.35555555555555557 weighted', () => {
    near(headcount({ incomes: v, line }).rate, 0.3333333333333333);
    near(headcount({ incomes: v, weights: w, line }).rate, 0.35555555555555557);
  });

  it('poverty gap (P1): 0.1388888888888889 and 0.1222222222222222; FGT α = 2 (P2): 0.0763888888888889 and 0.05555555555555555', () => {
    const u = fgt({ incomes: v, line });
    const f = fgt({ incomes: v, weights: w, line });
    near(u.p1, 0.1388888888888889);
    near(f.p1, 0.1222222222222222);
    near(u.p2, 0.0763888888888889);
    near(f.p2, 0.05555555555555555);
  });

  it('Watts: 0.217962056224828 unweighted, 0.17552777833850716 weighted', () => {
    near(watts({ incomes: v, line }), 0.217962056224828);
    near(watts({ incomes: v, weights: w, line }), 0.17552777833850716);
  });
});
