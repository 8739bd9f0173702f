// `jingzhun seed` writes assistance data beside the register (PGlite, or PostgreSQL with
// DATABASE_URL): shares within range, references whole (the bulk load skips foreign-key
// triggers, so they are checked here), money within the yearly record and the budgets,
// determinism under --replace, and clean-up. On a shared PostgreSQL database it takes the
// first of three non-poverty counties that has no households and deletes what it wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { parseIdNumber } from '../src/domain/idnumber.js';
import { BUILTIN_MEASURE_TYPES } from '../src/domain/assistance/catalogue.js';
import { seedRegister } from '../src/services/seed.js';
import { ASSISTANCE_TABLES, deleteAssistance } from '../src/services/seed-assistance.js';
import { openId, openPhone } from '../src/services/pii.js';
import { engineName, testDb } from './support/db.js';

let db: Db;
let county = '';
const PEOPLE = 5_000;
const SEED = 2014;

async function cleanUp() {
  if (!county) return;
  await db.transaction(async (tx) => {
    await deleteAssistance(tx, [county]);
    await tx.query(`DELETE FROM households WHERE county_code = $1`, [county]);
    await tx.query(`DELETE FROM area_populations WHERE area_code LIKE $1 || '%' AND synthetic`, [county]);
  });
}

const one = async <T>(sql: string, params: unknown[] = [county]) => (await db.query<T>(sql, params))[0]!;

/**
 * The county's assistance data as comparable text: references by ID number, household number and name, not by id.
 * ID numbers and phones are read sealed (`id_number`, `member`, `phone` below hold id_enc / phone_enc) and opened
 * here; sealing is deterministic, so ordering by the sealed value is as stable as ordering by the number.
 */
async function snapshot(): Promise<string> {
  const q = async (sql: string) =>
    (await db.query<Record<string, unknown>>(sql, [county])).map((r) => {
      const o = { ...r };
      for (const k of ['id_number', 'member']) if (typeof o[k] === 'string') o[k] = openId(o[k] as string);
      if ('phone' in o) o.phone = openPhone(o.phone as string | null);
      return o;
    });
  return JSON.stringify({
    units: await q(`SELECT name, kind, level, contact_name, contact_phone FROM assistance_units WHERE county_code = $1 ORDER BY name`),
    cadres: await q(`SELECT c.id_enc AS id_number, c.name, u.name AS unit, c.position, c.phone_enc AS phone, c.active FROM cadres c
                       JOIN assistance_units u ON u.county_code = c.county_code AND u.id = c.unit_id WHERE c.county_code = $1 ORDER BY c.id_enc`),
    teams: await q(`SELECT t.village_code, t.started_on::text, t.ended_on::text, c.id_enc AS id_number, m.role, m.started_on::text AS m_start
                      FROM work_teams t JOIN work_team_members m ON m.county_code = t.county_code AND m.team_id = t.id
                      JOIN cadres c ON c.county_code = m.county_code AND c.id = m.cadre_id
                     WHERE t.county_code = $1 ORDER BY 1, 2, 4`),
    pairings: await q(`SELECT h.household_no, c.id_enc AS id_number, p.started_on::text, p.ended_on::text, p.end_reason FROM pairings p
                         JOIN households h ON h.county_code = p.county_code AND h.id = p.household_id
                         JOIN cadres c ON c.county_code = p.county_code AND c.id = p.cadre_id WHERE p.county_code = $1 ORDER BY 1, 3`),
    visits: await q(`SELECT h.household_no, c.id_enc AS id_number, v.visited_on::text, v.kind, v.findings, v.follow_ups, v.follow_up_due::text FROM visits v
                       JOIN households h ON h.county_code = v.county_code AND h.id = v.household_id
                       LEFT JOIN cadres c ON c.county_code = v.county_code AND c.id = v.cadre_id WHERE v.county_code = $1 ORDER BY 1, 3, 2`),
    plans: await q(`SELECT h.household_no, p.needs, p.agreed_measures::text, p.target_income, p.next_review_on::text FROM household_plans p
                      JOIN households h ON h.county_code = p.county_code AND h.id = p.household_id WHERE p.county_code = $1 ORDER BY 1`),
    measures: await q(`SELECT h.household_no, mb.id_enc AS member, m.type_code, m.year, m.given_on::text, m.quantity, m.amount, pr.name AS project,
                              m.fund_source, m.income_component, a.name AS asset, ai.quarter
                         FROM measures m JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id
                         LEFT JOIN members mb ON mb.county_code = m.county_code AND mb.id = m.member_id
                         LEFT JOIN projects pr ON pr.county_code = m.county_code AND pr.id = m.project_id
                         LEFT JOIN asset_incomes ai ON ai.county_code = m.county_code AND ai.id = m.asset_income_id
                         LEFT JOIN assets a ON a.county_code = ai.county_code AND a.id = ai.asset_id
                        WHERE m.county_code = $1 ORDER BY 1, 3, 2, 5, 7`),
    projects: await q(`SELECT p.name, p.status, p.village_codes, p.disclosed_on::text,
                              (SELECT string_agg(fund_source || ':' || amount, ',' ORDER BY fund_source) FROM project_budgets b WHERE b.county_code = p.county_code AND b.project_id = p.id) AS budgets,
                              (SELECT string_agg(paid_on || ':' || amount, ',' ORDER BY paid_on, amount) FROM disbursements d WHERE d.county_code = p.county_code AND d.project_id = p.id) AS paid,
                              (SELECT string_agg(h.household_no || ':' || b.link_kind || ':' || b.expected_benefit, ',' ORDER BY h.household_no) FROM project_beneficiaries b
                                 JOIN households h ON h.county_code = b.county_code AND h.id = b.household_id WHERE b.county_code = p.county_code AND b.project_id = p.id) AS beneficiaries
                         FROM projects p WHERE p.county_code = $1 ORDER BY p.year, p.name`),
    assets: await q(`SELECT a.village_code, a.kind, a.name, a.capacity, a.value, i.year, i.quarter, i.amount FROM assets a
                       LEFT JOIN asset_incomes i ON i.county_code = a.county_code AND i.asset_id = a.id WHERE a.county_code = $1 ORDER BY 1, 2, 3, 6, 7`),
  });
}

beforeAll(async () => {
  db = await testDb();
  for (const c of ['150526', '150523', '150502']) {
    const [n] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM households WHERE county_code = $1`, [c]);
    if (!n?.n) {
      county = c;
      break;
    }
  }
  if (!county) throw new Error('every candidate county already has households in this database');
});

afterAll(async () => {
  await cleanUp();
  await db?.close();
});

describe(`seed: assistance data (${engineName})`, () => {
  let counts: Record<string, number> = {};

  it('writes every assistance table and reports the row counts', async () => {
    const r = await seedRegister(db, { people: PEOPLE, seed: SEED, countyCode: county });
    expect(r.members).toBe(PEOPLE);
    counts = r.assistance as Record<string, number>;
    for (const t of ASSISTANCE_TABLES) {
      const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE county_code = $1`);
      expect(n, t).toBe(counts[t]);
      expect(n, t).toBeGreaterThan(0);
    }
    expect(r.assistanceSeconds).toBeGreaterThan(0);
    // Volumes a county would have: a few visits and measures per household, not dozens.
    expect(counts.visits! / r.households).toBeLessThan(4);
    expect(counts.measures! / r.households).toBeLessThan(7);
  });

  it('pairs 98–99% of registered households, one open pairing each, about one cadre per 4–5 households, all within the county', async () => {
    const s = await one<{ registered: number; paired: number; cadres: number; twice: number }>(
      `SELECT count(*) FILTER (WHERE h.exit_status IN ('0', '1', '3'))::int AS registered,
              count(*) FILTER (WHERE h.exit_status IN ('0', '1', '3') AND EXISTS (
                SELECT 1 FROM pairings p WHERE p.county_code = h.county_code AND p.household_id = h.id AND p.ended_on IS NULL))::int AS paired,
              (SELECT count(DISTINCT cadre_id)::int FROM pairings WHERE county_code = $1 AND ended_on IS NULL) AS cadres,
              (SELECT count(*)::int FROM (SELECT household_id FROM pairings WHERE county_code = $1 AND ended_on IS NULL GROUP BY household_id HAVING count(*) > 1) d) AS twice
         FROM households h WHERE h.county_code = $1`,
    );
    expect(s.twice).toBe(0);
    expect(s.paired / s.registered).toBeGreaterThanOrEqual(0.98);
    expect(s.paired / s.registered).toBeLessThanOrEqual(0.99);
    expect(s.paired / s.cadres).toBeGreaterThan(3.5);
    expect(s.paired / s.cadres).toBeLessThan(5.5);
    // Cadre and household of every pairing and visit belong to this county (ids are global, so join by id alone).
    const stray = await one<{ n: number }>(
      `SELECT (SELECT count(*)::int FROM pairings p JOIN cadres c ON c.id = p.cadre_id JOIN households h ON h.id = p.household_id
                WHERE p.county_code = $1 AND (c.county_code <> $1 OR h.county_code <> $1 OR h.village_code NOT LIKE $1 || '%'))
            + (SELECT count(*)::int FROM visits v JOIN cadres c ON c.id = v.cadre_id WHERE v.county_code = $1 AND c.county_code <> $1) AS n`,
    );
    expect(stray.n).toBe(0);
  });

  it('leaves no dangling reference (the bulk load skipped the foreign-key triggers)', async () => {
    const { n } = await one<{ n: number }>(
      `SELECT (SELECT count(*)::int FROM cadres c WHERE county_code = $1 AND NOT EXISTS (SELECT 1 FROM assistance_units u WHERE u.county_code = c.county_code AND u.id = c.unit_id))
            + (SELECT count(*)::int FROM pairings p WHERE county_code = $1 AND NOT EXISTS (SELECT 1 FROM cadres c WHERE c.county_code = p.county_code AND c.id = p.cadre_id))
            + (SELECT count(*)::int FROM pairings p WHERE county_code = $1 AND NOT EXISTS (SELECT 1 FROM households h WHERE h.county_code = p.county_code AND h.id = p.household_id))
            + (SELECT count(*)::int FROM visits v WHERE county_code = $1 AND cadre_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cadres c WHERE c.county_code = v.county_code AND c.id = v.cadre_id))
            + (SELECT count(*)::int FROM household_plans p WHERE county_code = $1 AND cadre_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cadres c WHERE c.county_code = p.county_code AND c.id = p.cadre_id))
            + (SELECT count(*)::int FROM work_team_members m WHERE county_code = $1 AND NOT EXISTS (SELECT 1 FROM cadres c WHERE c.county_code = m.county_code AND c.id = m.cadre_id))
            + (SELECT count(*)::int FROM work_team_members m WHERE county_code = $1 AND NOT EXISTS (SELECT 1 FROM work_teams t WHERE t.county_code = m.county_code AND t.id = m.team_id))
            + (SELECT count(*)::int FROM measures m WHERE county_code = $1 AND NOT EXISTS (SELECT 1 FROM measure_types t WHERE t.code = m.type_code))
            + (SELECT count(*)::int FROM measures m WHERE county_code = $1 AND project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.county_code = m.county_code AND p.id = m.project_id))
            + (SELECT count(*)::int FROM measures m WHERE county_code = $1 AND asset_income_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM asset_incomes a WHERE a.county_code = m.county_code AND a.id = m.asset_income_id))
            + (SELECT count(*)::int FROM measures m WHERE county_code = $1 AND member_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM members x WHERE x.county_code = m.county_code AND x.id = m.member_id AND x.household_id = m.household_id))
            + (SELECT count(*)::int FROM disbursements d WHERE county_code = $1 AND NOT EXISTS (SELECT 1 FROM project_budgets b WHERE b.county_code = d.county_code AND b.project_id = d.project_id AND b.fund_source = d.fund_source))
            + (SELECT count(*)::int FROM project_beneficiaries b WHERE county_code = $1 AND NOT EXISTS (SELECT 1 FROM households h WHERE h.county_code = b.county_code AND h.id = b.household_id))
            + (SELECT count(*)::int FROM assets a WHERE county_code = $1 AND project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.county_code = a.county_code AND p.id = a.project_id))
            + (SELECT count(*)::int FROM asset_incomes i WHERE county_code = $1 AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.county_code = i.county_code AND a.id = i.asset_id)) AS n`,
    );
    expect(n).toBe(0);
    // Measures given to a member name one.
    const memberTypes = BUILTIN_MEASURE_TYPES.filter((t) => t.target === 'member').map((t) => t.code);
    const { missing } = await one<{ missing: number }>(`SELECT count(*)::int AS missing FROM measures WHERE county_code = $1 AND type_code = ANY($2::text[]) AND member_id IS NULL`, [county, memberTypes]);
    expect(missing).toBe(0);
  });

  it('gives cadres valid adult IDs; exactly the chosen few are registered members', async () => {
    const cadres = (await db.query<{ id_enc: string; name: string; member: string | null }>(
      `SELECT c.id_enc, c.name, (SELECT m.name FROM members m WHERE m.id_hash = c.id_hash LIMIT 1) AS member FROM cadres c WHERE c.county_code = $1`,
      [county],
    )).map(({ id_enc, ...c }) => ({ ...c, id_number: openId(id_enc) }));
    expect(cadres.length).toBeGreaterThanOrEqual(200);
    for (const c of cadres) {
      const r = parseIdNumber(c.id_number);
      expect(r.ok, c.id_number).toBe(true);
      if (r.ok) expect(2025 - Number(r.id.birthDate.slice(0, 4))).toBeGreaterThanOrEqual(18);
    }
    const registered = cadres.filter((c) => c.member !== null);
    expect(registered.length).toBe(Math.max(1, Math.round((cadres.length - registered.length) / 2000)));
    for (const c of registered) expect(c.member).toBe(c.name);
  });

  it('keeps measures within the yearly record’s income components and payments within budgets', async () => {
    const over = await db.query(
      `SELECT x.household_id, x.year, x.income_component, x.s FROM (
         SELECT household_id, year, income_component, sum(amount) AS s FROM measures
          WHERE county_code = $1 AND income_component <> 'none' GROUP BY 1, 2, 3) x
       JOIN household_years y ON y.county_code = $1 AND y.household_id = x.household_id AND y.year = x.year
      WHERE x.s > CASE x.income_component WHEN 'wage' THEN y.wage_income WHEN 'production' THEN y.production_income
                   WHEN 'property' THEN y.property_income WHEN 'transfer' THEN y.transfer_income ELSE y.non_counting_income END`,
      [county],
    );
    expect(over).toEqual([]);
    const beyond = await db.query(
      `SELECT b.project_id, b.fund_source, b.amount, coalesce(sum(d.amount), 0) AS paid FROM project_budgets b
         LEFT JOIN disbursements d ON d.county_code = b.county_code AND d.project_id = b.project_id AND d.fund_source = b.fund_source
        WHERE b.county_code = $1 GROUP BY 1, 2, 3 HAVING coalesce(sum(d.amount), 0) > b.amount`,
      [county],
    );
    expect(beyond).toEqual([]);
    const { channels } = await one<{ channels: number }>(
      `SELECT count(DISTINCT t.channel)::int AS channels FROM measures m JOIN measure_types t ON t.code = m.type_code WHERE m.county_code = $1`,
    );
    expect(channels).toBeGreaterThanOrEqual(8);
  });

  it('is deterministic: replacing with the same seed gives the same rows; another seed does not', async () => {
    const a = await snapshot();
    const again = await seedRegister(db, { people: PEOPLE, seed: SEED, countyCode: county, replace: true });
    expect(again.assistance).toEqual(counts);
    expect(await snapshot()).toBe(a);
    await seedRegister(db, { people: PEOPLE, seed: SEED + 1, countyCode: county, replace: true });
    expect(await snapshot()).not.toBe(a);
    // --replace left one county's worth, not two.
    const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT household_id FROM pairings WHERE county_code = $1 AND ended_on IS NULL GROUP BY household_id HAVING count(*) > 1) d`);
    expect(n).toBe(0);
  });
});
