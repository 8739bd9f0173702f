// Links into the register carrying a filter, used by the overview's figures and charts.
export interface RegisterFilter {
  area?: string;
  status?: string;
  attribute?: string;
  cause?: string;
  year?: number | string | null;
  q?: string;
}

export function registerHref(f: RegisterFilter): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `/register?${s}` : '/register';
}

export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('zh-CN');
}

export function fmtPct(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`;
}

export function fmtMoney(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
}

/** Tag colours of the 脱贫标志 codes. */
export const STATUS_COLOR: Record<string, string> = { '0': 'red', '1': 'green', '3': 'volcano', '4': 'blue' };
