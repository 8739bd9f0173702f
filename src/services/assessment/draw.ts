// Drawing a plan's sample (issue 8): read the frame from the register, run the published two-stage
// draw (domain/assessment/sampling.ts), and freeze villages, households and weights with the
// frame's digest, in one audited transaction. A drawn plan never changes; a re-draw is a new plan.
import type { Sql } from '../../db/client.js';
import type { PlanSizes } from '../../domain/assessment/plan.js';
import { drawTwoStage, type TwoStageDraw } from '../../domain/assessment/sampling.js';
import { Conflict } from '../../domain/errors.js';
import { audit, require, type Ctx } from '../context.js';
import { planFor, type PlanRow } from './access.js';
import { frameDigest, householdFrames, readFrame, rosterNoOf, villageFrames, type PlanFrame } from './frame.js';
import { PLAN_STATUS_LABELS, getPlan, type PlanView } from './plans.js';

export interface FrameSummary {
  digest: string;
  poorRule: { zh: string; en: string };
  missingPopulation: string[];
  /** Stage 1 per stratum: N_h villages, n_h asked (after overrides) and drawn. */
  villageStrata: { stratum: string; populationSize: number; requestedSize: number; sampleSize: number; capped: boolean }[];
  /** Stage 2 strata that had fewer households than asked (all taken). */
  cappedHouseholdStrata: { village: string; stratum: string; populationSize: number; requestedSize: number }[];
  villages: number;
  registerHouseholds: number;
}

/** n_h per village stratum: the override, else the plan's size for the kind, at most N_h (recorded as capped). */
function villageSizes(sizes: PlanSizes, frames: { stratum: string; units: readonly unknown[] }[]): { sizes: Record<string, number>; requested: Record<string, number> } {
  const out: Record<string, number> = {};
  const requested: Record<string, number> = {};
  for (const f of frames) {
    const kind = f.stratum.endsWith('/poor') ? 'poor' : 'nonPoor';
    const n = sizes.villageOverrides[f.stratum] ?? sizes.villages[kind];
    requested[f.stratum] = n;
    out[f.stratum] = Math.min(n, f.units.length);
  }
  return { sizes: out, requested };
}

export function drawFromFrame(seed: string, sizes: PlanSizes, frame: PlanFrame): { draw: TwoStageDraw; summary: FrameSummary } {
  const vFrames = villageFrames(frame);
  const v = villageSizes(sizes, vFrames);
  const draw = drawTwoStage({
    seed,
    villages: { frames: vFrames, sizes: v.sizes },
    households: { frames: householdFrames(frame), sizes: { ...sizes.households }, shortfall: 'takeAll' },
  });
  const summary: FrameSummary = {
    digest: frameDigest(frame),
    poorRule: frame.poorRule,
    missingPopulation: frame.missingPopulation,
    villageStrata: draw.villageStrata.map((s) => ({ stratum: s.stratum, populationSize: s.populationSize, requestedSize: v.requested[s.stratum] ?? s.requestedSize, sampleSize: s.sampleSize, capped: s.sampleSize < (v.requested[s.stratum] ?? 0) })),
    cappedHouseholdStrata: draw.villages.flatMap((c) => c.strata.filter((s) => s.capped).map((s) => ({ village: c.village, stratum: s.stratum, populationSize: s.populationSize, requestedSize: s.requestedSize }))),
    villages: frame.villages.length,
    registerHouseholds: frame.villages.reduce((n, x) => n + x.exited.length + x.remaining.length, 0),
  };
  return { draw, summary };
}

async function writeDraw(tx: Sql, p: PlanRow, draw: TwoStageDraw, frame: PlanFrame): Promise<void> {
  const kindOf = new Map(frame.villages.map((x) => [x.code, x.kind]));
  const stratumSizes = new Map(draw.villageStrata.map((s) => [s.stratum, s]));
  const vRows = draw.villages.map((c) => {
    const s = stratumSizes.get(c.villageStratum)!;
    return [c.village, c.villageStratum, kindOf.get(c.village) ?? 'nonPoor', c.order, s.populationSize, s.sampleSize];
  });
  if (vRows.length) {
    await tx.query(
      `INSERT INTO assessment_villages (county_code, plan_id, village_code, stratum, kind, draw_order, population_size, sample_size)
       SELECT $1, $2, v, s, k, o, n1, n2 FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[]) AS t(v, s, k, o, n1, n2)`,
      [p.countyCode, p.id, ...[0, 1, 2, 3, 4, 5].map((i) => vRows.map((r) => r[i]))],
    );
  }
  const hh = draw.households;
  if (!hh.length) return;
  const strataOf = new Map(draw.villages.map((c) => [c.village, new Map(c.strata.map((s) => [s.stratum, s]))]));
  const cols = hh.map((h) => {
    const s = strataOf.get(h.village)!.get(h.householdStratum)!;
    const roster = rosterNoOf(h.id);
    return {
      village: h.village, vs: h.villageStratum, stratum: h.householdStratum, unit: h.id,
      household: roster === null ? Number(h.id) : null, roster, size: roster === null ? (h.size ?? null) : null,
      order: h.order, M: s.populationSize, m: s.sampleSize, num: h.weightFraction.num, den: h.weightFraction.den,
    };
  });
  await tx.query(
    `INSERT INTO assessment_samples (county_code, plan_id, village_code, village_stratum, stratum, unit_id, household_id, roster_no, register_size, draw_order, population_size, sample_size, weight_num, weight_den)
     SELECT $1, $2, v, vs, s, u, h, r, z, o, bm, sm, wn, wd
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::bigint[], $14::bigint[])
         AS t(v, vs, s, u, h, r, z, o, bm, sm, wn, wd)`,
    [
      p.countyCode, p.id,
      cols.map((c) => c.village), cols.map((c) => c.vs), cols.map((c) => c.stratum), cols.map((c) => c.unit), cols.map((c) => c.household),
      cols.map((c) => c.roster), cols.map((c) => c.size), cols.map((c) => c.order), cols.map((c) => c.M), cols.map((c) => c.m),
      cols.map((c) => c.num), cols.map((c) => c.den),
    ],
  );
}

/** Draws the sample of a draft plan and freezes it; a re-draw plan supersedes the plan it replaces. */
export async function drawPlan(ctx: Ctx, planId: number): Promise<PlanView & { frameSummary: FrameSummary }> {
  require(ctx, 'assessment.manage');
  const summary = await ctx.db.transaction(async (tx) => {
    const p = await planFor(tx, ctx, planId, 'manage', true);
    if (p.status !== 'draft') {
      throw new Conflict(
        { zh: `计划 ${p.id} 的状态为“${PLAN_STATUS_LABELS[p.status].zh}”，样本已冻结，不能再抽；如需重抽，请新建重抽计划（会记入审计）`, en: `Plan ${p.id} is "${PLAN_STATUS_LABELS[p.status].en}"; its sample is frozen — to draw again, create a re-draw plan (audited)` },
        { status: p.status },
      );
    }
    const frame = await readFrame(tx, p.countyCode, Number(p.year), p.poorVillages);
    const { draw, summary } = drawFromFrame(p.seed, p.sizes as PlanSizes, frame);
    await writeDraw(tx, p, draw, frame);
    await tx.query(
      `UPDATE assessment_plans SET status = 'drawn', frame = $3::jsonb, frame_digest = $4, drawn_at = now(), drawn_by = $5, version = version + 1, updated_at = now()
        WHERE county_code = $1 AND id = $2`,
      [p.countyCode, p.id, JSON.stringify(summary), summary.digest, ctx.actor.username],
    );
    if (p.replacesPlanId !== null) {
      await tx.query(`UPDATE assessment_plans SET status = 'superseded', version = version + 1, updated_at = now() WHERE county_code = $1 AND id = $2 AND status = 'drawn'`, [p.countyCode, p.replacesPlanId]);
      await audit(tx, ctx.actor, { action: 'supersede', entity: 'assessment_plans', entityId: p.replacesPlanId, countyCode: p.countyCode, before: { status: 'drawn' }, after: { status: 'superseded', by: p.id } });
    }
    await audit(tx, ctx.actor, {
      action: 'draw', entity: 'assessment_plans', entityId: p.id, countyCode: p.countyCode,
      before: { status: 'draft' },
      after: { status: 'drawn', seed: p.seed, algorithm: p.algorithm, frameDigest: summary.digest, villages: draw.villages.length, households: draw.households.length },
    });
    return summary;
  });
  return { ...(await getPlan(ctx, planId)), frameSummary: summary };
}
