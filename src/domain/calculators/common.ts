// What every calculator shares: the result shape (lines that each show their arithmetic and cite the
// parameters read), reading parameters through a ParamLookup (domain/evaluate/common.ts readParam,
// so a missing value is named, never guessed), money in integer fen with half-up rounding, the
// largest-remainder split, and the checks of user input with per-field reasons in zh and en.
//
// Money is carried in fen (1 yuan = 100 fen) as integers; products that could pass 2^53 are done in
// BigInt. Rounding is half up on fen (0.005 yuan → 0.01), the rule cashiers use.

import { ValidationError, type FieldIssue } from '../errors.js';
import { readParam, yuan, type ParamRead } from '../evaluate/common.js';
import type { ParamLookup, PolicyKey, ResolvedParam, Text } from '../policy-types.js';

export const CALCULATORS = ['medical', 'education', 'ecology', 'solar'] as const;
export type CalculatorKind = (typeof CALCULATORS)[number];

/** Parameters of any year for the same area (the ecology schedule reads the plot's first year). */
export type YearLookup = (year: number) => ParamLookup;

/**
 * ok: computed; missing: a parameter it needs is unknown or not set (amount null);
 * not_applicable: the rule does not apply to this input (amount 0, the reason in the formula);
 * warning: computed, but the input is outside what the policy allows (said in the formula).
 */
export type LineStatus = 'ok' | 'missing' | 'not_applicable' | 'warning';
export type Value = number | string | boolean | null;

export interface CalcLine {
  key: string;
  label: Text;
  status: LineStatus;
  /** Yuan with two decimals; null when it cannot be computed or the line holds no money (a check). */
  amount: number | null;
  /** The arithmetic with the numbers used, e.g. "(50,000.00 − 800.00) × 70% = 34,440.00". */
  formula: Text;
  /** The figures of the line by name (bases, ratios, caps…), for scripts and the page. */
  values: Record<string, Value>;
  /** The parameters the line read: key, value, the year it took effect, region, source. */
  params: ResolvedParam[];
}

export interface CalcTotal {
  key: string;
  label: Text;
  amount: number | null;
  formula: Text;
}

export interface MissingParam {
  key: PolicyKey;
  /** The year it was looked up for. */
  year: number;
  reason: Text;
}

export interface CalcResult {
  calculator: CalculatorKind;
  year: number;
  /** The area whose parameters were used ('' national). */
  area: string;
  /** false when a needed parameter is missing: the totals that depend on it are null. */
  complete: boolean;
  lines: CalcLine[];
  totals: CalcTotal[];
  missing: MissingParam[];
  /** Every parameter read, once. */
  params: ResolvedParam[];
  notes: Text[];
}

// --- parameters -------------------------------------------------------------------------------

/** Reads parameters and keeps what was read and what is missing, each once. */
export class ParamReader {
  readonly params: ResolvedParam[] = [];
  readonly missing: MissingParam[] = [];
  constructor(private readonly lookup: YearLookup) {}

  /** `valid` narrows usable values (default: not negative); anything else is reported missing. */
  read(key: PolicyKey, year: number, valid: (v: number) => boolean = (v) => v >= 0): ParamRead {
    const r = readParam(this.lookup(year), key, year, valid);
    if (r.param && !this.params.some((p) => p.key === r.param!.key && p.year === r.param!.year && p.region === r.param!.region)) this.params.push(r.param);
    if (r.missing && !this.missing.some((m) => m.key === key && m.year === year)) this.missing.push({ key, year, reason: r.missing });
    return r;
  }
}

export const cite = (...reads: ParamRead[]): ResolvedParam[] => reads.flatMap((r) => (r.param ? [r.param] : []));

/** "缺少参数 a、b" for the formula of a line that cannot be computed. */
export function missingText(reads: readonly { key: PolicyKey; read: ParamRead }[]): Text {
  const keys = reads.filter((r) => r.read.value === null).map((r) => r.key);
  return { zh: `缺少参数 ${keys.join('、')}，无法计算`, en: `Missing parameter ${keys.join(', ')}; cannot compute` };
}

// --- money ------------------------------------------------------------------------------------

/** Integer fen → yuan number with two decimals. */
export const toYuan = (f: number): number => f / 100;
/** Integer fen → "1,234.56". */
export const money = (f: number): string => yuan(f / 100);

/** a / b rounded half up, for a ≥ 0, b > 0. */
export function roundDiv(a: bigint, b: bigint): bigint {
  return (2n * a + b) / (2n * b);
}

/** A parameter value as an exact integer of 1/scale units (4 decimals are enough for % and yuan). */
export function scaled(v: number, scale = 10_000): bigint {
  return BigInt(Math.round(Number((v * scale).toPrecision(15))));
}

/** fen × pct % rounded half up to fen. */
export function pctOf(baseFen: number, pct: number): number {
  return Number(roundDiv(BigInt(baseFen) * scaled(pct), 100n * 10_000n));
}

/** "70%", "62.5%" */
export const pctText = (p: number): string => `${Number(p.toFixed(4))}%`;

/**
 * Largest-remainder (Hamilton) split of `total` integer units by non-negative integer weights: each
 * gets floor(total·w/W), then the units left over go one each to the largest remainders, ties to the
 * earlier entry. The parts always sum to `total`. Returns each part and whether it got one of the
 * left-over units.
 */
export function largestRemainder(total: number, weights: readonly bigint[]): { parts: number[]; extra: boolean[] } {
  const W = weights.reduce((a, b) => a + b, 0n);
  if (W <= 0n) throw new RangeError('largestRemainder: the weights sum to zero');
  const T = BigInt(total);
  const floors = weights.map((w) => (T * w) / W);
  const rems = weights.map((w) => (T * w) % W);
  let left = Number(T - floors.reduce((a, b) => a + b, 0n));
  const order = weights.map((_, i) => i).sort((a, b) => (rems[b]! > rems[a]! ? 1 : rems[b]! < rems[a]! ? -1 : a - b));
  const extra = weights.map(() => false);
  for (const i of order) {
    if (left <= 0) break;
    if (rems[i] === 0n) break; // only happens when nothing is left (the remainders sum to left·W)
    extra[i] = true;
    left -= 1;
  }
  return { parts: floors.map((f, i) => Number(f) + (extra[i] ? 1 : 0)), extra };
}

// --- input checks -----------------------------------------------------------------------------

export const MAX_YUAN = 1_000_000_000;
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

function shown(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/** Collects per-field problems; `fail()` throws them all at once as a ValidationError. */
export class Issues {
  readonly list: FieldIssue[] = [];
  add(field: string, value: unknown, zh: string, en: string): undefined {
    this.list.push({ field, ...(value === undefined ? {} : { value: shown(value) }), zh, en });
    return undefined;
  }
  fail(): void {
    if (this.list.length) throw new ValidationError(this.list, { zh: '计算器输入有误，请按提示修改', en: 'The calculator input is invalid; correct the fields listed' });
  }

  /** A whole number in [min, max]; `fallback` when absent (required when no fallback). */
  int(field: string, v: unknown, min: number, max: number, fallback?: number): number | undefined {
    if (v === undefined || v === null || v === '') {
      if (fallback !== undefined) return fallback;
      return this.add(field, undefined, `缺少 ${field}（${min}–${max} 的整数）`, `${field} is required (a whole number from ${min} to ${max})`);
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      return this.add(field, v, `${field} 应为 ${min}–${max} 的整数`, `${field} must be a whole number from ${min} to ${max}`);
    }
    return v;
  }

  /** A number ≥ min (> min when `positive`), ≤ max, with at most `places` decimals; `fallback` when absent. */
  decimal(field: string, v: unknown, o: { min?: number; max: number; places: number; positive?: boolean; fallback?: number; unit?: Text }): number | undefined {
    const min = o.min ?? 0;
    const unit = o.unit ? { zh: `（${o.unit.zh}）`, en: ` (${o.unit.en})` } : { zh: '', en: '' };
    if (v === undefined || v === null || v === '') {
      if (o.fallback !== undefined) return o.fallback;
      return this.add(field, undefined, `缺少 ${field}${unit.zh}`, `${field} is required${unit.en}`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.add(field, v, `${field} 应为数字${unit.zh}`, `${field} must be a number${unit.en}`);
    if (o.positive ? v <= min : v < min) {
      return this.add(field, v, `${field} 应${o.positive ? '大于' : '不小于'} ${min}`, `${field} must be ${o.positive ? 'more than' : 'at least'} ${min}`);
    }
    if (v > o.max) return this.add(field, v, `${field} 不能大于 ${o.max.toLocaleString('en-US')}`, `${field} cannot exceed ${o.max.toLocaleString('en-US')}`);
    const s = Number((v * 10 ** o.places).toPrecision(15));
    if (!Number.isInteger(s)) return this.add(field, v, `${field} 最多 ${o.places} 位小数`, `${field} has at most ${o.places} decimals`);
    return v;
  }

  /** Yuan with at most two decimals, 0 … MAX_YUAN, returned in fen. */
  fen(field: string, v: unknown, fallback?: number): number | undefined {
    const y = this.decimal(field, v, { max: MAX_YUAN, places: 2, ...(fallback === undefined ? {} : { fallback }), unit: { zh: '元，最多两位小数', en: 'yuan, at most two decimals' } });
    return y === undefined ? undefined : Math.round(y * 100);
  }

  oneOf<T extends string>(field: string, v: unknown, values: readonly T[], fallback?: T): T | undefined {
    if ((v === undefined || v === null || v === '') && fallback !== undefined) return fallback;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    return this.add(field, v, `${field} 应为以下之一：${values.join('、')}`, `${field} must be one of: ${values.join(', ')}`);
  }

  bool(field: string, v: unknown, fallback?: boolean): boolean | undefined {
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      return this.add(field, undefined, `缺少 ${field}（是/否）`, `${field} is required (true or false)`);
    }
    if (typeof v !== 'boolean') return this.add(field, v, `${field} 应为是/否（true/false）`, `${field} must be true or false`);
    return v;
  }

  text(field: string, v: unknown, max: number, fallback = ''): string | undefined {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string') return this.add(field, v, `${field} 应为文字`, `${field} must be text`);
    if (v.length > max) return this.add(field, undefined, `${field} 过长（最多 ${max} 字）`, `${field} is too long (at most ${max} characters)`);
    return v.trim();
  }

  /** The input must be an object; returns it (or {} after noting the problem). */
  object(field: string, v: unknown): Record<string, unknown> {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    if (v !== undefined) this.add(field, v, `${field} 应为对象`, `${field} must be an object`);
    return {};
  }

  array(field: string, v: unknown, min: number, max: number): unknown[] {
    if (!Array.isArray(v)) {
      this.add(field, v, `${field} 应为列表（${min}–${max} 项）`, `${field} must be a list (${min} to ${max} items)`);
      return [];
    }
    if (v.length < min || v.length > max) {
      this.add(field, undefined, `${field} 应有 ${min}–${max} 项，收到 ${v.length} 项`, `${field} needs ${min} to ${max} items, got ${v.length}`);
      return v.slice(0, max);
    }
    return v;
  }
}

/** The area whose parameters apply: '' (national) or an NBS code of 2, 4, 6, 9 or 12 digits. */
export function checkArea(iss: Issues, v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v === 'string' && /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(v)) return v;
  return iss.add('area', v, 'area 应为空（全国）或 2/4/6/9/12 位区划代码', 'area must be empty (national) or an area code of 2, 4, 6, 9 or 12 digits');
}

export function checkYear(iss: Issues, v: unknown, field = 'year'): number | undefined {
  return iss.int(field, v, MIN_YEAR, MAX_YEAR);
}

/** The common head of every result. */
export function result(calculator: CalculatorKind, year: number, area: string, reader: ParamReader, body: Pick<CalcResult, 'lines' | 'totals' | 'notes'>): CalcResult {
  return {
    calculator,
    year,
    area,
    complete: body.totals.every((t) => t.amount !== null),
    ...body,
    missing: reader.missing,
    params: reader.params,
  };
}
