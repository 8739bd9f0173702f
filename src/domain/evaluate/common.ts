// Shapes and helpers shared by the household checks, the decisions and the area bars.
// Nothing here reads a parameter except through a `ParamLookup`, and every result carries the
// `ResolvedParam`s it used so a decision can be stored with them.

import { ValidationError } from '../errors.js';
import { maskIdNumber } from '../idnumber.js';
import { perCapitaNetIncome } from '../income.js';
import type { ParamLookup, PolicyKey, ResolvedParam, Text } from '../policy-types.js';
import type { MemberInput, YearInput } from '../register.js';

export type Status = 'pass' | 'fail' | 'unknown';
export type Fact = number | string | boolean | null;

/** One rule applied to one household or area: its verdict, the facts and parameters it read, and why. */
export interface RuleResult<K extends string = string> {
  key: K;
  label: Text;
  status: Status;
  facts: Record<string, Fact>;
  params: ResolvedParam[];
  reason: Text;
}

/** The household checks, in display order. */
export const CHECK_KEYS = ['income', 'food', 'clothing', 'education', 'medical', 'housing', 'water'] as const;
export type CheckKey = (typeof CHECK_KEYS)[number];
export type Check = RuleResult<CheckKey>;

export const CHECK_LABELS: Record<CheckKey, Text> = {
  income: { zh: '收入', en: 'Income' },
  food: { zh: '不愁吃', en: 'Enough food' },
  clothing: { zh: '不愁穿', en: 'Enough clothing' },
  education: { zh: '义务教育有保障', en: 'Compulsory education secured' },
  medical: { zh: '基本医疗有保障', en: 'Basic medical care secured' },
  housing: { zh: '住房安全有保障', en: 'Safe housing secured' },
  water: { zh: '饮水安全有保障', en: 'Safe drinking water secured' },
};

/** Parameters for another year of the same area (the exit rule looks at past years' poverty lines). */
export type YearLookup = (year: number) => ParamLookup;

/** A reason part of a combined rule. */
export interface Part {
  status: Status;
  zh: string;
  en: string;
}

/** fail beats unknown beats pass. */
export function worst(statuses: readonly Status[]): Status {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('unknown')) return 'unknown';
  return 'pass';
}

/** Joins the parts that decide the status (the failing ones, else the unknown ones, else all). */
export function combine(parts: readonly Part[], passText?: Text): { status: Status; reason: Text } {
  const status = worst(parts.map((p) => p.status));
  const shown = status === 'pass' ? parts : parts.filter((p) => p.status === status);
  if (status === 'pass' && passText) return { status, reason: passText };
  return { status, reason: { zh: shown.map((p) => p.zh).join('；'), en: shown.map((p) => p.en).join('; ') } };
}

export function tri(status: Status): boolean | null {
  return status === 'pass' ? true : status === 'fail' ? false : null;
}

/** Every distinct ResolvedParam, in first-seen order. */
export function dedupeParams(lists: readonly (readonly ResolvedParam[])[]): ResolvedParam[] {
  const seen = new Set<string>();
  const out: ResolvedParam[] = [];
  for (const list of lists) {
    for (const p of list) {
      const k = JSON.stringify([p.key, p.value, p.year, p.region, p.source]);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(p);
      }
    }
  }
  return out;
}

// --- parameters -------------------------------------------------------------------------------

export interface ParamRead {
  /** The row found, also when its value is null (recorded so the decision shows what was looked up). */
  param: ResolvedParam | undefined;
  value: number | null;
  /** Why the value cannot be used, naming the key and year; null when it can. */
  missing: Text | null;
}

export function missingParam(key: PolicyKey, year: number | undefined, param?: ResolvedParam): Text {
  const yz = year === undefined ? '' : `（${year} 年）`;
  const ye = year === undefined ? '' : ` (${year})`;
  const why =
    param === undefined
      ? { zh: '未设置', en: 'not set' }
      : param.value === null
        ? { zh: '已登记但数值未知', en: 'listed but its value is unknown' }
        : { zh: `数值无效（${String(param.value)}）`, en: `invalid value (${String(param.value)})` };
  return {
    zh: `缺少参数 ${key}${yz}：${why.zh}，无法判断；请用 \`jingzhun policy set\` 设置`,
    en: `Missing parameter ${key}${ye}: ${why.en}, so this cannot be decided; set it with \`jingzhun policy set\``,
  };
}

/** Reads a numeric parameter; `valid` narrows what counts as usable (e.g. a positive whole number). */
export function readParam(lookup: ParamLookup, key: PolicyKey, year: number | undefined, valid: (v: number) => boolean = () => true): ParamRead {
  const param = lookup(key);
  const v = param?.value;
  // A copy, so a decision keeps the value it used even if the caller's row changes later.
  const copy = param ? { ...param } : undefined;
  if (typeof v === 'number' && Number.isFinite(v) && valid(v)) return { param: copy, value: v, missing: null };
  return { param: copy, value: null, missing: missingParam(key, year, param) };
}

export function paramsOf(...reads: ParamRead[]): ResolvedParam[] {
  return reads.flatMap((r) => (r.param ? [r.param] : []));
}

/** "全国" / "省 15" / "县 150524" and the year the value took effect, for reasons. */
export function paramOrigin(p: ResolvedParam): Text {
  const region =
    p.region === ''
      ? { zh: '全国', en: 'national' }
      : p.region.length <= 2
        ? { zh: `省级 ${p.region}`, en: `province ${p.region}` }
        : { zh: `县级 ${p.region}`, en: `county ${p.region}` };
  return { zh: `${p.key}，${p.year} 年起，${region.zh}`, en: `${p.key}, from ${p.year}, ${region.en}` };
}

// --- numbers, dates, people -------------------------------------------------------------------

/** Yuan → integer fen for comparisons (the float noise of 1.005 → 100.49999… removed). */
export function fen(yuan: number): number {
  const f = Math.round(Number((Math.abs(yuan) * 100).toPrecision(15)));
  return yuan < 0 ? -f : f;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 3217.9 → "3,217.90" */
export function yuan(v: number): string {
  const f = fen(v);
  const abs = Math.abs(f);
  return `${f < 0 ? '-' : ''}${group(String(Math.floor(abs / 100)))}.${String(abs % 100).padStart(2, '0')}`;
}

/** 3000000 → "3,000,000" */
export function count(v: number | bigint): string {
  const s = String(v);
  return s.startsWith('-') ? `-${group(s.slice(1))}` : group(s);
}

export interface YMD {
  y: number;
  m: number;
  d: number;
}

/** A valid calendar date in YYYY-MM-DD, or null. */
export function parseDate(s: string | null | undefined): YMD | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
  return { y, m: mo, d };
}

export function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function requireDate(s: string, field: string): YMD {
  const d = parseDate(s);
  if (!d) {
    throw new ValidationError([
      {
        field,
        value: String(s),
        zh: `${field} 必须是有效日期 YYYY-MM-DD，收到 ${String(s)}`,
        en: `${field} must be a valid date YYYY-MM-DD, got ${String(s)}`,
      },
    ]);
  }
  return d;
}

/** Completed years of age on `on` (a person born on 29 Feb turns a year older on 1 Mar in common years). */
export function ageOn(birth: YMD, on: YMD): number {
  return on.y - birth.y - (on.m < birth.m || (on.m === birth.m && on.d < birth.d) ? 1 : 0);
}

/**
 * Completed calendar months from `from` to `to`: 2020-01-15 → 2020-07-15 is 6. When the start day
 * does not exist in the end month (31 Jan → 28 Feb), the month's last day completes it.
 */
export function monthsBetween(from: YMD, to: YMD): number {
  let months = (to.y - from.y) * 12 + (to.m - from.m);
  if (to.d < from.d && to.d < daysIn(to.y, to.m)) months -= 1;
  return months;
}

/** "王小明（1505**********1234）": the name with the masked ID number, never the full number. */
export function who(m: MemberInput): Text {
  const id = m.idNumber ? maskIdNumber(m.idNumber) : '';
  return id ? { zh: `${m.name}（${id}）`, en: `${m.name} (${id})` } : { zh: m.name, en: m.name };
}

export function listOf(items: readonly Text[]): Text {
  return { zh: items.map((t) => t.zh).join('、'), en: items.map((t) => t.en).join(', ') };
}

/** Per-capita net income of a yearly record by domain/income.ts, or why it cannot be computed. */
export function yearIncome(y: YearInput): { value: number; error: null } | { value: null; error: Text } {
  try {
    const value = perCapitaNetIncome(
      {
        wage: y.wageIncome,
        production: y.productionIncome,
        property: y.propertyIncome,
        transfer: y.transferIncome,
        productionCosts: y.productionCosts,
        nonCounting: y.nonCountingIncome,
      },
      y.householdSize,
    );
    return { value, error: null };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const [zh = e.message, en = e.message] = e.message.split(' / ');
    return {
      value: null,
      error: { zh: `${y.year} 年人均纯收入无法计算：${zh}`, en: `The ${y.year} per-capita net income cannot be computed: ${en}` },
    };
  }
}
