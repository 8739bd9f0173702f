// Measures and channels end to end on a real database: the type catalogue (built-in and county
// types), recording, correcting and deleting measures with every bad input refused with its reason
// and nothing written, the ledger with filters and export, filling a yearly income record from the
// ledger (arithmetic by hand below), and the channel view on a small county built here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createUser } from '../src/services/users.js';
import { systemActor } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { recordMeasure } from '../src/services/measures.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let other: TestArea;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};
type Who = 'county' | 'cadre0' | 'township' | 'researcher' | 'inspector' | 'otherCounty' | 'bureau';

async function loginAs(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: Who, payload?: unknown): Promise<{ status: number; body: any; raw: Buffer; headers: Record<string, unknown> }> {
  const res = await app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload === undefined ? {} : { payload: payload as object }) });
  let body: unknown = null;
  try {
    body = res.json();
  } catch {
    body = null;
  }
  return { status: res.statusCode, body, raw: res.rawPayload, headers: res.headers };
}

const sys = () => ({ db, actor: systemActor('test') });

/** A household of `size` members in `village`, with yearly records {year: per-capita income} (all wage). */
async function household(a: TestArea, village: string, size: number, years: Record<number, number> = {}) {
  const relations = ['01', '02', '03', '04', '09', '10'];
  const members = Array.from({ length: size }, (_, i) => ({
    name: ['巴特尔', '其木格', '苏和', '萨仁', '额尔敦', '乌云'][i]!, idNumber: makeIdNumber(a.countyCode, `19${70 + i}-0${1 + (i % 9)}-15`, i % 2 ? '2' : '1'),
    relation: relations[i]!, ethnicity: '02', health: '1', labourAbility: '1',
  }));
  const h = await createHousehold(sys(), { household: { householdNo: householdNo('MS'), villageCode: village, attribute: '1', exitStatus: '0', mainCause: '01', identifiedOn: '2015-04-01' }, members });
  for (const [y, pc] of Object.entries(years)) await putHouseholdYear(sys(), h.id, Number(y), { householdSize: size, status: '0', wageIncome: pc * size });
  return h;
}

async function project(a: TestArea, channel: string, budget: Record<string, number>, villageCodes: string[] = []) {
  const [p] = await db.query<{ id: number }>(
    `INSERT INTO projects (county_code, name, channel, year, village_codes) VALUES ($1, $2, $3, 2024, $4) RETURNING id`,
    [a.countyCode, `测试项目${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, channel, villageCodes],
  );
  for (const [src, amount] of Object.entries(budget)) {
    await db.query('INSERT INTO project_budgets (county_code, project_id, fund_source, amount) VALUES ($1, $2, $3, $4)', [a.countyCode, p!.id, src, amount]);
  }
  return p!.id;
}

async function measureCount(householdId: number): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM measures WHERE household_id = $1', [householdId]);
  return r!.n;
}

async function auditCount(entity: string, entityId: string | number): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE entity = $1 AND entity_id = $2', [entity, String(entityId)]);
  return r!.n;
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  other = await makeArea(db);
  const s = area.countyCode;
  const mk = (username: string, role: string, areaCode: string) => createUser(sys(), { username, role, areaCode, password: PASSWORD });
  await mk(`mcounty${s}`, 'county_office', area.countyCode);
  await mk(`mcadre${s}`, 'village_cadre', area.villageCodes[0]);
  await mk(`mtown${s}`, 'township_reviewer', area.townshipCode);
  await mk(`mresearch${s}`, 'researcher', area.countyCode);
  await mk(`minspect${s}`, 'inspector', area.countyCode);
  await mk(`mbureau${s}`, 'industry_bureau', area.countyCode);
  await mk(`mother${s}`, 'county_office', other.countyCode);
  cookies.county = await loginAs(`mcounty${s}`);
  cookies.cadre0 = await loginAs(`mcadre${s}`);
  cookies.township = await loginAs(`mtown${s}`);
  cookies.researcher = await loginAs(`mresearch${s}`);
  cookies.inspector = await loginAs(`minspect${s}`);
  cookies.bureau = await loginAs(`mbureau${s}`);
  cookies.otherCounty = await loginAs(`mother${s}`);
}, 60_000);

afterAll(async () => {
  await app.close();
  await db.close();
});

describe('measure types', () => {
  it('lists built-in types by channel with labels, fund sources and income components', async () => {
    const r = await api('GET', '/api/v1/measure-types', 'researcher');
    expect(r.status).toBe(200);
    const cattle = r.body.channels.find((c: { key: string }) => c.key === 'cattle');
    expect(cattle.label).toEqual({ zh: '黄牛产业', en: 'Cattle industry' });
    expect(cattle.types[0]).toMatchObject({ code: 'cattle_cow_granted', countyCode: null, target: 'household', incomeComponent: 'none', active: true });
    expect(r.body.channels).toHaveLength(13);
    expect(r.body.fundSources.map((f: { key: string }) => f.key)).toContain('central');
    expect(r.body.incomeComponents.map((f: { key: string }) => f.key)).toEqual(['wage', 'production', 'property', 'transfer', 'non_counting', 'none']);
  });

  it('lets a county office add its own type (code prefixed), seen in that county only, and deactivate it', async () => {
    const bad = await api('POST', '/api/v1/measure-types', 'county', { code: 'Bad Code', channel: 'cows', nameZh: '', unitZh: '', incomeComponent: 'salary' });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['code', 'channel', 'nameZh', 'unitZh', 'incomeComponent']));
    expect(bad.body.error.issues.find((i: { field: string }) => i.field === 'channel').zh).toContain('请选择帮扶渠道');
    const [none] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM measure_types WHERE county_code = $1', [area.countyCode]);
    expect(none!.n).toBe(0);

    const r = await api('POST', '/api/v1/measure-types', 'county', { code: 'cattle_bonus', channel: 'cattle', nameZh: '养牛奖补', nameEn: 'Cattle bonus', unitZh: '头', unitEn: 'head', incomeComponent: 'transfer' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ code: `${area.countyCode}_cattle_bonus`, countyCode: area.countyCode, target: 'household', active: true });
    expect(await auditCount('measure_types', r.body.code)).toBe(1);
    const dup = await api('POST', '/api/v1/measure-types', 'county', { code: 'cattle_bonus', channel: 'cattle', nameZh: '重复', unitZh: '头', incomeComponent: 'transfer' });
    expect(dup.status).toBe(400);
    expect(dup.body.error.issues[0].zh).toContain('已存在');

    const mine = await api('GET', '/api/v1/measure-types', 'cadre0');
    expect(mine.body.channels.find((c: { key: string }) => c.key === 'cattle').types.map((t: { code: string }) => t.code)).toContain(r.body.code);
    const theirs = await api('GET', '/api/v1/measure-types', 'otherCounty');
    expect(theirs.body.channels.find((c: { key: string }) => c.key === 'cattle').types.map((t: { code: string }) => t.code)).not.toContain(r.body.code);
    expect((await api('GET', `/api/v1/measure-types?county=${area.countyCode}`, 'otherCounty')).status).toBe(404);
    // Another county's office cannot touch it; a township reviewer may not change the county's list.
    expect((await api('PATCH', `/api/v1/measure-types/${r.body.code}`, 'otherCounty', { active: false })).status).toBe(404);
    expect((await api('PATCH', `/api/v1/measure-types/${r.body.code}`, 'township', { active: false })).status).toBe(403);
    expect((await api('POST', '/api/v1/measure-types', 'township', { code: 'x_y', channel: 'cattle', nameZh: '甲', unitZh: '头', incomeComponent: 'none' })).status).toBe(403);
    expect((await api('POST', '/api/v1/measure-types', 'researcher', { code: 'x_y', channel: 'cattle', nameZh: '甲', unitZh: '头', incomeComponent: 'none' })).status).toBe(403);

    const off = await api('PATCH', `/api/v1/measure-types/${r.body.code}`, 'county', { active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const listed = await api('GET', '/api/v1/measure-types', 'county');
    expect(listed.body.channels.find((c: { key: string }) => c.key === 'cattle').types.map((t: { code: string }) => t.code)).not.toContain(r.body.code);
    const all = await api('GET', '/api/v1/measure-types?includeInactive=true', 'county');
    expect(all.body.channels.find((c: { key: string }) => c.key === 'cattle').types.map((t: { code: string }) => t.code)).toContain(r.body.code);

    // A deactivated type cannot be used any more.
    const h = await household(area, area.villageCodes[0], 2);
    const use = await api('POST', `/api/v1/households/${h.id}/measures`, 'county', { typeCode: r.body.code, year: 2024, amount: 100 });
    expect(use.status).toBe(400);
    expect(use.body.error.issues[0]).toMatchObject({ field: 'typeCode' });
    expect(use.body.error.issues[0].zh).toContain('已停用');
    expect(await measureCount(h.id)).toBe(0);
  });

  it('refuses to change a built-in type', async () => {
    const r = await api('PATCH', '/api/v1/measure-types/social_dibao', 'county', { active: false });
    expect(r.status).toBe(403);
    expect(r.body.error.zh).toContain('系统内置类型');
    const [t] = await db.query<{ active: boolean }>(`SELECT active FROM measure_types WHERE code = 'social_dibao'`);
    expect(t!.active).toBe(true);
  });
});

describe('recording measures', () => {
  it('records, lists, corrects and deletes a measure, each audited', async () => {
    const h = await household(area, area.villageCodes[0], 3);
    const worker = h.members.find((m) => m.relation === '02')!;
    const pid = await project(area, 'employment', { central: 50000, county: 10000 });
    const r = await api('POST', `/api/v1/households/${h.id}/measures`, 'cadre0', {
      typeCode: 'employment_public_job', memberId: worker.id, year: 2024, givenOn: '2024-06-30', quantity: 6, amount: 3600.5, projectId: pid, fundSource: 'county', note: '护路员',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      householdId: h.id, memberId: worker.id, memberName: '其木格', typeCode: 'employment_public_job', channel: 'employment', year: 2024, givenOn: '2024-06-30',
      quantity: 6, amount: 3600.5, projectId: pid, fundSource: 'county', incomeComponent: 'wage', recordedBy: `mcadre${area.countyCode}`,
    });
    expect(r.body.typeName.zh).toBe('公益岗位');
    expect(r.body.channelLabel.zh).toBe('就业和培训');
    expect(await auditCount('measures', r.body.id)).toBe(1);

    const list = await api('GET', `/api/v1/households/${h.id}/measures`, 'inspector');
    expect(list.status).toBe(200);
    expect(list.body.items.map((m: { id: number }) => m.id)).toEqual([r.body.id]);

    // A correction: the income component may be changed; a new type brings its own unless sent.
    // Each correction names the version read and bumps it.
    expect(r.body.version).toBe(1);
    const fix = await api('PATCH', `/api/v1/measures/${r.body.id}`, 'county', { amount: 3700, incomeComponent: 'transfer', version: 1 });
    expect(fix.status, JSON.stringify(fix.body)).toBe(200);
    expect(fix.body).toMatchObject({ amount: 3700, incomeComponent: 'transfer', memberId: worker.id, version: 2 });
    const retype = await api('PATCH', `/api/v1/measures/${r.body.id}`, 'county', { typeCode: 'social_dibao', memberId: null, projectId: null, fundSource: null, version: 2 });
    expect(retype.status, JSON.stringify(retype.body)).toBe(200);
    expect(retype.body).toMatchObject({ typeCode: 'social_dibao', incomeComponent: 'transfer', channel: 'social_security', memberId: null, projectId: null, version: 3 });
    const [a] = await db.query<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
      `SELECT before, after FROM audit_log WHERE entity = 'measures' AND entity_id = $1 AND action = 'update' ORDER BY id LIMIT 1`, [String(r.body.id)],
    );
    expect(a).toMatchObject({ before: { amount: 3600.5, incomeComponent: 'wage', version: 1 }, after: { amount: 3700, incomeComponent: 'transfer', version: 2 } });

    const del = await api('DELETE', `/api/v1/measures/${r.body.id}?version=3`, 'county');
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expect(await measureCount(h.id)).toBe(0);
    expect(await auditCount('measures', r.body.id)).toBe(4);
    expect((await api('DELETE', `/api/v1/measures/${r.body.id}?version=3`, 'county')).status).toBe(404);
  });

  it('refuses a correction or deletion of a stale version with 409 and the current measure, writing nothing', async () => {
    const h = await household(area, area.villageCodes[0], 2);
    const r = await api('POST', `/api/v1/households/${h.id}/measures`, 'cadre0', { typeCode: 'social_dibao', year: 2024, amount: 1200 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    // Two people read version 1; the county office corrects first.
    const first = await api('PATCH', `/api/v1/measures/${r.body.id}`, 'county', { amount: 1500, version: 1 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.version).toBe(2);
    const stored = async () => (await db.query<{ amount: number; version: number; note: string | null }>('SELECT amount::float8 AS amount, version, note FROM measures WHERE id = $1', [r.body.id]))[0];
    const audits = await auditCount('measures', r.body.id);

    // The cadre's correction of version 1 is refused: 409, the message names both versions, the current measure comes back.
    const stale = await api('PATCH', `/api/v1/measures/${r.body.id}`, 'cadre0', { amount: 1300, note: '补发', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect(stale.body.error.zh).toContain('第 1 版，当前为第 2 版');
    expect(stale.body.error.en).toContain('you read version 1, it is now 2');
    expect(stale.body.error.current).toMatchObject({ id: r.body.id, amount: 1500, version: 2 });
    expect(await stored()).toEqual({ amount: 1500, version: 2, note: null });

    // Deleting version 1 is refused the same way; the measure stays.
    const staleDel = await api('DELETE', `/api/v1/measures/${r.body.id}?version=1`, 'cadre0');
    expect(staleDel.status).toBe(409);
    expect(staleDel.body.error.current).toMatchObject({ id: r.body.id, amount: 1500, version: 2 });
    expect(await measureCount(h.id)).toBe(1);

    // A version from the future is as stale; no version at all is a 400 naming the field.
    expect((await api('PATCH', `/api/v1/measures/${r.body.id}`, 'cadre0', { amount: 1300, version: 7 })).status).toBe(409);
    const none = await api('PATCH', `/api/v1/measures/${r.body.id}`, 'cadre0', { amount: 1300 });
    expect(none.status).toBe(400);
    expect(none.body.error.issues[0].field).toBe('version');
    const noneDel = await api('DELETE', `/api/v1/measures/${r.body.id}`, 'cadre0');
    expect(noneDel.status).toBe(400);
    expect(noneDel.body.error.issues[0].field).toBe('version');
    expect(await stored()).toEqual({ amount: 1500, version: 2, note: null });
    expect(await measureCount(h.id)).toBe(1);
    expect(await auditCount('measures', r.body.id)).toBe(audits);

    // With the current version both go through.
    const ok = await api('PATCH', `/api/v1/measures/${r.body.id}`, 'cadre0', { amount: 1300, version: 2 });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ amount: 1300, version: 3 });
    expect((await api('DELETE', `/api/v1/measures/${r.body.id}?version=3`, 'cadre0')).status).toBe(200);
    expect(await measureCount(h.id)).toBe(0);
  });

  it('refuses each bad input with its reason and writes nothing', async () => {
    const h = await household(area, area.villageCodes[0], 2);
    const stranger = await household(area, area.villageCodes[0], 2);
    const pid = await project(area, 'cattle', { central: 20000 });
    const bare = await project(area, 'cattle', {});
    const theirs = await project(other, 'cattle', { central: 1000 });
    const elsewhere = await project(area, 'cattle', { central: 1000 }, [area.villageCodes[1]]);
    const ok = { typeCode: 'cattle_coop_dividend', year: 2024, amount: 500 };
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['negative amount', { ...ok, amount: -1 }, 'amount', '不能为负数'],
      ['three decimals', { ...ok, amount: 12.345 }, 'amount', '最多两位小数'],
      ['negative quantity', { ...ok, quantity: -2 }, 'quantity', '不能为负数'],
      ['year out of range', { ...ok, year: 2009 }, 'year', '2010–2100'],
      ['date not a date', { ...ok, givenOn: '2024-02-30' }, 'givenOn', '不是有效日期'],
      ['date in another year', { ...ok, givenOn: '2023-12-31' }, 'givenOn', '不在措施年度 2024 年内'],
      ['unknown fund source', { ...ok, fundSource: 'bank' }, 'fundSource', '不在代码表中'],
      ['unknown income component', { ...ok, incomeComponent: 'salary' }, 'incomeComponent', '收入构成 salary 无效'],
      ['no type', { ...ok, typeCode: '' }, 'typeCode', '请选择措施类型'],
      ['unknown type', { ...ok, typeCode: 'gold_bars' }, 'typeCode', '不存在或不属于本旗县'],
      ['member type without member', { ...ok, typeCode: 'ecology_ranger' }, 'memberId', '发放给个人，请选择本户的一名成员'],
      ['member of another household', { ...ok, typeCode: 'ecology_ranger', memberId: stranger.members[0]!.id }, 'memberId', '不是本户成员'],
      ['project without fund source', { ...ok, projectId: pid }, 'fundSource', '须注明资金来源'],
      ['fund not in the project budget', { ...ok, projectId: pid, fundSource: 'county' }, 'fundSource', '预算中没有资金来源 county；可选：central（中央财政专项扶贫（衔接）资金）'],
      ['project without budget', { ...ok, projectId: bare, fundSource: 'county' }, 'fundSource', '尚无预算'],
      ['project of another county', { ...ok, projectId: theirs, fundSource: 'central' }, 'projectId', `本旗县没有编号为 ${theirs} 的项目`],
      ['project serving another village', { ...ok, projectId: elsewhere, fundSource: 'central' }, 'projectId', '不覆盖本户所在嘎查村'],
      ['too long a note', { ...ok, note: 'x'.repeat(2001) }, 'note', '最长 2000 字'],
    ];
    for (const [name, body, field, zh] of cases) {
      const r = await api('POST', `/api/v1/households/${h.id}/measures`, 'county', body);
      expect(r.status, name).toBe(400);
      const issue = r.body.error.issues.find((i: { field: string }) => i.field === field);
      expect(issue, `${name}: ${JSON.stringify(r.body)}`).toBeTruthy();
      expect(issue.zh, name).toContain(zh);
      expect(issue.en.length, name).toBeGreaterThan(10);
    }
    // The schema refuses a wrong type of value before the service.
    const str = await api('POST', `/api/v1/households/${h.id}/measures`, 'county', { ...ok, amount: 'lots' });
    expect(str.status).toBe(400);
    expect(str.body.error.issues[0].field).toBe('amount');
    expect(await measureCount(h.id)).toBe(0);

    // A correction with a bad value changes nothing either.
    const good = await api('POST', `/api/v1/households/${h.id}/measures`, 'county', { ...ok, projectId: pid, fundSource: 'central' });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    const badFix = await api('PATCH', `/api/v1/measures/${good.body.id}`, 'county', { fundSource: 'county', version: good.body.version });
    expect(badFix.status).toBe(400);
    const [row] = await db.query<{ fund_source: string; version: number }>('SELECT fund_source, version FROM measures WHERE id = $1', [good.body.id]);
    expect(row).toEqual({ fund_source: 'central', version: 1 });
    expect(await auditCount('measures', good.body.id)).toBe(1);
  });

  it('refuses to correct or delete a line of an asset income distribution on its own (409), writing nothing', async () => {
    const h = await household(area, area.villageCodes[0], 2);
    const made = await recordMeasure(sys(), h.id, { typeCode: 'solar_reward', year: 2024, amount: 300 });
    // Mark it as a distribution line, as the asset income service writes them.
    const [p] = await db.query<{ id: number }>(`INSERT INTO projects (county_code, name, channel, year) VALUES ($1, $2, 'solar_wind', 2024) RETURNING id`, [area.countyCode, `光伏${Date.now().toString(36)}`]);
    const [asset] = await db.query<{ id: number }>(`INSERT INTO assets (county_code, project_id, village_code, kind, name) VALUES ($1, $2, $3, 'solar_station', '村级光伏电站') RETURNING id`, [area.countyCode, p!.id, area.villageCodes[0]]);
    const [inc] = await db.query<{ id: number }>(`INSERT INTO asset_incomes (county_code, asset_id, year, quarter, amount, recorded_by) VALUES ($1, $2, 2024, 1, 300, 'test') RETURNING id`, [area.countyCode, asset!.id]);
    await db.query('UPDATE measures SET asset_income_id = $1 WHERE county_code = $2 AND id = $3', [inc!.id, area.countyCode, made.id]);
    const fix = await api('PATCH', `/api/v1/measures/${made.id}`, 'county', { amount: 5, version: made.version });
    expect(fix.status).toBe(409);
    expect(fix.body.error.zh).toContain('资产收益分配');
    expect(fix.body.error.en).toContain('asset income');
    const del = await api('DELETE', `/api/v1/measures/${made.id}?version=${made.version}`, 'county');
    expect(del.status).toBe(409);
    const [row] = await db.query<{ amount: number; version: number }>('SELECT amount, version FROM measures WHERE county_code = $1 AND id = $2', [area.countyCode, made.id]);
    expect(row).toEqual({ amount: 300, version: 1 });
    expect(await auditCount('measures', made.id)).toBe(1);
    const list = await api('GET', `/api/v1/households/${h.id}/measures`, 'county');
    expect(list.body.items.find((m: { id: number }) => m.id === made.id).assetIncomeId).toBe(inc!.id);
  });

  it('offers a village cadre the projects the projects service shows it: county-wide and its village’s, with their budget sources', async () => {
    const wide = await project(area, 'cattle', { central: 1000 });
    const ours = await project(area, 'cattle', { county: 500, social: 100 }, [area.villageCodes[0]]);
    const theirs = await project(area, 'cattle', { county: 500 }, [area.villageCodes[1]]);
    const ids = (r: { body: { items: { id: number }[] } }) => r.body.items.map((i) => i.id);
    // The measure form asks without an area for an account inside the county (its own area).
    const cadre = await api('GET', '/api/v1/projects?pageSize=200', 'cadre0');
    expect(cadre.status).toBe(200);
    expect(ids(cadre)).toEqual(expect.arrayContaining([wide, ours]));
    expect(ids(cadre)).not.toContain(theirs);
    // The whole county is outside a village account's area; the county office sees all three.
    expect((await api('GET', `/api/v1/projects?area=${area.countyCode}`, 'cadre0')).status).toBe(404);
    const county = await api('GET', `/api/v1/projects?area=${area.countyCode}&pageSize=200`, 'county');
    expect(county.status).toBe(200);
    expect(ids(county)).toEqual(expect.arrayContaining([wide, ours, theirs]));
    // The fund-source select offers the chosen project's budget sources.
    const file = await api('GET', `/api/v1/projects/${ours}`, 'cadre0');
    expect(file.status).toBe(200);
    expect(file.body.budgets.map((b: { fundSource: string }) => b.fundSource).sort()).toEqual(['county', 'social']);
    expect((await api('GET', `/api/v1/projects/${theirs}`, 'cadre0')).status).toBe(404);
  });

  it('keeps every endpoint inside the actor’s area', async () => {
    const mine = await household(area, area.villageCodes[0], 2, { 2024: 3000 });
    const next = await household(area, area.villageCodes[1], 2, { 2024: 3000 });
    const m = await api('POST', `/api/v1/households/${next.id}/measures`, 'county', { typeCode: 'social_dibao', year: 2024, amount: 100 });
    expect(m.status).toBe(201);
    // The cadre of village 1 sees only village 1; another county sees nothing of this one.
    for (const who of ['cadre0', 'otherCounty'] as const) {
      expect((await api('GET', `/api/v1/households/${next.id}/measures`, who)).status).toBe(404);
      expect((await api('POST', `/api/v1/households/${next.id}/measures`, who, { typeCode: 'social_dibao', year: 2024, amount: 1 })).status).toBe(404);
      expect((await api('PATCH', `/api/v1/measures/${m.body.id}`, who, { amount: 1, version: 1 })).status).toBe(404);
      expect((await api('DELETE', `/api/v1/measures/${m.body.id}?version=1`, who)).status).toBe(404);
      expect((await api('GET', `/api/v1/households/${next.id}/years/2024/income-from-measures`, who)).status).toBe(404);
      expect((await api('POST', `/api/v1/households/${next.id}/years/2024/income-from-measures`, who, { version: 1, components: ['transfer'] })).status).toBe(404);
    }
    expect((await api('GET', `/api/v1/measures?area=${area.villageCodes[1]}`, 'cadre0')).status).toBe(404);
    expect((await api('GET', `/api/v1/measures?area=${area.countyCode}`, 'otherCounty')).status).toBe(404);
    expect((await api('GET', `/api/v1/measures/export?area=${area.countyCode}`, 'otherCounty')).status).toBe(404);
    expect((await api('GET', `/api/v1/channels?area=${area.countyCode}&year=2024`, 'otherCounty')).status).toBe(404);
    expect((await api('GET', `/api/v1/channels?area=${area.villageCodes[1]}&year=2024`, 'cadre0')).status).toBe(404);
    // The cadre's own ledger leaves village 1 out; the other county's ledger is empty of ours.
    const cadreLedger = await api('GET', '/api/v1/measures', 'cadre0');
    expect(cadreLedger.body.items.map((i: { id: number }) => i.id)).not.toContain(m.body.id);
    const otherLedger = await api('GET', '/api/v1/measures', 'otherCounty');
    expect(otherLedger.body.items.map((i: { id: number }) => i.id)).not.toContain(m.body.id);
    // Roles: researchers read aggregates only; inspectors read but do not write; a bureau records.
    expect((await api('GET', '/api/v1/measures', 'researcher')).status).toBe(403);
    expect((await api('GET', `/api/v1/households/${mine.id}/measures`, 'researcher')).status).toBe(403);
    expect((await api('GET', `/api/v1/channels?year=2024`, 'researcher')).status).toBe(200);
    expect((await api('POST', `/api/v1/households/${mine.id}/measures`, 'inspector', { typeCode: 'social_dibao', year: 2024, amount: 1 })).status).toBe(403);
    expect((await api('POST', `/api/v1/households/${mine.id}/years/2024/income-from-measures`, 'bureau', { version: 1, components: ['transfer'] })).status).toBe(403);
    expect((await api('POST', `/api/v1/households/${mine.id}/measures`, 'bureau', { typeCode: 'social_dibao', year: 2024, amount: 1 })).status).toBe(201);
    expect((await api('GET', '/api/v1/measures/export', 'bureau')).status).toBe(403);
  });
});

describe('the ledger', () => {
  it('filters by area, year, channel, type and project, pages, totals and exports', async () => {
    const a = await makeArea(db);
    const s = a.countyCode;
    await createUser(sys(), { username: `ledger${s}`, role: 'county_office', areaCode: s, password: PASSWORD });
    cookies.ledger = await loginAs(`ledger${s}`);
    const h1 = await household(a, a.villageCodes[0], 2);
    const h2 = await household(a, a.villageCodes[1], 1);
    const pid = await project(a, 'cattle', { central: 90000 });
    const add = async (hid: number, body: Record<string, unknown>) => {
      const r = await api('POST', `/api/v1/households/${hid}/measures`, 'ledger' as Who, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as number;
    };
    await add(h1.id, { typeCode: 'cattle_cow_granted', year: 2024, quantity: 2, amount: 16000, projectId: pid, fundSource: 'central' });
    await add(h1.id, { typeCode: 'social_dibao', year: 2024, amount: 2400.25 });
    await add(h2.id, { typeCode: 'cattle_coop_dividend', year: 2023, amount: 800.5 });
    const q = async (qs: string) => (await api('GET', `/api/v1/measures?${qs}`, 'ledger' as Who)).body;
    expect((await q('')).total).toBe(3);
    expect((await q('')).totalAmount).toBe(19200.75);
    expect((await q('year=2024')).totalAmount).toBe(18400.25);
    expect((await q('channel=cattle')).total).toBe(2);
    expect((await q('type=social_dibao')).items[0].amount).toBe(2400.25);
    expect((await q(`project=${pid}`)).items.map((i: { projectName: string }) => i.projectName)).toHaveLength(1);
    expect((await q(`area=${a.villageCodes[1]}`)).totalAmount).toBe(800.5);
    const page2 = await q('pageSize=2&page=2');
    expect(page2.items).toHaveLength(1);
    expect(page2.total).toBe(3);

    const x = await api('GET', `/api/v1/measures/export?area=${s}&year=2024`, 'ledger' as Who);
    expect(x.status).toBe(200);
    expect(String(x.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.raw as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(4); // header, two measures, total
    expect(ws.getRow(1).getCell(7).value).toBe('措施类型 Type');
    const types = [ws.getRow(2).getCell(7).value, ws.getRow(3).getCell(7).value];
    expect(types).toEqual(expect.arrayContaining(['基础母牛（无偿扶持）', '低保金']));
    expect(ws.getRow(4).getCell(11).value).toBe(18400.25);
  });
});

describe('filling the yearly income from the ledger', () => {
  it('previews and replaces the chosen components, with the arithmetic by hand', async () => {
    const h = await household(area, area.villageCodes[0], 3);
    // 2024 record: wage 6,000, production 3,000, property 0, transfer 1,200, costs 1,000, not counted 0.
    // Per capita = (6000 + 3000 + 0 + 1200 − 1000) / 3 = 9200 / 3 = 3066.666… → 3066.67.
    await putHouseholdYear(sys(), h.id, 2024, { householdSize: 3, status: '0', wageIncome: 6000, productionIncome: 3000, propertyIncome: 0, transferIncome: 1200, productionCosts: 1000, nonCountingIncome: 0 });
    const [son, wife] = [h.members.find((m) => m.relation === '03')!, h.members.find((m) => m.relation === '02')!];
    const add = async (body: Record<string, unknown>) => expect((await api('POST', `/api/v1/households/${h.id}/measures`, 'county', { year: 2024, ...body })).status).toBe(201);
    await add({ typeCode: 'employment_public_job', memberId: wife.id, amount: 4800.5 }); // wage
    await add({ typeCode: 'ecology_ranger', memberId: son.id, amount: 3600 }); // wage
    await add({ typeCode: 'social_dibao', amount: 2400.25 }); // transfer
    await add({ typeCode: 'education_grant', memberId: son.id, amount: 1000 }); // not counted
    await add({ typeCode: 'cattle_cow_granted', amount: 8000 }); // none: not income, never filled
    await add({ typeCode: 'social_dibao', amount: 999, year: 2023 }); // another year

    const url = `/api/v1/households/${h.id}/years/2024/income-from-measures`;
    const p = await api('GET', url, 'county');
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    const comp = (c: string) => p.body.components.find((x: { component: string }) => x.component === c);
    expect(comp('wage')).toMatchObject({ recorded: 6000, ledger: 8400.5, field: 'wageIncome' }); // 4800.50 + 3600
    expect(comp('wage').lines.map((l: { memberName: string }) => l.memberName).sort()).toEqual(['其木格', '苏和']);
    expect(comp('transfer')).toMatchObject({ recorded: 1200, ledger: 2400.25 });
    expect(comp('non_counting')).toMatchObject({ recorded: 0, ledger: 1000 });
    expect(comp('production')).toMatchObject({ recorded: 3000, ledger: 0, lines: [] });
    expect(p.body.components.map((c: { component: string }) => c.component)).not.toContain('none');
    expect(p.body.chosen).toEqual(['wage', 'transfer', 'non_counting']);
    expect(p.body.perCapitaBefore).toBe(3066.67);
    // All three: (8400.50 + 3000 + 0 + 2400.25 − 1000) / 3 = 12800.75 / 3 = 4266.9166… → 4266.92 (not-counted changes nothing).
    expect(p.body.perCapitaAfter).toBe(4266.92);
    // Wage only: (8400.50 + 3000 + 0 + 1200 − 1000) / 3 = 11600.50 / 3 = 3866.8333… → 3866.83.
    expect((await api('GET', `${url}?components=wage`, 'county')).body.perCapitaAfter).toBe(3866.83);
    // Production chosen with no lines: 0 replaces 3,000 → (6000 + 0 + 0 + 1200 − 1000) / 3 = 6200 / 3 = 2066.67.
    expect((await api('GET', `${url}?components=production`, 'county')).body.perCapitaAfter).toBe(2066.67);
    expect((await api('GET', `${url}?components=none`, 'county')).status).toBe(400);

    const version = p.body.record.version;
    const bad = await api('POST', url, 'county', { version, components: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].zh).toContain('至少选择一项');
    const done = await api('POST', url, 'county', { version, components: ['wage', 'transfer'] });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.perCapitaBefore).toBe(4266.92);
    const [y] = await db.query<{ wage_income: number; transfer_income: number; production_income: number; non_counting_income: number; per_capita_income: number; version: number }>(
      'SELECT wage_income, transfer_income, production_income, non_counting_income, per_capita_income, version FROM household_years WHERE household_id = $1 AND year = 2024', [h.id],
    );
    expect(y).toEqual({ wage_income: 8400.5, transfer_income: 2400.25, production_income: 3000, non_counting_income: 0, per_capita_income: 4266.92, version: version + 1 });
    const [a] = await db.query<{ note: string; actor_name: string }>(`SELECT note, actor_name FROM audit_log WHERE entity = 'household_years' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [`${h.id}:2024`]);
    expect(a!.note).toContain('wage 6000 → 8400.5 (2)');
    expect(a!.actor_name).toBe(`mcounty${area.countyCode}`);

    // Filling again with the version read before: 409, the record unchanged.
    const stale = await api('POST', url, 'county', { version, components: ['non_counting'] });
    expect(stale.status).toBe(409);
    expect(stale.body.error.zh).toContain('已被他人修改');
    const [same] = await db.query<{ non_counting_income: number; version: number }>('SELECT non_counting_income, version FROM household_years WHERE household_id = $1 AND year = 2024', [h.id]);
    expect(same).toEqual({ non_counting_income: 0, version: version + 1 });

    // No record for the year: the preview shows the ledger, the fill asks for the record first.
    const none = await api('GET', `/api/v1/households/${h.id}/years/2023/income-from-measures`, 'county');
    expect(none.body).toMatchObject({ record: null, perCapitaBefore: null, perCapitaAfter: null });
    expect(none.body.components.find((c: { component: string }) => c.component === 'transfer').ledger).toBe(999);
    const noRecord = await api('POST', `/api/v1/households/${h.id}/years/2023/income-from-measures`, 'county', { version: 1, components: ['transfer'] });
    expect(noRecord.status).toBe(400);
    expect(noRecord.body.error.issues[0].zh).toContain('没有 2023 年度记录');
  });
});

describe('the channel view', () => {
  it('counts reach, money, disbursements and income change per channel, hand-checked', async () => {
    const c = await makeArea(db);
    const s = c.countyCode;
    await createUser(sys(), { username: `chan${s}`, role: 'county_office', areaCode: s, password: PASSWORD });
    await createUser(sys(), { username: `chanr${s}`, role: 'researcher', areaCode: s, password: PASSWORD });
    cookies.chan = await loginAs(`chan${s}`);
    cookies.chanr = await loginAs(`chanr${s}`);
    const [v0, v1] = c.villageCodes;
    // A: 3 people, 3000 → 4500; B: 2 people, 2023 only; C: 4 people, a 2023 measure only; D: 2 people in village 1, 4000 → 5000.
    const A = await household(c, v0, 3, { 2023: 3000, 2024: 4500 });
    const B = await household(c, v0, 2, { 2023: 2500 });
    const C = await household(c, v0, 4, { 2023: 1000, 2024: 1200 });
    const D = await household(c, v1, 2, { 2023: 4000, 2024: 5000 });
    const rec = (hid: number, body: Record<string, unknown>) => recordMeasure(sys(), hid, body);
    await rec(A.id, { typeCode: 'employment_public_job', memberId: A.members[0]!.id, year: 2024, amount: 4800 });
    await rec(A.id, { typeCode: 'social_dibao', year: 2024, amount: 2000 });
    await rec(B.id, { typeCode: 'employment_job', memberId: B.members[0]!.id, year: 2024, amount: 3000 });
    await rec(C.id, { typeCode: 'cattle_cow_granted', year: 2023, amount: 8000 });
    await rec(D.id, { typeCode: 'ecology_ranger', memberId: D.members[0]!.id, year: 2024, amount: 5000 });
    await rec(D.id, { typeCode: 'ecology_grassland', year: 2024, amount: 650.5 });
    const jobs = await project(c, 'employment', { county: 10000 });
    const barns = await project(c, 'cattle', { central: 5000 }, [v0]);
    const pay = (pid: number, src: string, on: string, amount: number) =>
      db.query(`INSERT INTO disbursements (county_code, project_id, fund_source, paid_on, amount, payee, recorded_by) VALUES ($1,$2,$3,$4,$5,'收款人','test')`, [s, pid, src, on, amount]);
    await pay(jobs, 'county', '2024-03-01', 2500);
    await pay(jobs, 'county', '2023-12-31', 1000); // another year
    await pay(barns, 'central', '2024-07-15', 700);

    const r = await api('GET', `/api/v1/channels?year=2024`, 'chan' as Who);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ area: s, year: 2024 });
    const ch = (k: string) => r.body.channels.find((x: { channel: string }) => x.channel === k);
    // Employment: A and B; people 3 + 2 = 5; 4800 + 3000; disbursed 2500 (not the 2023 payment);
    // income only A has both years: 3000 → 4500, +1500.
    expect(ch('employment')).toMatchObject({ households: 2, people: 5, measures: 2, amount: 7800, disbursed: 2500, income: { households: 1, before: 3000, after: 4500, change: 1500 } });
    expect(ch('social_security')).toMatchObject({ households: 1, people: 3, measures: 1, amount: 2000, disbursed: 0, income: { households: 1, before: 3000, after: 4500, change: 1500 } });
    // Ecology: D twice, counted once; 5000 + 650.50.
    expect(ch('ecology')).toMatchObject({ households: 1, people: 2, measures: 2, amount: 5650.5, income: { households: 1, before: 4000, after: 5000, change: 1000 } });
    // Cattle: C's measure is of 2023; the barn project still disbursed 700 in 2024.
    expect(ch('cattle')).toMatchObject({ households: 0, people: 0, measures: 0, amount: 0, disbursed: 700, income: { households: 0, before: null, after: null, change: null } });
    expect(ch('cattle').label).toEqual({ zh: '黄牛产业', en: 'Cattle industry' });
    // All channels: A, B, D once each: people 3 + 2 + 2 = 7; measures 5; 4800 + 2000 + 3000 + 5000 + 650.50 = 15450.50;
    // income over A and D: before (3000 + 4000) / 2 = 3500, after (4500 + 5000) / 2 = 4750, +1250.
    expect(r.body.total).toMatchObject({ households: 3, people: 7, measures: 5, amount: 15450.5, disbursed: 3200, income: { households: 2, before: 3500, after: 4750, change: 1250 } });

    // A researcher (no register access) gets the same counts and money, but no mean income of fewer
    // than 5 households: here every group is 1 or 2 households, its members' own income.
    const rr = await api('GET', `/api/v1/channels?year=2024`, 'chanr' as Who);
    expect(rr.status).toBe(200);
    const rch = (k: string) => rr.body.channels.find((x: { channel: string }) => x.channel === k);
    expect(rch('employment')).toMatchObject({ households: 2, people: 5, measures: 2, amount: 7800, disbursed: 2500, income: { households: 1, before: null, after: null, change: null } });
    expect(rr.body.total).toMatchObject({ households: 3, amount: 15450.5, income: { households: 2, before: null, after: null, change: null } });

    // Village 1: only D; the county-wide jobs project is not counted below county level, nor the village-0 barns.
    const v = await api('GET', `/api/v1/channels?area=${v1}&year=2024`, 'chan' as Who);
    expect(v.body.total).toMatchObject({ households: 1, people: 2, measures: 2, amount: 5650.5, disbursed: 0 });
    const v0r = await api('GET', `/api/v1/channels?area=${v0}&year=2024`, 'chan' as Who);
    expect(v0r.body.total).toMatchObject({ households: 2, people: 5, disbursed: 700 });
    // 2023: only C's cow; C has no 2022 record, so no income figure.
    const y23 = await api('GET', `/api/v1/channels?year=2023`, 'chan' as Who);
    expect(y23.body.total).toMatchObject({ households: 1, people: 4, measures: 1, amount: 8000, disbursed: 1000, income: { households: 0, before: null } });
    expect((await api('GET', `/api/v1/channels?year=2024&area=${area.countyCode}`, 'chan' as Who)).status).toBe(404);
    expect((await api('GET', `/api/v1/channels?year=2024&area=${area.countyCode}`, 'chanr' as Who)).status).toBe(404);
  });
});
