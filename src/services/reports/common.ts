// What the reports (报表) and the public-data export share: their input checks, the area they are
// asked for (scope first: outside it NotFound, never a hint; inside it an unknown code is bad
// input), code labels in both languages, and the day a report is made (China time).
import { NotFound, ValidationError, type FieldIssue } from '../../domain/errors.js';
import { labelOf, type CodeListKey } from '../../domain/codes.js';
import type { Text } from '../../domain/policy-types.js';
import { localDay } from '../../domain/workflows/dates.js';
import { inScope, type Ctx } from '../context.js';

export const MIN_REPORT_YEAR = 2000;
export const MAX_REPORT_YEAR = 2100;

export const LEVELS: Record<number, { digits: number; name: Text }> = {
  1: { digits: 2, name: { zh: '省级区划', en: 'a province' } },
  2: { digits: 4, name: { zh: '市级区划', en: 'a city' } },
  3: { digits: 6, name: { zh: '旗县', en: 'a county' } },
  4: { digits: 9, name: { zh: '苏木乡镇', en: 'a township' } },
  5: { digits: 12, name: { zh: '嘎查村', en: 'a village' } },
};

export interface ReportArea {
  code: string;
  name: string;
  level: number;
  /** From the province down to the area itself. */
  path: { code: string; name: string }[];
}

/** Today in China time: the 制表日期 printed on every report. */
export function reportDay(now: Date = new Date()): string {
  return localDay(now);
}

export function yearIssue(year: unknown, field = 'year'): FieldIssue | null {
  if (typeof year === 'number' && Number.isInteger(year) && year >= MIN_REPORT_YEAR && year <= MAX_REPORT_YEAR) return null;
  const got = year === undefined || year === null || year === '' ? '（空 empty）' : String(year);
  return {
    field,
    value: year === undefined ? undefined : String(year),
    zh: `年度应为 ${MIN_REPORT_YEAR}–${MAX_REPORT_YEAR} 的整数，收到 ${got}；例如 --year 2020 或 ?year=2020`,
    en: `year must be a whole number ${MIN_REPORT_YEAR}–${MAX_REPORT_YEAR}, got ${got}; e.g. --year 2020 or ?year=2020`,
  };
}

/** The code's shape: digits of one of the lengths allowed for this report. */
export function codeIssue(code: unknown, levels: readonly number[], what: Text, field = 'area'): FieldIssue | null {
  const lengths = levels.map((l) => LEVELS[l]!.digits);
  if (typeof code === 'string' && /^\d+$/.test(code) && lengths.includes(code.length)) return null;
  const digits = lengths.join(' / ');
  const got = code === undefined || code === null || code === '' ? '（空 empty）' : String(code);
  return {
    field,
    value: code === undefined ? undefined : String(code),
    zh: `${field} 应为${what.zh}的 ${digits} 位区划代码，收到 ${got}；可用 \`jingzhun areas search 名称\` 查找代码`,
    en: `${field} must be the ${digits}-digit code of ${what.en}, got ${got}; find codes with \`jingzhun areas search NAME\``,
  };
}

export function throwIfAny(issues: (FieldIssue | null)[], msg?: Text): void {
  const list = issues.filter((i): i is FieldIssue => i !== null);
  if (list.length) throw new ValidationError(list, msg);
}

/**
 * The area of a report. Outside the actor's scope: NotFound (as everywhere, so existence does not
 * leak). Inside it: an unknown code or one of the wrong level is bad input naming the field.
 */
export async function reportArea(ctx: Ctx, code: string, levels: readonly number[], what: Text, field = 'area'): Promise<ReportArea> {
  if (!inScope(ctx.actor, code)) throw new NotFound({ zh: '区划', en: 'area' });
  const [a] = await ctx.db.query<{ code: string; name: string; level: number }>('SELECT code, name, level FROM areas WHERE code = $1', [code]);
  if (!a) {
    throw new ValidationError([{
      field, value: code,
      zh: `区划代码 ${code} 不存在；请核对代码（可用 \`jingzhun areas search 名称\` 或“区划管理”页面查找）`,
      en: `There is no area with code ${code}; check the code (find it with \`jingzhun areas search NAME\` or the Areas page)`,
    }]);
  }
  const level = Number(a.level);
  if (!levels.includes(level)) {
    const is = LEVELS[level]?.name ?? { zh: `第 ${level} 级区划`, en: `a level-${level} area` };
    throw new ValidationError([{
      field, value: code,
      zh: `${a.name}（${code}）是${is.zh}，不是${what.zh}；请填写${what.zh}的代码`,
      en: `${a.name} (${code}) is ${is.en}, not ${what.en}; give the code of ${what.en}`,
    }]);
  }
  const path = await ctx.db.query<{ code: string; name: string }>(`SELECT code, name FROM areas WHERE $1 LIKE code || '%' ORDER BY level`, [code]);
  return { code: a.code, name: a.name, level, path };
}

/** "通辽市 库伦旗 库伦镇" — the names above and including the area, for titles. */
export function pathName(a: ReportArea, from = 2): string {
  return a.path.filter((p) => p.code.length >= (LEVELS[from]?.digits ?? 0)).map((p) => p.name).join(' ');
}

/** A code's label in both languages; null for no code. */
export function label(list: CodeListKey, code: string | null | undefined): Text | null {
  if (code === null || code === undefined || code === '') return null;
  return { zh: labelOf(list, code, 'zh'), en: labelOf(list, code, 'en') };
}

/** 是 / 否 / 未知 for a yes/no record. */
export function yesNo(v: boolean | null | undefined): string {
  return v === null || v === undefined ? '未知' : v ? '是' : '否';
}

/** Rounds to the fen (half away from zero) after summing, so totals print as they add up. */
export function fen(v: number): number {
  const r = Math.round(Math.abs(v) * 100) / 100;
  return v < 0 ? -r : r;
}
