// The sample of a plan as its evaluators see it: villages in draw order, and in each the households
// to visit (route sheet). Evaluators get what they need to find a household — household number,
// head's name, group, size — and never ID numbers or phones. Non-registered households are given by
// their position on the village's household roster.
import type { Sql } from '../../db/client.js';
import type { Msg } from '../../domain/errors.js';
import { HOUSEHOLD_STRATUM_LABELS, VILLAGE_KIND_LABELS } from '../../domain/assessment/plan.js';
import type { HouseholdStratum, VillageKind } from '../../domain/assessment/sampling.js';
import type { Ctx } from '../context.js';
import { planFor, type PlanRow } from './access.js';

export interface SampleHousehold {
  sampleId: number;
  stratum: HouseholdStratum;
  stratumLabel: Msg;
  drawOrder: number;
  householdId: number | null;
  householdNo: string | null;
  headName: string | null;
  groupName: string | null;
  registerSize: number | null;
  rosterNo: number | null;
  /** M_ik and m_ik, and the overall weight as an exact fraction and a number. */
  populationSize: number;
  sampleSize: number;
  weight: { num: number; den: number; value: number };
  /** null until a questionnaire is saved. */
  outcome: 'completed' | 'not_reached' | null;
  surveyVersion: number | null;
  discrepancies: number;
}

export interface SampleVillage {
  code: string;
  name: string;
  townshipCode: string;
  townshipName: string;
  stratum: string;
  kind: VillageKind;
  kindLabel: Msg;
  drawOrder: number;
  /** N_h and n_h of its stratum. */
  populationSize: number;
  sampleSize: number;
  households: SampleHousehold[];
}

export interface PlanSample {
  planId: number;
  countyCode: string;
  year: number;
  status: string;
  villages: SampleVillage[];
  totals: { villages: number; households: number; surveyed: number; notReached: number; pending: number };
}

export async function sampleOf(db: Pick<Sql, 'query'>, p: PlanRow, village?: string): Promise<PlanSample> {
  const vParams: unknown[] = [p.countyCode, p.id];
  const vCond = village ? ` AND v.village_code = $${vParams.push(village)}` : '';
  const villages = await db.query<Omit<SampleVillage, 'kindLabel' | 'households'>>(
    `SELECT v.village_code AS code, a.name, t.code AS "townshipCode", t.name AS "townshipName", v.stratum, v.kind, v.draw_order AS "drawOrder",
            v.population_size AS "populationSize", v.sample_size AS "sampleSize"
       FROM assessment_villages v JOIN areas a ON a.code = v.village_code JOIN areas t ON t.code = a.parent_code
      WHERE v.county_code = $1 AND v.plan_id = $2${vCond}
      ORDER BY t.code, v.kind DESC, v.draw_order`,
    vParams,
  );
  const rows = await db.query<Record<string, unknown>>(
    `SELECT s.id AS "sampleId", s.village_code AS village, s.stratum, s.draw_order AS "drawOrder", s.household_id AS "householdId",
            h.household_no AS "householdNo", h.head_name AS "headName", h.group_name AS "groupName", s.register_size AS "registerSize",
            s.roster_no AS "rosterNo", s.population_size AS "populationSize", s.sample_size AS "sampleSize", s.weight_num AS num, s.weight_den AS den,
            q.outcome, q.version AS "surveyVersion",
            (SELECT count(*)::int FROM assessment_discrepancies d WHERE d.county_code = s.county_code AND d.plan_id = s.plan_id AND d.sample_id = s.id) AS discrepancies
       FROM assessment_samples s
       LEFT JOIN households h ON h.county_code = s.county_code AND h.id = s.household_id
       LEFT JOIN assessment_surveys q ON q.county_code = s.county_code AND q.plan_id = s.plan_id AND q.sample_id = s.id
      WHERE s.county_code = $1 AND s.plan_id = $2${village ? ' AND s.village_code = $3' : ''}
      ORDER BY s.village_code, CASE s.stratum WHEN 'exited' THEN 0 WHEN 'remaining' THEN 1 ELSE 2 END, s.draw_order`,
    village ? [p.countyCode, p.id, village] : [p.countyCode, p.id],
  );
  const byVillage = new Map<string, SampleHousehold[]>();
  for (const r of rows) {
    const list = byVillage.get(String(r.village)) ?? [];
    const num = Number(r.num);
    const den = Number(r.den);
    const stratum = r.stratum as HouseholdStratum;
    list.push({
      sampleId: Number(r.sampleId), stratum, stratumLabel: HOUSEHOLD_STRATUM_LABELS[stratum], drawOrder: Number(r.drawOrder),
      householdId: r.householdId === null ? null : Number(r.householdId), householdNo: (r.householdNo as string | null) ?? null,
      headName: (r.headName as string | null) ?? null, groupName: (r.groupName as string | null) ?? null,
      registerSize: r.registerSize === null ? null : Number(r.registerSize), rosterNo: r.rosterNo === null ? null : Number(r.rosterNo),
      populationSize: Number(r.populationSize), sampleSize: Number(r.sampleSize), weight: { num, den, value: num / den },
      outcome: (r.outcome as SampleHousehold['outcome']) ?? null, surveyVersion: r.surveyVersion === null ? null : Number(r.surveyVersion),
      discrepancies: Number(r.discrepancies),
    });
    byVillage.set(String(r.village), list);
  }
  const out = villages.map((v) => ({ ...v, drawOrder: Number(v.drawOrder), populationSize: Number(v.populationSize), sampleSize: Number(v.sampleSize), kindLabel: VILLAGE_KIND_LABELS[v.kind], households: byVillage.get(v.code) ?? [] }));
  const all = out.flatMap((v) => v.households);
  return {
    planId: Number(p.id), countyCode: p.countyCode, year: Number(p.year), status: p.status, villages: out,
    totals: {
      villages: out.length, households: all.length,
      surveyed: all.filter((h) => h.outcome === 'completed').length,
      notReached: all.filter((h) => h.outcome === 'not_reached').length,
      pending: all.filter((h) => h.outcome === null).length,
    },
  };
}

/** The sample (route sheets) of a plan the actor is on, or that the city's supervisors may read. */
export async function getSample(ctx: Ctx, planId: number, village?: string): Promise<PlanSample> {
  const p = await planFor(ctx.db, ctx, planId, 'read');
  return sampleOf(ctx.db, p, village);
}
