import { describe, expect, it } from 'vitest';
import { incomeBreakdown, netIncome, perCapitaNetIncome, type IncomeComponents } from './income.js';

const base: IncomeComponents = {
  wage: 12000,
  production: 5600.5,
  property: 300,
  transfer: 2100.25,
  productionCosts: 1800.75,
};

describe('netIncome', () => {
  it('adds the counted components and subtracts production costs', () => {
    // 12000 + 5600.50 + 300 + 2100.25 − 1800.75 = 18200.00
    expect(netIncome(base)).toBe(18200);
  });

  it('is exact in fen where floating point is not', () => {
    // 0.1 + 0.2 = 0.30000000000000004 in floating point; in fen 10 + 20 = 30 → 0.30
    expect(netIncome({ wage: 0.1, production: 0.2, property: 0, transfer: 0, productionCosts: 0 })).toBe(0.3);
    // 1.005 is stored as 1.00499999999999989…; it is read as typed, 100.5 fen → 101 fen
    expect(netIncome({ wage: 1.005, production: 0, property: 0, transfer: 0, productionCosts: 0 })).toBe(1.01);
  });

  it('does not count nonCounting amounts', () => {
    expect(netIncome({ ...base, nonCounting: 50000 })).toBe(18200);
  });
});

describe('perCapitaNetIncome', () => {
  it('divides by household size', () => {
    // 18200.00 / 4 = 4550.00
    expect(perCapitaNetIncome(base, 4)).toBe(4550);
  });

  it('rounds to whole fen, half away from zero', () => {
    // 10000.00 yuan = 1000000 fen; / 3 = 333333.33 fen → 333333 fen = 3333.33 yuan
    expect(perCapitaNetIncome({ wage: 10000, production: 0, property: 0, transfer: 0, productionCosts: 0 }, 3)).toBe(3333.33);
    // 200.00 yuan = 20000 fen; / 3 = 6666.67 fen → 6667 fen = 66.67 yuan
    expect(perCapitaNetIncome({ wage: 200, production: 0, property: 0, transfer: 0, productionCosts: 0 }, 3)).toBe(66.67);
    // 0.05 yuan = 5 fen; / 2 = 2.5 fen → 3 fen = 0.03 yuan
    expect(perCapitaNetIncome({ wage: 0.05, production: 0, property: 0, transfer: 0, productionCosts: 0 }, 2)).toBe(0.03);
  });

  it('excludes education grants, medical reimbursements and housing subsidies', () => {
    // A household of 3 just under the line once the 6000 yuan of non-counting subsidies is excluded:
    // (4000 + 2500 + 0 + 1800 − 600) / 3 = 7700 / 3 = 2566.666… → 2566.67
    const c: IncomeComponents = { wage: 4000, production: 2500, property: 0, transfer: 1800, productionCosts: 600, nonCounting: 6000 };
    expect(perCapitaNetIncome(c, 3)).toBe(2566.67);
    expect(perCapitaNetIncome({ ...c, nonCounting: 0 }, 3)).toBe(2566.67);
  });

  it('allows a negative result (losses)', () => {
    // 1000 + (−3000) + 0 + 500 − 1200 = −2700; / 2 = −1350
    expect(perCapitaNetIncome({ wage: 1000, production: -3000, property: 0, transfer: 500, productionCosts: 1200 }, 2)).toBe(-1350);
    // −1.00 yuan = −100 fen; / 3 = −33.33 fen → −33 fen = −0.33
    expect(perCapitaNetIncome({ wage: 0, production: 0, property: 0, transfer: 0, productionCosts: 1 }, 3)).toBe(-0.33);
  });

  it('gives 0, not −0, for nothing', () => {
    expect(Object.is(perCapitaNetIncome({ wage: 0, production: 0, property: 0, transfer: 0, productionCosts: 0 }, 5), 0)).toBe(true);
  });

  it.each([0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects household size %s with a clear RangeError', (size) => {
    expect(() => perCapitaNetIncome(base, size)).toThrow(RangeError);
    expect(() => perCapitaNetIncome(base, size)).toThrow(/positive whole number/);
    expect(() => perCapitaNetIncome(base, size)).toThrow(/家庭人口数必须是正整数/);
  });

  it('rejects a component that is not a finite number', () => {
    expect(() => perCapitaNetIncome({ ...base, wage: Number.NaN }, 2)).toThrow(/wage/);
    expect(() => netIncome({ ...base, transfer: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});

describe('incomeBreakdown', () => {
  it('lists every component, the total, the per-capita figure and the excluded amount', () => {
    const b = incomeBreakdown({ ...base, nonCounting: 3500.4 }, 4);
    expect(b).toMatchObject({
      wage: 12000,
      production: 5600.5,
      property: 300,
      transfer: 2100.25,
      productionCosts: 1800.75,
      netIncome: 18200, // as above
      householdSize: 4,
      perCapitaNetIncome: 4550, // 18200 / 4
      excludedNonCounting: 3500.4,
    });
    expect(b.lines.map((l) => [l.key, l.sign, l.amount])).toEqual([
      ['wage', 1, 12000],
      ['production', 1, 5600.5],
      ['property', 1, 300],
      ['transfer', 1, 2100.25],
      ['productionCosts', -1, 1800.75],
      ['nonCounting', 0, 3500.4],
    ]);
    expect(b.lines.every((l) => l.zh !== '' && l.en !== '')).toBe(true);
  });

  it('agrees with netIncome and perCapitaNetIncome', () => {
    const c: IncomeComponents = { wage: 3333.33, production: 1234.56, property: 0.01, transfer: 987.65, productionCosts: 111.11 };
    // 3333.33 + 1234.56 + 0.01 + 987.65 − 111.11 = 5444.44; / 7 = 777.777… → 777.78
    const b = incomeBreakdown(c, 7);
    expect(b.netIncome).toBe(5444.44);
    expect(b.netIncome).toBe(netIncome(c));
    expect(b.perCapitaNetIncome).toBe(777.78);
    expect(b.perCapitaNetIncome).toBe(perCapitaNetIncome(c, 7));
    expect(b.excludedNonCounting).toBe(0);
  });

  it('rejects an invalid household size', () => {
    expect(() => incomeBreakdown(base, 0)).toThrow(RangeError);
  });
});
