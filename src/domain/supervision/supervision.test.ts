// Scorecard maths on hand-computed examples: each indicator from its counts, the composite with
// missing indicators left out and re-weighted, competition ranking, month buckets, period checks,
// the overdue replay and the alert deadline in working days.
import { describe, expect, it } from 'vitest';
import { monitoring } from '../workflows/monitoring.js';
import {
  DATA_QUALITY_RULES, INDICATORS, TOTAL_WEIGHT, alertTiming, caseInPeriod, competitionRanks, compositeOf, emptyCounts, expectedFields, indicatorsOf,
  monthBuckets, rankRows, round2, scoreUnit, scorecardPeriodIssues, scoredEnd, toEvents, type UnitCounts,
} from './index.js';

const unitA: UnitCounts = {
  visits: { visits: 6, households: 4, months: 3 },
  completeness: { filled: 90, expected: 120 },
  dataQuality: { householdsWithHits: 1, hits: 2, households: 8 },
  overdueCases: { overdue: 1, open: 4 },
  alertsInTime: { inTime: 3, late: 1, pending: 2 },
  discrepancies: { withDiscrepancy: 0, discrepancies: 0, checked: 0 },
};

describe('indicators', () => {
  it('weights add up to 100 and every indicator is described in both languages', () => {
    expect(TOTAL_WEIGHT).toBe(100);
    expect(INDICATORS.map((i) => [i.key, i.weight])).toEqual([
      ['visits', 25], ['completeness', 20], ['dataQuality', 15], ['overdueCases', 15], ['alertsInTime', 15], ['discrepancies', 10],
    ]);
    for (const i of INDICATORS) for (const t of [i.label, i.description, i.numerator, i.denominator, i.scoring]) expect(t.zh && t.en).toBeTruthy();
  });

  it('scores each indicator from its numerator and denominator', () => {
    const ind = indicatorsOf(unitA);
    // 6 visits ÷ (4 households × 3 months) = 0.5 a household-month; target 1 → 50.
    expect(ind.visits).toEqual({ key: 'visits', numerator: 6, denominator: 12, value: 0.5, score: 50, extra: { households: 4, months: 3 } });
    expect(ind.completeness).toMatchObject({ numerator: 90, denominator: 120, value: 0.75, score: 75 });
    // 1 of 8 households had a hit: (1 − 0.125) × 100.
    expect(ind.dataQuality).toMatchObject({ numerator: 1, denominator: 8, value: 0.125, score: 87.5, extra: { hits: 2 } });
    expect(ind.overdueCases).toMatchObject({ numerator: 1, denominator: 4, score: 75 });
    // Pending alerts are not judged: 3 in time of 3 + 1.
    expect(ind.alertsInTime).toMatchObject({ numerator: 3, denominator: 4, value: 0.75, score: 75, extra: { late: 1, pending: 2 } });
    expect(ind.discrepancies).toMatchObject({ numerator: 0, denominator: 0, value: null, score: null });
  });

  it('caps visits at 100 and keeps the visit page rounding of the rate', () => {
    const ind = indicatorsOf({ ...emptyCounts(2), visits: { visits: 7, households: 3, months: 2 } });
    expect(ind.visits.value).toBe(1.17); // 7 ÷ 3 ÷ 2 = 1.1666…
    expect(ind.visits.score).toBe(100);
    const half = indicatorsOf({ ...emptyCounts(), visits: { visits: 1, households: 3, months: 1 } });
    expect(half.visits.score).toBe(33.33);
    expect(indicatorsOf(emptyCounts(3)).visits).toMatchObject({ value: null, score: null, extra: { households: 0, months: 3 } });
  });

  it('composite leaves out what cannot be measured and re-weights the rest', () => {
    const s = scoreUnit(unitA);
    // (25·50 + 20·75 + 15·87.5 + 15·75 + 15·75) / 90 = 6312.5 / 90 = 70.1388…
    expect(s.composite).toBe(70.14);
    expect(s.weightCovered).toBe(90);
    expect(compositeOf(indicatorsOf(emptyCounts(1)))).toEqual({ composite: null, weightCovered: 0 });
    const full = scoreUnit({ ...unitA, discrepancies: { withDiscrepancy: 1, discrepancies: 3, checked: 5 } });
    // + 10·80 → 7112.5 / 100.
    expect(full.composite).toBe(71.13);
    expect(full.weightCovered).toBe(100);
  });

  it('rounds half up to 2 decimals', () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(70.125)).toBe(70.13);
    expect(round2(66.666666)).toBe(66.67);
  });
});

describe('ranking', () => {
  it('uses competition ranking with ties and leaves rows without a score unranked', () => {
    expect(competitionRanks([80, 70, 70, null, 60])).toEqual([1, 2, 2, null, 4]);
    expect(competitionRanks([])).toEqual([]);
    const rows = rankRows([
      { code: 'c', composite: 70 }, { code: 'x', composite: null }, { code: 'a', composite: 70 }, { code: 'b', composite: 90 }, { code: 'd', composite: 10 },
    ], (r) => r.code);
    expect(rows.map((r) => [r.code, r.rank])).toEqual([['b', 1], ['a', 2], ['c', 2], ['d', 4], ['x', null]]);
  });
});

describe('periods', () => {
  const today = '2025-06-30';
  it('accepts up to three years and refuses longer, reversed, malformed or future periods, naming the field', () => {
    expect(scorecardPeriodIssues('2022-01-01', '2024-12-31', today)).toEqual([]);
    const long = scorecardPeriodIssues('2022-01-01', '2025-01-01', today);
    expect(long).toHaveLength(1);
    expect(long[0]).toMatchObject({ field: 'to', value: '2025-01-01' });
    expect(long[0]!.zh).toContain('最长 3 年');
    expect(long[0]!.zh).toContain('2024-12-31');
    expect(long[0]!.en).toContain('at most 3 years');
    expect(scorecardPeriodIssues('2024-02-30', '2024-03-01', today)[0]).toMatchObject({ field: 'from' });
    expect(scorecardPeriodIssues('2024-02-30', '2024-03-01', today)[0]!.zh).toContain('不是有效日期');
    expect(scorecardPeriodIssues('2024-05-01', '2024-04-01', today)[0]).toMatchObject({ field: 'to' });
    expect(scorecardPeriodIssues(undefined, '2024-04-01', today)[0]).toMatchObject({ field: 'from' });
    expect(scorecardPeriodIssues('2025-07-01', '2025-12-31', today)[0]).toMatchObject({ field: 'from' });
    expect(scorecardPeriodIssues('2025-01-01', '2025-12-31', today)).toEqual([]);
    expect(scoredEnd('2025-12-31', today)).toBe(today);
    expect(scoredEnd('2024-12-31', today)).toBe('2024-12-31');
  });

  it('splits a period into calendar months, the ends cut to the period', () => {
    expect(monthBuckets('2024-01-15', '2024-03-10')).toEqual([
      { month: '2024-01', from: '2024-01-15', to: '2024-01-31' },
      { month: '2024-02', from: '2024-02-01', to: '2024-02-29' },
      { month: '2024-03', from: '2024-03-01', to: '2024-03-10' },
    ]);
    expect(monthBuckets('2024-12-31', '2025-01-01').map((b) => b.month)).toEqual(['2024-12', '2025-01']);
    expect(monthBuckets('2024-02-01', '2024-01-01')).toEqual([]);
  });
});

describe('timing', () => {
  // A monitoring case discovered on Friday 1 March 2024 (China time), due 20 working days later
  // (Friday 29 March), dismissed on 5 April.
  const events = toEvents([
    { seq: 1, action: 'discover', from: 'new', to: 'discovered', at: '2024-03-01T02:00:00.000Z', dueOn: '2024-03-29' },
    { seq: 2, action: 'verify_dismiss', from: 'discovered', to: 'dismissed', at: '2024-04-05T02:00:00.000Z' },
  ]);

  it('a case is overdue at the end of a period when its deadline passed unmet by then', () => {
    expect(caseInPeriod(monitoring, events, '2024-03-01', '2024-03-01', '2024-03-31')).toEqual({ open: true, overdue: true });
    expect(caseInPeriod(monitoring, events, '2024-03-01', '2024-03-01', '2024-03-29')).toEqual({ open: true, overdue: false });
    expect(caseInPeriod(monitoring, events, '2024-03-01', '2024-03-10', '2024-04-03')).toEqual({ open: true, overdue: true });
    // Closed inside the period: open in it, not overdue at its end.
    expect(caseInPeriod(monitoring, events, '2024-03-01', '2024-04-01', '2024-04-30')).toEqual({ open: true, overdue: false });
    // Closed before the period: not counted; opened after it: not counted.
    expect(caseInPeriod(monitoring, events, '2024-03-01', '2024-04-10', '2024-04-30')).toEqual({ open: false, overdue: false });
    expect(caseInPeriod(monitoring, events, '2024-03-01', '2024-01-01', '2024-02-29')).toEqual({ open: false, overdue: false });
  });

  it('an alert is handled in time by the day that ends its working-day limit', () => {
    expect(alertTiming('2024-03-01', '2024-03-29', 20, '2024-06-01')).toBe('in_time');
    expect(alertTiming('2024-03-01', '2024-04-01', 20, '2024-06-01')).toBe('late');
    expect(alertTiming('2024-03-01', null, 20, '2024-03-29')).toBe('pending');
    expect(alertTiming('2024-03-01', null, 20, '2024-03-30')).toBe('late');
  });
});

describe('register fields', () => {
  it('counts the fields a household-year should have and lists the data-quality rules', () => {
    // 3 household fields + cadre + 6 × 2 members + the record + 6 flags.
    expect(expectedFields(2, true)).toBe(23);
    expect(expectedFields(0, false)).toBe(10);
    expect(DATA_QUALITY_RULES).toContain('exited_below_line');
    expect(DATA_QUALITY_RULES).toContain('dq_no_responsible_cadre');
    expect(DATA_QUALITY_RULES).not.toContain('income_drop');
    expect(DATA_QUALITY_RULES.filter((r) => r.startsWith('dq_'))).toHaveLength(7);
  });
});
