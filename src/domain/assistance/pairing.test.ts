// The pure rules of who helps whom: dates, months, review days, visit rates, and the two
// data-quality rules the monitoring scan runs (plain values, no database).
import { describe, expect, it } from 'vitest';
import { addMonths, dayIssues, isOverdue, monthsInPeriod, nextReviewOn, periodIssues, textIssues, visitsPerHouseholdMonth } from './pairing.js';
import { assistanceAlerts } from '../monitoring-assistance.js';
import type { HouseholdFacts, YearFacts } from '../monitoring-inputs.js';

describe('dates and periods', () => {
  it('checks a day: required, real, not in the future, not before another day', () => {
    const label = { zh: '走访日期', en: 'the visit date' };
    expect(dayIssues('d', undefined, label, { required: true })[0]!.zh).toBe('请填写走访日期（YYYY-MM-DD）');
    expect(dayIssues('d', undefined, label)).toEqual([]);
    expect(dayIssues('d', '2024-02-30', label)[0]!.en).toBe('The visit date "2024-02-30" is not a valid date; use YYYY-MM-DD, e.g. 2024-03-01');
    expect(dayIssues('d', '2025-03-02', label, { today: '2025-03-01' })[0]!.zh).toBe('走访日期 2025-03-02 晚于今天（2025-03-01）；不能填写将来的日期');
    expect(dayIssues('d', '2025-03-01', label, { today: '2025-03-01' })).toEqual([]);
    expect(dayIssues('d', '2025-01-01', label, { notBefore: { day: '2025-01-02', label: { zh: '结对日期', en: 'the start' } } })[0]!.zh).toContain('早于结对日期（2025-01-02）');
    expect(textIssues('f', '  ', { zh: '走访发现', en: 'the findings' }, 10)[0]!.en).toBe('The findings is required');
    expect(textIssues('f', 'x'.repeat(11), { zh: '走访发现', en: 'the findings' }, 10)[0]!.zh).toContain('最多 10 个字（现有 11 个）');
    expect(periodIssues('2025-02-01', '2025-01-01')[0]!.field).toBe('to');
  });

  it('adds months to the month end and computes the next review and overdue', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(nextReviewOn('2025-01-15', null, 6)).toBe('2025-07-15');
    expect(nextReviewOn('2025-01-15', '2025-05-31', 3)).toBe('2025-08-31');
    expect(isOverdue('2025-07-15', '2025-07-15')).toBe(false);
    expect(isOverdue('2025-07-15', '2025-07-16')).toBe(true);
    expect(isOverdue(null, '2030-01-01')).toBe(false);
  });

  it('counts the months of a period exactly and the visit rate to two decimals', () => {
    expect(monthsInPeriod('2025-01-01', '2025-12-31')).toBe(12);
    expect(monthsInPeriod('2025-02-01', '2025-02-14')).toBe(0.5);
    expect(monthsInPeriod('2024-12-17', '2025-01-16')).toBeCloseTo(15 / 31 + 16 / 31, 12);
    expect(monthsInPeriod('2025-02-01', '2025-01-01')).toBe(0);
    expect(visitsPerHouseholdMonth(7, 3, 2)).toBe(1.17); // 7 ÷ 3 ÷ 2 = 1.1666…
    expect(visitsPerHouseholdMonth(0, 3, 2)).toBe(0);
    expect(visitsPerHouseholdMonth(1, 1, 0)).toBeNull();
  });
});

describe('data-quality rules on pairing', () => {
  const rec = (status: string): YearFacts => ({ year: 2025, status, householdSize: 2, perCapitaIncome: 9000 });
  const hh = (extra: Partial<HouseholdFacts>): HouseholdFacts => ({ attribute: '1', mainCause: '07', otherCauses: [], ...extra });
  const unpaired = { covered: true, paired: false, asOf: '2025-12-31' };

  it('flags a household with status 0, 1 or 3 and no pairing, only where pairings are kept', () => {
    for (const s of ['0', '1', '3']) expect(assistanceAlerts(rec(s), hh({ pairing: unpaired })).map((a) => a.rule)).toEqual(['dq_no_responsible_cadre']);
    expect(assistanceAlerts(rec('4'), hh({ pairing: unpaired }))).toEqual([]);
    expect(assistanceAlerts(rec('0'), hh({ pairing: { ...unpaired, paired: true } }))).toEqual([]);
    expect(assistanceAlerts(rec('0'), hh({ pairing: { ...unpaired, covered: false } }))).toEqual([]);
    expect(assistanceAlerts(null, hh({ pairing: unpaired }))).toEqual([]);
    const [a] = assistanceAlerts(rec('3'), hh({ pairing: unpaired }));
    expect(a!.reason.zh).toBe('数据质量：2025 年脱贫标志为“返贫”，仍享受帮扶政策，但截至 2025-12-31 没有帮扶责任人；请在“结对帮扶”中为该户指定帮扶责任人');
    expect(a!.facts).toEqual({ year: 2025, status: '3', asOf: '2025-12-31' });
  });

  it('flags a household one of whose members is an active cadre, with the ID number masked', () => {
    const cadre = { cadreId: 7, cadreName: '张伟', cadreCounty: '150524', unitName: '旗财政局', memberId: 3, memberName: '张伟', idNumber: '15052419850601001X' };
    const [a] = assistanceAlerts(rec('1'), hh({ cadreMembers: [cadre] }));
    expect(a!.rule).toBe('dq_cadre_registered_poor');
    expect(a!.reason.zh).toContain('帮扶干部 张伟（1505**********001X，旗财政局）是本户成员，而本户 2025 年脱贫标志为“已脱贫(享受政策)”');
    expect(JSON.stringify(a)).not.toContain('15052419850601001X');
    expect(assistanceAlerts(rec('4'), hh({ cadreMembers: [cadre] }))).toEqual([]);
  });
});
