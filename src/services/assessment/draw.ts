// Drawing a plan's sample (issue 8): read the frame from the register, run the published two-stage
// draw (domain/assessment/sampling.ts), and freeze villages, households and weights with the
// frame's digest, in one audited transaction. A drawn plan never changes; a re-draw is a new plan.
import type { Sql } from '../../db/client.js';
import type { PlanSizes } from '../../domain/assessment/plan.js';
import { drawTwoStage, type TwoStageDraw } from '../../domain/assessment/sampling.js';
import { Conflict } from '../../domain/errors.js';
import { audit, require, type Ctx } from '../context.js';
import { planFor, type PlanRow } from './access.js';
import { frameDigest, frameFromUnits, frameUnits, householdFrames, readFrame, rosterNoOf, villageFrames, type FrameUnits, type PlanFrame } from './frame.js';
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

export function drawFromFrame(seed: string, sizes: PlanSizes, frame: Pick<PlanFrame, 'villages'> & Partial<Pick<PlanFrame, 'poorRule' | 'missingPopulation'>>): { draw: TwoStageDraw; summary: FrameSummary; units: FrameUnits } {
  const vFrames = villageFrames(frame);
  const v = villageSizes(sizes, vFrames);
  const draw = drawTwoStage({
    seed,
    villages: { frames: vFrames, sizes: v.sizes },
    households: { frames: householdFrames(frame), sizes: { ...sizes.households }, shortfall: 'takeAll' },
  });
  const units = frameUnits(frame);
  const summary: FrameSummary = {
    digest: frameDigest(units),
    poorRule: frame.poorRule ?? { zh: '', en: '' },
    missingPopulation: frame.missingPopulation ?? [],
    villageStrata: draw.villageStrata.map((s) => ({ stratum: s.stratum, populationSize: s.populationSize, requestedSize: v.requested[s.stratum] ?? s.requestedSize, sampleSize: s.sampleSize, capped: s.sampleSize < (v.requested[s.stratum] ?? 0) })),
    cappedHouseholdStrata: draw.villages.flatMap((c) => c.strata.filter((s) => s.capped).map((s) => ({ village: c.village, stratum: s.stratum, populationSize: s.populationSize, requestedSize: s.requestedSize }))),
    villages: frame.villages.length,
    registerHouseholds: frame.villages.reduce((n, x) => n + x.exited.length + x.remaining.length, 0),
  };
  return { draw, summary, units };
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
      record: roster === null ? JSON.stringify(frame.records.get(h.id) ?? null) : null,
      order: h.order, M: s.populationSize, m: s.sampleSize, num: h.weightFraction.num, den: h.weightFraction.den,
    };
  });
  await tx.query(
    `INSERT INTO assessment_samples (county_code, plan_id, village_code, village_stratum, stratum, unit_id, household_id, roster_no, register_size, draw_order, population_size, sample_size, weight_num, weight_den, register_record)
     SELECT $1, $2, v, vs, s, u, h, r, z, o, bm, sm, wn, wd, rr::jsonb
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::bigint[], $14::bigint[], $15::text[])
         AS t(v, vs, s, u, h, r, z, o, bm, sm, wn, wd, rr)`,
    [
      p.countyCode, p.id,
      cols.map((c) => c.village), cols.map((c) => c.vs), cols.map((c) => c.stratum), cols.map((c) => c.unit), cols.map((c) => c.household),
      cols.map((c) => c.roster), cols.map((c) => c.size), cols.map((c) => c.order), cols.map((c) => c.M), cols.map((c) => c.m),
      cols.map((c) => c.num), cols.map((c) => c.den), cols.map((c) => c.record),
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
    // A re-draw supersedes the plan it replaces: that plan must still be drawn and open (locked, so a close cannot race it).
    if (p.replacesPlanId !== null) {
      const [old] = await tx.query<{ status: string }>(`SELECT status FROM assessment_plans WHERE county_code = $1 AND id = $2 FOR UPDATE`, [p.countyCode, p.replacesPlanId]);
      if (old?.status !== 'drawn') {
        throw new Conflict(
          { zh: `计划 ${p.id} 要取代的计划 ${p.replacesPlanId} 已不是“已抽样”状态（${old ? PLAN_STATUS_LABELS[old.status as keyof typeof PLAN_STATUS_LABELS].zh : '不存在'}），不能再抽；请新建计划`, en: `Plan ${p.id} would replace plan ${p.replacesPlanId}, which is no longer drawn (${old ? PLAN_STATUS_LABELS[old.status as keyof typeof PLAN_STATUS_LABELS].en : 'missing'}); create a new plan instead` },
          { replaces: p.replacesPlanId, status: old?.status ?? null },
        );
      }
    }
    const frame = await readFrame(tx, p.countyCode, Number(p.year), p.poorVillages);
    const { draw, summary, units } = drawFromFrame(p.seed, p.sizes as PlanSizes, frame);
    await writeDraw(tx, p, draw, frame);
    await tx.query(
      `UPDATE assessment_plans SET status = 'drawn', frame = $3::jsonb, frame_digest = $4, frame_units = $6::jsonb, drawn_at = now(), drawn_by = $5, version = version + 1, updated_at = now()
        WHERE county_code = $1 AND id = $2`,
      [p.countyCode, p.id, JSON.stringify(summary), summary.digest, ctx.actor.username, JSON.stringify(units)],
    );
    if (p.replacesPlanId !== null) {
      await tx.query(`UPDATE assessment_plans SET status = 'superseded', version = version + 1, updated_at = now() WHERE county_code = $1 AND id = $2`, [p.countyCode, p.replacesPlanId]);
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

export interface DrawCheck {
  planId: number;
  seed: string;
  algorithm: string;
  frameDigest: string | null;
  /** sha256 of the stored frame recomputed now: equal to frameDigest unless the stored frame was altered. */
  recomputedDigest: string;
  /** The stored sample equals a fresh draw from the stored frame and the published seed. */
  matches: boolean;
  households: number;
  differences: string[];
}

/** Re-runs the draw from the stored frame and the published seed and compares it with the stored sample. */
export async function verifyDraw(ctx: Ctx, planId: number): Promise<DrawCheck> {
  const p = await planFor(ctx.db, ctx, planId, 'read');
  if (p.status === 'draft') throw new Conflict({ zh: `计划 ${p.id} 还没有抽样，无可核验`, en: `Plan ${p.id} has not been drawn yet; there is nothing to verify` });
  const [row] = await ctx.db.query<{ units: FrameUnits }>('SELECT frame_units AS units FROM assessment_plans WHERE county_code = $1 AND id = $2', [p.countyCode, p.id]);
  // jsonb does not keep key order: rebuild the canonical form before hashing.
  const units = frameUnits(frameFromUnits(row!.units));
  const { draw } = drawFromFrame(p.seed, p.sizes as PlanSizes, frameFromUnits(units));
  const stored = await ctx.db.query<{ v: string; s: string; u: string; n: number; d: number }>(
    `SELECT village_code AS v, stratum AS s, unit_id AS u, weight_num AS n, weight_den AS d FROM assessment_samples WHERE county_code = $1 AND plan_id = $2`,
    [p.countyCode, p.id],
  );
  const key = (v: string, s: string, u: string, n: number, d: number) => `${v}/${s}/${u}@${n}/${d}`;
  const a = new Set(stored.map((r) => key(r.v, r.s, r.u, Number(r.n), Number(r.d))));
  const b = new Set(draw.households.map((h) => key(h.village, h.householdStratum, h.id, h.weightFraction.num, h.weightFraction.den)));
  const differences = [...[...a].filter((x) => !b.has(x)).map((x) => `stored only: ${x}`), ...[...b].filter((x) => !a.has(x)).map((x) => `re-drawn only: ${x}`)];
  return {
    planId: Number(p.id), seed: p.seed, algorithm: p.algorithm, frameDigest: p.frameDigest, recomputedDigest: frameDigest(units),
    matches: differences.length === 0 && frameDigest(units) === p.frameDigest, households: stored.length, differences: differences.slice(0, 50),
  };
}

/** The stored frame with the seed, algorithm and sizes: everything needed to re-run the draw elsewhere. */
export async function exportFrame(ctx: Ctx, planId: number): Promise<{ planId: number; countyCode: string; year: number; seed: string; algorithm: string; sizes: PlanSizes; frameDigest: string | null; frame: FrameUnits | null }> {
  const p = await planFor(ctx.db, ctx, planId, 'read');
  const [row] = await ctx.db.query<{ units: FrameUnits | null }>('SELECT frame_units AS units FROM assessment_plans WHERE county_code = $1 AND id = $2', [p.countyCode, p.id]);
  // Canonical key order, so sha256(JSON.stringify(frame)) equals frameDigest.
  return { planId: Number(p.id), countyCode: p.countyCode, year: Number(p.year), seed: p.seed, algorithm: p.algorithm, sizes: p.sizes as PlanSizes, frameDigest: p.frameDigest, frame: row?.units ? frameUnits(frameFromUnits(row.units)) : null };
}
