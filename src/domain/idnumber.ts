// Chinese resident ID numbers (公民身份号码) per GB 11643-1999, pure helpers.
//
// An 18-character number is: 6-digit area code, 8-digit birth date (YYYYMMDD), 3-digit
// sequence (odd for men, even for women), and a check character computed with ISO 7064
// MOD 11-2 (`X` stands for 10). Legacy 15-digit numbers have a 2-digit year and no check
// character; they convert by inserting `19` after the area code and appending the check
// character.
//
// Values that arrive from spreadsheets are often damaged (scientific notation, a trailing
// `.0`, full-width digits, stray spaces). Those are reported as problems with a message that
// says what happened and what to do; nothing is silently repaired, because a "repaired" ID
// number that is wrong is worse than one the user is asked to re-enter.

import { findCode } from './codes.js';

export type IdProblemCode =
  | 'empty'
  | 'scientific_notation'
  | 'trailing_decimal'
  | 'fullwidth'
  | 'whitespace'
  | 'bad_length'
  | 'bad_chars'
  | 'bad_area'
  | 'bad_date'
  | 'future_date'
  | 'bad_check'
  | 'sex_mismatch'
  | 'birth_mismatch';

export interface IdProblem {
  code: IdProblemCode;
  /** User-facing message in Chinese: what is wrong and what to do. */
  zh: string;
  /** The same message in English. */
  en: string;
}

export interface ParsedId {
  /** The normalised 18-character number (upper-case `X`). */
  value: string;
  /** 6-digit area code (the place of first registration, not necessarily current residence). */
  areaCode: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  /** '1' male (odd sequence), '2' female (even sequence). */
  sex: '1' | '2';
  /** True when the input was a legacy 15-digit number. */
  upgradedFrom15: boolean;
}

export type ParseIdResult = { ok: true; id: ParsedId } | { ok: false; problem: IdProblem };

/** Earliest accepted birth year (the standard's own example is born in 1880). */
export const MIN_BIRTH_YEAR = 1800;

/**
 * Province-level codes (first two digits of the area code) per GB/T 2260, plus 71 台湾,
 * 81 香港, 82 澳门 and 83 (台湾居民居住证).
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number:
 * sum of digit × weight, mod 11, mapped through "10X98765432".
 * Throws RangeError unless given exactly 17 ASCII digits.
 */
export function checkChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError(`checkChar needs exactly 17 digits, got "${first17}"`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  }
  return CHECK_CHARS.charAt(sum % 11);
}

// ---------------------------------------------------------------------------------------
// Parsing

function problem(code: IdProblemCode, zh: string, en: string): { ok: false; problem: IdProblem } {
  return { ok: false, problem: { code, zh, en } };
}

/** Whitespace and invisible characters that copy-and-paste brings in. */
const SPACE_RE = /[\s\u00A0\u3000\u200B\u200C\u200D\u2060\uFEFF]/u;
const SPACE_RE_G = /[\s\u00A0\u3000\u200B\u200C\u200D\u2060\uFEFF]/gu;

function spaceName(ch: string): { zh: string; en: string } {
  switch (ch) {
    case ' ':
      return { zh: '半角空格', en: 'space' };
    case '\u3000':
      return { zh: '全角空格', en: 'full-width space U+3000' };
    case '\u00A0':
      return { zh: '不换行空格(NBSP)', en: 'non-breaking space U+00A0' };
    case '\t':
      return { zh: '制表符', en: 'tab' };
    case '\n':
    case '\r':
      return { zh: '换行符', en: 'line break' };
    default:
      return { zh: `不可见字符 ${codePointLabel(ch)}`, en: `invisible character ${codePointLabel(ch)}` };
  }
}

function codePointLabel(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Shows a character for a message; invisible or control characters as U+XXXX. */
function showChar(ch: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) ? ch : codePointLabel(ch);
}

function distinct(chars: Iterable<string>, max = 5): string[] {
  return [...new Set(chars)].slice(0, max);
}

function isFullwidthAscii(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return cp >= 0xff01 && cp <= 0xff5e;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** The local calendar date of `d` as YYYY-MM-DD. */
function localIsoDate(d: Date): string {
  return `${String(d.getFullYear()).padStart(4, '0')}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/**
 * Parses and validates an ID number. Accepts 18 characters (17 digits and a check digit or
 * `X`/`x`) or a legacy 15-digit number, which is upgraded to 18. Anything else gives one
 * problem, the first found, in this order: empty, spreadsheet damage (scientific notation,
 * trailing `.0`), full-width characters, whitespace, other bad characters, length, area code,
 * birth date, check character.
 */
export function parseIdNumber(input: string, opts: { today?: Date } = {}): ParseIdResult {
  const raw: string = typeof input === 'string' ? input : input == null ? '' : String(input);
  const compact = raw.replace(SPACE_RE_G, '');

  if (compact === '') {
    return problem('empty', '身份证号为空，请填写18位身份证号', 'The ID number is empty; enter the 18-character ID number');
  }

  if (/^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/.test(compact)) {
    return problem(
      'scientific_notation',
      `身份证号被 Excel 转成了科学计数法（${compact}），原号码已丢失；请把该列设为“文本”格式后重新录入完整的18位号码`,
      `Excel has turned the ID number into scientific notation (${compact}) and the original digits are lost; format the column as Text and enter the full 18-character number again`,
    );
  }

  if (/^\d+\.0+$/.test(compact)) {
    return problem(
      'trailing_decimal',
      `身份证号末尾带有小数“.0”（${compact}），说明 Excel 把它存成了数字；数字最多保留15位有效数字，18位号码的最后几位可能已变成0。请把该列设为“文本”格式，核对原件后重新录入完整号码（不带“.0”）`,
      `The ID number ends in a decimal ".0" (${compact}), which means Excel stored it as a number; numbers keep only 15 significant digits, so the last digits of an 18-character ID may have become 0. Format the column as Text, check the number against the ID card and enter it again without ".0"`,
    );
  }

  const fullwidth = [...raw].filter(isFullwidthAscii);
  if (fullwidth.length > 0) {
    const shown = distinct(fullwidth).join('');
    return problem(
      'fullwidth',
      `身份证号中含有全角字符（${shown}）；请切换到半角（英文）输入法，重新录入数字和字母 X`,
      `The ID number contains full-width characters (${shown}); switch to half-width (English) input and type the digits and the letter X again`,
    );
  }

  if (SPACE_RE.test(raw)) {
    const chars = [...raw];
    const edge = /^[\s\u00A0\u3000\u200B\u200C\u200D\u2060\uFEFF]+|[\s\u00A0\u3000\u200B\u200C\u200D\u2060\uFEFF]+$/gu;
    const where: { zh: string; en: string }[] = [];
    if (SPACE_RE.test(chars[0] ?? '')) where.push({ zh: '开头', en: 'at the start' });
    if (SPACE_RE.test(raw.replace(edge, ''))) where.push({ zh: '中间', en: 'in the middle' });
    if (SPACE_RE.test(chars[chars.length - 1] ?? '')) where.push({ zh: '末尾', en: 'at the end' });
    const kinds = distinct(chars.filter((c) => SPACE_RE.test(c))).map(spaceName);
    return problem(
      'whitespace',
      `身份证号${where.map((w) => w.zh).join('、')}含有空白字符（${kinds.map((k) => k.zh).join('、')}），多为复制粘贴带入；请删除所有空格后重新录入`,
      `The ID number has whitespace ${where.map((w) => w.en).join(', ')} (${kinds.map((k) => k.en).join(', ')}), usually from copy and paste; delete all spaces and enter it again`,
    );
  }

  const s = raw;
  const badChars = [...s].filter((c) => !/[0-9Xx]/.test(c));
  if (badChars.length > 0) {
    const shown = distinct(badChars).map((c) => `“${showChar(c)}”`).join('、');
    const shownEn = distinct(badChars).map((c) => `"${showChar(c)}"`).join(', ');
    return problem(
      'bad_chars',
      `身份证号中含有不允许的字符 ${shown}；身份证号只能由数字和最后一位的 X 组成，请核对后重新录入`,
      `The ID number contains characters that are not allowed: ${shownEn}; an ID number has only digits, with X allowed as the last character. Check it and enter it again`,
    );
  }

  if (s.length !== 18 && s.length !== 15) {
    return problem(
      'bad_length',
      `身份证号应为18位（旧版为15位），现在是${s.length}位（${s}）；请核对是否漏录或多录了数字`,
      `The ID number should have 18 characters (15 for an old-style number) but has ${s.length} (${s}); check for missing or extra digits`,
    );
  }

  const xAt = s.search(/[Xx]/);
  if (xAt !== -1 && !(s.length === 18 && xAt === 17)) {
    return problem(
      'bad_chars',
      s.length === 15
        ? `15位旧身份证号只能由数字组成，不能含字母 X（${s}）；请核对后重新录入`
        : `字母 X 只能出现在身份证号的最后一位，现在出现在第${xAt + 1}位（${s}）；请核对后重新录入`,
      s.length === 15
        ? `An old-style 15-digit ID number has only digits and cannot contain X (${s}); check it and enter it again`
        : `The letter X may only be the last character of an ID number, but it is character ${xAt + 1} here (${s}); check it and enter it again`,
    );
  }

  const upgradedFrom15 = s.length === 15;
  const first17 = upgradedFrom15 ? `${s.slice(0, 6)}19${s.slice(6)}` : s.slice(0, 17);

  const areaCode = first17.slice(0, 6);
  const province = areaCode.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) {
    return problem(
      'bad_area',
      `身份证号前6位地址码“${areaCode}”无效：前两位“${province}”不是省级行政区代码；请核对身份证号前几位`,
      `The area code "${areaCode}" (first 6 digits) is not valid: "${province}" is not a province code; check the first digits of the ID number`,
    );
  }

  const y = Number(first17.slice(6, 10));
  const m = Number(first17.slice(10, 12));
  const d = Number(first17.slice(12, 14));
  const dateDigits = first17.slice(6, 14);
  const where = upgradedFrom15 ? '第7–12位' : '第7–14位';
  const whereEn = upgradedFrom15 ? 'digits 7–12' : 'digits 7–14';
  if (y < MIN_BIRTH_YEAR) {
    return problem(
      'bad_date',
      `身份证号中的出生年份 ${y} 早于 ${MIN_BIRTH_YEAR} 年，不可能；请核对${where}出生日期`,
      `The birth year ${y} in the ID number is before ${MIN_BIRTH_YEAR}, which is impossible; check the birth date (${whereEn})`,
    );
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    const why =
      m < 1 || m > 12
        ? { zh: `月份 ${pad2(m)} 不存在`, en: `there is no month ${pad2(m)}` }
        : m === 2 && d === 29
          ? { zh: `${y} 年不是闰年，2月没有29日`, en: `${y} is not a leap year, so February has no 29th` }
          : { zh: `${m}月没有${d}日`, en: `month ${m} has no day ${d}` };
    return problem(
      'bad_date',
      `身份证号中的出生日期 ${dateDigits} 不是有效日期（${why.zh}）；请核对${where}出生日期`,
      `The birth date ${dateDigits} in the ID number is not a real date (${why.en}); check the birth date (${whereEn})`,
    );
  }
  const birthDate = `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
  const today = localIsoDate(opts.today ?? new Date());
  if (birthDate > today) {
    return problem(
      'future_date',
      `身份证号中的出生日期 ${birthDate} 晚于今天（${today}）；请核对${where}出生日期`,
      `The birth date ${birthDate} in the ID number is after today (${today}); check the birth date (${whereEn})`,
    );
  }

  const expected = checkChar(first17);
  if (!upgradedFrom15) {
    const actual = s.charAt(17).toUpperCase();
    if (actual !== expected) {
      return problem(
        'bad_check',
        `身份证号校验位不符：按前17位计算，最后一位应为“${expected}”，实际为“${actual}”；号码中很可能有一位抄错或两位颠倒，请对照身份证原件核对`,
        `The check character does not match: from the first 17 digits the last character should be "${expected}", not "${actual}"; a digit was probably mistyped or two were swapped — check against the ID card`,
      );
    }
  }

  const sexDigit = first17.charCodeAt(16) - 48;
  return {
    ok: true,
    id: {
      value: first17 + expected,
      areaCode,
      birthDate,
      sex: sexDigit % 2 === 1 ? '1' : '2',
      upgradedFrom15,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Cross-checks against other fields

const SEX_LABEL = { '1': { zh: '男', en: 'male' }, '2': { zh: '女', en: 'female' } } as const;

/** Reads a date typed as YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日 or YYYYMMDD. */
function normaliseDate(v: string): string | undefined {
  const t = v.trim().replace(/T.*$/, '');
  const m = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$/.exec(t);
  if (!m) return undefined;
  const y = m[1] ?? '';
  const mo = m[2] ?? m[4] ?? '';
  const d = m[3] ?? m[5] ?? '';
  return `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/**
 * Compares a parsed ID with the sex and birth date entered separately for the same person.
 * Sex may be a code ('1'/'2') or a label (男/女, male/female); the birth date may be written
 * as YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 or YYYYMMDD. Missing or unreadable values are not
 * reported here (checking the fields themselves is the field validator's job).
 */
export function crossCheckId(id: ParsedId, entered: { sex?: string | null; birthDate?: string | null }): IdProblem[] {
  const problems: IdProblem[] = [];
  const masked = maskIdNumber(id.value);

  if (entered.sex != null && entered.sex.trim() !== '') {
    const item = findCode('sex', entered.sex);
    if (item && (item.code === '1' || item.code === '2') && item.code !== id.sex) {
      const given = SEX_LABEL[item.code];
      const fromId = SEX_LABEL[id.sex];
      problems.push({
        code: 'sex_mismatch',
        zh: `录入的性别为“${given.zh}”，但身份证号 ${masked} 表明性别为“${fromId.zh}”（第17位为${id.sex === '1' ? '奇数' : '偶数'}）；请核对性别或身份证号`,
        en: `The sex entered is ${given.en}, but ID number ${masked} says ${fromId.en} (its 17th digit is ${id.sex === '1' ? 'odd' : 'even'}); check the sex or the ID number`,
      });
    }
  }

  if (entered.birthDate != null && entered.birthDate.trim() !== '') {
    const given = normaliseDate(entered.birthDate);
    if (given !== undefined && given !== id.birthDate) {
      problems.push({
        code: 'birth_mismatch',
        zh: `录入的出生日期为 ${given}，但身份证号 ${masked} 中的出生日期为 ${id.birthDate}；请核对出生日期或身份证号`,
        en: `The birth date entered is ${given}, but ID number ${masked} gives ${id.birthDate}; check the birth date or the ID number`,
      });
    }
  }

  return problems;
}

// ---------------------------------------------------------------------------------------
// Masking for display

function mask(v: string, head: number, tail: number): string {
  const chars = [...v];
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/**
 * Masks an ID number for display: first 4 and last 4 characters kept
 * (`150521199001011234` → `1505**********1234`). Values shorter than 12 characters are
 * masked entirely, so a fragment never shows most of a number.
 */
export function maskIdNumber(v: string): string {
  if ([...v].length < 12) return '*'.repeat([...v].length);
  return mask(v, 4, 4);
}

/**
 * Masks a phone number for display: first 3 and last 4 characters kept
 * (`13812345678` → `138****5678`). Values of 7 characters or fewer are masked entirely.
 */
export function maskPhone(v: string): string {
  return mask(v, 3, 4);
}
