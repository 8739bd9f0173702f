// Reports (报表) through the API on the real database: the household file card, the village report
// and the county exit report as Excel workbooks (opened again with exceljs: sheet names, headers,
// totals hand-computed, frozen panes, number formats) and as JSON; scope and role refusals; bad
// input answered 400 in both languages with nothing written.
//
// A synthetic western county (province 15, bars 3%) in 2016, poverty line 2,952 yuan:
//   village 1: H1 未脱贫, 3 people, wage 6,000 → 2,000.00 per head (below the line), 住房 否
//              H2 已脱贫(享受政策), 2 people, wage 8,000 + production 2,000 − costs 1,000 = 9,000 → 4,500.00
//              H3 返贫, 4 people, wage 10,000 → 2,500.00 (below), 饮水 否
//              rural population 200 → poor 3 + 4 = 7 → 3.50% > 3% → fails (at most 6)
//   village 2: H4 已脱贫(享受政策) 2 people 9,000; H5 已脱贫(不再享受政策) 1 person 5,000; rural 100 → 0% passes
//   township: rural 400 → 7 / 400 = 1.75%; county: rural 1,000 → 0.70% passes.
// The PostgreSQL test database is shared: audit rows are counted for this file's own actors only.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { loadPopulations } from '../src/services/areas.js';
import { createUser } from '../src/services/users.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let other: TestArea;
let ctx: Ctx;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};
const users: Record<string, string> = {};
const heads: string[] = [];
const ids: string[] = [];
let h1: number;

async function loginAs(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

async function get(url: string, who: string) {
  return app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
}

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

async function auditCount(actorName: string): Promise<number> {
  const [r] = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM audit_log WHERE actor_name = $1', [actorName]);
  return Number(r!.n);
}

let seq = 0;
async function household(village: string, status: string, size: number, income: { wageIncome: number; productionIncome?: number; productionCosts?: number }, flags: Record<string, boolean> = {}, spouse = false) {
  seq += 1;
  const name = `报表户主${seq}`;
  const idNumber = makeIdNumber(village.slice(0, 6), `1968-03-${String(10 + seq).padStart(2, '0')}`, '1');
  heads.push(name);
  ids.push(idNumber);
  const members = [{ name, idNumber, relation: '01', ethnicity: '02', phone: '13800138000' }];
  if (spouse) {
    const sid = makeIdNumber(village.slice(0, 6), '1970-07-07', '2');
    ids.push(sid);
    members.push({ name: `报表配偶${seq}`, idNumber: sid, relation: '02', ethnicity: '01', phone: '13900139000' });
  }
  const h = await createHousehold(ctx, {
    household: { householdNo: householdNo('RP'), villageCode: village, attribute: '1', exitStatus: status, mainCause: '01', identifiedOn: '2014-05-01', exitYear: status === '0' || status === '3' ? null : 2016 },
    members,
  });
  const all = { foodSecure: true, clothingSecure: true, educationSecure: true, medicalSecure: true, housingSecure: true, waterSecure: true, ...flags };
  await putHouseholdYear(ctx, h.id, 2016, { householdSize: size, status, productionIncome: 0, productionCosts: 0, ...income, ...all });
  return h;
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  other = await makeArea(db);
  ctx = { actor: systemActor('reports-test'), db };
  const [v1, v2] = area.villageCodes;
  h1 = (await household(v1, '0', 3, { wageIncome: 6000 }, { housingSecure: false }, true)).id;
  await household(v1, '1', 2, { wageIncome: 8000, productionIncome: 2000, productionCosts: 1000 });
  await household(v1, '3', 4, { wageIncome: 10000 }, { waterSecure: false });
  await household(v2, '1', 2, { wageIncome: 9000 });
  await household(v2, '4', 1, { wageIncome: 5000 });
  await household(other.villageCodes[0], '0', 2, { wageIncome: 1000 });
  // 2017 (the assessment bars' first year): H1 alone, 3 poor of 1,000.
  await putHouseholdYear(ctx, h1, 2017, { householdSize: 3, status: '0', wageIncome: 6000 });
  const rows = [[area.countyCode, 2016, 1000, 300], [area.townshipCode, 2016, 400, 120], [v1, 2016, 200, 60], [v2, 2016, 100, 30], [area.countyCode, 2017, 1000, 300]];
  await loadPopulations(ctx, `area_code,year,rural_people,rural_households\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  const s = area.countyCode;
  users.county = `rpcounty${s}`;
  users.researcher = `rpresearch${s}`;
  users.cadre = `rpcadre${s}`;
  users.other = `rpother${s}`;
  await createUser(ctx, { username: users.county, role: 'county_office', areaCode: area.countyCode, password: PASSWORD });
  await createUser(ctx, { username: users.researcher, role: 'researcher', areaCode: area.countyCode, password: PASSWORD });
  await createUser(ctx, { username: users.cadre, role: 'village_cadre', areaCode: v2, password: PASSWORD });
  await createUser(ctx, { username: users.other, role: 'county_office', areaCode: other.countyCode, password: PASSWORD });
  for (const k of Object.keys(users)) cookies[k] = await loginAs(users[k]!);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('village report (村级报表)', () => {
  it('lists every household with a totals row, incidence and the exit verdict as JSON', async () => {
    const res = await get(`/api/v1/reports/village?area=${area.villageCodes[0]}&year=2016&format=json`, 'county');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.kind).toBe('village');
    expect(r.povertyLine).toMatchObject({ key: 'poverty_line', value: 2952 });
    expect(r.households.map((h: { headName: string }) => h.headName).sort()).toEqual(heads.slice(0, 3).sort());
    expect(r.households.map((h: { perCapitaIncome: number; belowLine: boolean }) => [h.perCapitaIncome, h.belowLine]).sort()).toEqual([[2000, true], [2500, true], [4500, false]]);
    expect(r.totals).toMatchObject({
      households: 3, people: 9, poorHouseholds: 2, poorPeople: 7, exitedHouseholds: 1, exitedPeople: 2, relapsedHouseholds: 1, belowLineHouseholds: 2,
      meanPerCapitaIncome: 2777.78, // (6,000 + 9,000 + 10,000) / 9
    });
    expect(r.totals.notMet).toEqual({ foodSecure: 0, clothingSecure: 0, educationSecure: 0, medicalSecure: 0, housingSecure: 1, waterSecure: 1 });
    expect(r.population).toEqual({ ruralPeople: 200, ruralHouseholds: 60, synthetic: false });
    expect(r.incidence).toBeCloseTo(0.035, 10);
    expect(r.exit).toMatchObject({ verdict: 'fail', numerator: 7, denominator: 200, limitPct: 3, limitCount: 6 });
  });

  it('writes the workbook in the office layout: title, headers, totals, frozen panes, formats', async () => {
    const res = await get(`/api/v1/reports/village?area=${area.villageCodes[0]}&year=2016`, 'county');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('村级报表-测试一嘎查-2016.xlsx');
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['农户明细', '汇总与出列']);
    const ws = wb.getWorksheet('农户明细')!;
    expect(String(ws.getCell('A1').value)).toBe('测试一嘎查 2016 年度建档立卡户村级报表');
    expect(String(ws.getCell('A2').value)).toMatch(/年度：2016　贫困线：2952 元\/人·年　制表日期：\d{4}-\d{2}-\d{2}/);
    const headers = (ws.getRow(3).values as unknown[]).slice(1);
    expect(headers).toEqual(['序号', '户编号', '户主姓名', '村民小组', '家庭人口', '贫困户属性', '脱贫标志', '主要致贫原因', '人均纯收入（元）', '低于贫困线', '不愁吃', '不愁穿', '义务教育', '基本医疗', '住房安全', '饮水安全']);
    expect(ws.getCell('C4').value).toBe('Head');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4, xSplit: 3 });
    // Rows 5–7 are the households, row 8 the totals.
    expect([5, 6, 7].map((r) => ws.getCell(`C${r}`).value).sort()).toEqual(heads.slice(0, 3).sort());
    expect(ws.getCell('E5').numFmt).toBe('#,##0');
    expect(ws.getCell('I5').numFmt).toBe('0.00');
    const t = ws.getRow(8);
    expect(t.getCell(1).value).toBe('合计');
    expect(t.getCell(3).value).toBe('3 户');
    expect(t.getCell(5).value).toBe(9);
    expect(t.getCell(9).value).toBe(2777.78);
    expect(t.getCell(10).value).toBe(2); // below the line
    expect(t.getCell(15).value).toBe(1); // 住房 否
    expect(t.getCell(16).value).toBe(1); // 饮水 否
    expect(t.font?.bold).toBe(true);
    const sum = wb.getWorksheet('汇总与出列')!;
    const cells = new Map<string, ExcelJS.Cell>();
    sum.eachRow((row) => row.eachCell((c) => {
      if (typeof c.value === 'string') cells.set(c.value, row.getCell(Number(c.col) + 1));
    }));
    expect(cells.get('贫困发生率')!.value).toBeCloseTo(0.035, 10);
    expect(cells.get('贫困发生率')!.numFmt).toBe('0.00%');
    expect(cells.get('结论')!.value).toBe('不达标');
    expect(cells.get('农村人口')!.value).toBe(200);
  });

  it('refuses a researcher (403, pointing to the public data) and a village outside the area (404)', async () => {
    const r = await get(`/api/v1/reports/village?area=${area.villageCodes[0]}&year=2016`, 'researcher');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.zh).toContain('公开数据');
    expect(r.json().error.en).toContain('/api/v1/public-data');
    const cadre = await get(`/api/v1/reports/village?area=${area.villageCodes[0]}&year=2016`, 'cadre');
    expect(cadre.statusCode).toBe(404);
    expect(cadre.json().error.zh).toContain('未找到该区划');
    const mine = await get(`/api/v1/reports/village?area=${area.villageCodes[1]}&year=2016&format=json`, 'cadre');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().totals).toMatchObject({ households: 2, people: 3, poorPeople: 0 });
    const elsewhere = await get(`/api/v1/reports/village?area=${other.villageCodes[0]}&year=2016`, 'county');
    expect(elsewhere.statusCode).toBe(404);
  });

  it('answers bad input with 400 naming the field in both languages', async () => {
    const bad = async (query: string, field: string, zh: RegExp) => {
      const res = await get(`/api/v1/reports/village?${query}`, 'county');
      expect(res.statusCode, res.body).toBe(400);
      const e = res.json().error;
      expect(e.code).toBe('validation_failed');
      const issue = e.issues.find((i: { field: string }) => i.field === field);
      expect(issue, res.body).toBeTruthy();
      expect(issue.zh).toMatch(zh);
      expect(issue.en.length).toBeGreaterThan(5);
    };
    await bad(`area=${area.villageCodes[0]}&year=1999`, 'year', /最小 2000/);
    await bad(`area=${area.villageCodes[0]}&year=abc`, 'year', /year/);
    await bad(`area=${area.villageCodes[0]}&year=2016&format=pdf`, 'format', /xlsx、json/);
    await bad('area=abc&year=2016', 'area', /12 位区划代码/);
    await bad(`area=${area.townshipCode}&year=2016`, 'area', /12 位区划代码/);
    await bad(`area=${area.townshipCode}999&year=2016`, 'area', /不存在/);
  });
});

describe('household file card (一户一档)', () => {
  it('masks ID numbers and phones by default, with yearly income against the line', async () => {
    const res = await get(`/api/v1/reports/household?id=${h1}&format=json`, 'county');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.revealed).toBe(false);
    expect(r.members).toHaveLength(2);
    for (const m of r.members) {
      expect(m.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
      expect(m.phone).not.toContain('13800138000');
    }
    expect(res.body).not.toContain(ids[0]);
    expect(r.years).toHaveLength(2);
    expect(r.years[0]).toMatchObject({ year: 2016, householdSize: 3, netIncome: 6000, perCapitaIncome: 2000, povertyLine: 2952, gap: -952, atOrAboveLine: false, housingSecure: false });
    // 2017's line ships empty (no published value): unknown, never guessed.
    expect(r.years[1]).toMatchObject({ year: 2017, povertyLine: null, gap: null, atOrAboveLine: null });
    expect(r.assistance).toMatchObject({ year: 2017, pairing: null, plan: null, measures: [], measuresTotal: 0 });

    const x = await get(`/api/v1/reports/household?id=${h1}`, 'county');
    expect(x.statusCode).toBe(200);
    const wb = await workbook(x.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['基本信息', '年度收入', '两不愁三保障', '帮扶情况']);
    const inc = wb.getWorksheet('年度收入')!;
    expect((inc.getRow(3).values as unknown[]).slice(1, 4)).toEqual(['年度', '家庭人口', '脱贫标志']);
    expect(inc.views[0]).toMatchObject({ state: 'frozen', ySplit: 4, xSplit: 1 });
    const row5 = (inc.getRow(5).values as unknown[]).slice(1);
    expect(row5.slice(0, 3)).toEqual([2016, 3, '未脱贫']);
    expect(row5.slice(8, 13)).toEqual([6000, 2000, 2952, -952, '未达标']);
    expect(inc.getCell('J5').numFmt).toBe('0.00');
    const info = wb.getWorksheet('基本信息')!;
    const text: string[] = [];
    info.eachRow((row) => row.eachCell((c) => text.push(String(c.value))));
    expect(text.join(' ')).not.toContain(ids[0]);
    expect(text.join(' ')).toMatch(/\d{4}\*{10}[\dX]{4}/);
  });

  it('reveals in full only when asked, and audits one reveal per member and one for the household', async () => {
    const before = await auditCount(users.county!);
    const res = await get(`/api/v1/reports/household?id=${h1}&reveal=true&format=json`, 'county');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().revealed).toBe(true);
    expect(res.json().members.map((m: { idNumber: string }) => m.idNumber).sort()).toEqual([ids[0], ids[1]].sort());
    expect(await auditCount(users.county!)).toBe(before + 3);
    const rows = await db.query<{ action: string; entity: string; entityId: string; householdId: number; note: string }>(
      `SELECT action, entity, entity_id AS "entityId", household_id AS "householdId", note FROM audit_log WHERE actor_name = $1 ORDER BY id DESC LIMIT 3`, [users.county],
    );
    expect(rows.map((r) => r.entity).sort()).toEqual(['households', 'members', 'members']);
    for (const r of rows) expect(r).toMatchObject({ action: 'reveal', householdId: h1, note: '一户一档报表 household report' });
    expect(rows.find((r) => r.entity === 'households')!.entityId).toBe(String(h1));
  });

  it('audits the reveal of a household without members (its own phone is shown in full)', async () => {
    const [v] = other.villageCodes;
    const h = await createHousehold(ctx, {
      household: { householdNo: householdNo('RP'), villageCode: v, attribute: '1', exitStatus: '0', mainCause: '01', identifiedOn: '2014-05-01', exitYear: null, phone: '13600136000' },
      members: [{ name: '报表无成员户', idNumber: makeIdNumber(v.slice(0, 6), '1966-06-06', '1'), relation: '01', ethnicity: '02' }],
    });
    await db.query('DELETE FROM members WHERE county_code = $1 AND household_id = $2', [other.countyCode, h.id]);
    const before = await auditCount(users.other!);
    const res = await get(`/api/v1/reports/household?id=${h.id}&reveal=true&format=json`, 'other');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().members).toEqual([]);
    expect(res.json().household.phone).toBe('13600136000');
    expect(await auditCount(users.other!)).toBe(before + 1);
    const [row] = await db.query<{ action: string; entity: string; entityId: string; countyCode: string; householdId: number }>(
      `SELECT action, entity, entity_id AS "entityId", county_code AS "countyCode", household_id AS "householdId" FROM audit_log WHERE actor_name = $1 ORDER BY id DESC LIMIT 1`, [users.other],
    );
    expect(row).toEqual({ action: 'reveal', entity: 'households', entityId: String(h.id), countyCode: other.countyCode, householdId: h.id });
    // Without reveal: masked, and nothing audited.
    const masked = await get(`/api/v1/reports/household?id=${h.id}&format=json`, 'other');
    expect(masked.json().household.phone).not.toBe('13600136000');
    expect(await auditCount(users.other!)).toBe(before + 1);
  });

  it('refuses researchers (403) and households outside the area (404); bad input writes nothing', async () => {
    expect((await get(`/api/v1/reports/household?id=${h1}`, 'researcher')).statusCode).toBe(403);
    const out = await get(`/api/v1/reports/household?id=${h1}`, 'other');
    expect(out.statusCode).toBe(404);
    expect(out.json().error.zh).toContain('未找到');
    const before = await auditCount(users.county!);
    const bad = await get(`/api/v1/reports/household?id=${h1}&year=1800&reveal=true`, 'county');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].field).toBe('year');
    const badId = await get('/api/v1/reports/household?id=abc&reveal=true', 'county');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.issues[0].field).toBe('id');
    expect(await auditCount(users.county!)).toBe(before);
  });
});

describe('county exit report (县级退出报告)', () => {
  it('has the county bar, townships and villages worst first, with totals', async () => {
    const res = await get(`/api/v1/reports/county-exit?area=${area.countyCode}&year=2016&format=json`, 'researcher');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.verdict).toBe('pass');
    expect(r.bars).toHaveLength(1);
    expect(r.bars[0]).toMatchObject({ key: 'incidence', numerator: 7, denominator: 1000, verdict: 'pass' });
    expect(r.assessment).toBeNull();
    expect(r.assessmentNote.zh).toContain('未提供专项评估调查数');
    expect(r.townships).toEqual([expect.objectContaining({ code: area.townshipCode, villages: 2, pass: 1, fail: 1, unknown: 0, households: 5, people: 12, poorHouseholds: 2, poorPeople: 7, ruralPeople: 400, incidence: 7 / 400 })]);
    expect(r.villages.map((v: { code: string; verdict: string }) => [v.code, v.verdict])).toEqual([[area.villageCodes[0], 'fail'], [area.villageCodes[1], 'pass']]);
    // Aggregates only: no household names or ID numbers for the researcher.
    for (const n of [...heads, ...ids]) expect(res.body).not.toContain(n);
  });

  it('adds the three assessment bars when the survey counts are given', async () => {
    const q = 'sampledExited=100&wronglyExited=2&sampledNonRegistered=1000&omitted=21&surveyedHouseholds=100&approving=90';
    // The 2017 assessment rules: before 2017 the bars have no parameter and cannot be decided.
    const early = (await get(`/api/v1/reports/county-exit?area=${area.countyCode}&year=2016&format=json&${q}`, 'county')).json();
    expect(early.bars.map((b: { verdict: string }) => b.verdict)).toEqual(['pass', 'unknown', 'unknown', 'unknown']);
    const res = await get(`/api/v1/reports/county-exit?area=${area.countyCode}&year=2017&format=json&${q}`, 'county');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    // 3 / 1,000 poor; 2 / 100 wrongly exited = 2.00% passes; 21 / 1,000 omitted = 2.10% fails; 90 / 100 = 90.00% passes.
    expect(r.bars.map((b: { key: string; numerator: number; denominator: number; verdict: string }) => [b.key, b.numerator, b.denominator, b.verdict])).toEqual([
      ['incidence', 3, 1000, 'pass'], ['wrong_exit_rate', 2, 100, 'pass'], ['omission_rate', 21, 1000, 'fail'], ['approval', 90, 100, 'pass'],
    ]);
    expect(r.verdict).toBe('fail');
    expect(r.assessment.counts).toMatchObject({ sampledExited: 100, omitted: 21 });
    const wb = await workbook((await get(`/api/v1/reports/county-exit?area=${area.countyCode}&year=2017&${q}`, 'county')).rawPayload);
    const c = wb.getWorksheet('县级汇总')!;
    const labels: string[] = [];
    c.eachRow((row) => labels.push(String(row.getCell(1).value)));
    expect(labels).toEqual(expect.arrayContaining(['贫困发生率', '错退率', '漏评率', '群众认可度']));
    const partial = await get(`/api/v1/reports/county-exit?area=${area.countyCode}&year=2016&sampledExited=100`, 'county');
    expect(partial.statusCode).toBe(400);
    expect(partial.json().error.issues.map((i: { field: string }) => i.field)).toContain('wronglyExited');
  });

  it('writes a sheet per level with totals, frozen panes and formats', async () => {
    const res = await get(`/api/v1/reports/county-exit?area=${area.countyCode}&year=2016`, 'county');
    expect(res.statusCode, res.body).toBe(200);
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['县级汇总', '苏木乡镇', '嘎查村']);
    const v = wb.getWorksheet('嘎查村')!;
    expect((v.getRow(3).values as unknown[]).slice(1, 5)).toEqual(['序号', '代码', '嘎查村', '苏木乡镇']);
    expect(v.views[0]).toMatchObject({ state: 'frozen', ySplit: 4, xSplit: 3 });
    expect(v.getCell('B5').value).toBe(area.villageCodes[0]);
    expect(v.getCell('L5').value).toBe('不达标');
    expect(v.getCell('J5').value).toBeCloseTo(0.035, 10);
    expect(v.getCell('J5').numFmt).toBe('0.00%');
    expect(v.getCell('H5').numFmt).toBe('#,##0');
    // Totals row 7: 5 households, 12 people, 2 poor households, 7 poor people, 300 rural, 7 / 300.
    const t = (v.getRow(7).values as unknown[]).slice(1, 11);
    expect(t.slice(0, 1)).toEqual(['合计']);
    expect(t.slice(4, 9)).toEqual([5, 12, 2, 7, 300]);
    expect(t[9]).toBeCloseTo(7 / 300, 10);
    const tw = wb.getWorksheet('苏木乡镇')!;
    expect(tw.getCell('B5').value).toBe('测试苏木');
    expect(tw.getCell('L5').value).toBeCloseTo(0.0175, 10);
    expect(tw.getCell('A6').value).toBe('合计');
    const c = wb.getWorksheet('县级汇总')!;
    const all: string[] = [];
    c.eachRow((row) => row.eachCell((cell) => all.push(String(cell.value))));
    expect(all).toContain('结论 Verdict：达标');
    expect(all).toContain('贫困发生率');
  });

  it('refuses another county (404) and bad input (400)', async () => {
    expect((await get(`/api/v1/reports/county-exit?area=${area.countyCode}&year=2016`, 'other')).statusCode).toBe(404);
    const bad = await get(`/api/v1/reports/county-exit?area=${area.townshipCode}&year=2016`, 'county');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ field: 'area' });
    expect(bad.json().error.issues[0].zh).toContain('6 位区划代码');
  });
});

describe('yearly MPI report (年度多维贫困报告)', () => {
  // The township in 2016, line 2,952, k = 1/3 (weights: food, clothing 1/8; education, medical, housing 1/12; water, income 1/4):
  //   H1 3 people: income + housing = 1/4 + 1/12 = 1/3 → poor; H3 4 people: income + water = 1/2 → poor; 5 others not deprived.
  //   P = 12, poor 7: H = 7/12, A = (3·1/3 + 4·1/2) / 7 = 3/7, M0 = 3/12 = 0.25.
  //   Contributions: income 1/4 · 7/12 = 7/48 (share 7/12), housing 1/12 · 3/12 = 1/48 (1/12), water 1/4 · 4/12 = 1/12 (1/3).
  //   By village: village 1 has 9 of the 12 people and M0 3/9 → contribution 0.25, share 1; village 2 none.
  it('gives H, A, M0, the indicators, dimensions and breakdowns as JSON', async () => {
    const res = await get(`/api/v1/reports/mpi?area=${area.townshipCode}&year=2016&format=json`, 'researcher');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.kind).toBe('mpi');
    expect(r.mpi.H).toBeCloseTo(7 / 12, 10);
    expect(r.mpi.A).toBeCloseTo(3 / 7, 10);
    expect(r.mpi.M0).toBeCloseTo(0.25, 10);
    expect(r.mpi.population).toBe(12);
    const ind = Object.fromEntries(r.indicators.map((i: { key: string }) => [i.key, i]));
    expect(ind.income.uncensored).toBeCloseTo(7 / 12, 10);
    expect(ind.income.contribution).toBeCloseTo(7 / 48, 10);
    expect(ind.income.share).toBeCloseTo(7 / 12, 10);
    expect(ind.housing.censored).toBeCloseTo(3 / 12, 10);
    expect(ind.housing.share).toBeCloseTo(1 / 12, 10);
    expect(ind.water.share).toBeCloseTo(1 / 3, 10);
    expect(ind.food.share).toBe(0);
    const dim = Object.fromEntries(r.dimensions.map((d: { key: string; share: number }) => [d.key, d.share]));
    expect(dim.three_guarantees).toBeCloseTo(1 / 12, 10);
    expect(dim.two_assurances).toBe(0);
    expect(r.breakdowns.map((b: { by: string }) => b.by)).toEqual(['child', 'ethnicity', 'sex', 'cause']);
    // villages of fewer than 5 households are small cells: a researcher sees no village breakdown…
    expect(r.breakdowns[0].groups).toEqual([]);
    for (const n of [...heads, ...ids]) expect(res.body).not.toContain(n);
    // …the county office (who may read the register) sees both villages
    const office = (await get(`/api/v1/reports/mpi?area=${area.townshipCode}&year=2016&format=json`, 'county')).json();
    const child = office.breakdowns[0].groups;
    expect(child.map((g: { group: string }) => g.group)).toEqual([area.villageCodes[0], area.villageCodes[1]]);
    expect(child[0].populationShare).toBeCloseTo(0.75, 10);
    expect(child[0].M0).toBeCloseTo(1 / 3, 10);
    expect(child[0].share).toBeCloseTo(1, 10);
    expect(child[1].share).toBe(0);
  });

  it('writes the workbook with the contributions as a table, and says why without a poverty line', async () => {
    const res = await get(`/api/v1/reports/mpi?area=${area.townshipCode}&year=2016`, 'county');
    expect(res.statusCode, res.body).toBe(200);
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['总体', '按下级区划', '按户主民族', '按户主性别', '按主要致贫原因']);
    const s = wb.getWorksheet('总体')!;
    let income = 0;
    let total = 0;
    const text: string[] = [];
    s.eachRow((row, n) => {
      if (row.getCell(2).value === '人均纯收入不低于贫困线') income = n;
      if (row.getCell(1).value === '合计') total = n;
      row.eachCell((c) => text.push(String(c.value)));
    });
    expect(s.getCell(`G${income}`).value).toBeCloseTo(7 / 12, 10);
    expect(s.getCell(`G${income}`).numFmt).toBe('0.00%');
    expect(s.getCell(`C${total}`).value).toBeCloseTo(1, 10);
    expect(s.getCell(`F${total}`).value).toBeCloseTo(0.25, 10);
    expect(text.join(' ')).toContain('exceljs cannot draw charts');
    const g = wb.getWorksheet('按下级区划')!;
    expect(g.views[0]).toMatchObject({ state: 'frozen', ySplit: 4, xSplit: 1 });
    expect(g.getCell('A5').value).toBe('测试一嘎查');
    expect(g.getCell('G5').value).toBeCloseTo(1 / 3, 10);
    expect(g.getCell('A7').value).toBe('合计');
    expect(g.getCell('H7').value).toBeCloseTo(0.25, 10);

    // 2017's line ships empty: no MPI, and the report says why.
    const none = (await get(`/api/v1/reports/mpi?area=${area.townshipCode}&year=2017&format=json`, 'county')).json();
    expect(none.mpi).toBeNull();
    expect(none.missing[0].zh).toContain('没有贫困线');
    expect((await get(`/api/v1/reports/mpi?area=${area.townshipCode}&year=2017`, 'county')).statusCode).toBe(200);
  });

  it('refuses other areas (404) and bad input (400)', async () => {
    expect((await get(`/api/v1/reports/mpi?area=${area.countyCode}&year=2016`, 'other')).statusCode).toBe(404);
    const bad = await get(`/api/v1/reports/mpi?area=15x&year=2016`, 'county');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].field).toBe('area');
  });
});
