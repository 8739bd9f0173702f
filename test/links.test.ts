// Assistance links (issue 5) on a real database, through the API: 能人带动 leaders and the households
// they bring along (overlap refused, status and latest per-capita income listed), 景区带村 scenic
// spots with villages of their own county, 电商产品 products sold by a leader of the same county.
// Every bad input: its per-field message and nothing written; area scope on every endpoint
// (another county's id → 404); a researcher sees counts, never names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createUser } from '../src/services/users.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let other: TestArea;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};
const admin = (): Ctx => ({ actor: systemActor('test'), db });
let seq = 0;

interface Built { id: number; memberIds: number[] }
async function household(village: string, status: string, head: string, income: number): Promise<Built> {
  const county = village.slice(0, 6);
  const ids = [makeIdNumber(county, '1968-04-11', '1', (seq += 1)), makeIdNumber(county, '1971-09-20', '2', (seq += 1))];
  const h = await createHousehold(admin(), {
    household: { householdNo: householdNo('LINK'), villageCode: village, attribute: status === '0' ? '1' : '4', exitStatus: status, exitYear: status === '0' ? undefined : 2019, mainCause: '07', identifiedOn: '2015-05-01' },
    members: [
      { name: head, idNumber: ids[0], relation: '01', ethnicity: '02' },
      { name: '其其格', idNumber: ids[1], relation: '02', ethnicity: '02' },
    ],
  });
  // household_size 2: per-capita income = wage / 2.
  await putHouseholdYear(admin(), h.id, 2024, { householdSize: 2, status, wageIncome: income - 2000 });
  await putHouseholdYear(admin(), h.id, 2025, { householdSize: 2, status, wageIncome: income });
  const [m] = await db.query<{ ids: number[] }>('SELECT array_agg(id ORDER BY id) AS ids FROM members WHERE county_code = $1 AND household_id = $2', [county, h.id]);
  return { id: h.id, memberIds: m!.ids.map(Number) };
}

async function login(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

const call = (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function count(table: string, county: string): Promise<number> {
  const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE county_code = $1`, [county]);
  return Number(r!.n);
}
async function audits(entity: string, county: string): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE entity = $1 AND county_code = $2', [entity, county]);
  return Number(r!.n);
}
type Issue = { field: string; zh: string; en: string };
const issuesOf = (res: { json: () => unknown }) => (res.json() as { error: { issues: Issue[] } }).error.issues;

let h1: Built; // v0, 已脱贫(享受政策), 2025 wage 24000 → per capita 12000
let h2: Built; // v1, 未脱贫, 2025 wage 9000 → 4500
let hOther: Built; // the other county
let coop: number; // cooperative in v0
let person: number; // capable person in v1 (h2's head)
let otherLeader: number; // the other county's cooperative
let spot: number;
let product: number;

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  other = await makeArea(db);
  const [v0, v1] = area.villageCodes;
  h1 = await household(v0, '1', '巴特尔', 24000);
  h2 = await household(v1, '0', '朝鲁', 9000);
  hOther = await household(other.villageCodes[0], '1', '哈斯', 20000);
  const c = area.countyCode;
  await createUser(admin(), { username: `lkcounty${c}`, role: 'county_office', areaCode: c, password: PASSWORD });
  await createUser(admin(), { username: `lktown${c}`, role: 'township_reviewer', areaCode: area.townshipCode, password: PASSWORD });
  await createUser(admin(), { username: `lkv0${c}`, role: 'village_cadre', areaCode: v0, password: PASSWORD });
  await createUser(admin(), { username: `lkv1${c}`, role: 'village_cadre', areaCode: v1, password: PASSWORD });
  await createUser(admin(), { username: `lkres${c}`, role: 'researcher', areaCode: c, password: PASSWORD });
  await createUser(admin(), { username: `lkother${c}`, role: 'county_office', areaCode: other.countyCode, password: PASSWORD });
  for (const [k, u] of [['county', 'lkcounty'], ['town', 'lktown'], ['v0', 'lkv0'], ['v1', 'lkv1'], ['researcher', 'lkres'], ['other', 'lkother']] as const) {
    cookies[k] = await login(`${u}${c}`);
  }
});

afterAll(async () => {
  await app.close();
  await db.close();
});

describe('leaders', () => {
  it('refuses bad leaders with every reason and writes nothing', async () => {
    const c = area.countyCode;
    const res = await call('county', 'POST', '/api/v1/leaders', {
      name: ' ', kind: 'club', villageCode: other.villageCodes[0], channel: 'mining', memberId: hOther.memberIds[0], contactPhone: 'call me',
    });
    expect(res.statusCode).toBe(400);
    const issues = issuesOf(res);
    expect(issues.map((i) => i.field)).toEqual(['name', 'kind', 'villageCode', 'channel', 'contactPhone']);
    expect(issues[0]!.zh).toBe('请填写名称');
    expect(issues[1]!.zh).toContain('类型应为以下之一：person 致富带头人（能人）');
    expect(issues[2]!.zh).toContain(`村 ${other.villageCodes[0]} 不存在、不是村级区划或不在您的管辖范围内`);
    expect(issues[3]!.en).toContain('The channel must be one of: cattle');
    // A registered person of another county is not in this county's register.
    const res2 = await call('county', 'POST', '/api/v1/leaders', { name: '朝鲁', kind: 'person', villageCode: area.villageCodes[1], channel: 'cattle', memberId: hOther.memberIds[0] });
    expect(res2.statusCode).toBe(400);
    expect(issuesOf(res2)).toEqual([expect.objectContaining({ field: 'memberId', zh: `人员 ${hOther.memberIds[0]} 不在本旗县（${c}）的建档立卡名册中；请从名册中选择本人，或留空` })]);
    const res3 = await call('county', 'POST', '/api/v1/leaders', { name: '某合作社', kind: 'cooperative', villageCode: area.villageCodes[0], channel: 'cattle', memberId: h1.memberIds[0] });
    expect(issuesOf(res3)[0]).toMatchObject({ field: 'memberId', en: expect.stringContaining('Only a capable person') });
    expect(await count('leaders', c)).toBe(0);
    expect(await audits('leaders', c)).toBe(0);
  });

  it('is managed at county level only: township and village accounts and researchers are refused', async () => {
    const body = { name: '牧兴肉牛合作社', kind: 'cooperative', villageCode: area.villageCodes[0], channel: 'cattle' };
    for (const who of ['town', 'v0', 'researcher']) {
      const res = await call(who, 'POST', '/api/v1/leaders', body);
      expect(res.statusCode, who).toBe(403);
    }
    expect(await count('leaders', area.countyCode)).toBe(0);
  });

  it('creates leaders (audited) and refuses a second of the same name', async () => {
    const c = area.countyCode;
    const res = await call('county', 'POST', '/api/v1/leaders', { name: '牧兴肉牛合作社', kind: 'cooperative', villageCode: area.villageCodes[0], channel: 'cattle', contactPhone: '13912345678' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ countyCode: c, kindLabel: { zh: '农民专业合作社' }, channelLabel: { zh: '黄牛产业' }, contactPhone: '139****5678', currentHouseholds: 0 });
    coop = res.json().id;
    const p = await call('county', 'POST', '/api/v1/leaders', { name: '朝鲁', kind: 'person', villageCode: area.villageCodes[1], channel: 'tourism', memberId: h2.memberIds[0] });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({ memberName: '朝鲁', memberHouseholdId: h2.id });
    person = p.json().id;
    const dup = await call('county', 'POST', '/api/v1/leaders', { name: '牧兴肉牛合作社', kind: 'enterprise', villageCode: area.villageCodes[1], channel: 'cattle' });
    expect(dup.statusCode).toBe(400);
    expect(issuesOf(dup)[0]!.zh).toContain('本旗县已有名为“牧兴肉牛合作社”的带头人/合作社');
    expect(await count('leaders', c)).toBe(2);
    expect(await audits('leaders', c)).toBe(2);
    const o = await call('other', 'POST', '/api/v1/leaders', { name: '外旗合作社', kind: 'cooperative', villageCode: other.villageCodes[0], channel: 'cattle' });
    expect(o.statusCode).toBe(201);
    otherLeader = o.json().id;
  });

  it('links households: refuses another county’s household, bad dates and an overlapping period, writes nothing', async () => {
    const c = area.countyCode;
    const bad = await call('county', 'POST', `/api/v1/leaders/${coop}/households`, { householdId: hOther.id, linkKind: 'salary', since: '2024-05-01', until: '2024-04-01', expectedBenefit: -5 });
    expect(bad.statusCode).toBe(400);
    const issues = issuesOf(bad);
    expect(issues.map((i) => i.field)).toEqual(['householdId', 'linkKind', 'until', 'expectedBenefit']);
    expect(issues[0]!.zh).toBe(`农户 ${hOther.id} 不在带头人所在旗县（${c}）的名册中；只能带动本旗县的农户`);
    expect(issues[2]!.en).toBe('End date 2024-04-01 is before the start date 2024-05-01; use the start date or a later day');
    expect(await count('leader_households', c)).toBe(0);

    const ok = await call('county', 'POST', `/api/v1/leaders/${coop}/households`, { householdId: h1.id, linkKind: 'dividend', since: '2023-01-01', until: '2023-12-31', expectedBenefit: 800 });
    expect(ok.statusCode, ok.body).toBe(201);
    const ok2 = await call('county', 'POST', `/api/v1/leaders/${coop}/households`, { householdId: h1.id, linkKind: 'custody', since: '2024-03-01', expectedBenefit: 1500.5 });
    expect(ok2.statusCode, ok2.body).toBe(201);
    const ok3 = await call('county', 'POST', `/api/v1/leaders/${coop}/households`, { householdId: h2.id, linkKind: 'job', since: '2024-06-01', expectedBenefit: 6000 });
    expect(ok3.statusCode, ok3.body).toBe(201);

    const overlap = await call('county', 'POST', `/api/v1/leaders/${coop}/households`, { householdId: h1.id, linkKind: 'job', since: '2023-12-01', until: '2024-01-31' });
    expect(overlap.statusCode).toBe(400);
    expect(issuesOf(overlap)).toEqual([{ field: 'since', zh: '该户已由本带头人带动（2023-01-01 – 2023-12-31），与所填期间重叠；请先结束原带动关系或修改日期', en: expect.stringContaining('already brought along by this leader (2023-01-01 – 2023-12-31)') }]);
    const overlapOpen = await call('county', 'POST', `/api/v1/leaders/${coop}/households`, { householdId: h1.id, linkKind: 'job', since: '2030-01-01' });
    expect(issuesOf(overlapOpen)[0]!.zh).toContain('（2024-03-01 – 至今）');
    expect(await count('leader_households', c)).toBe(3);
    expect(await audits('leader_households', c)).toBe(3);
  });

  it('lists the households brought along with their status and latest per-capita income', async () => {
    const res = await call('county', 'GET', `/api/v1/leaders/${coop}/households`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    // Current: h1 (custody, 1500.50) and h2 (job, 6000) → 7500.50; the 2023 link of h1 has ended.
    expect(body.counts).toMatchObject({ current: 2, ended: 1, outsideArea: 0, expectedBenefit: 7500.5 });
    const cur1 = body.items.find((i: { householdId: number; current: boolean }) => i.householdId === h1.id && i.current);
    expect(cur1).toMatchObject({ headName: '巴特尔', exitStatus: '1', latestYear: 2025, latestPerCapitaIncome: 12000, linkKind: 'custody', linkKindLabel: { zh: '托养托管' }, until: null });
    expect(cur1.exitStatusLabel.zh).toContain('已脱贫');
    const cur2 = body.items.find((i: { householdId: number }) => i.householdId === h2.id);
    expect(cur2).toMatchObject({ latestPerCapitaIncome: 4500, exitStatus: '0', linkKind: 'job' });
    const leader = await call('county', 'GET', `/api/v1/leaders/${coop}`);
    expect(leader.json()).toMatchObject({ currentHouseholds: 2, expectedBenefit: 7500.5 });
  });

  it('ends a link (audited) and refuses an end that would overlap or precede the start', async () => {
    const c = area.countyCode;
    const before = await audits('leader_households', c);
    const bad = await call('county', 'PATCH', `/api/v1/leaders/${coop}/households/${h2.id}`, { since: '2024-06-01', until: '2024-05-01' });
    expect(bad.statusCode).toBe(400);
    expect(issuesOf(bad)[0]!.field).toBe('until');
    const missing = await call('county', 'PATCH', `/api/v1/leaders/${coop}/households/${h2.id}`, { since: '2020-01-01', until: '2020-05-01' });
    expect(missing.statusCode).toBe(404);
    // Reopening h1's 2023 link would overlap the current one.
    const reopen = await call('county', 'PATCH', `/api/v1/leaders/${coop}/households/${h1.id}`, { since: '2023-01-01', until: null });
    expect(reopen.statusCode).toBe(400);
    expect(issuesOf(reopen)[0]).toMatchObject({ field: 'until', zh: expect.stringContaining('2024-03-01 – 至今') });
    expect(await audits('leader_households', c)).toBe(before);
    const [row] = await db.query<{ until: string | null }>('SELECT until::text AS until FROM leader_households WHERE county_code = $1 AND household_id = $2', [c, h2.id]);
    expect(row!.until).toBeNull();
    const ok = await call('county', 'PATCH', `/api/v1/leaders/${coop}/households/${h2.id}`, { since: '2024-06-01', until: '2024-12-31' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().counts).toMatchObject({ current: 1, ended: 2, expectedBenefit: 1500.5 });
    expect(await audits('leader_households', c)).toBe(before + 1);
  });

  it('updates a leader and refuses moving it to another county', async () => {
    const res = await call('county', 'PATCH', `/api/v1/leaders/${coop}`, { villageCode: other.villageCodes[0] });
    expect(res.statusCode).toBe(400);
    expect(issuesOf(res)[0]!.field).toBe('villageCode');
    const bad = await call('county', 'PATCH', `/api/v1/leaders/${person}`, { kind: 'enterprise' });
    expect(issuesOf(bad)[0]!.field).toBe('memberId');
    const ok = await call('county', 'PATCH', `/api/v1/leaders/${coop}`, { note: '2019 年成立，托养基础母牛' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().note).toBe('2019 年成立，托养基础母牛');
  });

  it('scopes leaders by area: village accounts see leaders based or linking there, other counties get 404', async () => {
    const list = (who: string) => call(who, 'GET', '/api/v1/leaders').then((r) => r.json().items.map((i: { id: number }) => i.id).sort());
    expect(await list('county')).toEqual([coop, person].sort());
    // v1: the person is based there, and the cooperative brought along h2 of v1.
    expect(await list('v1')).toEqual([coop, person].sort());
    // v0: only the cooperative (based there); the person is based in v1 and links nobody in v0.
    expect(await list('v0')).toEqual([coop]);
    expect((await call('v0', 'GET', `/api/v1/leaders/${person}`)).statusCode).toBe(404);
    expect((await call('v0', 'GET', `/api/v1/leaders/${person}/households`)).statusCode).toBe(404);
    // v1 sees only its household in the cooperative's list, and how many are outside.
    const v1h = (await call('v1', 'GET', `/api/v1/leaders/${coop}/households`)).json();
    expect(v1h.items.map((i: { householdId: number }) => i.householdId)).toEqual([h2.id]);
    expect(v1h.counts.outsideArea).toBe(2);
    for (const url of [`/api/v1/leaders/${coop}`, `/api/v1/leaders/${coop}/households`]) {
      expect((await call('other', 'GET', url)).statusCode, url).toBe(404);
    }
    expect((await call('other', 'PATCH', `/api/v1/leaders/${coop}`, { note: 'x' })).statusCode).toBe(404);
    expect((await call('other', 'POST', `/api/v1/leaders/${coop}/households`, { householdId: hOther.id, linkKind: 'job', since: '2024-01-01' })).statusCode).toBe(404);
    expect((await call('county', 'GET', `/api/v1/leaders/${otherLeader}`)).statusCode).toBe(404);
    expect((await call('county', 'GET', `/api/v1/leaders?area=${other.countyCode}`)).statusCode).toBe(404);
    expect((await call('other', 'GET', '/api/v1/leaders')).json().items.map((i: { id: number }) => i.id)).toEqual([otherLeader]);
  });

  it('shows a researcher counts but no names', async () => {
    const res = await call('researcher', 'GET', '/api/v1/leaders');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ personal: false, items: [], total: 2, counts: { leaders: 2, households: 1, expectedBenefit: 1500.5 } });
    expect(body.counts.byKind.find((k: { kind: string }) => k.kind === 'person').n).toBe(1);
    const one = (await call('researcher', 'GET', `/api/v1/leaders/${person}`)).json();
    expect(one).toMatchObject({ name: null, memberName: null, memberId: null, contactPhone: null, kind: 'person' });
    const hh = await call('researcher', 'GET', `/api/v1/leaders/${coop}/households`);
    expect(hh.json()).toMatchObject({ personal: false, items: [], counts: { current: 1, ended: 2 } });
    expect(hh.body).not.toContain('巴特尔');
    expect(hh.body).not.toContain('朝鲁');
    expect(res.body).not.toContain('牧兴');
  });
});

describe('scenic spots', () => {
  it('refuses a linked village outside the county, an unknown village and a bad grade, writing nothing', async () => {
    const c = area.countyCode;
    const res = await call('county', 'POST', '/api/v1/scenic-spots', {
      name: '大青沟', grade: '6A', villageCode: area.villageCodes[0], linkedVillageCodes: [area.villageCodes[1], other.villageCodes[0], `${area.townshipCode}999`],
    });
    expect(res.statusCode).toBe(400);
    const issues = issuesOf(res);
    expect(issues.map((i) => i.field)).toEqual(['grade', 'linkedVillageCodes.1', 'linkedVillageCodes.2']);
    expect(issues[1]!.zh).toBe(`第 2 个带动村 ${other.villageCodes[0]} 不在景区所在旗县（${c}）；景区只能带动本旗县的村`);
    expect(issues[2]!.en).toContain('is not a known village');
    expect(await count('scenic_spots', c)).toBe(0);
    expect(await audits('scenic_spots', c)).toBe(0);
  });

  it('creates a spot with its villages (audited), scoped by area', async () => {
    const c = area.countyCode;
    const res = await call('county', 'POST', '/api/v1/scenic-spots', { name: '大青沟', grade: '4A', villageCode: area.villageCodes[0], linkedVillageCodes: [area.villageCodes[1]] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ gradeLabel: { zh: '4A 级景区' }, linkedVillages: [{ code: area.villageCodes[1], name: '测试二嘎查', households: 1 }] });
    spot = res.json().id;
    expect(await audits('scenic_spots', c)).toBe(1);
    // v1 sees it (a village it brings along); the other county does not.
    expect((await call('v1', 'GET', '/api/v1/scenic-spots')).json()).toMatchObject({ total: 1, linkedVillages: 1 });
    expect((await call('v1', 'GET', `/api/v1/scenic-spots/${spot}`)).statusCode).toBe(200);
    expect((await call('other', 'GET', `/api/v1/scenic-spots/${spot}`)).statusCode).toBe(404);
    expect((await call('other', 'PATCH', `/api/v1/scenic-spots/${spot}`, { grade: '5A' })).statusCode).toBe(404);
    expect((await call('other', 'GET', '/api/v1/scenic-spots')).json().total).toBe(0);
    expect((await call('v1', 'PATCH', `/api/v1/scenic-spots/${spot}`, { grade: '5A' })).statusCode).toBe(403);
    const up = await call('county', 'PATCH', `/api/v1/scenic-spots/${spot}`, { grade: null, linkedVillageCodes: [] });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ grade: null, linkedVillages: [] });
    expect((await call('v1', 'GET', `/api/v1/scenic-spots/${spot}`)).statusCode).toBe(404);
    expect((await call('researcher', 'GET', '/api/v1/scenic-spots')).json().total).toBe(1);
  });
});

describe('e-commerce products', () => {
  it('refuses a seller of another county and missing fields, writing nothing', async () => {
    const c = area.countyCode;
    const res = await call('county', 'POST', '/api/v1/ecommerce-products', { name: '', category: '', villageCode: area.villageCodes[0], leaderId: otherLeader });
    expect(res.statusCode).toBe(400);
    const issues = issuesOf(res);
    expect(issues.map((i) => i.field)).toEqual(['name', 'category', 'leaderId']);
    expect(issues[2]!.zh).toBe(`带头人/合作社 ${otherLeader} 不在产品所在旗县（${c}）；请从本旗县的带头人中选择，或留空`);
    expect(await count('ecommerce_products', c)).toBe(0);
    expect(await audits('ecommerce_products', c)).toBe(0);
  });

  it('creates a product sold by a cooperative (audited); scope and researcher view', async () => {
    const c = area.countyCode;
    const res = await call('county', 'POST', '/api/v1/ecommerce-products', { name: '科尔沁风干牛肉', category: '牛肉制品', villageCode: area.villageCodes[0], leaderId: coop, shop: '牧兴旗舰店（淘宝）' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ leaderName: '牧兴肉牛合作社', villageName: '测试一嘎查' });
    product = res.json().id;
    expect(await audits('ecommerce_products', c)).toBe(1);
    expect((await call('county', 'GET', `/api/v1/leaders/${coop}`)).json().products).toBe(1);
    const list = (await call('county', 'GET', `/api/v1/ecommerce-products?leader=${coop}`)).json();
    expect(list).toMatchObject({ total: 1, byCategory: [{ category: '牛肉制品', n: 1 }] });
    expect((await call('v1', 'GET', '/api/v1/ecommerce-products')).json().total).toBe(0);
    expect((await call('v1', 'GET', `/api/v1/ecommerce-products/${product}`)).statusCode).toBe(404);
    expect((await call('v0', 'GET', `/api/v1/ecommerce-products/${product}`)).statusCode).toBe(200);
    expect((await call('other', 'GET', `/api/v1/ecommerce-products/${product}`)).statusCode).toBe(404);
    expect((await call('other', 'PATCH', `/api/v1/ecommerce-products/${product}`, { shop: 'x' })).statusCode).toBe(404);
    const res2 = (await call('researcher', 'GET', '/api/v1/ecommerce-products')).json();
    expect(res2.items[0]).toMatchObject({ name: '科尔沁风干牛肉', leaderName: null, leaderId: null });
    const up = await call('county', 'PATCH', `/api/v1/ecommerce-products/${product}`, { leaderId: otherLeader });
    expect(up.statusCode).toBe(400);
    const [row] = await db.query<{ l: number }>('SELECT leader_id AS l FROM ecommerce_products WHERE county_code = $1 AND id = $2', [c, product]);
    expect(Number(row!.l)).toBe(coop);
  });
});
