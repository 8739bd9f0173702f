// Results of an evaluation (issue 8; domain.md §4): 错退率, 漏评率, 群众认可度 and 综合贫困发生率 from
// the completed questionnaires with the plan's design weights, each with numerator, denominator, a
// 95% interval and the verdict against its bar in force for the county and year (inclusive, exact).
//   错退率  units: completed exited households;  y = people if the exit was wrong, x = people
//   漏评率  units: completed non-registered;     y = people if omitted,          x = people
//   认可度  units: every completed household;    y = 1 if it approves,           x = 1
//   综合贫困发生率 units: every completed household; y = people if remaining (registered poor), or
//          wrongly exited, or omitted; x = people  — (remaining poor + omitted + wrongly exited) / rural people.
//          The denominator stands for the whole rural population only when the non-registered
//          households are sampled in every chosen village: otherwise the rate is unknown, with why.
// Weights are the exact fractions of the draw; strata are the stage-1 strata and the village is the
// primary sampling unit (domain/assessment/estimates.ts B). A stratum with one chosen village is
// centred at the overall mean (lonely PSU 'adjust'), said in the result. Households not reached are
// non-response: left out, counted.
import type { Sql } from '../../db/client.js';
import { approvalRate, combinedIncidence, omissionRate, wrongExitRate, type RateKey, type RateResult, type WeightedUnit } from '../../domain/assessment/estimates.js';
import type { Msg } from '../../domain/errors.js';
import { policyLookup } from '../policy.js';
import { planFor, type PlanRow } from './access.js';
import type { Ctx } from '../context.js';

type Status = 'pass' | 'fail' | 'unknown';

export type RateOutcome = {
  key: RateKey;
  label: Msg;
  param: RateResult['param'];
  barPct: number | null;
  verdict: Status;
  reason: Msg;
  /** null when the rate could not be computed (no units, or no bar). */
  result: RateResult | null;
};

export type StratumCounts = {
  stratum: 'exited' | 'remaining' | 'nonRegistered';
  sampled: number;
  completed: number;
  notReached: number;
  pending: number;
};

export type PlanResults = {
  planId: number;
  countyCode: string;
  year: number;
  status: string;
  computedAt: string;
  /** true when frozen at close; false when computed live from the questionnaires so far. */
  frozen: boolean;
  counts: StratumCounts[];
  rates: RateOutcome[];
  verdict: Status;
  reason: Msg;
  method: Msg;
};

const LABELS: Record<RateKey, Msg> = {
  wrong_exit_rate: { zh: '错退率', en: 'Wrong-exit rate' },
  omission_rate: { zh: '漏评率', en: 'Omission rate' },
  approval: { zh: '群众认可度', en: 'Public approval' },
  combined_incidence: { zh: '综合贫困发生率', en: 'Combined poverty incidence' },
};

export const METHOD: Msg = {
  zh: '按抽样设计权重（第一阶段层 × 村为初级抽样单元）做比率估计，泰勒线性化方差，95% 置信区间；只有一个村的层按总体均值中心化（adjust）；未入户的样本户不计入',
  en: 'Design-weighted ratio estimates (stage-1 strata, villages as primary sampling units), Taylor-linearised variance, 95% intervals; strata with one village are centred at the overall mean (adjust); households not reached are left out',
};

interface Row {
  stratum: 'exited' | 'remaining' | 'nonRegistered';
  villageStratum: string;
  village: string;
  num: number;
  den: number;
  outcome: string | null;
  size: number | null;
  exitCorrect: boolean | null;
  stillPoor: boolean | null;
  omitted: boolean | null;
  approves: boolean | null;
}

export async function computeResults(db: Pick<Sql, 'query'>, p: PlanRow, now = new Date()): Promise<PlanResults> {
  const rows = await db.query<Row>(
    `SELECT s.stratum, s.village_stratum AS "villageStratum", s.village_code AS village, s.weight_num AS num, s.weight_den AS den,
            q.outcome, q.household_size AS size, q.exit_correct AS "exitCorrect", q.still_poor AS "stillPoor", q.omitted, q.approves
       FROM assessment_samples s LEFT JOIN assessment_surveys q ON q.county_code = s.county_code AND q.plan_id = s.plan_id AND q.sample_id = s.id
      WHERE s.county_code = $1 AND s.plan_id = $2`,
    [p.countyCode, p.id],
  );
  const counts: StratumCounts[] = (['exited', 'remaining', 'nonRegistered'] as const).map((stratum) => {
    const r = rows.filter((x) => x.stratum === stratum);
    return { stratum, sampled: r.length, completed: r.filter((x) => x.outcome === 'completed').length, notReached: r.filter((x) => x.outcome === 'not_reached').length, pending: r.filter((x) => x.outcome === null).length };
  });
  const done = rows.filter((r) => r.outcome === 'completed');
  const unit = (r: Row, y: number, x: number): WeightedUnit => ({ stratum: r.villageStratum, psu: r.village, weight: { num: Number(r.num), den: Number(r.den) }, numerator: y, denominator: x });
  const people = (r: Row) => Number(r.size ?? 0);
  const samples: Record<RateKey, WeightedUnit[]> = {
    wrong_exit_rate: done.filter((r) => r.stratum === 'exited').map((r) => unit(r, r.exitCorrect === false ? people(r) : 0, people(r))),
    omission_rate: done.filter((r) => r.stratum === 'nonRegistered').map((r) => unit(r, r.omitted === true ? people(r) : 0, people(r))),
    approval: done.filter((r) => r.approves !== null).map((r) => unit(r, r.approves ? 1 : 0, 1)),
    // Remaining registered poor count as poor whatever the evaluator thinks of them (domain.md §4);
    // a remaining household found no longer poor is a discrepancy, not a reduction of the rate.
    combined_incidence: done.map((r) => {
      const poor = r.stratum === 'remaining' || (r.stratum === 'exited' && r.exitCorrect === false) || (r.stratum === 'nonRegistered' && r.omitted === true);
      return unit(r, poor ? people(r) : 0, people(r));
    }),
  };
  // Chosen villages whose non-registered households are not represented by any completed questionnaire.
  // A village whose rural households are all registered (M = 0) is covered by its register households.
  const covered = new Set(done.filter((r) => r.stratum === 'nonRegistered').map((r) => r.village));
  // The frame is read once (it is one large jsonb), then matched to the chosen villages.
  const [chosenRows, frameRows] = [
    await db.query<{ v: string }>('SELECT village_code AS v FROM assessment_villages WHERE county_code = $1 AND plan_id = $2', [p.countyCode, p.id]),
    await db.query<{ v: string; m: number | null }>(
      `SELECT f->>'code' AS v, (f->>'nonRegistered')::int AS m FROM assessment_plans p, jsonb_array_elements(p.frame_units->'villages') f WHERE p.county_code = $1 AND p.id = $2`,
      [p.countyCode, p.id],
    ),
  ];
  const mOf = new Map(frameRows.map((r) => [r.v, r.m]));
  const chosen = chosenRows.map((r) => ({ v: r.v, m: mOf.has(r.v) ? mOf.get(r.v)! : null }));
  const uncovered = chosen.filter((x) => x.m === null || (Number(x.m) > 0 && !covered.has(x.v))).map((x) => x.v).sort();
  const lookup = await policyLookup(db, Number(p.year), p.countyCode);
  const fns = { wrong_exit_rate: wrongExitRate, omission_rate: omissionRate, approval: approvalRate, combined_incidence: combinedIncidence } as const;
  const params = { wrong_exit_rate: 'wrong_exit_rate_max_pct', omission_rate: 'omission_rate_max_pct', approval: 'approval_min_pct', combined_incidence: 'county_exit_incidence_max_pct' } as const;
  const rates: RateOutcome[] = (Object.keys(fns) as RateKey[]).map((key) => {
    const label = LABELS[key];
    const param = params[key];
    const bar = lookup(param);
    const barPct = typeof bar?.value === 'number' ? bar.value : null;
    const units = samples[key];
    if (barPct === null) {
      return { key, label, param, barPct, verdict: 'unknown', result: null, reason: { zh: `${label.zh}：缺少 ${p.year} 年的政策参数 ${param}，无法判断；请在“政策参数”中填写`, en: `${label.en}: the policy parameter ${param} for ${p.year} is missing, so this cannot be decided; enter it on the Policy page` } };
    }
    if (key === 'combined_incidence' && uncovered.length) {
      return { key, label, param, barPct, verdict: 'unknown', result: null, reason: {
        zh: `${label.zh}：分母应为全部农村人口，但抽中的村 ${uncovered.slice(0, 5).join('、')}${uncovered.length > 5 ? ` 等 ${uncovered.length} 个` : ''} 没有已完成的非建档立卡户问卷（未抽取、缺少农村人口数或未入户），无法代表全部农村人口`,
        en: `${label.en}: the denominator must be the whole rural population, but chosen village${uncovered.length > 1 ? 's' : ''} ${uncovered.slice(0, 5).join(', ')}${uncovered.length > 5 ? ` and ${uncovered.length - 5} more` : ''} ha${uncovered.length > 1 ? 've' : 's'} no completed non-registered questionnaire (none drawn, no rural population, or not reached), so the sample does not stand for it`,
      } };
    }
    if (!units.length || units.every((u) => u.denominator === 0)) {
      return { key, label, param, barPct, verdict: 'unknown', result: null, reason: { zh: `${label.zh}：样本中还没有可用的已完成问卷，无法计算`, en: `${label.en}: no completed questionnaire in the sample counts towards it yet, so it cannot be computed` } };
    }
    const result = fns[key]({ units, singlePsu: 'adjust' }, barPct);
    return { key, label, param, barPct, verdict: result.verdict.pass ? 'pass' : 'fail', result, reason: result.verdict.reason };
  });
  const verdict: Status = rates.some((r) => r.verdict === 'fail') ? 'fail' : rates.every((r) => r.verdict === 'pass') ? 'pass' : 'unknown';
  const failing = rates.filter((r) => r.verdict === 'fail').map((r) => r.label);
  const reason: Msg =
    verdict === 'pass' ? { zh: '四项指标均达标', en: 'All four measures meet their bars' }
    : verdict === 'fail' ? { zh: `不达标：${failing.map((l) => l.zh).join('、')}`, en: `Fails: ${failing.map((l) => l.en).join(', ')}` }
    : { zh: '部分指标尚无法判断（见各项说明）', en: 'Some measures cannot be decided yet (see each)' };
  return { planId: Number(p.id), countyCode: p.countyCode, year: Number(p.year), status: p.status, computedAt: now.toISOString(), frozen: false, counts, rates, verdict, reason, method: METHOD };
}

/** A closed plan's frozen results; otherwise computed now from the questionnaires so far (members and supervisors only). */
export async function getResults(ctx: Ctx, planId: number): Promise<PlanResults> {
  const p = await planFor(ctx.db, ctx, planId, 'results');
  if (p.status === 'closed' && p.results) return { ...(p.results as PlanResults), status: p.status, frozen: true };
  return computeResults(ctx.db, p);
}

/** The latest closed evaluation of a county and year (for the exit panel), or null. */
export async function closedResultsOf(db: Pick<Sql, 'query'>, county: string, year: number): Promise<(PlanResults & { planName: string; closedAt: string }) | null> {
  const [r] = await db.query<{ id: number; name: string; results: PlanResults; closedAt: string }>(
    `SELECT id, name, results, closed_at AS "closedAt" FROM assessment_plans WHERE county_code = $1 AND year = $2 AND status = 'closed' ORDER BY closed_at DESC, id DESC LIMIT 1`,
    [county, year],
  );
  if (!r) return null;
  return { ...r.results, status: 'closed', frozen: true, planName: r.name, closedAt: new Date(r.closedAt).toISOString() };
}
