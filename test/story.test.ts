// Issue 4's story on the synthetic register: a household of a county seeded by `seedRegister` goes
// through identification (两公示一公告) → household exit → a relapse alert found by the monitoring
// scan → a monitoring case opened from the alert → assistance → risk elimination, through the real
// services (open, step, batch) with accounts of the right roles and areas. Notice periods and the
// 6-month rules are passed with steps dated in the past (`now`), never by weakening a rule. Then the
// exit decision stored by the village review survives a change of the poverty line it used, while a
// new evaluation uses the new value.
// The county is this file's own synthetic county (makeArea), so the seeded households and the
// county-level policy row touch no other test, on a shared PostgreSQL database too. The two tests
// run in order: the second changes the county's poverty line after the story has used it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { addDays, localDay } from '../src/domain/workflows/index.js';
import { systemActor, type Actor, type Ctx } from '../src/services/context.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { evaluateHousehold } from '../src/services/evaluation.js';
import { setParameter } from '../src/services/policy.js';
import { seedRegister } from '../src/services/seed.js';
import { createUser } from '../src/services/users.js';
import { actOnCase, actOnCases, addAttachment, getCase, openCase } from '../src/services/cases/index.js';
import { getAlert, runMonitoringScan } from '../src/services/monitoring/index.js';
import { testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
const PASSWORD = 'Test#Passw0rd';
const actors: Record<string, Actor> = {};
let countyCookie = '';
const today = localDay(new Date());
/** An instant `days` ago at 10:00 China time. */
const daysAgo = (days: number) => new Date(Date.parse(`${addDays(today, -days)}T02:00:00Z`));

type Who = 'cadre' | 'township' | 'county' | 'admin';
const ctxOf = (who: Who): Ctx => ({ db, actor: actors[who]! });
const sys = (): Ctx => ({ db, actor: systemActor('test') });

/** The story's household, picked from the seeded register in beforeAll. */
let hh: { id: number; householdNo: string; villageCode: string; exitStatus: string; exitYear: number | null; identifiedOn: string };
/** The exit case, for the second test. */
let exitCaseId = 0;

async function stepAt(who: Who, caseId: number, action: string, now: Date, o: { input?: Record<string, unknown>; kinds?: string[]; facts?: Record<string, unknown> } = {}) {
  const c = await getCase(ctxOf(who), caseId);
  const ids: number[] = [];
  for (const kind of o.kinds ?? []) ids.push((await addAttachment(ctxOf(who), { caseId, kind, filename: `${kind}.pdf`, mime: 'application/pdf', bytes: Buffer.from(`${kind} of ${caseId}`) })).id);
  return actOnCase(ctxOf(who), { caseId, action, seq: c.seq, input: o.input, attachmentIds: ids, now, ...(o.facts ? { facts: o.facts } : {}) });
}

async function householdRow() {
  const [h] = await db.query<{ exit_status: string; exit_year: number | null; identified_on: string | null; version: number }>(
    `SELECT exit_status, exit_year, to_char(identified_on, 'YYYY-MM-DD') AS identified_on, version FROM households WHERE id = $1`,
    [hh.id],
  );
  return h!;
}

async function yearStatuses(from: number) {
  const rows = await db.query<{ year: number; status: string }>('SELECT year, status FROM household_years WHERE household_id = $1 AND year >= $2 ORDER BY year', [hh.id, from]);
  return Object.fromEntries(rows.map((r) => [r.year, r.status]));
}

/** The case's events as `seq:from→to` and its audit rows (the open and one per step). */
async function trail(caseId: number) {
  const events = await db.query<{ seq: number; from_state: string; to_state: string }>(
    'SELECT seq, from_state, to_state FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
  const audits = await db.query<{ action: string; before: { state: string; seq: number } | null; after: { state: string; seq: number } }>(
    `SELECT action, before, after FROM audit_log WHERE entity = 'cases' AND entity_id = $1 ORDER BY id`, [String(caseId)]);
  return {
    events: events.map((e) => `${e.seq}:${e.from_state}→${e.to_state}`),
    audits: audits.map((a) => (a.action === 'create' ? `create:${a.after.state}` : `${a.action}:${a.before!.seq}→${a.after.seq}:${a.after.state}`)),
  };
}

/** The household's register audit rows written by case `caseId` (households and household_years). */
async function registerAudits(caseId: number) {
  return db.query<{ entity: string; entity_id: string; before: unknown; after: unknown }>(
    `SELECT entity, entity_id, before, after FROM audit_log WHERE household_id = $1 AND entity IN ('households', 'household_years') AND note LIKE $2 ORDER BY id`,
    [hh.id, `case ${caseId} %`],
  );
}

const secure = { foodSecure: true, clothingSecure: true, educationSecure: true, medicalSecure: true, housingSecure: true, waterSecure: true, waterLitresPerDay: 80, waterFetchMinutes: 5 };

/** Writes (or replaces) the household's record of `year` with a per-capita wage income, keeping its size and status. */
async function putYear(year: number, perCapita: number, status?: string) {
  const [cur] = await db.query<{ household_size: number; status: string; version: number }>(
    'SELECT household_size, status, version FROM household_years WHERE household_id = $1 AND year = $2', [hh.id, year]);
  const size = cur?.household_size ?? (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM members WHERE household_id = $1', [hh.id]))[0]!.n;
  await putHouseholdYear(sys(), hh.id, year, {
    ...(cur ? { version: cur.version } : {}),
    householdSize: size, status: status ?? cur!.status,
    wageIncome: perCapita * size, productionIncome: 0, propertyIncome: 0, transferIncome: 0, productionCosts: 0, nonCountingIncome: 0, ...secure,
  });
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  const seeded = await seedRegister(db, { people: 100, seed: 4, countyCode: area.countyCode });
  expect(seeded.households).toBeGreaterThan(10);
  // A household that left poverty in the synthetic history (preferably one that fell back, 返贫),
  // without school-age members and with someone able to work (risk elimination needs one), whose
  // income and security facts the story sets in its records.
  const [h] = await db.query<{ id: number; householdNo: string; villageCode: string; exitStatus: string; exitYear: number | null; identifiedOn: string }>(
    `SELECT h.id, h.household_no AS "householdNo", h.village_code AS "villageCode", h.exit_status AS "exitStatus", h.exit_year AS "exitYear",
            to_char(h.identified_on, 'YYYY-MM-DD') AS "identifiedOn"
       FROM households h
      WHERE h.county_code = $1 AND h.exit_status IN ('1', '3') AND h.identified_on IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM members m WHERE m.county_code = h.county_code AND m.household_id = h.id AND m.birth_date > DATE '2004-01-01')
        AND EXISTS (SELECT 1 FROM members m WHERE m.county_code = h.county_code AND m.household_id = h.id AND m.labour_ability IN ('1', '2'))
        AND EXISTS (SELECT 1 FROM household_years y WHERE y.county_code = h.county_code AND y.household_id = h.id AND y.year = 2025)
      ORDER BY h.exit_status DESC, h.id LIMIT 1`,
    [area.countyCode],
  );
  expect(h, 'a seeded household that exited').toBeDefined();
  hh = { ...h!, id: Number(h!.id) };
  const s = area.countyCode;
  const accounts: [Who, Actor['role'], string][] = [
    ['cadre', 'village_cadre', hh.villageCode],
    ['township', 'township_reviewer', area.townshipCode],
    ['county', 'county_office', area.countyCode],
    ['admin', 'city_admin', area.cityCode],
  ];
  for (const [who, role, code] of accounts) {
    const u = await createUser(sys(), { username: `s${who}${s}`, role, areaCode: code, password: PASSWORD });
    actors[who] = { id: u.id, username: u.username, role, areaCode: code };
  }
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: actors.county!.username, password: PASSWORD } });
  countyCookie = `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('the story on the synthetic register', () => {
  it('identification → exit → relapse alert → monitoring → assistance → risk elimination', async () => {
    const start = await householdRow();
    expect(start).toMatchObject({ exit_status: hh.exitStatus, identified_on: hh.identifiedOn });

    // ---- 1. Identification (两公示一公告) for 2024, 420 days ago onwards.
    const ident = await openCase(ctxOf('cadre'), { workflow: 'identification', householdId: hh.id, year: 2024, now: daysAgo(420) });
    expect(ident).toMatchObject({ state: 'new', seq: 0, year: 2024 });
    const i = (d: number) => daysAgo(420 - d);
    await stepAt('cadre', ident.id, 'apply', i(0), { kinds: ['application'] });
    const posted = await stepAt('cadre', ident.id, 'village_review_pass', i(1), { input: { meetingDate: addDays(today, -419), opinion: '评议通过' }, kinds: ['meeting_minutes'] });
    expect(posted.notice).toMatchObject({ endsOn: addDays(today, -412) });
    // The notice cannot be cut short: a day early is refused and writes nothing.
    await expect(stepAt('cadre', ident.id, 'village_notice_close', i(7), { kinds: ['notice_photo'] })).rejects.toMatchObject({ status: 409 });
    await stepAt('cadre', ident.id, 'village_notice_close', i(8), { kinds: ['notice_photo'] });
    // The township's review through the batch service (one case, one transaction).
    const batch = await actOnCases(ctxOf('township'), { caseIds: [ident.id], action: 'township_review_pass', input: { opinion: '同意' }, now: i(9) });
    expect(batch).toMatchObject({ count: 1, cases: [{ id: ident.id, state: 'township_notice', seq: 4 }] });
    await stepAt('township', ident.id, 'township_notice_close', i(16), { kinds: ['notice_photo'] });
    await expect(stepAt('township', ident.id, 'county_approve', i(17), { input: { opinion: '批准' }, kinds: ['announcement'] })).rejects.toMatchObject({ status: 403 });
    const registered = await stepAt('county', ident.id, 'county_approve', i(17), { input: { opinion: '批准' }, kinds: ['announcement'] });
    expect(registered).toMatchObject({ state: 'registered', closed: true, seq: 6 });
    expect(await trail(ident.id)).toEqual({
      events: ['1:new→applied', '2:applied→village_notice', '3:village_notice→township_review', '4:township_review→township_notice', '5:township_notice→county_approval', '6:county_approval→registered'],
      audits: ['create:new', 'step:0→1:applied', 'step:1→2:village_notice', 'step:2→3:township_review', 'step:3→4:township_notice', 'step:4→5:county_approval', 'step:5→6:registered'],
    });
    // Registered again: 未脱贫, the first identification day kept; the case year's records on follow.
    const afterIdent = await householdRow();
    expect(afterIdent).toMatchObject({ exit_status: '0', identified_on: hh.identifiedOn, exit_year: hh.exitYear, version: start.version + 1 });
    expect(await yearStatuses(2024)).toEqual({ 2024: '0', 2025: '0' });
    const identAudits = await registerAudits(ident.id);
    expect(identAudits.map((a) => `${a.entity}:${a.entity_id}`)).toEqual([`households:${hh.id}`, `household_years:${hh.id}:2024`, `household_years:${hh.id}:2025`]);
    expect(identAudits[0]).toMatchObject({ before: { exitStatus: hh.exitStatus }, after: { exitStatus: '0' } });

    // ---- 2. Household exit for 2025: the records the village verified (income stably above the line, 三保障 and water secured).
    await putYear(2024, 7000);
    await putYear(2025, 8000);
    const exit = await openCase(ctxOf('cadre'), { workflow: 'household_exit', householdId: hh.id, now: daysAgo(380) });
    expect(exit).toMatchObject({ state: 'new', year: 2025 }); // the latest yearly record
    exitCaseId = exit.id;
    const x = (d: number) => daysAgo(380 - d);
    await stepAt('cadre', exit.id, 'propose', x(0), { input: { proposal: '务工收入稳定' } });
    const reviewed = await stepAt('cadre', exit.id, 'village_review_pass', x(1), { input: { meetingDate: addDays(today, -379), opinion: '同意退出' }, kinds: ['meeting_minutes'] });
    const stored = reviewed.events[1]!;
    expect(stored.evaluation).toMatchObject({ householdId: hh.id, householdNo: hh.householdNo, year: 2025, asOf: addDays(today, -379), perCapitaNetIncome: 8000, decision: { key: 'exit', eligible: true } });
    expect(stored.params).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'poverty_line', value: 4000, region: '' })]));
    await stepAt('cadre', exit.id, 'verify_pass', x(2), { input: { findings: '入户核实无误' }, kinds: ['verification_record'] });
    const agreed = await stepAt('cadre', exit.id, 'household_agree', x(3), { kinds: ['household_signature'] });
    await expect(stepAt('cadre', exit.id, 'village_notice_close', x(3), { kinds: ['notice_photo'] })).rejects.toMatchObject({ status: 409 });
    const days = (Date.parse(agreed.notice!.endsOn) - Date.parse(addDays(today, -377))) / 86_400_000;
    await stepAt('cadre', exit.id, 'village_notice_close', x(3 + days), { kinds: ['notice_photo'] });
    const exited = await stepAt('county', exit.id, 'announce', x(4 + days), { input: { opinion: '同意' }, kinds: ['announcement'] });
    expect(exited).toMatchObject({ state: 'exited', closed: true, seq: 6 });
    expect((await trail(exit.id)).events).toEqual([
      '1:new→village_review', '2:village_review→verification', '3:verification→household_confirmation', '4:household_confirmation→village_notice', '5:village_notice→announcement', '6:announcement→exited',
    ]);
    expect((await trail(exit.id)).audits).toHaveLength(7);
    expect(await householdRow()).toMatchObject({ exit_status: '1', exit_year: 2025, identified_on: hh.identifiedOn, version: afterIdent.version + 1 });
    expect(await yearStatuses(2024)).toEqual({ 2024: '0', 2025: '1' });
    expect((await registerAudits(exit.id)).map((a) => [`${a.entity}:${a.entity_id}`, a.after])).toEqual([
      [`households:${hh.id}`, { exitStatus: '1', exitYear: 2025 }],
      [`household_years:${hh.id}:2025`, { status: '1' }],
    ]);

    // ---- 3. Relapse: the 2026 record falls below the monitoring threshold (1.5 × 4,000); the scan finds it.
    await putYear(2026, 5000, '1');
    const scan = await runMonitoringScan(ctxOf('county'), { area: area.countyCode, year: 2026, now: daysAgo(250) });
    expect(scan.totals.new).toBeGreaterThanOrEqual(1);
    const [alertRow] = await db.query<{ id: number }>(
      `SELECT id FROM monitoring_alerts WHERE household_id = $1 AND rule = 'income_below_threshold' AND year = 2026`, [hh.id]);
    expect(alertRow).toBeDefined();
    const alertId = Number(alertRow!.id);
    const alert = await getAlert(ctxOf('cadre'), alertId);
    expect(alert).toMatchObject({ householdId: hh.id, status: 'open', caseId: null, year: 2026 });
    expect(alert.params).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'poverty_line', value: 4000 })]));
    // A re-scan adds nothing.
    expect((await runMonitoringScan(ctxOf('county'), { area: area.villageCodes[0].slice(0, 9), year: 2026 })).rules.find((r) => r.rule === 'income_below_threshold')).toMatchObject({ new: 0 });

    // ---- 4. The monitoring case opened from the alert.
    const mon = await openCase(ctxOf('cadre'), { workflow: 'monitoring', householdId: hh.id, alertId, now: daysAgo(250) });
    expect(mon).toMatchObject({ state: 'new', year: 2026, alertId });
    expect(await getAlert(ctxOf('county'), alertId)).toMatchObject({ status: 'case_opened', caseId: mon.id });
    const m = (d: number) => daysAgo(250 - d);
    await stepAt('cadre', mon.id, 'discover', m(0), { input: { source: 'department_screening', riskType: 'income_drop', description: '2026 年人均纯收入低于监测线' } });
    await stepAt('cadre', mon.id, 'verify', m(1), { input: { findings: '属实', crossCheck: '收入核实一致' }, kinds: ['verification_record'] });
    await stepAt('cadre', mon.id, 'village_review_pass', m(2), { input: { meetingDate: addDays(today, -248), opinion: '同意纳入' }, kinds: ['meeting_minutes'] });
    await stepAt('cadre', mon.id, 'village_notice_close', m(7), { kinds: ['notice_photo'] });
    await stepAt('township', mon.id, 'township_review_pass', m(8), { input: { opinion: '同意' } });
    const monitored = await stepAt('county', mon.id, 'county_approve', m(9), { input: { opinion: '纳入监测' }, kinds: ['announcement'] });
    expect(monitored).toMatchObject({ state: 'monitored', closed: false });
    // ---- 5. Assistance, and the income recovers above the threshold.
    await stepAt('cadre', mon.id, 'record_assistance', m(10), { input: { measures: '公益岗位 + 产业帮扶' } });
    await putYear(2026, 7200);
    // Too early: within 6 months of the county approval, elimination is refused even with good facts.
    await expect(stepAt('cadre', mon.id, 'propose_elimination', m(100), { input: { meetingDate: addDays(today, -150), opinion: '拟消除' }, kinds: ['meeting_minutes'], facts: { monthsAboveThreshold: 7, rigidExpensesResolved: true } }))
      .rejects.toMatchObject({ status: 400 });
    // ---- 6. Risk elimination, more than 6 months on.
    const proposed = await stepAt('cadre', mon.id, 'propose_elimination', daysAgo(1), { input: { meetingDate: addDays(today, -1), opinion: '收入稳定超过监测线' }, kinds: ['meeting_minutes'], facts: { monthsAboveThreshold: 7, rigidExpensesResolved: true } });
    const e = proposed.events.at(-1)!;
    expect(e.evaluation).toMatchObject({ year: 2026, perCapitaNetIncome: 7200, decision: { key: 'risk_elimination', eligible: true }, monitoringCase: { identifiedOn: addDays(today, -241), measuresApplied: 1 } });
    expect(e.params).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'risk_elimination_min_months', value: 6 })]));
    const done = await stepAt('county', mon.id, 'confirm_elimination', new Date(), { input: { opinion: '同意' } });
    expect(done).toMatchObject({ state: 'risk_eliminated', closed: true, alertId });
    const monTrail = await trail(mon.id);
    expect(monTrail.events).toEqual([
      '1:new→discovered', '2:discovered→verified', '3:verified→village_notice', '4:village_notice→township_review', '5:township_review→county_approval',
      '6:county_approval→monitored', '7:monitored→assisting', '8:assisting→elimination_review', '9:elimination_review→risk_eliminated',
    ]);
    expect(monTrail.audits).toHaveLength(10);
    expect(monTrail.audits.at(-1)).toBe('step:8→9:risk_eliminated');
    // Monitoring changes no register field; the alert is resolved by its case.
    expect(await householdRow()).toMatchObject({ exit_status: '1', exit_year: 2025, identified_on: hh.identifiedOn });
    expect(await yearStatuses(2024)).toEqual({ 2024: '0', 2025: '1', 2026: '1' });
    expect(await getAlert(ctxOf('county'), alertId)).toMatchObject({ status: 'resolved', caseId: mon.id, resolvedBy: actors.county!.username });
    const alertAudits = await db.query<{ action: string; after: unknown }>(`SELECT action, after FROM audit_log WHERE entity = 'monitoring_alerts' AND entity_id = $1 ORDER BY id`, [String(alertId)]);
    expect(alertAudits).toEqual([
      { action: 'open_case', after: { status: 'case_opened', caseId: mon.id } },
      { action: 'resolve', after: { status: 'resolved', caseId: mon.id } },
    ]);
  });

  it('keeps the stored exit decision and its parameters after the poverty line changes; a new evaluation uses the new line', async () => {
    expect(exitCaseId, 'the story test ran first').toBeGreaterThan(0);
    const before = await getCase(ctxOf('county'), exitCaseId);
    const [rawBefore] = await db.query<{ evaluation: unknown; params: unknown; input: unknown }>(
      'SELECT evaluation, params, input FROM case_events WHERE case_id = $1 AND seq = 2', [exitCaseId]);
    expect(before.events[1]!.params).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'poverty_line', value: 4000, region: '' })]));

    // The city office raises the poverty line for this county from 2025 (a county-level row; audited).
    const set = await setParameter(ctxOf('admin'), { key: 'poverty_line', year: 2025, region: area.countyCode, value: 9000, source: '测试旗 2025 年调整' });
    expect(set).toBeDefined();
    const [policyAudit] = await db.query<{ after: unknown }>(`SELECT after FROM audit_log WHERE entity = 'policy_parameters' AND actor_name = $1 ORDER BY id DESC LIMIT 1`, [actors.admin!.username]);
    expect(policyAudit!.after).toMatchObject({ value: 9000 });

    // The case reads back exactly as before: service view, stored row and the API.
    const after = await getCase(ctxOf('county'), exitCaseId);
    expect(after.events).toEqual(before.events);
    const [rawAfter] = await db.query('SELECT evaluation, params, input FROM case_events WHERE case_id = $1 AND seq = 2', [exitCaseId]);
    expect(rawAfter).toEqual(rawBefore);
    const api = await app.inject({ url: `/api/v1/cases/${exitCaseId}`, headers: { cookie: countyCookie } });
    expect(api.statusCode).toBe(200);
    const apiEvent = api.json().events[1];
    expect(apiEvent.evaluation).toEqual(before.events[1]!.evaluation);
    expect(apiEvent.params).toEqual(before.events[1]!.params);
    // neither the new value nor its source text reached the stored event (a bare '9000' could be
    // part of a household number in county 1592xx, as happened once)
    expect(JSON.stringify(apiEvent)).not.toMatch(/"value":9000\b|9,000|测试旗 2025 年调整/);
    expect(await householdRow()).toMatchObject({ exit_status: '1', exit_year: 2025 });

    // A new evaluation of the same year uses the county's new line, and 8,000 is now below it.
    const now = await evaluateHousehold(ctxOf('county'), { householdId: hh.id, year: 2025 });
    expect(now.exit.eligible).toBe(false);
    expect(now.params).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'poverty_line', value: 9000, region: area.countyCode })]));
    const viaApi = await app.inject({ url: `/api/v1/households/${hh.id}/evaluation?year=2025`, headers: { cookie: countyCookie } });
    expect(viaApi.statusCode).toBe(200);
    expect(viaApi.json().exit.eligible).toBe(false);
    expect(viaApi.json().params).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'poverty_line', value: 9000, region: area.countyCode })]));
  });
});
