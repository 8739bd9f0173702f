// Pure rules of the project library (项目库) and its funds: status moves, money in fen, the budget
// checks and their bilingual refusals with the numbers. No I/O: services/projects/ feeds them values.
import type { Msg } from '../errors.js';
import { FUND_SOURCE_LABELS, PROJECT_STATUS_LABELS, type FundSource, type ProjectStatus } from './catalogue.js';

/** The moves each status allows: forward one step, or cancel from anything not finished. */
export const STATUS_MOVES: Record<ProjectStatus, readonly ProjectStatus[]> = {
  planned: ['approved', 'cancelled'],
  approved: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** null when allowed, else why not and which moves are allowed. */
export function statusMoveRefusal(from: ProjectStatus, to: ProjectStatus): Msg | null {
  if (STATUS_MOVES[from].includes(to)) return null;
  const allowed = STATUS_MOVES[from];
  const f = PROJECT_STATUS_LABELS[from];
  const t = PROJECT_STATUS_LABELS[to];
  const zhAllowed = allowed.length ? `可改为：${allowed.map((s) => `${PROJECT_STATUS_LABELS[s].zh}（${s}）`).join('、')}` : '该状态为最终状态，不能再改';
  const enAllowed = allowed.length ? `allowed: ${allowed.map((s) => `${PROJECT_STATUS_LABELS[s].en} (${s})`).join(', ')}` : 'it is final and cannot change';
  return {
    zh: `项目状态不能从“${f.zh}”改为“${t.zh}”；${zhAllowed}`,
    en: `A project cannot move from ${f.en} (${from}) to ${t.en} (${to}); ${enAllowed}`,
  };
}

/** Statuses in which money may be paid out of a project. */
export const PAYABLE_STATUSES: readonly ProjectStatus[] = ['approved', 'in_progress'];

// --- money ---------------------------------------------------------------------------------------

/** Largest amount a numeric(14,2) column holds, in yuan. */
export const MAX_AMOUNT = 999_999_999_999.99;

export const toFen = (yuan: number): number => Math.round(yuan * 100);
export const toYuan = (fen: number): number => fen / 100;

/** "1,234.50" */
export function yuanText(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  const whole = Math.floor(a / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '−' : ''}${whole}.${String(a % 100).padStart(2, '0')}`;
}

/** null when `v` is a yuan amount with at most two decimals in [min, MAX_AMOUNT] (> 0 when positive). */
export function amountProblem(v: unknown, positive: boolean): Msg | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return { zh: '金额应为数字（元）', en: 'The amount must be a number (yuan)' };
  if (positive ? v <= 0 : v < 0) return positive ? { zh: '金额应大于 0 元', en: 'The amount must be more than 0 yuan' } : { zh: '金额不能为负数', en: 'The amount cannot be negative' };
  if (v > MAX_AMOUNT) return { zh: `金额不能大于 ${yuanText(toFen(MAX_AMOUNT))} 元`, en: `The amount cannot exceed ${yuanText(toFen(MAX_AMOUNT))} yuan` };
  if (!Number.isInteger(Number((v * 100).toPrecision(15)))) return { zh: '金额最多两位小数（分）', en: 'The amount has at most two decimals (fen)' };
  return null;
}

export interface OverBudget {
  fundSource: FundSource;
  /** fen */
  budget: number;
  paid: number;
  payment: number;
  over: number;
}

/** A payment of `payment` fen from a source with `budget` fen allocated and `paid` fen already paid. */
export function checkDisbursement(fundSource: FundSource, budget: number, paid: number, payment: number): OverBudget | null {
  const over = paid + payment - budget;
  return over > 0 ? { fundSource, budget, paid, payment, over } : null;
}

export function overBudgetMessage(o: OverBudget): Msg {
  const s = FUND_SOURCE_LABELS[o.fundSource];
  return {
    zh: `超出预算，未拨付：${s.zh}预算 ${yuanText(o.budget)} 元，已拨付 ${yuanText(o.paid)} 元，本次 ${yuanText(o.payment)} 元，超出 ${yuanText(o.over)} 元（余额 ${yuanText(o.budget - o.paid)} 元）；请先调增预算或减少本次金额`,
    en: `Over budget, nothing paid: ${s.en} budget ${yuanText(o.budget)}, already paid ${yuanText(o.paid)}, this payment ${yuanText(o.payment)}, over by ${yuanText(o.over)} (balance ${yuanText(o.budget - o.paid)}); raise the budget first or pay less`,
  };
}

/** null when a source's allocation may be set to `budget` fen given `paid` fen already paid from it. */
export function budgetBelowPaidMessage(fundSource: FundSource, budget: number, paid: number): Msg | null {
  if (budget >= paid) return null;
  const s = FUND_SOURCE_LABELS[fundSource];
  return {
    zh: `${s.zh}的预算不能调低到 ${yuanText(budget)} 元：已从该来源拨付 ${yuanText(paid)} 元，低了 ${yuanText(paid - budget)} 元；预算至少为 ${yuanText(paid)} 元`,
    en: `The ${s.en} budget cannot go down to ${yuanText(budget)}: ${yuanText(paid)} has already been paid from it, ${yuanText(paid - budget)} more; the budget must be at least ${yuanText(paid)}`,
  };
}

/** True when a household of these members' labour-ability codes has nobody able to work (codes 1, 2). */
export function withoutLabour(labourCodes: readonly (string | null)[]): boolean {
  return !labourCodes.some((c) => c === '1' || c === '2');
}

/** YYYY-MM-DD that is a real calendar day. */
export function isDay(v: unknown): v is string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

// --- solar income into the measures ledger ---------------------------------------------------------

/**
 * The day a ledger row of an asset's income is dated: the village decision day when it falls in
 * the income's year, else the last day of the period (the quarter, or the year). A Q4 2024 income
 * decided on 2025-01-10 is dated 2024-12-31, so the row's date and its year (2024) agree.
 */
export function ledgerDay(year: number, quarter: number | null, decidedOn: string | null): string {
  if (decidedOn && isDay(decidedOn) && decidedOn.startsWith(`${year}-`)) return decidedOn;
  if (quarter === null) return `${year}-12-31`;
  const month = quarter * 3;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${last}`;
}

/**
 * The fund source recorded on the ledger rows of a project's asset income: the one given (it must be
 * one of the project's budget sources), else the project's only budget source. No budget, or several
 * sources and none given, is refused: measures tied to a project must name one of its sources.
 */
export function ledgerFundSource(given: FundSource | null, sources: readonly FundSource[], projectName: string): { source: FundSource } | { refusal: Msg } {
  const list = (lang: 'zh' | 'en') => (lang === 'zh'
    ? sources.map((s) => `${FUND_SOURCE_LABELS[s].zh}（${s}）`).join('、')
    : sources.map((s) => `${FUND_SOURCE_LABELS[s].en} (${s})`).join(', '));
  if (given !== null) {
    if (sources.includes(given)) return { source: given };
    return {
      refusal: sources.length
        ? { zh: `项目“${projectName}”的预算中没有资金来源 ${given}；可选：${list('zh')}`, en: `Project “${projectName}” has no budget from ${given}; its sources are ${list('en')}` }
        : { zh: `项目“${projectName}”尚无预算，不能写入帮扶措施台账；请先在项目库中安排预算`, en: `Project “${projectName}” has no budget yet, so nothing can go to the measures ledger; allocate one in the project library first` },
    };
  }
  if (sources.length === 1) return { source: sources[0]! };
  if (!sources.length) {
    return { refusal: { zh: `项目“${projectName}”尚无预算，收益分配不能写入帮扶措施台账；请先在项目库中安排预算`, en: `Project “${projectName}” has no budget yet, so the distribution cannot go to the measures ledger; allocate one in the project library first` } };
  }
  return {
    refusal: {
      zh: `项目“${projectName}”有多个资金来源（${list('zh')}），请用 fundSource 指明写入帮扶措施台账的资金来源`,
      en: `Project “${projectName}” has several fund sources (${list('en')}); give fundSource, the source recorded on the measures ledger rows`,
    },
  };
}
