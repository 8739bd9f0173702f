// Pure rules of the assistance links (能人带动, 景区带村): periods and their overlap, expected
// benefits, the linked villages of a scenic spot. Plain values, no database.
import { describe, expect, it } from 'vitest';
import { benefitIssues, isCurrent, linkedVillageIssues, periodIssues, periodsOverlap } from './links.js';

describe('pure rules', () => {
  it('checks periods, overlap (inclusive ends, open end), benefits and linked villages', () => {
    expect(periodsOverlap({ since: '2024-01-01', until: '2024-06-30' }, { since: '2024-06-30', until: null })).toBe(true);
    expect(periodsOverlap({ since: '2024-01-01', until: '2024-06-30' }, { since: '2024-07-01', until: null })).toBe(false);
    expect(periodsOverlap({ since: '2025-01-01', until: null }, { since: '2020-01-01', until: '2020-12-31' })).toBe(false);
    expect(periodsOverlap({ since: '2025-01-01', until: null }, { since: '2030-01-01', until: null })).toBe(true);
    expect(isCurrent({ since: '2024-01-01', until: '2024-12-31' }, '2024-12-31')).toBe(true);
    expect(isCurrent({ since: '2024-01-01', until: '2024-12-31' }, '2025-01-01')).toBe(false);
    expect(periodIssues('2024-05-01', '2024-04-30')[0]).toMatchObject({ field: 'until', zh: '结束日期 2024-04-30 早于开始日期 2024-05-01；请填写不早于开始日期的日期' });
    expect(periodIssues('', null)[0]!.field).toBe('since');
    expect(periodIssues('2024-02-30', null)[0]!.zh).toContain('不是有效日期');
    expect(benefitIssues('b', 1200.5)).toEqual([]);
    expect(benefitIssues('b', -1)[0]!.field).toBe('b');
    expect(benefitIssues('b', 10.005)).toHaveLength(1);
    const r = linkedVillageIssues('150102', ['150102001001', '150203001001', '150102001001', 'x']);
    expect(r.issues.map((i) => i.field)).toEqual(['linkedVillageCodes.1', 'linkedVillageCodes.2', 'linkedVillageCodes.3']);
    expect(r.issues[0]!.zh).toContain('不在景区所在旗县（150102）');
    expect(r.codes).toEqual(['150102001001']);
  });
});
