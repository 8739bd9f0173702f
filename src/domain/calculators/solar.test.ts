// Worked examples of the solar income distribution, computed by hand below.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { DEFAULT_POLICY_ROWS, lookupFor } from '../policy.js';
import { largestRemainder } from './common.js';
import { calcSolar, checkSolar } from './solar.js';

const shipped = (y: number) => lookupFor(DEFAULT_POLICY_ROWS, y, '150524');
const calc = (o: Record<string, unknown>) => calcSolar(checkSolar({ year: 2019, quarter: 2, area: '150524', ...o }), shipped);
const amountOf = (res: ReturnType<typeof calcSolar>, key: string) => res.lines.find((l) => l.key === key)!.amount;

describe('largest remainder', () => {
  it('gives the left-over units to the largest remainders, ties to the earlier entry', () => {
    // 10 × (3333, 3333, 3334) / 10000 = 3.333, 3.333, 3.334 → 3, 3, 3 and 1 left → the largest remainder (0.334)
    expect(largestRemainder(10, [3333n, 3333n, 3334n]).parts).toEqual([3, 3, 4]);
    // 123457 / 3 = 41152.333… each: 41152 × 3 = 123456, 1 left, a tie → the first
    expect(largestRemainder(123_457, [1n, 1n, 1n])).toEqual({ parts: [41_153, 41_152, 41_152], extra: [true, false, false] });
  });

  it('always sums to the total', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e12 }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 8n }), { minLength: 1, maxLength: 30 }), (total, ws) => {
      fc.pre(ws.some((w) => w > 0n));
      const { parts } = largestRemainder(total, ws);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      const W = ws.reduce((a, b) => a + b, 0n);
      parts.forEach((p, i) => expect(Math.abs(p - Number((BigInt(total) * ws[i]!) / W))).toBeLessThanOrEqual(1));
    }), { numRuns: 300 });
  });
});

describe('solar income distribution', () => {
  const base = {
    village: '测试嘎查',
    revenue: 10_000,
    capacityKw: 300,
    shares: { jobs: 50, works: 20, rewards: 10, subsidies: 20 },
    noLabourFactor: 2,
    recipients: [
      { name: '保洁员 A', purpose: 'jobs', weight: 1 },
      { name: '保洁员 B', purpose: 'jobs', weight: 1 },
      { name: '护路员 C', purpose: 'jobs', weight: 1 },
      { name: '村道维修', purpose: 'works', weight: 1 },
      { name: '孝老户 D', purpose: 'rewards', weight: 1 },
      { name: '孝老户 E', purpose: 'rewards', weight: 1 },
      { name: '户 F', purpose: 'subsidies', weight: 1, noLabour: true },
      { name: '户 G', purpose: 'subsidies', weight: 1 },
      { name: '户 H', purpose: 'subsidies', weight: 1, noLabour: true },
    ],
  };

  it('splits a quarter\'s revenue by purpose and then by weight, to the fen, summing exactly', () => {
    const res = calc(base);
    // purposes: 10,000 × 50% = 5,000; × 20% = 2,000; × 10% = 1,000; × 20% = 2,000
    expect(['jobs', 'works', 'rewards', 'subsidies'].map((p) => amountOf(res, `purpose.${p}`))).toEqual([5_000, 2_000, 1_000, 2_000]);
    // jobs: 5,000 / 3 = 1,666.666… each: 1,666.66 × 3 = 4,999.98, 2 fen left, equal remainders → the first two
    expect([0, 1, 2].map((i) => amountOf(res, `recipient.${i}`))).toEqual([1_666.67, 1_666.67, 1_666.66]);
    expect(res.lines.find((l) => l.key === 'recipient.0')!.formula.zh).toBe('公益岗位工资 5,000.00 × 1 / 3 = 1,666.6666… → 1,666.67（最大余数 +0.01）');
    // works: all 2,000 to the one work; rewards: 1,000 / 2 = 500 each
    expect([3, 4, 5].map((i) => amountOf(res, `recipient.${i}`))).toEqual([2_000, 500, 500]);
    // subsidies, no-labour households weighted × 2: weights 2, 1, 2 (Σ 5) → 2,000 × 2/5 = 800, × 1/5 = 400, 800
    expect([6, 7, 8].map((i) => amountOf(res, `recipient.${i}`))).toEqual([800, 400, 800]);
    expect(res.lines.find((l) => l.key === 'recipient.6')!.formula.en).toBe('Subsidies 2,000.00 × 1 × 2 / 5 = 800.0000 → 800.00');
    expect(res.totals[0]!.amount).toBe(10_000);
    // the station size is checked against solar_station_max_kw (500)
    expect(res.lines[0]).toMatchObject({ key: 'capacity', status: 'ok' });
    expect(res.lines[0]!.params[0]).toMatchObject({ key: 'solar_station_max_kw', value: 500, year: 2017 });
  });

  it('an awkward revenue: the leftover fen go to the largest remainders', () => {
    const res = calc({
      ...base,
      revenue: 0.1,
      capacityKw: 600,
      shares: { jobs: 33.33, works: 33.33, rewards: 33.34 },
      recipients: [{ name: 'a', purpose: 'jobs' }, { name: 'b', purpose: 'works' }, { name: 'c', purpose: 'rewards' }],
    });
    // 10 fen × 33.33% = 3.333 fen, × 33.33% = 3.333, × 33.34% = 3.334 → 3, 3, 3 + the 1 left to the largest remainder
    expect(['jobs', 'works', 'rewards'].map((p) => amountOf(res, `purpose.${p}`))).toEqual([0.03, 0.03, 0.04]);
    expect(res.totals[0]!.amount).toBe(0.1);
    // 600 kW is above the 500 kW limit of a village station
    expect(res.lines[0]).toMatchObject({ status: 'warning' });
  });

  it('refuses shares that do not sum to 100 and a purpose without recipients', () => {
    try {
      checkSolar({ year: 2019, quarter: 5, revenue: 100, shares: { jobs: 60, works: 30 }, recipients: [{ name: 'a', purpose: 'jobs' }] });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => [i.field, i.en])).toEqual([
        ['quarter', 'quarter must be a whole number from 1 to 4'],
        ['shares', 'The shares must sum to 100%, they sum to 90%'],
        ['shares.works', 'works (Small public works) has 30% but no recipient'],
      ]);
    }
  });
});
