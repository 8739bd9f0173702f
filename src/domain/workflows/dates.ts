// Calendar arithmetic for notice periods and deadlines. Days are counted in China Standard Time
// (UTC+8, no daylight saving): a notice posted at 00:30 on 2 March Beijing time (16:30 UTC on
// 1 March) started on 2 March. Day strings are YYYY-MM-DD.
//
// Working days are Monday to Friday. Public holidays (春节, 国庆 …) and the weekend days the State
// Council swaps into working days (调休) are NOT modelled: a deadline in working days can come out
// earlier than the official count when a holiday falls inside it (holidays are not skipped), or
// later around a 调休 Saturday. The deadline is a flag for follow-up, not a legal computation.

const DAY_MS = 86_400_000;
/** China Standard Time, UTC+8 all year. */
const OFFSET_MS = 8 * 3_600_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (2024-02-30 is false). */
export function isDay(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function dayToUtcMs(day: string): number {
  if (!isDay(day)) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
  return Date.parse(`${day}T00:00:00Z`);
}

function utcMsToDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The day (YYYY-MM-DD) in China Standard Time at instant `at`. */
export function localDay(at: Date | string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a valid instant: ${String(at)}`);
  return utcMsToDay(ms + OFFSET_MS);
}

/** The instant a local day starts (00:00 China Standard Time), as an ISO string in UTC. */
export function startOfLocalDay(day: string): string {
  return new Date(dayToUtcMs(day) - OFFSET_MS).toISOString();
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  return utcMsToDay(dayToUtcMs(day) + n * DAY_MS);
}

/** 0 Sunday … 6 Saturday. */
export function weekday(day: string): number {
  return new Date(dayToUtcMs(day)).getUTCDay();
}

export function isWorkingDay(day: string): boolean {
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

/**
 * The day on which `n` working days after `day` are complete: the first working day after `day`
 * counts as 1, weekends are skipped. Discovered on Friday 2024-03-01 with n = 1 → Monday
 * 2024-03-04; with n = 20 → Friday 2024-03-29. n = 0 gives `day` itself.
 */
export function addWorkingDays(day: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
  let d = day;
  dayToUtcMs(d);
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left -= 1;
  }
  return d;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayToUtcMs(to) - dayToUtcMs(from)) / DAY_MS);
}
