// Who helps whom (issue 5) on a real database, through the API: units, cadres (GB 11643 ID
// numbers), work teams, pairings (one open per household, same county, dates), flags (unpaired
// households, cadres who are registered poor) in the live list and as monitoring alerts, the
// household plan with optimistic concurrency, visits and the visit frequency (hand-checked), and
// area scope on every new endpoint. Every bad input: the message and nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createUser } from '../src/services/users.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { runMonitoringScan } from '../src/services/monitoring/index.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { addMonths, monthsInPeriod, nextReviewOn, visitsPerHouseholdMonth } from '../src/domain/assistance/pairing.js';
import { defaultVisitPeriod } from '../src/services/pairing/visits.js';
import { localDay, addDays } from '../src/domain/workflows/dates.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let other: TestArea;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};
const admin = (): Ctx => ({ actor: systemActor('test'), db });
const today = localDay(new Date());
const tomorrow = addDays(today, 1);
let seq = 0;

interface Built { id: number; no: string; ids: string[] }
/** A household of two in `village`, with the given status now and a 2025 record of that status. */
async function household(village: string, status: string, head = '巴特尔'): Promise<Built> {
  const county = village.slice(0, 6);
  const ids = [makeIdNumber(county, '1970-03-15', '1', (seq += 1)), makeIdNumber(county, '1972-08-02', '2', (seq += 1))];
  const no = householdNo('PAIR');
  const h = await createHousehold(admin(), {
    household: { householdNo: no, villageCode: village, attribute: status === '0' ? '1' : '4', exitStatus: status, exitYear: status === '0' ? undefined : 2019, mainCause: '07', identifiedOn: '2015-05-01' },
    members: [
      { name: head, idNumber: ids[0], relation: '01', ethnicity: '02' },
      { name: '其木格', idNumber: ids[1], relation: '02', ethnicity: '02' },
    ],
  });
  await putHouseholdYear(admin(), h.id, 2025, { householdSize: 2, status, wageIncome: 20000 });
  return { id: h.id, no, ids };
}

async function login(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

const call = (who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) =>
  app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function count(table: string, county: string): Promise<number> {
  const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE county_code = $1`, [county]);
  return Number(r!.n);
}

let h1: Built; // v0, 已脱贫(享受政策): paired
let h2: Built; // v0, 未脱贫: paired, then its plan and visits
let h3: Built; // v0, 返贫: never paired → flagged
let h4: Built; // v0, 已脱贫(不再享受政策): no pairing needed
let h5: Built; // v1, 未脱贫: its member 巴特尔 becomes a cadre → flagged
let h6: Built; // v1, 已脱贫(享受政策): paired with cadre B (the frequency of v1)
let unitId: number;
let cadreA: number; // 张伟, the responsible cadre of h1 and h2
let cadreB: number; // 王芳, of h6
let poorCadre: number; // 巴特尔 of h5
let otherCadre: number; // a cadre of the other county

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  other = await makeArea(db);
  const [v0, v1] = area.villageCodes;
  h1 = await household(v0, '1');
  h2 = await household(v0, '0', '朝鲁');
  h3 = await household(v0, '3', '哈斯');
  h4 = await household(v0, '4', '图雅');
  h5 = await household(v1, '0', '巴特尔');
  h6 = await household(v1, '1', '苏和');
  const c = area.countyCode;
  await createUser(admin(), { username: `paircounty${c}`, role: 'county_office', areaCode: c, password: PASSWORD });
  await createUser(admin(), { username: `pairv0${c}`, role: 'village_cadre', areaCode: v0, password: PASSWORD });
  await createUser(admin(), { username: `pairv1${c}`, role: 'village_cadre', areaCode: v1, password: PASSWORD });
  await createUser(admin(), { username: `pairres${c}`, role: 'researcher', areaCode: c, password: PASSWORD });
  await createUser(admin(), { username: `pairother${c}`, role: 'county_office', areaCode: other.countyCode, password: PASSWORD });
  cookies.county = await login(`paircounty${c}`);
  cookies.v0 = await login(`pairv0${c}`);
  cookies.v1 = await login(`pairv1${c}`);
  cookies.researcher = await login(`pairres${c}`);
  cookies.other = await login(`pairother${c}`);
});

afterAll(async () => {
  await app.close();
  await db.close();
});

describe('pure rules', () => {
  it('adds months clamping to the month end, computes the next review and the exact months of a period', () => {
    expect(addMonths('2024-08-31', 6)).toBe('2025-02-28');
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29');
    expect(addMonths('2024-01-15', 12)).toBe('2025-01-15');
    expect(nextReviewOn('2025-01-15', null, 6)).toBe('2025-07-15');
    expect(nextReviewOn('2025-01-15', '2025-04-01', 3)).toBe('2025-07-01');
    expect(nextReviewOn(null, null, 6)).toBeNull();
    expect(monthsInPeriod('2025-01-01', '2025-03-31')).toBe(3);
    // 15 Jan – 14 Feb 2024: 17 of January's 31 days + 14 of February's 29.
    expect(monthsInPeriod('2024-01-15', '2024-02-14')).toBeCloseTo(17 / 31 + 14 / 29, 12);
    expect(visitsPerHouseholdMonth(2, 2, 3)).toBe(0.33);
    expect(visitsPerHouseholdMonth(3, 0, 3)).toBeNull();
  });
});

describe('units and cadres', () => {
  it('refuses bad units with every reason and writes nothing', async () => {
    const res = await call('county', 'POST', '/api/v1/assistance/units', { name: '  ', kind: 'club', level: 'galaxy' });
    expect(res.statusCode).toBe(400);
    const issues = res.json().error.issues as { field: string; zh: string; en: string }[];
    expect(issues.map((i) => i.field)).toEqual(['name', 'kind', 'level']);
    expect(issues[0]!.zh).toBe('请填写单位名称');
    expect(issues[1]!.zh).toContain('单位类型应为以下之一：party_gov 党政机关');
    expect(issues[2]!.en).toContain('The unit level must be one of: central, province');
    expect(await count('assistance_units', area.countyCode)).toBe(0);
  });

  it('creates a unit in the actor’s county and refuses a second of the same name (409)', async () => {
    const res = await call('county', 'POST', '/api/v1/assistance/units', { name: '旗财政局', kind: 'party_gov', level: 'county', contactName: '李明', contactPhone: '0475-1234567' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ countyCode: area.countyCode, name: '旗财政局', kindLabel: { zh: '党政机关' }, cadres: 0 });
    unitId = res.json().id;
    const dup = await call('county', 'POST', '/api/v1/assistance/units', { name: '旗财政局', kind: 'soe', level: 'county' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.zh).toContain('本旗县已有名为“旗财政局”的帮扶单位');
    expect(await count('assistance_units', area.countyCode)).toBe(1);
    const [a] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'assistance_units' AND entity_id = $1`, [String(unitId)]);
    expect(a!.n).toBe(1);
  });

  it('checks cadre ID numbers by GB 11643, masks them, refuses a duplicate, writes nothing on error', async () => {
    const good = makeIdNumber(area.countyCode, '1985-06-01', '1', 450);
    const badCheck = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const bad = await call('county', 'POST', '/api/v1/assistance/cadres', { unitId, name: '张伟', idNumber: badCheck });
    expect(bad.statusCode).toBe(400);
    const issue = bad.json().error.issues[0];
    expect(issue.field).toBe('idNumber');
    expect(issue.zh).toMatch(/校验码|校验位/);
    expect(JSON.stringify(bad.json())).not.toContain(badCheck);
    const noUnit = await call('county', 'POST', '/api/v1/assistance/cadres', { unitId: 999999999, name: '', idNumber: good });
    expect(noUnit.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['unitId', 'name']);
    expect(noUnit.json().error.issues[0].zh).toContain('帮扶单位 999999999 不存在或不在您的管辖范围内');
    expect(await count('cadres', area.countyCode)).toBe(0);

    const ok = await call('county', 'POST', '/api/v1/assistance/cadres', { unitId, name: '张伟', idNumber: good, position: '副局长', phone: '13800001111' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().idNumber).toBe(`${good.slice(0, 4)}**********${good.slice(-4)}`);
    cadreA = ok.json().id;
    const dup = await call('county', 'POST', '/api/v1/assistance/cadres', { unitId, name: '张伟二', idNumber: good });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.issues[0].zh).toContain('已登记为本旗县的帮扶干部 张伟');
    cadreB = (await call('county', 'POST', '/api/v1/assistance/cadres', { unitId, name: '王芳', idNumber: makeIdNumber(area.countyCode, '1988-02-02', '2', 451) })).json().id;
    // 巴特尔 of h5 (未脱贫) is also sent as a cadre: flagged below.
    poorCadre = (await call('county', 'POST', '/api/v1/assistance/cadres', { unitId, name: '巴特尔', idNumber: h5.ids[0] })).json().id;
    expect(await count('cadres', area.countyCode)).toBe(3);
    const ou = await call('other', 'POST', '/api/v1/assistance/units', { name: '外旗单位', kind: 'soe', level: 'county' });
    otherCadre = (await call('other', 'POST', '/api/v1/assistance/cadres', { unitId: ou.json().id, name: '赵强', idNumber: makeIdNumber(other.countyCode, '1980-01-01', '1', 452) })).json().id;
    expect(otherCadre).toBeGreaterThan(0);
  });
});

describe('work teams', () => {
  it('stations a team with one first secretary at a time', async () => {
    const bad = await call('county', 'POST', '/api/v1/assistance/work-teams', { villageCode: other.villageCodes[0], unitId, startedOn: tomorrow });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['villageCode', 'startedOn']);
    expect(bad.json().error.issues[1].zh).toContain('晚于今天');
    expect(await count('work_teams', area.countyCode)).toBe(0);
    const t = await call('county', 'POST', '/api/v1/assistance/work-teams', { villageCode: area.villageCodes[0], unitId, startedOn: '2024-03-01' });
    expect(t.statusCode, t.body).toBe(201);
    const id = t.json().id;
    const m1 = await call('county', 'POST', `/api/v1/assistance/work-teams/${id}/members`, { cadreId: cadreA, role: 'first_secretary', startedOn: '2024-03-01' });
    expect(m1.statusCode, m1.body).toBe(201);
    expect(m1.json().members[0]).toMatchObject({ name: '张伟', roleLabel: { zh: '第一书记' }, endedOn: null });
    const m2 = await call('county', 'POST', `/api/v1/assistance/work-teams/${id}/members`, { cadreId: cadreB, role: 'first_secretary', startedOn: '2024-04-01' });
    expect(m2.statusCode).toBe(409);
    expect(m2.json().error.zh).toContain('该工作队已有第一书记 张伟（自 2024-03-01 起）');
    const early = await call('county', 'POST', `/api/v1/assistance/work-teams/${id}/members`, { cadreId: cadreB, role: 'member', startedOn: '2024-01-01' });
    expect(early.json().error.issues[0].zh).toContain('早于工作队进驻日期（2024-03-01）');
    const foreign = await call('county', 'POST', `/api/v1/assistance/work-teams/${id}/members`, { cadreId: otherCadre, role: 'member', startedOn: '2024-04-01' });
    expect(foreign.statusCode).toBe(400);
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM work_team_members WHERE county_code = $1', [area.countyCode]);
    expect(n!.n).toBe(1);
    const m3 = await call('county', 'POST', `/api/v1/assistance/work-teams/${id}/members`, { cadreId: cadreB, role: 'leader', startedOn: '2024-04-01' });
    expect(m3.json().members.map((m: { name: string; role: string }) => `${m.name}:${m.role}`)).toEqual(['张伟:first_secretary', '王芳:leader']);
  });
});

describe('pairings', () => {
  let pairing1: number;
  it('refuses bad pairings with the reason and writes nothing', async () => {
    const future = await call('county', 'POST', '/api/v1/assistance/pairings', { householdId: h1.id, cadreId: cadreA, startedOn: tomorrow });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.issues[0]).toMatchObject({ field: 'startedOn' });
    expect(future.json().error.issues[0].zh).toContain(`结对日期 ${tomorrow} 晚于今天`);
    const badDay = await call('county', 'POST', '/api/v1/assistance/pairings', { householdId: h1.id, cadreId: cadreA, startedOn: '2025-02-30' });
    expect(badDay.json().error.issues[0].zh).toContain('“2025-02-30”不是有效日期');
    // A city-wide actor sees both counties; the cadre of the other county is refused for this household.
    const admin = await app.inject({ method: 'POST', url: '/api/v1/assistance/pairings', headers: { cookie: cookies.county! }, payload: { householdId: h1.id, cadreId: otherCadre, startedOn: '2025-01-10' } });
    expect(admin.statusCode).toBe(400);
    expect(admin.json().error.issues[0].zh).toContain(`干部 ${otherCadre} 不存在或不在您的管辖范围内`);
    const { createPairing } = await import('../src/services/pairing/index.js');
    const cross = await createPairing(admin_(), { householdId: h1.id, cadreId: otherCadre, startedOn: '2025-01-10' }).catch((e: unknown) => e);
    expect((cross as { issues: { zh: string }[] }).issues[0]!.zh).toContain('帮扶责任人须与农户在同一旗县');
    expect(await count('pairings', area.countyCode)).toBe(0);
  });

  it('pairs a cadre and refuses a second open pairing naming the current cadre (409)', async () => {
    const ok = await call('county', 'POST', '/api/v1/assistance/pairings', { householdId: h1.id, cadreId: cadreA, startedOn: '2025-01-10' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ cadreName: '张伟', unitName: '旗财政局', householdNo: h1.no, endedOn: null, statusLabel: { zh: '已脱贫(享受政策)' } });
    pairing1 = ok.json().id;
    const again = await call('county', 'POST', '/api/v1/assistance/pairings', { householdId: h1.id, cadreId: cadreB, startedOn: '2025-02-01' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.zh).toContain(`户编号 ${h1.no}（户主 巴特尔）已有帮扶责任人 张伟（旗财政局，自 2025-01-10 起）`);
    expect(again.json().error.current).toMatchObject({ cadreId: cadreA });
    expect(await count('pairings', area.countyCode)).toBe(1);
    for (const [hh, cadre] of [[h2, cadreA], [h6, cadreB]] as const) {
      const r = await call('county', 'POST', '/api/v1/assistance/pairings', { householdId: hh.id, cadreId: cadre, startedOn: '2025-01-10' });
      expect(r.statusCode, r.body).toBe(201);
    }
  });

  it('ends a pairing with a date and a reason, and re-pairs only from that day', async () => {
    const r = await call('county', 'POST', '/api/v1/assistance/pairings', { householdId: h4.id, cadreId: cadreB, startedOn: '2024-01-01' });
    expect(r.statusCode).toBe(201);
    const id = r.json().id;
    const noReason = await call('county', 'POST', `/api/v1/assistance/pairings/${id}/end`, { endedOn: '2024-06-30', reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.issues[0].zh).toContain('请填写结束原因');
    const early = await call('county', 'POST', `/api/v1/assistance/pairings/${id}/end`, { endedOn: '2023-12-31', reason: '调动' });
    expect(early.json().error.issues[0].zh).toContain('早于结对日期（2024-01-01）');
    const [still] = await db.query<{ e: string | null }>('SELECT ended_on::text AS e FROM pairings WHERE county_code = $1 AND id = $2', [area.countyCode, id]);
    expect(still!.e).toBeNull();
    const ended = await call('county', 'POST', `/api/v1/assistance/pairings/${id}/end`, { endedOn: '2024-06-30', reason: '农户稳定脱贫，不再享受政策' });
    expect(ended.json()).toMatchObject({ endedOn: '2024-06-30', endReason: '农户稳定脱贫，不再享受政策' });
    const twice = await call('county', 'POST', `/api/v1/assistance/pairings/${id}/end`, { endedOn: '2024-07-01', reason: 'x' });
    expect(twice.statusCode).toBe(409);
    const overlap = await call('county', 'POST', '/api/v1/assistance/pairings', { householdId: h4.id, cadreId: cadreA, startedOn: '2024-05-01' });
    expect(overlap.json().error.issues[0].zh).toContain('早于上一次结对的结束日期（2024-06-30）');
    const list = await call('county', 'GET', `/api/v1/assistance/pairings?state=open&cadre=${cadreA}`);
    expect(list.json().items.map((p: { householdId: number }) => p.householdId).sort()).toEqual([h1.id, h2.id].sort());
    const endedList = await call('county', 'GET', '/api/v1/assistance/pairings?state=ended');
    expect(endedList.json()).toMatchObject({ total: 1, items: [{ id, endReason: '农户稳定脱贫，不再享受政策' }] });
    expect(pairing1).toBeGreaterThan(0);
  });
});

const admin_ = admin;

describe('cadre accounts', () => {
  it('links a cadre only to an account of the actor\'s area and the cadre\'s county; another county\'s account answers as missing', async () => {
    const c = area.countyCode;
    const [theirs] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [`pairother${c}`]);
    const [ours] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [`pairv0${c}`]);
    const before = await count('cadres', c);
    const bad = await call('county', 'POST', '/api/v1/assistance/cadres', { unitId, name: '乌力吉', idNumber: makeIdNumber(c, '1985-05-05', '1', 461), userId: Number(theirs!.id) });
    expect(bad.statusCode).toBe(400);
    const missing = await call('county', 'POST', '/api/v1/assistance/cadres', { unitId, name: '乌力吉', idNumber: makeIdNumber(c, '1985-05-05', '1', 461), userId: 99_999_999 });
    // The same words for an account of another county and one that does not exist.
    expect(bad.json().error.issues[0].zh).toBe(missing.json().error.issues[0].zh.replace('99999999', String(theirs!.id)));
    expect(await count('cadres', c)).toBe(before);
    const good = await call('county', 'POST', '/api/v1/assistance/cadres', { unitId, name: '乌力吉', idNumber: makeIdNumber(c, '1985-05-05', '1', 461), userId: Number(ours!.id) });
    expect(good.statusCode, good.body).toBe(201);
    await db.query('UPDATE cadres SET active = false WHERE county_code = $1 AND id = $2', [c, good.json().id]);
  });
});

describe('flags', () => {
  it('lists households without a responsible cadre (status 0, 1, 3) and cadres who are registered poor', async () => {
    const res = await call('county', 'GET', `/api/v1/assistance/flags?area=${area.countyCode}`);
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    // h3 (返贫) and h5 (未脱贫) have no pairing; h4 (不再享受政策) needs none; h1, h2, h6 are paired.
    expect(f.unpaired.map((u: { householdId: number }) => u.householdId).sort()).toEqual([h3.id, h5.id].sort());
    expect(f.unpairedTotal).toBe(2);
    expect(f.unpaired.find((u: { householdId: number }) => u.householdId === h3.id).statusLabel.zh).toBe('返贫');
    expect(f.cadresRegisteredPoor).toEqual([expect.objectContaining({
      cadreId: poorCadre, cadreName: '巴特尔', householdId: h5.id, memberName: '巴特尔', exitStatus: '0', idNumber: `${h5.ids[0]!.slice(0, 4)}**********${h5.ids[0]!.slice(-4)}`,
    })]);
  });

  it('raises the two data-quality alerts in the monitoring scan, once', async () => {
    const r = await runMonitoringScan(admin(), { area: area.countyCode, year: 2025 });
    const found = (k: string) => r.rules.find((x) => x.rule === k)!.found;
    expect(found('dq_no_responsible_cadre')).toBe(2);
    expect(found('dq_cadre_registered_poor')).toBe(1);
    const rows = await db.query<{ household_id: number; rule: string; reason: { zh: string }; facts: Record<string, unknown> }>(
      `SELECT household_id, rule, reason, facts FROM monitoring_alerts WHERE county_code = $1 AND rule LIKE 'dq_%cadre%' ORDER BY rule, household_id`, [area.countyCode],
    );
    expect(rows.map((x) => [x.rule, Number(x.household_id)])).toEqual([
      ['dq_cadre_registered_poor', h5.id], ...[h3.id, h5.id].sort((a, b) => a - b).map((id) => ['dq_no_responsible_cadre', id]),
    ]);
    expect(rows[0]!.reason.zh).toContain('帮扶干部 巴特尔（');
    expect(rows[0]!.reason.zh).toContain('旗财政局）是本户成员，而本户 2025 年脱贫标志为“未脱贫”');
    expect(JSON.stringify(rows[0])).not.toContain(h5.ids[0]);
    expect(rows[1]!.reason.zh).toContain('截至 2025-12-31 没有帮扶责任人');
    const again = await runMonitoringScan(admin(), { area: area.countyCode, year: 2025 });
    expect(again.rules.find((x) => x.rule === 'dq_no_responsible_cadre')).toMatchObject({ found: 2, new: 0, known: 2 });
  });

  it('names another county\'s household of a registered-poor cadre only by its county, never its record', async () => {
    // The other county sends a cadre who is 朝鲁's wife, registered in this county (h2, 未脱贫).
    const units = (await call('other', 'GET', '/api/v1/assistance/units')).json();
    const unit = (units.items ?? units).find((u: { name: string }) => u.name === '外旗单位');
    const made = await call('other', 'POST', '/api/v1/assistance/cadres', { unitId: unit.id, name: '其木格', idNumber: h2.ids[1] });
    expect(made.statusCode, made.body).toBe(201);
    try {
      const theirs = (await call('other', 'GET', '/api/v1/assistance/flags')).json();
      const flag = theirs.cadresRegisteredPoor.find((x: { cadreId: number }) => x.cadreId === made.json().id);
      expect(flag).toMatchObject({ householdId: null, householdNo: null, villageName: null, memberName: null, registeredCounty: area.countyCode, exitStatus: '0' });
      expect(JSON.stringify(theirs)).not.toContain(h2.no);
      expect(JSON.stringify(theirs)).not.toContain(String(h2.ids[1]));
      // This county does not see the other county's cadre at all.
      const ours = (await call('county', 'GET', `/api/v1/assistance/flags?area=${area.countyCode}`)).json();
      expect(ours.cadresRegisteredPoor.map((x: { cadreId: number }) => x.cadreId)).toEqual([poorCadre]);
    } finally {
      await db.query('UPDATE cadres SET active = false WHERE county_code = $1 AND id = $2', [other.countyCode, made.json().id]);
    }
  });
});

describe('household plan', () => {
  it('starts empty at version 0, refuses bad input with each reason and writes nothing', async () => {
    const empty = await call('v0', 'GET', `/api/v1/households/${h2.id}/plan`);
    expect(empty.json()).toMatchObject({ exists: false, version: 0, reviewEveryMonths: 6, overdue: false });
    const bad = await call('v0', 'PUT', `/api/v1/households/${h2.id}/plan`, {
      version: 0, needs: ['01', '99', '01'], agreedMeasures: [{ typeCode: 'no_such_type', amount: -5, dueOn: '2025-13-01' }],
      targetIncome: 8000, reviewEveryMonths: 0, agreedOn: tomorrow, cadreId: otherCadre,
    });
    expect(bad.statusCode).toBe(400);
    const issues = bad.json().error.issues as { field: string; zh: string }[];
    expect(issues.map((i) => i.field)).toEqual([
      'needs.1', 'needs.2', 'agreedMeasures.0.typeCode', 'agreedMeasures.0.amount', 'agreedMeasures.0.dueOn', 'targetYear', 'cadreId', 'agreedOn', 'reviewEveryMonths',
    ]);
    expect(issues[0]!.zh).toContain('“99”不是致贫原因代码');
    expect(issues[2]!.zh).toContain('第 1 项措施的措施类型“no_such_type”不存在或已停用');
    expect(issues[5]!.zh).toBe('填写了目标收入，请同时填写在哪一年达到');
    expect(issues[8]!.zh).toBe('复核周期应为 1–24 个月的整数');
    const lastBefore = await call('v0', 'PUT', `/api/v1/households/${h2.id}/plan`, { version: 0, agreedOn: '2025-01-15', lastReviewedOn: '2025-01-01' });
    expect(lastBefore.json().error.issues[0].zh).toContain('上次复核日期 2025-01-01 早于农户同意日期（2025-01-15）');
    const fractions = await call('v0', 'PUT', `/api/v1/households/${h2.id}/plan`, { version: 0, agreedMeasures: [{ typeCode: 'cattle_cow_granted', amount: 12.345 }], targetIncome: 8000.001, targetYear: 2026 });
    expect(fractions.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['agreedMeasures.0.amount', 'targetIncome']);
    expect(fractions.json().error.issues[1].zh).toContain('最多两位小数');
    expect(await count('household_plans', area.countyCode)).toBe(0);
  });

  it('saves the plan, computes the next review, shows it overdue, and answers a stale version with 409 and the current plan', async () => {
    const body = {
      version: 0, needs: ['07', '09'], needsNote: '缺技术、缺资金', targetIncome: 9000, targetYear: 2026, cadreId: cadreA, agreedOn: '2025-01-15', reviewEveryMonths: 6,
      agreedMeasures: [{ typeCode: 'cattle_cow_granted', quantity: 2, amount: 16000, dueOn: '2025-06-30', note: '两头基础母牛' }],
    };
    const ok = await call('v0', 'PUT', `/api/v1/households/${h2.id}/plan`, body);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      exists: true, version: 1, nextReviewOn: '2025-07-15', overdue: true, cadreName: '张伟',
      needs: [{ code: '07', label: { zh: '缺技术' } }, { code: '09', label: { zh: '缺资金' } }],
      agreedMeasures: [{ typeCode: 'cattle_cow_granted', typeName: { zh: '基础母牛（无偿扶持）' }, quantity: 2, amount: 16000 }],
    });
    const stale = await call('v0', 'PUT', `/api/v1/households/${h2.id}/plan`, { ...body, needsNote: '另一人的修改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.zh).toContain('一户一策已被修改（您看到的是第 0 版，当前为第 1 版');
    expect(stale.json().error.current).toMatchObject({ version: 1, needsNote: '缺技术、缺资金' });
    const reviewed = await call('v0', 'PUT', `/api/v1/households/${h2.id}/plan`, { ...body, version: 1, lastReviewedOn: today, reviewEveryMonths: 3 });
    expect(reviewed.json()).toMatchObject({ version: 2, lastReviewedOn: today, nextReviewOn: addMonths(today, 3), overdue: false });
    const [a] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'household_plans' AND household_id = $1`, [h2.id]);
    expect(a!.n).toBe(2);
  });
});

describe('visits', () => {
  it('refuses bad visits with each reason and writes nothing', async () => {
    const bad = await call('v0', 'POST', `/api/v1/households/${h1.id}/visits`, { visitedOn: tomorrow, kind: 'letter', findings: '   ', followUpDue: '2020-01-01' });
    expect(bad.statusCode).toBe(400);
    const issues = bad.json().error.issues as { field: string; zh: string }[];
    expect(issues.map((i) => i.field)).toEqual(['visitedOn', 'cadreId', 'kind', 'findings', 'followUps', 'followUpDue']);
    expect(issues[0]!.zh).toContain(`走访日期 ${tomorrow} 晚于今天`);
    expect(issues[1]!.zh).toContain('请选择走访的帮扶干部');
    expect(issues[3]!.zh).toBe('请填写走访发现的情况');
    const due = await call('v0', 'POST', `/api/v1/households/${h1.id}/visits`, { visitedOn: '2025-02-03', cadreId: cadreA, findings: '务工收入稳定', followUps: '联系技能培训', followUpDue: '2025-01-01' });
    expect(due.json().error.issues[0].zh).toContain('后续事项办理期限 2025-01-01 早于走访日期（2025-02-03）');
    expect(await count('visits', area.countyCode)).toBe(0);
  });

  it('records visits, lists them for the household and the area, and marks a follow-up done', async () => {
    const v1 = await call('v0', 'POST', `/api/v1/households/${h1.id}/visits`, { visitedOn: '2025-02-03', cadreId: cadreA, kind: 'home', findings: '务工收入稳定', followUps: '联系技能培训', followUpDue: '2025-03-01' });
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json()).toMatchObject({ cadreName: '张伟', kindLabel: { zh: '入户走访' }, followUpOverdue: true, followUpDoneOn: null });
    await call('v0', 'POST', `/api/v1/households/${h1.id}/visits`, { visitedOn: '2025-03-05', cadreId: cadreA, kind: 'phone', findings: '电话回访，已报名培训' });
    await call('v0', 'POST', `/api/v1/households/${h1.id}/visits`, { visitedOn: '2024-12-20', cadreId: cadreA, findings: '年底走访' });
    await call('county', 'POST', `/api/v1/households/${h6.id}/visits`, { visitedOn: '2025-01-20', cadreId: cadreB, findings: '住房安全' });
    const list = await call('v0', 'GET', `/api/v1/households/${h1.id}/visits`);
    expect(list.json().items.map((x: { visitedOn: string }) => x.visitedOn)).toEqual(['2025-03-05', '2025-02-03', '2024-12-20']);
    const open = await call('v0', 'GET', '/api/v1/assistance/visits?openFollowUps=true');
    expect(open.json()).toMatchObject({ total: 1, items: [{ id: v1.json().id }] });
    const period = await call('county', 'GET', `/api/v1/assistance/visits?cadre=${cadreA}&from=2025-01-01&to=2025-03-31`);
    expect(period.json().total).toBe(2);
    const badPeriod = await call('county', 'GET', '/api/v1/assistance/visits?from=2025-03-01&to=2025-01-01');
    expect(badPeriod.json().error.issues[0].zh).toContain('结束日期 2025-01-01 早于开始日期 2025-03-01');
    const early = await call('v0', 'POST', `/api/v1/households/${h1.id}/visits/${v1.json().id}/follow-up-done`, { doneOn: '2025-01-01' });
    expect(early.statusCode).toBe(400);
    const done = await call('v0', 'POST', `/api/v1/households/${h1.id}/visits/${v1.json().id}/follow-up-done`, { doneOn: '2025-02-20' });
    expect(done.json()).toMatchObject({ followUpDoneOn: '2025-02-20', followUpOverdue: false });
    const twice = await call('v0', 'POST', `/api/v1/households/${h1.id}/visits/${v1.json().id}/follow-up-done`, { doneOn: '2025-02-21' });
    expect(twice.statusCode).toBe(409);
  });

  it('computes the visit frequency per cadre (hand-checked)', async () => {
    const res = await call('county', 'GET', `/api/v1/assistance/visit-frequency?area=${area.countyCode}&from=2025-01-01&to=2025-03-31`);
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    expect(f.months).toBe(3); // 1 Jan – 31 Mar: three whole months
    const zhang = f.items.find((x: { cadreId: number }) => x.cadreId === cadreA);
    // 张伟: paired with h1 and h2 from 2025-01-10; visits in the period: h1 on 02-03 and 03-05 (12-20 is before it).
    // 2 visits ÷ 2 households ÷ 3 months = 0.333… → 0.33; h2 not visited; last visit 2025-03-05.
    expect(zhang).toMatchObject({ householdsPaired: 2, visits: 2, visitsPerHouseholdMonth: 0.33, lastVisit: '2025-03-05', notVisited: 1, notVisitedHouseholds: [{ householdId: h2.id }] });
    // 王芳: h6 from 2025-01-10 and h4 (2024-01-01 – 2024-06-30, outside the period); one visit to h6: 1 ÷ 1 ÷ 3 = 0.33.
    const wang = f.items.find((x: { cadreId: number }) => x.cadreId === cadreB);
    expect(wang).toMatchObject({ householdsPaired: 1, visits: 1, visitsPerHouseholdMonth: 0.33, lastVisit: '2025-01-20', notVisited: 0 });
    expect(f.items.find((x: { cadreId: number }) => x.cadreId === poorCadre)).toBeUndefined();
    // February only: 张伟 visited h1 once, 1 ÷ 2 ÷ 1 = 0.5.
    const feb = (await call('county', 'GET', '/api/v1/assistance/visit-frequency?from=2025-02-01&to=2025-02-28')).json();
    expect(feb.items.find((x: { cadreId: number }) => x.cadreId === cadreA)).toMatchObject({ visits: 1, visitsPerHouseholdMonth: 0.5, lastVisit: '2025-02-03' });
  });
});

describe('area scope and roles on every new endpoint', () => {
  it('answers a village cadre of another village 404 for the household and empty lists', async () => {
    for (const url of [`/api/v1/households/${h1.id}/plan`, `/api/v1/households/${h1.id}/visits`]) {
      const r = await call('v1', 'GET', url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.zh).toContain('无权查看');
    }
    expect((await call('v1', 'PUT', `/api/v1/households/${h2.id}/plan`, { version: 2 })).statusCode).toBe(404);
    expect((await call('v1', 'POST', `/api/v1/households/${h1.id}/visits`, { visitedOn: '2025-01-01', cadreId: cadreA, findings: 'x' })).statusCode).toBe(404);
    expect((await call('v1', 'GET', `/api/v1/assistance/visits?area=${area.villageCodes[0]}`)).statusCode).toBe(404);
    const visits = await call('v1', 'GET', '/api/v1/assistance/visits');
    expect(visits.json().items.every((v: { villageCode: string }) => v.villageCode === area.villageCodes[1])).toBe(true);
    const pairings = await call('v1', 'GET', '/api/v1/assistance/pairings');
    expect(pairings.json().items.map((p: { householdId: number }) => p.householdId)).toEqual([h6.id]);
    const flags = await call('v1', 'GET', '/api/v1/assistance/flags');
    expect(flags.json().unpaired.map((u: { householdId: number }) => u.householdId)).toEqual([h5.id]);
    const teams = await call('v1', 'GET', '/api/v1/assistance/work-teams');
    expect(teams.json().total).toBe(0);
    const freq = await call('v1', 'GET', '/api/v1/assistance/visit-frequency?from=2025-01-01&to=2025-03-31');
    expect(freq.json().items.map((x: { cadreId: number }) => x.cadreId)).toEqual([cadreB]);
    // Cadres: only those working in village 1 (王芳 through h6); not 张伟.
    const cadres = await call('v1', 'GET', '/api/v1/assistance/cadres');
    expect(cadres.json().items.map((c: { name: string }) => c.name)).toEqual(['王芳']);
    expect((await call('v1', 'GET', `/api/v1/assistance/cadres/${cadreA}`)).statusCode).toBe(404);
    // Another county sees none of it.
    for (const url of ['/api/v1/assistance/units', '/api/v1/assistance/cadres', '/api/v1/assistance/pairings', '/api/v1/assistance/visits', '/api/v1/assistance/work-teams']) {
      const r = await call('other', 'GET', url);
      expect(r.json().items.every((x: { countyCode: string }) => x.countyCode === other.countyCode), url).toBe(true);
    }
    expect((await call('other', 'GET', `/api/v1/assistance/units/${unitId}`)).statusCode).toBe(404);
    expect((await call('other', 'GET', `/api/v1/assistance/flags?area=${area.countyCode}`)).statusCode).toBe(404);
    expect((await call('other', 'POST', '/api/v1/assistance/pairings', { householdId: h3.id, cadreId: otherCadre, startedOn: '2025-01-10' })).statusCode).toBe(404);
  });

  it('refuses a researcher (403) and a village cadre managing pairings (403)', async () => {
    const urls = [
      '/api/v1/assistance/units', '/api/v1/assistance/cadres', '/api/v1/assistance/work-teams', '/api/v1/assistance/pairings', '/api/v1/assistance/flags',
      '/api/v1/assistance/visits', '/api/v1/assistance/visit-frequency', `/api/v1/households/${h1.id}/plan`, `/api/v1/households/${h1.id}/visits`,
    ];
    for (const url of urls) expect((await call('researcher', 'GET', url)).statusCode, url).toBe(403);
    expect((await call('researcher', 'POST', `/api/v1/households/${h1.id}/visits`, { visitedOn: '2025-01-01', cadreId: cadreA, findings: 'x' })).statusCode).toBe(403);
    expect((await call('v0', 'POST', '/api/v1/assistance/pairings', { householdId: h3.id, cadreId: cadreA, startedOn: '2025-01-10' })).statusCode).toBe(403);
    expect((await call('v0', 'POST', '/api/v1/assistance/units', { name: 'x', kind: 'soe', level: 'county' })).statusCode).toBe(403);
  });
});

describe('the default period of the visit frequency', () => {
  it('is this year to today, or the whole year of the latest visit when the area has none this year', () => {
    expect(defaultVisitPeriod('2026-11-29', '2026-03-02')).toEqual({ from: '2026-01-01', to: '2026-11-29', basis: 'this_year' });
    // A register kept up to an earlier year (the demo data ends on 2025-12-31): that whole year.
    expect(defaultVisitPeriod('2026-11-29', '2025-12-18')).toEqual({ from: '2025-01-01', to: '2025-12-31', basis: 'latest_visit_year' });
    expect(defaultVisitPeriod('2026-01-03', '2025-06-30')).toEqual({ from: '2025-01-01', to: '2025-12-31', basis: 'latest_visit_year' });
    expect(defaultVisitPeriod('2026-11-29', null)).toEqual({ from: '2026-01-01', to: '2026-11-29', basis: 'this_year' });
  });

  it('follows the latest visit of the area asked, and says which period it used', async () => {
    const year = today.slice(0, 4);
    // Village 0: the latest visit is 2025-03-05 (the tests above run on a later clock than 2025).
    const v0 = (await call('county', 'GET', `/api/v1/assistance/visit-frequency?area=${area.villageCodes[0]}`)).json();
    expect(v0.latestVisit).toBe('2025-03-05');
    if (year > '2025') {
      expect(v0).toMatchObject({ from: '2025-01-01', to: '2025-12-31', basis: 'latest_visit_year', months: 12 });
      // 张伟 over 2025: h1 and h2 paired; two visits to h1 in 2025 (02-03 and 03-05; 2024-12-20 is before it); h2 not visited.
      expect(v0.items.find((x: { cadreId: number }) => x.cadreId === cadreA)).toMatchObject({ householdsPaired: 2, visits: 2, lastVisit: '2025-03-05', notVisited: 1 });
    }
    // Village 1 gets a visit today: its default is this year to today.
    const rec = await call('v1', 'POST', `/api/v1/households/${h6.id}/visits`, { visitedOn: today, cadreId: cadreB, findings: '今年第一次走访' });
    expect(rec.statusCode, rec.body).toBe(201);
    const v1 = (await call('county', 'GET', `/api/v1/assistance/visit-frequency?area=${area.villageCodes[1]}`)).json();
    expect(v1).toMatchObject({ from: `${year}-01-01`, to: today, basis: 'this_year', latestVisit: today });
    expect(v1.items.find((x: { cadreId: number }) => x.cadreId === cadreB)).toMatchObject({ visits: 1, lastVisit: today, notVisited: 0 });
    // A chosen period is kept as given; only the end given: from 1 January of its year.
    expect((await call('county', 'GET', `/api/v1/assistance/visit-frequency?area=${area.villageCodes[1]}&to=2025-02-28`)).json())
      .toMatchObject({ from: '2025-01-01', to: '2025-02-28', basis: 'given', months: 2 });
    const bad = await call('county', 'GET', '/api/v1/assistance/visit-frequency?from=2025-13-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].field).toBe('from');
  });
});
