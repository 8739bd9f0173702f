// Field validators shared by the importer and the HTTP API. Raw values may be strings from a
// file or typed JSON (numbers, booleans, arrays); keys are the camelCase field names (or the
// template's Chinese headers). Every issue says what is wrong, in which column and what to do,
// Chinese first.
import type { FieldIssue } from './errors.js';
import { codeLists, findCode, type CodeListKey } from './codes.js';
import { crossCheckId, maskIdNumber, MIN_BIRTH_YEAR, parseIdNumber, type ParsedId } from './idnumber.js';
import { HEAD_RELATION, type HouseholdBundle, type HouseholdInput, type MemberInput, type YearInput } from './register.js';
import { columnsOf, type TemplateColumn } from './template.js';

export interface Where {
  /** 1-based spreadsheet row, copied into every issue. */
  row?: number;
  /** "Today" for future-date checks (tests); defaults to now. */
  today?: Date;
}

export interface Validated<T> {
  value?: T;
  issues: FieldIssue[];
}

type Raw = Record<string, unknown>;

// Year fields the template does not have as columns: household size is derived from the row
// count, the year's status comes from 脱贫标志, the note is API-only.
const EXTRA_YEAR_COLUMNS: TemplateColumn[] = [
  { header: '家庭人口数', headerEn: 'Household size', field: 'householdSize', part: 'year', kind: 'int', required: true, min: 1, max: 99 },
  { header: '脱贫标志', headerEn: 'Exit status', field: 'status', part: 'year', kind: 'code', codeList: 'exitStatus', required: true },
  { header: '备注', headerEn: 'Note', field: 'note', part: 'year', kind: 'text', required: false, maxLength: 2000 },
];

const PHONE_RE = /^(1[3-9]\d{9}|(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?)$/;

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function shown(v: unknown): string {
  const s = Array.isArray(v) ? v.join('、') : v instanceof Date ? v.toISOString() : String(v);
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function todayIso(today?: Date): string {
  const d = today ?? new Date();
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Rounds to cents without float noise (1.005 → 1.01). */
function cents(n: number): number {
  const c = Math.abs(n) * 100;
  const whole = Math.round(c);
  // Values with at most two decimals (nearly all) skip the slower exact path.
  const r = Math.abs(c - whole) < 1e-6 ? whole / 100 : Math.round(Number(c.toPrecision(15))) / 100;
  return n < 0 ? -r : r;
}

const BOOLS = new Map<string, boolean>([
  ['是', true], ['y', true], ['yes', true], ['1', true], ['true', true], ['t', true],
  ['否', false], ['n', false], ['no', false], ['0', false], ['false', false], ['f', false],
]);

// Big files repeat the same few labels millions of times; remember what findCode said.
const codeMemo = new Map<CodeListKey, Map<string, string | null>>();
function lookupCode(key: CodeListKey, text: string): string | undefined {
  let m = codeMemo.get(key);
  if (!m) codeMemo.set(key, (m = new Map()));
  const hit = m.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const code = findCode(key, text)?.code ?? null;
  if (m.size < 5000) m.set(text, code);
  return code ?? undefined;
}

function listText(key: CodeListKey): { zh: string; en: string } {
  const items = codeLists[key].items;
  const head = items.slice(0, 14);
  const more = items.length > head.length;
  return {
    zh: head.map((i) => `${i.zh}(${i.code})`).join('、') + (more ? ` 等，共 ${items.length} 项，见模板“填写说明”工作表` : ''),
    en: head.map((i) => `${i.zh} (${i.code}, ${i.en})`).join(', ') + (more ? ` … ${items.length} in all, see the template’s 填写说明 sheet` : ''),
  };
}

/** Parses one column of a raw record; pushes issues and returns undefined when invalid, null when empty. */
class FieldReader {
  readonly issues: FieldIssue[] = [];
  constructor(
    private readonly raw: Raw,
    private readonly where: Where,
  ) {}

  rawOf(col: TemplateColumn): unknown {
    const v = this.raw[col.field];
    return v !== undefined ? v : this.raw[col.header];
  }

  issue(col: TemplateColumn, value: unknown, zh: string, en: string): undefined {
    // Messages that already start with the column's name (the ID parser's) are not prefixed again.
    const named = zh.startsWith(col.header);
    const i: FieldIssue = { field: col.field, column: col.header, zh: named ? zh : `「${col.header}」${zh}`, en: `"${col.header}" (${col.headerEn}): ${en}` };
    if (this.where.row !== undefined) i.row = this.where.row;
    if (!isEmpty(value)) i.value = shown(value);
    this.issues.push(i);
    return undefined;
  }

  private thisYear?: number;

  private upper(col: TemplateColumn): number | undefined {
    if (col.max !== 'thisYear') return col.max;
    return (this.thisYear ??= (this.where.today ?? new Date()).getFullYear());
  }

  /** Checks emptiness; returns 'empty' (already handled) or the raw value. */
  private present(col: TemplateColumn, v: unknown, required: boolean): boolean {
    if (!isEmpty(v)) return true;
    if (required) this.issue(col, v, '为必填项，不能为空；请填写后重新导入', 'is required and empty; fill it in and import again');
    return false;
  }

  text(col: TemplateColumn, required = col.required): string | null | undefined {
    const v = this.rawOf(col);
    if (!this.present(col, v, required)) return required ? undefined : null;
    if (typeof v !== 'string' && typeof v !== 'number') return this.issue(col, v, '应为文字', 'should be text');
    const s = String(v).trim();
    if (col.maxLength && [...s].length > col.maxLength) {
      return this.issue(col, v, `最长 ${col.maxLength} 个字，现有 ${[...s].length} 个；请缩短`, `is at most ${col.maxLength} characters long, this has ${[...s].length}; shorten it`);
    }
    if (col.phone && !PHONE_RE.test(s)) {
      return this.issue(
        col, v,
        `“${shown(v)}”不是有效的电话号码；请填写11位手机号（如 13812345678）或带区号的固定电话（如 0475-1234567）`,
        `"${shown(v)}" is not a phone number; enter an 11-digit mobile (e.g. 13812345678) or a landline with area code (e.g. 0475-1234567)`,
      );
    }
    return s;
  }

  code(col: TemplateColumn, required = col.required): string | null | undefined {
    const v = this.rawOf(col);
    if (!this.present(col, v, required)) return required ? undefined : null;
    const key = col.codeList!;
    const code = typeof v === 'string' || typeof v === 'number' ? lookupCode(key, String(v)) : undefined;
    if (code === undefined) {
      const l = listText(key);
      return this.issue(col, v, `“${shown(v)}”不在代码表“${codeLists[key].zh}”中；请填写以下名称或代码之一：${l.zh}`, `"${shown(v)}" is not in the code list ${codeLists[key].en}; use one of: ${l.en}`);
    }
    return code;
  }

  codes(col: TemplateColumn): string[] | undefined {
    const v = this.rawOf(col);
    if (isEmpty(v)) return [];
    const parts = Array.isArray(v) ? v.map((x) => String(x).trim()) : String(v).split(/[、,，;；]/).map((x) => x.trim());
    const out: string[] = [];
    const bad: string[] = [];
    for (const p of parts.filter((x) => x !== '')) {
      const item = findCode(col.codeList!, p);
      if (!item) bad.push(p);
      else if (!out.includes(item.code)) out.push(item.code);
    }
    if (bad.length) {
      const l = listText(col.codeList!);
      return this.issue(col, v, `中的“${bad.join('、')}”不在代码表中；多个原因用 、 , ; 分隔，可填：${l.zh}`, `has values not in the code list: ${bad.join(', ')}; separate several with 、 , or ; and use: ${l.en}`);
    }
    return out;
  }

  private numberOf(col: TemplateColumn, v: unknown): number | undefined {
    if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
    if (typeof v !== 'string') return undefined;
    const s = v.trim();
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    if (/^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/.test(s) || /^[+-]?\.\d+$/.test(s)) return Number(s.replaceAll(',', ''));
    return undefined;
  }

  private range(col: TemplateColumn, v: unknown, n: number): number | undefined {
    const max = this.upper(col);
    if (col.min !== undefined && n < col.min) {
      return col.min === 0
        ? this.issue(col, v, `不能为负数（现为 ${n}）；请填写 0 或正数`, `cannot be negative (it is ${n}); enter 0 or more`)
        : this.issue(col, v, `应不小于 ${col.min}（现为 ${n}）`, `must be at least ${col.min} (it is ${n})`);
    }
    if (max !== undefined && n > max) return this.issue(col, v, `应不大于 ${max}（现为 ${n}）`, `must be at most ${max} (it is ${n})`);
    return n;
  }

  int(col: TemplateColumn, required = col.required): number | null | undefined {
    const v = this.rawOf(col);
    if (!this.present(col, v, required)) return required ? undefined : null;
    const n = this.numberOf(col, v);
    if (n === undefined || !Number.isInteger(n)) {
      return this.issue(col, v, `应为整数，现为“${shown(v)}”；请只填数字，不带单位和小数`, `should be a whole number, not "${shown(v)}"; enter digits only, without units or decimals`);
    }
    return this.range(col, v, n);
  }

  decimal(col: TemplateColumn, emptyAs: 0 | null): number | null | undefined {
    const v = this.rawOf(col);
    if (isEmpty(v)) return emptyAs;
    const n = this.numberOf(col, v);
    if (n === undefined) {
      return this.issue(col, v, `应为数字，现为“${shown(v)}”；请只填数字（可带小数点），不带单位`, `should be a number, not "${shown(v)}"; enter digits (a decimal point is fine), without units`);
    }
    return this.range(col, v, cents(n));
  }

  bool(col: TemplateColumn, emptyAs: boolean | null = null): boolean | null | undefined {
    const v = this.rawOf(col);
    if (isEmpty(v)) return emptyAs;
    if (typeof v === 'boolean') return v;
    const b = BOOLS.get(typeof v === 'string' ? v : String(v)) ?? BOOLS.get(String(v).trim().toLowerCase());
    if (b !== undefined) return b;
    return this.issue(col, v, `应填“是”或“否”（也可填 Y/N、1/0、true/false），现为“${shown(v)}”`, `should be 是 (yes) or 否 (no) — Y/N, 1/0, true/false also work — not "${shown(v)}"`);
  }

  date(col: TemplateColumn, required = col.required): string | null | undefined {
    const v = this.rawOf(col);
    if (!this.present(col, v, required)) return required ? undefined : null;
    let y: number, m: number, d: number;
    if (v instanceof Date && !Number.isNaN(v.getTime())) {
      [y, m, d] = [v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate()];
    } else {
      const s = typeof v === 'string' || typeof v === 'number' ? String(v).trim().replace(/T[\d:.]+(Z|[+-]\d\d:?\d\d)?$/, '') : '';
      const x = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$/.exec(s);
      if (!x) {
        return this.issue(col, v, `“${shown(v)}”不是日期；请按 YYYY-MM-DD 填写，如 2016-03-01`, `"${shown(v)}" is not a date; write it as YYYY-MM-DD, e.g. 2016-03-01`);
      }
      [y, m, d] = [Number(x[1]), Number(x[2] ?? x[4]), Number(x[3] ?? x[5])];
    }
    if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m) || y < MIN_BIRTH_YEAR) {
      return this.issue(col, v, `“${shown(v)}”不是真实存在的日期；请核对年月日`, `"${shown(v)}" is not a real date; check the year, month and day`);
    }
    const iso = `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
    const today = todayIso(this.where.today);
    if (iso > today) return this.issue(col, v, `${iso} 晚于今天（${today}）；请核对`, `${iso} is after today (${today}); check it`);
    return iso;
  }

  id(col: TemplateColumn): ParsedId | undefined {
    const v = this.rawOf(col);
    if (!this.present(col, v, true)) return undefined;
    if (typeof v === 'number') {
      return this.issue(
        col, v,
        '是数字而不是文本：Excel 把身份证号存成数字后只保留15位有效数字，末几位已丢失；请把该列设为“文本”格式，对照身份证原件重新录入完整号码',
        'is a number, not text: once Excel stores an ID number as a number it keeps only 15 significant digits and the last digits are lost; format the column as Text and enter the full number again from the ID card',
      );
    }
    if (typeof v !== 'string') return this.issue(col, v, '应为18位身份证号', 'should be an 18-character ID number');
    const r = parseIdNumber(v, this.where.today ? { today: this.where.today } : {});
    if (!r.ok) return this.issue(col, v, r.problem.zh, r.problem.en);
    return r.id;
  }

  area(col: TemplateColumn): string | undefined {
    const v = this.rawOf(col);
    if (!this.present(col, v, true)) return undefined;
    const s = typeof v === 'number' && Number.isInteger(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
    if (!/^\d{12}$/.test(s)) {
      return this.issue(col, v, `“${shown(v)}”不是12位村级统计用区划代码；请填写村（嘎查）的12位代码，如 150524100201`, `"${shown(v)}" is not a 12-digit village code; enter the village's 12-digit NBS code, e.g. 150524100201`);
    }
    return s;
  }
}

/**
 * One cell on its own, normalised (是 and 1 → true, 男 → '1', an ID → its 18 characters), to
 * compare the same field on two rows; or the issue with it.
 */
export function normaliseField(c: TemplateColumn, value: unknown, where: Where = {}): { ok: true; value: unknown } | { ok: false; issue: FieldIssue } {
  const r = new FieldReader({ [c.field]: value }, where);
  let v: unknown;
  switch (c.kind) {
    case 'text': v = r.text(c); break;
    case 'code': v = r.code(c); break;
    case 'codes': v = r.codes(c); break;
    case 'int': v = r.int(c); break;
    case 'money': v = r.decimal(c, 0); break;
    case 'decimal': v = r.decimal(c, null); break;
    case 'bool': v = r.bool(c, c.field === 'relocated' ? false : null); break;
    case 'date': v = r.date(c); break;
    case 'id': v = r.id(c)?.value; break;
    case 'area': v = r.area(c); break;
  }
  const issue = r.issues[0];
  return issue ? { ok: false, issue } : { ok: true, value: v };
}

// Columns resolved once (the validators run for every row of a large file).
const H = Object.fromEntries(columnsOf('household').map((c) => [c.field, c])) as Record<keyof HouseholdInput, TemplateColumn>;
const M = Object.fromEntries(columnsOf('member').map((c) => [c.field, c])) as Record<keyof MemberInput, TemplateColumn>;
const Y = Object.fromEntries([...columnsOf('year'), ...EXTRA_YEAR_COLUMNS].map((c) => [c.field, c])) as Record<keyof YearInput, TemplateColumn>;

/**
 * Rules between a household's fields: an exited household (脱贫标志 1 or 4) needs its exit
 * year, which cannot be before the year it was identified. The importer applies them again
 * once it knows the household's latest 脱贫标志.
 */
export function householdRules(h: Pick<HouseholdInput, 'exitStatus' | 'exitYear' | 'identifiedOn'>, where: Where = {}): FieldIssue[] {
  const r = new FieldReader({}, where);
  if ((h.exitStatus === '1' || h.exitStatus === '4') && h.exitYear === null) {
    r.issue(H.exitYear, null, '为空，但脱贫标志为“已脱贫”；请填写脱贫年度（四位年份）', 'is empty but the exit status says out of poverty; enter the exit year (four digits)');
  }
  if (h.exitYear !== null && h.identifiedOn !== null && h.exitYear < Number(h.identifiedOn.slice(0, 4))) {
    r.issue(H.exitYear, h.exitYear, `${h.exitYear} 早于首次识别时间 ${h.identifiedOn}；脱贫年度不能早于识别年份，请核对`, `${h.exitYear} is before the identification date ${h.identifiedOn}; a household cannot exit before it was identified — check both`);
  }
  return r.issues;
}

export function validateHouseholdFields(raw: Raw, where: Where = {}): Validated<HouseholdInput> {
  const r = new FieldReader(raw, where);
  const householdNo = r.text(H.householdNo);
  const villageCode = r.area(H.villageCode);
  const groupName = r.text(H.groupName);
  const attribute = r.code(H.attribute);
  const exitStatus = r.code(H.exitStatus);
  const mainCause = r.code(H.mainCause);
  const otherCauses = r.codes(H.otherCauses);
  const identifiedOn = r.date(H.identifiedOn);
  const exitYear = r.int(H.exitYear);
  const phone = r.text(H.phone);
  const assistanceUnit = r.text(H.assistanceUnit);
  const responsibleCadre = r.text(H.responsibleCadre);
  const relocated = r.bool(H.relocated, false);
  if (exitStatus && exitYear !== undefined && identifiedOn !== undefined) {
    r.issues.push(...householdRules({ exitStatus, exitYear, identifiedOn }, where));
  }
  if (r.issues.length) return { issues: r.issues };
  return {
    value: {
      householdNo: householdNo!, villageCode: villageCode!, groupName: groupName ?? null, attribute: attribute!, exitStatus: exitStatus!,
      mainCause: mainCause ?? null, otherCauses: otherCauses ?? [], identifiedOn: identifiedOn ?? null, exitYear: exitYear ?? null,
      phone: phone ?? null, assistanceUnit: assistanceUnit ?? null, responsibleCadre: responsibleCadre ?? null, relocated: relocated ?? false,
    },
    issues: [],
  };
}

export function validateMemberFields(raw: Raw, where: Where = {}): Validated<MemberInput> {
  const r = new FieldReader(raw, where);
  const name = r.text(M.name);
  const id = r.id(M.idNumber);
  const relation = r.code(M.relation);
  let sex = r.code(M.sex);
  let birthDate = r.date(M.birthDate);
  const ethnicity = r.code(M.ethnicity);
  const education = r.code(M.education);
  const studentStatus = r.code(M.studentStatus);
  const health = r.code(M.health);
  const disabilityGrade = r.code(M.disabilityGrade);
  const labourAbility = r.code(M.labourAbility);
  const workMonths = r.int(M.workMonths);
  const medicalInsurance = r.bool(M.medicalInsurance);
  const criticalIllnessInsurance = r.bool(M.criticalIllnessInsurance);
  const pensionInsurance = r.bool(M.pensionInsurance);
  const phone = r.text(M.phone);
  // crossCheckId only has something to say when an entered value differs from the ID's.
  if (id && ((sex && sex !== id.sex) || (birthDate && birthDate !== id.birthDate))) {
    for (const p of crossCheckId(id, { sex: sex ?? null, birthDate: birthDate ?? null })) {
      const c = p.code === 'sex_mismatch' ? M.sex : M.birthDate;
      r.issue(c, r.rawOf(c), p.zh, p.en);
    }
  }
  if (id) {
    if (sex === null) sex = id.sex;
    if (birthDate === null) birthDate = id.birthDate;
  }
  if (r.issues.length || !id) return { issues: r.issues };
  return {
    value: {
      name: name!, idNumber: id.value, relation: relation!, sex: sex!, birthDate: birthDate!, ethnicity: ethnicity!,
      education: education ?? null, studentStatus: studentStatus ?? null, health: health ?? null, disabilityGrade: disabilityGrade ?? null,
      labourAbility: labourAbility ?? null, workMonths: workMonths ?? null, medicalInsurance: medicalInsurance ?? null,
      criticalIllnessInsurance: criticalIllnessInsurance ?? null, pensionInsurance: pensionInsurance ?? null, phone: phone ?? null,
    },
    issues: [],
  };
}

export function validateYearFields(raw: Raw, where: Where = {}): Validated<YearInput> {
  const r = new FieldReader(raw, where);
  const year = r.int(Y.year, true);
  const householdSize = r.int(Y.householdSize);
  const status = r.code(Y.status);
  const wageIncome = r.decimal(Y.wageIncome, 0);
  const productionIncome = r.decimal(Y.productionIncome, 0);
  const propertyIncome = r.decimal(Y.propertyIncome, 0);
  const transferIncome = r.decimal(Y.transferIncome, 0);
  const productionCosts = r.decimal(Y.productionCosts, 0);
  const nonCountingIncome = r.decimal(Y.nonCountingIncome, 0);
  const foodSecure = r.bool(Y.foodSecure);
  const clothingSecure = r.bool(Y.clothingSecure);
  const educationSecure = r.bool(Y.educationSecure);
  const medicalSecure = r.bool(Y.medicalSecure);
  const housingSecure = r.bool(Y.housingSecure);
  const waterSecure = r.bool(Y.waterSecure);
  const dangerousHouse = r.bool(Y.dangerousHouse);
  const waterLitresPerDay = r.int(Y.waterLitresPerDay);
  const waterFetchMinutes = r.int(Y.waterFetchMinutes);
  const electricity = r.bool(Y.electricity);
  const roadAccess = r.bool(Y.roadAccess);
  const sanitaryToilet = r.bool(Y.sanitaryToilet);
  const farmlandMu = r.decimal(Y.farmlandMu, null);
  const forestMu = r.decimal(Y.forestMu, null);
  const returnedFarmlandMu = r.decimal(Y.returnedFarmlandMu, null);
  const pastureMu = r.decimal(Y.pastureMu, null);
  const note = r.text(Y.note);
  if (r.issues.length) return { issues: r.issues };
  return {
    value: {
      year: year!, householdSize: householdSize!, status: status!, wageIncome: wageIncome!, productionIncome: productionIncome!,
      propertyIncome: propertyIncome!, transferIncome: transferIncome!, productionCosts: productionCosts!, nonCountingIncome: nonCountingIncome!,
      foodSecure: foodSecure ?? null, clothingSecure: clothingSecure ?? null, educationSecure: educationSecure ?? null, medicalSecure: medicalSecure ?? null,
      housingSecure: housingSecure ?? null, waterSecure: waterSecure ?? null, dangerousHouse: dangerousHouse ?? null, waterLitresPerDay: waterLitresPerDay ?? null,
      waterFetchMinutes: waterFetchMinutes ?? null, electricity: electricity ?? null, roadAccess: roadAccess ?? null, sanitaryToilet: sanitaryToilet ?? null,
      farmlandMu: farmlandMu ?? null, forestMu: forestMu ?? null, returnedFarmlandMu: returnedFarmlandMu ?? null, pastureMu: pastureMu ?? null, note: note ?? null,
    },
    issues: [],
  };
}

/** Where the parts of a bundle came from, for files; all optional. */
export interface BundleRows {
  /** Row of the household's first line. */
  household?: number;
  /** Row of each member of bundle.members, same order. */
  members?: number[];
  /** For files: who is listed on each year's rows, to check one head per household and year. */
  years?: { year: number | null; members: { relation: string; idNumber: string; row?: number }[] }[];
}

function rowsText(rows: (number | undefined)[]): { zh: string; en: string } {
  const r = rows.filter((x): x is number => x !== undefined);
  return r.length ? { zh: `（第 ${r.join('、')} 行）`, en: ` (rows ${r.join(', ')})` } : { zh: '', en: '' };
}

/** Household-level rules: exactly one head, no ID twice, the head's ID from the village's province. */
export function validateBundle(bundle: HouseholdBundle, rows: BundleRows = {}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const no = bundle.household.householdNo;
  const at = (row: number | undefined): { row?: number } => (row === undefined ? {} : { row });
  const relationCol = M.relation;
  const idCol = M.idNumber;

  if (!bundle.members.length) {
    issues.push({ field: 'members', ...at(rows.household), zh: `户编号 ${no} 没有成员；每户至少要有户主一人`, en: `Household ${no} has no members; a household needs at least its head` });
  }
  const groups = rows.years?.length
    ? rows.years.map((y) => ({ label: y.year ? { zh: `${y.year} 年度`, en: ` in ${y.year}` } : { zh: '', en: '' }, members: y.members }))
    : [{ label: { zh: '', en: '' }, members: bundle.members.map((m, i) => ({ relation: m.relation, idNumber: m.idNumber, row: rows.members?.[i] })) }];
  for (const g of groups) {
    if (!g.members.length) continue;
    const heads = g.members.filter((m) => m.relation === HEAD_RELATION);
    if (heads.length !== 1) {
      const where = heads.length ? rowsText(heads.map((h) => h.row)) : rowsText(g.members.map((m) => m.row));
      issues.push({
        field: 'relation', column: relationCol.header, ...at(heads[1]?.row ?? g.members[0]?.row),
        zh: `户编号 ${no} ${g.label.zh}有 ${heads.length} 名户主${where.zh}；每户每年度须且只能有一名“户主”，请核对「与户主关系」`,
        en: `Household ${no} has ${heads.length} heads${g.label.en}${where.en}; each household needs exactly one 户主 (head) per year — check "与户主关系"`,
      });
    }
    const seen = new Map<string, number | undefined>();
    for (const m of g.members) {
      if (seen.has(m.idNumber)) {
        const first = seen.get(m.idNumber);
        issues.push({
          field: 'idNumber', column: idCol.header, ...at(m.row), value: maskIdNumber(m.idNumber),
          zh: `身份证号 ${maskIdNumber(m.idNumber)} 在户编号 ${no} ${g.label.zh}中出现了两次${rowsText([first, m.row]).zh}；同一人在一户中只能登记一次，请删除重复的行`,
          en: `ID ${maskIdNumber(m.idNumber)} appears twice in household ${no}${g.label.en}${rowsText([first, m.row]).en}; a person is listed once per household — delete the duplicate row`,
        });
      } else seen.set(m.idNumber, m.row);
    }
  }
  const headIndex = bundle.members.findIndex((m) => m.relation === HEAD_RELATION);
  const head = bundle.members[headIndex];
  if (head && /^\d{12}$/.test(bundle.household.villageCode) && head.idNumber.slice(0, 2) !== bundle.household.villageCode.slice(0, 2)) {
    issues.push({
      field: 'idNumber', column: idCol.header, ...at(rows.members?.[headIndex]), value: maskIdNumber(head.idNumber),
      zh: `户主身份证号 ${maskIdNumber(head.idNumber)} 的地址码属于省级代码 ${head.idNumber.slice(0, 2)}，而村代码 ${bundle.household.villageCode} 属于 ${bundle.household.villageCode.slice(0, 2)}；请核对户主身份证号或村代码`,
      en: `The head's ID ${maskIdNumber(head.idNumber)} is from province ${head.idNumber.slice(0, 2)} but village ${bundle.household.villageCode} is in province ${bundle.household.villageCode.slice(0, 2)}; check the head's ID number or the village code`,
    });
  }
  const years = new Set<number>();
  for (const y of bundle.years) {
    if (years.has(y.year)) {
      issues.push({ field: 'year', column: Y.year.header, ...at(rows.household), zh: `户编号 ${no} 的 ${y.year} 年度记录重复`, en: `Household ${no} has the year ${y.year} twice` });
    }
    years.add(y.year);
  }
  return issues;
}

