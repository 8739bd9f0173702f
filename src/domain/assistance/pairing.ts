// Who helps whom (issue 5): the pure rules behind pairings, work teams, household plans and visits.
// Dates are YYYY-MM-DD days in China time (domain/workflows/dates.ts); "today" is passed in, so the
// rules are testable with plain values. Messages: what is wrong, where, what to do; Chinese first.

import type { FieldIssue } from '../errors.js';
import { isDay } from '../workflows/dates.js';

/** 脱贫标志 of households that still enjoy policies and need a responsible cadre: 0 未脱贫, 1 已脱贫(享受政策), 3 返贫. */
export const PAIRED_STATUSES = ['0', '1', '3'] as const;

export interface Label {
  zh: string;
  en: string;
}

/** A day field: required or optional, a real date, not after today, not before `notBefore`. */
export function dayIssues(
  field: string,
  value: unknown,
  label: Label,
  opts: { required?: boolean; today?: string; notBefore?: { day: string; label: Label } | null } = {},
): FieldIssue[] {
  if (value === undefined || value === null || value === '') {
    return opts.required
      ? [{ field, zh: `请填写${label.zh}（YYYY-MM-DD）`, en: `${cap(label.en)} is required (YYYY-MM-DD)` }]
      : [];
  }
  const v = String(value);
  if (!isDay(v)) {
    return [{ field, value: v, zh: `${label.zh}“${v}”不是有效日期；请按 YYYY-MM-DD 填写，如 2024-03-01`, en: `${cap(label.en)} "${v}" is not a valid date; use YYYY-MM-DD, e.g. 2024-03-01` }];
  }
  if (opts.today && v > opts.today) {
    return [{ field, value: v, zh: `${label.zh} ${v} 晚于今天（${opts.today}）；不能填写将来的日期`, en: `${cap(label.en)} ${v} is after today (${opts.today}); a future date is not allowed` }];
  }
  const nb = opts.notBefore;
  if (nb && v < nb.day) {
    return [{ field, value: v, zh: `${label.zh} ${v} 早于${nb.label.zh}（${nb.day}）；请填写不早于该日的日期`, en: `${cap(label.en)} ${v} is before ${nb.label.en} (${nb.day}); use that day or a later one` }];
  }
  return [];
}

/** A required text: present and not only blanks, at most `max` characters. */
export function textIssues(field: string, value: unknown, label: Label, max: number, required = true): FieldIssue[] {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) return required ? [{ field, zh: `请填写${label.zh}`, en: `${cap(label.en)} is required` }] : [];
  if (v.length > max) return [{ field, zh: `${label.zh}最多 ${max} 个字（现有 ${v.length} 个）；请精简`, en: `${cap(label.en)} may have at most ${max} characters (it has ${v.length}); shorten it` }];
  return [];
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function parts(day: string): { y: number; m: number; d: number } {
  return { y: Number(day.slice(0, 4)), m: Number(day.slice(5, 7)), d: Number(day.slice(8, 10)) };
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `day` plus `n` calendar months; the day is clamped to the month's end (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(day: string, n: number): string {
  const { y, m, d } = parts(day);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return `${pad(ny, 4)}-${pad(nm)}-${pad(Math.min(d, daysInMonth(ny, nm)))}`;
}

/** Review period in months: a whole number from 1 to 24. */
export const REVIEW_MONTHS_MIN = 1;
export const REVIEW_MONTHS_MAX = 24;

/**
 * The next review of a household plan: the last review (or, before any, the day the household
 * agreed) plus the review period. Null when neither day is known.
 */
export function nextReviewOn(agreedOn: string | null, lastReviewedOn: string | null, everyMonths: number): string | null {
  const base = lastReviewedOn ?? agreedOn;
  return base ? addMonths(base, everyMonths) : null;
}

/** A plan is overdue when its next review day has passed (the review is due on that day itself). */
export function isOverdue(nextReview: string | null, today: string): boolean {
  return nextReview !== null && nextReview < today;
}

/**
 * The length of a period in months, exact: each calendar month it touches counts as the share of
 * that month's days inside the period. 1 Jan – 31 Mar is 3; 15 Jan – 14 Feb 2024 is 17/31 + 14/29.
 */
export function monthsInPeriod(from: string, to: string): number {
  if (to < from) return 0;
  const a = parts(from);
  const b = parts(to);
  let months = 0;
  for (let y = a.y, m = a.m; y < b.y || (y === b.y && m <= b.m); m === 12 ? ((y += 1), (m = 1)) : (m += 1)) {
    const dim = daysInMonth(y, m);
    const first = y === a.y && m === a.m ? a.d : 1;
    const last = y === b.y && m === b.m ? b.d : dim;
    months += (last - first + 1) / dim;
  }
  return months;
}

/** Visits per paired household per month, to two decimals; null without paired households or a period. */
export function visitsPerHouseholdMonth(visits: number, households: number, months: number): number | null {
  if (households <= 0 || months <= 0) return null;
  return Math.round((visits / households / months) * 100) / 100;
}

/** A period given as from/to days: both real dates, from not after to. */
export function periodIssues(from: string, to: string): FieldIssue[] {
  const issues = [
    ...dayIssues('from', from, { zh: '开始日期', en: 'the start date' }, { required: true }),
    ...dayIssues('to', to, { zh: '结束日期', en: 'the end date' }, { required: true }),
  ];
  if (!issues.length && from > to) {
    issues.push({ field: 'to', value: to, zh: `结束日期 ${to} 早于开始日期 ${from}；请调换或改正`, en: `The end date ${to} is before the start date ${from}; swap or correct them` });
  }
  return issues;
}
