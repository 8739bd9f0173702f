// The evaluation through HTTP (issue 8): the routes, their status codes and the access rules as a
// client meets them, on both engines. One synthetic county: village 1 has 6 exited households of
// 2 people and 2 remaining; the sizes take them all (weights 1), so the rates are plain counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { createUser } from '../src/services/users.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};
type Who = 'lead' | 'evaluator' | 'county' | 'city' | 'researcher';

async function api(method: 'GET' | 'POST' | 'PUT', url: string, who: Who, payload?: unknown) {
  const res = await app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() as any, raw: res };
}

function multipart(filename: string, content: Buffer) {
  const boundary = `----jzassess${Date.now().toString(16)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  const admin: Ctx = { actor: systemActor('assessment-api'), db };
  const v = area.villageCodes[0];
  for (let i = 0; i < 8; i++) {
    const exited = i < 6;
    const h = await createHousehold(admin, {
      household: { householdNo: householdNo('AA'), villageCode: v, attribute: '1', exitStatus: exited ? '1' : '0', mainCause: '01', identifiedOn: '2015-05-01', exitYear: exited ? 2019 : null },
      members: [{ name: `接口评估${i}`, idNumber: makeIdNumber(area.countyCode, `1965-03-${String(i + 1).padStart(2, '0')}`, '2', i + 1), relation: '01', ethnicity: '02' }],
    });
    await putHouseholdYear(admin, h.id, 2020, { householdSize: 2, status: exited ? '1' : '0', wageIncome: exited ? 12000 : 3000 });
  }
  await db.query(`INSERT INTO area_populations (area_code, year, rural_people, rural_households) VALUES ($1, 2020, 40, 8), ($2, 2020, 10, 3)`, area.villageCodes);
  const users: [Who, string, string][] = [['lead', 'inspector', area.cityCode], ['evaluator', 'evaluator', area.cityCode], ['county', 'county_office', area.countyCode], ['city', 'city_admin', area.cityCode], ['researcher', 'researcher', area.cityCode]];
  for (const [who, role, code] of users) {
    const username = `aa-${who}-${area.countyCode}`;
    await createUser(admin, { username, password: PASSWORD, role, areaCode: code });
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    cookies[who] = `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('assessment API', () => {
  let id = 0;
  let samples: { sampleId: number; stratum: string }[] = [];

  it('creates (201), lists by membership and draws a plan', async () => {
    const bad = await api('POST', '/api/v1/assessment/plans', 'lead', { county: area.countyCode, year: 2020, name: '', sizes: { households: { exited: 999 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['name', 'sizes.households.exited']);
    expect((await api('POST', '/api/v1/assessment/plans', 'county', { county: area.countyCode, year: 2020, name: 'x' })).status).toBe(403);
    const created = await api('POST', '/api/v1/assessment/plans', 'lead', { county: area.countyCode, year: 2020, name: '接口评估', sizes: { villages: { poor: 1, nonPoor: 0 }, households: { exited: 6, remaining: 2, nonRegistered: 0 } } });
    expect(created.status).toBe(201);
    id = created.body.id;
    expect(created.body.seed).toMatch(new RegExp(`^${area.countyCode}-2020-[0-9a-f]{16}$`));
    expect((await api('GET', `/api/v1/assessment/plans?county=${area.countyCode}`, 'evaluator')).body.items).toEqual([]);
    expect((await api('POST', `/api/v1/assessment/plans/${id}/members`, 'lead', { username: `aa-evaluator-${area.countyCode}` })).status).toBe(200);
    expect((await api('GET', `/api/v1/assessment/plans?county=${area.countyCode}`, 'evaluator')).body.items.map((p: { id: number }) => p.id)).toEqual([id]);
    expect((await api('GET', `/api/v1/assessment/plans`, 'county')).status).toBe(403);
    const drawn = await api('POST', `/api/v1/assessment/plans/${id}/draw`, 'lead');
    expect(drawn.status).toBe(200);
    expect(drawn.body).toMatchObject({ status: 'drawn', villages: 1, samples: 8 });
    expect((await api('POST', `/api/v1/assessment/plans/${id}/draw`, 'lead')).status).toBe(409);
    const s = await api('GET', `/api/v1/assessment/plans/${id}/sample`, 'evaluator');
    expect(s.status).toBe(200);
    samples = s.body.villages[0].households;
    expect(samples.filter((h) => h.stratum === 'exited')).toHaveLength(6);
    // Offices see neither the plan nor its sample; a researcher neither.
    for (const who of ['county', 'researcher'] as Who[]) {
      expect((await api('GET', `/api/v1/assessment/plans/${id}`, who)).status, who).toBe(404);
      expect((await api('GET', `/api/v1/assessment/plans/${id}/sample`, who)).status, who).toBe(404);
    }
  });

  it('takes a questionnaire by PUT and a filled template by multipart upload', async () => {
    const first = samples.find((h) => h.stratum === 'exited')!;
    const answers = { outcome: 'completed', surveyedOn: '2021-01-15', householdSize: 2, perCapitaIncome: 6000, foodSecure: true, clothingSecure: true, educationSecure: true, medicalSecure: true, housingSecure: true, waterSecure: true, exitCorrect: true, approves: true };
    const put = await api('PUT', `/api/v1/assessment/plans/${id}/surveys/${first.sampleId}`, 'evaluator', answers);
    expect(put.status, put.raw.body).toBe(200);
    expect(put.body).toMatchObject({ version: 1, discrepancies: [] });
    expect((await api('PUT', `/api/v1/assessment/plans/${id}/surveys/${first.sampleId}`, 'county', answers)).status).toBe(403);
    // The template, filled for the other seven households, uploaded.
    const tpl = await app.inject({ method: 'GET', url: `/api/v1/assessment/plans/${id}/surveys.xlsx`, headers: { cookie: cookies.evaluator! } });
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = Array.from(ws.getRow(1).values as unknown[], (v) => String(v ?? ''));
    const col = (k: string) => header.findIndex((h) => h.endsWith(`（${k}）`));
    expect(ws.rowCount).toBe(9);
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const sampleId = Number(row.getCell(col('sampleId')).value);
      if (sampleId === first.sampleId) return;
      const remaining = String(row.getCell(col('stratum')).value).includes('remaining');
      const set = (k: string, v: ExcelJS.CellValue) => (row.getCell(col(k)).value = v);
      set('outcome', '已完成');
      set('surveyedOn', '2021/1/16');
      set('householdSize', 2);
      set('perCapitaIncome', remaining ? 2500 : 6100);
      for (const k of ['foodSecure', 'clothingSecure', 'educationSecure', 'medicalSecure', 'housingSecure', 'waterSecure']) set(k, '是');
      set(remaining ? 'stillPoor' : 'exitCorrect', '是');
      set('approves', '是');
    });
    const up = multipart('问卷.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const res = await app.inject({ method: 'POST', url: `/api/v1/assessment/plans/${id}/surveys/import`, headers: { ...up.headers, cookie: cookies.evaluator! }, payload: up.payload });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ rows: 8, saved: 7, created: 7, updated: 0, unchanged: 1 });
    // Every exited household approves and every exit was right; remaining incomes differ from the register.
    const r = await api('GET', `/api/v1/assessment/plans/${id}/results`, 'lead');
    expect(r.body.rates.find((x: { key: string }) => x.key === 'approval').result.estimate).toMatchObject({ numerator: 8, denominator: 8 });
    expect(r.body.rates.find((x: { key: string }) => x.key === 'wrong_exit_rate').verdict).toBe('pass');
    const d = await api('GET', `/api/v1/assessment/plans/${id}/discrepancies`, 'lead');
    expect(d.body.items.map((x: { field: string }) => x.field)).toEqual(expect.arrayContaining(['perCapitaIncome']));
    expect((await api('GET', `/api/v1/assessment/plans/${id}/results`, 'county')).status).toBe(404);
  });

  it('closes, and the county exit panel then carries the evaluation', async () => {
    const before = await api('GET', `/api/v1/exit-panels/county?area=${area.countyCode}&year=2020`, 'county');
    expect(before.status).toBe(200);
    expect(before.body.assessment).toBeNull();
    expect(before.body.exitVerdict).toBe('unknown');
    const closed = await api('POST', `/api/v1/assessment/plans/${id}/close`, 'lead');
    expect(closed.status, closed.raw.body).toBe(200);
    expect(closed.body.casesOpened).toBe(0);
    const after = await api('GET', `/api/v1/exit-panels/county?area=${area.countyCode}&year=2020`, 'county');
    expect(after.body.assessment).toMatchObject({ planId: id, planName: '接口评估' });
    expect(after.body.assessment.rates.map((x: { key: string }) => x.key)).toEqual(['wrong_exit_rate', 'omission_rate', 'approval', 'combined_incidence']);
    expect((await api('GET', `/api/v1/assessment/plans/${id}/results`, 'county')).body.frozen).toBe(true);
    expect((await api('GET', `/api/v1/assessment/plans/${id}/findings`, 'county')).body.items).toEqual([]);
    // Researchers see the closed plan's rates (aggregates) but never the findings, which name households.
    expect((await api('GET', `/api/v1/assessment/plans/${id}/results`, 'researcher')).status).toBe(200);
    expect((await api('GET', `/api/v1/assessment/plans/${id}/findings`, 'researcher')).status).toBe(403);
  });
});
