// Issue 7: the session is checked before the body is read or validated (one hook, http/auth.ts).
// An anonymous request with a bad (or good) body to a write route gets 401, never 400 with field
// reasons, and writes nothing; public routes stay public; a signed-in user still gets the reasons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { PUBLIC_ROUTES, needsSession } from '../src/http/auth.js';
import { createUser } from '../src/services/users.js';
import { systemActor } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { engineName, testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

const PASSWORD = 'Test#Passw0rd';
let db: Db;
let app: ZodApp;
let area: TestArea;
let householdId: number;
let cookie: string;
const boundary = '----jzauth';

function multipart(name: string, content: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
}

/** Rows that a write from these requests would leave: households, members, yearly records, users, audit, imports. */
async function footprint() {
  const [r] = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM households WHERE county_code = $1) AS households,
            (SELECT count(*)::int FROM members WHERE county_code = $1) AS members,
            (SELECT count(*)::int FROM household_years WHERE county_code = $1) AS years,
            (SELECT count(*)::int FROM users WHERE area_code LIKE $2) AS users,
            (SELECT count(*)::int FROM audit_log WHERE county_code = $1 OR entity = 'users') AS audit,
            (SELECT max(updated_at)::text FROM households WHERE county_code = $1) AS touched`,
    [area.countyCode, `${area.countyCode}%`],
  );
  return r!;
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false, rateLimits: { global: 0 } });
  area = await makeArea(db);
  const ctx = { actor: systemActor('test'), db };
  const h = await createHousehold(ctx, {
    household: { householdNo: householdNo('AV'), villageCode: area.villageCodes[0], attribute: '1', exitStatus: '0', mainCause: '01', identifiedOn: '2014-05-01' },
    members: [{ name: '巴特尔', idNumber: makeIdNumber(area.countyCode, '1970-03-15', '1'), relation: '01', ethnicity: '02' }],
  });
  householdId = h.id;
  const username = `avCounty${area.countyCode}`;
  await createUser(ctx, { username, role: 'county_office', areaCode: area.countyCode, password: PASSWORD });
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  cookie = `jz_session=${res.cookies.find((c) => c.name === 'jz_session')!.value}`;
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`authentication before validation (${engineName})`, () => {
  const bad = () => [
    { method: 'POST', url: '/api/v1/households', payload: { household: { householdNo: 7 }, members: 'none' } },
    { method: 'POST', url: '/api/v1/households', payload: {
      household: { householdNo: householdNo('AV'), villageCode: area.villageCodes[0], attribute: '1', mainCause: '01' },
      members: [{ name: '其木格', idNumber: makeIdNumber(area.countyCode, '1972-08-02', '2'), relation: '01', ethnicity: '02' }],
    } }, // a good body: 401 all the same, nothing written
    { method: 'PATCH', url: `/api/v1/households/${householdId}`, payload: { groupName: ['x'], version: 'one' } },
    { method: 'PATCH', url: `/api/v1/households/${householdId}`, payload: { groupName: '新组', version: 1 } },
    { method: 'PUT', url: `/api/v1/households/${householdId}/years/2019`, payload: { householdSize: 'two', wageIncome: {} } },
    { method: 'POST', url: `/api/v1/households/${householdId}/members`, payload: { name: 1 } },
    { method: 'POST', url: '/api/v1/users', payload: { username: `avNew${area.countyCode}`, role: 'nobody' } },
    { method: 'POST', url: '/api/v1/calculators/medical', payload: { cost: 'lots' } },
    { method: 'POST', url: '/api/v1/auth/password', payload: {} },
  ] as const;

  it('answers 401 (not 400 with field reasons) to anonymous bad and good bodies on write routes, and writes nothing', async () => {
    const before = await footprint();
    for (const r of bad()) {
      const res = await app.inject({ method: r.method, url: r.url, payload: r.payload });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBe(401);
      const err = res.json().error;
      expect(err).toEqual({ code: 'unauthorized', zh: '请先登录', en: 'Please log in' });
      expect(res.body).not.toContain('issues');
    }
    // Unparseable JSON, a wrong media type and a broken multipart upload: 401 too (the body is never read).
    const raw = [
      { method: 'POST', url: '/api/v1/households', payload: '{"household": ', headers: { 'content-type': 'application/json' } },
      { method: 'POST', url: '/api/v1/households', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { method: 'POST', url: '/api/v1/imports', payload: multipart('x.csv', '户编号\n1'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } },
      { method: 'POST', url: '/api/v1/imports', payload: '--cut-short', headers: { 'content-type': 'multipart/form-data' } },
    ] as const;
    for (const r of raw) {
      const res = await app.inject({ method: r.method, url: r.url, payload: r.payload, headers: r.headers });
      expect(res.statusCode, `${r.url} ${r.headers['content-type']}: ${res.body}`).toBe(401);
    }
    expect(await footprint()).toEqual(before);
  });

  it('answers 401 to reads without a session too (GET and HEAD), and names an ended session', async () => {
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await app.inject({ method, url: `/api/v1/households/${householdId}` });
      expect(res.statusCode).toBe(401);
    }
    const res = await app.inject({ method: 'POST', url: '/api/v1/households', payload: { bad: true }, headers: { cookie: 'jz_session=not-a-session' } });
    expect(res.statusCode).toBe(401);
  });

  it('keeps the public routes public and the signed-in user’s field reasons', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: '' } });
    expect(login.statusCode).toBe(400);
    expect(login.json().error.code).toBe('validation_failed');
    for (const url of ['/api/v1/health', '/api/v1/codes', '/healthz', '/readyz', '/api/openapi.json', '/api/docs/']) {
      expect((await app.inject(url)).statusCode, url).toBe(200);
    }
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);
    expect((await app.inject('/api/v1/no-such-route')).statusCode).toBe(404);
    const signedIn = await app.inject({ method: 'POST', url: '/api/v1/households', payload: { household: { householdNo: 7 }, members: 'none' }, headers: { cookie } });
    expect(signedIn.statusCode).toBe(400);
    expect(signedIn.json().error.issues.length).toBeGreaterThan(0);
  });

  it('the rule is one list: every public API route in OpenAPI is in it, every other API route needs a session', async () => {
    const spec = (await app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({ method: m.toUpperCase(), route: path.replace(/\{(\w+)\}/g, ':$1') })));
    const open = routes.filter((r) => !needsSession(r.method, r.route)).map((r) => `${r.method} ${r.route}`).sort();
    expect(open).toEqual(['GET /healthz', 'GET /readyz', ...PUBLIC_ROUTES].sort());
    expect([...PUBLIC_ROUTES].sort()).toEqual(['GET /api/v1/codes', 'GET /api/v1/health', 'POST /api/v1/auth/login', 'POST /api/v1/auth/logout']);
  });
});
