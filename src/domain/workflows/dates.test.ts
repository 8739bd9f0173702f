import { describe, expect, it } from 'vitest';
import { addDays, addWorkingDays, daysBetween, isDay, isWorkingDay, localDay, startOfLocalDay, weekday } from './dates.js';

describe('isDay', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-13-01', false],
    ['2024-1-01', false],
    ['2024-01-01T00:00', false],
    ['', false],
  ])('%s → %s', (s, ok) => expect(isDay(s)).toBe(ok));
  it('is false for non-strings', () => expect(isDay(20240101)).toBe(false));
});

describe('localDay (China Standard Time, UTC+8)', () => {
  it('counts the day in Beijing time, not UTC', () => {
    expect(localDay(new Date('2024-02-29T15:59:59.999Z'))).toBe('2024-02-29');
    expect(localDay(new Date('2024-02-29T16:00:00.000Z'))).toBe('2024-03-01');
    expect(localDay('2024-03-01T00:30:00+08:00')).toBe('2024-03-01');
  });
  it('startOfLocalDay is 16:00 UTC the day before', () => {
    expect(startOfLocalDay('2024-03-08')).toBe('2024-03-07T16:00:00.000Z');
  });
  it('refuses an invalid instant', () => expect(() => localDay('nope')).toThrow(RangeError));
});

describe('addDays', () => {
  it('crosses month ends and leap days', () => {
    expect(addDays('2024-02-25', 7)).toBe('2024-03-03');
    expect(addDays('2023-02-25', 7)).toBe('2023-03-04');
    expect(addDays('2024-12-29', 5)).toBe('2025-01-03');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
  it('daysBetween is its inverse', () => {
    expect(daysBetween('2024-03-01', '2024-03-08')).toBe(7);
    expect(daysBetween('2024-03-08', '2024-03-01')).toBe(-7);
  });
});

describe('working days (Monday–Friday; holidays not modelled)', () => {
  it('knows the weekdays', () => {
    expect(weekday('2024-03-01')).toBe(5); // Friday
    expect(isWorkingDay('2024-03-01')).toBe(true);
    expect(isWorkingDay('2024-03-02')).toBe(false);
    expect(isWorkingDay('2024-03-03')).toBe(false);
    expect(isWorkingDay('2024-03-04')).toBe(true);
  });
  it('one working day after a Friday is the Monday', () => {
    expect(addWorkingDays('2024-03-01', 1)).toBe('2024-03-04');
  });
  it('starting on a Saturday or Sunday counts from the Monday', () => {
    expect(addWorkingDays('2024-03-02', 1)).toBe('2024-03-04');
    expect(addWorkingDays('2024-03-03', 5)).toBe('2024-03-08');
  });
  it('five working days from a Wednesday cross one weekend', () => {
    expect(addWorkingDays('2024-03-06', 5)).toBe('2024-03-13');
  });
  it('20 working days from Friday 2024-03-01 end on Friday 2024-03-29', () => {
    expect(addWorkingDays('2024-03-01', 20)).toBe('2024-03-29');
  });
  it('0 is the day itself; negative or fractional counts are refused', () => {
    expect(addWorkingDays('2024-03-02', 0)).toBe('2024-03-02');
    expect(() => addWorkingDays('2024-03-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2024-03-01', 1.5)).toThrow(RangeError);
  });
  it('does not skip public holidays (documented limitation): 国庆 2024-10-01 counts as a working day', () => {
    expect(addWorkingDays('2024-09-30', 1)).toBe('2024-10-01');
  });
});
