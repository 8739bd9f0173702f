// Funds: the allocation of each fund source to a project, payments out of it, and the balances.
// A payment and a change of allocation both take the row lock of the (project, source) budget row
// before reading what was already paid, so two concurrent payments cannot both pass the check.
// Both first take a share lock on the project row: a status change (which locks it for update) and
// a payment or allocation therefore run one after the other, so no payment lands on a project that
// is being cancelled or completed, and none is refused on a status about to change back.
import type { Sql } from '../../db/client.js';
import { NotFound, ValidationError } from '../../domain/errors.js';
import { FUND_SOURCES, FUND_SOURCE_LABELS, type FundSource } from '../../domain/assistance/catalogue.js';
import {
  PAYABLE_STATUSES, budgetBelowPaidMessage, checkDisbursement, overBudgetMessage, toFen, toYuan, yuanText,
} from '../../domain/assistance/projects.js';
import { localDay } from '../../domain/workflows/dates.js';
import { audit, inScope, require, type Ctx } from '../context.js';
import { Fields, channelLabel, loadProject, requireCounty, sourceLabel, statusLabel, visibleFrom, type ProjectRow } from './shared.js';

export interface BudgetLine {
  fundSource: string;
  fundSourceLabel: { zh: string; en: string };
  allocated: number;
  disbursed: number;
  balance: number;
}

const line = (fundSource: string, allocatedFen: number, disbursedFen: number): BudgetLine => ({
  fundSource,
  fundSourceLabel: sourceLabel(fundSource),
  allocated: toYuan(allocatedFen),
  disbursed: toYuan(disbursedFen),
  balance: toYuan(allocatedFen - disbursedFen),
});

export async function budgetLines(db: Pick<Sql, 'query'>, p: Pick<ProjectRow, 'countyCode' | 'id'>): Promise<BudgetLine[]> {
  const rows = await db.query<{ fundSource: string; allocated: number; disbursed: number }>(
    `SELECT b.fund_source AS "fundSource", b.amount AS allocated,
            COALESCE((SELECT sum(d.amount) FROM disbursements d WHERE d.county_code = b.county_code AND d.project_id = b.project_id AND d.fund_source = b.fund_source), 0) AS disbursed
       FROM project_budgets b WHERE b.county_code = $1 AND b.project_id = $2`,
    [p.countyCode, p.id],
  );
  const order = (s: string) => (FUND_SOURCES as readonly string[]).indexOf(s);
  return rows.sort((a, b) => order(a.fundSource) - order(b.fundSource)).map((r) => line(r.fundSource, toFen(r.allocated), toFen(r.disbursed)));
}

/** Fen already paid from one source of a project (read after the budget row is locked). */
async function paidFen(tx: Sql, p: ProjectRow, source: string): Promise<number> {
  const [r] = await tx.query<{ paid: number }>(
    'SELECT COALESCE(sum(amount), 0) AS paid FROM disbursements WHERE county_code = $1 AND project_id = $2 AND fund_source = $3',
    [p.countyCode, p.id, source],
  );
  return toFen(r?.paid ?? 0);
}

const sourceLabels = Object.fromEntries(FUND_SOURCES.map((s) => [s, FUND_SOURCE_LABELS[s]])) as Record<FundSource, { zh: string; en: string }>;

/** Sets the allocation of one fund source; below what is already paid from it is refused with the numbers. */
export async function setBudget(ctx: Ctx, id: number, body: { fundSource?: unknown; amount?: unknown }): Promise<BudgetLine[]> {
  require(ctx, 'projects.write');
  const f = new Fields();
  const source = f.oneOf('fundSource', body.fundSource, FUND_SOURCES, sourceLabels);
  const amount = f.amount('amount', body.amount, false);
  if (f.issues.length || !source || amount === undefined) throw new ValidationError(f.issues);
  return ctx.db.transaction(async (tx) => {
    const p = await loadProject(tx, ctx, id, 'share');
    requireCounty(ctx.actor, p.countyCode);
    if (p.status === 'cancelled') {
      throw new ValidationError([{ field: 'amount', zh: '项目已取消，不能再调整预算', en: 'The project is cancelled; its budget cannot change' }]);
    }
    const [cur] = await tx.query<{ amount: number }>(
      'SELECT amount FROM project_budgets WHERE county_code = $1 AND project_id = $2 AND fund_source = $3 FOR UPDATE',
      [p.countyCode, p.id, source],
    );
    const paid = await paidFen(tx, p, source);
    const refusal = budgetBelowPaidMessage(source, toFen(amount), paid);
    if (refusal) throw new ValidationError([{ field: 'amount', value: String(amount), ...refusal }], refusal);
    await tx.query(
      `INSERT INTO project_budgets (county_code, project_id, fund_source, amount) VALUES ($1, $2, $3, $4)
       ON CONFLICT (county_code, project_id, fund_source) DO UPDATE SET amount = EXCLUDED.amount`,
      [p.countyCode, p.id, source, amount],
    );
    await audit(tx, ctx.actor, {
      action: cur ? 'update' : 'create', entity: 'project_budgets', entityId: `${p.id}:${source}`, countyCode: p.countyCode,
      before: cur ? { fundSource: source, amount: cur.amount } : null, after: { fundSource: source, amount },
    });
    return budgetLines(tx, p);
  });
}

export interface DisbursementInput {
  fundSource?: unknown;
  amount?: unknown;
  paidOn?: unknown;
  payee?: unknown;
  voucherNo?: unknown;
  note?: unknown;
}

/** Records a payment; beyond the source's remaining budget it is refused with the numbers and nothing is written. */
export async function disburse(ctx: Ctx, id: number, body: DisbursementInput): Promise<{ id: number; budgets: BudgetLine[] }> {
  require(ctx, 'projects.write');
  const f = new Fields();
  const source = f.oneOf('fundSource', body.fundSource, FUND_SOURCES, sourceLabels);
  const amount = f.amount('amount', body.amount, true);
  const paidOn = f.day('paidOn', body.paidOn);
  if (!paidOn && body.paidOn === undefined) f.add('paidOn', undefined, '缺少拨付日期 paidOn（YYYY-MM-DD）', 'paidOn is required (YYYY-MM-DD)');
  const today = localDay(new Date());
  if (paidOn && paidOn > today) {
    f.add('paidOn', paidOn, `拨付日期 ${paidOn} 晚于今天（${today}）；只登记已经拨付的资金，请核对日期`, `The payment date ${paidOn} is after today (${today}); record only payments already made, check the date`);
  }
  const payee = f.text('payee', body.payee, 100, true);
  if (body.payee === undefined) f.add('payee', undefined, '缺少收款单位或个人 payee', 'payee is required');
  const voucherNo = f.text('voucherNo', body.voucherNo, 50, false) ?? null;
  const note = f.text('note', body.note, 1000, false) ?? null;
  if (f.issues.length || !source || amount === undefined || !paidOn || !payee) throw new ValidationError(f.issues);
  return ctx.db.transaction(async (tx) => {
    const p = await loadProject(tx, ctx, id, 'share');
    requireCounty(ctx.actor, p.countyCode);
    if (!PAYABLE_STATUSES.includes(p.status)) {
      const l = statusLabel(p.status);
      throw new ValidationError([{
        field: 'status', value: p.status,
        zh: `项目状态为“${l.zh}”，不能拨付；只有已批复或实施中的项目可以拨付`,
        en: `The project is ${l.en}; only approved or in-progress projects can be paid from`,
      }]);
    }
    // The lock: a second payment on the same source waits here until this one commits, then sees it.
    const [budget] = await tx.query<{ amount: number }>(
      'SELECT amount FROM project_budgets WHERE county_code = $1 AND project_id = $2 AND fund_source = $3 FOR UPDATE',
      [p.countyCode, p.id, source],
    );
    if (!budget) {
      const l = sourceLabel(source);
      throw new ValidationError([{
        field: 'fundSource', value: source,
        zh: `该项目没有“${l.zh}”的预算；请先为该来源安排预算，或选择已有预算的来源`,
        en: `The project has no budget from ${l.en}; allocate one first or choose a source it has`,
      }]);
    }
    const paid = await paidFen(tx, p, source);
    const over = checkDisbursement(source, toFen(budget.amount), paid, toFen(amount));
    if (over) {
      const msg = overBudgetMessage(over);
      throw new ValidationError([{ field: 'amount', value: yuanText(over.payment), ...msg }], msg);
    }
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO disbursements (county_code, project_id, fund_source, paid_on, amount, payee, voucher_no, note, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [p.countyCode, p.id, source, paidOn, amount, payee, voucherNo, note, ctx.actor.username],
    );
    await audit(tx, ctx.actor, {
      action: 'create', entity: 'disbursements', entityId: row!.id, countyCode: p.countyCode,
      after: { projectId: p.id, fundSource: source, amount, paidOn, payee, voucherNo, note, budget: budget.amount, paidBefore: toYuan(paid) },
    });
    return { id: row!.id, budgets: await budgetLines(tx, p) };
  });
}

export interface FundsProject {
  id: number;
  countyCode: string;
  name: string;
  channel: string;
  channelLabel: { zh: string; en: string };
  status: string;
  statusLabel: { zh: string; en: string };
  year: number;
  allocated: number;
  disbursed: number;
  balance: number;
  bySource: BudgetLine[];
}

export interface FundsView {
  area: string;
  year: number | null;
  sources: BudgetLine[];
  projects: FundsProject[];
  totals: { allocated: number; disbursed: number; balance: number; projects: number };
}

/** Allocation, payments and balance per fund source and per project, for the projects of an area and year. */
export async function fundsView(ctx: Ctx, q: { area?: string; year?: number }): Promise<FundsView> {
  require(ctx, 'aggregates.read');
  if (q.area && !inScope(ctx.actor, q.area)) throw new NotFound({ zh: '区划', en: 'area' });
  const params: unknown[] = [];
  const conds = [visibleFrom(ctx.actor.areaCode, params)];
  if (q.area) conds.push(visibleFrom(q.area, params));
  if (q.year) {
    params.push(q.year);
    conds.push(`p.year = $${params.length}`);
  }
  const rows = await ctx.db.query<{ id: number; countyCode: string; name: string; channel: string; status: string; year: number; fundSource: string; allocated: number; disbursed: number }>(
    `SELECT p.id, p.county_code AS "countyCode", p.name, p.channel, p.status, p.year, b.fund_source AS "fundSource", b.amount AS allocated,
            COALESCE((SELECT sum(d.amount) FROM disbursements d WHERE d.county_code = b.county_code AND d.project_id = b.project_id AND d.fund_source = b.fund_source), 0) AS disbursed
       FROM projects p JOIN project_budgets b ON b.county_code = p.county_code AND b.project_id = p.id
      WHERE ${conds.join(' AND ')}
      ORDER BY p.year DESC, p.county_code, p.name, p.id`,
    params,
  );
  const order = (s: string) => (FUND_SOURCES as readonly string[]).indexOf(s);
  const bySource = new Map<string, { a: number; d: number }>();
  const byProject = new Map<number, { row: (typeof rows)[number]; lines: { s: string; a: number; d: number }[] }>();
  for (const r of rows) {
    const a = toFen(r.allocated);
    const d = toFen(r.disbursed);
    const s = bySource.get(r.fundSource) ?? { a: 0, d: 0 };
    s.a += a;
    s.d += d;
    bySource.set(r.fundSource, s);
    const pr = byProject.get(r.id) ?? { row: r, lines: [] };
    pr.lines.push({ s: r.fundSource, a, d });
    byProject.set(r.id, pr);
  }
  const projects = [...byProject.values()].map(({ row, lines }) => {
    const a = lines.reduce((x, l) => x + l.a, 0);
    const d = lines.reduce((x, l) => x + l.d, 0);
    return {
      id: row.id, countyCode: row.countyCode, name: row.name, channel: row.channel, channelLabel: channelLabel(row.channel),
      status: row.status, statusLabel: statusLabel(row.status), year: row.year,
      allocated: toYuan(a), disbursed: toYuan(d), balance: toYuan(a - d),
      bySource: lines.sort((x, y) => order(x.s) - order(y.s)).map((l) => line(l.s, l.a, l.d)),
    };
  });
  const sources = [...bySource.entries()].sort((x, y) => order(x[0]) - order(y[0])).map(([s, v]) => line(s, v.a, v.d));
  const ta = [...bySource.values()].reduce((x, v) => x + v.a, 0);
  const td = [...bySource.values()].reduce((x, v) => x + v.d, 0);
  return {
    area: q.area ?? ctx.actor.areaCode,
    year: q.year ?? null,
    sources,
    projects,
    totals: { allocated: toYuan(ta), disbursed: toYuan(td), balance: toYuan(ta - td), projects: projects.length },
  };
}
