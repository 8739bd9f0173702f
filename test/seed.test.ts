// `jingzhun seed` on a real database (PGlite, or PostgreSQL with DATABASE_URL): counts, the
// exit rule computed in SQL, determinism, the refusal to mix with existing data, and clean-up.
// On a shared PostgreSQL database it uses the first national poverty county that has no
// households, and deletes what it wrote at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { Conflict, ValidationError } from '../src/domain/errors.js';
import { crossCheckId, maskIdNumber, parseIdNumber } from '../src/domain/idnumber.js';
import { perCapitaNetIncome } from '../src/domain/income.js';
import { COUNTY_PROFILES, povertyLine } from '../src/domain/synth/index.js';
import { POPULATION_SOURCE, seedRegister } from '../src/services/seed.js';
import { deleteAssistance } from '../src/services/seed-assistance.js';
import { idHash, openId } from '../src/services/pii.js';
import { engineName, testDb } from './support/db.js';

let db: Db;
let county = '';
const PEOPLE = 5_000;
const SEED = 2014;

/** The county's register as comparable text: everything but generated ids and timestamps. */
async function snapshot(): Promise<string> {
  const h = await db.query(
    `SELECT household_no, village_code, group_name, attribute, exit_status, main_cause, other_causes, head_name,
            to_char(identified_on, 'YYYY-MM-DD') AS identified_on, exit_year, assistance_unit, responsible_cadre, relocated
       FROM households WHERE county_code = $1 ORDER BY household_no`,
    [county],
  );
  // ID numbers are sealed: compared opened, in their order.
  const m = (await db.query<Record<string, unknown> & { id_number: string }>(
    `SELECT h.household_no, m.name, m.id_enc AS id_number, m.relation, m.sex, to_char(m.birth_date, 'YYYY-MM-DD') AS birth, m.ethnicity,
            m.education, m.student_status, m.health, m.disability_grade, m.labour_ability, m.work_months
       FROM members m JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id
      WHERE m.county_code = $1`,
    [county],
  )).map((r) => ({ ...r, id_number: openId(r.id_number) })).sort((a, b) => (a.id_number < b.id_number ? -1 : a.id_number > b.id_number ? 1 : 0));
  const y = await db.query(
    `SELECT h.household_no, y.year, y.household_size, y.status, y.wage_income, y.production_income, y.property_income,
            y.transfer_income, y.production_costs, y.non_counting_income, y.per_capita_income, y.housing_secure, y.water_secure,
            y.farmland_mu, y.note
       FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
      WHERE y.county_code = $1 ORDER BY h.household_no, y.year`,
    [county],
  );
  const p = await db.query(
    `SELECT area_code, year, rural_people, rural_households FROM area_populations WHERE area_code LIKE $1 || '%' ORDER BY 1, 2`,
    [county],
  );
  return JSON.stringify({ h, m, y, p });
}

async function counts() {
  const [r] = await db.query<{ h: number; m: number; y: number }>(
    `SELECT (SELECT count(*)::int FROM households WHERE county_code = $1) AS h,
            (SELECT count(*)::int FROM members WHERE county_code = $1) AS m,
            (SELECT count(*)::int FROM household_years WHERE county_code = $1) AS y`,
    [county],
  );
  return r!;
}

async function cleanUp() {
  if (!county) return;
  await db.transaction((tx) => deleteAssistance(tx, [county]));
  await db.query(`DELETE FROM households WHERE county_code = $1`, [county]);
  await db.query(`DELETE FROM area_populations WHERE area_code LIKE $1 || '%' AND synthetic`, [county]);
}

beforeAll(async () => {
  db = await testDb();
  for (const c of ['150524', '150525', '150521', '150522']) {
    const [n] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM households WHERE county_code = $1`, [c]);
    if (!n?.n) {
      county = c;
      break;
    }
  }
  if (!county) throw new Error('every national poverty county already has households in this database');
});

afterAll(async () => {
  await cleanUp();
  await db?.close();
});

describe(`seedRegister (${engineName})`, () => {
  let first: Awaited<ReturnType<typeof seedRegister>>;

  it('writes the asked number of people into one county, with yearly records and populations', async () => {
    const phases = new Set<string>();
    first = await seedRegister(db, { people: PEOPLE, seed: SEED, countyCode: county, onProgress: (p) => phases.add(p) });
    expect(first.members).toBe(PEOPLE);
    expect(first.households).toBeGreaterThan(PEOPLE / 3.2);
    expect(first.households).toBeLessThan(PEOPLE / 2.6);
    expect(first.years).toBeGreaterThan(first.households * 9);
    expect(first.seconds).toBeGreaterThan(0);
    expect(await counts()).toEqual({ h: first.households, m: first.members, y: first.years });
    expect(phases).toContain('households');
    expect(phases).toContain('populations');

    // Every village has 2013–2025, each level above is the sum of its children, all marked synthetic.
    const [v] = await db.query<{ villages: number; rows: number; bad: number }>(
      `SELECT count(DISTINCT a.code)::int AS villages, count(*)::int AS rows,
              count(*) FILTER (WHERE NOT p.synthetic OR p.source IS DISTINCT FROM $2)::int AS bad
         FROM area_populations p JOIN areas a ON a.code = p.area_code WHERE a.level = 5 AND a.code LIKE $1 || '%'`,
      [county, POPULATION_SOURCE],
    );
    expect(v!.rows).toBe(v!.villages * 13);
    expect(v!.bad).toBe(0);
    const sums = await db.query<{ code: string; year: number; own: number; children: number }>(
      `SELECT a.code, p.year, p.rural_people AS own, sum(c.rural_people)::int AS children
         FROM areas a JOIN area_populations p ON p.area_code = a.code
         JOIN areas ca ON ca.parent_code = a.code JOIN area_populations c ON c.area_code = ca.code AND c.year = p.year
        WHERE a.code = $1 OR (a.level = 4 AND a.parent_code = $1)
        GROUP BY a.code, p.year, p.rural_people`,
      [county],
    );
    expect(sums.length).toBeGreaterThan(13);
    for (const s of sums) expect(s.own, `${s.code} ${s.year}`).toBe(s.children);
  });

  it('meets the exit rule in the county’s assessed year, computed in SQL from the register', async () => {
    const assessed = COUNTY_PROFILES[county]!.assessedYear!;
    const rows = await db.query<{ year: number; poor: number; rural: number }>(
      `SELECT p.year, p.rural_people AS rural,
              (SELECT coalesce(sum(y.household_size), 0)::int FROM household_years y
                WHERE y.county_code = $1 AND y.year = p.year AND y.status IN ('0', '3')) AS poor
         FROM area_populations p WHERE p.area_code = $1 ORDER BY p.year`,
      [county],
    );
    const at = (year: number) => rows.find((r) => r.year === year)!;
    expect(at(assessed).poor * 100).toBeLessThanOrEqual(3 * at(assessed).rural);
    expect(at(2014).poor * 100).toBeGreaterThan(8 * at(2014).rural);
    expect(at(2020).poor).toBe(0);
  });

  it('stores valid IDs and per-capita income from the domain function, below the line while poor', async () => {
    const members = await db.query<{ id_enc: string; id_hash: string; id_masked: string; legacy: boolean; sex: string; birth: string; village: string }>(
      `SELECT m.id_enc, m.id_hash, m.id_masked, (m.id_number IS NOT NULL OR m.phone IS NOT NULL) AS legacy, m.sex,
              to_char(m.birth_date, 'YYYY-MM-DD') AS birth, h.village_code AS village
         FROM members m JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id WHERE m.county_code = $1`,
      [county],
    );
    expect(members.length).toBe(PEOPLE);
    const bad = members.filter((m) => {
      const id = openId(m.id_enc);
      const r = parseIdNumber(id);
      return !r.ok || r.id.areaCode !== county || !m.village.startsWith(county) || crossCheckId(r.id, { sex: m.sex, birthDate: m.birth }).length > 0
        || m.id_hash !== idHash(id) || m.id_masked !== maskIdNumber(id) || m.legacy;
    });
    expect(bad).toEqual([]);
    const years = await db.query<Record<string, number> & { status: string }>(
      `SELECT year, status, household_size, wage_income, production_income, property_income, transfer_income, production_costs,
              non_counting_income, per_capita_income FROM household_years WHERE county_code = $1`,
      [county],
    );
    const wrong = years.filter((y) => {
      const pc = perCapitaNetIncome(
        { wage: y.wage_income!, production: y.production_income!, property: y.property_income!, transfer: y.transfer_income!, productionCosts: y.production_costs!, nonCounting: y.non_counting_income! },
        y.household_size!,
      );
      const line = povertyLine(y.year!);
      return pc !== y.per_capita_income || (y.status === '1' ? pc <= line : pc >= line);
    });
    expect(wrong).toEqual([]);
  });

  it('refuses to seed a county that already has households, writing nothing', async () => {
    const before = await counts();
    const err = await seedRegister(db, { people: 100, seed: 1, countyCode: county }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    const msg = (err as Conflict).msg;
    expect(msg.zh).toContain(county);
    expect(msg.zh).toContain('--replace');
    expect(msg.en).toContain('already has registered households');
    expect(await counts()).toEqual(before);
  });

  it('rejects bad arguments with bilingual messages', async () => {
    for (const opts of [
      { people: 0, seed: 1 },
      { people: 1.5, seed: 1 },
      { people: 10, seed: Number.NaN },
      { people: 10, seed: 1, countyCode: '15052' },
      { people: 10, seed: 1, countyCode: '659999' },
    ]) {
      const err = await seedRegister(db, opts).catch((e: unknown) => e);
      expect(err, JSON.stringify(opts)).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).msg.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('is deterministic: replacing with the same arguments gives the same register; another seed does not', async () => {
    const a = await snapshot();
    const again = await seedRegister(db, { people: PEOPLE, seed: SEED, countyCode: county, replace: true });
    expect(again.households).toBe(first.households);
    expect(await snapshot()).toBe(a);
    await seedRegister(db, { people: PEOPLE, seed: SEED + 1, countyCode: county, replace: true });
    const b = await snapshot();
    expect(b).not.toBe(a);
    expect((await counts()).m).toBe(PEOPLE);
  });

  it.skipIf(engineName === 'postgres')('rebuilds dropped indexes after a bulk load, and keeps uniqueness', async () => {
    const indexes = async () =>
      (await db.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE tablename IN ('households', 'members', 'household_years') ORDER BY indexname`)).map((r) => r.def);
    const before = await indexes();
    const r = await seedRegister(db, { people: 2_000, seed: 3, countyCode: county, replace: true, rebuildIndexes: true });
    expect(r.members).toBe(2_000);
    expect(await indexes()).toEqual(before);
    const [dup] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT id_hash FROM members WHERE county_code = $1 GROUP BY id_hash HAVING count(*) > 1) d`,
      [county],
    );
    expect(dup!.n).toBe(0);
    const plan = await db.query<{ plan: string }>(`EXPLAIN SELECT * FROM members WHERE id_hash = '${idHash('150524199001011234')}'`);
    expect(JSON.stringify(plan)).toMatch(/Index|Bitmap/);
  });
});
