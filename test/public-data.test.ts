// The public-data export (公开数据) through the API and `jingzhun export public` / `jingzhun report`
// on the command line: aggregates with small cells withheld (primary < 5 households, secondary so
// nothing can be recovered by subtraction or addition), anonymised microdata without names, ID
// numbers, phones, villages or birth dates, a dictionary of every column; scope; bad input 400 with
// nothing written. PGlite: an on-disk copy of the test template, closed before the CLI opens it;
// PostgreSQL: the shared test database (the CLI reads DATABASE_URL).
//
// A synthetic county in 2016 (16 households):
//   township 1: village 1 — 2 × 未脱贫 (2 people, wage 2,000) + 4 × 已脱贫 (3 people, wage 9,000)
//               village 2 — 3 × 返贫 (1 person, wage 1,500)                      → primary
//   township 2: village 3 — 2 × 已脱贫(不再享受) (2 people, wage 8,000)          → primary (and township 2)
//   township 3: village 4 — 5 × 未脱贫 (1 person, wage 1,000)
// Secondary: township 3 (the smallest other township beside township 2), village 1 (beside village 2),
// village 4 (inside withheld township 3). Microdata keeps township 1's 9 records only.
// County: 28 people, 10 poor households, 12 poor people, 6 exited households (16 people),
// net income 65,500 → 2,339.29 per head; rural population 500 → 2.40%.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPglite, type Db } from '../src/db/client.js';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { loadPopulations } from '../src/services/areas.js';
import { createUser } from '../src/services/users.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { suppress, ageBand, ethnicGroup, type SuppressionNode } from '../src/services/reports/public-data.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

const dir = mkdtempSync(join(tmpdir(), 'jz-public-data-'));
const env = { ...process.env, JINGZHUN_DATA_DIR: dir };
const PASSWORD = 'Test#Passw0rd';
let db: Db | undefined;
let app: ZodApp | undefined;
let area: TestArea;
let other: TestArea;
let t2: string;
let t3: string;
const villages: Record<string, string> = {};
const names: string[] = [];
const ids: string[] = [];
const householdIds: number[] = [];
const cookies: Record<string, string> = {};
let researcher = '';

function jz(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jingzhun.js', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function get(url: string, who = 'researcher') {
  return app!.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
}

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

function table(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v = row.values as unknown[];
    rows.push(Object.fromEntries(header.map((h, i) => [h, v[i + 1] ?? null])));
  });
  return rows;
}

async function auditCount(actorName: string): Promise<number> {
  const [r] = await db!.query<{ n: number | string }>('SELECT count(*) AS n FROM audit_log WHERE actor_name = $1', [actorName]);
  return Number(r!.n);
}

let seq = 0;
async function households(ctx: Ctx, village: string, n: number, status: string, size: number, wage: number, ethnicity: string) {
  for (let i = 0; i < n; i++) {
    seq += 1;
    const name = `公开数据户${seq}`;
    const idNumber = makeIdNumber(village.slice(0, 6), `1970-05-${String(1 + (seq % 28)).padStart(2, '0')}`, seq % 2 ? '1' : '2');
    names.push(name);
    ids.push(idNumber);
    const h = await createHousehold(ctx, {
      household: { householdNo: householdNo('PD'), villageCode: village, attribute: '1', exitStatus: status, mainCause: '05', identifiedOn: '2014-05-01', exitYear: status === '1' || status === '4' ? 2016 : null, phone: '13712345678' },
      members: [{ name, idNumber, relation: '01', ethnicity, phone: '13712345678' }],
    });
    householdIds.push(h.id);
    await putHouseholdYear(ctx, h.id, 2016, { householdSize: size, status, wageIncome: wage, foodSecure: true, clothingSecure: true, educationSecure: true, medicalSecure: true, housingSecure: i % 2 === 0, waterSecure: true });
  }
}

beforeAll(async () => {
  db = process.env.DATABASE_URL
    ? await testDb()
    : await openPglite({ dataDir: join(dir, 'pgdata'), loadDataDir: new Blob([readFileSync(inject('templatePath'))]) });
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  other = await makeArea(db);
  const c = area.countyCode;
  t2 = `${c}002`;
  t3 = `${c}003`;
  await db.query(
    `INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES
      ($2::text, '测试二苏木', 4, $1::text, $1::text, true), ($2::text || '001', '测试三嘎查', 5, $2::text, $1::text, true),
      ($3::text, '测试三苏木', 4, $1::text, $1::text, true), ($3::text || '001', '测试四嘎查', 5, $3::text, $1::text, true)`,
    [c, t2, t3],
  );
  [villages.v1, villages.v2] = area.villageCodes;
  villages.v3 = `${t2}001`;
  villages.v4 = `${t3}001`;
  const ctx = { actor: systemActor('public-data-test'), db };
  await households(ctx, villages.v1!, 2, '0', 2, 2000, '02');
  await households(ctx, villages.v1!, 4, '1', 3, 9000, '01');
  await households(ctx, villages.v2!, 3, '3', 1, 1500, '03');
  await households(ctx, villages.v3!, 2, '4', 2, 8000, '02');
  await households(ctx, villages.v4!, 5, '0', 1, 1000, '02');
  await households(ctx, other.villageCodes[0], 6, '0', 1, 1000, '02');
  await loadPopulations(ctx, `area_code,year,rural_people,rural_households\n${c},2016,500,150\n${area.townshipCode},2016,300,90\n`);
  researcher = `pdresearch${c}`;
  await createUser(ctx, { username: researcher, role: 'researcher', areaCode: c, password: PASSWORD });
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: researcher, password: PASSWORD } });
  cookies.researcher = `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}, 180_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('small-cell suppression', () => {
  const node = (code: string, households: number, children: SuppressionNode[] = []): SuppressionNode => ({ code, name: code, parentCode: null, cell: { households, people: households, poorHouseholds: 0, poorPeople: 0, exitedHouseholds: 0, exitedPeople: 0, incomeFen: 0 }, children, suppressed: '' });

  it('withholds rows under 5 households, one more beside a lone one, and the children of a withheld row', () => {
    const v = [node('a1', 6), node('a2', 3), node('b1', 2), node('c1', 5), node('d1', 7), node('d2', 8)];
    const t = [node('a', 9, [v[0]!, v[1]!]), node('b', 2, [v[2]!]), node('c', 5, [v[3]!]), node('d', 15, [v[4]!, v[5]!])];
    const root = node('r', 31, t);
    suppress(root);
    expect(Object.fromEntries([root, ...t, ...v].map((n) => [n.code, n.suppressed]))).toEqual({
      r: '', a: '', b: 'primary', c: 'secondary', d: '', a1: 'secondary', a2: 'primary', b1: 'primary', c1: 'secondary', d1: '', d2: '',
    });
  });

  it('bands ages and groups ethnicities coarsely', () => {
    expect([ageBand(2000, 2016), ageBand(1997, 2016), ageBand(1970, 2016), ageBand(1936, 2016), ageBand(null, 2016)]).toEqual(['<20', '<20', '40-49', '80+', null]);
    expect([ethnicGroup('02'), ethnicGroup('01'), ethnicGroup('03'), ethnicGroup(null)]).toEqual(['mongol', 'han', 'other', null]);
  });
});

describe('GET /api/v1/public-data', () => {
  it('gives a researcher the aggregates with small cells withheld', async () => {
    const before = await auditCount(researcher);
    const res = await get(`/api/v1/public-data?area=${area.countyCode}&year=2016`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明 About', 'aggregates', 'microdata']);
    const ws = wb.getWorksheet('aggregates')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 3 });
    const rows = table(ws);
    const by = Object.fromEntries(rows.map((r) => [String(r.area_code), r]));
    expect(Object.keys(by).sort()).toEqual([area.countyCode, area.townshipCode, t2, t3, villages.v1, villages.v2, villages.v3, villages.v4].sort());
    expect(by[area.countyCode]).toMatchObject({
      level: 'county', year: 2016, households: 16, people: 28, poor_households: 10, poor_people: 12, exited_households: 6, exited_people: 16,
      rural_people: 500, mean_per_capita_income: 2339.29, suppressed: null,
    });
    expect(by[area.countyCode]!.incidence).toBeCloseTo(12 / 500, 10);
    expect(by[area.townshipCode]).toMatchObject({ households: 9, people: 19, poor_households: 5, poor_people: 7, rural_people: 300, mean_per_capita_income: 2342.11 });
    expect(by[area.townshipCode]!.incidence).toBeCloseTo(7 / 300, 10);
    const suppressed = Object.fromEntries(rows.map((r) => [String(r.area_code), r.suppressed ?? '']));
    expect(suppressed).toMatchObject({ [t2]: 'primary', [t3]: 'secondary', [villages.v1!]: 'secondary', [villages.v2!]: 'primary', [villages.v3!]: 'primary', [villages.v4!]: 'secondary' });
    for (const code of [t2, t3, villages.v1!, villages.v2!, villages.v3!, villages.v4!]) {
      expect(by[code]).toMatchObject({ households: '<5', people: '<5', poor_people: '<5', incidence: null, mean_per_capita_income: null });
    }
    // Formats: whole numbers, percentages, money.
    const countyRow = rows.findIndex((r) => r.area_code === area.countyCode) + 2;
    expect(ws.getCell(`F${countyRow}`).numFmt).toBe('#,##0');
    expect(ws.getCell(`M${countyRow}`).numFmt).toBe('0.00%');
    expect(ws.getCell(`N${countyRow}`).numFmt).toBe('0.00');
    expect(await auditCount(researcher)).toBe(before);
  });

  it('gives anonymised microdata: no names, IDs, phones, villages or birth dates; township code only', async () => {
    const res = await get(`/api/v1/public-data?area=${area.countyCode}&year=2016`);
    const wb = await workbook(res.rawPayload);
    const ws = wb.getWorksheet('microdata')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toEqual([
      'pseudonym', 'township_code', 'year', 'household_size', 'status', 'attribute', 'main_cause', 'wage_income', 'production_income', 'property_income',
      'transfer_income', 'production_costs', 'non_counting_income', 'per_capita_income', 'food_secure', 'clothing_secure', 'education_secure',
      'medical_secure', 'housing_secure', 'water_secure', 'head_sex', 'head_ethnic_group', 'head_age_band',
    ]);
    for (const h of header) expect(h).not.toMatch(/name|id_number|phone|village|birth|address|household_no/);
    const rows = table(ws);
    // Township 2 (2 households) and township 3 (withheld beside it) are left out.
    expect(rows).toHaveLength(9);
    expect(new Set(rows.map((r) => r.township_code))).toEqual(new Set([area.townshipCode]));
    const pseudonyms = rows.map((r) => String(r.pseudonym));
    expect(new Set(pseudonyms).size).toBe(9);
    for (const p of pseudonyms) {
      expect(p).toMatch(/^P[0-9a-f]{12}$/);
      expect(householdIds.map(String)).not.toContain(p.slice(1));
    }
    expect(rows.map((r) => r.per_capita_income).sort()).toEqual([1000, 1000, 1500, 1500, 1500, 3000, 3000, 3000, 3000]);
    expect(rows.filter((r) => r.head_ethnic_group === 'mongol')).toHaveLength(2);
    expect(rows.filter((r) => r.head_ethnic_group === 'other')).toHaveLength(3);
    expect(new Set(rows.map((r) => r.head_age_band))).toEqual(new Set(['40-49']));
    expect(rows.every((r) => r.housing_secure === 0 || r.housing_secure === 1)).toBe(true);
    // Nothing personal anywhere in the workbook.
    const all: string[] = [];
    for (const w of wb.worksheets) w.eachRow((row) => row.eachCell((c) => all.push(String(c.value))));
    const text = all.join('\n');
    for (const s of [...names, ...ids, '13712345678', '1970-05']) expect(text).not.toContain(s);
    const micro: string[] = [];
    ws.eachRow((row) => row.eachCell((c) => micro.push(String(c.value))));
    for (const v of Object.values(villages)) expect(micro.join('\n')).not.toContain(v);
    // A second export: same records, new pseudonyms (exports cannot be linked).
    const again = table((await workbook((await get(`/api/v1/public-data?area=${area.countyCode}&year=2016`)).rawPayload)).getWorksheet('microdata')!);
    expect(again).toHaveLength(9);
    expect(again.map((r) => String(r.pseudonym)).filter((p) => pseudonyms.includes(p))).toEqual([]);
  });

  it('describes every column in Chinese and English in the dictionary', async () => {
    const wb = await workbook((await get(`/api/v1/public-data?area=${area.countyCode}&year=2016`)).rawPayload);
    const about = wb.getWorksheet('说明 About')!;
    const dict = new Map<string, unknown[]>();
    about.eachRow((row) => {
      const v = row.values as unknown[];
      if (v[1] === 'aggregates' || v[1] === 'microdata') dict.set(`${String(v[1])}.${String(v[2])}`, v);
    });
    for (const sheet of ['aggregates', 'microdata']) {
      for (const col of (wb.getWorksheet(sheet)!.getRow(1).values as unknown[]).slice(1)) {
        const d = dict.get(`${sheet}.${String(col)}`);
        expect(d, `${sheet}.${String(col)}`).toBeTruthy();
        expect(String(d![3])).toMatch(/[\u4e00-\u9fff]/);
        expect(String(d![4])).toMatch(/[A-Za-z]/);
      }
    }
    expect(String(dict.get('microdata.status')![6])).toContain('0=未脱贫');
    expect(String(about.getCell('A3').value)).toContain('少于 5 户');
  });

  it('refuses other counties (404) and bad input (400, in both languages)', async () => {
    const before = await auditCount(researcher);
    expect((await get(`/api/v1/public-data?area=${other.countyCode}&year=2016`)).statusCode).toBe(404);
    const village = await get(`/api/v1/public-data?area=${villages.v1}&year=2016`);
    expect(village.statusCode).toBe(400);
    expect(village.json().error.issues[0]).toMatchObject({ field: 'area' });
    expect(village.json().error.issues[0].zh).toContain('苏木乡镇或更大区划');
    expect(village.json().error.issues[0].en).toContain('township or larger');
    const unknown = await get(`/api/v1/public-data?area=${area.countyCode}009&year=2016`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.issues[0].zh).toContain('不存在');
    const year = await get(`/api/v1/public-data?area=${area.countyCode}&year=3000`);
    expect(year.statusCode).toBe(400);
    expect(year.json().error.issues[0].field).toBe('year');
    expect(await auditCount(researcher)).toBe(before);
  });
});

describe('jingzhun export public and jingzhun report', () => {
  beforeAll(async () => {
    // PGlite: one process at a time on the data dir, so the test's own handle closes first.
    if (!process.env.DATABASE_URL) {
      await app?.close();
      await db?.close();
      app = undefined;
      db = undefined;
    }
  });

  it('writes the three CSV files and a README to a directory', () => {
    const out = join(dir, 'public');
    const r = jz('export', 'public', '--area', area.countyCode, '--year', '2016', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['README.txt', 'aggregates.csv', 'dictionary.csv', 'microdata.csv']);
    expect(r.out).toContain('微观数据 9 行 microdata rows');
    const micro = parse(readFileSync(join(out, 'microdata.csv'), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    expect(micro).toHaveLength(9);
    expect(Object.keys(micro[0]!)).not.toContain('name');
    const agg = parse(readFileSync(join(out, 'aggregates.csv'), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    expect(agg.find((a) => a.area_code === villages.v2)).toMatchObject({ households: '<5', incidence: '', suppressed: 'primary' });
    expect(agg.find((a) => a.area_code === area.countyCode)).toMatchObject({ households: '16', people: '28', suppressed: '' });
    const all = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    for (const s of [...names, ...ids]) expect(all).not.toContain(s);
  }, 240_000);

  it('refuses a bad year and writes nothing', () => {
    const out = join(dir, 'bad');
    const r = jz('export', 'public', '--area', area.countyCode, '--year', '1999', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--year (year)');
    expect(r.err).toContain('年度应为 2000–2100 的整数');
    expect(r.err).toContain('year must be a whole number');
    expect(existsSync(out)).toBe(false);
  }, 240_000);

  it('writes the village and county exit reports, and refuses an --out that is not .xlsx', () => {
    const file = join(dir, '村级报表.xlsx');
    const v = jz('report', 'village', villages.v1!, '--year', '2016', '--out', file);
    expect(v.code, v.err).toBe(0);
    expect(v.out).toContain('6 户 households');
    expect(existsSync(file)).toBe(true);
    const c = jz('report', 'county-exit', area.countyCode, '--year', '2016', '--out', join(dir, 'county.xlsx'));
    expect(c.code, c.err).toBe(0);
    expect(c.out).toContain('达标 pass');
    const bad = jz('report', 'village', villages.v1!, '--year', '2016', '--out', join(dir, 'v.csv'));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--out 应以 .xlsx 结尾');
    expect(existsSync(join(dir, 'v.csv'))).toBe(false);
    const wrong = jz('report', 'village', area.townshipCode, '--year', '2016', '--out', join(dir, 'w.xlsx'));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('CODE (area)');
    expect(existsSync(join(dir, 'w.xlsx'))).toBe(false);
  }, 240_000);
});
