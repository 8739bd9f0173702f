// Issue 7: a fuzz suite. Every POST/PUT/PATCH route in the OpenAPI document gets random JSON
// bodies, random path ids and random query strings; the household importer and the
// questionnaire importer get random bytes, broken encodings, huge cells and formula cells.
// Nothing may answer 500, and a refused request (4xx) must leave the register as it was.
// The runs are seeded, so a failure reproduces. Everything is scoped to a synthetic county and
// to the fuzz user's audit rows, so the shared PostgreSQL test database can run other files
// in parallel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createUser } from '../src/services/users.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { TEMPLATE_HEADERS, exampleRows } from '../src/domain/template.js';
import { engineName, testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

const PASSWORD = 'Fuzz#Passw0rd';
const RUNS = 15;
const SEED = 42;

let db: Db;
let app: ZodApp;
let area: TestArea;
let fuzzUser = '';
let fuzzUserId = 0;
let cookie = '';
let inspectorCookie = '';
let planId = 0;

async function login(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  return `jz_session=${res.cookies.find((c) => c.name === 'jz_session')!.value}`;
}

/** Rows of the key tables that belong to the synthetic county or the fuzz user. */
async function counts() {
  const [r] = await db.query<{ h: number; m: number; y: number; a: number }>(
    `SELECT (SELECT count(*)::int FROM households WHERE county_code = $1) AS h,
            (SELECT count(*)::int FROM members WHERE county_code = $1) AS m,
            (SELECT count(*)::int FROM household_years WHERE county_code = $1) AS y,
            (SELECT count(*)::int FROM audit_log WHERE actor_id = $2) AS a`,
    [area.countyCode, fuzzUserId],
  );
  return r!;
}

async function registerCounts() {
  const { h, m, y } = await counts();
  return { h, m, y };
}

function multipart(filename: string, content: Buffer) {
  const boundary = `----jzfuzz${Date.now().toString(16)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false, rateLimits: { loginPerIp: 0, loginPerUser: 0, importsPerUser: 0, global: 0 } });
  await app.ready();
  area = await makeArea(db);
  const admin: Ctx = { actor: systemActor('fuzz'), db };
  fuzzUser = `fuzz-city-${area.countyCode}`;
  const u = await createUser(admin, { username: fuzzUser, role: 'city_admin', areaCode: area.cityCode, password: PASSWORD });
  fuzzUserId = Number((u as { id: number }).id);
  cookie = await login(fuzzUser);
  // A few households so ids in the county exist and an evaluation plan can be drawn.
  for (let i = 0; i < 4; i++) {
    const h = await createHousehold(admin, {
      household: { householdNo: householdNo('FZ'), villageCode: area.villageCodes[0], attribute: '1', exitStatus: '1', mainCause: '01', identifiedOn: '2015-05-01', exitYear: 2019 },
      members: [{ name: `模糊${i}`, idNumber: makeIdNumber(area.countyCode, `1966-04-0${i + 1}`, '1', 400 + i), relation: '01', ethnicity: '02' }],
    });
    await putHouseholdYear(admin, h.id, 2020, { householdSize: 1, status: '1', wageIncome: 12000 });
  }
  // An inspector leading an evaluation plan (the questionnaire importer needs plan membership).
  const lead = `fuzz-lead-${area.countyCode}`;
  await createUser(admin, { username: lead, role: 'inspector', areaCode: area.cityCode, password: PASSWORD });
  inspectorCookie = await login(lead);
  const plan = await app.inject({
    method: 'POST', url: '/api/v1/assessment/plans', headers: { cookie: inspectorCookie },
    payload: { county: area.countyCode, year: 2020, name: '模糊测试', sizes: { villages: { poor: 1, nonPoor: 0 }, households: { exited: 4, remaining: 0, nonRegistered: 0 } } },
  });
  expect(plan.statusCode, plan.body).toBe(201);
  planId = plan.json().id;
  const drawn = await app.inject({ method: 'POST', url: `/api/v1/assessment/plans/${planId}/draw`, headers: { cookie: inspectorCookie } });
  expect(drawn.statusCode, drawn.body).toBe(200);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

// ---- arbitraries -------------------------------------------------------------------------

const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ufeff', 'NaN', 'Infinity', '-0', '1e308', '-1e308', '9007199254740993',
    '99999999999999999999999', '0x1f', '2020-02-30', '2020-13-01', '0000-00-00', '\'; DROP TABLE households; --', '%00', '../..',
    "=cmd|' /C calc'!A0", '+1', '-1', '@SUM(1)', '<script>alert(1)</script>', '户主', '1', '0', 'true', 'null', '{}', '[]',
  ),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => 'x'.repeat(n)),
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 63), 0.1, 2020, 1, -1),
);

const leaf = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null));

const deep = fc.integer({ min: 50, max: 400 }).map((d) => {
  let v: unknown = 1;
  for (let i = 0; i < d; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

/** Objects whose keys are often real field names of the API, so validation goes a little deeper. */
const KEYS = [
  'household', 'members', 'name', 'idNumber', 'villageCode', 'year', 'version', 'status', 'county', 'area', 'areaCode', 'code',
  'username', 'password', 'role', 'amount', 'items', 'ids', 'householdId', 'sizes', 'reason', 'note', 'date', 'type', 'kind',
  'step', 'decision', 'params', 'value', 'from', 'to', 'month', 'unitId', 'projectId', 'measureType', 'channel', 'fen',
];
const body: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), fc.oneof(leaf, fc.array(leaf, { maxLength: 5 }), fc.dictionary(fc.constantFrom(...KEYS), leaf)), { maxKeys: 8 }) },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 4, withNullPrototype: false }) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 10 }) },
);

const pathParam = fc.oneof(
  fc.integer({ min: -5, max: 50 }).map(String),
  fc.constantFrom('0', '-1', '1e308', 'NaN', '99999999999999999999', '9223372036854775808', 'abc', '%00', '%ED%A0%80', '%FF', '..', ' ', '1.5', '0x10'),
  fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent),
);

const queryString = fc.dictionary(
  fc.constantFrom('year', 'area', 'dryRun', 'page', 'pageSize', 'format', 'status', 'county', 'q', 'month', 'x'),
  fc.oneof(nastyString.filter((s) => s.length < 2000), nastyNumber.map(String)),
  { maxKeys: 3 },
).map((q) => Object.entries(q).map(([k, v]) => `${k}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '?'))}`).join('&'));

// ---- 1. every write route of the API -----------------------------------------------------

interface Route { method: 'POST' | 'PUT' | 'PATCH'; path: string }

function writeRoutes(): Route[] {
  const spec = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const out: Route[] = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const m of Object.keys(ops)) {
      if (m === 'post' || m === 'put' || m === 'patch') out.push({ method: m.toUpperCase() as Route['method'], path });
    }
  }
  return out;
}

/** Routes that end the fuzz user's session when they succeed are fuzzed, then the session is renewed. */
const ENDS_SESSION = /\/auth\/(logout|password)/;

describe(`fuzz (${engineName})`, () => {
  it('answers every POST/PUT/PATCH route with < 500 and writes nothing when it refuses', async () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const seen: string[] = [];
    const statuses: Record<number, number> = {};
    for (const r of routes) {
      await fc.assert(
        fc.asyncProperty(body, fc.array(pathParam, { minLength: 4, maxLength: 4 }), queryString, fc.boolean(), async (payload, ids, qs, asText) => {
          let i = 0;
          const url = r.path.replace(/\{[^}]+\}/g, () => ids[i++ % ids.length]!) + (qs ? `?${qs}` : '');
          const before = await counts();
          const res = await app.inject({
            method: r.method,
            url,
            headers: { cookie, 'content-type': 'application/json' },
            // Half the time the JSON text; otherwise the value as is (a bare string goes out unquoted, so it is not JSON).
            payload: asText ? (JSON.stringify(payload) ?? 'undefined') : ((payload ?? '') as string | object),
          });
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          if (res.statusCode >= 500) {
            throw new Error(`${r.method} ${url} → ${res.statusCode} ${res.body.slice(0, 500)}\nbody: ${(JSON.stringify(payload) ?? '').slice(0, 500)}`);
          }
          if (res.statusCode >= 400) {
            const after = await counts();
            expect(after, `${r.method} ${url} → ${res.statusCode} wrote rows`).toEqual(before);
          }
          if (ENDS_SESSION.test(r.path) && res.statusCode < 400) cookie = await login(fuzzUser);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      seen.push(`${r.method} ${r.path}`);
    }
    expect(seen).toHaveLength(routes.length);
    console.log(`fuzzed ${routes.length} routes × ${RUNS} runs; statuses`, statuses);
    // The fuzz user stayed signed in: most refusals are validation, not 401.
    expect(statuses[401] ?? 0).toBeLessThan((statuses[400] ?? 0) / 4);
  }, 300_000);

  it('refuses malformed JSON, wrong content types and oversized bodies with 4xx', async () => {
    const routes = writeRoutes().filter((r) => !r.path.includes('{'));
    const bad: [string, string | Buffer][] = [
      ['application/json', '{"a":'],
      ['application/json', '\u0000'],
      ['application/json', Buffer.from([0xff, 0xfe, 0x00, 0x7b])],
      ['application/json', `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`],
      ['text/plain', 'hello'],
      ['application/x-www-form-urlencoded', 'a=1&b=2'],
      ['multipart/form-data', '--x\r\n'],
    ];
    for (const r of routes) {
      for (const [type, payload] of bad) {
        const before = await registerCounts();
        const res = await app.inject({ method: r.method, url: r.path, headers: { cookie, 'content-type': type }, payload });
        expect(res.statusCode, `${r.method} ${r.path} ${type} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(await registerCounts()).toEqual(before);
        if (ENDS_SESSION.test(r.path) && res.statusCode < 400) cookie = await login(fuzzUser);
      }
    }
  }, 120_000);

  // ---- 2. the household importer -----------------------------------------------------------

  async function upload(name: string, data: Buffer, dryRun = false) {
    const up = multipart(name, data);
    return app.inject({ method: 'POST', url: `/api/v1/imports${dryRun ? '?dryRun=true' : ''}`, headers: { ...up.headers, cookie }, payload: up.payload });
  }

  /** Uploads; never 500; on refusal (4xx) the register is unchanged. */
  async function importChecked(name: string, data: Buffer) {
    const before = await registerCounts();
    const res = await upload(name, data);
    expect(res.statusCode, `${name}: ${res.body.slice(0, 500)}`).toBeLessThan(500);
    if (res.statusCode >= 400) expect(await registerCounts(), `${name} wrote rows on ${res.statusCode}`).toEqual(before);
    return res;
  }

  function csvOf(rows: (string | number)[][], headers: readonly string[] = TEMPLATE_HEADERS): string {
    return stringify([[...headers], ...rows]);
  }

  function validRow(extra: Record<string, string | number> = {}, seq = 450): Record<string, string | number> {
    const base = exampleRows()[0]!;
    return {
      ...base, 旗县: '', 苏木乡镇: '', 嘎查村: '', 户编号: householdNo('FZI'), 村代码: area.villageCodes[1], 年度: 2020, 姓名: '模糊户主',
      身份证号: makeIdNumber(area.countyCode, '1971-05-06', '1', seq), 与户主关系: '户主', 性别: '男', 出生日期: '1971-05-06', 成员联系电话: '', ...extra,
    };
  }

  it('importer: random bytes under every file name are refused (4xx) and write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.constantFrom('f.xlsx', 'f.csv', 'f.xls', 'f.txt', 'f', '..\\..\\f.csv', '\u0000.csv'), async (bytes, name) => {
        const res = await importChecked(name, Buffer.from(bytes));
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
      }),
      { seed: SEED, numRuns: 30 },
    );
    // A zip that is not a workbook, and a truncated real workbook.
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow([...TEMPLATE_HEADERS]);
    const real = Buffer.from(await wb.xlsx.writeBuffer());
    for (const cut of [10, 100, Math.floor(real.length / 2), real.length - 20]) {
      expect((await importChecked('cut.xlsx', real.subarray(0, cut))).statusCode).toBeGreaterThanOrEqual(400);
    }
    expect((await importChecked('zip.xlsx', Buffer.from('PK\u0003\u0004' + 'x'.repeat(200)))).statusCode).toBeGreaterThanOrEqual(400);
  }, 120_000);

  it('importer: a valid header followed by random rows never answers 500 and writes nothing when refused', async () => {
    const cell = fc.oneof(nastyString.filter((s) => s.length < 5000), nastyNumber.map(String));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 0, maxLength: TEMPLATE_HEADERS.length + 3 }), { minLength: 1, maxLength: 6 }), fc.boolean(), async (rows, asXlsx) => {
        let data: Buffer;
        if (asXlsx) {
          const wb = new ExcelJS.Workbook();
          const ws = wb.addWorksheet('农户');
          ws.addRow([...TEMPLATE_HEADERS]);
          // exceljs refuses lone surrogates and control characters in shared strings only at read time.
          for (const r of rows) ws.addRow(r);
          data = Buffer.from(await wb.xlsx.writeBuffer());
        } else {
          data = Buffer.from(csvOf(rows), 'utf8');
        }
        await importChecked(asXlsx ? 'rows.xlsx' : 'rows.csv', data);
      }),
      { seed: SEED, numRuns: 20 },
    );
  }, 120_000);

  it('importer: GBK text with invalid sequences, a 5 MB cell and formula cells', async () => {
    const row = validRow();
    const line = TEMPLATE_HEADERS.map((h) => String(row[h] ?? ''));
    // GBK with invalid lead/trail bytes spliced into a data row.
    const gbk = iconv.encode(csvOf([line]), 'gbk');
    const broken = Buffer.concat([gbk.subarray(0, gbk.length - 10), Buffer.from([0x81, 0x20, 0xff, 0xfe, 0x80, 0xa1]), gbk.subarray(gbk.length - 10)]);
    expect((await importChecked('gbk.csv', broken)).statusCode).toBeLessThan(500);
    // GBK header with only broken bytes after it; UTF-16 text; a BOM followed by GBK.
    await importChecked('gbk2.csv', Buffer.concat([iconv.encode(TEMPLATE_HEADERS.join(','), 'gbk'), Buffer.from('\r\n'), Buffer.from([0x81, 0x81, 0x81, 0xff, 0x00, 0x0a])]));
    await importChecked('utf16.csv', iconv.encode(csvOf([line]), 'utf16-le'));
    await importChecked('bomgbk.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), gbk]));
    // A 5 MB cell, in CSV and in a workbook.
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const big = TEMPLATE_HEADERS.map((h) => (h === '村民小组' ? huge : String(row[h] ?? '')));
    expect((await importChecked('huge.csv', Buffer.from(csvOf([big])))).statusCode).toBeGreaterThanOrEqual(400);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('农户');
    ws.addRow([...TEMPLATE_HEADERS]);
    ws.addRow(big);
    expect((await importChecked('huge.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))).statusCode).toBeGreaterThanOrEqual(400);
    // Formula-looking cells in every text, code, number and date column.
    for (const f of ["=cmd|' /C calc'!A0", '+cmd|x', '-2+3', '@SUM(A1)', '=HYPERLINK("http://x")']) {
      const cells = TEMPLATE_HEADERS.map(() => f);
      await importChecked('formula.csv', Buffer.from(csvOf([cells])));
      const wf = new ExcelJS.Workbook();
      const sheet = wf.addWorksheet('农户');
      sheet.addRow([...TEMPLATE_HEADERS]);
      sheet.addRow(cells);
      // And as a real formula cell.
      sheet.addRow(TEMPLATE_HEADERS.map(() => ({ formula: 'CMD|\' /C calc\'!A0', result: 1 })));
      await importChecked('formula.xlsx', Buffer.from(await wf.xlsx.writeBuffer()));
    }
  }, 120_000);

  it('importer → export: a formula in a text field is stored and exported neutralised', async () => {
    const formula = '=HYPERLINK("http://x")';
    const row = validRow({ 村民小组: formula, 姓名: "=cmd|' /C calc'!A0" }, 460);
    const line = TEMPLATE_HEADERS.map((h) => String(row[h] ?? ''));
    const res = await importChecked('ok.csv', Buffer.from(csvOf([line])));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('imported');
    const csv = await app.inject({ method: 'GET', url: `/api/v1/exports/households?area=${area.villageCodes[1]}&format=csv`, headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    const text = csv.body.replace(/^\ufeff/, '');
    expect(text).toContain(`'${formula.replaceAll('"', '""')}`);
    expect(text).toContain(`'=cmd|' /C calc'!A0`);
    // No cell of the CSV starts with a formula character without the guard.
    for (const l of text.split(/\r?\n/).slice(1)) for (const c of l.split(',')) expect(c.replace(/^"/, '')).not.toMatch(/^[=+@]/);
    const x = await app.inject({ method: 'GET', url: `/api/v1/exports/households?area=${area.villageCodes[1]}&format=xlsx`, headers: { cookie } });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = Array.from(ws.getRow(1).values as unknown[], (v) => String(v ?? ''));
    const r2 = ws.getRow(2);
    expect(r2.getCell(header.indexOf('村民小组')).value).toBe(`'${formula}`);
    expect(r2.getCell(header.indexOf('姓名')).value).toBe(`'=cmd|' /C calc'!A0`);
    ws.eachRow((r, n) => {
      if (n === 1) return;
      r.eachCell((c) => {
        expect(c.formula, `formula cell at row ${n}`).toBeUndefined();
        if (typeof c.value === 'string') expect(c.value).not.toMatch(/^[=+@\t\r]/);
      });
    });
    // The guard is stripped on re-import: the round trip changes nothing.
    const again = await importChecked('again.csv', Buffer.from(text, 'utf8'));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().households).toMatchObject({ created: 0, updated: 0 });
  }, 60_000);

  // ---- 3. the questionnaire importer -------------------------------------------------------

  it('questionnaire import: random bytes are refused with 400, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.constantFrom('q.xlsx', 'q.csv', 'q', 'q.xls'), async (bytes, name) => {
        const up = multipart(name, Buffer.from(bytes));
        const before = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE actor_name = $1`, [`fuzz-lead-${area.countyCode}`]);
        const res = await app.inject({ method: 'POST', url: `/api/v1/assessment/plans/${planId}/surveys/import`, headers: { ...up.headers, cookie: inspectorCookie }, payload: up.payload });
        expect(res.statusCode, res.body.slice(0, 500)).toBe(400);
        const after = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE actor_name = $1`, [`fuzz-lead-${area.countyCode}`]);
        expect(after).toEqual(before);
      }),
      { seed: SEED, numRuns: 25 },
    );
  }, 60_000);
});
