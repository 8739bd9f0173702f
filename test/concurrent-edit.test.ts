// Issue 7: concurrent edits of the same household by two users. Both read version v and send their
// change at the same moment (on PostgreSQL two connections really race; on PGlite the requests
// interleave on one connection). Exactly one wins (200); the other gets 409 with the current
// record and its version; the loser re-applies on that version and succeeds; both changes are in
// the database at the end and each has its audit row. Repeated to catch races, for the household
// record, a member and a yearly (income) record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createUser } from '../src/services/users.js';
import { systemActor } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { engineName, testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

const ROUNDS = 20;
const PASSWORD = 'Test#Passw0rd';
let db: Db;
let app: ZodApp;
let area: TestArea;
const users = { cadre: '', reviewer: '' };
const cookie = { cadre: '', reviewer: '' };

async function login(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  return `jz_session=${res.cookies.find((c) => c.name === 'jz_session')!.value}`;
}

async function newHousehold(): Promise<{ id: number; memberId: number }> {
  const ctx = { actor: systemActor('test'), db };
  const h = await createHousehold(ctx, {
    household: { householdNo: householdNo('CE'), villageCode: area.villageCodes[0], attribute: '1', exitStatus: '0', mainCause: '01', identifiedOn: '2014-05-01' },
    members: [
      { name: '巴特尔', idNumber: makeIdNumber(area.countyCode, '1970-03-15', '1'), relation: '01', ethnicity: '02', health: '1', labourAbility: '1' },
      { name: '其木格', idNumber: makeIdNumber(area.countyCode, '1972-08-02', '2'), relation: '02', ethnicity: '02', health: '1' },
    ],
  });
  await putHouseholdYear(ctx, h.id, 2019, { householdSize: 2, status: '0', wageIncome: 1000, productionIncome: 0, propertyIncome: 0, transferIncome: 0, productionCosts: 0 });
  return { id: h.id, memberId: h.members.find((m) => m.relation === '02')!.id };
}

async function maxAuditId(): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT coalesce(max(id), 0)::bigint AS n FROM audit_log');
  return r!.n;
}

/** Audit rows written since `after` for this household and entity: who and what. */
async function auditSince(after: number, householdId: number, entity: string) {
  return db.query<{ actor: string; action: string; after: Record<string, unknown> }>(
    `SELECT actor_name AS actor, action, after FROM audit_log WHERE id > $1 AND household_id = $2 AND entity = $3 ORDER BY id`,
    [after, householdId, entity],
  );
}

type Who = 'cadre' | 'reviewer';
interface Edit { method: 'PATCH' | 'PUT'; url: string; payload: Record<string, unknown> }

/**
 * Sends both edits at once with version v. Returns the winner, the loser and the loser's 409.
 * Then the loser re-applies its change on the version the 409 carries.
 */
async function race(edits: Record<Who, (version: number) => Edit>, v: number, currentVersion: (res: LightMyRequestResponse) => number) {
  const send = (who: Who, version: number) => {
    const e = edits[who](version);
    return app.inject({ method: e.method, url: e.url, payload: e.payload, headers: { cookie: cookie[who] } });
  };
  const [a, b] = await Promise.all([send('cadre', v), send('reviewer', v)]);
  const statuses = [a.statusCode, b.statusCode].sort();
  expect(statuses, `${a.body.slice(0, 300)} | ${b.body.slice(0, 300)}`).toEqual([200, 409]);
  const winner: Who = a.statusCode === 200 ? 'cadre' : 'reviewer';
  const loser: Who = winner === 'cadre' ? 'reviewer' : 'cadre';
  const conflict = winner === 'cadre' ? b : a;
  const won = winner === 'cadre' ? a : b;
  const err = conflict.json().error;
  expect(err.code).toBe('conflict');
  expect(err.zh).toMatch(/已被他人修改|已存在（可能刚被他人新建/);
  expect(err.en).toMatch(/Someone else changed|already exists \(someone may just have created it/);
  expect(err.current).toBeDefined();
  const newVersion = currentVersion(conflict);
  expect(newVersion).toBeGreaterThan(v);
  const retry = await send(loser, newVersion);
  expect(retry.statusCode, retry.body).toBe(200);
  return { winner, loser, conflict, won, retry };
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false, rateLimits: { global: 0 } });
  area = await makeArea(db);
  const ctx = { actor: systemActor('test'), db };
  users.cadre = `ceCadre${area.countyCode}`;
  users.reviewer = `ceReview${area.countyCode}`;
  await createUser(ctx, { username: users.cadre, role: 'village_cadre', areaCode: area.villageCodes[0], password: PASSWORD });
  await createUser(ctx, { username: users.reviewer, role: 'township_reviewer', areaCode: area.townshipCode, password: PASSWORD });
  cookie.cadre = await login(users.cadre);
  cookie.reviewer = await login(users.reviewer);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`concurrent edits of one household by two users (${engineName})`, () => {
  it(`household record: one wins, the other gets 409 with the current values, nothing is lost (${ROUNDS} rounds)`, async () => {
    const { id } = await newHousehold();
    const wins = { cadre: 0, reviewer: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      const read = await app.inject({ url: `/api/v1/households/${id}`, headers: { cookie: cookie.cadre } });
      const v = read.json().version as number;
      const auditFrom = await maxAuditId();
      const group = `第${i}组`;
      const unit = `帮扶单位${i}`;
      const edits = {
        cadre: (version: number): Edit => ({ method: 'PATCH', url: `/api/v1/households/${id}`, payload: { groupName: group, version } }),
        reviewer: (version: number): Edit => ({ method: 'PATCH', url: `/api/v1/households/${id}`, payload: { assistanceUnit: unit, version } }),
      };
      const r = await race(edits, v, (res) => res.json().error.current.version);
      wins[r.winner] += 1;
      // The 409 carries the record as the winner left it.
      const current = r.conflict.json().error.current;
      expect(current.id).toBe(id);
      expect(current.version).toBe(v + 1);
      expect(r.winner === 'cadre' ? current.groupName : current.assistanceUnit).toBe(r.winner === 'cadre' ? group : unit);
      expect(r.retry.json().version).toBe(v + 2);
      const [row] = await db.query<{ group_name: string; assistance_unit: string; version: number }>(
        'SELECT group_name, assistance_unit, version FROM households WHERE id = $1', [id],
      );
      expect(row).toEqual({ group_name: group, assistance_unit: unit, version: v + 2 });
      const rows = await auditSince(auditFrom, id, 'households');
      expect(rows.map((x) => x.action)).toEqual(['update', 'update']);
      expect(rows.map((x) => x.actor)).toEqual([users[r.winner], users[r.loser]]);
      expect(rows.find((x) => x.actor === users.cadre)!.after).toMatchObject({ groupName: group });
      expect(rows.find((x) => x.actor === users.reviewer)!.after).toMatchObject({ assistanceUnit: unit });
    }
    console.log(`[concurrent-edit ${engineName}] household: wins ${JSON.stringify(wins)}`);
  });

  it(`member: one wins, the other gets 409 with the current household, nothing is lost (${ROUNDS} rounds)`, async () => {
    const { id, memberId } = await newHousehold();
    const wins = { cadre: 0, reviewer: 0 };
    const names = ['其木格', '萨仁', '乌兰', '娜仁'];
    for (let i = 0; i < ROUNDS; i++) {
      const v = (await app.inject({ url: `/api/v1/households/${id}`, headers: { cookie: cookie.reviewer } })).json().version as number;
      const auditFrom = await maxAuditId();
      const months = i % 13;
      const name = names[i % names.length]!;
      const url = `/api/v1/households/${id}/members/${memberId}`;
      const edits = {
        cadre: (version: number): Edit => ({ method: 'PATCH', url, payload: { workMonths: months, version } }),
        reviewer: (version: number): Edit => ({ method: 'PATCH', url, payload: { name, version } }),
      };
      const r = await race(edits, v, (res) => res.json().error.current.version);
      wins[r.winner] += 1;
      const m = r.conflict.json().error.current.members.find((x: { id: number }) => x.id === memberId);
      expect(r.winner === 'cadre' ? m.workMonths : m.name).toBe(r.winner === 'cadre' ? months : name);
      const [row] = await db.query<{ work_months: number; name: string }>('SELECT work_months, name FROM members WHERE id = $1', [memberId]);
      expect(row).toEqual({ work_months: months, name });
      const [h] = await db.query<{ version: number }>('SELECT version FROM households WHERE id = $1', [id]);
      expect(h!.version).toBe(v + 2);
      const rows = await auditSince(auditFrom, id, 'members');
      expect(rows.map((x) => x.actor)).toEqual([users[r.winner], users[r.loser]]);
      expect(rows.find((x) => x.actor === users.cadre)!.after).toMatchObject({ workMonths: months });
      expect(rows.find((x) => x.actor === users.reviewer)!.after).toMatchObject({ name });
    }
    console.log(`[concurrent-edit ${engineName}] member: wins ${JSON.stringify(wins)}`);
  });

  it(`yearly income record: one wins, the other gets 409 with the current record, nothing is lost (${ROUNDS} rounds)`, async () => {
    const { id } = await newHousehold();
    const wins = { cadre: 0, reviewer: 0 };
    const url = `/api/v1/households/${id}/years/2019`;
    for (let i = 0; i < ROUNDS; i++) {
      const file = (await app.inject({ url: `/api/v1/households/${id}`, headers: { cookie: cookie.cadre } })).json();
      const v = file.years.find((y: { year: number }) => y.year === 2019).version as number;
      const auditFrom = await maxAuditId();
      const wage = 2000 + i;
      const transfer = 500 + i;
      const edits = {
        cadre: (version: number): Edit => ({ method: 'PUT', url, payload: { wageIncome: wage, version } }),
        reviewer: (version: number): Edit => ({ method: 'PUT', url, payload: { transferIncome: transfer, version } }),
      };
      const r = await race(edits, v, (res) => res.json().error.current.version);
      wins[r.winner] += 1;
      const current = r.conflict.json().error.current;
      expect(current.year).toBe(2019);
      expect(current.version).toBe(v + 1);
      expect(r.winner === 'cadre' ? current.wageIncome : current.transferIncome).toBe(r.winner === 'cadre' ? wage : transfer);
      const [row] = await db.query<{ wage_income: number; transfer_income: number; per_capita_income: number; version: number }>(
        'SELECT wage_income, transfer_income, per_capita_income, version FROM household_years WHERE household_id = $1 AND year = 2019', [id],
      );
      // Per-capita income follows both changes: (wage + transfer) / 2 people.
      expect(row).toEqual({ wage_income: wage, transfer_income: transfer, per_capita_income: (wage + transfer) / 2, version: v + 2 });
      const rows = await auditSince(auditFrom, id, 'household_years');
      expect(rows.map((x) => x.actor)).toEqual([users[r.winner], users[r.loser]]);
      expect(rows.find((x) => x.actor === users.cadre)!.after).toMatchObject({ wageIncome: wage });
      expect(rows.find((x) => x.actor === users.reviewer)!.after).toMatchObject({ transferIncome: transfer });
    }
    console.log(`[concurrent-edit ${engineName}] yearly record: wins ${JSON.stringify(wins)}`);
  });

  it('two users creating the same yearly record at once: one creates it, the other gets 409 with it, nothing is lost', async () => {
    for (let i = 0; i < 5; i++) {
      const { id } = await newHousehold();
      const url = `/api/v1/households/${id}/years/2018`;
      const base = { householdSize: 2, status: '0' };
      const edits = {
        cadre: (version: number): Edit => ({ method: 'PUT', url, payload: { ...base, wageIncome: 3000, ...(version ? { version } : {}) } }),
        reviewer: (version: number): Edit => ({ method: 'PUT', url, payload: { ...base, transferIncome: 800, ...(version ? { version } : {}) } }),
      };
      const r = await race(edits, 0, (res) => res.json().error.current.version);
      expect(r.conflict.json().error.current).toMatchObject({ year: 2018, version: 1 });
      const [row] = await db.query<{ wage_income: number; transfer_income: number; version: number }>(
        'SELECT wage_income, transfer_income, version FROM household_years WHERE household_id = $1 AND year = 2018', [id],
      );
      expect(row).toEqual({ wage_income: 3000, transfer_income: 800, version: 2 });
    }
  });
});
