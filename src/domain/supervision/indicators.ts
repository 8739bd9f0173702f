// Scorecards (考核评分, issue 8): the six indicators of a township, a county or a responsible cadre
// over a period, each from a numerator and a denominator, scaled to 0–100, and the composite.
//
//   indicator            numerator / denominator                                  score 0–100              weight
//   visits 走访频次        visits by cadres / (paired households × months)          min(100, 100·rate/target)   25
//   completeness 数据完整率 fields filled / fields the records should have           100·share                  20
//   dataQuality 数据质量    households with a data-quality hit (that year) / households 100·(1 − share)          15
//   overdueCases 逾期案件   cases overdue at the period's end / cases open in it      100·(1 − share)            15
//   alertsInTime 预警及时处置 alerts handled in time / alerts judged                 100·share                  15
//   discrepancies 评估差异  sampled households with a discrepancy / checked           100·(1 − share)            10
//
// Why these weights: the responsible cadre's visits are the core duty the scorecard supervises (25);
// a complete register is what 精准 rests on (20); the three handling indicators weigh the same (15
// each); evaluation discrepancies weigh least (10) because samples are small and reach few units.
//
// Composite = Σ wᵢ·sᵢ / Σ wᵢ over the indicators that can be measured (denominator > 0); the others
// are left out and the rest re-weighted. An indicator with nothing to measure (no paired household,
// no case open, no alert found, no sampled household) says nothing about the unit's work: scoring it
// 0 would punish a unit with nothing to do, scoring it 100 would reward the absence of data.
// `weightCovered` says how much of the 100 the composite stands on. Scores and the composite are
// rounded to 2 decimals (half up); the composite is computed from the rounded scores, and ranks
// compare the rounded composite, so equal printed scores share a rank (competition ranking 1, 2, 2, 4).

import type { Text } from '../policy-types.js';
import { visitsPerHouseholdMonth } from '../assistance/pairing.js';

export const INDICATOR_KEYS = ['visits', 'completeness', 'dataQuality', 'overdueCases', 'alertsInTime', 'discrepancies'] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

/**
 * Visits per paired household per month that score 100 (每户每月至少走访一次, a common county rule for
 * 帮扶责任人). Fewer score proportionally; more do not score above 100.
 */
export const VISIT_TARGET_PER_HOUSEHOLD_MONTH = 1;

export interface IndicatorInfo {
  key: IndicatorKey;
  label: Text;
  /** What it measures and how it is counted. */
  description: Text;
  numerator: Text;
  denominator: Text;
  /** How the ratio becomes a score 0–100. */
  scoring: Text;
  /** Weight in the composite (the six add up to 100). */
  weight: number;
  /** Whether a larger ratio is better. */
  better: 'higher' | 'lower';
}

export const INDICATORS: readonly IndicatorInfo[] = Object.freeze([
  {
    key: 'visits', weight: 25, better: 'higher',
    label: { zh: '走访频次', en: 'Visit frequency' },
    description: {
      zh: '期内帮扶干部对本单位农户的走访次数 ÷（期内结对的农户数 × 期间月数）；月数精确计算（每个自然月按期内天数占比计），与“走访频次”页面同一口径',
      en: 'Visits by cadres to the unit\'s households in the period ÷ (households paired in the period × months); months counted exactly (each calendar month as the share of its days in the period), as on the visit-frequency page',
    },
    numerator: { zh: '走访次数', en: 'visits' },
    denominator: { zh: '结对户数 × 月数', en: 'paired households × months' },
    scoring: { zh: `户均每月 ${VISIT_TARGET_PER_HOUSEHOLD_MONTH} 次得 100 分，不足按比例，超过不加分`, en: `${VISIT_TARGET_PER_HOUSEHOLD_MONTH} visit per household per month scores 100; fewer score in proportion; more score no higher` },
  },
  {
    key: 'completeness', weight: 20, better: 'higher',
    label: { zh: '数据完整率', en: 'Data completeness' },
    description: {
      zh: '本单位农户应填字段中已填写的比例：户（主要致贫原因、联系电话、首次识别时间；享受政策的户另有帮扶责任人）、成员（文化程度、健康状况、劳动技能、基本医疗保险、大病保险、基本养老保险）、期末所在年度的年度记录（记录本身即收入、不愁吃、不愁穿、义务教育、基本医疗、住房安全、饮水安全）；缺少年度记录时其 7 项都算未填',
      en: 'The share of the fields the unit\'s records should have that are filled: household (main cause, phone, first identification date; a responsible cadre for households still enjoying policies), members (education, health, labour ability, basic medical, critical-illness and pension insurance), and the yearly record of the year the period ends in (the record itself, i.e. income, and food, clothing, education, medical, housing and water secured); a missing yearly record counts its 7 fields as empty',
    },
    numerator: { zh: '已填字段数', en: 'fields filled' },
    denominator: { zh: '应填字段数', en: 'fields expected' },
    scoring: { zh: '完整率 × 100', en: 'share filled × 100' },
  },
  {
    key: 'dataQuality', weight: 15, better: 'lower',
    label: { zh: '数据质量问题', en: 'Data-quality rule hits' },
    description: {
      zh: '期末所在年度的登记数据命中数据质量规则（domain.md §4：因病无病人、低保无名单、收入异常、务工月数、人均土地、无帮扶责任人、帮扶干部是建档立卡人员、已脱贫户收入低于贫困线）的农户占比，按预警的年度计（与数据完整率同一年度，扫描日期不限）；已排除的预警也算（规则命中说明登记有误或存疑，处置情况另计）',
      en: 'The share of households whose register for the year the period ends in hits a data-quality rule (domain.md §4: illness cause without a sick member, dibao not on the list, implausible income, work months, land per person, no responsible cadre, cadre registered poor, exited household below the line), by the alert\'s year (the year completeness reads, whenever the scan ran); dismissed alerts count too (the hit says the register was wrong or doubtful; handling is scored separately)',
    },
    numerator: { zh: '有问题的户数', en: 'households with a hit' },
    denominator: { zh: '农户数', en: 'households' },
    scoring: { zh: '(1 − 问题户占比) × 100', en: '(1 − share with a hit) × 100' },
  },
  {
    key: 'overdueCases', weight: 15, better: 'lower',
    label: { zh: '逾期案件', en: 'Overdue cases' },
    description: {
      zh: '期内曾在办的案件（识别、退出、监测）中，到期末（未到期末的到今天）逾期的比例：公示期满未结束公示，或期限已过未办结（与待办列表的“逾期”同一判断，按期末前的步骤重演）',
      en: 'Of the cases (identification, exit, monitoring) open at some time in the period, the share overdue at its end (today when the period has not ended): a notice ended and not closed, or a deadline passed and not met (the same judgement as the inbox\'s "overdue", replayed on the steps up to that day)',
    },
    numerator: { zh: '逾期案件数', en: 'overdue cases' },
    denominator: { zh: '期内在办案件数', en: 'cases open in the period' },
    scoring: { zh: '(1 − 逾期占比) × 100', en: '(1 − share overdue) × 100' },
  },
  {
    key: 'alertsInTime', weight: 15, better: 'higher',
    label: { zh: '预警及时处置率', en: 'Alerts handled in time' },
    description: {
      zh: '期内发现的预警中按时处置（排除或启动监测）的比例；时限为政策参数“监测对象识别时限”（默认 20 个工作日，自发现之日起）。已处置的按处置日判断；未处置且已过时限的算逾期；未处置、未到时限的不计入',
      en: 'Of the alerts found in the period, the share handled (dismissed, or a monitoring case opened) in time; the limit is the policy parameter for identifying a monitoring case (default 20 working days from the day found). Handled alerts are judged by the day handled; unhandled ones past the limit count as late; unhandled ones still within it are not counted',
    },
    numerator: { zh: '按时处置数', en: 'handled in time' },
    denominator: { zh: '已到期或已处置的预警数', en: 'alerts handled or past the limit' },
    scoring: { zh: '按时率 × 100', en: 'share in time × 100' },
  },
  {
    key: 'discrepancies', weight: 10, better: 'lower',
    label: { zh: '评估发现差异', en: 'Evaluation discrepancies' },
    description: {
      zh: '第三方评估期内核查的抽样户（期内完成问卷或记录了差异）中，问卷与登记不一致的户的比例；乡镇按抽样户所在村，干部按其结对户',
      en: 'Of the sampled households checked by the third-party evaluation in the period (questionnaire completed or a discrepancy recorded in it), the share whose answers differ from the register; townships by the sampled household\'s village, cadres by their paired households',
    },
    numerator: { zh: '有差异的抽样户', en: 'sampled households with a discrepancy' },
    denominator: { zh: '核查的抽样户', en: 'sampled households checked' },
    scoring: { zh: '(1 − 差异户占比) × 100', en: '(1 − share with a discrepancy) × 100' },
  },
] satisfies IndicatorInfo[]);

export const TOTAL_WEIGHT = INDICATORS.reduce((s, i) => s + i.weight, 0);

export function indicatorInfo(key: IndicatorKey): IndicatorInfo {
  return INDICATORS.find((i) => i.key === key)!;
}

/** The counts of one unit over one period, gathered by the service. */
export interface UnitCounts {
  visits: { visits: number; households: number; months: number };
  completeness: { filled: number; expected: number };
  dataQuality: { householdsWithHits: number; hits: number; households: number };
  overdueCases: { overdue: number; open: number };
  alertsInTime: { inTime: number; late: number; pending: number };
  discrepancies: { withDiscrepancy: number; discrepancies: number; checked: number };
}

export function emptyCounts(months = 0): UnitCounts {
  return {
    visits: { visits: 0, households: 0, months },
    completeness: { filled: 0, expected: 0 },
    dataQuality: { householdsWithHits: 0, hits: 0, households: 0 },
    overdueCases: { overdue: 0, open: 0 },
    alertsInTime: { inTime: 0, late: 0, pending: 0 },
    discrepancies: { withDiscrepancy: 0, discrepancies: 0, checked: 0 },
  };
}

export interface IndicatorValue {
  key: IndicatorKey;
  numerator: number;
  /** visits: household-months (households × months, 2 decimals); otherwise a count. */
  denominator: number;
  /** numerator ÷ denominator (visits: per household-month, 2 decimals; others: a share 0–1); null when there is nothing to measure. */
  value: number | null;
  /** 0–100, 2 decimals; null when there is nothing to measure (left out of the composite). */
  score: number | null;
  /** Counts shown beside the ratio: visits {households, months}; dataQuality {hits}; alertsInTime {late, pending}; discrepancies {discrepancies}. */
  extra: Record<string, number>;
}

export type Indicators = Record<IndicatorKey, IndicatorValue>;

/** Half-up rounding to 2 decimals that survives binary fractions (x.xx5 stored a hair low). */
export function round2(x: number): number {
  return Math.round((x + Math.sign(x) * Number.EPSILON * Math.max(1, Math.abs(x))) * 100) / 100;
}

const clamp100 = (x: number) => Math.min(100, Math.max(0, x));

function share(key: IndicatorKey, num: number, den: number, better: 'higher' | 'lower', extra: Record<string, number> = {}): IndicatorValue {
  if (den <= 0) return { key, numerator: num, denominator: den, value: null, score: null, extra };
  const v = num / den;
  return { key, numerator: num, denominator: den, value: v, score: round2(clamp100(100 * (better === 'higher' ? v : 1 - v))), extra };
}

/** The six indicators of one unit from its counts. */
export function indicatorsOf(c: UnitCounts, visitTarget = VISIT_TARGET_PER_HOUSEHOLD_MONTH): Indicators {
  const { visits, households, months } = c.visits;
  const householdMonths = households * months;
  const visitValue: IndicatorValue = householdMonths > 0
    ? {
      key: 'visits', numerator: visits, denominator: round2(householdMonths),
      value: visitsPerHouseholdMonth(visits, households, months),
      score: round2(clamp100((100 * visits) / householdMonths / visitTarget)),
      extra: { households, months: round2(months) },
    }
    : { key: 'visits', numerator: visits, denominator: 0, value: null, score: null, extra: { households, months: round2(months) } };
  return {
    visits: visitValue,
    completeness: share('completeness', c.completeness.filled, c.completeness.expected, 'higher'),
    dataQuality: share('dataQuality', c.dataQuality.householdsWithHits, c.dataQuality.households, 'lower', { hits: c.dataQuality.hits }),
    overdueCases: share('overdueCases', c.overdueCases.overdue, c.overdueCases.open, 'lower'),
    alertsInTime: share('alertsInTime', c.alertsInTime.inTime, c.alertsInTime.inTime + c.alertsInTime.late, 'higher', { late: c.alertsInTime.late, pending: c.alertsInTime.pending }),
    discrepancies: share('discrepancies', c.discrepancies.withDiscrepancy, c.discrepancies.checked, 'lower', { discrepancies: c.discrepancies.discrepancies }),
  };
}

export interface Composite {
  /** Σ w·s / Σ w over the measurable indicators, 2 decimals; null when none is measurable. */
  composite: number | null;
  /** The weights the composite stands on (100 when every indicator is measurable). */
  weightCovered: number;
}

export function compositeOf(ind: Indicators, weights: Readonly<Record<IndicatorKey, number>> = WEIGHTS): Composite {
  let sw = 0;
  let sws = 0;
  for (const k of INDICATOR_KEYS) {
    const s = ind[k].score;
    if (s === null) continue;
    sw += weights[k];
    sws += weights[k] * s;
  }
  return { composite: sw > 0 ? round2(sws / sw) : null, weightCovered: sw };
}

export const WEIGHTS: Readonly<Record<IndicatorKey, number>> = Object.freeze(
  Object.fromEntries(INDICATORS.map((i) => [i.key, i.weight])) as Record<IndicatorKey, number>,
);

export interface Scored extends Composite {
  indicators: Indicators;
}

export function scoreUnit(c: UnitCounts, visitTarget = VISIT_TARGET_PER_HOUSEHOLD_MONTH): Scored {
  const indicators = indicatorsOf(c, visitTarget);
  return { indicators, ...compositeOf(indicators) };
}

/**
 * Competition ranking (1, 2, 2, 4) by score, highest first; null scores get no rank. Returns the
 * ranks in the order of `scores`.
 */
export function competitionRanks(scores: readonly (number | null)[]): (number | null)[] {
  // Sorted once: a score's rank is 1 + the number of scores above it (its first position among equals).
  const sorted = scores.filter((s): s is number => s !== null).sort((a, b) => b - a);
  const first = new Map<number, number>();
  sorted.forEach((s, i) => {
    if (!first.has(s)) first.set(s, i + 1);
  });
  return scores.map((s) => (s === null ? null : first.get(s)!));
}

/**
 * The rows ranked: each gets `rank` (competition ranking on `composite`, null for none), sorted by
 * rank (unranked last), ties by `tieKey` so the order is stable.
 */
export function rankRows<R extends { composite: number | null }>(rows: readonly R[], tieKey: (r: R) => string): (R & { rank: number | null })[] {
  const ranks = competitionRanks(rows.map((r) => r.composite));
  return rows
    .map((r, i) => ({ ...r, rank: ranks[i]! }))
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || (tieKey(a) < tieKey(b) ? -1 : tieKey(a) > tieKey(b) ? 1 : 0));
}
