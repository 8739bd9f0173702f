// The API end to end on a real database: accounts and area scope, household CRUD with
// optimistic concurrency, bad input with per-field bilingual reasons, nothing half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createUser } from '../src/services/users.js';
import { systemActor } from '../src/services/context.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};

async function loginAs(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  const c = res.cookies.find((x) => x.name === 'jz_session')!;
  expect(c.httpOnly).toBe(true);
  return `jz_session=${c.value}`;
}

function household(villageCode: string, overrides: Record<string, unknown> = {}) {
  return {
    household: { householdNo: householdNo('API'), villageCode, attribute: '1', exitStatus: '0', mainCause: '01', identifiedOn: '2014-05-01', ...overrides },
    members: [
      { name: '巴特尔', idNumber: makeIdNumber(area.countyCode, '1970-03-15', '1'), relation: '01', sex: '1', birthDate: '1970-03-15', ethnicity: '02', health: '2', labourAbility: '1' },
      { name: '其木格', idNumber: makeIdNumber(area.countyCode, '1972-08-02', '2'), relation: '02', ethnicity: '02', health: '1' },
    ],
  };
}

async function countIn(code: string) {
  const [r] = await db.query<{ h: number; m: number }>(
    `SELECT (SELECT count(*)::int FROM households WHERE village_code LIKE $1) AS h,
            (SELECT count(*)::int FROM members m JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id WHERE h.village_code LIKE $1) AS m`,
    [`${code}%`],
  );
  return r!;
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db });
  area = await makeArea(db);
  const ctx = { actor: systemActor('test'), db };
  const suffix = area.countyCode;
  await createUser(ctx, { username: `county${suffix}`, role: 'county_office', areaCode: area.countyCode, password: PASSWORD });
  await createUser(ctx, { username: `cadreA${suffix}`, role: 'village_cadre', areaCode: area.villageCodes[0], password: PASSWORD });
  await createUser(ctx, { username: `research${suffix}`, role: 'researcher', areaCode: area.countyCode, password: PASSWORD });
  await createUser(ctx, { username: `inspect${suffix}`, role: 'inspector', areaCode: area.countyCode, password: PASSWORD });
  cookies.county = await loginAs(`county${suffix}`);
  cookies.cadreA = await loginAs(`cadreA${suffix}`);
  cookies.researcher = await loginAs(`research${suffix}`);
  cookies.inspector = await loginAs(`inspect${suffix}`);
});

afterAll(async () => {
  await app.close();
  await db.close();
});

describe('system and auth', () => {
  it('answers health and serves OpenAPI and docs', async () => {
    expect((await app.inject('/api/v1/health')).json()).toMatchObject({ status: 'ok' });
    const spec = (await app.inject('/api/openapi.json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/households', '/api/v1/households/{id}', '/api/v1/areas', '/api/v1/imports']));
    const docs = await app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/html/);
  });

  it('refuses a wrong password with the same message as an unknown user', async () => {
    const a = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `county${area.countyCode}`, password: 'wrong' } });
    const b = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody-here', password: 'wrong' } });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().error.zh).toBe('用户名或密码错误');
    expect(b.json().error).toEqual(a.json().error);
  });

  it('needs a session for personal data, and logout ends it', async () => {
    expect((await app.inject('/api/v1/households')).statusCode).toBe(401);
    const cookie = await loginAs(`county${area.countyCode}`);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).json().user.role).toBe('county_office');
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('rejects weak passwords and unknown roles with field reasons', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: cookies.county }, payload: { username: 'x1', password: 'short', role: 'king', areaCode: area.countyCode } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'password', 'role']));
  });
});

describe('households', () => {
  it('creates, reads (IDs masked), lists and searches a household', async () => {
    const body = household(area.villageCodes[0]);
    const res = await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    const h = res.json();
    expect(h.headName).toBe('巴特尔');
    expect(h.version).toBe(1);
    expect(h.members).toHaveLength(2);
    expect(h.members[0].idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    // Sex and birth date are derived from the ID when not given.
    const spouse = h.members.find((m: { relation: string }) => m.relation === '02');
    expect(spouse.sex).toBe('2');
    expect(spouse.birthDate).toBe('1972-08-02');

    const list = (await app.inject({ url: `/api/v1/households?area=${area.countyCode}&q=巴特`, headers: { cookie: cookies.county } })).json();
    expect(list.items.map((i: { id: number }) => i.id)).toContain(h.id);
    const byId = (await app.inject({ url: `/api/v1/households?q=${body.members[0]!.idNumber}`, headers: { cookie: cookies.county } })).json();
    expect(byId.items.map((i: { id: number }) => i.id)).toEqual([h.id]);

    const reveal = await app.inject({ method: 'POST', url: `/api/v1/households/${h.id}/members/${h.members[0].id}/reveal`, headers: { cookie: cookies.county } });
    expect(reveal.json().idNumber).toBe(body.members.find((m) => m.relation === h.members[0].relation)!.idNumber);
    const [audited] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'reveal' AND household_id = $1`, [h.id]);
    expect(audited!.n).toBe(1);
  });

  it('refuses a bad ID number with the field, the reason in Chinese and English, and writes nothing', async () => {
    const before = await countIn(area.villageCodes[1]);
    const body = household(area.villageCodes[1]);
    body.members[0]!.idNumber = '1.50521E+17';
    body.members[1]!.idNumber = body.members[1]!.idNumber.slice(0, 17) + (body.members[1]!.idNumber.endsWith('0') ? '1' : '0');
    const res = await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: body });
    expect(res.statusCode).toBe(400);
    const issues = res.json().error.issues as { field: string; zh: string; en: string }[];
    const first = issues.find((i) => i.field === 'members.0.idNumber')!;
    expect(first.zh).toMatch(/科学计数法/);
    expect(first.en).toMatch(/scientific/i);
    const second = issues.find((i) => i.field === 'members.1.idNumber')!;
    expect(second.zh).toMatch(/校验/);
    expect(await countIn(area.villageCodes[1])).toEqual(before);
  });

  it('refuses a shape error (missing field, wrong type) with per-field reasons', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: { household: { villageCode: 5 }, members: [] } });
    expect(res.statusCode).toBe(400);
    const issues = res.json().error.issues as { field: string; zh: string; en: string }[];
    expect(issues.map((i) => i.field)).toEqual(expect.arrayContaining(['household.householdNo', 'household.villageCode']));
    expect(issues.every((i) => i.zh && i.en)).toBe(true);
  });

  it('refuses the same person in two households and names the other household', async () => {
    const first = household(area.villageCodes[0]);
    const created = (await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: first })).json();
    const before = await countIn(area.villageCodes[1]);
    const second = household(area.villageCodes[1]);
    second.members[1]!.idNumber = first.members[1]!.idNumber;
    const res = await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: second });
    expect(res.statusCode).toBe(400);
    const issue = res.json().error.issues.find((i: { field: string }) => i.field === 'members.1.idNumber');
    expect(issue.zh).toContain(created.householdNo);
    expect(await countIn(area.villageCodes[1])).toEqual(before);
  });

  it('updates with optimistic concurrency: a stale version gets 409 with the current record, and history shows the change', async () => {
    const h = (await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: household(area.villageCodes[0]) })).json();
    const ok = await app.inject({ method: 'PATCH', url: `/api/v1/households/${h.id}`, headers: { cookie: cookies.county }, payload: { version: 1, groupName: '三组', mainCause: '缺技术' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, groupName: '三组', mainCause: '07' });
    const stale = await app.inject({ method: 'PATCH', url: `/api/v1/households/${h.id}`, headers: { cookie: cookies.county }, payload: { version: 1, groupName: '四组' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current).toMatchObject({ version: 2, groupName: '三组' });
    const noVersion = await app.inject({ method: 'PATCH', url: `/api/v1/households/${h.id}`, headers: { cookie: cookies.county }, payload: { groupName: '四组' } });
    expect(noVersion.statusCode).toBe(400);
    const history = (await app.inject({ url: `/api/v1/households/${h.id}/history`, headers: { cookie: cookies.county } })).json().items;
    const upd = history.find((e: { action: string }) => e.action === 'update');
    expect(upd.before).toMatchObject({ groupName: null, mainCause: '01' });
    expect(upd.after).toMatchObject({ groupName: '三组', mainCause: '07' });
    expect(history.some((e: { action: string }) => e.action === 'create')).toBe(true);
  });

  it('refuses a changed 脱贫标志, identification date or exit year (set by procedures) with per-field reasons; nothing written; the same values pass', async () => {
    const h = (await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: household(area.villageCodes[0]) })).json();
    // Creation may set the starting status (the register migrated from the national system).
    expect(h).toMatchObject({ exitStatus: '0', identifiedOn: '2014-05-01', exitYear: null, version: 1 });
    const stored = async () => (await db.query(
      `SELECT exit_status, to_char(identified_on, 'YYYY-MM-DD') AS identified_on, exit_year, group_name, version, updated_at::text,
              (SELECT count(*)::int FROM audit_log a WHERE a.household_id = h.id) AS audits FROM households h WHERE id = $1`, [h.id]))[0];
    const before = await stored();
    const patch = (payload: Record<string, unknown>) => app.inject({ method: 'PATCH', url: `/api/v1/households/${h.id}`, headers: { cookie: cookies.county }, payload });

    const exit = await patch({ version: 1, groupName: '五组', exitStatus: '已脱贫(享受政策)', exitYear: 2019, identifiedOn: '2015-01-01' });
    expect(exit.statusCode, exit.body).toBe(400);
    const issues = exit.json().error.issues as { field: string; zh: string; en: string; value?: string }[];
    expect(issues.map((i) => i.field).sort()).toEqual(['exitStatus', 'exitYear', 'identifiedOn']);
    const by = (f: string) => issues.find((i) => i.field === f)!;
    expect(by('exitStatus').zh).toContain('「脱贫标志」由识别、退出和监测程序决定，不能直接修改');
    expect(by('exitStatus').zh).toContain('登记为 未脱贫 (0)，提交的是 已脱贫(享受政策) (1)');
    expect(by('exitStatus').zh).toContain('请在本户页面发起“贫困户脱贫退出”程序');
    expect(by('exitStatus').en).toContain('start the “Household exit” procedure');
    expect(by('identifiedOn').zh).toContain('贫困户识别');
    expect(by('identifiedOn').zh).toContain('登记为 2014-05-01，提交的是 2015-01-01');
    expect(by('exitYear').zh).toContain('「脱贫年度」由“贫困户脱贫退出”程序');
    expect(by('exitYear').en).toMatch(/cannot be changed directly \(registered: \(empty\); sent: 2019\)/);
    // Relapse names monitoring; an unreadable value gets its reading error, not a procedure.
    const relapse = await patch({ version: 1, exitStatus: '3' });
    expect(relapse.statusCode).toBe(400);
    expect(relapse.json().error.issues).toEqual([expect.objectContaining({ field: 'exitStatus', zh: expect.stringContaining('“防返贫监测”程序') })]);
    const unknown = await patch({ version: 1, exitStatus: '富裕' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.issues[0].zh).not.toContain('程序');
    // Nothing written, nothing audited — not even the group name sent with the refused change.
    expect(await stored()).toEqual(before);

    // The form sends every field back: the stored values (as codes or labels) are accepted.
    const same = await patch({ version: 1, groupName: '五组', exitStatus: '未脱贫', identifiedOn: '2014-05-01', exitYear: null });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({ version: 2, groupName: '五组', exitStatus: '0', identifiedOn: '2014-05-01', exitYear: null });
    const history = (await app.inject({ url: `/api/v1/households/${h.id}/history`, headers: { cookie: cookies.county } })).json().items;
    expect(history.find((e: { action: string }) => e.action === 'update').after).toEqual({ groupName: '五组' });
  });

  it('a past year’s 脱贫标志 may be corrected (audited); this year’s must agree with the household, else 400 and nothing written', async () => {
    const h = (await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: household(area.villageCodes[0]) })).json();
    const put = (year: number, payload: Record<string, unknown>) =>
      app.inject({ method: 'PUT', url: `/api/v1/households/${h.id}/years/${year}`, headers: { cookie: cookies.county }, payload: { householdSize: 2, wageIncome: 6000, ...payload } });
    const past = await put(2018, { status: '1' });
    expect(past.statusCode, past.body).toBe(200);
    const v = past.json().years.find((y: { year: number }) => y.year === 2018).version;
    const corrected = await put(2018, { status: '0', version: v });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const [trail] = await db.query<{ before: { status: string }; after: { status: string } }>(
      `SELECT before, after FROM audit_log WHERE entity = 'household_years' AND entity_id = $1 AND action = 'update'`, [`${h.id}:2018`]);
    expect([trail!.before.status, trail!.after.status]).toEqual(['1', '0']);

    const thisYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const audits = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE household_id = $1', [h.id]))[0]!.n;
    const n = await audits();
    const exited = await put(thisYear, { status: '已脱贫(享受政策)' });
    expect(exited.statusCode).toBe(400);
    const issue = exited.json().error.issues[0];
    expect(issue).toMatchObject({ field: 'status', value: '1' });
    expect(issue.zh).toContain(`${thisYear} 年（本年度）记录的脱贫标志须与本户当前状态 未脱贫 (0) 一致`);
    expect(issue.zh).toContain('“贫困户脱贫退出”程序');
    expect(issue.en).toContain('must agree with the household’s status');
    expect(await db.query('SELECT 1 FROM household_years WHERE household_id = $1 AND year = $2', [h.id, thisYear])).toHaveLength(0);
    expect(await audits()).toBe(n);
    const agrees = await put(thisYear, { status: '0' });
    expect(agrees.statusCode, agrees.body).toBe(200);
  });

  it('keeps yearly records by year and computes per-capita net income', async () => {
    const h = (await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: household(area.villageCodes[0]) })).json();
    // (6000 + 3000 + 0 + 1200 − 1000) / 2 = 4600; the 800 of non-counting aid is excluded.
    const payload = { householdSize: 2, status: '0', wageIncome: 6000, productionIncome: 3000, propertyIncome: 0, transferIncome: 1200, productionCosts: 1000, nonCountingIncome: 800, foodSecure: true, housingSecure: false };
    const res = await app.inject({ method: 'PUT', url: `/api/v1/households/${h.id}/years/2019`, headers: { cookie: cookies.county }, payload });
    expect(res.statusCode, res.body).toBe(200);
    const y = res.json().years.find((r: { year: number }) => r.year === 2019);
    expect(y.perCapitaIncome).toBe(4600);
    expect(y.housingSecure).toBe(false);
    const stale = await app.inject({ method: 'PUT', url: `/api/v1/households/${h.id}/years/2019`, headers: { cookie: cookies.county }, payload: { ...payload, version: 7 } });
    expect(stale.statusCode).toBe(409);
    const again = await app.inject({ method: 'PUT', url: `/api/v1/households/${h.id}/years/2019`, headers: { cookie: cookies.county }, payload: { ...payload, wageIncome: 7000, version: y.version } });
    expect(again.json().years.find((r: { year: number }) => r.year === 2019).perCapitaIncome).toBe(5100);
  });

  it('adds, edits and removes members; the head cannot be removed', async () => {
    const h = (await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: household(area.villageCodes[0]) })).json();
    const child = { name: '小明', idNumber: makeIdNumber(area.countyCode, '2008-01-09', '1'), relation: '03', ethnicity: '02', studentStatus: '6', version: h.version };
    const added = await app.inject({ method: 'POST', url: `/api/v1/households/${h.id}/members`, headers: { cookie: cookies.county }, payload: child });
    expect(added.statusCode, added.body).toBe(201);
    const file = added.json();
    expect(file.members).toHaveLength(3);
    const head = file.members.find((m: { relation: string }) => m.relation === '01');
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/households/${h.id}/members/${head.id}?version=${file.version}`, headers: { cookie: cookies.county } });
    expect(del.statusCode).toBe(400);
    const kid = file.members.find((m: { name: string }) => m.name === '小明');
    const rm = await app.inject({ method: 'DELETE', url: `/api/v1/households/${h.id}/members/${kid.id}?version=${file.version}`, headers: { cookie: cookies.county } });
    expect(rm.statusCode).toBe(200);
    expect(rm.json().members).toHaveLength(2);
  });
});

describe('area scope and roles', () => {
  it('a village cadre sees only their village: another village’s household is 404, not its record', async () => {
    const mine = (await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: household(area.villageCodes[0]) })).json();
    const other = (await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.county }, payload: household(area.villageCodes[1]) })).json();
    expect((await app.inject({ url: `/api/v1/households/${mine.id}`, headers: { cookie: cookies.cadreA } })).statusCode).toBe(200);
    const res = await app.inject({ url: `/api/v1/households/${other.id}`, headers: { cookie: cookies.cadreA } });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(other.headName === mine.headName ? '\u0000' : other.headName);
    expect(res.body).not.toContain(other.householdNo);
    // An ID that does not exist anywhere answers exactly the same.
    const none = await app.inject({ url: `/api/v1/households/999999999999`, headers: { cookie: cookies.cadreA } });
    expect(none.json()).toEqual(res.json());
    const list = (await app.inject({ url: '/api/v1/households?pageSize=500', headers: { cookie: cookies.cadreA } })).json();
    expect(list.items.every((i: { villageCode: string }) => i.villageCode === area.villageCodes[0])).toBe(true);
    const patch = await app.inject({ method: 'PATCH', url: `/api/v1/households/${other.id}`, headers: { cookie: cookies.cadreA }, payload: { version: 1, groupName: 'x' } });
    expect(patch.statusCode).toBe(404);
  });

  it('a village cadre cannot create a household in another village', async () => {
    const before = await countIn(area.villageCodes[1]);
    const res = await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.cadreA }, payload: household(area.villageCodes[1]) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0].field).toBe('household.villageCode');
    expect(await countIn(area.villageCodes[1])).toEqual(before);
  });

  it('a researcher gets no personal data; an inspector reads but cannot write', async () => {
    expect((await app.inject({ url: '/api/v1/households', headers: { cookie: cookies.researcher } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/households', headers: { cookie: cookies.inspector } })).statusCode).toBe(200);
    const res = await app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie: cookies.inspector }, payload: household(area.villageCodes[0]) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.zh).toMatch(/无权/);
  });

  it('areas: children of an area in scope, 404 outside; search by name', async () => {
    const kids = (await app.inject({ url: `/api/v1/areas/${area.townshipCode}/children`, headers: { cookie: cookies.county } })).json();
    expect(kids.items.map((a: { code: string }) => a.code)).toEqual(area.villageCodes);
    expect((await app.inject({ url: '/api/v1/areas/150524/children', headers: { cookie: cookies.county } })).statusCode).toBe(404);
    const found = (await app.inject({ url: '/api/v1/areas?q=' + encodeURIComponent('测试二'), headers: { cookie: cookies.county } })).json();
    expect(found.items.map((a: { code: string }) => a.code)).toContain(area.villageCodes[1]);
  });
});
