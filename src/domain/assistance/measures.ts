// The measures ledger's pure rules: checking a measure and a county measure type as entered, and
// filling a yearly income record from the ledger (which components, what the per-capita net income
// becomes). No database here: services/measures*.ts load the facts and call these.
import type { FieldIssue } from '../errors.js';
import { perCapitaNetIncome } from '../income.js';
import { CHANNELS, FUND_SOURCES, INCOME_COMPONENTS, isOneOf, type Channel, type FundSource, type IncomeComponent } from './catalogue.js';

type Raw = Record<string, unknown>;

/** The income components a yearly record has a field for (none is not income). */
export const FILLABLE_COMPONENTS = ['wage', 'production', 'property', 'transfer', 'non_counting'] as const;
export type FillableComponent = (typeof FILLABLE_COMPONENTS)[number];

/** The yearly record's field for each fillable component. */
export const COMPONENT_FIELD: Record<FillableComponent, 'wageIncome' | 'productionIncome' | 'propertyIncome' | 'transferIncome' | 'nonCountingIncome'> = {
  wage: 'wageIncome',
  production: 'productionIncome',
  property: 'propertyIncome',
  transfer: 'transferIncome',
  non_counting: 'nonCountingIncome',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A non-negative amount with at most 2 decimals (yuan), or an issue for `field`. */
function money(field: string, v: unknown, label: { zh: string; en: string }, max = 1e10): FieldIssue | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return { field, value: String(v), zh: `${label.zh}必须是数字（元）`, en: `${label.en} must be a number (yuan)` };
  }
  if (v < 0) return { field, value: String(v), zh: `${label.zh}不能为负数，收到 ${v}；请填写 0 或正数`, en: `${label.en} cannot be negative (got ${v}); enter 0 or more` };
  if (Math.abs(Math.round(v * 100) - v * 100) > 1e-6) {
    return { field, value: String(v), zh: `${label.zh}最多两位小数（精确到分），收到 ${v}`, en: `${label.en} has at most 2 decimals (fen), got ${v}` };
  }
  if (v >= max) return { field, value: String(v), zh: `${label.zh}过大（${v}），请核对`, en: `${label.en} is too large (${v}); check it` };
  return null;
}

export interface MeasureInput {
  typeCode: string;
  memberId: number | null;
  year: number;
  givenOn: string | null;
  quantity: number | null;
  amount: number;
  projectId: number | null;
  fundSource: FundSource | null;
  /** null: take the type's. */
  incomeComponent: IncomeComponent | null;
  note: string | null;
}

/**
 * Checks a measure's own fields (each issue says what is wrong and what to do). Whether the type,
 * member and project exist and fit is checked by the service against the database.
 */
export function validateMeasureFields(raw: Raw): { value?: MeasureInput; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const typeCode = typeof raw.typeCode === 'string' ? raw.typeCode.trim() : '';
  if (!typeCode) issues.push({ field: 'typeCode', zh: '请选择措施类型 typeCode', en: 'Choose the measure type (typeCode)' });

  const year = raw.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2010 || year > 2100) {
    issues.push({ field: 'year', value: String(year), zh: `年度应为 2010–2100 的整数，收到 ${String(year)}`, en: `year must be a whole number 2010–2100, got ${String(year)}` });
  }
  let givenOn: string | null = null;
  if (raw.givenOn != null && raw.givenOn !== '') {
    const g = String(raw.givenOn).trim();
    if (!isRealDate(g)) issues.push({ field: 'givenOn', value: g, zh: `发放日期 ${g} 不是有效日期；格式 YYYY-MM-DD`, en: `Date given ${g} is not a valid date; use YYYY-MM-DD` });
    else if (typeof year === 'number' && Number(g.slice(0, 4)) !== year) {
      issues.push({ field: 'givenOn', value: g, zh: `发放日期 ${g} 不在措施年度 ${year} 年内；请改日期或年度`, en: `Date given ${g} is not in the measure's year ${year}; change the date or the year` });
    } else givenOn = g;
  }
  let quantity: number | null = null;
  if (raw.quantity != null) {
    const q = money('quantity', raw.quantity, { zh: '数量', en: 'Quantity' }, 1e10);
    if (q) issues.push(q);
    else quantity = raw.quantity as number;
  }
  const amountRaw = raw.amount ?? 0;
  const a = money('amount', amountRaw, { zh: '金额', en: 'Amount' }, 1e12);
  if (a) issues.push(a);

  let projectId: number | null = null;
  if (raw.projectId != null) {
    if (typeof raw.projectId !== 'number' || !Number.isSafeInteger(raw.projectId) || raw.projectId <= 0) {
      issues.push({ field: 'projectId', value: String(raw.projectId), zh: '项目编号 projectId 应为正整数', en: 'projectId must be a positive whole number' });
    } else projectId = raw.projectId;
  }
  let fundSource: FundSource | null = null;
  if (raw.fundSource != null && raw.fundSource !== '') {
    if (!isOneOf(FUND_SOURCES, raw.fundSource)) {
      issues.push({ field: 'fundSource', value: String(raw.fundSource), zh: `资金来源 ${String(raw.fundSource)} 不在代码表中；可选：${FUND_SOURCES.join('、')}`, en: `Fund source ${String(raw.fundSource)} is unknown; use one of ${FUND_SOURCES.join(', ')}` });
    } else fundSource = raw.fundSource;
  }
  if (projectId !== null && fundSource === null && !issues.some((i) => i.field === 'fundSource')) {
    issues.push({ field: 'fundSource', zh: '选择了项目时须注明资金来源（该项目预算中的一项）', en: 'With a project, name the fund source (one of the project’s budget sources)' });
  }
  let incomeComponent: IncomeComponent | null = null;
  if (raw.incomeComponent != null && raw.incomeComponent !== '') {
    if (!isOneOf(INCOME_COMPONENTS, raw.incomeComponent)) {
      issues.push({ field: 'incomeComponent', value: String(raw.incomeComponent), zh: `收入构成 ${String(raw.incomeComponent)} 无效；可选：${INCOME_COMPONENTS.join('、')}`, en: `Income component ${String(raw.incomeComponent)} is invalid; use one of ${INCOME_COMPONENTS.join(', ')}` });
    } else incomeComponent = raw.incomeComponent;
  }
  let memberId: number | null = null;
  if (raw.memberId != null) {
    if (typeof raw.memberId !== 'number' || !Number.isSafeInteger(raw.memberId) || raw.memberId <= 0) {
      issues.push({ field: 'memberId', value: String(raw.memberId), zh: '成员编号 memberId 应为正整数', en: 'memberId must be a positive whole number' });
    } else memberId = raw.memberId;
  }
  const note = raw.note == null || raw.note === '' ? null : String(raw.note);
  if (note && note.length > 2000) issues.push({ field: 'note', zh: '备注最长 2000 字', en: 'The note has at most 2,000 characters' });
  if (issues.length) return { issues };
  return { value: { typeCode, memberId, year: year as number, givenOn, quantity, amount: amountRaw as number, projectId, fundSource, incomeComponent, note }, issues };
}

export interface MeasureTypeInput {
  code: string;
  channel: Channel;
  nameZh: string;
  nameEn: string;
  unitZh: string;
  unitEn: string;
  target: 'household' | 'member';
  incomeComponent: IncomeComponent;
}

/** The stored code of a county's own type: `<county>_<code>` (a built-in code never starts with digits). */
export function countyTypeCode(countyCode: string, code: string): string {
  return code.startsWith(`${countyCode}_`) ? code : `${countyCode}_${code}`;
}

/** Checks a county measure type as entered; `code` is returned prefixed with the county code. */
export function validateMeasureTypeFields(raw: Raw, countyCode: string): { value?: MeasureTypeInput; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const s = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : '');
  const rawCode = s('code');
  const short = rawCode.startsWith(`${countyCode}_`) ? rawCode.slice(countyCode.length + 1) : rawCode;
  if (!/^[a-z][a-z0-9_]{1,40}$/.test(short)) {
    issues.push({ field: 'code', value: rawCode, zh: '代码应为 2–41 位小写字母、数字或下划线，以字母开头，如 cattle_bonus（保存时前面加上旗县代码）', en: 'The code is 2–41 lower-case letters, digits or underscores starting with a letter, e.g. cattle_bonus (saved with the county code in front)' });
  }
  if (!isOneOf(CHANNELS, raw.channel)) {
    issues.push({ field: 'channel', value: String(raw.channel ?? ''), zh: `请选择帮扶渠道，可选：${CHANNELS.join('、')}`, en: `Choose a channel: ${CHANNELS.join(', ')}` });
  }
  const nameZh = s('nameZh');
  if (!nameZh || nameZh.length > 100) issues.push({ field: 'nameZh', zh: '请填写中文名称（最长 100 字）', en: 'Enter the Chinese name (at most 100 characters)' });
  const nameEn = s('nameEn') || nameZh;
  if (nameEn.length > 100) issues.push({ field: 'nameEn', zh: '英文名称最长 100 字', en: 'The English name has at most 100 characters' });
  const unitZh = s('unitZh');
  if (!unitZh || unitZh.length > 16) issues.push({ field: 'unitZh', zh: '请填写计量单位，如 头、亩、元（最长 16 字）', en: 'Enter the unit, e.g. 头, 亩, 元 (at most 16 characters)' });
  const unitEn = s('unitEn') || unitZh;
  if (unitEn.length > 16) issues.push({ field: 'unitEn', zh: '英文单位最长 16 字', en: 'The English unit has at most 16 characters' });
  const target = raw.target ?? 'household';
  if (target !== 'household' && target !== 'member') {
    issues.push({ field: 'target', value: String(target), zh: '发放对象应为 household（户）或 member（成员）', en: 'target is household or member' });
  }
  if (!isOneOf(INCOME_COMPONENTS, raw.incomeComponent)) {
    issues.push({ field: 'incomeComponent', value: String(raw.incomeComponent ?? ''), zh: `请选择收入构成，可选：${INCOME_COMPONENTS.join('、')}`, en: `Choose the income component: ${INCOME_COMPONENTS.join(', ')}` });
  }
  if (issues.length) return { issues };
  return {
    value: {
      code: countyTypeCode(countyCode, short), channel: raw.channel as Channel, nameZh, nameEn, unitZh, unitEn,
      target: target as 'household' | 'member', incomeComponent: raw.incomeComponent as IncomeComponent,
    },
    issues,
  };
}

export interface YearIncome {
  householdSize: number;
  wageIncome: number;
  productionIncome: number;
  propertyIncome: number;
  transferIncome: number;
  productionCosts: number;
  nonCountingIncome: number;
}

export function perCapitaOfYear(y: YearIncome): number {
  return perCapitaNetIncome(
    { wage: y.wageIncome, production: y.productionIncome, property: y.propertyIncome, transfer: y.transferIncome, productionCosts: y.productionCosts, nonCounting: y.nonCountingIncome },
    y.householdSize,
  );
}

/**
 * The yearly record after replacing each chosen component by its ledger sum. The ledger is the
 * itemised record of that money, so the sum replaces the component (adding would count twice what
 * the record already held from the same measures).
 */
export function fillFromLedger<T extends YearIncome>(record: T, ledger: Partial<Record<FillableComponent, number>>, chosen: readonly FillableComponent[]): T {
  const next = { ...record };
  for (const c of chosen) next[COMPONENT_FIELD[c]] = ledger[c] ?? 0;
  return next;
}
