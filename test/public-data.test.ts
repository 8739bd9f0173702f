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
// village 4 (inside withheld township 3). Microdata keeps township 1's 9 records only; no five of them
// share size, head's sex and ethnic group, so k-anonymity (k = 5) leaves only their township code.
// County: 28 people, 10 poor households, 12 poor people, 6 exited households (16 people),
// net income 65,500 → 2,339.29 per head; rural population 500 → 2.40%.
// Asked for on its own, township 3 is withheld all the same (else county − township 1 − township 3
// would give township 2).
//
// A second synthetic city of three counties, for the city level: county A 2 households (primary in
// the city), county B 5 (secondary beside A), county C 6 (shown; 7 people each, wage 1,234.56 →
// 1,200 and 176.37 → 200 per head in the microdata, size 6+). C's names start with =, +, - and @.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
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
import {
  suppress, ageBand, ethnicGroup, kAnonymise, publicData, publicDataCsv, publicDataWorkbook, round100, sizeBand,
  type MicroRow, type PublicData, type SuppressionNode,
} from '../src/services/reports/public-data.js';
import { dictionary } from '../src/services/reports/public-data-files.js';
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
/** The second city: its code, and counties A (2 households), B (5) and C (6). */
const city2 = { code: '', a: '', b: '', c: '', cTownship: '' };
const C_NAMES = { county: '=HYPERLINK("http://example.com","x")', township: '+1+1', village: '-2+3', other: '@SUM(1,1)' };
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
/** A county code not yet used under `city`. */
async function freshCounty(city: string): Promise<string> {
  for (;;) {
    const code = `${city}${String(randomInt(1, 100)).padStart(2, '0')}`;
    if (!(await db!.query('SELECT 1 FROM areas WHERE code = $1', [code])).length) return code;
  }
}

/** A county with one township and one village under `city`, named as given. */
async function addCounty(city: string, names = { county: '测试旗', township: '测试苏木', village: '测试嘎查' }): Promise<string> {
  const county = await freshCounty(city);
  await db!.query(
    `INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES
      ($1::text, $3::text, 3, $2::text, $1::text, true), ($1::text || '001', $4::text, 4, $1::text, $1::text, true),
      ($1::text || '001001', $5::text, 5, $1::text || '001', $1::text, true)`,
    [county, city, names.county, names.township, names.village],
  );
  return county;
}

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
  // The second city (not the city of either county above).
  let a2: TestArea;
  do a2 = await makeArea(db);
  while (a2.cityCode === area.cityCode || a2.cityCode === other.cityCode);
  city2.code = a2.cityCode;
  city2.a = a2.countyCode;
  city2.b = await addCounty(a2.cityCode);
  city2.c = await addCounty(a2.cityCode, { county: C_NAMES.county, township: C_NAMES.township, village: C_NAMES.village });
  city2.cTownship = `${city2.c}001`;
  await households(ctx, a2.villageCodes[0], 2, '0', 1, 1000, '02');
  await households(ctx, `${city2.b}001001`, 5, '0', 1, 1000, '02');
  await households(ctx, `${city2.c}001001`, 6, '0', 7, 1234.56, '02');
  researcher = `pdresearch${c}`;
  await createUser(ctx, { username: researcher, role: 'researcher', areaCode: c, password: PASSWORD });
  await createUser(ctx, { username: `pdcity${city2.code}${c}`, role: 'researcher', areaCode: city2.code, password: PASSWORD });
  for (const [who, username] of [['researcher', researcher], ['city', `pdcity${city2.code}${c}`]] as const) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    cookies[who] = `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
  }
}, 240_000);

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

  const micro = (townshipCode: string, householdSize: MicroRow['householdSize'], headSex: string, headEthnicGroup: MicroRow['headEthnicGroup'], headAgeBand: string, n: number): MicroRow[] =>
    Array.from({ length: n }, (_, i) => ({
      pseudonym: `P${townshipCode}${householdSize}${headSex}${headEthnicGroup}${headAgeBand}${i}`, townshipCode, year: 2016, householdSize, status: '0', attribute: '1', mainCause: null,
      wageIncome: 0, productionIncome: 0, propertyIncome: 0, transferIncome: 0, productionCosts: 0, nonCountingIncome: 0, perCapitaIncome: 0,
      foodSecure: 1, clothingSecure: 1, educationSecure: 1, medicalSecure: 1, housingSecure: 1, waterSecure: 1, headSex, headEthnicGroup, headAgeBand,
    }));

  it('k-anonymises the microdata: blanks age band, then ethnic group, then sex, then size, then drops', () => {
    const rows = [
      ...micro('T', 2, '1', 'mongol', '40-49', 5), // a combination of 5: kept as it is
      ...micro('T', 3, '2', 'han', '50-59', 3), ...micro('T', 3, '2', 'han', '60-69', 2), // 5 without the age band
      ...micro('T', 1, '1', 'other', '30-39', 4), ...micro('T', 1, '1', 'han', '30-39', 1), // 5 without age band and ethnic group
      ...micro('T', '6+', '2', 'mongol', '80+', 3), ...micro('T', 4, '1', 'han', '20-29', 2), // 5 with the township alone
      ...micro('U', 2, '1', 'mongol', '40-49', 2), // 2 in township U: dropped
    ];
    const r = kAnonymise(rows);
    expect(r.dropped).toBe(2);
    expect(r.blanked).toEqual({ headAgeBand: 15, headEthnicGroup: 10, headSex: 5, householdSize: 5 });
    const shape = (m: MicroRow) => [m.townshipCode, m.householdSize, m.headSex, m.headEthnicGroup, m.headAgeBand].join('|');
    const count = new Map<string, number>();
    for (const m of r.rows) count.set(shape(m), (count.get(shape(m)) ?? 0) + 1);
    expect(Object.fromEntries(count)).toEqual({
      'T|2|1|mongol|40-49': 5,
      'T|3|2|han|suppressed': 5,
      'T|1|1|suppressed|suppressed': 5,
      'T|suppressed|suppressed|suppressed|suppressed': 5,
    });
    // The input is left as it was.
    expect(rows.filter((m) => m.headAgeBand === 'suppressed')).toEqual([]);
  });

  it('k-anonymises any table so every combination given has at least 5 rows', () => {
    const pick = <T,>(xs: readonly T[]) => xs[randomInt(0, xs.length)]!;
    for (let round = 0; round < 20; round++) {
      const rows = Array.from({ length: randomInt(0, 300) }, () => micro(pick(['A', 'B', 'C']), pick([1, 2, 3, 4, 5, '6+'] as const), pick(['1', '2']), pick(['mongol', 'han', 'other', null] as const), pick(['<20', '30-39', '50-59', '80+']), 1)[0]!);
      const r = kAnonymise(rows);
      expect(r.rows.length + r.dropped).toBe(rows.length);
      const count = new Map<string, number>();
      for (const m of r.rows) {
        const k = JSON.stringify([m.townshipCode, m.householdSize, m.headSex, m.headEthnicGroup, m.headAgeBand]);
        count.set(k, (count.get(k) ?? 0) + 1);
      }
      for (const n of count.values()) expect(n).toBeGreaterThanOrEqual(5);
    }
  });

  it('rounds incomes to 100 yuan and top-codes household size at 6+', () => {
    expect([1234.56, 1250, 1249.99, 49.99, -49.99, -150, 0, 617.28].map(round100)).toEqual([1200, 1300, 1200, 0, 0, -200, 0, 600]);
    expect(Object.is(round100(-10), 0)).toBe(true);
    expect([1, 5, 6, 11].map(sizeBand)).toEqual([1, 5, '6+', '6+']);
  });

  it('writes formula-like text with a leading apostrophe in the workbook and the CSV files', async () => {
    const names = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1'];
    const d: PublicData = {
      area: { code: '150599', name: '=1+1', level: 3, path: [{ code: '15', name: '内蒙古自治区' }, { code: '1505', name: '@市' }, { code: '150599', name: '=1+1' }] },
      year: 2016,
      generatedOn: '2025-01-01',
      aggregates: names.map((name, i) => ({
        level: 'village', code: `15059900100${i}`, name, parentCode: '150599001', year: 2016, households: 9, people: 9, poorHouseholds: 0, poorPeople: 0,
        exitedHouseholds: 0, exitedPeople: 0, ruralPeople: null, incidence: null, meanPerCapitaIncome: null, suppressed: '',
      })),
      microdata: [],
      dictionary: dictionary(),
      notes: { minCell: 5, primarySuppressed: 0, secondarySuppressed: 0, areaSuppressed: '', droppedTownships: 0, droppedRecords: 0, k: 5, blanked: { headAgeBand: 0, headEthnicGroup: 0, headSex: 0, householdSize: 0 }, kDroppedRecords: 0 },
    };
    const csv = parse(publicDataCsv(d)['aggregates.csv']!, { columns: true, bom: true }) as Record<string, string>[];
    expect(csv.map((r) => r.area_name)).toEqual(names.map((n) => `'${n}`));
    const wb = await workbook(await publicDataWorkbook(d));
    const got: unknown[] = [];
    wb.getWorksheet('aggregates')!.eachRow((row, n) => {
      if (n > 1) got.push(row.getCell(3).value);
    });
    expect(got).toEqual(names.map((n) => `'${n}`));
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
    // k-anonymity: sizes 2 (×2), 3 (×4), 1 (×3), heads of both sexes, three ethnic groups: no five
    // rows share more than the township, so all four quasi-identifiers read "suppressed".
    for (const r of rows) expect(r).toMatchObject({ household_size: 'suppressed', head_sex: 'suppressed', head_ethnic_group: 'suppressed', head_age_band: 'suppressed' });
    const about = wb.getWorksheet('说明 About')!;
    const lines: string[] = [];
    about.eachRow((row) => lines.push(String(row.getCell(1).value)));
    expect(lines).toContain('微观数据的收入（各项收入、支出和人均纯收入）四舍五入到 100 元；家庭人口 6 人及以上记为“6+”。k-匿名（k = 5）：（苏木乡镇、家庭人口、户主性别、民族、年龄段）组合少于 5 行的记录，依次将年龄段、民族、性别、家庭人口记为“suppressed”，直到组合不少于 5 行，仍不足的不提供。本次：年龄段隐藏 9 行，民族隐藏 9 行，性别隐藏 9 行，家庭人口隐藏 9 行，不提供 0 行。');
    expect(lines.join('\n')).toContain('This time: age band blanked in 9 rows, ethnic group in 9, sex in 9, household size in 9; 0 rows left out.');
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
    expect(String(dict.get('microdata.household_size')![6])).toContain('6+=6 人及以上 six or more');
    for (const c of ['household_size', 'head_sex', 'head_ethnic_group', 'head_age_band']) expect(String(dict.get(`microdata.${c}`)![6])).toContain('suppressed=');
    for (const c of ['wage_income', 'per_capita_income', 'production_costs']) expect(String(dict.get(`microdata.${c}`)![6])).toBe('四舍五入到 100 元 rounded to the nearest 100 yuan');
    expect(String(about.getCell('A3').value)).toContain('少于 5 户');
  });

  it('withholds an area asked for on its own when the county export withholds it (no recovery by subtraction)', async () => {
    // County export: township 1 shown (9), townships 2 (primary) and 3 (secondary) withheld.
    // Township 3 on its own must not show its 5 households: 16 − 9 − 5 would give township 2's 2.
    const res = await get(`/api/v1/public-data?area=${t3}&year=2016`);
    expect(res.statusCode, res.body).toBe(200);
    const wb = await workbook(res.rawPayload);
    const rows = table(wb.getWorksheet('aggregates')!);
    expect(rows.map((r) => [r.area_code, r.households, r.people, r.incidence, r.suppressed])).toEqual([
      [t3, '<5', '<5', null, 'secondary'],
      [villages.v4, '<5', '<5', null, 'secondary'],
    ]);
    expect(table(wb.getWorksheet('microdata')!)).toEqual([]);
    const lines: string[] = [];
    wb.getWorksheet('说明 About')!.eachRow((row) => lines.push(String(row.getCell(1).value)));
    expect(lines).toContain(`本区划（${t3}）在整体计算中被隐藏（secondary），其本身的户数、人数等也不公开，且不提供微观数据。`);
    expect(lines).toContain(`This area (${t3}) is withheld in the suppression over the whole tree (secondary): its own counts are withheld too and no microdata are given.`);
    // Township 1, shown in the county export, is shown on its own too, with the same figures.
    const t1 = table((await workbook((await get(`/api/v1/public-data?area=${area.townshipCode}&year=2016`)).rawPayload)).getWorksheet('aggregates')!);
    expect(t1[0]).toMatchObject({ area_code: area.townshipCode, households: 9, people: 19, suppressed: null });
    expect(Object.fromEntries(t1.map((r) => [r.area_code, r.suppressed ?? '']))).toEqual({ [area.townshipCode]: '', [villages.v1!]: 'secondary', [villages.v2!]: 'primary' });
  });

  it('withholds a county asked for on its own when the city export withholds it', async () => {
    const city = table((await workbook((await get(`/api/v1/public-data?area=${city2.code}&year=2016`, 'city')).rawPayload)).getWorksheet('aggregates')!);
    const by = Object.fromEntries(city.map((r) => [String(r.area_code), r]));
    expect(by[city2.code]).toMatchObject({ level: 'city', households: 13, suppressed: null });
    expect(by[city2.a]).toMatchObject({ households: '<5', suppressed: 'primary' });
    expect(by[city2.b]).toMatchObject({ households: '<5', suppressed: 'secondary' });
    expect(by[city2.c]).toMatchObject({ households: 6, suppressed: null });
    // County B alone (5 households, its own tree would show it) stays withheld: 13 − 6 − 5 = A.
    const res = await get(`/api/v1/public-data?area=${city2.b}&year=2016`, 'city');
    expect(res.statusCode, res.body).toBe(200);
    const wb = await workbook(res.rawPayload);
    const b = table(wb.getWorksheet('aggregates')!);
    expect(b.map((r) => [r.area_code, r.households, r.suppressed])).toEqual([
      [city2.b, '<5', 'secondary'], [`${city2.b}001`, '<5', 'secondary'], [`${city2.b}001001`, '<5', 'secondary'],
    ]);
    expect(table(wb.getWorksheet('microdata')!)).toEqual([]);
    // County C is shown on its own as in the city's export; its microdata rounded and top-coded.
    const c = await workbook((await get(`/api/v1/public-data?area=${city2.c}&year=2016`, 'city')).rawPayload);
    expect(table(c.getWorksheet('aggregates')!)[0]).toMatchObject({ area_code: city2.c, households: 6, people: 42, suppressed: null });
    const micro = table(c.getWorksheet('microdata')!);
    expect(micro).toHaveLength(6);
    for (const r of micro) {
      // Heads of both sexes, three each: the sex is blanked (after age band and ethnic group), size 6+ kept.
      expect(r).toMatchObject({
        township_code: city2.cTownship, household_size: '6+', wage_income: 1200, per_capita_income: 200,
        head_sex: 'suppressed', head_ethnic_group: 'suppressed', head_age_band: 'suppressed',
      });
    }
  });

  it('neutralises area names a spreadsheet would run as formulas, in the workbook and the CSV', async () => {
    const ctx = { actor: systemActor('public-data-test'), db: db! };
    const d = await publicData(ctx, { area: city2.c, year: 2016 });
    const csv = parse(publicDataCsv(d)['aggregates.csv']!, { columns: true, bom: true }) as Record<string, string>[];
    expect(csv.map((r) => r.area_name)).toEqual([`'${C_NAMES.county}`, `'${C_NAMES.township}`, `'${C_NAMES.village}`]);
    const wb = await workbook(await publicDataWorkbook(d));
    const ws = wb.getWorksheet('aggregates')!;
    const names: unknown[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const cell = row.getCell(3);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      names.push(cell.value);
    });
    expect(names).toEqual([`'${C_NAMES.county}`, `'${C_NAMES.township}`, `'${C_NAMES.village}`]);
    // Every text cell of every sheet and file, whatever it holds.
    const text = { ...d, aggregates: d.aggregates.map((a) => ({ ...a, name: C_NAMES.other })) };
    expect(publicDataCsv(text)['aggregates.csv']).toContain(`'${C_NAMES.other}`);
    expect(publicDataCsv(text)['aggregates.csv']).not.toMatch(/(^|,|")@SUM/m);
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
