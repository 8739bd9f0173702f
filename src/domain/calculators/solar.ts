// Solar income distribution (国开办发〔2017〕61号, domain.md §7): a village station's revenue for
// one quarter, split by the village's decision (村民议事, filed with the county) into public-welfare
// job wages, small public works, rewards and subsidies, then each purpose's amount among its
// recipients by weight, weighted toward households that cannot work.
//
//   purpose amount_p  = revenue × share_p / 100                 (shares sum to exactly 100 %)
//   recipient weight  = weight × (noLabourFactor if the recipient has no labour, else 1)
//   recipient amount  = purpose amount × weight_i / Σ weights of the purpose
// Both splits are in fen by the largest-remainder method (common.ts): every line is the exact quota
// rounded down, and the fen left over go one each to the largest remainders (ties to the earlier
// line), so the purposes sum exactly to the revenue and the recipients exactly to their purpose.
// The only policy figure is the station size (solar_station_max_kw); a larger station is warned about.

import type { Text } from '../policy-types.js';
import { Issues, ParamReader, checkArea, checkYear, cite, largestRemainder, money, result, scaled, toYuan, type CalcLine, type CalcResult, type YearLookup } from './common.js';

export const PURPOSES = ['jobs', 'works', 'rewards', 'subsidies'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const PURPOSE_LABELS: Record<Purpose, Text> = {
  jobs: { zh: '公益岗位工资', en: 'Public-welfare job wages' },
  works: { zh: '小型公益事业', en: 'Small public works' },
  rewards: { zh: '奖励', en: 'Rewards' },
  subsidies: { zh: '补助', en: 'Subsidies' },
};

export const MAX_RECIPIENTS = 500;
export const MAX_FACTOR = 10;

export interface Recipient {
  name: string;
  purpose: Purpose;
  weight: number;
  noLabour: boolean;
}

export interface SolarInput {
  year: number;
  quarter: number;
  area: string;
  village: string;
  /** fen */
  revenue: number;
  capacityKw: number | null;
  /** percent per purpose, summing to 100 */
  shares: Record<Purpose, number>;
  noLabourFactor: number;
  recipients: Recipient[];
}

export function checkSolar(raw: unknown): SolarInput {
  const iss = new Issues();
  const o = iss.object('body', raw);
  const year = checkYear(iss, o.year);
  const quarter = iss.int('quarter', o.quarter, 1, 4);
  const area = checkArea(iss, o.area);
  const village = iss.text('village', o.village, 100) ?? '';
  const revenue = iss.fen('revenue', o.revenue);
  const capacityKw = o.capacityKw === undefined || o.capacityKw === null ? null : (iss.decimal('capacityKw', o.capacityKw, { max: 100_000, places: 2, positive: true, unit: { zh: '千瓦', en: 'kW' } }) ?? null);
  const sh = iss.object('shares', o.shares ?? undefined);
  if (o.shares === undefined) iss.add('shares', undefined, '缺少 shares：各用途所占比例（%），合计 100', 'shares is required: the percentage for each purpose, summing to 100');
  const shares = {} as Record<Purpose, number>;
  for (const p of PURPOSES) shares[p] = iss.decimal(`shares.${p}`, sh[p], { max: 100, places: 2, fallback: 0, unit: { zh: '%', en: '%' } }) ?? 0;
  const sum = PURPOSES.reduce((a, p) => a + Math.round(shares[p] * 100), 0);
  if (o.shares !== undefined && sum !== 10_000) {
    iss.add('shares', undefined, `各用途比例合计应为 100%，现为 ${sum / 100}%`, `The shares must sum to 100%, they sum to ${sum / 100}%`);
  }
  const noLabourFactor = iss.decimal('noLabourFactor', o.noLabourFactor, { min: 1, max: MAX_FACTOR, places: 2, fallback: 1 }) ?? 1;
  const recipients = iss.array('recipients', o.recipients, 1, MAX_RECIPIENTS).map((r, i) => {
    const f = `recipients.${i}`;
    const x = iss.object(f, r);
    const name = iss.text(`${f}.name`, x.name, 100) ?? '';
    if (!name) iss.add(`${f}.name`, undefined, `缺少 ${f}.name（岗位、农户或项目名称）`, `${f}.name is required (the job, household or work)`);
    const purpose = iss.oneOf(`${f}.purpose`, x.purpose, PURPOSES);
    if (purpose && o.shares !== undefined && shares[purpose] === 0) {
      iss.add(`${f}.purpose`, x.purpose, `用途 ${purpose} 的比例为 0，不能分配给 ${name}`, `The share of ${purpose} is 0, so nothing can go to ${name}`);
    }
    const weight = iss.decimal(`${f}.weight`, x.weight, { max: 1_000_000, places: 2, positive: true, fallback: 1 }) ?? 1;
    const noLabour = iss.bool(`${f}.noLabour`, x.noLabour, false) ?? false;
    return { name, purpose: purpose!, weight, noLabour };
  });
  for (const p of PURPOSES) {
    if (shares[p] > 0 && Array.isArray(o.recipients) && !recipients.some((r) => r.purpose === p)) {
      iss.add(`shares.${p}`, shares[p], `用途 ${p}（${PURPOSE_LABELS[p].zh}）占 ${shares[p]}%，但没有该用途的受益对象`, `${p} (${PURPOSE_LABELS[p].en}) has ${shares[p]}% but no recipient`);
    }
  }
  iss.fail();
  return { year: year!, quarter: quarter!, area: area!, village, revenue: revenue!, capacityKw, shares, noLabourFactor, recipients };
}

const num = (v: number): string => String(Number(v.toFixed(4)));
/** The exact quota numerator/denominator (in fen) shown in yuan to four decimals, e.g. "3,333.3333…". */
function quota(numerator: bigint, denominator: bigint): string {
  const tenThousandths = (numerator * 100n) / denominator; // fen × 100 → 1/10000 yuan
  const exact = (numerator * 100n) % denominator === 0n;
  const whole = tenThousandths / 10_000n;
  const frac = (tenThousandths % 10_000n).toString().padStart(4, '0');
  return `${whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}${exact ? '' : '…'}`;
}

export function calcSolar(input: SolarInput, lookup: YearLookup): CalcResult {
  const reader = new ParamReader(lookup);
  const { year, quarter, revenue, shares, noLabourFactor } = input;
  const lines: CalcLine[] = [];

  if (input.capacityKw !== null) {
    const max = reader.read('solar_station_max_kw', year, (v) => v > 0);
    const over = max.value !== null && input.capacityKw > max.value;
    lines.push({
      key: 'capacity',
      label: { zh: '电站规模', en: 'Station size' },
      status: max.value === null ? 'missing' : over ? 'warning' : 'ok',
      amount: null,
      formula: max.value === null
        ? { zh: '缺少参数 solar_station_max_kw，无法核对规模', en: 'Missing parameter solar_station_max_kw; the size cannot be checked' }
        : over
          ? { zh: `${num(input.capacityKw)} 千瓦 > 上限 ${num(max.value)} 千瓦，超出村级电站规模`, en: `${num(input.capacityKw)} kW > the limit of ${num(max.value)} kW for a village station` }
          : { zh: `${num(input.capacityKw)} 千瓦 ≤ 上限 ${num(max.value)} 千瓦`, en: `${num(input.capacityKw)} kW ≤ the limit of ${num(max.value)} kW` },
      values: { capacityKw: input.capacityKw, maxKw: max.value },
      params: cite(max),
    });
  }

  const used = PURPOSES.filter((p) => shares[p] > 0);
  const shareH = used.map((p) => BigInt(Math.round(shares[p] * 100))); // hundredths of a percent, Σ = 10,000
  const split = largestRemainder(revenue, shareH);
  used.forEach((p, k) => {
    const amount = split.parts[k]!;
    const extra = split.extra[k]!;
    lines.push({
      key: `purpose.${p}`,
      label: PURPOSE_LABELS[p],
      status: 'ok',
      amount: toYuan(amount),
      formula: {
        zh: `季度收益 ${money(revenue)} × ${num(shares[p])}% = ${quota(BigInt(revenue) * shareH[k]!, 10_000n)} → ${money(amount)}${extra ? '（最大余数 +0.01）' : ''}`,
        en: `quarter's revenue ${money(revenue)} × ${num(shares[p])}% = ${quota(BigInt(revenue) * shareH[k]!, 10_000n)} → ${money(amount)}${extra ? ' (largest remainder +0.01)' : ''}`,
      },
      values: { level: 'purpose', purpose: p, sharePct: shares[p], amount: toYuan(amount), largestRemainder: extra },
      params: [],
    });
    const members = input.recipients.map((r, i) => ({ r, i })).filter((x) => x.r.purpose === p);
    const factorH = scaled(noLabourFactor, 100);
    const weights = members.map(({ r }) => scaled(r.weight, 100) * (r.noLabour ? factorH : 100n));
    const W = weights.reduce((a, b) => a + b, 0n);
    const wText = (w: bigint) => num(Number(w) / 10_000);
    const sub = largestRemainder(amount, weights);
    members.forEach(({ r, i }, j) => {
      const got = sub.parts[j]!;
      const w = r.noLabour && noLabourFactor !== 1 ? `${num(r.weight)} × ${num(noLabourFactor)}` : num(r.weight);
      lines.push({
        key: `recipient.${i}`,
        label: { zh: `${r.name}${r.noLabour ? '（无劳动能力）' : ''}`, en: `${r.name}${r.noLabour ? ' (no labour)' : ''}` },
        status: 'ok',
        amount: toYuan(got),
        formula: {
          zh: `${PURPOSE_LABELS[p].zh} ${money(amount)} × ${w} / ${wText(W)} = ${quota(BigInt(amount) * weights[j]!, W)} → ${money(got)}${sub.extra[j] ? '（最大余数 +0.01）' : ''}`,
          en: `${PURPOSE_LABELS[p].en} ${money(amount)} × ${w} / ${wText(W)} = ${quota(BigInt(amount) * weights[j]!, W)} → ${money(got)}${sub.extra[j] ? ' (largest remainder +0.01)' : ''}`,
        },
        values: { level: 'recipient', purpose: p, weight: r.weight, noLabour: r.noLabour, effectiveWeight: Number(weights[j]!) / 10_000, amount: toYuan(got), largestRemainder: sub.extra[j]! },
        params: [],
      });
    });
  });

  const recipientsSum = lines.filter((l) => l.values.level === 'recipient').reduce((a, l) => a + Math.round(l.amount! * 100), 0);
  const village = input.village ? `${input.village} ` : '';
  return result('solar', year, input.area, reader, {
    lines,
    totals: [{
      key: 'distributed',
      label: { zh: '分配合计（= 季度收益）', en: 'Distributed (= the quarter\'s revenue)' },
      amount: toYuan(recipientsSum),
      formula: {
        zh: `${used.map((p) => `${PURPOSE_LABELS[p].zh} ${money(split.parts[used.indexOf(p)]!)}`).join(' + ')} = ${money(recipientsSum)}（季度收益 ${money(revenue)}）`,
        en: `${used.map((p) => `${PURPOSE_LABELS[p].en} ${money(split.parts[used.indexOf(p)]!)}`).join(' + ')} = ${money(recipientsSum)} (revenue ${money(revenue)})`,
      },
    }],
    notes: [
      { zh: `${village}${year} 年第 ${quarter} 季度；比例与权重由村民议事决定并报县备案`, en: `${village}${year} Q${quarter}; shares and weights are the village's decision, filed with the county` },
      ...(noLabourFactor !== 1 ? [{ zh: `无劳动能力户权重 × ${num(noLabourFactor)}`, en: `Households without labour: weight × ${num(noLabourFactor)}` }] : []),
    ],
  });
}
