// Relapse monitoring on a real database: each rule fires on a household built for it and not on
// the controls; the threshold falls back to 1.5 × the line where Inner Mongolia's is unknown; a
// re-scan adds nothing and never reopens a dismissed alert; department files are validated row by
// row and write nothing on error (HTTP 400, CLI exit 1); roles and area scope are enforced.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { Conflict, NotFound } from '../src/domain/errors.js';
import { createUser } from '../src/services/users.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { setParameter } from '../src/services/policy.js';
import { systemActor, type Actor, type Ctx } from '../src/services/context.js';
import { encodeText } from '../src/services/imports/encoding.js';
import { listAlerts, loadDepartmentRecords, markAlertCaseOpened, runMonitoringScan } from '../src/services/monitoring/index.js';
import { runMonitoringScanJob, type MonitoringJobResult } from '../src/jobs/monitoring-scan.js';
import { nextDailyRun, parseScanSchedule, startMonitoringScheduler } from '../src/jobs/scheduler.js';
import { ValidationError } from '../src/domain/errors.js';
import { idHash } from '../src/services/pii.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let other: TestArea;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};
let seq = 0;

const admin = (): Ctx => ({ actor: systemActor('test'), db });
const countyActor = (a: TestArea): Actor => ({ id: null, username: 'county-test', role: 'county_office', areaCode: a.countyCode });

interface Built {
  id: number;
  no: string;
  ids: string[];
}

/** A household of two in `village` with a yearly record per entry of `years`: per-capita income and status. */
async function household(village: string, years: Record<number, [number, string]>): Promise<Built> {
  const county = village.slice(0, 6);
  const ids = [makeIdNumber(county, '1970-03-15', '1', (seq += 1) % 500), makeIdNumber(county, '1972-08-02', '2', (seq += 1) % 500)];
  const no = householdNo('MON');
  const h = await createHousehold(admin(), {
    household: { householdNo: no, villageCode: village, attribute: '4', exitStatus: '1', exitYear: 2017, mainCause: '01', identifiedOn: '2015-05-01' },
    members: [
      { name: '巴特尔', idNumber: ids[0], relation: '01', ethnicity: '02' },
      { name: '其木格', idNumber: ids[1], relation: '02', ethnicity: '02' },
    ],
  });
  for (const [year, [perCapita, status]] of Object.entries(years)) {
    await putHouseholdYear(admin(), h.id, Number(year), { householdSize: 2, status, wageIncome: perCapita * 2 });
  }
  return { id: h.id, no, ids };
}

async function alertsOf(householdId: number) {
  return db.query<{ id: number; rule: string; year: number; status: string; reason: { zh: string; en: string }; facts: Record<string, unknown> }>(
    'SELECT id, rule, year, status, reason, facts FROM monitoring_alerts WHERE household_id = $1 ORDER BY rule',
    [householdId],
  );
}

async function rulesOf(householdId: number) {
  return (await alertsOf(householdId)).map((a) => a.rule);
}

function multipart(filename: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = `----jz${Date.now().toString(16)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function loginAs(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

// The register built for the rules, year 2023 (Inner Mongolia: threshold unknown → 1.5 × 4,000 = 6,000).
let low: Built; // exited, 5,000 → income_below_threshold
let control: Built; // exited, 9,000 after 8,800 → nothing
let drop: Built; // exited, 15,000 → 9,000 (−40%) → income_drop
let exitedBelow: Built; // 已脱贫(不再享受政策), 3,000 → exited_below_line (+ income_below_threshold)
let poor: Built; // 未脱贫, 2,000 → nothing (already assisted)
let vehicle: Built; // exited, 9,000; a member has a vehicle record → department:vehicle
let medical: Built; // exited, 9,000; 8,000 + 3,000 medical costs in 2023 → large_medical_cost

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  other = await makeArea(db);
  const [v0, v1] = area.villageCodes;
  low = await household(v0, { 2022: [5200, '1'], 2023: [5000, '1'] });
  control = await household(v0, { 2022: [8800, '1'], 2023: [9000, '1'] });
  drop = await household(v1, { 2022: [15000, '1'], 2023: [9000, '1'] });
  exitedBelow = await household(v1, { 2023: [3000, '4'] });
  poor = await household(v1, { 2023: [2000, '0'] });
  vehicle = await household(v0, { 2023: [9000, '1'] });
  medical = await household(v1, { 2023: [9000, '1'] });
  const suffix = area.countyCode;
  await createUser(admin(), { username: `moncounty${suffix}`, role: 'county_office', areaCode: area.countyCode, password: PASSWORD });
  await createUser(admin(), { username: `moncadre${suffix}`, role: 'village_cadre', areaCode: v0, password: PASSWORD });
  cookies.county = await loginAs(`moncounty${suffix}`);
  cookies.cadre = await loginAs(`moncadre${suffix}`);
});

afterAll(async () => {
  await app.close();
  await db.close();
});

describe('department records', () => {
  it('refuses a file with a bad ID number in row 3, naming the row and column, and loads nothing (HTTP 400)', async () => {
    const good = makeIdNumber(area.countyCode, '1980-01-01', '1', 401);
    const bad = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`; // wrong check character
    const csv = `身份证号,姓名,类别,详情,金额,日期\n${good},张三,车辆,蒙G·11111,80000,2023-01-02\n${bad},李四,车辆,蒙G·22222,90000,2023-02-03\n`;
    const m = multipart('vehicles.csv', Buffer.from(csv));
    const res = await app.inject({ method: 'POST', url: `/api/v1/monitoring/department-records?department=${encodeURIComponent('交警支队')}`, headers: { cookie: cookies.county, ...m.headers }, payload: m.payload });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.zh).toContain('未写入任何记录');
    expect(body.error.issues).toHaveLength(1);
    expect(body.error.issues[0]).toMatchObject({ row: 3, column: '身份证号', field: 'idNumber' });
    expect(body.error.issues[0].zh).toMatch(/校验码|校验位/);
    expect(body.error.issues[0].en.length).toBeGreaterThan(20);
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM department_records WHERE id_hash = ANY($1::bpchar[])', [[good, bad].map((x) => idHash(x))]);
    expect(n!.n).toBe(0);
  });

  it('reports every bad cell of a file at once: kind, amount, date, and a numeric ID cell in xlsx', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('records');
    ws.addRow(['id_number', 'name', 'kind', 'detail', 'amount', 'date']);
    ws.addRow([150524198001010017, '王五', 'vehicle', '', 1, '2023-01-01']);
    ws.addRow([makeIdNumber(area.countyCode, '1980-01-01', '1', 402), '赵六', '船舶', '', '12.5', '2023-02-30']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const err = await loadDepartmentRecords(admin(), { bytes, filename: 'x.xlsx', department: '交警支队' }).catch((e: unknown) => e);
    const issues = (err as { issues: { row: number; column: string; zh: string }[] }).issues.map((i) => [i.row, i.column]);
    expect(issues).toEqual([[2, '身份证号'], [3, '类别'], [3, '金额'], [3, '日期']]);
    expect((err as { issues: { zh: string }[] }).issues[0]!.zh).toContain('数字格式');
  });

  it('exits 1 from `jingzhun monitor load` naming row 3 and the column, nothing loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jz-mon-'));
    try {
      const good = makeIdNumber(area.countyCode, '1981-01-01', '2', 403);
      const file = join(dir, 'bad.csv');
      writeFileSync(file, `身份证号,类别\n${good},商品房\n12345,商品房\n`);
      const r = spawnSync(process.execPath, ['bin/jingzhun.js', 'monitor', 'load', file, '--department', '住建局'], {
        env: { ...process.env, JINGZHUN_DATA_DIR: dir }, encoding: 'utf8', timeout: 120_000,
      });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/第 3 行 row 3 列「身份证号」/);
      expect(r.stderr).toContain('nothing was loaded');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads a GBK CSV over HTTP (kind and department as form fields) and an xlsx with English headers', async () => {
    const csv = `身份证号,姓名,详情,日期\n${vehicle.ids[1]},其木格,蒙G·12345 小型轿车,2022-06-01\n`;
    const m = multipart('车辆.csv', encodeText(csv, 'gbk'), { department: '市公安局交警支队', kind: '车辆' });
    const res = await app.inject({ method: 'POST', url: '/api/v1/monitoring/department-records', headers: { cookie: cookies.county, ...m.headers }, payload: m.payload });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ rows: 1, byKind: { vehicle: 1 }, department: '市公安局交警支队', encoding: 'gbk', matchedPeople: 1 });

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('医保');
    ws.addRow(['ID number', 'Name', 'Kind', 'Amount', 'Date']);
    ws.addRow([medical.ids[0], '巴特尔', 'medical_cost', 8000, new Date(Date.UTC(2023, 2, 5))]);
    ws.addRow([medical.ids[1], '其木格', '医疗费用', '3000', '2023/11/20']);
    ws.addRow([control.ids[0], '巴特尔', 'medical_cost', 5000, '2023-04-01']); // below the line: no alert
    ws.addRow([medical.ids[1], '其木格', 'medical_cost', 50000, '2022-04-01']); // another year
    const r = await loadDepartmentRecords({ actor: countyActor(area), db }, { bytes: Buffer.from(await wb.xlsx.writeBuffer()), filename: 'medical.xlsx', department: '旗医保局' });
    expect(r).toMatchObject({ rows: 4, byKind: { medical_cost: 4 }, matchedPeople: 4 });
    const [a] = await db.query<{ action: string; after: { rows: number } }>(`SELECT action, after FROM audit_log WHERE entity = 'department_records' AND entity_id = $1`, [String(r.batch)]);
    expect(a).toMatchObject({ action: 'load', after: { rows: 4 } });
  });

  it('refuses the load to a village cadre (403)', async () => {
    const m = multipart('v.csv', Buffer.from(`身份证号,类别\n${vehicle.ids[0]},车辆\n`), { department: 'x' });
    const res = await app.inject({ method: 'POST', url: '/api/v1/monitoring/department-records', headers: { cookie: cookies.cadre, ...m.headers }, payload: m.payload });
    expect(res.statusCode).toBe(403);
  });
});

describe('scan', () => {
  it('refuses a village cadre (403) and another county (404)', async () => {
    const cadre = await app.inject({ method: 'POST', url: '/api/v1/monitoring/scan', headers: { cookie: cookies.cadre } });
    expect(cadre.statusCode, cadre.body).toBe(403);
    const elsewhere = await app.inject({ method: 'POST', url: '/api/v1/monitoring/scan', headers: { cookie: cookies.county }, payload: { area: other.countyCode, year: 2023 } });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().error.zh).toContain('无权查看');
  });

  it('fires each rule on its household and not on the controls', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/monitoring/scan', headers: { cookie: cookies.county }, payload: { area: area.countyCode, year: 2023 } });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    const count = (rule: string) => r.rules.find((x: { rule: string }) => x.rule === rule);
    expect(count('income_below_threshold')).toMatchObject({ found: 2, new: 2, known: 0 });
    expect(count('income_drop')).toMatchObject({ found: 1, new: 1 });
    expect(count('exited_below_line')).toMatchObject({ found: 1, new: 1 });
    expect(count('department:vehicle')).toMatchObject({ found: 1, new: 1 });
    expect(count('large_medical_cost')).toMatchObject({ found: 1, new: 1 });
    expect(r.totals).toEqual({ found: 6, new: 6, known: 0 });
    expect(r.missing).toEqual([]);
    expect(await rulesOf(low.id)).toEqual(['income_below_threshold']);
    expect(await rulesOf(drop.id)).toEqual(['income_drop']);
    expect(await rulesOf(exitedBelow.id)).toEqual(['exited_below_line', 'income_below_threshold']);
    expect(await rulesOf(vehicle.id)).toEqual(['department:vehicle']);
    expect(await rulesOf(medical.id)).toEqual(['large_medical_cost']);
    expect(await rulesOf(control.id)).toEqual([]);
    expect(await rulesOf(poor.id)).toEqual([]);
    const [audit] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'scan' AND entity = 'monitoring_alerts' AND county_code = $1`, [area.countyCode]);
    expect(audit!.n).toBe(1);
  });

  it("states the fallback: Inner Mongolia's threshold is unknown, so 1.5 × the poverty line", async () => {
    const [a] = await alertsOf(low.id);
    expect(a!.reason.zh).toContain('2023 年人均纯收入 5,000.00 元，低于防返贫监测收入标准 monitoring_income_threshold 2023 年不可用（monitoring_income_threshold，2021 年起，省级 15：已登记但数值未知）');
    expect(a!.reason.zh).toContain('按监测收入倍数 1.5 × 贫困线 4,000.00 元 = 6,000.00 元计算');
    expect(a!.reason.en).toContain('the monitoring multiple 1.5 × the poverty line 4,000.00 yuan = 6,000.00 yuan is used');
    expect(a!.facts).toMatchObject({ threshold: 6000, thresholdBasis: 'multiple', perCapitaIncome: 5000 });
  });

  it('words department matches with masked ID numbers and the medical total', async () => {
    const [v] = await alertsOf(vehicle.id);
    expect(v!.reason.zh).toContain(`其木格（${vehicle.ids[1]!.slice(0, 4)}**********${vehicle.ids[1]!.slice(-4)}），市公安局交警支队，详情：蒙G·12345 小型轿车，日期 2022-06-01`);
    expect(JSON.stringify(v)).not.toContain(vehicle.ids[1]);
    const [m] = await alertsOf(medical.id);
    expect(m!.facts).toMatchObject({ total: 11000, count: 2, alertLine: 10000 });
  });

  it('adds nothing on a re-scan and never reopens a dismissed alert', async () => {
    const [a] = await alertsOf(low.id);
    const empty = await app.inject({ method: 'POST', url: `/api/v1/monitoring/alerts/${a!.id}/dismiss`, headers: { cookie: cookies.cadre }, payload: { reason: '  ' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.issues[0].field).toBe('reason');
    const ok = await app.inject({ method: 'POST', url: `/api/v1/monitoring/alerts/${a!.id}/dismiss`, headers: { cookie: cookies.cadre }, payload: { reason: '入户核实：务工收入漏报，已补录' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'dismissed', resolvedBy: `moncadre${area.countyCode}`, resolution: '入户核实：务工收入漏报，已补录' });
    const again = await app.inject({ method: 'POST', url: `/api/v1/monitoring/alerts/${a!.id}/dismiss`, headers: { cookie: cookies.cadre }, payload: { reason: '再次' } });
    expect(again.statusCode).toBe(409);
    // The cadre of village 1 may not see an alert of village 2's household.
    const [d] = await alertsOf(drop.id);
    const hidden = await app.inject({ method: 'POST', url: `/api/v1/monitoring/alerts/${d!.id}/dismiss`, headers: { cookie: cookies.cadre }, payload: { reason: 'x' } });
    expect(hidden.statusCode).toBe(404);

    const before = await db.query('SELECT id FROM monitoring_alerts WHERE county_code = $1', [area.countyCode]);
    const r = await runMonitoringScan({ actor: countyActor(area), db }, { area: area.countyCode, year: 2023 });
    expect(r.totals).toEqual({ found: 6, new: 0, known: 6 });
    const after = await db.query('SELECT id FROM monitoring_alerts WHERE county_code = $1', [area.countyCode]);
    expect(after.length).toBe(before.length);
    expect((await alertsOf(low.id))[0]!.status).toBe('dismissed');
    const [audit] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'dismiss' AND entity = 'monitoring_alerts' AND entity_id = $1`, [String(a!.id)]);
    expect(audit!.n).toBe(1);
  });

  it("uses a county's own threshold when set, and a village scan sees only the village", async () => {
    await setParameter(admin(), { key: 'monitoring_income_threshold', year: 2023, region: other.countyCode, value: 9500, source: '测试县 2023 年监测标准 / test county 2023 threshold' });
    const h = await household(other.villageCodes[0], { 2023: [9000, '1'] });
    const outside = await household(other.villageCodes[1], { 2023: [9000, '1'] });
    const r = await runMonitoringScan(admin(), { area: other.villageCodes[0], year: 2023 });
    expect(r.totals.new).toBe(1);
    const [a] = await alertsOf(h.id);
    expect(a!.reason.zh).toContain('低于防返贫监测收入标准 9,500.00 元（monitoring_income_threshold，2023 年起，县级');
    expect(a!.facts.thresholdBasis).toBe('threshold');
    expect(await rulesOf(outside.id)).toEqual([]);
  });

  it('reports a missing parameter instead of guessing (2018: poverty line unknown)', async () => {
    await household(area.villageCodes[0], { 2018: [100, '1'] });
    const r = await runMonitoringScan(admin(), { area: area.countyCode, year: 2018 });
    expect(r.rules.find((x) => x.rule === 'income_below_threshold')!.found).toBe(0);
    expect(r.rules.find((x) => x.rule === 'exited_below_line')!.found).toBe(0);
    const line = r.missing.find((m) => m.key === 'poverty_line')!;
    expect(line).toMatchObject({ year: 2018, counties: [area.countyCode], rules: ['income_below_threshold', 'exited_below_line'] });
    expect(line.reason.zh).toContain('已登记但数值未知');
  });

  it('runs as a job over every county of the actor, and scans the latest year by default', async () => {
    const job = await runMonitoringScanJob(db, { actor: countyActor(area) });
    expect(job.counties.map((c) => c.county)).toEqual([area.countyCode]);
    expect(job.counties[0]!.result).toMatchObject({ year: 2023, totals: { new: 0, known: 6 } });
  });
});

describe('alerts', () => {
  it('lists alerts with household, head, village and rule label, within the reader\'s area', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/monitoring/alerts?area=${area.countyCode}&year=2023&pageSize=50`, headers: { cookie: cookies.county } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBe(6);
    const v = body.items.find((i: { householdId: number }) => i.householdId === vehicle.id);
    expect(v).toMatchObject({ householdNo: vehicle.no, headName: '巴特尔', villageName: '测试一嘎查', rule: 'department:vehicle', ruleLabel: { zh: '数据比对：车辆' }, status: 'open' });
    const cadre = await app.inject({ method: 'GET', url: '/api/v1/monitoring/alerts?status=open', headers: { cookie: cookies.cadre } });
    expect(cadre.json().items.every((i: { villageCode: string }) => i.villageCode === area.villageCodes[0])).toBe(true);
    expect(cadre.json().items.map((i: { householdId: number }) => i.householdId)).toEqual([vehicle.id]);
    const byRule = await listAlerts({ actor: countyActor(area), db }, { rule: 'income_drop' });
    expect(byRule.items.map((i) => i.householdId)).toEqual([drop.id]);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/monitoring/alerts?rule=nope', headers: { cookie: cookies.county } });
    expect(bad.statusCode).toBe(400);
    const outside = await app.inject({ method: 'GET', url: `/api/v1/monitoring/alerts?area=${other.countyCode}`, headers: { cookie: cookies.county } });
    expect(outside.statusCode).toBe(404);
  });

  it('lets the cases service mark an open alert as turned into a case, once', async () => {
    const [a] = await alertsOf(drop.id);
    const r = await db.transaction((tx) => markAlertCaseOpened(tx, { countyCode: area.countyCode, alertId: a!.id, caseId: 424242 }));
    expect(r).toMatchObject({ id: a!.id, householdId: drop.id, rule: 'income_drop', status: 'case_opened', caseId: 424242 });
    await expect(db.transaction((tx) => markAlertCaseOpened(tx, { countyCode: area.countyCode, alertId: a!.id, caseId: 1 }))).rejects.toBeInstanceOf(Conflict);
    await expect(db.transaction((tx) => markAlertCaseOpened(tx, { countyCode: other.countyCode, alertId: a!.id, caseId: 1 }))).rejects.toBeInstanceOf(NotFound);
    const dismiss = await app.inject({ method: 'POST', url: `/api/v1/monitoring/alerts/${a!.id}/dismiss`, headers: { cookie: cookies.county }, payload: { reason: '已启动监测' } });
    expect(dismiss.statusCode).toBe(409);
  });

  it('opens a monitoring case from an alert through the API: the alert points at the case, and only once', async () => {
    const [a] = (await alertsOf(vehicle.id)).filter((x) => x.status === 'open');
    expect(a).toBeDefined();
    const res = await app.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie: cookies.cadre }, payload: { workflow: 'monitoring', householdId: vehicle.id, alertId: a!.id } });
    expect(res.statusCode, res.body).toBe(201);
    const caseId = res.json().id;
    const [after] = await db.query<{ status: string; case_id: number }>('SELECT status, case_id FROM monitoring_alerts WHERE id = $1', [a!.id]);
    expect(after).toMatchObject({ status: 'case_opened' });
    expect(Number(after!.case_id)).toBe(Number(caseId));
    // The same alert again: 409 and no second case.
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE household_id = $1', [vehicle.id]);
    const again = await app.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie: cookies.cadre }, payload: { workflow: 'monitoring', householdId: vehicle.id, alertId: a!.id } });
    expect(again.statusCode).toBe(409);
    const now = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE household_id = $1', [vehicle.id]);
    expect(Number(now[0]!.n)).toBe(Number(before[0]!.n));
  });

  it('lists the rules for user interfaces', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/monitoring/rules', headers: { cookie: cookies.cadre } });
    expect(res.statusCode).toBe(200);
    expect(res.json().rules.map((r: { key: string }) => r.key)).toContain('large_medical_cost');
    expect(res.json().departmentKinds).toHaveLength(11);
  });
});

// --- the register's own rules, the data-quality rules and the new department kinds ---------------
// A county of its own, so the counts above stay as they are.

interface Person {
  name: string;
  birth: string;
  sex?: '1' | '2';
  relation?: string;
  fields?: Record<string, unknown>;
}

/** A household of `reg` with the given members (the first is the head) and one 2023 record. */
async function registered(
  village: string,
  opts: { attribute?: string; mainCause?: string; otherCauses?: string[]; status?: string; people?: Person[]; year?: Record<string, unknown> } = {},
): Promise<Built> {
  const county = village.slice(0, 6);
  const people = opts.people ?? [{ name: '巴特尔', birth: '1970-03-15', fields: { health: '1', labourAbility: '1' } }, { name: '其木格', birth: '1972-08-02', sex: '2', fields: { health: '1', labourAbility: '1' } }];
  const ids = people.map((p) => makeIdNumber(county, p.birth, p.sex ?? '1'));
  const no = householdNo('REG');
  const status = opts.status ?? '1';
  const h = await createHousehold(admin(), {
    household: { householdNo: no, villageCode: village, attribute: opts.attribute ?? (status === '0' ? '1' : '4'), exitStatus: status, exitYear: status === '0' ? undefined : 2017, mainCause: opts.mainCause ?? '07', otherCauses: opts.otherCauses, identifiedOn: '2015-05-01' },
    members: people.map((p, i) => ({ name: p.name, idNumber: ids[i], relation: p.relation ?? (i === 0 ? '01' : i === 1 ? '02' : '03'), ethnicity: '02', ...p.fields })),
  });
  await putHouseholdYear(admin(), h.id, 2023, { householdSize: people.length, status, wageIncome: 9000 * people.length, ...opts.year });
  return { id: h.id, no, ids };
}

describe('register, data-quality and new department rules', () => {
  let reg: TestArea;
  const b: Record<string, Built> = {};

  beforeAll(async () => {
    reg = await makeArea(db);
    const [v0, v1] = reg.villageCodes;
    b.housing = await registered(v0, { year: { housingSecure: false, dangerousHouse: true } });
    b.water = await registered(v0, { year: { waterSecure: true, waterLitresPerDay: 15 } });
    b.school = await registered(v0, {
      people: [
        { name: '额尔敦', birth: '1980-04-01', fields: { health: '1', labourAbility: '1' } },
        { name: '小额尔敦', birth: '2012-05-01', fields: { health: '1', studentStatus: '0' } },
        { name: '小萨仁', birth: '2016-02-01', sex: '2', relation: '04', fields: { health: '1', studentStatus: '2' } },
      ],
    });
    b.labour = await registered(v0, {
      people: [
        { name: '朝鲁', birth: '1981-06-01', fields: { health: '3', labourAbility: '3' } },
        { name: '乌兰', birth: '1983-02-02', sex: '2', fields: { health: '4', disabilityGrade: '1', labourAbility: '4' } },
        { name: '老朝鲁', birth: '1950-01-01', relation: '09', fields: { health: '1', labourAbility: '1' } },
      ],
    });
    b.illness = await registered(v1, { status: '0', mainCause: '01' }); // both members healthy; the registered poor too
    b.illnessOk = await registered(v1, { mainCause: '05', otherCauses: ['01'], people: [{ name: '图雅', birth: '1975-01-01', sex: '2', fields: { health: '2', labourAbility: '1' } }, { name: '苏和', birth: '1973-01-01', fields: { health: '1', labourAbility: '1' } }] });
    b.illnessUnknown = await registered(v1, { mainCause: '01', people: [{ name: '图雅', birth: '1975-01-01', sex: '2', fields: { health: '1' } }, { name: '苏和', birth: '1973-01-01' }] });
    b.labourOk = await registered(v0, {
      people: [
        { name: '朝鲁', birth: '1981-06-01', fields: { health: '3', labourAbility: '3' } },
        { name: '乌兰', birth: '1983-02-02', sex: '2', fields: { health: '1', labourAbility: '2' } },
      ],
    });
    b.income = await registered(v1, { year: { wageIncome: 300000 } }); // 150,000 per person
    b.land = await registered(v1, { year: { farmlandMu: 300, forestMu: 10 } }); // 150 mu per person
    b.months = await registered(v1);
    // Entry refuses 13 months; rows loaded before that check (or around it) are what the rule finds.
    const [moved] = await db.query<{ id: number }>(`UPDATE members SET work_months = 14 WHERE county_code = $1 AND id_hash = $2 RETURNING id`, [reg.countyCode, idHash(b.months.ids[0]!)]);
    expect(moved).toBeDefined();
    b.dibao = await registered(v1, { attribute: '5' });
    b.dibaoListed = await registered(v1, { attribute: '5' });
    b.disaster = await registered(v0);
    b.accident = await registered(v0);
    b.dropout = await registered(v0, {
      people: [
        { name: '哈斯', birth: '1978-01-01', fields: { health: '1', labourAbility: '1' } },
        { name: '小哈斯', birth: '2009-03-03', fields: { health: '1', studentStatus: '4' } },
      ],
    });
    b.death = await registered(v0);
    b.control = await registered(v0, { year: { housingSecure: true, dangerousHouse: false, waterSecure: true, waterLitresPerDay: 40, farmlandMu: 20, forestMu: 30 } });
    b.poor = await registered(v1, { status: '0', year: { housingSecure: false, waterSecure: false } }); // already assisted
  });

  it('refuses a department file with a disaster row without a date and an unknown kind, naming rows and columns, writing nothing', async () => {
    const csv = ['身份证号,姓名,类别,详情,金额,日期',
      `${b.disaster!.ids[0]},巴特尔,受灾,冰雹,20000,2023-07-01`,
      `${b.accident!.ids[0]},巴特尔,意外事故,车祸,,`,
      `${b.dropout!.ids[1]},小哈斯,学籍,,,2023-09-01`].join('\n');
    const err = await loadDepartmentRecords(admin(), { bytes: Buffer.from(csv), filename: 'bad.csv', department: '旗应急管理局' }).catch((e: unknown) => e);
    const issues = (err as { issues: { row: number; column: string; zh: string; en: string }[] }).issues;
    expect(issues.map((i) => [i.row, i.column])).toEqual([[3, '日期'], [4, '类别']]);
    expect(issues[0]!.zh).toContain('为空：意外事故记录须填写发生日期');
    expect(issues[0]!.en).toContain('needs the date it happened');
    expect(issues[1]!.zh).toContain('“学籍”不是可用的类别');
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM department_records WHERE id_hash = ANY($1::bpchar[])', [[b.disaster!.ids[0]!, b.accident!.ids[0]!, b.dropout!.ids[1]!].map((x) => idHash(x))]);
    expect(n!.n).toBe(0);
  });

  it('loads disasters, accidents, dropouts, deaths and the 低保 list (Chinese kinds and aliases)', async () => {
    const csv = ['身份证号,姓名,类别,详情,金额,日期',
      `${b.disaster!.ids[0]},巴特尔,受灾,冰雹 玉米绝收,20000,2023-07-01`,
      `${b.accident!.ids[1]},其木格,意外,交通事故 重伤,,2023-03-02`,
      `${b.dropout!.ids[1]},小哈斯,辍学,初二辍学,,2023-10-09`,
      `${b.death!.ids[1]},其木格,死亡注销,,,2023-01-20`,
      `${b.dibaoListed!.ids[1]},其木格,低保,农村低保 二类,,2021-01-01`,
      `${b.control!.ids[0]},巴特尔,受灾,往年,5000,2022-07-01`].join('\n');
    const r = await loadDepartmentRecords(admin(), { bytes: encodeText(csv, 'gbk'), filename: '民政应急教育.csv', department: '旗民政局等' });
    expect(r).toMatchObject({ rows: 6, byKind: { disaster: 2, accident: 1, dropout: 1, death: 1, dibao: 1 }, matchedPeople: 6, encoding: 'gbk' });
  });

  it('fires each new rule on its household and on no control', async () => {
    const res = await runMonitoringScan(admin(), { area: reg.countyCode, year: 2023 });
    const found = Object.fromEntries(res.rules.filter((x) => x.found > 0).map((x) => [x.rule, x.found]));
    expect(found).toEqual({
      unsafe_housing: 1, unsafe_water: 1, out_of_school: 1, labour_loss: 1, disaster_reported: 1, accident_reported: 1, dropout_reported: 1,
      'department:death': 1, dq_illness_without_sick_member: 1, dq_assistance_not_listed: 1, dq_income_out_of_range: 1, dq_work_months: 1, dq_land_per_person: 1,
    });
    expect(res.missing).toEqual([]);
    const expected: Record<string, string[]> = {
      housing: ['unsafe_housing'], water: ['unsafe_water'], school: ['out_of_school'], labour: ['labour_loss'], illness: ['dq_illness_without_sick_member'],
      illnessOk: [], illnessUnknown: [], labourOk: [], income: ['dq_income_out_of_range'], land: ['dq_land_per_person'], months: ['dq_work_months'], dibao: ['dq_assistance_not_listed'], dibaoListed: [],
      disaster: ['disaster_reported'], accident: ['accident_reported'], dropout: ['dropout_reported'], death: ['department:death'], control: [], poor: [],
    };
    const got: Record<string, string[]> = {};
    for (const k of Object.keys(expected)) got[k] = await rulesOf(b[k]!.id);
    expect(got).toEqual(expected);
  });

  it('words the alerts with the facts, masked ID numbers and what to do', async () => {
    const [school] = await alertsOf(b.school!.id);
    expect(school!.reason.zh).toContain(`小额尔敦（${b.school!.ids[1]!.slice(0, 4)}**********${b.school!.ids[1]!.slice(-4)}） 11 周岁（按 2023-08-31 计），属义务教育适龄（6–15 周岁），在校生状况却为“非在校生”`);
    expect(JSON.stringify(school)).not.toContain(b.school!.ids[1]);
    const [labour] = await alertsOf(b.labour!.id);
    expect(labour!.facts).toMatchObject({ workingAgeMembers: 2, ableWorkingAgeMembers: 0 });
    const [months] = await alertsOf(b.months!.id);
    expect(months!.reason.zh).toContain('14 个月；请按当年实际外出务工月数更正');
    const [land] = await alertsOf(b.land!.id);
    expect(land!.reason.zh).toContain('耕地 300 亩 ÷ 家庭人口 2 人 = 人均 150.00 亩，超过上限 50 亩/人');
    const [housing] = await alertsOf(b.housing!.id);
    expect(housing!.reason.zh).toContain('住房登记为危房');
  });

  it('lists the new alerts with their catalogue labels, and a re-scan adds nothing', async () => {
    const list = await listAlerts(admin(), { area: reg.countyCode, year: 2023, pageSize: 100 });
    expect(list.total).toBe(13);
    const label = (hh: Built) => list.items.find((i) => i.householdId === hh.id)!.ruleLabel;
    expect(label(b.illness!)).toEqual({ zh: '数据质量：因病致贫但无患病成员', en: 'Data quality: illness cause without a sick member' });
    expect(label(b.disaster!).zh).toBe('部门报告受灾');
    const again = await runMonitoringScan(admin(), { area: reg.countyCode, year: 2023 });
    expect(again.totals).toEqual({ found: 13, new: 0, known: 13 });
  });
});

describe('scheduled scan (JINGZHUN_MONITOR_SCAN)', () => {
  it('reads the setting: empty is daily at 02:30 China time, HH:MM or off; anything else is refused with the reason', () => {
    expect(parseScanSchedule(undefined)).toEqual({ kind: 'daily', hour: 2, minute: 30 });
    expect(parseScanSchedule('')).toEqual({ kind: 'daily', hour: 2, minute: 30 });
    expect(parseScanSchedule(' 7:05 ')).toEqual({ kind: 'daily', hour: 7, minute: 5 });
    expect(parseScanSchedule('OFF')).toEqual({ kind: 'off' });
    for (const bad of ['24:00', '02:60', '2:3', 'daily', '7']) {
      const e = (() => { try { parseScanSchedule(bad); } catch (x) { return x; } return null; })();
      expect(e, bad).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues[0]).toMatchObject({ field: 'JINGZHUN_MONITOR_SCAN', value: bad });
      expect((e as ValidationError).issues[0]!.zh).toContain('HH:MM');
    }
  });

  it('computes the next run in China time (UTC+8), strictly after now, across days and years', () => {
    const at = (iso: string, h = 2, m = 30) => nextDailyRun(new Date(iso), h, m).toISOString();
    expect(at('2024-03-10T18:29:59.000Z')).toBe('2024-03-10T18:30:00.000Z'); // 02:29:59 on 11 March in China
    expect(at('2024-03-10T18:30:00.000Z')).toBe('2024-03-11T18:30:00.000Z'); // exactly due: the next day
    expect(at('2024-03-10T10:00:00.000Z')).toBe('2024-03-10T18:30:00.000Z'); // 18:00 in China: tonight
    expect(at('2024-12-31T17:00:00.000Z')).toBe('2024-12-31T18:30:00.000Z'); // 01:00 on 1 January 2025 in China
    expect(at('2024-02-28T16:00:00.000Z', 0, 0)).toBe('2024-02-29T16:00:00.000Z');
    expect(at('2024-02-28T15:59:00.000Z', 0, 0)).toBe('2024-02-28T16:00:00.000Z');
  });

  it('runs the real scan on a short interval, logs counts without personal data, and stops cleanly', async () => {
    const lines: string[] = [];
    const before = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'scan' AND county_code = $1`, [area.countyCode]);
    const s = startMonitoringScheduler(db, {
      schedule: { kind: 'interval', ms: 20 }, log: (l) => lines.push(l),
      job: (d, o) => runMonitoringScanJob(d, { ...o, actor: countyActor(area) }),
    });
    expect(s.next()).not.toBeNull();
    for (let i = 0; i < 600 && !lines.some((l) => l.includes('finished')); i++) await new Promise((r) => setTimeout(r, 50));
    await s.stop();
    expect(s.next()).toBeNull();
    const done = lines.find((l) => l.includes('finished'))!;
    expect(done).toMatch(/1 个旗县 counties scanned; 命中 found \d+; 新预警 new \d+; 已有 known \d+/);
    const after = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'scan' AND county_code = $1`, [area.countyCode]);
    expect(Number(after[0]!.n)).toBeGreaterThan(Number(before[0]!.n));
    const all = lines.join('\n');
    for (const secret of [...low.ids, '巴特尔', '其木格', low.no]) expect(all).not.toContain(secret);
  });

  it('never runs twice at once, and stop() waits for the run in progress, which skips the counties left', async () => {
    const lines: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let seen: AbortSignal | undefined;
    let calls = 0;
    const job = async (_: Db, o: { signal?: AbortSignal } = {}): Promise<MonitoringJobResult> => {
      calls += 1;
      seen = o.signal;
      await gate;
      return { startedAt: '', elapsedMs: 5, counties: [{ county: '150599', error: { zh: '失败', en: 'failed for a test' } }], totals: { found: 0, new: 0, known: 0 }, stopped: o.signal?.aborted };
    };
    const s = startMonitoringScheduler(db, { schedule: { kind: 'off' }, log: (l) => lines.push(l), job });
    expect(s.next()).toBeNull();
    const first = s.runNow();
    expect(s.running()).toBe(true);
    expect(await s.runNow()).toBeNull();
    expect(lines.some((l) => l.includes('previous scan still running'))).toBe(true);
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(stopped).toBe(false);
    expect(seen?.aborted).toBe(true);
    release();
    await stopping;
    expect((await first)?.stopped).toBe(true);
    expect(calls).toBe(1);
    expect(lines.at(-1)).toContain('150599 失败 failed: failed for a test');
    expect(lines.at(-1)).toContain('stopped by shutdown');
  });

  it('the job itself stops between counties once its signal is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await runMonitoringScanJob(db, { actor: countyActor(area), signal: ac.signal });
    expect(r).toMatchObject({ stopped: true, counties: [] });
  });
});
