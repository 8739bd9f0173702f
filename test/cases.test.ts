// Cases of the three procedures end to end on the real database, through the API with logged-in
// accounts of the factory county: identification → registered, household exit → exited, monitoring
// → risk eliminated, with their register effects; refusals (wrong role 403, outside the area 404,
// notice not over 409, stale seq 409, a supplied evaluation 400) write nothing; an objection sends a
// case back; a batch is all or nothing; stored parameters survive a policy change.
// Steps that must fall before or after a notice are taken through the service with an explicit
// `now` in the past (the API always uses the real clock), so nothing sleeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { addDays, localDay } from '../src/domain/workflows/index.js';
import { systemActor, type Actor, type Ctx } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { createUser } from '../src/services/users.js';
import { actOnCase, addAttachment, getCase, listCases } from '../src/services/cases/index.js';
import { exportHouseholds } from '../src/services/imports/export.js';
import { importHouseholds } from '../src/services/imports/households.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};
const actors: Record<string, Actor> = {};
const today = localDay(new Date());
/** An instant `days` ago at 10:00 China time. */
const daysAgo = (days: number) => new Date(Date.parse(`${addDays(today, -days)}T02:00:00Z`));

type Who = 'cadre' | 'cadreB' | 'township' | 'county' | 'admin' | 'inspector';

async function api(method: 'GET' | 'POST' | 'PUT', url: string, who: Who, payload?: unknown) {
  const res = await app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() as any, raw: res };
}

const ctxOf = (who: Who): Ctx => ({ db, actor: actors[who]! });

function multipart(filename: string, content: Buffer) {
  const boundary = `----jzcase${Date.now().toString(16)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(caseId: number, kind: string, who: Who): Promise<number> {
  const m = multipart(`${kind}.jpg`, Buffer.from(`file ${kind} of case ${caseId}`));
  const res = await app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/attachments?kind=${kind}`, headers: { ...m.headers, cookie: cookies[who]! }, payload: m.payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** Through the service, as `who`, at `now`: an uploaded file and the step. */
async function stepAt(who: Who, caseId: number, action: string, now: Date, o: { input?: Record<string, unknown>; kinds?: string[]; facts?: Record<string, unknown> } = {}) {
  const c = await getCase(ctxOf(who), caseId);
  const ids: number[] = [];
  for (const kind of o.kinds ?? []) ids.push((await addAttachment(ctxOf(who), { caseId, kind, filename: `${kind}.pdf`, mime: 'application/pdf', bytes: Buffer.from(kind) })).id);
  return actOnCase(ctxOf(who), { caseId, action, seq: c.seq, input: o.input, attachmentIds: ids, now, ...(o.facts ? { facts: o.facts } : {}) });
}

/** Through the API: uploads the attachment kinds, then the step at the seq read. */
async function step(who: Who, caseId: number, action: string, o: { input?: Record<string, unknown>; kinds?: string[]; comment?: string; facts?: Record<string, unknown>; seq?: number } = {}) {
  const seq = o.seq ?? (await api('GET', `/api/v1/cases/${caseId}`, who)).body.seq;
  const attachmentIds: number[] = [];
  for (const kind of o.kinds ?? []) attachmentIds.push(await upload(caseId, kind, who));
  return api('POST', `/api/v1/cases/${caseId}/actions`, who, { action, seq, comment: o.comment, input: o.input ?? {}, attachmentIds, ...(o.facts ? { facts: o.facts } : {}) });
}

const secure = { foodSecure: true, clothingSecure: true, educationSecure: true, medicalSecure: true, housingSecure: true, waterSecure: true, waterLitresPerDay: 60, waterFetchMinutes: 5 };

/** A household of two adults able to work in `village`, with yearly records {year: per-capita income}. */
async function household(village: string, years: Record<number, number>, o: { exitStatus?: string; identifiedOn?: string | null } = {}) {
  const sys = { db, actor: systemActor('test') };
  const h = await createHousehold(sys, {
    household: { householdNo: householdNo('CASE'), villageCode: village, attribute: '1', exitStatus: o.exitStatus ?? '0', mainCause: '01', identifiedOn: o.identifiedOn === undefined ? '2015-04-01' : o.identifiedOn, ...(o.exitStatus === '1' ? { exitYear: 2017 } : {}) },
    members: [
      { name: '巴特尔', idNumber: makeIdNumber(area.countyCode, '1975-03-15', '1'), relation: '01', ethnicity: '02', health: '1', labourAbility: '1', medicalInsurance: true },
      { name: '其木格', idNumber: makeIdNumber(area.countyCode, '1977-08-02', '2'), relation: '02', ethnicity: '02', health: '1', labourAbility: '1', medicalInsurance: true },
    ],
  });
  for (const [y, perCapita] of Object.entries(years)) {
    await putHouseholdYear(sys, h.id, Number(y), { householdSize: 2, status: o.exitStatus ?? '0', wageIncome: perCapita * 2, ...secure });
  }
  return h;
}

async function rowOf(caseId: number) {
  const [c] = await db.query<{ state: string; seq: number; closed: boolean; events: number; audits: number }>(
    `SELECT state, seq, closed, (SELECT count(*)::int FROM case_events e WHERE e.county_code = c.county_code AND e.case_id = c.id) AS events,
            (SELECT count(*)::int FROM audit_log a WHERE a.entity = 'cases' AND a.entity_id = c.id::text) AS audits
       FROM cases c WHERE id = $1`,
    [caseId],
  );
  return c!;
}

async function householdRow(id: number) {
  const [h] = await db.query<{ exit_status: string; exit_year: number | null; identified_on: string | null; version: number }>(
    `SELECT exit_status, exit_year, to_char(identified_on, 'YYYY-MM-DD') AS identified_on, version FROM households WHERE id = $1`,
    [id],
  );
  return h!;
}

async function open(who: Who, workflow: string, householdId: number, year?: number) {
  const r = await api('POST', '/api/v1/cases', who, { workflow, householdId, ...(year ? { year } : {}) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: number; seq: number; state: string };
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  const sys = { db, actor: systemActor('test') };
  const s = area.countyCode;
  const accounts: [Who, Actor['role'], string][] = [
    ['cadre', 'village_cadre', area.villageCodes[0]],
    ['cadreB', 'village_cadre', area.villageCodes[1]],
    ['township', 'township_reviewer', area.townshipCode],
    ['county', 'county_office', area.countyCode],
    ['admin', 'city_admin', area.cityCode],
    ['inspector', 'inspector', area.countyCode],
  ];
  for (const [who, role, code] of accounts) {
    const u = await createUser(sys, { username: `c${who}${s}`, role, areaCode: code, password: PASSWORD });
    actors[who] = { id: u.id, username: u.username, role, areaCode: code };
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: PASSWORD } });
    cookies[who] = `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
  }
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('identification (两公示一公告)', () => {
  it('walks from the application to the register, and the register is updated', async () => {
    const h = await household(area.villageCodes[0], { 2016: 1200 }, { identifiedOn: null });
    const c = await open('cadre', 'identification', h.id, 2016);
    expect(c).toMatchObject({ state: 'new', seq: 0 });
    // Before and during the notices, at past days (service with `now`).
    const p = (d: number) => daysAgo(40 - d);
    expect((await stepAt('cadre', c.id, 'apply', p(0), { kinds: ['application'] })).state).toBe('applied');
    const v = await stepAt('cadre', c.id, 'village_review_pass', p(1), { input: { meetingDate: addDays(today, -39), opinion: '评议通过' }, kinds: ['meeting_minutes'] });
    expect(v.notice).toMatchObject({ endsOn: addDays(today, -32), ended: false });
    expect((await stepAt('cadre', c.id, 'village_notice_close', p(8), { kinds: ['notice_photo'] })).state).toBe('township_review');
    // The township sees it in its inbox.
    const mine = await api('GET', `/api/v1/cases?mine=true&workflow=identification`, 'township');
    expect(mine.body.items.map((i: { id: number }) => i.id)).toContain(c.id);
    expect((await api('GET', `/api/v1/cases?mine=true&workflow=identification`, 'cadre')).body.items.map((i: { id: number }) => i.id)).not.toContain(c.id);
    expect((await stepAt('township', c.id, 'township_review_pass', p(9), { input: { opinion: '同意' } })).state).toBe('township_notice');

    // Now through the API: the second notice is over.
    const closed = await step('township', c.id, 'township_notice_close', { kinds: ['notice_photo'] });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.state).toBe('county_approval');
    expect(closed.body.allowedActions).toEqual([]);
    const countyView = (await api('GET', `/api/v1/cases/${c.id}`, 'county')).body;
    expect(countyView.allowedActions.map((a: { action: string }) => a.action)).toEqual(['county_approve', 'county_reject']);
    expect(countyView.allowedActions[0].attachments).toEqual([{ kind: 'announcement', label: { zh: '公告', en: 'announcement' } }]);

    const before = await householdRow(h.id);
    const done = await step('county', c.id, 'county_approve', { input: { opinion: '批准' }, kinds: ['announcement'], comment: '第 3 批' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ state: 'registered', closed: true, seq: 6 });
    expect(done.body.events.map((e: { seq: number; from: string; to: string }) => `${e.seq}:${e.from}→${e.to}`)).toEqual([
      '1:new→applied', '2:applied→village_notice', '3:village_notice→township_review', '4:township_review→township_notice',
      '5:township_notice→county_approval', '6:county_approval→registered',
    ]);
    const last = done.body.events.at(-1);
    expect(last).toMatchObject({ action: 'county_approve', comment: '第 3 批', actor: { username: actors.county!.username, role: 'county_office' } });
    expect(last.attachments[0]).toMatchObject({ kind: 'announcement', name: 'announcement.jpg' });

    const after = await householdRow(h.id);
    expect(after).toMatchObject({ identified_on: today, exit_status: '0', version: before.version + 1 });
    const [trail] = await db.query<{ before: unknown; after: unknown; note: string }>(`SELECT before, after, note FROM audit_log WHERE entity = 'households' AND household_id = $1 AND action = 'update' ORDER BY id DESC LIMIT 1`, [h.id]);
    expect(trail).toMatchObject({ before: { identifiedOn: null }, after: { identifiedOn: today } });
    expect(trail!.note).toContain(`case ${c.id}`);
    // Every step audited in the same transaction: the open and six steps.
    expect(await rowOf(c.id)).toMatchObject({ events: 6, audits: 7, closed: true });

    // The attachment can be downloaded by the case's viewers, not by other villages.
    const att = last.attachments[0].id;
    const dl = await app.inject({ url: `/api/v1/cases/${c.id}/attachments/${att}`, headers: { cookie: cookies.inspector! } });
    expect(dl.statusCode).toBe(200);
    expect(dl.body).toBe(`file announcement of case ${c.id}`);
    expect((await app.inject({ url: `/api/v1/cases/${c.id}/attachments/${att}`, headers: { cookie: cookies.cadreB! } })).statusCode).toBe(404);
  });

  it('keeps the event order 1…n with from/to chained', async () => {
    const items = (await api('GET', `/api/v1/cases?workflow=identification&state=registered`, 'county')).body.items;
    expect(items.length).toBeGreaterThan(0);
    const v = (await api('GET', `/api/v1/cases/${items[0].id}`, 'county')).body;
    v.events.forEach((e: { seq: number; from: string; to: string }, i: number) => {
      expect(e.seq).toBe(i + 1);
      if (i) expect(e.from).toBe(v.events[i - 1].to);
    });
  });

  it('refuses to close a notice early (409 naming the end day), a wrong role (403), another village (404), a stale seq (409); nothing written', async () => {
    const h = await household(area.villageCodes[0], { 2016: 1200 });
    const c = await open('cadre', 'identification', h.id, 2016);
    expect((await step('cadre', c.id, 'apply', { kinds: ['application'] })).body.state).toBe('applied');
    const posted = await step('cadre', c.id, 'village_review_pass', { input: { meetingDate: today, opinion: '评议通过' }, kinds: ['meeting_minutes'] });
    expect(posted.body.state).toBe('village_notice');
    const endsOn = addDays(today, 7);
    expect(posted.body.notice).toMatchObject({ startedOn: today, endsOn, ended: false, param: 'identification_notice_days' });
    expect(posted.body.events[1].params).toEqual([expect.objectContaining({ key: 'identification_notice_days', value: 7 })]);

    // On the notice board of the village, not of the other village.
    const board = (await api('GET', `/api/v1/notices?area=${area.villageCodes[0]}`, 'cadre')).body;
    expect(board.items.find((n: { caseId: number }) => n.caseId === c.id)).toMatchObject({ householdNo: h.householdNo, headName: '巴特尔', startedOn: today, endsOn, ended: false });
    expect((await api('GET', '/api/v1/notices', 'cadreB')).body.items.map((n: { caseId: number }) => n.caseId)).not.toContain(c.id);

    const before = await rowOf(c.id);
    const early = await step('cadre', c.id, 'village_notice_close', { kinds: ['notice_photo'] });
    expect(early.status).toBe(409);
    expect(early.body.error.zh).toContain(endsOn);
    expect(early.body.error.en).toContain(endsOn);
    expect(early.body.error.current.reasons).toEqual([expect.objectContaining({ code: 'notice_not_over', endsOn })]);
    expect(early.body.error.current.case).toMatchObject({ id: c.id, state: 'village_notice', seq: 2 });

    const wrongRole = await step('township', c.id, 'village_notice_objection', { input: { objection: '有车' } });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.error.zh).toContain('嘎查村干部');
    const elsewhere = await step('cadreB', c.id, 'village_notice_objection', { seq: 2, input: { objection: '有车' } });
    expect(elsewhere.status).toBe(404);
    expect((await api('GET', `/api/v1/cases/${c.id}`, 'cadreB')).status).toBe(404);
    const stale = await step('cadre', c.id, 'village_notice_objection', { seq: 1, input: { objection: '有车' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current.case).toMatchObject({ seq: 2, state: 'village_notice' });
    const missing = await step('cadre', c.id, 'village_notice_objection', { input: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues).toEqual([expect.objectContaining({ field: 'objection' })]);
    // The uploads of the refused steps are kept as files, but no event, state or audit of a step.
    expect(await rowOf(c.id)).toEqual(before);

    // An objection during the notice sends the case back, with the objection recorded.
    const back = await step('cadre', c.id, 'village_notice_objection', { input: { objection: '家中有经营性车辆', objector: '村民甲' } });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ state: 'applied', seq: 3, notice: null });
    expect(back.body.events[2]).toMatchObject({ kind: 'objection', from: 'village_notice', to: 'applied', input: { objection: '家中有经营性车辆', objector: '村民甲' } });
    expect((await api('GET', '/api/v1/notices', 'cadre')).body.items.map((n: { caseId: number }) => n.caseId)).not.toContain(c.id);

    // One open case per procedure and household.
    const second = await api('POST', '/api/v1/cases', 'cadre', { workflow: 'identification', householdId: h.id });
    expect(second.status).toBe(409);
    expect(second.body.error.zh).toContain(`案件 ${c.id}`);
    expect(second.body.error.current).toMatchObject({ id: c.id, state: 'applied' });
  });

  it('lets only who may take the first step open a case, inside their area', async () => {
    const h = await household(area.villageCodes[0], { 2016: 1200 });
    const before = await db.query('SELECT id FROM cases WHERE household_id = $1', [h.id]);
    const t = await api('POST', '/api/v1/cases', 'township', { workflow: 'identification', householdId: h.id });
    expect(t.status).toBe(403);
    expect(t.body.error.zh).toContain('受理申请');
    expect((await api('POST', '/api/v1/cases', 'inspector', { workflow: 'monitoring', householdId: h.id })).status).toBe(403);
    expect((await api('POST', '/api/v1/cases', 'cadreB', { workflow: 'identification', householdId: h.id })).status).toBe(404);
    const bad = await api('POST', '/api/v1/cases', 'cadre', { workflow: 'nonsense', householdId: h.id });
    expect(bad.status).toBe(400);
    expect(await db.query('SELECT id FROM cases WHERE household_id = $1', [h.id])).toEqual(before);
  });
});

describe('household exit', () => {
  it('computes the exit evaluation on the server, refuses a supplied one, and marks the household exited', async () => {
    const h = await household(area.villageCodes[0], { 2019: 5200, 2020: 6100 }, { exitStatus: '0' });
    const c = await open('cadre', 'household_exit', h.id, 2020);
    const p = (d: number) => daysAgo(30 - d);
    await stepAt('cadre', c.id, 'propose', p(0), { input: { proposal: '务工收入稳定' } });

    // A client-supplied evaluation is refused through the API, nothing written.
    const before = await rowOf(c.id);
    const forged = await step('cadre', c.id, 'village_review_pass', { input: { meetingDate: today, opinion: '同意', evaluation: { key: 'exit', eligible: true } }, kinds: ['meeting_minutes'] });
    expect(forged.status).toBe(400);
    expect(forged.body.error.issues).toEqual([expect.objectContaining({ field: 'evaluation' })]);
    expect(forged.body.error.zh).toContain('由系统');
    expect(await rowOf(c.id)).toEqual(before);

    const reviewed = await stepAt('cadre', c.id, 'village_review_pass', p(1), { input: { meetingDate: addDays(today, -29), opinion: '同意退出' }, kinds: ['meeting_minutes'] });
    expect(reviewed.state).toBe('verification');
    const ev = reviewed.events[1]!;
    expect(ev.evaluation).toMatchObject({ field: 'evaluation', householdNo: h.householdNo, year: 2020, asOf: addDays(today, -29), perCapitaNetIncome: 6100, decision: { key: 'exit', eligible: true } });
    expect(ev.input.evaluation).toMatchObject({ key: 'exit', eligible: true });
    expect(ev.params).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'poverty_line', value: 4000, year: 2020, region: '' })]));

    await stepAt('cadre', c.id, 'verify_pass', p(2), { input: { findings: '入户核实无误' }, kinds: ['verification_record'] });
    const agreed = await stepAt('cadre', c.id, 'household_agree', p(3), { kinds: ['household_signature'] });
    expect(agreed.notice).toMatchObject({ endsOn: addDays(today, -20), ended: false });
    expect((await step('cadre', c.id, 'village_notice_close', { kinds: ['notice_photo'] })).body.state).toBe('announcement');
    const wrong = await step('cadre', c.id, 'announce', { input: { opinion: '同意' }, kinds: ['announcement'] });
    expect(wrong.status).toBe(403);
    const done = await step('county', c.id, 'announce', { input: { opinion: '同意' }, kinds: ['announcement'] });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ state: 'exited', closed: true });
    expect(await householdRow(h.id)).toMatchObject({ exit_status: '1', exit_year: 2020 });
    // The case's year takes the new 脱贫标志 (earlier years stay as recorded), audited with the case.
    expect(await db.query('SELECT year, status FROM household_years WHERE household_id = $1 ORDER BY year', [h.id])).toEqual([{ year: 2019, status: '0' }, { year: 2020, status: '1' }]);
    const [yearTrail] = await db.query<{ before: unknown; after: unknown; note: string }>(
      `SELECT before, after, note FROM audit_log WHERE entity = 'household_years' AND entity_id = $1 AND action = 'update'`, [`${h.id}:2020`]);
    expect(yearTrail).toMatchObject({ before: { status: '0' }, after: { status: '1' } });
    expect(yearTrail!.note).toContain(`case ${c.id}`);
    // Nobody undoes it by editing: 未脱贫 again is a new identification, not a field change.
    const file = (await api('GET', `/api/v1/households/${h.id}`, 'county')).body;
    const undo = await app.inject({ method: 'PATCH', url: `/api/v1/households/${h.id}`, headers: { cookie: cookies.county! }, payload: { version: file.version, exitStatus: '0', exitYear: null } });
    expect(undo.statusCode).toBe(400);
    expect(undo.json().error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['exitStatus', 'exitYear']);
    expect(undo.json().error.issues.find((i: { field: string }) => i.field === 'exitStatus').zh).toContain('“贫困户识别（两公示一公告）”程序');
    expect(await householdRow(h.id)).toMatchObject({ exit_status: '1', exit_year: 2020, version: file.version });
    // The register's export of this household re-imports unchanged: its file agrees with the procedure.
    const exported = (await exportHouseholds(ctxOf('county'), { areaCode: area.villageCodes[0], format: 'csv' })).toString('utf8').split('\r\n');
    const mine = [exported[0]!.replace(/^\uFEFF/, ''), ...exported.filter((l) => l.includes(h.householdNo))];
    expect(mine).toHaveLength(1 + 4);
    const reimport = await importHouseholds(ctxOf('county'), { fileName: 'after-exit.csv', data: Buffer.from(`${mine.join('\r\n')}\r\n`) });
    expect(reimport.issues).toEqual([]);
    expect(reimport.households).toEqual({ created: 0, updated: 0, unchanged: 1 });

    // The recorded parameters stay as they were after the office changes the poverty line.
    const put = await api('PUT', '/api/v1/policy', 'admin', { key: 'poverty_line', year: 2020, region: area.countyCode, value: 7000, source: '测试旗 2020 年调整' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const reread = (await api('GET', `/api/v1/cases/${c.id}`, 'county')).body;
    const stored = reread.events[1];
    expect(stored.params).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'poverty_line', value: 4000, region: '' })]));
    expect(stored.evaluation.decision).toMatchObject({ eligible: true });
    expect(JSON.stringify(stored.evaluation)).not.toContain('7000');
    // A new evaluation uses the new value (and the household is now below it).
    const now = (await api('GET', `/api/v1/households/${h.id}/evaluation?year=2020`, 'county')).body;
    expect(now.exit.eligible).toBe(false);
    expect(now.params).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'poverty_line', value: 7000, region: area.countyCode })]));
  });

  it('refuses the village review when the evaluation says not eligible, naming why', async () => {
    const h = await household(area.villageCodes[0], { 2016: 1500 });
    const c = await open('cadre', 'household_exit', h.id, 2016);
    await step('cadre', c.id, 'propose', { input: { proposal: '拟退出' } });
    const before = await rowOf(c.id);
    const r = await step('cadre', c.id, 'village_review_pass', { input: { meetingDate: today, opinion: '同意' }, kinds: ['meeting_minutes'] });
    expect(r.status).toBe(400);
    expect(r.body.error.issues).toEqual([expect.objectContaining({ field: 'evaluation' })]);
    expect(r.body.error.zh).toContain('不符合条件');
    expect(r.body.error.zh).toContain('2,952.00');
    expect(await rowOf(c.id)).toEqual(before);
  });
});

describe('monitoring (防返贫)', () => {
  it('walks discovery to risk elimination, with the deadline flag, assistance and the elimination evaluation', async () => {
    // 11,000 yuan: above 1.5 × the line whether it is 4,000 or the county's 7,000 set by the exit test.
    const h = await household(area.villageCodes[0], { 2020: 11000 }, { exitStatus: '1' });
    const c = await open('cadre', 'monitoring', h.id, 2020);
    const p = (d: number) => daysAgo(250 - d);
    const discovered = await stepAt('cadre', c.id, 'discover', p(0), { input: { source: 'cadre_visit', riskType: 'illness', description: '户主住院' } });
    expect(discovered.deadline).toMatchObject({ met: false, param: 'monitoring_identification_working_days' });
    expect(discovered.riskType).toBe('illness');
    // Long past its 20 working days: overdue in the list.
    const overdue = (await api('GET', `/api/v1/cases?overdue=true&workflow=monitoring&area=${area.villageCodes[0]}`, 'county')).body;
    expect(overdue.items.find((i: { id: number }) => i.id === c.id)).toMatchObject({ overdue: true, dueOn: discovered.deadline!.dueOn });
    await stepAt('cadre', c.id, 'verify', p(1), { input: { findings: '属实', crossCheck: '医保数据一致' }, kinds: ['verification_record'] });
    await stepAt('cadre', c.id, 'village_review_pass', p(2), { input: { meetingDate: addDays(today, -248), opinion: '同意纳入' }, kinds: ['meeting_minutes'] });
    await stepAt('cadre', c.id, 'village_notice_close', p(7), { kinds: ['notice_photo'] });
    await stepAt('township', c.id, 'township_review_pass', p(8), { input: { opinion: '同意' } });
    const approved = await stepAt('county', c.id, 'county_approve', p(9), { input: { opinion: '纳入监测' }, kinds: ['announcement'] });
    expect(approved).toMatchObject({ state: 'monitored', deadline: { met: true }, overdue: [] });
    expect((await listCases(ctxOf('county'), { overdue: true, workflow: 'monitoring' })).items.map((i) => i.id)).not.toContain(c.id);

    // Through the API now: assistance, then the elimination with the verified facts.
    expect((await step('cadre', c.id, 'record_assistance', { input: { measures: '医疗救助 8,000 元' } })).body.state).toBe('assisting');
    const short = await step('cadre', c.id, 'propose_elimination', { input: { meetingDate: today, opinion: '拟消除' }, kinds: ['meeting_minutes'], facts: { monthsAboveThreshold: 3, rigidExpensesResolved: true } });
    expect(short.status).toBe(400);
    expect(short.body.error.zh).toContain('3 个月');
    const ok = await step('cadre', c.id, 'propose_elimination', { input: { meetingDate: today, opinion: '拟消除' }, kinds: ['meeting_minutes'], facts: { monthsAboveThreshold: 7, rigidExpensesResolved: true } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const e = ok.body.events.at(-1);
    expect(e.evaluation).toMatchObject({ decision: { key: 'risk_elimination', eligible: true }, monitoringCase: { identifiedOn: addDays(today, -241), measuresApplied: 1, monthsAboveThreshold: 7, rigidExpensesResolved: true } });
    expect(e.params).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'risk_elimination_min_months', value: 6 }), expect.objectContaining({ key: 'monitoring_income_line_multiple', value: 1.5 })]));
    const done = await step('county', c.id, 'confirm_elimination', { input: { opinion: '同意' } });
    expect(done.body).toMatchObject({ state: 'risk_eliminated', closed: true });
    // Monitoring changes no register field.
    expect(await householdRow(h.id)).toMatchObject({ exit_status: '1' });
  });
});

describe('batch actions', () => {
  it('takes nothing when one case is refused, listing every refusal; then takes all', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await open('cadre', 'monitoring', (await household(area.villageCodes[0], { 2020: 5000 })).id)).id);
    const other = await open('cadreB', 'monitoring', (await household(area.villageCodes[1], { 2020: 5000 })).id);
    await step('cadre', ids[2]!, 'discover', { input: { source: 'self_report', riskType: 'disaster', description: '雹灾' } });
    const input = { source: 'department_screening', riskType: 'illness', description: '医保预警' };
    const states = async () => Promise.all([...ids, other.id].map(rowOf));
    const before = await states();

    const r = await api('POST', '/api/v1/cases/batch-actions', 'cadre', { caseIds: [...ids, other.id], action: 'discover', input });
    expect(r.status).toBe(409);
    const refused = r.body.error.current.refused;
    expect(refused.map((x: { caseId: number; status: number }) => [x.caseId, x.status])).toEqual([[ids[2], 409], [other.id, 404]]);
    expect(refused[0].reasons).toEqual([expect.objectContaining({ code: 'wrong_state' })]);
    expect(r.body.error.zh).toContain(`案件 ${ids[2]}`);
    expect(r.body.error.zh).toContain('均未改动');
    expect(await states()).toEqual(before);

    const ok = await api('POST', '/api/v1/cases/batch-actions', 'cadre', { caseIds: ids.slice(0, 2), action: 'discover', input, comment: '批量登记' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ count: 2, cases: [{ id: ids[0], state: 'discovered', seq: 1 }, { id: ids[1], state: 'discovered', seq: 1 }] });
    expect((await rowOf(ids[0]!)).audits).toBe(2);
  });
});

it('answers 401 without a session', async () => {
  expect((await app.inject('/api/v1/cases')).statusCode).toBe(401);
});
