import { describe, expect, it } from 'vitest';
import { countyTypeCode, fillFromLedger, perCapitaOfYear, validateMeasureFields, validateMeasureTypeFields } from './measures.js';

describe('validateMeasureFields', () => {
  it('accepts a measure and defaults amount to 0 and the component to the type’s (null here)', () => {
    const v = validateMeasureFields({ typeCode: 'social_dibao', year: 2024, givenOn: '2024-05-01' });
    expect(v.issues).toEqual([]);
    expect(v.value).toMatchObject({ typeCode: 'social_dibao', amount: 0, incomeComponent: null, memberId: null, fundSource: null });
  });
  it('refuses money with three decimals or below zero, and a date outside the year', () => {
    const fields = (raw: Record<string, unknown>) => validateMeasureFields({ typeCode: 'x', year: 2024, ...raw }).issues.map((i) => i.field);
    expect(fields({ amount: 0.1 + 0.2 })).toEqual([]); // 0.30000000000000004 is 0.30 yuan
    expect(fields({ amount: 1.005 })).toEqual(['amount']);
    expect(fields({ amount: -0.01 })).toEqual(['amount']);
    expect(fields({ givenOn: '2025-01-01' })).toEqual(['givenOn']);
    expect(fields({ projectId: 3 })).toEqual(['fundSource']);
  });
});

describe('validateMeasureTypeFields', () => {
  it('prefixes the code with the county once', () => {
    expect(countyTypeCode('150524', 'cattle_bonus')).toBe('150524_cattle_bonus');
    expect(countyTypeCode('150524', '150524_cattle_bonus')).toBe('150524_cattle_bonus');
    const v = validateMeasureTypeFields({ code: '150524_x1', channel: 'health', nameZh: '甲', unitZh: '人', incomeComponent: 'none' }, '150524');
    expect(v.value).toMatchObject({ code: '150524_x1', nameEn: '甲', unitEn: '人', target: 'household' });
  });
});

describe('fillFromLedger', () => {
  it('replaces the chosen components, leaves the rest, and the per-capita figure follows', () => {
    const rec = { householdSize: 4, wageIncome: 1000, productionIncome: 2000, propertyIncome: 100, transferIncome: 300, productionCosts: 400, nonCountingIncome: 50 };
    // (1000 + 2000 + 100 + 300 − 400) / 4 = 3000 / 4 = 750.
    expect(perCapitaOfYear(rec)).toBe(750);
    const next = fillFromLedger(rec, { wage: 5000.01, transfer: 900 }, ['wage', 'property']);
    expect(next).toEqual({ ...rec, wageIncome: 5000.01, propertyIncome: 0 });
    // (5000.01 + 2000 + 0 + 300 − 400) / 4 = 6900.01 / 4 = 1725.0025 → 1725.00.
    expect(perCapitaOfYear(next)).toBe(1725);
  });
});
