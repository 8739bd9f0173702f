// FGT, Watts, headcount, mean and median on hand examples (arithmetic in the comments) and
// property tests for the invariants.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { fgt, headcount, meanIncome, medianIncome, watts } from './poverty.js';

function issuesOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

const expand = (xs: readonly number[], ws: readonly number[]) => xs.flatMap((x, i) => Array.from({ length: ws[i]! }, () => x));

describe('FGT and Watts on a hand example', () => {
  // Incomes 1..8, line z = 5. Poor (strict y < 5): 1, 2, 3, 4 — the 5 is not poor.
  const incomes = [1, 2, 3, 4, 5, 6, 7, 8];

  it('gives P0 = 1/2, P1 = 1/4, P2 = 0.15', () => {
    const r = fgt({ incomes, line: 5 });
    // P0 = 4 / 8 = 0.5
    expect(r.poor).toBe(4);
    expect(r.population).toBe(8);
    expect(r.p0).toBe(0.5);
    expect(r.rate).toBe(0.5);
    // gaps (5−y)/5 = 4/5, 3/5, 2/5, 1/5, sum 10/5 = 2 → P1 = 2/8 = 0.25
    expect(r.p1).toBeCloseTo(0.25, 15);
    // squared gaps 16/25 + 9/25 + 4/25 + 1/25 = 30/25 = 1.2 → P2 = 1.2/8 = 0.15
    expect(r.p2).toBeCloseTo(0.15, 15);
    expect(headcount({ incomes, line: 5 })).toEqual({ n: 8, population: 8, poor: 4, rate: 0.5 });
  });

  it('gives Watts = ln(625/24)/8', () => {
    // ln(5/1) + ln(5/2) + ln(5/3) + ln(5/4) = ln(5⁴ / 4!) = ln(625/24) ≈ 3.259698; / 8 ≈ 0.407462
    expect(watts({ incomes, line: 5 })).toBeCloseTo(Math.log(625 / 24) / 8, 14);
    expect(watts({ incomes, line: 5 })).toBeCloseTo(0.407462, 6);
  });

  it('counts people through household-size weights', () => {
    // households with per-capita incomes 3 (4 people), 6 (2 people), 4 (1 person), line 5:
    // poor people 4 + 1 = 5 of 7; P1 = (4·2/5 + 1·1/5) / 7 = 1.8/7; P2 = (4·4/25 + 1·1/25)/7 = 0.68/7
    const r = fgt({ incomes: [3, 6, 4], weights: [4, 2, 1], line: 5 });
    expect(r.poor).toBe(5);
    expect(r.population).toBe(7);
    expect(r.p0).toBeCloseTo(5 / 7, 15);
    expect(r.p1).toBeCloseTo(1.8 / 7, 15);
    expect(r.p2).toBeCloseTo(0.68 / 7, 15);
  });

  it('equals the unweighted figures with rows repeated', () => {
    const incomes = [2, 6, 3, 9, 4.5];
    const weights = [3, 1, 2, 0, 4];
    const rep = expand(incomes, weights); // 2,2,2,6,3,3,4.5,4.5,4.5,4.5
    const a = fgt({ incomes, weights, line: 5 });
    const b = fgt({ incomes: rep, line: 5 });
    expect(a.p0).toBeCloseTo(b.p0, 14);
    expect(a.p1).toBeCloseTo(b.p1, 14);
    expect(a.p2).toBeCloseTo(b.p2, 14);
    expect(watts({ incomes, weights, line: 5 })).toBeCloseTo(watts({ incomes: rep, line: 5 }), 14);
    expect(meanIncome({ incomes, weights })).toBeCloseTo(meanIncome({ incomes: rep }), 14);
    expect(medianIncome({ incomes, weights })).toBe(medianIncome({ incomes: rep }));
  });

  it('counts a negative income as 0 only when asked, and refuses it otherwise with its row', () => {
    // asZero: incomes −3 → 0, 2, 6, line 4: gaps 1, 1/2 → P1 = 1.5/3 = 0.5, P2 = 1.25/3
    const r = fgt({ incomes: [-3, 2, 6], line: 4, negativeIncomes: 'asZero' });
    expect(r.p1).toBeCloseTo(0.5, 15);
    expect(r.p2).toBeCloseTo(1.25 / 3, 15);
    const [issue, ...rest] = issuesOf(() => fgt({ incomes: [2, -3, 6], line: 4 }));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({
      field: 'incomes.1',
      zh: "收入第 2 行（下标 1）为负数：-3。FGT 指数要求收入 ≥ 0；如需把负收入按 0 计，请设 negativeIncomes 为 'asZero'",
      en: "income in row 2 (index 1) is negative (-3); the FGT measures need incomes ≥ 0 — set negativeIncomes to 'asZero' to count it as 0",
    });
  });
});

describe('mean and median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(medianIncome({ incomes: [3, 1, 2] })).toBe(2);
    expect(medianIncome({ incomes: [4, 1, 3, 2] })).toBe(2.5);
    expect(meanIncome({ incomes: [4, 1, 3, 2] })).toBe(2.5);
  });

  it('weights the median: cumulative weight reaching exactly half averages with the next row of positive weight', () => {
    // sorted 1 (w 1), 2 (w 1), 3 (w 2): W/2 = 2 reached exactly at 2 → (2 + 3)/2 = 2.5, as for 1,2,3,3
    expect(medianIncome({ incomes: [3, 1, 2], weights: [2, 1, 1] })).toBe(2.5);
    // sorted 1 (w 1), 2 (w 1), 100 (w 0): W/2 = 1 reached exactly at 1; the next row of positive weight is 2 → 1.5
    expect(medianIncome({ incomes: [1, 100, 2], weights: [1, 0, 1] })).toBe(1.5);
    // sorted 1 (w 1), 2 (w 3): W/2 = 2 first passed at 2 → 2
    expect(medianIncome({ incomes: [2, 1], weights: [3, 1] })).toBe(2);
    // mean (1·1 + 2·3)/4 = 7/4
    expect(meanIncome({ incomes: [2, 1], weights: [3, 1] })).toBe(1.75);
  });
});

describe('bad inputs', () => {
  it('names a NaN income by its row', () => {
    const issues = issuesOf(() => fgt({ incomes: [1, 2, 3, Number.NaN], line: 5 }));
    expect(issues).toEqual([{ field: 'incomes.3', zh: '收入第 4 行（下标 3）不是有限数字：NaN', en: 'income in row 4 (index 3) is not a finite number: NaN', value: 'NaN' }]);
  });

  it('refuses negative weights, all-zero weights, wrong lengths and a bad line', () => {
    expect(issuesOf(() => headcount({ incomes: [1, 2], weights: [1, -1], line: 5 }))).toEqual([
      { field: 'weights.1', zh: '权数第 2 行（下标 1）为负数：-1，权数不能为负', en: 'weight in row 2 (index 1) is negative (-1); weights must be ≥ 0', value: '-1' },
    ]);
    expect(issuesOf(() => meanIncome({ incomes: [1, 2], weights: [0, 0] }))).toEqual([
      { field: 'weights', zh: '权数全部为 0，总权数必须大于 0', en: 'All weights are 0; the total weight must be positive' },
    ]);
    expect(issuesOf(() => medianIncome({ incomes: [1, 2], weights: [1] }))).toEqual([
      { field: 'weights', zh: '权数个数（1）与数据行数（2）不一致', en: 'There are 1 weights for 2 rows' },
    ]);
    expect(issuesOf(() => fgt({ incomes: [1], line: 0 }))).toEqual([
      { field: 'line', zh: '贫困线必须是大于 0 的有限数字，收到 0', en: 'The poverty line must be a finite number above 0; got 0', value: '0' },
    ]);
    expect(issuesOf(() => fgt({ incomes: [], line: 5 }))).toEqual([
      { field: 'incomes', zh: '收入列表为空，至少需要一行', en: 'The income list is empty; at least one row is needed' },
    ]);
  });

  it('refuses a zero or negative income for Watts, naming the row, and says so in the top message', () => {
    let err: unknown;
    try {
      watts({ incomes: [3, 0, 7], line: 5 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.issues).toEqual([{
      field: 'incomes.1',
      zh: 'Watts 指数要求收入为正：收入第 2 行（下标 1）为 0（y ≤ 0 时 ln(z/y) 无定义），请先剔除或修正该行',
      en: 'The Watts index needs positive incomes: income in row 2 (index 1) is 0 (ln(z/y) is undefined for y ≤ 0); drop or correct that row first',
      value: '0',
    }]);
    expect(v.msg.zh).toBe(`Watts 指数输入有误：${v.issues[0]!.zh}`);
    expect(v.msg.en).toBe(`Invalid input to the Watts index: ${v.issues[0]!.en}`);
  });

  it('lists at most 100 problems and counts the rest', () => {
    const issues = issuesOf(() => meanIncome({ incomes: Array.from({ length: 150 }, () => Number.NaN) }));
    expect(issues).toHaveLength(101);
    expect(issues[100]).toEqual({ field: '…', zh: '另有 50 处问题未列出', en: '50 more problems not listed' });
  });
});

describe('invariants', () => {
  const sample = fc.record({
    incomes: fc.array(fc.integer({ min: 0, max: 200 }).map((x) => x / 4), { minLength: 1, maxLength: 40 }),
    line: fc.integer({ min: 1, max: 60 }),
  });

  it('0 ≤ P2 ≤ P1 ≤ P0 ≤ 1, P0 = headcount ratio', () => {
    fc.assert(fc.property(sample, fc.boolean(), ({ incomes, line }, weighted) => {
      const weights = weighted ? incomes.map((_, i) => (i * 7919) % 5) : undefined;
      fc.pre(!weights || weights.some((w) => w > 0));
      const r = fgt({ incomes, weights, line });
      const eps = 1e-12;
      expect(r.p2).toBeGreaterThanOrEqual(0);
      expect(r.p2).toBeLessThanOrEqual(r.p1 + eps);
      expect(r.p1).toBeLessThanOrEqual(r.p0 + eps);
      expect(r.p0).toBeLessThanOrEqual(1);
      expect(headcount({ incomes, weights, line }).rate).toBe(r.p0);
    }), { numRuns: 300 });
  });

  it('weighted equals unweighted with rows repeated', () => {
    fc.assert(fc.property(sample, fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 40, maxLength: 40 }), ({ incomes, line }, ws) => {
      const weights = incomes.map((_, i) => ws[i]!);
      fc.pre(weights.some((w) => w > 0));
      const rep = expand(incomes, weights);
      const a = fgt({ incomes, weights, line });
      const b = fgt({ incomes: rep, line });
      expect(a.p1).toBeCloseTo(b.p1, 12);
      expect(a.p2).toBeCloseTo(b.p2, 12);
      expect(medianIncome({ incomes, weights })).toBe(medianIncome({ incomes: rep }));
      expect(meanIncome({ incomes, weights })).toBeCloseTo(meanIncome({ incomes: rep }), 10);
    }), { numRuns: 300 });
  });
});
