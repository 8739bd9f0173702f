// Worked examples of the medical one-stop settlement, computed by hand below (amounts in yuan).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { DEFAULT_POLICY_ROWS, lookupFor, type PolicyRow } from '../policy.js';
import type { PolicyKey } from '../policy-types.js';
import { calcMedical, checkMedical, type MedicalInput } from './medical.js';

const COUNTY = '150524';
const r = (key: PolicyKey, value: number | null, year = 2020): PolicyRow => ({ key, year, region: COUNTY, value, source: 'test' });
// Illustrative county values (the shipped ones are unknown).
const ROWS: PolicyRow[] = [
  r('medical_basic_deductible_yuan', 800), r('medical_basic_ratio_pct', 70), r('medical_basic_cap_yuan', 150_000),
  r('medical_critical_deductible_yuan', 15_000), r('medical_critical_ratio_pct', 50), r('medical_critical_cap_yuan', 200_000),
  r('medical_critical_poor_deductible_yuan', 7_500), r('medical_critical_poor_ratio_pct', 60), r('medical_critical_poor_cap_yuan', 300_000),
  r('medical_assistance_deductible_yuan', 0), r('medical_assistance_ratio_pct', 70), r('medical_assistance_cap_yuan', 50_000),
];
const lookup = (rows: readonly PolicyRow[]) => (y: number) => lookupFor(rows, y, COUNTY);

function input(o: Record<string, unknown>): MedicalInput {
  return checkMedical({ year: 2021, area: COUNTY, person: 'poor', ...o });
}
const paid = (res: ReturnType<typeof calcMedical>, key: string) => res.lines.find((l) => l.key === key)!.amount;
const total = (res: ReturnType<typeof calcMedical>, key: string) => res.totals.find((t) => t.key === key)!.amount;

describe('medical one-stop settlement', () => {
  it('a registered poor patient: three layers in order on the eligible part', () => {
    const res = calcMedical(input({ bill: { total: 52_000, eligible: 50_000 } }), lookup(ROWS));
    // outside the policy scope: 52,000 − 50,000 = 2,000, paid by nobody
    expect(paid(res, 'ineligible')).toBe(2_000);
    // basic: base 50,000; (50,000 − 800) × 70% = 49,200 × 0.7 = 34,440 ≤ cap 150,000
    expect(paid(res, 'basic')).toBe(34_440);
    // critical (poor): base 50,000 − 34,440 = 15,560; (15,560 − 7,500) × 60% = 8,060 × 0.6 = 4,836
    expect(paid(res, 'critical')).toBe(4_836);
    // assistance: base 15,560 − 4,836 = 10,724; (10,724 − 0) × 70% = 7,506.80
    expect(paid(res, 'assistance')).toBe(7_506.8);
    // paid 34,440 + 4,836 + 7,506.80 = 46,782.80; out of pocket 52,000 − 46,782.80 = 5,217.20
    expect(total(res, 'reimbursed')).toBe(46_782.8);
    expect(total(res, 'outOfPocket')).toBe(5_217.2);
    expect(res.complete).toBe(true);
    expect(res.missing).toEqual([]);
    const basic = res.lines.find((l) => l.key === 'basic')!;
    expect(basic.values).toMatchObject({ base: 50_000, deductibleApplied: 800, aboveDeductible: 49_200, ratioPct: 70, byRatio: 34_440, capRemaining: 150_000, paid: 34_440, capped: false });
    expect(basic.formula.zh).toContain('(50,000.00 − 800.00) × 70% = 34,440.00');
    // each line cites its parameters: key, the year it took effect, the region and the source
    expect(basic.params.map((p) => [p.key, p.value, p.year, p.region, p.source])).toEqual([
      ['medical_basic_deductible_yuan', 800, 2020, COUNTY, 'test'],
      ['medical_basic_ratio_pct', 70, 2020, COUNTY, 'test'],
      ['medical_basic_cap_yuan', 150_000, 2020, COUNTY, 'test'],
    ]);
    expect(res.lines.find((l) => l.key === 'critical')!.params.map((p) => p.key)).toEqual([
      'medical_critical_poor_deductible_yuan', 'medical_critical_poor_ratio_pct', 'medical_critical_poor_cap_yuan',
    ]);
  });

  it('a general insured: general critical-illness parameters, no medical assistance', () => {
    const res = calcMedical(input({ person: 'general', bill: { total: 52_000, eligible: 50_000 } }), lookup(ROWS));
    expect(paid(res, 'basic')).toBe(34_440);
    // critical (general): (15,560 − 15,000) × 50% = 280
    expect(paid(res, 'critical')).toBe(280);
    expect(res.lines.find((l) => l.key === 'assistance')).toMatchObject({ status: 'not_applicable', amount: 0, params: [] });
    // 52,000 − (34,440 + 280) = 17,280
    expect(total(res, 'outOfPocket')).toBe(17_280);
    expect(res.params.map((p) => p.key)).not.toContain('medical_assistance_ratio_pct');
  });

  it('a bill below the deductible: basic and critical pay nothing; assistance has no deductible', () => {
    const res = calcMedical(input({ bill: { total: 600 } }), lookup(ROWS));
    // eligible defaults to the total; basic: min(600, 800) = 600 deducted, (600 − 600) × 70% = 0
    expect(res.lines.find((l) => l.key === 'basic')!.values).toMatchObject({ deductibleApplied: 600, aboveDeductible: 0, paid: 0 });
    // critical: min(600, 7,500) deducted → 0; assistance: 600 × 70% = 420; out of pocket 600 − 420 = 180
    expect(paid(res, 'critical')).toBe(0);
    expect(paid(res, 'assistance')).toBe(420);
    expect(total(res, 'outOfPocket')).toBe(180);
    // a general insured pays all of it
    expect(total(calcMedical(input({ person: 'general', bill: { total: 600 } }), lookup(ROWS)), 'outOfPocket')).toBe(600);
  });

  it('the year\'s accumulated use: deductibles already met and caps nearly reached', () => {
    const res = calcMedical(input({
      bill: { total: 50_000, eligible: 50_000 },
      used: { basic: { deductibleMet: 800, paid: 148_000 }, critical: { deductibleMet: 7_500, paid: 10_000 }, assistance: { paid: 45_000 } },
    }), lookup(ROWS));
    // basic: deductible met (800 − 800 = 0 left); 50,000 × 70% = 35,000; cap 150,000 − 148,000 = 2,000 left → pays 2,000
    expect(res.lines.find((l) => l.key === 'basic')!.values).toMatchObject({ deductibleApplied: 0, byRatio: 35_000, capRemaining: 2_000, paid: 2_000, capped: true });
    // critical: base 50,000 − 2,000 = 48,000, nothing left to deduct; 48,000 × 60% = 28,800 ≤ 300,000 − 10,000
    expect(paid(res, 'critical')).toBe(28_800);
    // assistance: base 48,000 − 28,800 = 19,200; × 70% = 13,440; cap 50,000 − 45,000 = 5,000 left → 5,000
    expect(res.lines.find((l) => l.key === 'assistance')!.values).toMatchObject({ base: 19_200, byRatio: 13_440, capRemaining: 5_000, paid: 5_000 });
    // out of pocket 50,000 − (2,000 + 28,800 + 5,000) = 14,200
    expect(total(res, 'outOfPocket')).toBe(14_200);
    // a cap already passed leaves 0, never a negative amount
    const over = calcMedical(input({ bill: { total: 1_000 }, used: { basic: { paid: 160_000 } } }), lookup(ROWS));
    expect(over.lines.find((l) => l.key === 'basic')!.values).toMatchObject({ capRemaining: 0, paid: 0 });
  });

  it('rounds each layer half up to the fen', () => {
    const rows = ROWS.map((x) => (x.key === 'medical_basic_ratio_pct' ? { ...x, value: 62.5 } : x.key === 'medical_basic_deductible_yuan' ? { ...x, value: 0 } : x));
    // 333.33 × 62.5% = 208.33125 → 208.33; 0.01 × 62.5% = 0.00625 → 0.01
    expect(paid(calcMedical(input({ bill: { total: 333.33 } }), lookup(rows)), 'basic')).toBe(208.33);
    expect(paid(calcMedical(input({ bill: { total: 0.01 } }), lookup(rows)), 'basic')).toBe(0.01);
  });

  it('with the shipped (unknown) values names every missing parameter and computes no total', () => {
    const res = calcMedical(input({ bill: { total: 10_000 } }), lookup(DEFAULT_POLICY_ROWS));
    expect(res.complete).toBe(false);
    expect(total(res, 'outOfPocket')).toBeNull();
    expect(res.lines.filter((l) => l.key !== 'ineligible').map((l) => [l.key, l.status, l.amount])).toEqual([
      ['basic', 'missing', null], ['critical', 'missing', null], ['assistance', 'missing', null],
    ]);
    expect(res.missing.map((m) => m.key)).toEqual([
      'medical_basic_deductible_yuan', 'medical_basic_ratio_pct', 'medical_basic_cap_yuan',
      'medical_critical_poor_deductible_yuan', 'medical_critical_poor_ratio_pct', 'medical_critical_poor_cap_yuan',
      'medical_assistance_deductible_yuan', 'medical_assistance_ratio_pct', 'medical_assistance_cap_yuan',
    ]);
    expect(res.missing[0]!.reason.zh).toContain('已登记但数值未知');
    expect(res.lines.find((l) => l.key === 'basic')!.formula.zh).toBe('缺少参数 medical_basic_deductible_yuan、medical_basic_ratio_pct、medical_basic_cap_yuan，无法计算');
  });

  it('one missing layer stops the later layers but keeps the earlier one', () => {
    const rows = ROWS.filter((x) => x.key !== 'medical_critical_poor_ratio_pct');
    const res = calcMedical(input({ bill: { total: 52_000, eligible: 50_000 } }), lookup(rows));
    expect(paid(res, 'basic')).toBe(34_440);
    expect(res.lines.find((l) => l.key === 'critical')).toMatchObject({ status: 'missing', amount: null });
    expect(res.lines.find((l) => l.key === 'assistance')).toMatchObject({ status: 'missing', amount: null });
    expect(res.missing.map((m) => m.key)).toEqual(['medical_critical_poor_ratio_pct']);
    expect(res.missing[0]!.reason.en).toContain('not set');
  });

  it('refuses bad input field by field', () => {
    try {
      checkMedical({ year: 1999, person: 'rich', bill: { total: 100.005, eligible: -1 }, used: { basic: { paid: 'x' } } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues.map((i) => i.field)).toEqual(['year', 'person', 'bill.total', 'bill.eligible', 'used.basic.paid']);
    }
    try {
      checkMedical({ year: 2021, person: 'poor', bill: { total: 100, eligible: 200 } });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues).toEqual([
        { field: 'bill.eligible', value: '200', zh: '政策范围内费用 200.00 不能大于总费用 100.00', en: 'The eligible part 200.00 cannot exceed the total 100.00' },
      ]);
    }
  });

  it('always pays between 0 and the bill, and the patient pays the rest exactly', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 20_000_000 }), fc.constantFrom('poor', 'general'),
      (totalFen, eligiblePct, usedFen, person) => {
        const eligible = Math.floor((totalFen * eligiblePct) / 100) / 100;
        const res = calcMedical(checkMedical({ year: 2021, area: COUNTY, person, bill: { total: totalFen / 100, eligible }, used: { basic: { paid: usedFen / 100 } } }), lookup(ROWS));
        const layers = res.lines.filter((l) => l.key !== 'ineligible').reduce((a, l) => a + Math.round(l.amount! * 100), 0);
        expect(layers).toBeGreaterThanOrEqual(0);
        expect(layers).toBeLessThanOrEqual(Math.round(eligible * 100));
        expect(Math.round(total(res, 'outOfPocket')! * 100)).toBe(totalFen - layers);
      },
    ), { numRuns: 200 });
  });
});
