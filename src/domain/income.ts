// Per-capita net income (人均纯收入), the figure compared with the poverty line:
//
//   (wage + net production/business + property + transfer − production costs) / household size
//
// Counting transfers are 低保金, 特困供养金, pensions, ecological compensation and agricultural
// subsidies. Education grants, medical reimbursements and relocation or housing subsidies are
// recorded as `nonCounting` but do not count toward stable exit income.
//
// All sums are done in integer fen (分) so that, e.g., 0.1 + 0.2 yuan is exactly 0.3 yuan;
// results are yuan rounded to 2 decimals (half away from zero).

export interface IncomeComponents {
  /** 工资性收入 */
  wage: number;
  /** 生产经营性净收入 (net production/business income; may be negative) */
  production: number;
  /** 财产性收入 */
  property: number;
  /** 转移性收入 that counts: 低保金, 特困供养金, pensions, ecological compensation, agricultural subsidies */
  transfer: number;
  /** 生产经营性支出 */
  productionCosts: number;
  /** Recorded but NOT counted: education grants, medical reimbursements, relocation/housing subsidies */
  nonCounting?: number | null;
}

type CountingKey = 'wage' | 'production' | 'property' | 'transfer' | 'productionCosts';

const LABELS: Record<CountingKey | 'nonCounting', { zh: string; en: string }> = {
  wage: { zh: '工资性收入', en: 'Wage income' },
  production: { zh: '生产经营性收入', en: 'Net production and business income' },
  property: { zh: '财产性收入', en: 'Property income' },
  transfer: { zh: '转移性收入(计入部分)', en: 'Transfer income (counted)' },
  productionCosts: { zh: '生产经营性支出', en: 'Production costs' },
  nonCounting: { zh: '不计入收入的补助(教育、医疗报销、搬迁/住房补助)', en: 'Not counted: education grants, medical reimbursements, relocation/housing subsidies' },
};

/** Yuan → integer fen, rounding half away from zero; float noise (1.005 → 100.49999…) removed. */
function toFen(yuan: number, field: string): number {
  if (typeof yuan !== 'number' || !Number.isFinite(yuan)) {
    throw new RangeError(`收入项“${field}”必须是有限数字，收到 ${String(yuan)} / income field "${field}" must be a finite number, got ${String(yuan)}`);
  }
  const cents = Number((Math.abs(yuan) * 100).toPrecision(15));
  const fen = Math.round(cents);
  return yuan < 0 ? -fen : fen;
}

function toYuan(fen: number): number {
  return fen === 0 ? 0 : fen / 100;
}

/** Integer division of fen, rounding half away from zero. */
function divideFen(fen: number, by: number): number {
  const q = Math.round(Math.abs(fen) / by);
  return fen < 0 ? -q : q;
}

function checkSize(householdSize: number): void {
  if (typeof householdSize !== 'number' || !Number.isInteger(householdSize) || householdSize <= 0) {
    throw new RangeError(
      `家庭人口数必须是正整数，收到 ${String(householdSize)} / householdSize must be a positive whole number of household members, got ${String(householdSize)}`,
    );
  }
}

function netFen(c: IncomeComponents): number {
  return (
    toFen(c.wage, 'wage') +
    toFen(c.production, 'production') +
    toFen(c.property, 'property') +
    toFen(c.transfer, 'transfer') -
    toFen(c.productionCosts, 'productionCosts')
  );
}

/** Household net income in yuan: wage + production + property + transfer − production costs. */
export function netIncome(c: IncomeComponents): number {
  return toYuan(netFen(c));
}

/**
 * Per-capita net income in yuan (2 decimals). Throws RangeError when householdSize is not a
 * positive integer or a component is not a finite number. May be negative (losses).
 */
export function perCapitaNetIncome(c: IncomeComponents, householdSize: number): number {
  checkSize(householdSize);
  return toYuan(divideFen(netFen(c), householdSize));
}

export interface IncomeLine {
  key: CountingKey | 'nonCounting';
  zh: string;
  en: string;
  /** Yuan, 2 decimals, as entered (costs are positive here). */
  amount: number;
  /** +1 added, −1 subtracted, 0 recorded but not counted. */
  sign: 1 | -1 | 0;
}

export interface IncomeBreakdown {
  wage: number;
  production: number;
  property: number;
  transfer: number;
  productionCosts: number;
  /** Household net income (the counted total). */
  netIncome: number;
  householdSize: number;
  perCapitaNetIncome: number;
  /** Recorded non-counting amount, excluded from the totals. */
  excludedNonCounting: number;
  /** The same figures in display order with labels. */
  lines: IncomeLine[];
}

/** Every component, the total, the per-capita figure and the excluded amount, for display. */
export function incomeBreakdown(c: IncomeComponents, householdSize: number): IncomeBreakdown {
  checkSize(householdSize);
  const fen = {
    wage: toFen(c.wage, 'wage'),
    production: toFen(c.production, 'production'),
    property: toFen(c.property, 'property'),
    transfer: toFen(c.transfer, 'transfer'),
    productionCosts: toFen(c.productionCosts, 'productionCosts'),
    nonCounting: c.nonCounting == null ? 0 : toFen(c.nonCounting, 'nonCounting'),
  };
  const net = fen.wage + fen.production + fen.property + fen.transfer - fen.productionCosts;
  const line = (key: IncomeLine['key'], sign: IncomeLine['sign']): IncomeLine => ({ key, ...LABELS[key], amount: toYuan(fen[key]), sign });
  return {
    wage: toYuan(fen.wage),
    production: toYuan(fen.production),
    property: toYuan(fen.property),
    transfer: toYuan(fen.transfer),
    productionCosts: toYuan(fen.productionCosts),
    netIncome: toYuan(net),
    householdSize,
    perCapitaNetIncome: toYuan(divideFen(net, householdSize)),
    excludedNonCounting: toYuan(fen.nonCounting),
    lines: [
      line('wage', 1),
      line('production', 1),
      line('property', 1),
      line('transfer', 1),
      line('productionCosts', -1),
      line('nonCounting', 0),
    ],
  };
}
