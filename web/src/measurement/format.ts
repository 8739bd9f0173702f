// Numbers on the measurement page: percentages with 2 decimals, indices with 4, yuan with 2 and
// thousands separators. The CSV files get the same precision without separators, so Excel reads
// them as numbers.
export type Kind = 'text' | 'int' | 'pct' | 'index' | 'yuan';

const missing = (v: unknown): v is null | undefined => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));

export function fmtPct(x: number | null | undefined): string {
  return missing(x) ? '—' : `${(x * 100).toFixed(2)}%`;
}
export function fmtIndex(x: number | null | undefined): string {
  return missing(x) ? '—' : x.toFixed(4);
}
export function fmtYuan(x: number | null | undefined): string {
  return missing(x) ? '—' : x.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
export function fmtInt(x: number | null | undefined): string {
  return missing(x) ? '—' : Math.round(x).toLocaleString('zh-CN');
}

/** The text shown in tables and cards. */
export function show(kind: Kind, v: string | number | null | undefined): string {
  if (kind === 'text') return v === null || v === undefined ? '' : String(v);
  const n = typeof v === 'string' ? Number(v) : v;
  if (kind === 'pct') return fmtPct(n);
  if (kind === 'index') return fmtIndex(n);
  if (kind === 'yuan') return fmtYuan(n);
  return fmtInt(n);
}

/** The text written to a CSV cell: same precision, no thousands separators, empty when missing. */
export function plain(kind: Kind, v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (kind === 'text') return String(v);
  const n = typeof v === 'string' ? Number(v) : v;
  if (!Number.isFinite(n)) return '';
  if (kind === 'pct') return `${(n * 100).toFixed(2)}%`;
  if (kind === 'index') return n.toFixed(4);
  if (kind === 'yuan') return n.toFixed(2);
  return String(Math.round(n));
}

/** A value for a chart: percentages as 0–100 with 2 decimals, others rounded for the tooltip. */
export function chartValue(kind: Kind, v: number | null | undefined): number | null {
  if (missing(v)) return null;
  if (kind === 'pct') return +(v * 100).toFixed(2);
  if (kind === 'index') return +v.toFixed(4);
  if (kind === 'yuan') return +v.toFixed(2);
  return v;
}
