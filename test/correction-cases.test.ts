// Correction of a wrong exit (错退纠正) on the real database: the exit evaluation's inspector opens
// the case for the offices (skipOpenerRoleCheck, internal only: a client sending it gets the usual
// 403), the village verifies, the township agrees and the county corrects — the household is 未脱贫
// again, with no exit year, and its yearly records from the case's year on follow, all audited. An
// upheld case leaves the household as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { Forbidden } from '../src/domain/errors.js';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { systemActor, type Actor, type Ctx } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { createUser } from '../src/services/users.js';
import { actOnCase, addAttachment, getCase, openCase } from '../src/services/cases/index.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
const PASSWORD = 'Test#Passw0rd';
const actors: Record<string, Actor> = {};
const cookies: Record<string, string> = {};

type Who = 'cadre' | 'township' | 'county' | 'inspector';
const ctxOf = (who: Who): Ctx => ({ db, actor: actors[who]! });

const secure = { foodSecure: true, clothingSecure: true, educationSecure: true, medicalSecure: true, housingSecure: true, waterSecure: true, waterLitresPerDay: 60, waterFetchMinutes: 5 };

/**
 * A household exited in 2020 (exit_status '1', exit year 2020) in the first village, two adults,
 * with yearly records 2019 (未脱贫), 2020 and 2021 (已脱贫) at `perCapita` yuan a head.
 */
async function exitedHousehold(perCapita: number) {
  const sys = { db, actor: systemActor('test') };
  const h = await createHousehold(sys, {
    household: { householdNo: householdNo('CORR'), villageCode: area.villageCodes[0], attribute: '1', exitStatus: '1', exitYear: 2020, mainCause: '01', identifiedOn: '2015-04-01' },
    members: [
      { name: '巴特尔', idNumber: makeIdNumber(area.countyCode, '1975-03-15', '1'), relation: '01', ethnicity: '02', health: '1', labourAbility: '1', medicalInsurance: true },
      { name: '其木格', idNumber: makeIdNumber(area.countyCode, '1977-08-02', '2'), relation: '02', ethnicity: '02', health: '1', labourAbility: '1', medicalInsurance: true },
    ],
  });
  for (const [year, status] of [[2019, '0'], [2020, '1'], [2021, '1']] as const) {
    await putHouseholdYear(sys, h.id, year, { householdSize: 2, status, wageIncome: perCapita * 2, ...secure });
  }
  return h;
}

async function householdRow(id: number) {
  const [h] = await db.query<{ exit_status: string; exit_year: number | null; identified_on: string | null; version: number }>(
    `SELECT exit_status, exit_year, to_char(identified_on, 'YYYY-MM-DD') AS identified_on, version FROM households WHERE id = $1`,
    [id],
  );
  return h!;
}

const yearsOf = (id: number) => db.query<{ year: number; status: string }>('SELECT year, status FROM household_years WHERE household_id = $1 ORDER BY year', [id]);

/** The inspector opens the correction for the offices, as the assessment service does. */
const openForOffices = (householdId: number) =>
  openCase(ctxOf('inspector'), { workflow: 'exit_correction', householdId, year: 2020, skipOpenerRoleCheck: true });

/** A step through the service as `who`, uploading one file of each kind first. */
async function step(who: Who, caseId: number, action: string, input: Record<string, unknown>, kinds: string[] = []) {
  const c = await getCase(ctxOf(who), caseId);
  const ids: number[] = [];
  for (const kind of kinds) ids.push((await addAttachment(ctxOf(who), { caseId, kind, filename: `${kind}.pdf`, mime: 'application/pdf', bytes: Buffer.from(kind) })).id);
  return actOnCase(ctxOf(who), { caseId, action, seq: c.seq, input, attachmentIds: ids });
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  const sys = { db, actor: systemActor('test') };
  const accounts: [Who, Actor['role'], string][] = [
    ['cadre', 'village_cadre', area.villageCodes[0]],
    ['township', 'township_reviewer', area.townshipCode],
    ['county', 'county_office', area.countyCode],
    ['inspector', 'inspector', area.countyCode],
  ];
  for (const [who, role, code] of accounts) {
    const u = await createUser(sys, { username: `x${who}${area.countyCode}`, role, areaCode: code, password: PASSWORD });
    actors[who] = { id: u.id, username: u.username, role, areaCode: code };
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: PASSWORD } });
    cookies[who] = `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
  }
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('exit correction (错退纠正)', () => {
  it('is opened by the inspector only through the internal flag, never from a request', async () => {
    const h = await exitedHousehold(3000);
    // Without the flag the inspector may not open it: it cannot take the first step.
    await expect(openCase(ctxOf('inspector'), { workflow: 'exit_correction', householdId: h.id, year: 2020 })).rejects.toBeInstanceOf(Forbidden);
    // Sent in a request, the flag is not passed on: the same 403, nothing written.
    const res = await app.inject({
      method: 'POST', url: '/api/v1/cases', headers: { cookie: cookies.inspector! },
      payload: { workflow: 'exit_correction', householdId: h.id, year: 2020, skipOpenerRoleCheck: true },
    });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error.zh).toContain('只能由第三方评估结束时发现的错退问题发起');
    expect(res.json().error.en).toBe('"Correction of a wrong exit" is opened only by a closed evaluation that found the wrong exit, not by hand');
    // The definition decides (openedBy), not the opener's rights: the county office, which takes the
    // county steps, and the console operator, who may do anything, are refused the same way.
    await expect(openCase(ctxOf('county'), { workflow: 'exit_correction', householdId: h.id, year: 2020 })).rejects.toMatchObject({ status: 403, msg: { zh: expect.stringContaining('不能手工发起') } });
    await expect(openCase({ db, actor: systemActor('test') }, { workflow: 'exit_correction', householdId: h.id, year: 2020 })).rejects.toMatchObject({ status: 403, msg: { zh: expect.stringContaining('不能手工发起') } });
    expect(await db.query('SELECT id FROM cases WHERE household_id = $1', [h.id])).toEqual([]);
  });

  it('verify → agree → correct: the household is 未脱贫 again from the case year on, audited', async () => {
    const h = await exitedHousehold(3000);
    const before = await householdRow(h.id);
    expect(before).toMatchObject({ exit_status: '1', exit_year: 2020 });

    const opened = await openForOffices(h.id);
    expect(opened).toMatchObject({ workflow: 'exit_correction', state: 'new', seq: 0, year: 2020 });
    const [created] = await db.query<{ actor_name: string; after: Record<string, unknown> }>(
      `SELECT actor_name, after FROM audit_log WHERE entity = 'cases' AND entity_id = $1 AND action = 'create'`, [String(opened.id)]);
    expect(created).toMatchObject({ actor_name: actors.inspector!.username, after: { workflow: 'exit_correction', state: 'new', year: 2020 } });
    // The inspector opened it but takes no step; the village cadre has it in hand.
    expect((await getCase(ctxOf('inspector'), opened.id)).allowedActions).toEqual([]);
    expect((await getCase(ctxOf('cadre'), opened.id)).allowedActions.map((a) => a.action)).toEqual(['village_verify']);

    const verified = await step('cadre', opened.id, 'village_verify', { findings: '入户核实：2020 年人均纯收入 3,000 元，低于贫困线' }, ['verification_record']);
    expect(verified.state).toBe('township_review');
    // The server's exit evaluation is kept as evidence; it says not eligible, and the step is taken anyway.
    expect(verified.events[0]!.evaluation).toMatchObject({ field: 'evaluation', year: 2020, perCapitaNetIncome: 3000, decision: { key: 'exit', eligible: false } });
    expect(await householdRow(h.id)).toEqual(before);

    expect((await step('township', opened.id, 'township_agree', { opinion: '同意，报旗县认定' })).state).toBe('county_decision');
    const done = await step('county', opened.id, 'county_correct', { opinion: '认定错退，恢复为未脱贫' }, ['announcement']);
    expect(done).toMatchObject({ state: 'corrected', closed: true, seq: 3 });

    expect(await householdRow(h.id)).toMatchObject({ exit_status: '0', exit_year: null, identified_on: '2015-04-01', version: before.version + 1 });
    expect(await yearsOf(h.id)).toEqual([{ year: 2019, status: '0' }, { year: 2020, status: '0' }, { year: 2021, status: '0' }]);

    const note = `case ${opened.id} exit_correction: county_decision → corrected (step 3)`;
    const trail = await db.query<{ entity: string; entity_id: string; actor_name: string; before: unknown; after: unknown; note: string }>(
      `SELECT entity, entity_id, actor_name, before, after, note FROM audit_log WHERE household_id = $1 AND entity IN ('households', 'household_years') AND note = $2 ORDER BY id`,
      [h.id, note],
    );
    expect(trail).toEqual([
      { entity: 'households', entity_id: String(h.id), actor_name: actors.county!.username, before: { exitStatus: '1', exitYear: 2020 }, after: { exitStatus: '0', exitYear: null }, note },
      { entity: 'household_years', entity_id: `${h.id}:2020`, actor_name: actors.county!.username, before: { status: '1' }, after: { status: '0' }, note },
      { entity: 'household_years', entity_id: `${h.id}:2021`, actor_name: actors.county!.username, before: { status: '1' }, after: { status: '0' }, note },
    ]);
    const steps = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'cases' AND entity_id = $1 AND action = 'step'`, [String(opened.id)]);
    expect(steps[0]!.n).toBe(3);
  });

  it('an upheld exit leaves the household as it was; a reopened case may still correct it', async () => {
    const h = await exitedHousehold(6500);
    const before = await householdRow(h.id);
    const years = await yearsOf(h.id);
    const c = await openForOffices(h.id);
    const verified = await step('cadre', c.id, 'village_verify', { findings: '入户核实：务工收入稳定' }, ['verification_record']);
    expect(verified.events[0]!.evaluation).toMatchObject({ decision: { key: 'exit', eligible: true } });
    await step('township', c.id, 'township_agree', { opinion: '同意' });
    const upheld = await step('county', c.id, 'county_uphold', { reason: '收入稳定超过贫困线，退出无误' });
    expect(upheld).toMatchObject({ state: 'upheld', closed: true });
    expect(await householdRow(h.id)).toEqual(before);
    expect(await yearsOf(h.id)).toEqual(years);
    expect(await db.query(`SELECT id FROM audit_log WHERE household_id = $1 AND entity IN ('households', 'household_years') AND note LIKE $2`, [h.id, `case ${c.id} %`])).toEqual([]);

    // New evidence: the county reopens and decides again.
    const reopened = await step('county', c.id, 'reopen', { reason: '收到新的收入证明' });
    expect(reopened).toMatchObject({ state: 'county_decision', closed: false });
    await step('county', c.id, 'county_correct', { opinion: '认定错退' }, ['announcement']);
    expect(await householdRow(h.id)).toMatchObject({ exit_status: '0', exit_year: null });
    expect(await yearsOf(h.id)).toEqual([{ year: 2019, status: '0' }, { year: 2020, status: '0' }, { year: 2021, status: '0' }]);
  });
});
