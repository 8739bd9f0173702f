// Worked examples of ecological payments by area and programme year, computed by hand below.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { DEFAULT_POLICY_ROWS, lookupFor, type PolicyRow } from '../policy.js';
import { calcEcology, checkEcology } from './ecology.js';

const COUNTY = '150524';
const shipped = (y: number) => lookupFor(DEFAULT_POLICY_ROWS, y, COUNTY);
const calc = (o: Record<string, unknown>, lookup = shipped) => calcEcology(checkEcology({ area: COUNTY, ...o }), lookup);
const totalOf = (res: ReturnType<typeof calcEcology>, key: string) => res.totals.find((t) => t.key === key)!.amount;

describe('ecological payments', () => {
  it('退耕还林: 12.5 mu retired in 2016, paid in years 1, 3 and 5', () => {
    const res = calc({ programme: 'forest', mu: 12.5, startYear: 2016, year: 2018 });
    // year 1 (2016): 500 × 12.5 = 6,250; year 3 (2018): 300 × 12.5 = 3,750; year 5 (2020): 400 × 12.5 = 5,000
    expect(res.lines.map((l) => [l.key, l.values.calendarYear, l.amount])).toEqual([['year1', 2016, 6_250], ['year3', 2018, 3_750], ['year5', 2020, 5_000]]);
    // 2018 is programme year 3: 3,750 due; the whole programme 6,250 + 3,750 + 5,000 = 15,000 = 1,200 × 12.5
    expect(totalOf(res, 'due')).toBe(3_750);
    expect(totalOf(res, 'programmeTotal')).toBe(15_000);
    expect(res.lines[1]!.formula.zh).toBe('300.00 元/亩 × 12.5 亩 = 3,750.00（本年度发放）');
    expect(res.lines[0]!.params[0]).toMatchObject({ key: 'ecology_forest_year1_yuan_per_mu', value: 500, year: 2014, region: '' });
    // 2019 is programme year 4: nothing due
    const y4 = calc({ programme: 'forest', mu: 12.5, startYear: 2016, year: 2019 });
    expect(totalOf(y4, 'due')).toBe(0);
    expect(y4.totals[0]!.formula.zh).toContain('第 4 年不是发放年度');
  });

  it('退耕还草: 3.33 mu in 2015, paid 450 and 400 per mu in years 1 and 3', () => {
    const res = calc({ programme: 'grass', mu: 3.33, startYear: 2015, year: 2015 });
    // 450 × 3.33 = 1,498.50 (due now); 400 × 3.33 = 1,332.00; 1,498.50 + 1,332.00 = 2,830.50 = 850 × 3.33
    expect(res.lines.map((l) => l.amount)).toEqual([1_498.5, 1_332]);
    expect(totalOf(res, 'due')).toBe(1_498.5);
    expect(totalOf(res, 'programmeTotal')).toBe(2_830.5);
  });

  it('uses the standard of the plot\'s first year, not of the year asked', () => {
    const rows: PolicyRow[] = [...DEFAULT_POLICY_ROWS, { key: 'ecology_forest_year3_yuan_per_mu', year: 2019, region: COUNTY, value: 350, source: 'test' }];
    const lookup = (y: number) => lookupFor(rows, y, COUNTY);
    // a 2016 plot keeps 300 in its year 3 (2018); a 2019 plot gets 350 × 2 = 700 in 2021
    expect(calc({ programme: 'forest', mu: 2, startYear: 2016, year: 2018 }, lookup).lines[1]!.amount).toBe(600);
    expect(calc({ programme: 'forest', mu: 2, startYear: 2019, year: 2021 }, lookup).lines[1]!.amount).toBe(700);
  });

  it('公益林 ships unknown: the calculator names the parameter; a county value is used half up', () => {
    const res = calc({ programme: 'public_forest', mu: 20, year: 2020 });
    expect(res.complete).toBe(false);
    expect(res.lines[0]).toMatchObject({ status: 'missing', amount: null });
    expect(res.missing.map((m) => m.key)).toEqual(['ecology_public_forest_yuan_per_mu']);
    expect(res.missing[0]!.reason.zh).toContain('jingzhun policy set');
    const rows: PolicyRow[] = [...DEFAULT_POLICY_ROWS, { key: 'ecology_public_forest_yuan_per_mu', year: 2018, region: COUNTY, value: 15.5, source: 'test' }];
    // 15.50 × 20.25 = 313.875 → 313.88
    const set = calc({ programme: 'public_forest', mu: 20.25, year: 2020 }, (y) => lookupFor(rows, y, COUNTY));
    expect(set.lines[0]!.amount).toBe(313.88);
    expect(totalOf(set, 'total')).toBe(313.88);
  });

  it('rangers: local pay unknown by default, prorated by months when set; central sizing alongside', () => {
    const res = calc({ programme: 'ranger', rangers: 2, months: 6, year: 2020 });
    expect(res.missing.map((m) => m.key)).toEqual(['ecology_ranger_wage_yuan']);
    expect(totalOf(res, 'total')).toBeNull();
    // central sizing: 10,000 × 6/12 = 5,000 per ranger × 2 = 10,000
    expect(res.lines.find((l) => l.key === 'centralBudget')!.amount).toBe(10_000);
    const rows: PolicyRow[] = [...DEFAULT_POLICY_ROWS, { key: 'ecology_ranger_wage_yuan', year: 2020, region: COUNTY, value: 8_000, source: 'test' }];
    const set = calc({ programme: 'ranger', rangers: 3, months: 7, year: 2020 }, (y) => lookupFor(rows, y, COUNTY));
    // 8,000 × 7/12 = 4,666.666… → 4,666.67 per ranger; × 3 = 14,000.01
    expect(set.lines[0]!.values).toMatchObject({ perRanger: 4_666.67, amount: 14_000.01 });
    expect(totalOf(set, 'total')).toBe(14_000.01);
    expect(set.complete).toBe(true);
  });

  it('refuses bad input field by field', () => {
    try {
      checkEcology({ year: 2018, programme: 'forest', mu: 1.234, startYear: 2019 });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => [i.field, i.en])).toEqual([
        ['mu', 'mu has at most 2 decimals'],
        ['startYear', 'startYear (2019) cannot be after year (2018)'],
      ]);
    }
    expect(() => checkEcology({ year: 2018, programme: 'ranger', months: 13 })).toThrow(ValidationError);
    expect(() => checkEcology({ year: 2018, programme: 'public_forest', mu: 0 })).toThrow(ValidationError);
  });
});
