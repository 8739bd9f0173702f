// Income poverty measures (Haughton & Khandker, Handbook on Poverty and Inequality, World Bank
// 2009, ch. 4; Foster, Greer & Thorbecke 1984; Watts 1968). Row i has income y_i (per-capita
// income of a person or household) and weight w_i ≥ 0 (1 when unweighted; household size when
// rows are households and the count should be of people; or a sampling weight). W = Σ w_i.
// "Poor" is strict: y_i < z, where z > 0 is the poverty line.
//
//   贫困人口 / poor people (headcount)     q    = Σ_{y_i<z} w_i
//   贫困发生率 / incidence, headcount ratio  H    = q / W                       (= P0)
//   FGT 指数 / FGT index                  P_α  = (1/W) Σ_{y_i<z} w_i ((z − y_i)/z)^α,   α = 0, 1, 2
//     P0 贫困发生率 headcount ratio, P1 贫困深度 (poverty gap index), P2 贫困强度 (squared gap, severity)
//   Watts 指数 / Watts index              Wt   = (1/W) Σ_{y_i<z} w_i ln(z / y_i)
//   人均收入均值 / mean income             μ    = Σ w_i y_i / W
//   人均收入中位数 / median income          sort rows by y; C_i = cumulative weight up to and
//     including sorted row i (rows of weight 0 skipped); the median is y_i for the first i with
//     C_i ≥ W/2, except when C_i = W/2 exactly (to 1e-12·W), where it is (y_i + y_{i+1})/2 with
//     i+1 the next row of positive weight. With all weights 1 this is the usual median (middle
//     value; mean of the two middle values for even n); with integer weights it is the usual
//     median of the sample with each row repeated w_i times.
//
// Zero and negative incomes: P0 (and the headcount) accept any finite income. P1 and P2 need
// gaps in [0, 1], so by default a negative income is refused (naming its row); with
// `negativeIncomes: 'asZero'` it counts as income 0 (gap 1). Watts needs ln(z/y), undefined for
// y ≤ 0: any income ≤ 0 is refused, naming its row (drop or correct such rows first).

import { Issues, checkValues, checkWeights, rowAt, show, weightOf } from './check.js';

export interface IncomeInput {
  /** y_i, one per row */
  incomes: readonly number[];
  /** w_i ≥ 0, not all 0; omitted = all 1 */
  weights?: readonly number[];
}

export interface LineInput extends IncomeInput {
  /** poverty line z > 0, in the same unit as the incomes */
  line: number;
}

export interface FgtInput extends LineInput {
  /** 'refuse' (default): a negative income is an error; 'asZero': it counts as 0 (gap 1). */
  negativeIncomes?: 'refuse' | 'asZero';
}

export interface Headcount {
  /** number of rows */
  n: number;
  /** W = Σ w_i */
  population: number;
  /** q = Σ_{y_i<z} w_i */
  poor: number;
  /** H = q / W */
  rate: number;
}

export interface Fgt extends Headcount {
  p0: number;
  p1: number;
  p2: number;
}

const LABEL = { zh: '收入', en: 'income' };

function checkIncomes(iss: Issues, input: IncomeInput): void {
  if (checkValues(iss, 'incomes', LABEL, input.incomes)) checkWeights(iss, 'weights', input.weights, input.incomes.length);
}

function checkLine(iss: Issues, line: unknown): void {
  if (typeof line !== 'number' || !Number.isFinite(line) || line <= 0) {
    iss.add('line', `贫困线必须是大于 0 的有限数字，收到 ${show(line)}`, `The poverty line must be a finite number above 0; got ${show(line)}`, line);
  }
}

function totalWeight(input: IncomeInput): number {
  if (!input.weights) return input.incomes.length;
  let W = 0;
  for (const w of input.weights) W += w;
  return W;
}

/** 贫困人口与贫困发生率 / headcount and headcount ratio (incidence): q = Σ_{y<z} w, H = q / W. */
export function headcount(input: LineInput): Headcount {
  const iss = new Issues();
  checkIncomes(iss, input);
  checkLine(iss, input.line);
  iss.throwIfAny({ zh: '贫困发生率', en: 'the headcount ratio' });
  const { incomes, weights, line } = input;
  let poor = 0;
  incomes.forEach((y, i) => {
    if (y < line) poor += weightOf(weights, i);
  });
  const population = totalWeight(input);
  return { n: incomes.length, population, poor, rate: poor / population };
}

/** FGT P0, P1, P2: P_α = (1/W) Σ_{y<z} w ((z − y)/z)^α (strict y < z). */
export function fgt(input: FgtInput): Fgt {
  const iss = new Issues();
  checkIncomes(iss, input);
  checkLine(iss, input.line);
  const mode = input.negativeIncomes ?? 'refuse';
  if (mode !== 'refuse' && mode !== 'asZero') {
    iss.add('negativeIncomes', `negativeIncomes 只能是 'refuse' 或 'asZero'，收到 ${show(mode)}`, `negativeIncomes must be 'refuse' or 'asZero'; got ${show(mode)}`, mode);
  }
  if (mode === 'refuse' && Array.isArray(input.incomes)) {
    input.incomes.forEach((y, i) => {
      if (typeof y === 'number' && y < 0) {
        const r = rowAt(i);
        iss.add(`incomes.${i}`,
          `收入${r.zh}为负数：${y}。FGT 指数要求收入 ≥ 0；如需把负收入按 0 计，请设 negativeIncomes 为 'asZero'`,
          `income in ${r.en} is negative (${y}); the FGT measures need incomes ≥ 0 — set negativeIncomes to 'asZero' to count it as 0`, y);
      }
    });
  }
  iss.throwIfAny({ zh: 'FGT 贫困指数', en: 'the FGT poverty measures' });
  const { incomes, weights, line } = input;
  let poor = 0;
  let s1 = 0;
  let s2 = 0;
  incomes.forEach((y, i) => {
    if (!(y < line)) return;
    const w = weightOf(weights, i);
    const g = (line - Math.max(y, 0)) / line;
    poor += w;
    s1 += w * g;
    s2 += w * g * g;
  });
  const population = totalWeight(input);
  const p0 = poor / population;
  return { n: incomes.length, population, poor, rate: p0, p0, p1: s1 / population, p2: s2 / population };
}

/** Watts index: (1/W) Σ_{y<z} w ln(z / y); every income must be > 0. */
export function watts(input: LineInput): number {
  const iss = new Issues();
  checkIncomes(iss, input);
  checkLine(iss, input.line);
  if (Array.isArray(input.incomes)) {
    input.incomes.forEach((y, i) => {
      if (typeof y === 'number' && y <= 0) {
        const r = rowAt(i);
        iss.add(`incomes.${i}`,
          `Watts 指数要求收入为正：收入${r.zh}为 ${y}（y ≤ 0 时 ln(z/y) 无定义），请先剔除或修正该行`,
          `The Watts index needs positive incomes: income in ${r.en} is ${y} (ln(z/y) is undefined for y ≤ 0); drop or correct that row first`, y);
      }
    });
  }
  iss.throwIfAny({ zh: 'Watts 指数', en: 'the Watts index' });
  const { incomes, weights, line } = input;
  let s = 0;
  incomes.forEach((y, i) => {
    if (y < line) s += weightOf(weights, i) * Math.log(line / y);
  });
  return s / totalWeight(input);
}

/** 人均收入均值 / mean income: Σ w y / W. */
export function meanIncome(input: IncomeInput): number {
  const iss = new Issues();
  checkIncomes(iss, input);
  iss.throwIfAny({ zh: '人均收入均值', en: 'the mean income' });
  let s = 0;
  input.incomes.forEach((y, i) => {
    s += weightOf(input.weights, i) * y;
  });
  return s / totalWeight(input);
}

/** Indices of rows with positive weight, sorted by income (ties by index). */
export function sortedByIncome(incomes: readonly number[], weights: readonly number[] | undefined): number[] {
  const idx: number[] = [];
  for (let i = 0; i < incomes.length; i++) if (weightOf(weights, i) > 0) idx.push(i);
  return idx.sort((a, b) => incomes[a]! - incomes[b]! || a - b);
}

/** 人均收入中位数 / median income, weighted as defined at the top of this file. */
export function medianIncome(input: IncomeInput): number {
  const iss = new Issues();
  checkIncomes(iss, input);
  iss.throwIfAny({ zh: '人均收入中位数', en: 'the median income' });
  const { incomes, weights } = input;
  const order = sortedByIncome(incomes, weights);
  const half = totalWeight(input) / 2;
  const tol = 1e-12 * half * 2;
  let c = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    c += weightOf(weights, i);
    if (c >= half - tol) {
      const next = order[k + 1];
      if (Math.abs(c - half) <= tol && next !== undefined) return (incomes[i]! + incomes[next]!) / 2;
      return incomes[i]!;
    }
  }
  // Unreachable: the cumulative weight reaches W ≥ W/2 at the last row.
  return incomes[order[order.length - 1]!]!;
}
