// The sampling frame of a plan, read from the register at draw time (issue 8):
//   stage 1 — every village of the county, in stratum <township code>/<poor|nonPoor>. A village is
//     poor (贫困村) when the plan names it in poorVillages; a plan without that list counts a village
//     poor when it has at least one registered (建档立卡) household with a yearly record of the
//     plan's year. Counties should give the official list; the derived rule is said in the frame.
//   stage 2 — in each village: exited (脱贫标志 1 or 4 that year) and remaining (0 or 3) register
//     households, by id; and the non-registered rural households, which the register does not
//     hold: M = rural households of the village that year (area_populations) − registered
//     households with a record that year; unit k (<village>-NR00000k) is the k-th non-registered household
//     on the village's household roster, found in the field from the route sheet.
// The frame (ids and sizes, canonical JSON) is hashed with sha256 and kept with the plan.
import { createHash } from 'node:crypto';
import { compareCodePoints } from '../../domain/assessment/random.js';
import type { Sql } from '../../db/client.js';
import { villageStratum, type StratumFrame, type VillageKind } from '../../domain/assessment/sampling.js';
import type { RegisterRecord } from '../../domain/assessment/survey.js';
import type { Msg } from '../../domain/errors.js';

export interface FrameVillage {
  code: string;
  name: string;
  townshipCode: string;
  townshipName: string;
  kind: VillageKind;
  exited: { id: string; size: number }[];
  remaining: { id: string; size: number }[];
  /** M, the number of non-registered rural households; null when the village has no population for the year. */
  nonRegistered: number | null;
}

export interface PlanFrame {
  villages: FrameVillage[];
  poorRule: Msg;
  /** Villages without a rural population for the year: their non-registered stratum is empty. */
  missingPopulation: string[];
  /** Each register household's yearly record at draw time, by id (kept with the sampled households). */
  records: Map<string, RegisterRecord>;
}

/** The stored, canonical frame: villages in code order, unit ids in code-point order with their sizes. */
export interface FrameUnits {
  villages: { code: string; township: string; kind: VillageKind; exited: [string, number][]; remaining: [string, number][]; nonRegistered: number | null }[];
}

/** Unit ids are unique across the whole draw, so a non-registered unit carries its village: 150524100001-NR000017. */
export const nrId = (village: string, k: number) => `${village}-NR${String(k).padStart(6, '0')}`;
export const rosterNoOf = (unitId: string): number | null => {
  const m = /-NR(\d{6})$/.exec(unitId);
  return m ? Number(m[1]) : null;
};

export async function readFrame(db: Pick<Sql, 'query'>, county: string, year: number, poorVillages: string[] | null): Promise<PlanFrame> {
  const [villages, households, pops] = [
    await db.query<{ code: string; name: string; townshipCode: string; townshipName: string }>(
      `SELECT v.code, v.name, t.code AS "townshipCode", t.name AS "townshipName"
         FROM areas v JOIN areas t ON t.code = v.parent_code
        WHERE v.level = 5 AND v.code LIKE $1 ORDER BY v.code`,
      [`${county}%`],
    ),
    await db.query<{ village: string; id: number; size: number; status: string } & Omit<RegisterRecord, 'householdSize' | 'status'>>(
      `SELECT h.village_code AS village, h.id, y.household_size AS size, y.status, y.per_capita_income AS "perCapitaIncome",
              y.food_secure AS "foodSecure", y.clothing_secure AS "clothingSecure", y.education_secure AS "educationSecure",
              y.medical_secure AS "medicalSecure", y.housing_secure AS "housingSecure", y.water_secure AS "waterSecure"
         FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
        WHERE y.county_code = $1 AND y.year = $2`,
      [county, year],
    ),
    await db.query<{ code: string; households: number }>(
      `SELECT p.area_code AS code, p.rural_households AS households FROM area_populations p WHERE p.year = $1 AND p.area_code LIKE $2 AND length(p.area_code) = 12`,
      [year, `${county}%`],
    ),
  ];
  const byVillage = new Map<string, { exited: { id: string; size: number }[]; remaining: { id: string; size: number }[] }>();
  const records = new Map<string, RegisterRecord>();
  for (const h of households) {
    records.set(String(h.id), {
      householdSize: Number(h.size), perCapitaIncome: h.perCapitaIncome === null ? null : Number(h.perCapitaIncome), status: h.status,
      foodSecure: h.foodSecure, clothingSecure: h.clothingSecure, educationSecure: h.educationSecure, medicalSecure: h.medicalSecure, housingSecure: h.housingSecure, waterSecure: h.waterSecure,
    });
    let v = byVillage.get(h.village);
    if (!v) byVillage.set(h.village, (v = { exited: [], remaining: [] }));
    const unit = { id: String(h.id), size: Number(h.size) };
    if (h.status === '1' || h.status === '4') v.exited.push(unit);
    else if (h.status === '0' || h.status === '3') v.remaining.push(unit);
  }
  const popOf = new Map(pops.map((p) => [p.code, Number(p.households)]));
  const poorSet = poorVillages ? new Set(poorVillages) : null;
  const missingPopulation: string[] = [];
  const out: FrameVillage[] = villages.map((v) => {
    const hh = byVillage.get(v.code) ?? { exited: [], remaining: [] };
    const registered = hh.exited.length + hh.remaining.length;
    const rural = popOf.get(v.code);
    if (rural === undefined) missingPopulation.push(v.code);
    const kind: VillageKind = poorSet ? (poorSet.has(v.code) ? 'poor' : 'nonPoor') : registered > 0 ? 'poor' : 'nonPoor';
    return { ...v, kind, exited: hh.exited, remaining: hh.remaining, nonRegistered: rural === undefined ? null : Math.max(0, rural - registered) };
  });
  const poorRule: Msg = poorSet
    ? { zh: `贫困村按计划给出的名单（${poorSet.size} 个）`, en: `Poor villages as listed by the plan (${poorSet.size})` }
    : { zh: `计划未给出贫困村名单：有 ${year} 年建档立卡户记录的村计为贫困村（正式评估请给出官方贫困村名单）`, en: `The plan lists no poor villages: a village with registered households in ${year} counts as poor (give the official list for a real evaluation)` };
  return { villages: out, poorRule, missingPopulation, records };
}

/** Stage-1 frames: villages by township × kind. */
export function villageFrames(frame: Pick<PlanFrame, 'villages'>): StratumFrame[] {
  const m = new Map<string, { id: string; size: number }[]>();
  for (const v of frame.villages) {
    const s = villageStratum(v.townshipCode, v.kind);
    const list = m.get(s) ?? [];
    list.push({ id: v.code, size: v.exited.length + v.remaining.length + (v.nonRegistered ?? 0) });
    m.set(s, list);
  }
  return [...m].map(([stratum, units]) => ({ stratum, units }));
}

/** Stage-2 frames of every village. */
export function householdFrames(frame: Pick<PlanFrame, 'villages'>): Record<string, StratumFrame[]> {
  const out: Record<string, StratumFrame[]> = {};
  for (const v of frame.villages) {
    const nr = Array.from({ length: v.nonRegistered ?? 0 }, (_, i) => ({ id: nrId(v.code, i + 1) }));
    out[v.code] = [
      { stratum: 'exited', units: v.exited },
      { stratum: 'remaining', units: v.remaining },
      { stratum: 'nonRegistered', units: nr },
    ];
  }
  return out;
}

const byId = (a: { id: string }, b: { id: string }) => compareCodePoints(a.id, b.id);

/** The canonical frame that is stored with the plan and hashed. */
export function frameUnits(frame: Pick<PlanFrame, 'villages'>): FrameUnits {
  return {
    villages: [...frame.villages].sort((a, b) => compareCodePoints(a.code, b.code)).map((v) => ({
      code: v.code, township: v.townshipCode, kind: v.kind,
      exited: [...v.exited].sort(byId).map((u) => [u.id, u.size] as [string, number]),
      remaining: [...v.remaining].sort(byId).map((u) => [u.id, u.size] as [string, number]),
      nonRegistered: v.nonRegistered,
    })),
  };
}

/** sha256 (hex) of the canonical frame's JSON text, exactly as stored and exported. */
export function frameDigest(units: FrameUnits): string {
  return createHash('sha256').update(JSON.stringify(units)).digest('hex');
}

/** The frame back from its stored form (to re-run the draw). */
export function frameFromUnits(units: FrameUnits): Pick<PlanFrame, 'villages'> {
  return {
    villages: units.villages.map((v) => ({
      code: v.code, name: v.code, townshipCode: v.township, townshipName: v.township, kind: v.kind,
      exited: v.exited.map(([id, size]) => ({ id, size })), remaining: v.remaining.map(([id, size]) => ({ id, size })), nonRegistered: v.nonRegistered,
    })),
  };
}
