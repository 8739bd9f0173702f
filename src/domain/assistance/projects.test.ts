// The project rules with plain values: status moves and the budget arithmetic in fen.
import { describe, expect, it } from 'vitest';
import { PROJECT_STATUSES } from './catalogue.js';
import { amountProblem, budgetBelowPaidMessage, checkDisbursement, ledgerDay, ledgerFundSource, overBudgetMessage, statusMoveRefusal, withoutLabour, yuanText } from './projects.js';

describe('status moves', () => {
  it('allows exactly one step forward and cancelling from any status but completed', () => {
    const allowed = PROJECT_STATUSES.flatMap((from) => PROJECT_STATUSES.filter((to) => statusMoveRefusal(from, to) === null).map((to) => `${from}>${to}`));
    expect(allowed).toEqual([
      'planned>approved', 'planned>cancelled', 'approved>in_progress', 'approved>cancelled', 'in_progress>completed', 'in_progress>cancelled',
    ]);
    expect(statusMoveRefusal('approved', 'completed')!.en).toBe('A project cannot move from Approved (approved) to Completed (completed); allowed: In progress (in_progress), Cancelled (cancelled)');
    expect(statusMoveRefusal('cancelled', 'planned')!.zh).toContain('该状态为最终状态');
  });
});

describe('budget arithmetic (fen)', () => {
  it('refuses a payment only when paid + payment exceeds the budget, and says by how much', () => {
    expect(checkDisbursement('central', 10_000_00, 6_000_00, 4_000_00)).toBeNull(); // exactly the budget
    const o = checkDisbursement('central', 10_000_00, 6_000_00, 4_000_01)!;
    expect(o.over).toBe(1); // 0.01 yuan
    expect(overBudgetMessage(o).zh).toContain('预算 10,000.00 元，已拨付 6,000.00 元，本次 4,000.01 元，超出 0.01 元（余额 4,000.00 元）');
    expect(budgetBelowPaidMessage('county', 5_000_00, 5_000_00)).toBeNull();
    expect(budgetBelowPaidMessage('county', 4_999_99, 5_000_00)!.en).toContain('0.01 more; the budget must be at least 5,000.00');
  });

  it('checks amounts: positive, two decimals, within numeric(14,2)', () => {
    expect(amountProblem(0.01, true)).toBeNull();
    expect(amountProblem(0, true)!.en).toContain('more than 0');
    expect(amountProblem(0, false)).toBeNull();
    expect(amountProblem(1.005, true)!.en).toContain('two decimals');
    expect(amountProblem(1e12, true)!.en).toContain('cannot exceed 999,999,999,999.99');
    expect(amountProblem('5', true)).not.toBeNull();
    expect(yuanText(123456789)).toBe('1,234,567.89');
  });

  it('calls a household without labour when nobody is ordinary or skilled labour', () => {
    expect(withoutLabour(['3', '4', null])).toBe(true);
    expect(withoutLabour(['4', '2'])).toBe(false);
    expect(withoutLabour([])).toBe(true);
  });
});

describe('solar income ledger rows', () => {
  it('are dated on the decision day when it is in the income’s year, else on the last day of the period', () => {
    expect(ledgerDay(2024, 1, '2024-04-05')).toBe('2024-04-05');
    expect(ledgerDay(2024, 4, '2025-01-10')).toBe('2024-12-31');
    expect(ledgerDay(2024, 1, '2023-12-20')).toBe('2024-03-31');
    expect(ledgerDay(2024, 2, null)).toBe('2024-06-30');
    expect(ledgerDay(2023, 3, null)).toBe('2023-09-30');
    expect(ledgerDay(2024, null, '2025-02-01')).toBe('2024-12-31');
  });

  it('name the given fund source or the project’s only one, and refuse when none or several', () => {
    expect(ledgerFundSource(null, ['central'], 'P')).toEqual({ source: 'central' });
    expect(ledgerFundSource('county', ['central', 'county'], 'P')).toEqual({ source: 'county' });
    const several = ledgerFundSource(null, ['central', 'county'], '光伏');
    expect('refusal' in several && several.refusal.en).toBe('Project “光伏” has several fund sources (Central special poverty-alleviation funds (central), County funds (county)); give fundSource, the source recorded on the measures ledger rows');
    const none = ledgerFundSource(null, [], '光伏');
    expect('refusal' in none && none.refusal.zh).toContain('尚无预算');
    const wrong = ledgerFundSource('social', ['central'], '光伏');
    expect('refusal' in wrong && wrong.refusal.zh).toContain('预算中没有资金来源 social；可选：中央财政专项扶贫（衔接）资金（central）');
  });
});
