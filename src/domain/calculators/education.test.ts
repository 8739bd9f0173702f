// Worked examples of education aid by stage, boarding status and year, computed by hand below.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { DEFAULT_POLICY_ROWS, lookupFor, type PolicyRow } from '../policy.js';
import { calcEducation, checkEducation } from './education.js';

const COUNTY = '150524';
const shipped = (y: number) => lookupFor(DEFAULT_POLICY_ROWS, y, COUNTY);
const calc = (year: number, students: unknown[], lookup = shipped) => calcEducation(checkEducation({ year, area: COUNTY, students }), lookup);

describe('education aid', () => {
  it('2024, the standards before 2025: boarders in full, non-boarders half', () => {
    const res = calc(2024, [
      { name: '大宝', stage: 'primary', boarding: true },
      { name: '二宝', stage: 'lower_secondary', boarding: false },
      { name: '三宝', stage: 'upper_secondary' },
      { name: '四宝', stage: 'yulu' },
    ]);
    // primary boarder 1,000; lower-secondary non-boarder 1,250 × 50% = 625; upper secondary 2,000; 雨露计划 3,000
    expect(res.lines.map((l) => l.amount)).toEqual([1_000, 625, 2_000, 3_000]);
    // 1,000 + 625 + 2,000 + 3,000 = 6,625
    expect(res.totals[0]!.amount).toBe(6_625);
    expect(res.totals[0]!.formula.zh).toBe('1,000.00 + 625.00 + 2,000.00 + 3,000.00 = 6,625.00');
    expect(res.lines[1]!.formula.zh).toBe('非寄宿生：初中寄宿生生活补助 1,250.00 × 50% = 625.00 元/年');
    expect(res.lines[1]!.params.map((p) => [p.key, p.value, p.year, p.region])).toEqual([
      ['education_boarding_lower_secondary_yuan', 1_250, 2014, ''],
      ['education_nonboarder_share_pct', 50, 2014, ''],
    ]);
    expect(res.lines[2]!.params[0]!.source).toContain('(weak)');
  });

  it('2025, the raised standards: 1,250 / 1,500', () => {
    const res = calc(2025, [
      { stage: 'primary', boarding: false },
      { stage: 'lower_secondary', boarding: true },
      { stage: 'vocational' },
    ]);
    // primary non-boarder 1,250 × 50% = 625; lower-secondary boarder 1,500; vocational 2,000; total 4,125
    expect(res.lines.map((l) => l.amount)).toEqual([625, 1_500, 2_000]);
    expect(res.totals[0]!.amount).toBe(4_125);
    expect(res.lines[1]!.params[0]).toMatchObject({ key: 'education_boarding_lower_secondary_yuan', value: 1_500, year: 2025 });
    expect(res.lines[0]!.label.en).toBe('Student 1: Primary, non-boarder');
  });

  it('a county value wins over the national one, and an unknown one is named, not guessed', () => {
    const rows: PolicyRow[] = [...DEFAULT_POLICY_ROWS, { key: 'education_nonboarder_share_pct', year: 2020, region: COUNTY, value: null, source: 'test: unknown' },
      { key: 'education_yulu_yuan', year: 2020, region: COUNTY, value: 2_500, source: 'test' }];
    const res = calc(2021, [{ stage: 'primary', boarding: false }, { stage: 'primary', boarding: true }, { stage: 'yulu' }], (y) => lookupFor(rows, y, COUNTY));
    expect(res.lines.map((l) => [l.status, l.amount])).toEqual([['missing', null], ['ok', 1_000], ['ok', 2_500]]);
    expect(res.lines[0]!.formula.zh).toBe('缺少参数 education_nonboarder_share_pct，无法计算');
    expect(res.missing).toEqual([{ key: 'education_nonboarder_share_pct', year: 2021, reason: expect.objectContaining({ zh: expect.stringContaining('数值未知') }) }]);
    expect(res.totals[0]!.amount).toBeNull();
    expect(res.complete).toBe(false);
  });

  it('before the first shipped year the parameter is not set', () => {
    const res = calc(2013, [{ stage: 'primary', boarding: true }]);
    expect(res.missing[0]).toMatchObject({ key: 'education_boarding_primary_yuan', year: 2013 });
    expect(res.missing[0]!.reason.en).toContain('not set');
  });

  it('refuses a missing boarding status in compulsory education and an unknown stage', () => {
    try {
      checkEducation({ year: 2024, students: [{ stage: 'primary' }, { stage: 'college' }] });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => i.field)).toEqual(['students.0.boarding', 'students.1.stage']);
    }
    expect(() => checkEducation({ year: 2024, students: [] })).toThrow(ValidationError);
  });
});
