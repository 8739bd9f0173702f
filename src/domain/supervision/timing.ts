// When a case counts as open in a period and overdue at its end, and whether an alert was handled
// in time: pure rules over a case's events (the truth, not the cases row's cache) and an alert's
// days, so a past period is judged as it stood then.
import { localDay, overdue, addWorkingDays, type WorkflowDef, type WorkflowEvent } from '../workflows/index.js';

/** The minimum of an event the replay needs; the rest of WorkflowEvent is filled with empties. */
export interface EventStub {
  seq: number;
  action: string;
  from: string;
  to: string;
  /** ISO instant. */
  at: string;
  noticeEndsOn?: string | null;
  dueOn?: string | null;
}

export function toEvents(stubs: readonly EventStub[]): WorkflowEvent[] {
  return stubs.map((s) => {
    const e: WorkflowEvent = {
      seq: s.seq, action: s.action, from: s.from, to: s.to, at: s.at,
      actor: { id: null, username: '', role: 'city_admin', areaCode: '*' }, comment: '', input: {}, attachments: [], params: [],
    };
    if (s.noticeEndsOn) e.noticeEndsOn = s.noticeEndsOn;
    if (s.dueOn) e.dueOn = s.dueOn;
    return e;
  });
}

/** Noon China time of a day: an instant whose local day is `day` whatever the rounding. */
export function noonOf(day: string): Date {
  return new Date(`${day}T12:00:00+08:00`);
}

/**
 * The case in [from, to] (days, China time): `open` when it was opened by `to` and had not reached
 * a final state before `from` (or took a step inside the period, e.g. a reopen); `overdue` when, on
 * `to`, the engine's `overdue` flags it with the steps taken up to that day (a notice ended and not
 * closed, or a deadline passed and not met).
 */
export function caseInPeriod(def: WorkflowDef, events: readonly WorkflowEvent[], openedOn: string, from: string, to: string): { open: boolean; overdue: boolean } {
  if (openedOn > to) return { open: false, overdue: false };
  const upTo = events.filter((e) => localDay(e.at) <= to);
  const before = upTo.filter((e) => localDay(e.at) < from);
  const last = before[before.length - 1];
  const finalBefore = last !== undefined && def.states[last.to]?.final === true;
  const stepInside = upTo.length > before.length;
  if (finalBefore && !stepInside) return { open: false, overdue: false };
  return { open: true, overdue: overdue(def, upTo, noonOf(to)).length > 0 };
}

export type AlertTiming = 'in_time' | 'late' | 'pending';

/**
 * An alert found on `foundOn` must be handled (dismissed or a case opened) within `workingDays`
 * working days (domain/workflows/dates.ts: Monday–Friday, holidays not modelled). Handled: in time
 * when handled on or before the due day, else late. Not handled: late once `today` is past the due
 * day, else pending (not judged yet).
 */
export function alertTiming(foundOn: string, handledOn: string | null, workingDays: number, today: string): AlertTiming {
  const due = addWorkingDays(foundOn, workingDays);
  if (handledOn !== null) return handledOn <= due ? 'in_time' : 'late';
  return today > due ? 'late' : 'pending';
}
