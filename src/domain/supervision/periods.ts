// The period of a scorecard: checked days (YYYY-MM-DD), from not after to, at most three years,
// not starting after today; the part up to today is what is scored; a trend splits it into
// calendar months (the first and last possibly partial).
import type { FieldIssue } from '../errors.js';
import { addMonths, periodIssues } from '../assistance/pairing.js';
import { addDays } from '../workflows/dates.js';

/** The longest period a scorecard covers, in months (three years). */
export const MAX_PERIOD_MONTHS = 36;

/**
 * Issues of a period: both days given and real (YYYY-MM-DD), from ≤ to, to before from + 3 years
 * (1 Jan 2022 – 31 Dec 2024 is the longest from 1 Jan 2022), from not after today.
 */
export function scorecardPeriodIssues(from: unknown, to: unknown, today: string): FieldIssue[] {
  const f = typeof from === 'string' ? from : from == null ? '' : String(from);
  const t = typeof to === 'string' ? to : to == null ? '' : String(to);
  const issues = periodIssues(f, t);
  if (issues.length) return issues;
  const limit = addMonths(f, MAX_PERIOD_MONTHS);
  if (t >= limit) {
    issues.push({
      field: 'to', value: t,
      zh: `考核期间最长 3 年：开始日期为 ${f} 时，结束日期最晚为 ${addDays(limit, -1)}（收到 ${t}）；请缩短期间`,
      en: `A scorecard period is at most 3 years: from ${f} the end date can be ${addDays(limit, -1)} at the latest (got ${t}); shorten the period`,
    });
  }
  if (f > today) {
    issues.push({
      field: 'from', value: f,
      zh: `开始日期 ${f} 晚于今天（${today}），期间内还没有可考核的工作；请选择今天或更早的开始日期`,
      en: `The start date ${f} is after today (${today}): there is no work to score yet; choose today or an earlier start`,
    });
  }
  return issues;
}

/** The last day scored: the period's end, or today when the period has not ended. */
export function scoredEnd(to: string, today: string): string {
  return to < today ? to : today;
}

export interface MonthBucket {
  /** YYYY-MM */
  month: string;
  from: string;
  to: string;
}

/** The calendar months of [from, to], each cut to the period (the first and last may be partial). */
export function monthBuckets(from: string, to: string): MonthBucket[] {
  const out: MonthBucket[] = [];
  if (to < from) return out;
  for (let start = from; start <= to; ) {
    const month = start.slice(0, 7);
    const next = addMonths(`${month}-01`, 1);
    const end = addDays(next, -1);
    out.push({ month, from: start, to: end < to ? end : to });
    start = next;
  }
  return out;
}
