// The overview's figures on a small synthetic county, checked by hand:
//   village 1: H1 未脱贫 (2 people, 因病), H2 已脱贫 (3 people, 因病)
//   village 2: H3 返贫 (1 person, 缺技术), H4 已脱贫不再享受 (2 people, 因残)
// Rural population 2019: county/township 100, villages 60 + 40; 2020: 200, villages 120 + 80.
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
let ctx: Ctx;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};

async function loginAs(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

let seq = 0;
async function household(village: string, status: string, cause: string, people: number) {
  const members = Array.from({ length: people }, (_, i) => {
    const birth = `19${60 + i}-0${1 + (i % 9)}-1${i}`;
    return { name: `成员${i}`, idNumber: makeIdNumber(area.countyCode, birth, i % 2 ? '2' : '1', (seq += 1)), relation: i === 0 ? '01' : '02', ethnicity: '02' };
  });
  // Only the first extra member can be the spouse; the rest are children.
  members.forEach((m, i) => {
    if (i > 1) m.relation = '03';
  });
  return createHousehold(ctx, {
    household: { householdNo: householdNo('OV'), villageCode: village, attribute: '1', exitStatus: status, mainCause: cause, identifiedOn: '2014-05-01', exitYear: status === '0' ? null : 2019 },
    members,
  });
}

async function year(id: number, y: number, status: string, size: number) {
  await putHouseholdYear(ctx, id, y, { householdSize: size, status, wageIncome: 1000 * size });
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  ctx = { actor: systemActor('test'), db };
  const [v1, v2] = area.villageCodes;
  const h1 = await household(v1, '0', '01', 2);
  const h2 = await household(v1, '1', '01', 3);
  const h3 = await household(v2, '3', '07', 1);
  const h4 = await household(v2, '4', '02', 2);
  await year(h1.id, 2019, '0', 2);
  await year(h2.id, 2019, '0', 3);
  await year(h3.id, 2019, '1', 1);
  await year(h1.id, 2020, '0', 2);
  await year(h2.id, 2020, '1', 3);
  await year(h3.id, 2020, '3', 1);
  await year(h4.id, 2020, '4', 2);
  const rows = [
    [area.countyCode, 2019, 100, 40], [area.townshipCode, 2019, 100, 40], [v1, 2019, 60, 24], [v2, 2019, 40, 16],
    [area.countyCode, 2020, 200, 80], [area.townshipCode, 2020, 200, 80], [v1, 2020, 120, 48], [v2, 2020, 80, 32],
  ];
  await loadPopulations(ctx, `area_code,year,rural_people,rural_households\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  const suffix = area.countyCode;
  await createUser(ctx, { username: `ovcounty${suffix}`, role: 'county_office', areaCode: area.countyCode, password: PASSWORD });
  await createUser(ctx, { username: `ovcadre${suffix}`, role: 'village_cadre', areaCode: v1, password: PASSWORD });
  await createUser(ctx, { username: `ovresearch${suffix}`, role: 'researcher', areaCode: area.countyCode, password: PASSWORD });
  cookies.county = await loginAs(`ovcounty${suffix}`);
  cookies.cadre = await loginAs(`ovcadre${suffix}`);
  cookies.researcher = await loginAs(`ovresearch${suffix}`);
});

afterAll(async () => {
  await app.close();
  await db.close();
});

describe('overview', () => {
  it('counts registered, remaining poor, exited and relapsed people and households, with incidence', async () => {
    const o = await getOverview(ctx, { area: area.townshipCode });
    expect(o.area).toMatchObject({ code: area.townshipCode, level: 4 });
    expect(o.populationYear).toBe(2020);
    expect(o.totals).toMatchObject({
      households: 4, people: 8,
      poorHouseholds: 2, poorPeople: 3,
      exitedHouseholds: 2, exitedPeople: 5,
      relapsedHouseholds: 1, relapsedPeople: 1,
      ruralPeople: 200,
    });
    expect(o.totals.incidence).toBeCloseTo(3 / 200, 10);
    expect(o.totals.byStatus).toEqual({
      '0': { households: 1, people: 2 }, '1': { households: 1, people: 3 }, '3': { households: 1, people: 1 }, '4': { households: 1, people: 2 },
    });
  });

  it('gives the same figures for each child area', async () => {
    const o = await getOverview(ctx, { area: area.townshipCode });
    const [c1, c2] = o.children;
    expect(o.children.map((c) => c.code)).toEqual(area.villageCodes);
    expect(c1).toMatchObject({ households: 2, people: 5, poorHouseholds: 1, poorPeople: 2, exitedHouseholds: 1, exitedPeople: 3, ruralPeople: 120, level: 5 });
    expect(c1!.incidence).toBeCloseTo(2 / 120, 10);
    expect(c2).toMatchObject({ households: 2, people: 3, poorHouseholds: 1, poorPeople: 1, relapsedPeople: 1, ruralPeople: 80 });
    expect(c2!.incidence).toBeCloseTo(1 / 80, 10);
    // A county's one child is the township, with the same totals.
    const county = await getOverview(ctx, { area: area.countyCode });
    expect(county.children).toHaveLength(1);
    expect(county.children[0]).toMatchObject({ code: area.townshipCode, households: 4, people: 8 });
    // The city above it (a code range, not one county): our county is one of its children. Other
    // test files put counties with populations of other years under the same synthetic city (on the
    // shared PostgreSQL database), which moves the city's population year; so the rural population
    // is checked on the county's own overview above, not here.
    const city = await getOverview(ctx, { area: area.cityCode });
    expect(city.children.find((c) => c.code === area.countyCode)).toMatchObject({ households: 4, people: 8, poorPeople: 3 });
    // A village has no children.
    expect((await getOverview(ctx, { area: area.villageCodes[1] })).children).toEqual([]);
  });

  it('counts causes of poverty by main cause', async () => {
    const o = await getOverview(ctx, { area: area.countyCode });
    expect(o.causes).toEqual([
      { cause: '01', households: 2, people: 5, poorHouseholds: 1 },
      { cause: '02', households: 1, people: 2, poorHouseholds: 0 },
      { cause: '07', households: 1, people: 1, poorHouseholds: 1 },
    ]);
  });

  it('uses the yearly records and population of a given year', async () => {
    const o = await getOverview(ctx, { area: area.countyCode, year: 2019 });
    expect(o.year).toBe(2019);
    expect(o.populationYear).toBe(2019);
    expect(o.totals).toMatchObject({ households: 3, people: 6, poorHouseholds: 2, poorPeople: 5, exitedHouseholds: 1, exitedPeople: 1, ruralPeople: 100 });
    expect(o.totals.incidence).toBeCloseTo(0.05, 10);
  });

  it('trends poor people at year end by year, for a county and below it', async () => {
    for (const code of [area.countyCode, area.townshipCode]) {
      const o = await getOverview(ctx, { area: code });
      expect(o.trend).toEqual([
        { year: 2019, households: 3, poorHouseholds: 2, poorPeople: 5, ruralPeople: 100, incidence: 0.05 },
        { year: 2020, households: 4, poorHouseholds: 2, poorPeople: 3, ruralPeople: 200, incidence: 0.015 },
      ]);
    }
    const v1 = await getOverview(ctx, { area: area.villageCodes[0] });
    expect(v1.trend.map((t) => [t.year, t.poorPeople, t.ruralPeople])).toEqual([[2019, 5, 60], [2020, 2, 120]]);
  });

  it('over HTTP: defaults to the actor’s area, researchers may read it, other areas are 404', async () => {
    const mine = await app.inject({ url: '/api/v1/overview', headers: { cookie: cookies.county } });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({ area: { code: area.countyCode }, totals: { households: 4, people: 8 } });
    const research = await app.inject({ url: `/api/v1/overview?area=${area.townshipCode}&year=2020`, headers: { cookie: cookies.researcher } });
    expect(research.statusCode).toBe(200);
    expect(research.json().totals).toMatchObject({ households: 4, poorPeople: 3 });
    expect(research.body).not.toMatch(/成员0/);
    const cadre = await app.inject({ url: '/api/v1/overview', headers: { cookie: cookies.cadre } });
    expect(cadre.json()).toMatchObject({ area: { code: area.villageCodes[0] }, totals: { households: 2 }, children: [] });
    const other = await app.inject({ url: `/api/v1/overview?area=${area.villageCodes[1]}`, headers: { cookie: cookies.cadre } });
    expect(other.statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/overview?area=150524', headers: { cookie: cookies.county } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/overview' })).statusCode).toBe(401);
  });
});
