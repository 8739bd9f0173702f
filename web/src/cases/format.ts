// Small formatting helpers of the procedure pages.

/** Today in China time, YYYY-MM-DD (the server counts notice days and deadlines in it). */
export function chinaToday(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whole days from today (China time) to `day`: 0 on the day, negative after it. */
export function daysUntil(day: string, now = Date.now()): number {
  const a = Date.parse(`${chinaToday(now)}T00:00:00Z`);
  const b = Date.parse(`${day}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

/** An ISO instant in China time: 2026-12-01 09:30. */
export function fmtAt(iso: string | null | undefined): string {
  if (!iso) return '';
  // ISO instants, and PostgreSQL's timestamptz text ("2026-11-29 04:30:00.12+00").
  const ms = Date.parse(iso.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

// Labels of procedures, states, steps, fields and codes: cases/useWorkflows.ts (from the server's domain).

/** Where an attachment of a case is downloaded. */
export function attachmentHref(caseId: number, attachmentId: number): string {
  return `/api/v1/cases/${caseId}/attachments/${attachmentId}`;
}

/** Tag colour of a case state. */
export function stateColor(c: { closed: boolean; state: string; noticeEndsOn?: string | null }): string {
  if (c.closed) return /reject|dismiss|withdraw/.test(c.state) ? 'default' : 'green';
  if (c.noticeEndsOn) return 'purple';
  return 'blue';
}
