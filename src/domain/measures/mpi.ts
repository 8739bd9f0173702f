// 多维贫困指数 / Alkire–Foster multidimensional poverty (Alkire & Foster, "Counting and
// multidimensional poverty measurement", J. Public Economics 95 (2011) 476–487).
//
// Person i (weight p_i ≥ 0, 1 when unweighted; P = Σ p_i) has achievement x_ij in indicator j,
// j = 1..d, with deprivation cut-off z_j and indicator weight w_j > 0, Σ w_j = 1 (checked to
// WEIGHT_SUM_TOLERANCE, then divided by the sum so it is 1 up to rounding; equal weights 1/d
// when none is given).
//   剥夺 / deprived             d_ij = 1 if x_ij < z_j (strict), else 0
//   剥夺得分 / deprivation score  c_i = Σ_j w_j d_ij                        (in [0, 1])
//   识别 / identification       poor_i ⇔ c_i > 0 and c_i ≥ k − K_EPSILON,   0 < k ≤ 1
//     (the epsilon makes a score equal to k poor even when the sum of weights rounds below k,
//      e.g. 0.1 + 0.7 = 0.7999999999999999 against k = 0.8)
//   贫困发生率 / headcount ratio  H  = Σ_{poor} p_i / P
//   平均剥夺份额 / intensity      A  = Σ_{poor} p_i c_i / Σ_{poor} p_i      (0 when no one is poor)
//   调整后发生率 / adjusted headcount ratio (MPI)  M0 = Σ_{poor} p_i c_i / P = H · A
//   标准化缺口 / normalised gap  g_ij = (z_j − x_ij) / z_j if deprived, else 0   (cardinal only)
//   M_α = Σ_{poor} p_i Σ_j w_j g_ij^α / P,  α = 1 (M1, adjusted poverty gap), 2 (M2, adjusted FGT)
//     — only when every indicator is cardinal (z_j > 0, x_ij ≥ 0), otherwise null.
//   未删减发生率 / uncensored headcount ratio  h_j    = Σ_i p_i d_ij / P
//   删减后发生率 / censored headcount ratio    h_j(k) = Σ_{poor} p_i d_ij / P
//   贡献 / contribution  absolute w_j h_j(k) (these sum to M0); percentage w_j h_j(k) / M0
//     (sum to 1; null when M0 = 0)
//   分组分解 / subgroup decomposition: population share v_g = P_g / P, M0_g computed within g;
//     Σ_g v_g M0_g = M0; contribution v_g M0_g, percentage v_g M0_g / M0. Groups are listed in
//     order of first appearance; a group whose rows all have weight 0 is left out.
// With equal weights and α = 0 these are AF's M0 = μ(g⁰(k)) etc.; with general weights they are
// AF's weighted forms with the weights scaled to sum to 1 instead of d.

import { Issues, checkWeights, isFiniteNumber, rowAt, show, weightOf } from './check.js';

/** |Σ w_j − 1| allowed before the weights are refused. */
export const WEIGHT_SUM_TOLERANCE = 1e-6;
/** A score within this of k counts as reaching k. */
export const K_EPSILON = 1e-9;

export interface MpiIndicator {
  /** column name, used in messages and results */
  name: string;
  /** z_j: deprived when value < cutoff */
  cutoff: number;
  /** w_j > 0; give all or none (none = equal weights) */
  weight?: number;
  /** the value is a quantity (income, years of schooling) so (z − x)/z means something; needs z > 0, x ≥ 0 */
  cardinal?: boolean;
}

export interface MpiInput {
  indicators: readonly MpiIndicator[];
  /** achievement matrix: one row per person, values in the order of `indicators` */
  rows: readonly (readonly number[])[];
  /** poverty cut-off as a share of the total weight, 0 < k ≤ 1 */
  k: number;
  /** person weights p_i ≥ 0, not all 0; omitted = all 1 */
  weights?: readonly number[];
  /** subgroup label per row (area, ethnicity, sex of head, cause…) */
  groups?: readonly string[];
}

export interface MpiIndicatorResult {
  name: string;
  cutoff: number;
  /** w_j after scaling to sum 1 */
  weight: number;
  /** h_j */
  uncensored: number;
  /** h_j(k) */
  censored: number;
  /** w_j h_j(k) */
  contribution: number;
  /** w_j h_j(k) / M0, null when M0 = 0 */
  share: number | null;
}

export interface MpiGroupResult {
  group: string;
  /** n_g, rows in the group */
  n: number;
  /** P_g */
  population: number;
  /** v_g = P_g / P */
  populationShare: number;
  H: number;
  A: number;
  M0: number;
  /** v_g M0_g */
  contribution: number;
  /** v_g M0_g / M0, null when M0 = 0 */
  share: number | null;
}

export interface MpiResult {
  n: number;
  population: number;
  k: number;
  H: number;
  A: number;
  M0: number;
  M1: number | null;
  M2: number | null;
  indicators: MpiIndicatorResult[];
  groups: MpiGroupResult[] | null;
  /** c_i per row */
  scores: number[];
  /** identified as poor, per row */
  poor: boolean[];
}

const WHAT = { zh: '多维贫困指数（Alkire–Foster）', en: 'the Alkire–Foster multidimensional poverty measures' };

function checkIndicators(iss: Issues, indicators: unknown): number[] | null {
  if (!Array.isArray(indicators) || indicators.length === 0) {
    iss.add('indicators', '至少需要一个指标', 'At least one indicator is needed');
    return null;
  }
  const seen = new Set<string>();
  const given: number[] = [];
  let ok = true;
  indicators.forEach((ind: Partial<MpiIndicator> | null, j) => {
    const name = typeof ind?.name === 'string' ? ind.name : '';
    const label = name ? `“${name}”` : `第 ${j + 1} 个`;
    const labelEn = name ? `"${name}"` : `number ${j + 1}`;
    if (!name) iss.add(`indicators.${j}.name`, `第 ${j + 1} 个指标缺少名称`, `Indicator ${j + 1} has no name`);
    else if (seen.has(name)) iss.add(`indicators.${j}.name`, `指标名称${label}重复`, `Indicator name ${labelEn} is used twice`);
    seen.add(name);
    const z = ind?.cutoff;
    if (!isFiniteNumber(z)) {
      ok = false;
      iss.add(`indicators.${j}.cutoff`, `指标${label}的剥夺临界值不是有限数字：${show(z)}`, `The deprivation cut-off of indicator ${labelEn} is not a finite number: ${show(z)}`, z);
    } else if (ind?.cardinal && z <= 0) {
      iss.add(`indicators.${j}.cutoff`, `基数型指标${label}的剥夺临界值必须大于 0（缺口 (z−x)/z 要除以它），收到 ${z}`, `The cut-off of cardinal indicator ${labelEn} must be above 0 (the gap (z−x)/z divides by it); got ${z}`, z);
    }
    const w = ind?.weight;
    if (w !== undefined) {
      if (!isFiniteNumber(w) || w <= 0) {
        ok = false;
        iss.add(`indicators.${j}.weight`, `指标${label}的权重必须是大于 0 的有限数字，收到 ${show(w)}`, `The weight of indicator ${labelEn} must be a finite number above 0; got ${show(w)}`, w);
      } else given.push(w);
    }
  });
  const d = indicators.length;
  const withWeight = indicators.filter((ind: Partial<MpiIndicator> | null) => ind?.weight !== undefined).length;
  if (withWeight === 0) return Array.from({ length: d }, () => 1 / d);
  if (withWeight < d) {
    iss.add('indicators', `只有 ${withWeight} 个指标给了权重，共 ${d} 个：要么全部给出（合计为 1），要么都不给（等权）`,
      `Only ${withWeight} of ${d} indicators have a weight: give all (summing to 1) or none (equal weights)`);
    return null;
  }
  if (!ok) return null;
  const sum = given.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    iss.add('indicators', `指标权重合计为 ${sum}，应为 1（允许误差 ${WEIGHT_SUM_TOLERANCE}）`,
      `The indicator weights sum to ${sum}, not 1 (tolerance ${WEIGHT_SUM_TOLERANCE})`, sum);
    return null;
  }
  return given.map((w) => w / sum);
}

function check(input: MpiInput): number[] {
  const iss = new Issues();
  const w = checkIndicators(iss, input.indicators);
  const { k, rows, groups } = input;
  if (!isFiniteNumber(k) || k <= 0 || k > 1) {
    iss.add('k', `贫困临界值 k 必须满足 0 < k ≤ 1（占总权重的份额），收到 ${show(k)}`, `The poverty cut-off k must satisfy 0 < k ≤ 1 (a share of the total weight); got ${show(k)}`, k);
  }
  if (!Array.isArray(rows) || rows.length === 0) {
    iss.add('rows', '数据为空，至少需要一行', 'There are no rows; at least one is needed');
  } else if (Array.isArray(input.indicators)) {
    const inds = input.indicators;
    const d = inds.length;
    rows.forEach((row, i) => {
      const r = rowAt(i);
      if (!Array.isArray(row) || row.length !== d) {
        iss.add(`rows.${i}`, `${r.zh}应有 ${d} 个指标值，实际为 ${Array.isArray(row) ? row.length : show(row)}`,
          `${r.en} should have ${d} indicator values; it has ${Array.isArray(row) ? row.length : show(row)}`);
        return;
      }
      row.forEach((x, j) => {
        const ind = inds[j];
        const name = ind?.name ?? String(j);
        if (!isFiniteNumber(x)) {
          iss.add(`rows.${i}.${name}`, `${r.zh}指标“${name}”的值不是有限数字：${show(x)}`, `${r.en}, indicator "${name}": the value is not a finite number: ${show(x)}`, x);
        } else if (ind?.cardinal && x < 0) {
          iss.add(`rows.${i}.${name}`, `${r.zh}基数型指标“${name}”的值为负数：${x}（缺口 (z−x)/z 要求 x ≥ 0）`, `${r.en}, cardinal indicator "${name}": the value is negative (${x}); the gap (z−x)/z needs x ≥ 0`, x);
        }
      });
    });
    checkWeights(iss, 'weights', input.weights, rows.length);
    if (groups !== undefined) {
      if (!Array.isArray(groups) || groups.length !== rows.length) {
        iss.add('groups', `分组标签个数（${Array.isArray(groups) ? groups.length : show(groups)}）与数据行数（${rows.length}）不一致`,
          `There are ${Array.isArray(groups) ? groups.length : show(groups)} group labels for ${rows.length} rows`);
      } else {
        groups.forEach((g, i) => {
          if (typeof g !== 'string') {
            const r = rowAt(i);
            iss.add(`groups.${i}`, `分组标签${r.zh}不是文字：${show(g)}`, `group label in ${r.en} is not text: ${show(g)}`, g);
          }
        });
      }
    }
  }
  iss.throwIfAny(WHAT);
  return w!;
}

interface Acc {
  n: number;
  pop: number;
  poorPop: number;
  poorScore: number;
}

/** Alkire–Foster H, A, M0, M1, M2, headcount ratios, contributions and subgroup decomposition. */
export function mpi(input: MpiInput): MpiResult {
  const w = check(input);
  const { indicators, rows, k, weights, groups } = input;
  const d = indicators.length;
  const cardinal = indicators.every((ind) => ind.cardinal === true);
  const unc = new Array<number>(d).fill(0);
  const cen = new Array<number>(d).fill(0);
  const scores: number[] = [];
  const poor: boolean[] = [];
  const byGroup = new Map<string, Acc>();
  let P = 0;
  let poorPop = 0;
  let poorScore = 0;
  let m1 = 0;
  let m2 = 0;
  rows.forEach((row, i) => {
    const p = weightOf(weights, i);
    let c = 0;
    for (let j = 0; j < d; j++) if (row[j]! < indicators[j]!.cutoff) c += w[j]!;
    const isPoor = c > 0 && c >= k - K_EPSILON;
    scores.push(c);
    poor.push(isPoor);
    P += p;
    for (let j = 0; j < d; j++) {
      const z = indicators[j]!.cutoff;
      const x = row[j]!;
      if (!(x < z)) continue;
      unc[j]! += p;
      if (!isPoor) continue;
      cen[j]! += p;
      if (cardinal) {
        const g = (z - x) / z;
        m1 += p * w[j]! * g;
        m2 += p * w[j]! * g * g;
      }
    }
    if (isPoor) {
      poorPop += p;
      poorScore += p * c;
    }
    if (groups) {
      const key = groups[i]!;
      const acc = byGroup.get(key) ?? { n: 0, pop: 0, poorPop: 0, poorScore: 0 };
      acc.n++;
      acc.pop += p;
      if (isPoor) {
        acc.poorPop += p;
        acc.poorScore += p * c;
      }
      byGroup.set(key, acc);
    }
  });
  const M0 = poorScore / P;
  const share = (x: number) => (M0 > 0 ? x / M0 : null);
  return {
    n: rows.length,
    population: P,
    k,
    H: poorPop / P,
    A: poorPop > 0 ? poorScore / poorPop : 0,
    M0,
    M1: cardinal ? m1 / P : null,
    M2: cardinal ? m2 / P : null,
    indicators: indicators.map((ind, j) => {
      const censored = cen[j]! / P;
      const contribution = w[j]! * censored;
      return { name: ind.name, cutoff: ind.cutoff, weight: w[j]!, uncensored: unc[j]! / P, censored, contribution, share: share(contribution) };
    }),
    groups: groups
      ? [...byGroup].filter(([, a]) => a.pop > 0).map(([group, a]) => {
          const contribution = a.poorScore / P;
          return {
            group,
            n: a.n,
            population: a.pop,
            populationShare: a.pop / P,
            H: a.poorPop / a.pop,
            A: a.poorPop > 0 ? a.poorScore / a.poorPop : 0,
            M0: a.poorScore / a.pop,
            contribution,
            share: share(contribution),
          };
        })
      : null,
    scores,
    poor,
  };
}
