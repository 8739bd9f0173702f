// 基尼系数 / Gini coefficient, unweighted and weighted. Row i has income y_i ≥ 0 and weight
// w_i ≥ 0 (1 when unweighted); W = Σ w_i, μ = Σ w_i y_i / W (must be > 0).
//
// Definition (mean absolute difference over twice the mean):
//   G = Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W² μ)
// With all w_i = 1 this is the classic G = Σ_i Σ_j |y_i − y_j| / (2 n² μ); with integer weights
// it equals the unweighted Gini of the sample with row i repeated w_i times.
//
// Computed in O(n log n): sort rows by income (rows of weight 0 dropped), C_i = cumulative weight
// up to and including sorted row i, C_0 = 0. Since Σ_i Σ_j w_i w_j |y_i − y_j| =
// 2 Σ_i w_i y_i (C_{i−1} − (W − C_i)),
//   G = Σ_i w_i y_i (C_i + C_{i−1} − W) / (W · Σ_i w_i y_i).
// Range: 0 ≤ G ≤ 1 − min w_i / W < 1 (0 when all incomes are equal; the upper bound when one row
// has all the income). Negative incomes are refused (G could exceed 1), as is a zero mean
// (G = 0/0), each with its row or reason.

import { Issues, checkValues, checkWeights, rowAt, weightOf } from './check.js';
import { sortedByIncome, type IncomeInput } from './poverty.js';

export function gini(input: IncomeInput): number {
  const iss = new Issues();
  const what = { zh: '基尼系数', en: 'the Gini coefficient' };
  if (checkValues(iss, 'incomes', { zh: '收入', en: 'income' }, input.incomes)) {
    checkWeights(iss, 'weights', input.weights, input.incomes.length);
    input.incomes.forEach((y, i) => {
      if (typeof y === 'number' && y < 0) {
        const r = rowAt(i);
        iss.add(`incomes.${i}`, `基尼系数要求收入 ≥ 0：收入${r.zh}为 ${y}`, `The Gini coefficient needs incomes ≥ 0: income in ${r.en} is ${y}`, y);
      }
    });
  }
  iss.throwIfAny(what);
  const { incomes, weights } = input;
  const order = sortedByIncome(incomes, weights);
  let W = 0;
  let S = 0;
  for (const i of order) {
    const w = weightOf(weights, i);
    W += w;
    S += w * incomes[i]!;
  }
  if (S <= 0) {
    iss.add('incomes', '收入（加权）合计为 0，平均收入为 0 时基尼系数无定义', 'The (weighted) incomes sum to 0; the Gini coefficient is undefined when the mean is 0');
    iss.throwIfAny(what);
  }
  const first = incomes[order[0]!]!;
  if (order.every((i) => incomes[i] === first)) return 0;
  let num = 0;
  let prev = 0;
  for (const i of order) {
    const w = weightOf(weights, i);
    const c = prev + w;
    num += w * incomes[i]! * (c + prev - W);
    prev = c;
  }
  return Math.max(0, num / (W * S));
}
