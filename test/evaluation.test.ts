// Household evaluation through the API on the real database: the checks and decisions with their
// reasons and the parameters (with sources) they read, an unknown parameter named instead of a
// guess, area scope, bad input with field reasons, and the risk-elimination decision only for a
// household with a monitoring case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { systemActor } from '../src/services/context.js';
import { evaluateHousehold } from '../src/services/evaluation.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { openCase } from '../src/services/cases/index.js';
import { createUser } from '../src/services/users.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};

async function get(url: string, who: 'county' | 'cadreB') {
  const res = await app.inject({ url, headers: { cookie: cookies[who]! } });
  return { status: res.statusCode, body: res.json() as any };
}

async function household(years: Record<number, number>) {
  const sys = { db, actor: systemActor('test') };
  const h = await createHousehold(sys, {
    household: { householdNo: householdNo('EV'), villageCode: area.villageCodes[0], attribute: '1', exitStatus: '0', mainCause: '01', identifiedOn: '2015-04-01' },
    members: [
      { name: '乌云', idNumber: makeIdNumber(area.countyCode, '1968-01-20', '2'), relation: '01', ethnicity: '02', health: '1', labourAbility: '1', medicalInsurance: true },
      { name: '图雅', idNumber: makeIdNumber(area.countyCode, '1990-06-01', '2'), relation: '03', ethnicity: '02', health: '1', labourAbility: '1', medicalInsurance: true },
    ],
  });
  for (const [y, perCapita] of Object.entries(years)) {
    await putHouseholdYear(sys, h.id, Number(y), {
      householdSize: 2, status: '0', wageIncome: perCapita * 2, foodSecure: true, clothingSecure: true, educationSecure: true, medicalSecure: true,
      housingSecure: true, waterSecure: true, waterLitresPerDay: 60, waterFetchMinutes: 5,
    });
  }
  return h;
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  const sys = { db, actor: systemActor('test') };
  for (const [who, role, code] of [['county', 'county_office', area.countyCode], ['cadreB', 'village_cadre', area.villageCodes[1]]] as const) {
    await createUser(sys, { username: `ev${who}${area.countyCode}`, role, areaCode: code, password: PASSWORD });
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `ev${who}${area.countyCode}`, password: PASSWORD } });
    cookies[who] = `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
  }
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('GET /api/v1/households/:id/evaluation', () => {
  it('finds income below the line eligible for identification, naming the line and its source', async () => {
    const h = await household({ 2016: 1800 });
    const r = await get(`/api/v1/households/${h.id}/evaluation?year=2016&asOf=2016-12-31`, 'county');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const e = r.body;
    expect(e).toMatchObject({ householdId: h.id, householdNo: h.householdNo, year: 2016, asOf: '2016-12-31', perCapitaNetIncome: 1800, riskElimination: null, monitoringCase: null });
    const income = e.checks.find((c: { key: string }) => c.key === 'income');
    expect(income).toMatchObject({ status: 'fail', facts: { perCapitaNetIncome: 1800, povertyLine: 2952 } });
    expect(income.reason.zh).toContain('低于贫困线 2,952.00 元');
    expect(income.reason.zh).toContain('poverty_line，2016 年起，全国');
    expect(income.reason.en).toContain('below the poverty line of 2,952.00 yuan');
    const [row] = await db.query<{ source: string }>(`SELECT source FROM policy_parameters WHERE key = 'poverty_line' AND year = 2016 AND region = ''`);
    expect(income.params).toEqual([{ key: 'poverty_line', value: 2952, year: 2016, region: '', source: row!.source }]);
    expect(e.identification.eligible).toBe(true);
    expect(e.identification.reasons[0].zh).toContain('符合识别条件');
    expect(e.identification.reasons.map((t: { zh: string }) => t.zh).join('；')).toContain('2,952.00');
    expect(e.exit.eligible).toBe(false);
    expect(e.checks.map((c: { key: string }) => c.key)).toEqual(['income', 'food', 'clothing', 'education', 'medical', 'housing', 'water']);
  });

  it("says 'unknown' and names the parameter when the 2017 poverty line is unknown", async () => {
    const h = await household({ 2017: 1800 });
    const e = (await get(`/api/v1/households/${h.id}/evaluation?year=2017`, 'county')).body;
    const income = e.checks.find((c: { key: string }) => c.key === 'income');
    expect(income.status).toBe('unknown');
    expect(income.reason.zh).toContain('poverty_line');
    expect(income.reason.en).toContain('Missing parameter poverty_line (2017)');
    expect(income.params).toEqual([expect.objectContaining({ key: 'poverty_line', value: null, year: 2017 })]);
    expect(e.identification.eligible).toBeNull();
    expect(e.identification.reasons.map((t: { en: string }) => t.en).join(' ')).toContain('poverty_line');
  });

  it('is not found outside the area, and refuses a missing year or a bad date with field reasons', async () => {
    const h = await household({ 2016: 1800 });
    expect((await get(`/api/v1/households/${h.id}/evaluation?year=2016`, 'cadreB')).status).toBe(404);
    const noYear = await get(`/api/v1/households/${h.id}/evaluation?year=2019`, 'county');
    expect(noYear.status).toBe(400);
    expect(noYear.body.error.issues).toEqual([expect.objectContaining({ field: 'year' })]);
    expect(noYear.body.error.issues[0].zh).toContain('已有：2016');
    const badDay = await get(`/api/v1/households/${h.id}/evaluation?year=2016&asOf=2016-02-30`, 'county');
    expect(badDay.status).toBe(400);
    expect(badDay.body.error.issues).toEqual([expect.objectContaining({ field: 'asOf' })]);
  });

  it('decides risk elimination only for a household with a monitoring case, from the case facts and verified facts', async () => {
    const h = await household({ 2020: 9000 });
    const ctx = { db, actor: systemActor('test') };
    expect((await evaluateHousehold(ctx, { householdId: h.id, year: 2020 })).riskElimination).toBeNull();
    const c = await openCase(ctx, { workflow: 'monitoring', householdId: h.id, year: 2020 });
    const r = await get(`/api/v1/households/${h.id}/evaluation?year=2020&monthsAboveThreshold=8&rigidExpensesResolved=true`, 'county');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.monitoringCaseId).toBe(c.id);
    expect(r.body.monitoringCase).toEqual({ identifiedOn: null, measuresApplied: 0, monthsAboveThreshold: 8, rigidExpensesResolved: true });
    const d = r.body.riskElimination;
    expect(d.eligible).toBe(false);
    const rules = Object.fromEntries(d.rules.map((x: { key: string; status: string }) => [x.key, x.status]));
    expect(rules).toMatchObject({ monitoring_threshold: 'pass', months_above_threshold: 'pass', measures_applied: 'fail', months_since_identification: 'unknown', rigid_expenses_resolved: 'pass' });
  });
});
