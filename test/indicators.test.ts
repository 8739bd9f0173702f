// The rollups against the domain functions on the same households: a seeded county of 600 people,
// every year, every level; then single changes (an income, a deletion, a move, the poverty line)
// applied incrementally and compared with a full recomputation; then the API, scope and the
// households behind each figure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { seedRegister } from '../src/services/seed.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { analyseArea } from '../src/services/indicators/analysis.js';
import { figureHouseholds, getIndicators, type AreaFigures } from '../src/services/indicators/indicators.js';
import { incomeDistribution } from '../src/services/indicators/distribution.js';
import { refreshAll, refreshDirty } from '../src/services/indicators/rollup.js';
import { SUM_COLUMNS } from '../src/services/indicators/sql.js';
import { createUser } from '../src/services/users.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { resolve } from 'node:path';
import { openPglite } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { loadAreasFile } from '../src/services/areas.js';
import { testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let ctx: Ctx;
const PASSWORD = 'Test#Passw0rd';

/** The county's rollup rows (all levels at or below it), as text so numeric sums compare exactly. */
async function snapshot(): Promise<string[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT area_code, year, parent_code, line::text, ${SUM_COLUMNS.map((c) => `${c}::text`).join(', ')}
       FROM indicator_rollups WHERE area_code LIKE $1 ORDER BY area_code, year`,
    [`${area.countyCode}%`],
  );
  return rows.map((r) => JSON.stringify(r));
}

async function login(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  ctx = { actor: systemActor('test-indicators'), db };
  await seedRegister(db, { people: 600, seed: 11, countyCode: area.countyCode, replace: true, assistance: false });
  await refreshDirty(db);
}, 120_000);

afterAll(async () => {
  await app.close();
  await db.close();
});

const close = (a: number | null | undefined, b: number | null | undefined) => {
  if (a === null || a === undefined || b === null || b === undefined) expect(a ?? null).toBe(b ?? null);
  else expect(Math.abs(a - b)).toBeLessThan(1e-9);
};

describe('rollups', () => {
  it('give the domain functions’ FGT, Watts, mean and MPI for the county in every year', async () => {
    const ind = await getIndicators(ctx, { area: area.countyCode });
    expect(ind.trend.map((t) => t.year)).toEqual([...new Set(ind.trend.map((t) => t.year))].sort());
    expect(ind.trend.length).toBeGreaterThanOrEqual(5);
    let withLine = 0;
    for (const t of ind.trend) {
      const a = await analyseArea(ctx, { area: area.countyCode, year: t.year });
      expect(t.households).toBe(a.households);
      expect(t.people).toBe(a.people);
      expect(t.poorPeople).toBe(a.registeredPoorPeople);
      close(t.meanIncome, a.mean);
      if (a.fgt) {
        withLine++;
        close(t.fgt!.p0, a.fgt.p0);
        close(t.fgt!.p1, a.fgt.p1);
        close(t.fgt!.p2, a.fgt.p2);
        expect(t.fgt!.poorPeople).toBe(a.fgt.poorPeople);
        close(t.fgt!.watts, a.watts);
        // M0 = H·A, and the contributions add up to M0
        close(t.mpi!.M0, a.mpi!.M0);
        close(t.mpi!.H, a.mpi!.H);
        close(t.mpi!.A, a.mpi!.A);
        close(t.mpi!.H * t.mpi!.A, t.mpi!.M0);
        for (const i of t.mpi!.indicators) {
          const d = a.mpi!.indicators.find((x) => x.name === i.key)!;
          close(i.uncensored, d.uncensored);
          close(i.censored, d.censored);
        }
        close(t.mpi!.indicators.reduce((s, i) => s + i.contribution, 0), t.mpi!.M0);
      } else {
        // 2017 and 2018 have no published line (domain.md §5): no FGT, no MPI, and the reason
        expect(t.fgt).toBeNull();
        expect(t.mpi).toBeNull();
        expect(a.missing[0]!.zh).toContain('没有贫困线');
      }
    }
    expect(withLine).toBeGreaterThan(3);
  });

  it('add up: each township is the sum of its villages, the county of its townships', async () => {
    const year = (await getIndicators(ctx, { area: area.countyCode })).year!;
    const county = await getIndicators(ctx, { area: area.countyCode, year });
    const township = await getIndicators(ctx, { area: area.townshipCode, year });
    const sum = (xs: AreaFigures[], k: 'households' | 'people' | 'poorPeople') => xs.reduce((s, x) => s + x[k], 0);
    expect(county.children.map((c) => c.code)).toEqual([area.townshipCode]);
    expect(sum(county.children, 'people')).toBe(county.figures!.people);
    // the villages with records that year (the seed may leave one of the two empty)
    const villages = await db.query<{ v: string }>(
      `SELECT DISTINCT h.village_code AS v FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
        WHERE y.county_code = $1 AND y.year = $2 ORDER BY 1`,
      [area.countyCode, year],
    );
    expect(township.children.map((c) => c.code)).toEqual(villages.map((r) => r.v));
    for (const k of ['households', 'people', 'poorPeople'] as const) expect(sum(township.children, k)).toBe(township.figures![k]);
  });

  it('apply one changed income, a deletion and a move incrementally, equal to a full recomputation', async () => {
    const [h] = await db.query<{ id: number; year: number; v: string }>(
      `SELECT y.household_id AS id, y.year, h.village_code AS v FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
        WHERE y.county_code = $1 AND y.year = 2020 ORDER BY y.household_id LIMIT 1`,
      [area.countyCode],
    );
    const before = (await getIndicators(ctx, { area: area.countyCode, year: 2020 })).figures!;
    const [old] = await db.query<{ size: number; wage: number; version: number }>(
      'SELECT household_size AS size, wage_income AS wage, version FROM household_years WHERE county_code = $1 AND household_id = $2 AND year = 2020',
      [area.countyCode, h!.id],
    );
    await putHouseholdYear(ctx, h!.id, 2020, { wageIncome: Number(old!.wage) + 1000 * Number(old!.size), version: Number(old!.version) });
    const [marked] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM rollup_dirty WHERE village_code = $1', [h!.v]);
    expect(marked!.n).toBe(1);
    const after = (await getIndicators(ctx, { area: area.countyCode, year: 2020 })).figures!;
    // the mean moves by exactly 1,000 × size / people
    close(after.meanIncome! - before.meanIncome!, (1000 * Number(old!.size)) / before.people);

    // delete another household, move a third to the other village
    const others = await db.query<{ id: number; v: string }>('SELECT id, village_code AS v FROM households WHERE county_code = $1 AND id <> $2 ORDER BY id LIMIT 2', [area.countyCode, h!.id]);
    await db.query('DELETE FROM households WHERE county_code = $1 AND id = $2', [area.countyCode, others[0]!.id]);
    const target = others[1]!.v === area.villageCodes[0] ? area.villageCodes[1] : area.villageCodes[0];
    await db.query('UPDATE households SET village_code = $3 WHERE county_code = $1 AND id = $2', [area.countyCode, others[1]!.id, target]);
    const stats = await refreshDirty(db);
    expect(stats.villages).toBeGreaterThanOrEqual(1);
    const incremental = await snapshot();
    await refreshAll(db);
    expect(await snapshot()).toEqual(incremental);
  });

  it('recompute FGT and the MPI when the poverty line changes', async () => {
    const before = (await getIndicators(ctx, { area: area.countyCode, year: 2016 })).figures!;
    await db.query(`INSERT INTO policy_parameters (key, year, region, value, source) VALUES ('poverty_line', 2016, $1, 100000, 'test: a line no one reaches')`, [area.countyCode]);
    try {
      const after = (await getIndicators(ctx, { area: area.countyCode, year: 2016 })).figures!;
      expect(after.line).toBe(100000);
      expect(after.fgt!.p0).toBe(1);
      expect(after.fgt!.p0).toBeGreaterThanOrEqual(before.fgt!.p0);
    } finally {
      await db.query(`DELETE FROM policy_parameters WHERE key = 'poverty_line' AND region = $1`, [area.countyCode]);
    }
    const back = (await getIndicators(ctx, { area: area.countyCode, year: 2016 })).figures!;
    expect(back.fgt).toEqual(before.fgt);
  });
});

describe.runIf(!!process.env.DATABASE_URL)('both engines', () => {
  it('give the same digits in every rollup row for the same register', async () => {
    // the PostgreSQL pass has no PGlite template: migrate an in-memory one with Tongliao's areas
    const lite = await openPglite({});
    try {
      await migrate(lite);
      await loadAreasFile(lite, resolve('data/areas-tongliao.csv'));
      const other = await makeArea(db);
      const rows = await db.query<{ code: string; name: string; level: number; parent_code: string; county_code: string | null; is_western: boolean }>(
        'SELECT code, name, level, parent_code, county_code, is_western FROM areas WHERE code IN ($1, $2, $3, $4, $5) ORDER BY level',
        [other.cityCode, other.countyCode, other.townshipCode, ...other.villageCodes],
      );
      for (const r of rows) {
        await lite.query('INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING',
          [r.code, r.name, r.level, r.parent_code, r.county_code, r.is_western]);
      }
      for (const on of [db, lite]) {
        await seedRegister(on, { people: 400, seed: 23, countyCode: other.countyCode, replace: true, assistance: false });
        await refreshDirty(on);
      }
      const rowsOf = (on: Db) => on.query<Record<string, unknown>>(
        `SELECT area_code, year, parent_code, line::text, ${SUM_COLUMNS.map((c) => `${c}::text`).join(', ')}
           FROM indicator_rollups WHERE area_code LIKE $1 ORDER BY area_code, year`,
        [`${other.countyCode}%`],
      );
      const pg = await rowsOf(db);
      expect(pg.length).toBeGreaterThan(10);
      expect(await rowsOf(lite)).toEqual(pg);
    } finally {
      await lite.close();
    }
  }, 120_000);
});

describe.runIf(!!process.env.DATABASE_URL)('a refresh beside a writer (PostgreSQL)', () => {
  it('leaves the village of an uncommitted change marked, and counts the change once it commits', async () => {
    const [h] = await db.query<{ id: number; v: string }>(
      `SELECT y.household_id AS id, h.village_code AS v FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
        WHERE y.county_code = $1 AND y.year = 2020 ORDER BY y.household_id LIMIT 1`,
      [area.countyCode],
    );
    // the village is already marked (and committed) when the writer starts
    await db.query('INSERT INTO rollup_dirty (village_code) VALUES ($1) ON CONFLICT DO NOTHING', [h!.v]);
    const before = (await getIndicators(ctx, { area: area.countyCode, year: 2020 })).figures!;
    await db.query('INSERT INTO rollup_dirty (village_code) VALUES ($1) ON CONFLICT DO NOTHING', [h!.v]);
    let updated!: () => void;
    let commit!: () => void;
    const wrote = new Promise<void>((r) => (updated = r));
    const go = new Promise<void>((r) => (commit = r));
    const writer = db.transaction(async (tx) => {
      await tx.query('UPDATE household_years SET wage_income = wage_income + 7000 WHERE county_code = $1 AND household_id = $2 AND year = 2020', [area.countyCode, h!.id]);
      updated();
      await go;
    });
    await wrote;
    await refreshDirty(db); // does not wait for the writer, and leaves its village marked
    const [still] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM rollup_dirty WHERE village_code = $1', [h!.v]);
    expect(still!.n).toBe(1);
    commit();
    await writer;
    const after = (await getIndicators(ctx, { area: area.countyCode, year: 2020 })).figures!;
    expect(after.composition!.wage * after.people - before.composition!.wage * before.people).toBeCloseTo(7000, 6);
  });
});

describe('cached answers', () => {
  it('follow a new rural population and a renamed village at once', async () => {
    const first = await getIndicators(ctx, { area: area.countyCode, year: 2020 });
    expect(await getIndicators(ctx, { area: area.countyCode, year: 2020 })).toBe(first); // served from the cache
    await db.query(
      `INSERT INTO area_populations (area_code, year, rural_people, rural_households, source) VALUES ($1, 2020, 1000000, 300000, 'test')
       ON CONFLICT (area_code, year) DO UPDATE SET rural_people = 1000000`,
      [area.countyCode],
    );
    const after = (await getIndicators(ctx, { area: area.countyCode, year: 2020 })).figures!;
    expect(after.ruralPeople).toBe(1000000);
    close(after.incidence, after.poorPeople / 1000000);
    const v = (await getIndicators(ctx, { area: area.townshipCode, year: 2020 })).children[0]!.code;
    await db.query(`UPDATE areas SET name = '改名嘎查' WHERE code = $1`, [v]);
    const t = await getIndicators(ctx, { area: area.townshipCode, year: 2020 });
    expect(t.children.find((c) => c.code === v)!.name).toBe('改名嘎查');
  });
});

describe('the households behind a figure', () => {
  it('list exactly the households and people each figure counts', async () => {
    const f = (await getIndicators(ctx, { area: area.countyCode, year: 2020 })).figures!;
    const poor = await figureHouseholds(ctx, { area: area.countyCode, year: 2020, figure: 'poor', size: 500 });
    expect([poor.total, poor.people]).toEqual([f.poorHouseholds, f.poorPeople]);
    const past = await figureHouseholds(ctx, { area: area.countyCode, year: 2020, figure: 'poor', size: 10, page: 1000 });
    expect([past.total, past.people, past.rows]).toEqual([f.poorHouseholds, f.poorPeople, []]);
    const below = await figureHouseholds(ctx, { area: area.countyCode, year: 2020, figure: 'belowLine', size: 500 });
    expect(below.people).toBe(f.fgt!.poorPeople);
    expect(below.rows.every((r) => r.perCapitaIncome < below.line!)).toBe(true);
    const mpiPoor = await figureHouseholds(ctx, { area: area.countyCode, year: 2020, figure: 'mpiPoor', size: 500 });
    expect(mpiPoor.people).toBe(f.mpi!.poorPeople);
    expect(mpiPoor.rows.every((r) => r.score! >= 1 / 3 - 1e-9)).toBe(true);
    const water = await figureHouseholds(ctx, { area: area.countyCode, year: 2020, figure: 'deprived:water', size: 500 });
    close(water.people / f.mpi!.population, f.mpi!.indicators.find((i) => i.key === 'water')!.uncensored);
  });
});

describe('the income distribution', () => {
  it('adds up to the people and puts exactly FGT’s poor below the line', async () => {
    const f = (await getIndicators(ctx, { area: area.countyCode, year: 2020 })).figures!;
    const d = await incomeDistribution(ctx, { area: area.countyCode, year: 2020, bins: 15 });
    expect(d.people).toBe(f.people);
    expect(d.bins.reduce((s, b) => s + b.people, 0)).toBe(f.people);
    const below = d.bins.filter((b) => b.to !== null && b.to <= d.line!.value!).reduce((s, b) => s + b.people, 0);
    expect([d.belowLinePeople, below]).toEqual([f.fgt!.poorPeople, f.fgt!.poorPeople]);
    await expect(incomeDistribution(ctx, { area: area.countyCode, year: 2020, bins: 1 })).rejects.toThrow(/bins|输入有误/);
  });
});

describe('small cells for readers of aggregates only', () => {
  it('hide an area of fewer than 5 households from a researcher and say why; the county office sees it', async () => {
    const tiny = await makeArea(db);
    // 4 people make 1–4 households whatever the county code the factory drew (6 made 5 one-person households once).
    await seedRegister(db, { people: 4, seed: 3, countyCode: tiny.countyCode, replace: true, assistance: false });
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM households WHERE county_code = $1', [tiny.countyCode]);
    expect(n!.n).toBeGreaterThan(0);
    expect(n!.n).toBeLessThan(5);
    const researcher: Ctx = { db, actor: { id: null, username: `small${tiny.countyCode}`, role: 'researcher', areaCode: tiny.countyCode } };
    const office: Ctx = { db, actor: { id: null, username: `office${tiny.countyCode}`, role: 'county_office', areaCode: tiny.countyCode } };
    const seen = await getIndicators(office, { area: tiny.countyCode, year: 2020 });
    expect(seen.figures!.households).toBe(n!.n);
    expect(seen.suppressed).toBeNull();
    const hidden = await getIndicators(researcher, { area: tiny.countyCode, year: 2020 });
    expect(hidden.figures).toBeNull();
    expect(hidden.suppressed).toMatchObject({ own: true, minHouseholds: 5 });
    await expect(analyseArea(researcher, { area: tiny.countyCode, year: 2020 })).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'area', zh: expect.stringContaining('少于 5 户的区划不向只能查看汇总数据的角色公开') })],
    });
    await expect(incomeDistribution(researcher, { area: tiny.countyCode, year: 2020 })).rejects.toThrow();
  });

  it('refuses a histogram width too narrow for the incomes, naming the least width', async () => {
    await expect(incomeDistribution(ctx, { area: area.countyCode, year: 2020, width: 10 })).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'width', zh: expect.stringMatching(/组距 10 元太窄.*请用至少 \d+ 元/) })],
    });
  });
});

describe('API', () => {
  it('serves indicators to a researcher, the households behind them only to register readers', async () => {
    await createUser(ctx, { username: `ires${area.countyCode}`, password: PASSWORD, role: 'researcher', areaCode: area.countyCode });
    const cookie = await login(`ires${area.countyCode}`);
    const res = await app.inject({ method: 'GET', url: `/api/v1/indicators?year=2020`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().area.code).toBe(area.countyCode);
    expect(res.json().figures.fgt.p0).toBeGreaterThanOrEqual(0);
    const analysis = await app.inject({ method: 'GET', url: `/api/v1/indicators/analysis?year=2020&by=sex`, headers: { cookie } });
    expect(analysis.statusCode).toBe(200);
    expect(analysis.json().gini).toBeGreaterThan(0);
    expect(analysis.json().groups.length).toBeGreaterThanOrEqual(1);
    const hh = await app.inject({ method: 'GET', url: `/api/v1/indicators/households?year=2020&figure=poor`, headers: { cookie } });
    expect(hh.statusCode).toBe(403);
    const other = await app.inject({ method: 'GET', url: `/api/v1/indicators?area=150521&year=2020`, headers: { cookie } });
    expect(other.statusCode).toBe(404);
    const bad = await app.inject({ method: 'GET', url: `/api/v1/indicators?year=20x0`, headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('year');
    const badFigure = await app.inject({ method: 'GET', url: `/api/v1/indicators/households?year=2020&figure=rich`, headers: { cookie } });
    expect(badFigure.statusCode).toBe(400);
  });
});
