// Village and county exit panels and the county assessment through the API on the real database.
// A synthetic western county (province 15, bar 3%) in 2020:
//   village 1: 未脱贫 household of 3 people, rural population 100 → exactly 3.00% → passes
//   village 2: 返贫 household of 4 people + 已脱贫 household of 2, rural population 100 → 4.00% → fails
//   county: 7 poor of 1,000 rural → passes; 2021 has records but no population → unknown.
// A synthetic county elsewhere (province 44, the national 2%): 2/100 passes, 3/100 fails.
// The PostgreSQL test database is shared: this file writes only rows of its own synthetic areas.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { loadPopulations } from '../src/services/areas.js';
import { getOverview } from '../src/services/overview.js';
import { createUser } from '../src/services/users.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let other: TestArea;
let east: { county: string; village1: string; village2: string };
let ctx: Ctx;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};
const names: string[] = [];
const ids: string[] = [];

async function loginAs(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

let seq = 0;
/** A one-member household with yearly records: [year, status, household size]. */
async function household(village: string, status: string, years: [number, string, number][]) {
  seq += 1;
  const name = `出列测试${seq}`;
  const idNumber = makeIdNumber(village.slice(0, 6), `1970-01-${String(10 + seq).padStart(2, '0')}`, '1', seq);
  names.push(name);
  ids.push(idNumber);
  const h = await createHousehold(ctx, {
    household: { householdNo: householdNo('EX'), villageCode: village, attribute: '1', exitStatus: status, mainCause: '01', identifiedOn: '2014-05-01', exitYear: status === '0' ? null : 2019 },
    members: [{ name, idNumber, relation: '01', ethnicity: '01' }],
  });
  for (const [y, s, size] of years) await putHouseholdYear(ctx, h.id, y, { householdSize: size, status: s, wageIncome: 1000 * size });
  return h;
}

/** A county outside the west: province 44, city codes 4460–4499 (unused by NBS). */
async function makeEasternCounty(): Promise<{ county: string; village1: string; village2: string }> {
  for (;;) {
    const city = `44${randomInt(60, 100)}`;
    const county = `${city}${String(randomInt(1, 100)).padStart(2, '0')}`;
    if ((await db.query('SELECT 1 FROM areas WHERE code = $1', [county])).length) continue;
    const township = `${county}001`;
    await db.query(`INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES ($1, '东部测试市', 2, '44', NULL, false) ON CONFLICT (code) DO NOTHING`, [city]);
    await db.query(
      `INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES
        ($1::text, '东部测试县' || $1::text, 3, $2::text, $1::text, false),
        ($3::text, '东部测试镇', 4, $1::text, $1::text, false),
        ($3::text || '001', '东部一村', 5, $3::text, $1::text, false),
        ($3::text || '002', '东部二村', 5, $3::text, $1::text, false)`,
      [county, city, township],
    );
    return { county, village1: `${township}001`, village2: `${township}002` };
  }
}

async function get(url: string, who: string) {
  return app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
}

async function assess(body: Record<string, unknown>, who = 'county') {
  return app.inject({ method: 'POST', url: '/api/v1/exit-panels/county-assessment', headers: { cookie: cookies[who]! }, payload: body });
}

async function auditCount(actorName: string): Promise<number> {
  const [r] = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM audit_log WHERE actor_name = $1', [actorName]);
  return Number(r!.n);
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  other = await makeArea(db);
  east = await makeEasternCounty();
  ctx = { actor: systemActor('exit-test'), db };
  const [v1, v2] = area.villageCodes;
  await household(v1, '0', [[2020, '0', 3], [2021, '0', 3]]);
  await household(v2, '3', [[2020, '3', 4]]);
  await household(v2, '1', [[2020, '1', 2]]);
  await household(east.village1, '0', [[2020, '0', 2]]);
  await household(east.village2, '0', [[2020, '0', 3]]);
  const rows = [
    [area.countyCode, 2020, 1000, 300], [area.townshipCode, 2020, 1000, 300], [v1, 2020, 100, 30], [v2, 2020, 100, 30],
    [east.county, 2020, 1000, 300], [east.village1, 2020, 100, 30], [east.village2, 2020, 100, 30],
  ];
  await loadPopulations(ctx, `area_code,year,rural_people,rural_households\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  const s = area.countyCode;
  await createUser(ctx, { username: `excounty${s}`, role: 'county_office', areaCode: area.countyCode, password: PASSWORD });
  await createUser(ctx, { username: `exresearch${s}`, role: 'researcher', areaCode: area.countyCode, password: PASSWORD });
  await createUser(ctx, { username: `excadre${s}`, role: 'village_cadre', areaCode: v1, password: PASSWORD });
  await createUser(ctx, { username: `exeast${s}`, role: 'county_office', areaCode: east.county, password: PASSWORD });
  cookies.county = await loginAs(`excounty${s}`);
  cookies.researcher = await loginAs(`exresearch${s}`);
  cookies.cadre = await loginAs(`excadre${s}`);
  cookies.east = await loginAs(`exeast${s}`);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('village exit panel', () => {
  it('passes a western village at exactly 3.00% (3 poor of 100 rural people)', async () => {
    const res = await get(`/api/v1/exit-panels/village?area=${area.villageCodes[0]}&year=2020`, 'county');
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({ kind: 'village', year: 2020, verdict: 'pass', missing: null, area: { code: area.villageCodes[0], level: 5 } });
    expect(p.counts).toEqual({ households: 1, people: 3, poorHouseholds: 1, poorPeople: 3, ruralPeople: 100, ruralHouseholds: 30, populationSynthetic: false });
    expect(p.evaluation.bars).toHaveLength(1);
    expect(p.evaluation.bars[0]).toMatchObject({ key: 'incidence', numerator: 3, denominator: 100, percent: 3, limitCount: 3, verdict: 'pass', comparison: 'at_most' });
    expect(p.evaluation.bars[0].bar).toMatchObject({ key: 'village_exit_incidence_max_pct', value: 3, region: '15' });
    expect(p.threshold).toMatchObject({ key: 'village_exit_incidence_max_pct', value: 3, region: '15' });
    expect(p.evaluation.bars[0].reason.zh).toContain('不高于上限 3%（含等于');
    expect(p.reason.en).toBe('Village exit: every bar passes');
  });

  it('fails a western village at 4.00% (4 poor of 100), counting 返贫 and not 已脱贫', async () => {
    const p = (await get(`/api/v1/exit-panels/village?area=${area.villageCodes[1]}&year=2020`, 'county')).json();
    expect(p.verdict).toBe('fail');
    expect(p.counts).toMatchObject({ households: 2, people: 6, poorHouseholds: 1, poorPeople: 4, ruralPeople: 100 });
    expect(p.evaluation.bars[0]).toMatchObject({ numerator: 4, denominator: 100, limitCount: 3, verdict: 'fail' });
    expect(p.evaluation.bars[0].reason.zh).toContain('至多允许 3 人，实际 4 人，超出 1 人，不达标');
  });

  it('uses the national 2% outside the west: 2/100 passes, 3/100 fails', async () => {
    const pass = (await get(`/api/v1/exit-panels/village?area=${east.village1}&year=2020`, 'east')).json();
    expect(pass.verdict).toBe('pass');
    expect(pass.evaluation.bars[0]).toMatchObject({ numerator: 2, denominator: 100, limitCount: 2 });
    expect(pass.evaluation.bars[0].bar).toMatchObject({ value: 2, region: '' });
    const fail = (await get(`/api/v1/exit-panels/village?area=${east.village2}&year=2020`, 'east')).json();
    expect(fail.verdict).toBe('fail');
    expect(fail.evaluation.bars[0]).toMatchObject({ numerator: 3, denominator: 100, limitCount: 2, verdict: 'fail' });
  });

  it('says the population is missing and how to load it, keeping the real poor count', async () => {
    const p = (await get(`/api/v1/exit-panels/village?area=${area.villageCodes[0]}&year=2021`, 'county')).json();
    expect(p.verdict).toBe('unknown');
    expect(p.counts).toMatchObject({ poorPeople: 3, ruralPeople: null });
    expect(p.missing.zh).toContain('农村人口');
    expect(p.missing.zh).toContain('jingzhun populations --file');
    expect(p.missing.en).toContain('jingzhun populations --file');
    expect(p.evaluation.bars[0]).toMatchObject({ numerator: 3, percent: null, limitCount: null, verdict: 'unknown' });
    expect(p.evaluation.bars[0].reason.zh).toBe(p.missing.zh);
    expect(p.threshold).toMatchObject({ value: 3 });
  });

  it('is unknown for a year without any yearly records in the county, saying so', async () => {
    const p = (await get(`/api/v1/exit-panels/village?area=${area.villageCodes[0]}&year=2016`, 'county')).json();
    expect(p.verdict).toBe('unknown');
    expect(p.missing.zh).toContain('没有 2016 年度的农户年度记录');
    expect(p.missing.en).toContain('no yearly household records for 2016');
  });

  it('refuses a township code or a bad year with the field named', async () => {
    const t = await get(`/api/v1/exit-panels/village?area=${area.townshipCode}&year=2020`, 'county');
    expect(t.statusCode).toBe(400);
    expect(t.json().error.issues).toEqual([expect.objectContaining({ field: 'area' })]);
    const y = await get(`/api/v1/exit-panels/village?area=${area.villageCodes[0]}&year=abc`, 'county');
    expect(y.statusCode).toBe(400);
    expect(y.json().error.issues.map((i: { field: string }) => i.field)).toContain('year');
  });
});

describe('county exit panel and the village list', () => {
  it('evaluates the county and lists its villages worst first with the counts that pass', async () => {
    const res = await get(`/api/v1/exit-panels/county?area=${area.countyCode}&year=2020`, 'county');
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({ kind: 'county', verdict: 'pass', missing: null });
    expect(p.counts).toMatchObject({ households: 3, people: 9, poorHouseholds: 2, poorPeople: 7, ruralPeople: 1000 });
    expect(p.evaluation.bars[0]).toMatchObject({ numerator: 7, denominator: 1000, limitCount: 30, verdict: 'pass' });
    expect(p.evaluation.bars[0].bar).toMatchObject({ key: 'county_exit_incidence_max_pct', value: 3 });
    expect(p.villages.summary).toEqual({ villages: 2, pass: 1, fail: 1, unknown: 0 });
    expect(p.villages.items.map((v: { code: string; verdict: string }) => [v.code, v.verdict])).toEqual([
      [area.villageCodes[1], 'fail'],
      [area.villageCodes[0], 'pass'],
    ]);
    expect(p.villages.items[0]).toMatchObject({ poorPeople: 4, ruralPeople: 100, percent: 4, limitCount: 3, townshipCode: area.townshipCode, townshipName: '测试苏木', missing: null });
  });

  it('agrees with the overview on remaining poor people and rural population', async () => {
    const p = (await get(`/api/v1/exit-panels/county?area=${area.countyCode}&year=2020`, 'county')).json();
    const o = await getOverview(ctx, { area: area.countyCode, year: 2020 });
    expect(p.counts.poorPeople).toBe(o.totals.poorPeople);
    expect(p.counts.poorHouseholds).toBe(o.totals.poorHouseholds);
    expect(p.counts.ruralPeople).toBe(o.totals.ruralPeople);
    const byVillage = await getOverview(ctx, { area: area.townshipCode, year: 2020 });
    for (const v of p.villages.items) expect(v.poorPeople).toBe(byVillage.children.find((c) => c.code === v.code)!.poorPeople);
  });

  it('lists the villages of a township, and marks a year without population as unknown with the how-to', async () => {
    const list = (await get(`/api/v1/exit-panels/villages?area=${area.townshipCode}&year=2020`, 'county')).json();
    expect(list.summary).toEqual({ villages: 2, pass: 1, fail: 1, unknown: 0 });
    expect(list.threshold).toMatchObject({ key: 'village_exit_incidence_max_pct', value: 3 });
    const y2021 = (await get(`/api/v1/exit-panels/villages?area=${area.countyCode}&year=2021`, 'county')).json();
    expect(y2021.summary).toEqual({ villages: 1, pass: 0, fail: 0, unknown: 1 });
    expect(y2021.items[0]).toMatchObject({ code: area.villageCodes[0], verdict: 'unknown', poorPeople: 3, ruralPeople: null, percent: null });
    expect(y2021.items[0].missing.zh).toContain('jingzhun populations --file');
    const county2021 = (await get(`/api/v1/exit-panels/county?area=${area.countyCode}&year=2021`, 'county')).json();
    expect(county2021.verdict).toBe('unknown');
    expect(county2021.missing.en).toContain('jingzhun populations --file');
  });

  it('carries no personal data', async () => {
    const bodies = [
      (await get(`/api/v1/exit-panels/county?area=${area.countyCode}&year=2020`, 'county')).body,
      (await get(`/api/v1/exit-panels/village?area=${area.villageCodes[1]}&year=2020`, 'county')).body,
    ];
    for (const b of bodies) for (const s of [...names, ...ids, ...ids.map((i) => i.slice(-4))]) expect(b).not.toContain(s);
  });
});

describe('county assessment (counts given, not stored)', () => {
  const base = { sampledExited: 100, wronglyExited: 2, sampledNonRegistered: 1000, omitted: 20, surveyedHouseholds: 100, approving: 90 };

  it('passes with 错退率 and 漏评率 exactly 2.00% and 认可度 exactly 90.00%, each bar with numerator and denominator', async () => {
    const res = await assess({ county: area.countyCode, year: 2020, ...base });
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    expect(a).toMatchObject({ verdict: 'pass', stored: false, missing: null, counts: base, register: { poorPeople: 7, ruralPeople: 1000 } });
    expect(a.evaluation.bars.map((b: { key: string; numerator: number; denominator: number; percent: number; verdict: string }) => [b.key, b.numerator, b.denominator, b.percent, b.verdict])).toEqual([
      ['incidence', 7, 1000, 0.7, 'pass'],
      ['wrong_exit_rate', 2, 100, 2, 'pass'],
      ['omission_rate', 20, 1000, 2, 'pass'],
      ['approval', 90, 100, 90, 'pass'],
    ]);
  });

  it('fails one over each bar (2.01%, 2.01%, 89.99%), each blocking on its own', async () => {
    const big = { sampledExited: 10_000, wronglyExited: 200, sampledNonRegistered: 10_000, omitted: 200, surveyedHouseholds: 10_000, approving: 9000 };
    expect((await assess({ county: area.countyCode, year: 2020, ...big })).json().verdict).toBe('pass');
    const cases: [Record<string, number>, string][] = [
      [{ wronglyExited: 201 }, 'wrong_exit_rate'],
      [{ omitted: 201 }, 'omission_rate'],
      [{ approving: 8999 }, 'approval'],
    ];
    for (const [change, key] of cases) {
      const a = (await assess({ county: area.countyCode, year: 2020, ...big, ...change })).json();
      expect(a.verdict, key).toBe('fail');
      expect(a.evaluation.bars.filter((b: { verdict: string }) => b.verdict === 'fail').map((b: { key: string }) => b.key)).toEqual([key]);
    }
  });

  it('refuses bad counts with each field named, evaluating and recording nothing', async () => {
    const actorName = `excounty${area.countyCode}`;
    const before = await auditCount(actorName);
    const res = await assess({ county: area.countyCode, year: 2020, ...base, wronglyExited: 101, omitted: -1, approving: 45.5 });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.zh).toContain('未作评估');
    expect(err.issues.map((i: { field: string }) => i.field).sort()).toEqual(['approving', 'omitted', 'wronglyExited']);
    const byField = Object.fromEntries(err.issues.map((i: { field: string; zh: string; en: string }) => [i.field, i]));
    expect(byField.wronglyExited.zh).toBe('错退人数（wronglyExited）101 大于抽查已脱贫人数（sampledExited）100；部分不能多于总数，请核对调查结果');
    expect(byField.omitted.en).toBe('omitted people (omitted) must be a whole number ≥ 0, got -1');
    expect(byField.approving.zh).toContain('必须是不小于 0 的整数，收到 45.5');
    const missing = await assess({ county: area.countyCode, year: 2020, ...base, sampledExited: undefined });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['sampledExited']);
    expect(await auditCount(actorName)).toBe(before);
  });

  it('is unknown on the incidence bar when the county population is missing, still evaluating the survey bars', async () => {
    const a = (await assess({ county: area.countyCode, year: 2021, ...base, approving: 89 })).json();
    expect(a.verdict).toBe('fail');
    expect(a.evaluation.bars[0]).toMatchObject({ key: 'incidence', numerator: 3, verdict: 'unknown' });
    expect(a.missing.zh).toContain('jingzhun populations --file');
    expect(a.evaluation.bars[3]).toMatchObject({ key: 'approval', verdict: 'fail' });
  });
});

describe('roles and scope', () => {
  it('lets a researcher read the panels of their area (aggregates only)', async () => {
    expect((await get(`/api/v1/exit-panels/county?area=${area.countyCode}&year=2020`, 'researcher')).statusCode).toBe(200);
    expect((await get(`/api/v1/exit-panels/villages?area=${area.townshipCode}&year=2020`, 'researcher')).statusCode).toBe(200);
    expect((await assess({ county: area.countyCode, year: 2020, ...{ sampledExited: 1, wronglyExited: 0, sampledNonRegistered: 1, omitted: 0, surveyedHouseholds: 1, approving: 1 } }, 'researcher')).statusCode).toBe(200);
  });

  it('answers 404 outside the area, the same as for an area that does not exist', async () => {
    const notThere = await get(`/api/v1/exit-panels/county?area=${area.countyCode.slice(0, 4)}99&year=2020`, 'researcher');
    const outside = [
      await get(`/api/v1/exit-panels/county?area=${other.countyCode}&year=2020`, 'researcher'),
      await get(`/api/v1/exit-panels/village?area=${other.villageCodes[0]}&year=2020`, 'researcher'),
      await get(`/api/v1/exit-panels/villages?area=${other.townshipCode}&year=2020`, 'researcher'),
      await get(`/api/v1/exit-panels/village?area=${area.villageCodes[1]}&year=2020`, 'cadre'),
      await get(`/api/v1/exit-panels/county?area=${area.countyCode}&year=2020`, 'cadre'),
      await assess({ county: other.countyCode, year: 2020, sampledExited: 1, wronglyExited: 0, sampledNonRegistered: 1, omitted: 0, surveyedHouseholds: 1, approving: 1 }, 'researcher'),
    ];
    for (const r of outside) {
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual(notThere.json());
    }
    // Their own village is fine for the cadre.
    expect((await get(`/api/v1/exit-panels/village?area=${area.villageCodes[0]}&year=2020`, 'cadre')).statusCode).toBe(200);
  });

  it('requires a session', async () => {
    const r = await app.inject({ method: 'GET', url: `/api/v1/exit-panels/county?area=${area.countyCode}&year=2020` });
    expect(r.statusCode).toBe(401);
  });
});

describe('jingzhun exit', () => {
  it('exits 1 on bad counts, naming each option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jz-exit-'));
    try {
      const r = spawnSync(process.execPath, [
        'bin/jingzhun.js', 'exit', 'assess', '150524', '--year', '2020', '--sampled-exited', '100', '--wrongly-exited', '101',
        '--sampled-non-registered', '1000', '--omitted', '-1', '--surveyed', '100', '--approving', 'x',
      ], { env: { ...process.env, JINGZHUN_DATA_DIR: dir }, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain('--wrongly-exited (wronglyExited)');
      expect(r.stderr).toContain('--omitted (omitted)');
      expect(r.stderr).toContain('--approving (approving)');
      expect(r.stderr).toContain('未作评估');
      expect(r.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
