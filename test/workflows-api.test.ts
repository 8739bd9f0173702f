// GET /api/v1/workflows: the procedures exactly as domain/workflows/ defines them, to any logged-in
// user; 401 without a session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { ATTACHMENT_KINDS, DISCOVERY_SOURCES, RISK_TYPES, WORKFLOWS } from '../src/domain/workflows/index.js';
import { systemActor } from '../src/services/context.js';
import { createUser } from '../src/services/users.js';
import { testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';

const PASSWORD = 'Test#Passw0rd';
let db: Db;
let app: ZodApp;
let area: TestArea;
let cookie: string;

interface Catalogue {
  workflows: {
    key: string;
    label: { zh: string; en: string };
    initial: string;
    states: { key: string; label: { zh: string; en: string }; final: boolean }[];
    actions: { id: string; label: { zh: string }; fields: { key: string; required: boolean; codes: { code: string; label: { zh: string } }[] }[]; attachments: string[]; startsNotice: string | null; closesNotice: boolean }[];
  }[];
  attachmentKinds: { key: string; label: { zh: string; en: string } }[];
}

beforeAll(async () => {
  db = await testDb();
  area = await makeArea(db);
  app = await buildApp({ db, webDir: false });
  // A researcher (read-only aggregates) may read the definitions too: any logged-in user.
  const username = `wfapi${area.countyCode}`;
  await createUser({ actor: systemActor('test'), db }, { username, role: 'researcher', areaCode: area.countyCode, password: PASSWORD });
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  cookie = `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
});

afterAll(async () => {
  await app?.close();
  await db.close();
});

describe('GET /api/v1/workflows', () => {
  it('lists the four procedures with the domain’s states, steps, fields and attachment kinds', async () => {
    const res = await app.inject({ url: '/api/v1/workflows', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json<Catalogue>();
    expect(body.workflows.map((w) => w.key).sort()).toEqual(['exit_correction', 'household_exit', 'identification', 'monitoring']);
    for (const w of body.workflows) {
      const def = WORKFLOWS[w.key]!;
      expect(w.label).toEqual(def.label);
      expect(w.initial).toBe(def.initial);
      expect(Object.fromEntries(w.states.map((s) => [s.key, s.label.zh]))).toEqual(Object.fromEntries(Object.entries(def.states).map(([k, s]) => [k, s.label.zh])));
      expect(w.states.filter((s) => s.final).map((s) => s.key)).toEqual(Object.entries(def.states).filter(([, s]) => s.final).map(([k]) => k));
      expect(w.actions.map((a) => [a.id, a.label.zh])).toEqual(def.actions.map((a) => [a.id, a.label.zh]));
      for (const [i, a] of w.actions.entries()) {
        const d = def.actions[i]!;
        expect(a.attachments).toEqual([...d.attachments]);
        expect(a.startsNotice).toBe(d.startsNotice ?? null);
        expect(a.closesNotice).toBe(d.closesNotice === true);
        expect(a.fields.map((f) => [f.key, f.required])).toEqual(d.fields.map((f) => [f.key, !f.optional]));
      }
    }
    const discover = body.workflows.find((w) => w.key === 'monitoring')!.actions.find((a) => a.id === 'discover')!;
    const codes = (key: string) => discover.fields.find((f) => f.key === key)!.codes.map((c) => [c.code, c.label.zh]);
    expect(codes('riskType')).toEqual(RISK_TYPES.map((c) => [c.code, c.zh]));
    expect(codes('source')).toEqual(DISCOVERY_SOURCES.map((c) => [c.code, c.zh]));
    expect(body.attachmentKinds).toEqual(Object.entries(ATTACHMENT_KINDS).map(([key, label]) => ({ key, label })));
  });

  it('refuses a request without a session (401)', async () => {
    const res = await app.inject({ url: '/api/v1/workflows' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: expect.any(String) } });
  });
});
