// Issue 7, accounts: lockout with a growing delay, forced change of initial passwords, idle and
// absolute session expiry, logout everywhere, and the TOTP second factor (RFC 6238), through the
// API on a real database. The clock is injected (accountRuntime.now), so nothing here waits.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createUser, maskedLoginName, resetUnknownLoginCounts } from '../src/services/users.js';
import { accountRuntime } from '../src/services/account-security.js';
import { open, seal } from '../src/services/secret-box.js';
import { systemActor } from '../src/services/context.js';
import { lockDelayMs } from '../src/domain/account-policy.js';
import { base32Decode, base32Encode, hotp, totp, totpStep } from '../src/domain/totp.js';
import { testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';

const PASSWORD = 'Test#Passw0rd';
const NEW_PASSWORD = 'Changed#Passw0rd2';
const MIN = 60_000;

let db: Db;
let app: ZodApp;
let area: TestArea;
let offset = 0;
const realRuntime = { ...accountRuntime };
const advance = (ms: number) => {
  offset += ms;
};
// A pinned clock (moved only by advance): a 30-second TOTP step cannot roll over between two
// requests of one test on a slow machine (a replayed code then looked like a fresh one).
const start = Date.now();
const now = () => start + offset;

async function user(name: string, role = 'county_office', areaCode?: string): Promise<{ id: number; username: string }> {
  const username = `${name}${area.countyCode}`;
  const u = await createUser({ actor: systemActor('test'), db }, { username, role, areaCode: areaCode ?? area.countyCode, password: PASSWORD });
  return { id: u.id, username };
}

const loginRes = (username: string, password = PASSWORD, totpCode?: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, ...(totpCode ? { totp: totpCode } : {}) } });

async function login(username: string, password = PASSWORD, totpCode?: string): Promise<string> {
  const res = await loginRes(username, password, totpCode);
  expect(res.statusCode, res.body).toBe(200);
  const c = res.cookies.find((x) => x.name === 'jz_session');
  expect(c).toBeDefined();
  return `jz_session=${c!.value}`;
}

const get = (url: string, cookie: string) => app.inject({ url, headers: { cookie } });
const post = (url: string, cookie: string, payload?: object) => app.inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });

async function auditActions(userId: number): Promise<string[]> {
  const rows = await db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'users' AND entity_id = $1 ORDER BY id`, [String(userId)]);
  return rows.map((r) => r.action);
}

async function account(id: number) {
  const [r] = await db.query<{ failed_logins: number; locked_until: Date | null; must_change_password: boolean; password_hash: string; totp_secret: string | null; totp_enabled: boolean }>(
    'SELECT failed_logins, locked_until, must_change_password, password_hash, totp_secret, totp_enabled FROM users WHERE id = $1',
    [id],
  );
  return r!;
}

const sessionCount = async (id: number) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [id]))[0]!.n;

beforeAll(async () => {
  process.env.JINGZHUN_SECRET_KEY = randomBytes(32).toString('hex');
  accountRuntime.now = () => new Date(now());
  accountRuntime.failDelayMs = 0;
  db = await testDb();
  // Login rate limits off: this file logs in wrongly on purpose, more often than the limit allows.
  app = await buildApp({ db, rateLimits: { loginPerIp: 0, loginPerUser: 0, global: 0 } } as Parameters<typeof buildApp>[0]);
  area = await makeArea(db);
});

afterAll(async () => {
  Object.assign(accountRuntime, realRuntime);
  await app.close();
  await db.close();
});

describe('one-time codes (RFC 4226, RFC 6238)', () => {
  // RFC 6238 Appendix B, the SHA-1 rows: seed "12345678901234567890", 8 digits, 30-second steps.
  const seed = Buffer.from('12345678901234567890', 'ascii');
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('T = %i s gives %s', (t, code) => {
    expect(totp(seed, t * 1000, 8)).toBe(code);
  });

  it('matches the RFC 4226 HOTP values and the 6-digit truncation', () => {
    // RFC 4226 Appendix D, counters 0–2.
    expect([0, 1, 2].map((c) => hotp(seed, c))).toEqual(['755224', '287082', '359152']);
    expect(totp(seed, 59_000)).toBe('287082');
  });

  it('base32 round-trips and refuses other characters', () => {
    for (let n = 0; n < 25; n++) {
      const b = randomBytes(n);
      expect(base32Decode(base32Encode(b))!.equals(b)).toBe(true);
    }
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI'); // RFC 4648 §10
    expect(base32Decode('MZXW6YTBOI======')!.toString()).toBe('foobar');
    expect(base32Decode('MZ1W')).toBeUndefined();
  });

  it('sealed secrets open only with the same purpose and context', () => {
    const s = seal('totp', 'users:1', Buffer.from('secret'));
    expect(open('totp', 'users:1', s).toString()).toBe('secret');
    expect(() => open('totp', 'users:2', s)).toThrow();
    expect(() => open('other', 'users:1', s)).toThrow();
  });
});

describe('lockout', () => {
  it('grows 5, 10, 20, 40, then 60 minutes at most', () => {
    expect([1, 4, 5, 6, 9, 10, 15, 20, 25, 30, 100].map((n) => lockDelayMs(n) / MIN)).toEqual([0, 0, 5, 0, 0, 10, 20, 40, 60, 60, 60]);
  });

  it('locks after 5 failures with the time, refuses the right password while locked, and audits it', async () => {
    const u = await user('lock');
    for (let i = 1; i <= 4; i++) {
      const r = await loginRes(u.username, 'Wrong#Passw0rd');
      expect(r.statusCode).toBe(401);
      expect(r.json().error.zh).toBe('用户名或密码错误');
    }
    const fifth = await loginRes(u.username, 'Wrong#Passw0rd');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('account_locked');
    expect(fifth.json().error.zh).toMatch(/账号已锁定至 \d{4}-\d\d-\d\d \d\d:\d\d（北京时间）/);
    expect(fifth.json().error.en).toMatch(/locked until \d{4}-\d\d-\d\d \d\d:\d\d \(China time\)/);
    const a = await account(u.id);
    expect(a.failed_logins).toBe(5);
    expect(new Date(a.locked_until!).getTime() - now()).toBeGreaterThan(5 * MIN - 5000);
    expect(new Date(a.locked_until!).getTime() - now()).toBeLessThanOrEqual(5 * MIN);

    const right = await loginRes(u.username);
    expect(right.statusCode).toBe(423);
    expect(right.cookies.find((c) => c.name === 'jz_session')).toBeUndefined();
    expect(await sessionCount(u.id)).toBe(0);
    expect(await auditActions(u.id)).toEqual(['create', ...Array(5).fill('login_failed'), 'lockout', 'login_refused_locked']);

    // Still locked at 4 minutes; open after 5.
    advance(4 * MIN);
    expect((await loginRes(u.username)).statusCode).toBe(423);
    advance(MIN + 1000);
    // Five more failures without a success: the second lock lasts twice as long.
    for (let i = 0; i < 5; i++) await loginRes(u.username, 'Wrong#Passw0rd');
    const b = await account(u.id);
    expect(b.failed_logins).toBe(10);
    expect(Math.round((new Date(b.locked_until!).getTime() - now()) / MIN)).toBe(10);
    advance(9 * MIN);
    expect((await loginRes(u.username)).statusCode).toBe(423);
    advance(MIN + 1000);
    await login(u.username);
    const c = await account(u.id);
    expect(c.failed_logins).toBe(0);
    expect(c.locked_until).toBeNull();
    expect((await auditActions(u.id)).slice(-3)).toEqual(['lockout', 'login_refused_locked', 'login']);
  });

  it('a success resets the count, and unknown users are audited too', async () => {
    const u = await user('reset');
    for (let i = 0; i < 4; i++) await loginRes(u.username, 'Wrong#Passw0rd');
    await login(u.username);
    for (let i = 0; i < 4; i++) expect((await loginRes(u.username, 'Wrong#Passw0rd')).statusCode).toBe(401);
    expect((await account(u.id)).failed_logins).toBe(4);
    const ghost = `ghost${area.countyCode}`;
    const r = await loginRes(ghost, 'Wrong#Passw0rd');
    expect(r.statusCode).toBe(401);
    const { hash } = maskedLoginName(ghost);
    const [row] = await db.query<{ note: string; actor_name: string }>(`SELECT note, actor_name FROM audit_log WHERE action = 'login_failed' AND after->>'nameHash' = $1`, [hash]);
    expect(row?.note).toBe('unknown username');
    expect(row?.actor_name).toBe('g***');
  });
});

describe('forced change of initial passwords', () => {
  it('an account made through the API may only change its password, which ends its other sessions', async () => {
    const admin = await user('fcadmin');
    const adminCookie = await login(admin.username);
    const username = `fcnew${area.countyCode}`;
    const created = await post('/api/v1/users', adminCookie, { username, password: PASSWORD, role: 'village_cadre', areaCode: area.villageCodes[0] });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    expect((await account(id)).must_change_password).toBe(true);

    const first = await loginRes(username);
    expect(first.json().security).toMatchObject({ mustChangePassword: true, totpEnabled: false, totpAvailable: false });
    const s1 = `jz_session=${first.cookies.find((c) => c.name === 'jz_session')!.value}`;
    const s2 = await login(username);
    const blocked = await get('/api/v1/households', s1);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.zh).toMatch(/请先修改初始密码/);
    expect(blocked.json().error.en).toMatch(/Change your initial password first/);
    expect((await get('/api/v1/overview', s1)).statusCode).toBe(403);
    // A percent-encoded path reaches the same route after decoding: still refused.
    expect((await get('/%61pi/v1/households', s1)).statusCode).toBe(403);
    expect((await get('/api/v1/auth/me', s1)).json().security.mustChangePassword).toBe(true);

    // Bad inputs: field reasons, nothing written.
    const before = await account(id);
    const weak = await post('/api/v1/auth/password', s1, { currentPassword: PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['newPassword']);
    const same = await post('/api/v1/auth/password', s1, { currentPassword: PASSWORD, newPassword: PASSWORD });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.issues[0]).toMatchObject({ field: 'newPassword', zh: '新密码不能与原密码相同' });
    const wrong = await post('/api/v1/auth/password', s1, { currentPassword: 'Wrong#Passw0rd', newPassword: NEW_PASSWORD });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['currentPassword']);
    const missing = await post('/api/v1/auth/password', s1, { newPassword: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['currentPassword', 'newPassword']);
    const after = await account(id);
    expect(after.password_hash).toBe(before.password_hash);
    expect(after.must_change_password).toBe(true);
    expect(after.failed_logins).toBe(1); // the wrong current password counts towards the lockout
    expect(await sessionCount(id)).toBe(2);

    const ok = await post('/api/v1/auth/password', s1, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ ok: true, otherSessionsEnded: 1 });
    expect((await get('/api/v1/auth/me', s2)).statusCode).toBe(401);
    // This session goes on under a new cookie; the old one is worth nothing.
    const s3 = `jz_session=${ok.cookies.find((c) => c.name === 'jz_session')!.value}`;
    expect((await get('/api/v1/auth/me', s1)).statusCode).toBe(401);
    expect((await get('/api/v1/households', s3)).statusCode).toBe(200);
    expect((await get('/api/v1/auth/me', s3)).json().security.mustChangePassword).toBe(false);
    expect((await loginRes(username)).statusCode).toBe(401);
    await login(username, NEW_PASSWORD);
    const done = await account(id);
    expect(done.must_change_password).toBe(false);
    expect(done.failed_logins).toBe(0);
    expect(await auditActions(id)).toContain('password_change');
  });

  it('accounts made by the factories (and the demo) are not forced', async () => {
    const u = await user('notforced', 'researcher');
    expect((await account(u.id)).must_change_password).toBe(false);
  });
});

describe('session expiry and logout everywhere', () => {
  it('ends a session after 30 minutes without a request, touching last_seen_at at most once a minute', async () => {
    const u = await user('idle');
    const s = await login(u.username);
    const seen = async () => new Date((await db.query<{ t: Date }>('SELECT last_seen_at AS t FROM sessions WHERE user_id = $1', [u.id]))[0]!.t).getTime();
    const t0 = await seen();
    advance(30_000);
    expect((await get('/api/v1/auth/me', s)).statusCode).toBe(200);
    expect(await seen()).toBe(t0); // within the minute: no write
    advance(29 * MIN);
    expect((await get('/api/v1/auth/me', s)).statusCode).toBe(200);
    expect(await seen()).toBeGreaterThan(t0);
    advance(29 * MIN);
    expect((await get('/api/v1/auth/me', s)).statusCode).toBe(200);
    advance(30 * MIN);
    const r = await get('/api/v1/households', s);
    expect(r.statusCode).toBe(401);
    expect(r.json().error.zh).toMatch(/超过 30 分钟未操作/);
    expect(r.headers['set-cookie']).toMatch(/jz_session=;/);
    expect(await sessionCount(u.id)).toBe(0);
  });

  it('ends a session 12 hours after login however busy', async () => {
    const u = await user('absolute');
    const s = await login(u.username);
    for (let elapsed = 0; elapsed < 12 * 60 * MIN - 25 * MIN; elapsed += 25 * MIN) {
      advance(25 * MIN);
      expect((await get('/api/v1/auth/me', s)).statusCode).toBe(200);
    }
    advance(25 * MIN);
    const r = await get('/api/v1/auth/me', s);
    expect(r.statusCode).toBe(401);
    expect(r.json().error.en).toMatch(/12-hour limit/);
    expect(await sessionCount(u.id)).toBe(0);
  });

  it('logout everywhere ends every session of the account and only that account', async () => {
    const u = await user('everywhere');
    const other = await user('bystander');
    const a = await login(u.username);
    const b = await login(u.username);
    const c = await login(other.username);
    const r = await post('/api/v1/auth/logout-all', a);
    expect(r.json()).toEqual({ ok: true, sessionsEnded: 2 });
    expect((await get('/api/v1/auth/me', a)).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', b)).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', c)).statusCode).toBe(200);
    expect(await auditActions(u.id)).toContain('logout_all');
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout-all' })).statusCode).toBe(401);
  });
});

describe('TOTP second factor', () => {
  const codeAt = (secret: string, ms = now()) => totp(base32Decode(secret)!, ms);
  /** A code that is not valid at `ms` (nor one step either side). */
  const wrongCode = (secret: string, ms = now()) => {
    const valid = new Set([-1, 0, 1].map((d) => codeAt(secret, ms + d * 30_000)));
    for (let n = 0; ; n++) {
      const c = String(n).padStart(6, '0');
      if (!valid.has(c)) return c;
    }
  };

  it('enrols, needs the code at login (no replay), counts wrong codes, and disables with a code', async () => {
    const u = await user('totp');
    const s = await login(u.username);
    expect((await get('/api/v1/auth/me', s)).json().security).toEqual({ mustChangePassword: false, totpEnabled: false, totpAvailable: true });

    // Confirm before enrolling: refused with a field reason.
    expect((await post('/api/v1/auth/totp/confirm', s, { code: '123456' })).json().error.issues[0].field).toBe('code');
    const enrol = await post('/api/v1/auth/totp/enrol', s, { currentPassword: PASSWORD });
    expect(enrol.statusCode, enrol.body).toBe(200);
    const { secret, uri } = enrol.json() as { secret: string; uri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(`otpauth://totp/Jingzhun%3A${u.username}?secret=${secret}&issuer=Jingzhun&algorithm=SHA1&digits=6&period=30`);
    const stored = await account(u.id);
    expect(stored.totp_enabled).toBe(false);
    expect(stored.totp_secret).toMatch(/^v1\./);
    expect(stored.totp_secret).not.toContain(secret);
    // Not in force until confirmed: the password alone still logs in.
    await login(u.username);

    const bad = await post('/api/v1/auth/totp/confirm', s, { code: wrongCode(secret) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ field: 'code' });
    expect((await account(u.id)).totp_enabled).toBe(false);
    expect((await post('/api/v1/auth/totp/confirm', s, {})).json().error.issues[0].field).toBe('code');
    const ok = await post('/api/v1/auth/totp/confirm', s, { code: codeAt(secret) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await account(u.id)).totp_enabled).toBe(true);
    expect((await post('/api/v1/auth/totp/enrol', s, { currentPassword: PASSWORD })).statusCode).toBe(409);

    // Step one: the password alone opens nothing.
    const sessionsBefore = await sessionCount(u.id);
    const step1 = await loginRes(u.username);
    expect(step1.statusCode).toBe(200);
    expect(step1.json()).toEqual({ needTotp: true });
    expect(step1.cookies.find((c) => c.name === 'jz_session')).toBeUndefined();
    expect(await sessionCount(u.id)).toBe(sessionsBefore);
    // The code used to confirm cannot be used again in the same step.
    const replay = await loginRes(u.username, PASSWORD, codeAt(secret));
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.zh).toMatch(/动态验证码不正确或已用过/);
    // A wrong password with a right code is still a wrong password.
    advance(30_000);
    expect((await loginRes(u.username, 'Wrong#Passw0rd', codeAt(secret))).json().error.zh).toBe('用户名或密码错误');
    expect((await loginRes(u.username, PASSWORD, wrongCode(secret))).statusCode).toBe(401);
    // the wrong confirmation code, the replay, the wrong password, the wrong code
    expect((await account(u.id)).failed_logins).toBe(4);
    const s2 = await login(u.username, PASSWORD, codeAt(secret));
    expect((await account(u.id)).failed_logins).toBe(0);
    expect((await get('/api/v1/auth/me', s2)).json().security.totpEnabled).toBe(true);

    // Disable: a wrong code changes nothing; a fresh right one turns it off.
    advance(30_000);
    expect((await post('/api/v1/auth/totp/disable', s2, { currentPassword: PASSWORD, code: wrongCode(secret) })).statusCode).toBe(400);
    expect((await account(u.id)).totp_enabled).toBe(true);
    const off = await post('/api/v1/auth/totp/disable', s2, { currentPassword: PASSWORD, code: codeAt(secret) });
    expect(off.statusCode, off.body).toBe(200);
    const gone = await account(u.id);
    expect(gone).toMatchObject({ totp_enabled: false, totp_secret: null });
    await login(u.username);
    expect(await auditActions(u.id)).toEqual(expect.arrayContaining(['totp_enrol', 'totp_enable', 'totp_disable']));
  });

  it('five wrong codes lock the account like wrong passwords', async () => {
    const u = await user('totplock');
    const s = await login(u.username);
    const { secret } = (await post('/api/v1/auth/totp/enrol', s, { currentPassword: PASSWORD })).json() as { secret: string };
    await post('/api/v1/auth/totp/confirm', s, { code: codeAt(secret) });
    for (let i = 0; i < 4; i++) expect((await loginRes(u.username, PASSWORD, wrongCode(secret))).statusCode).toBe(401);
    expect((await loginRes(u.username, PASSWORD, wrongCode(secret))).statusCode).toBe(423);
    advance(30_000);
    expect((await loginRes(u.username, PASSWORD, codeAt(secret))).statusCode).toBe(423);
    advance(5 * MIN);
  });

  it('only city administrators and county offices may enrol', async () => {
    const u = await user('totpcadre', 'village_cadre', area.villageCodes[0]);
    const s = await login(u.username);
    const r = await post('/api/v1/auth/totp/enrol', s, { currentPassword: PASSWORD });
    expect(r.statusCode).toBe(403);
    expect((await account(u.id)).totp_secret).toBeNull();
    expect((await get('/api/v1/auth/me', s)).json().security.totpAvailable).toBe(false);
  });
});

describe('bad login input', () => {
  it('answers field reasons and writes nothing', async () => {
    const u = await user('badinput');
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['password']);
    const long = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: PASSWORD, totp: '1'.repeat(40) } });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.issues[0].field).toBe('totp');
    expect((await account(u.id)).failed_logins).toBe(0);
    expect(await auditActions(u.id)).toEqual(['create']);
  });
});

// ---------------------------------------------------------------- review fixes (issue 7 hardening)

describe('lockout under parallel attempts', () => {
  it('20 parallel wrong passwords: exactly 4 answers 401, then 423; the count stops at 5', async () => {
    const u = await user('race');
    const all = await Promise.all(Array.from({ length: 20 }, () => loginRes(u.username, 'Wrong#Passw0rd')));
    const codes = all.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(4);
    expect(codes.filter((c) => c === 423)).toHaveLength(16);
    const a = await account(u.id);
    expect(a.failed_logins).toBe(5);
    expect(new Date(a.locked_until!).getTime()).toBeGreaterThan(now());
    const actions = await auditActions(u.id);
    expect(actions.filter((x) => x === 'login_failed')).toHaveLength(5);
    expect(actions.filter((x) => x === 'lockout')).toHaveLength(1);
    advance(5 * MIN + 1000);
  });

  it('20 parallel wrong current passwords on a password change: at most 4 before 423', async () => {
    const u = await user('racepw');
    const s = await login(u.username);
    const all = await Promise.all(Array.from({ length: 20 }, () => post('/api/v1/auth/password', s, { currentPassword: 'Wrong#Passw0rd', newPassword: NEW_PASSWORD })));
    const codes = all.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 400)).toHaveLength(4);
    expect(codes.filter((c) => c === 423)).toHaveLength(16);
    expect((await account(u.id)).failed_logins).toBe(5);
    advance(5 * MIN + 1000);
  });
});

describe('an unknown username answers like a known one', () => {
  it('same statuses and bodies, lock included, after the same failures; no account is created', async () => {
    const known = await user('known');
    const unknown = `nosuch${area.countyCode}`;
    const frozen = new Date(now());
    const before = accountRuntime.now;
    accountRuntime.now = () => frozen; // both locks end at the same shown minute
    try {
      const run = async (name: string) => {
        const out: { status: number; body: unknown }[] = [];
        for (let i = 0; i < 7; i++) {
          const r = await loginRes(name, 'Wrong#Passw0rd');
          out.push({ status: r.statusCode, body: r.json() });
        }
        const right = await loginRes(name, PASSWORD); // the known account's right password, while locked
        out.push({ status: right.statusCode, body: right.json() });
        return out;
      };
      const a = await run(known.username);
      const b = await run(unknown);
      expect(a.map((x) => x.status)).toEqual([401, 401, 401, 401, 423, 423, 423, 423]);
      expect(b).toEqual(a);
      // the name in other case is the same unknown name
      expect((await loginRes(unknown.toUpperCase(), 'Wrong#Passw0rd')).json()).toEqual(a[7]!.body);
    } finally {
      accountRuntime.now = before;
    }
    expect(await db.query('SELECT 1 FROM users WHERE lower(username) = lower($1)', [unknown])).toHaveLength(0);
    advance(5 * MIN + 1000);
    expect((await loginRes(unknown, 'Wrong#Passw0rd')).statusCode).toBe(401);
  });

  it('takes about as long (the delay and one argon2 check each)', async () => {
    resetUnknownLoginCounts();
    const known = await user('timed');
    accountRuntime.failDelayMs = 150;
    try {
      const time = async (name: string) => {
        const t0 = performance.now();
        for (let i = 0; i < 3; i++) expect((await loginRes(name, 'Wrong#Passw0rd')).statusCode).toBe(401);
        return (performance.now() - t0) / 3;
      };
      await time(`warmup${area.countyCode}`);
      const a = await time(known.username);
      const b = await time(`nosuchtimed${area.countyCode}`);
      expect(a).toBeGreaterThanOrEqual(150);
      expect(b).toBeGreaterThanOrEqual(150);
      expect(Math.abs(a - b)).toBeLessThan(Math.max(a, b) * 0.6);
    } finally {
      accountRuntime.failDelayMs = 0;
    }
  });

  it('the audit keeps no typed text of an unknown name (it may be a password typed into the wrong box)', async () => {
    const typed = `Secret#Pass${area.countyCode}`;
    expect((await loginRes(typed, 'Wrong#Passw0rd')).statusCode).toBe(401);
    const rows = await db.query<{ t: string }>(`SELECT a::text AS t FROM audit_log a WHERE note = 'unknown username' AND after->>'nameHash' = $1`, [maskedLoginName(typed).hash]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.t).not.toContain(typed);
    expect(rows[0]!.t).not.toContain(typed.slice(1, 8));
    expect(rows[0]!.t).toContain('S***');
    expect((await db.query(`SELECT 1 FROM audit_log a WHERE a::text LIKE $1`, [`%${typed}%`]))).toHaveLength(0);
  });
});

describe('usernames ignore case', () => {
  it("creating 'Name' when 'name' exists is a 409 in Chinese and English; login in any case finds the account", async () => {
    const admin = await user('caseadm');
    const cookie = await login(admin.username);
    const lower = `casey${area.countyCode}`;
    const made = await post('/api/v1/users', cookie, { username: lower, password: PASSWORD, role: 'researcher', areaCode: area.countyCode });
    expect(made.statusCode, made.body).toBe(201);
    const clash = await post('/api/v1/users', cookie, { username: `Casey${area.countyCode}`, password: PASSWORD, role: 'researcher', areaCode: area.countyCode });
    expect(clash.statusCode).toBe(409);
    const err = clash.json().error;
    expect(Object.keys(err).slice(0, 3)).toEqual(['code', 'zh', 'en']);
    expect(err.zh).toBe(`用户名 Casey${area.countyCode} 与已有的 ${lower} 只有大小写不同；用户名不区分大小写，请换一个用户名`);
    expect(err.en).toMatch(/differs from the existing .* only in letter case; usernames ignore case, so choose another/);
    expect(await db.query('SELECT 1 FROM users WHERE lower(username) = $1', [lower])).toHaveLength(1);
    // concurrent creations of one name in different case: one lands
    const both = await Promise.allSettled([`Twin${area.countyCode}`, `tWIN${area.countyCode}`].map((username) =>
      createUser({ actor: systemActor('test'), db }, { username, role: 'researcher', areaCode: area.countyCode, password: PASSWORD })));
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    // login with another case opens the account's own session
    const r = await loginRes(lower.toUpperCase());
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().user.username).toBe(lower);
    expect((await loginRes(lower.toUpperCase(), 'Wrong#Passw0rd')).statusCode).toBe(401);
    const [row] = await db.query<{ failed_logins: number }>('SELECT failed_logins FROM users WHERE username = $1', [lower]);
    expect(row!.failed_logins).toBe(1);
  });
});

describe('the second factor needs the current password', () => {
  const codeAt = (secret: string, ms = now()) => totp(base32Decode(secret)!, ms);
  const wrongCode = (secret: string, ms = now()) => {
    const valid = new Set([-1, 0, 1].map((d) => codeAt(secret, ms + d * 30_000)));
    for (let n = 0; ; n++) {
      const c = String(n).padStart(6, '0');
      if (!valid.has(c)) return c;
    }
  };

  it('enrol without or with a wrong password is refused and counted; disable needs password and code', async () => {
    const u = await user('totppw');
    const s = await login(u.username);
    const none = await post('/api/v1/auth/totp/enrol', s, {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error.issues[0].field).toBe('currentPassword');
    const wrong = await post('/api/v1/auth/totp/enrol', s, { currentPassword: 'Wrong#Passw0rd' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.issues[0]).toMatchObject({ field: 'currentPassword', zh: '原密码不正确', en: 'The current password is wrong' });
    expect(await account(u.id)).toMatchObject({ totp_secret: null, failed_logins: 1 });
    const { secret } = (await post('/api/v1/auth/totp/enrol', s, { currentPassword: PASSWORD })).json() as { secret: string };
    expect((await account(u.id)).failed_logins).toBe(1); // a right password gives its attempt back
    expect((await post('/api/v1/auth/totp/confirm', s, { code: codeAt(secret) })).statusCode).toBe(200);
    advance(30_000);
    // disable: a right code with a wrong password, then a right password with a wrong code, both counted
    const noPw = await post('/api/v1/auth/totp/disable', s, { code: codeAt(secret) });
    expect(noPw.statusCode).toBe(400);
    const badPw = await post('/api/v1/auth/totp/disable', s, { currentPassword: 'Wrong#Passw0rd', code: codeAt(secret) });
    expect(badPw.statusCode).toBe(400);
    expect(badPw.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['currentPassword']);
    const badCode = await post('/api/v1/auth/totp/disable', s, { currentPassword: PASSWORD, code: wrongCode(secret) });
    expect(badCode.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['code']);
    expect(await account(u.id)).toMatchObject({ totp_enabled: true, failed_logins: 3 });
    // two more wrong answers lock the account: disable and login both answer 423
    await post('/api/v1/auth/totp/disable', s, { currentPassword: PASSWORD, code: wrongCode(secret) });
    const fifth = await post('/api/v1/auth/totp/disable', s, { currentPassword: 'Wrong#Passw0rd', code: codeAt(secret) });
    expect(fifth.statusCode).toBe(423);
    expect((await post('/api/v1/auth/totp/disable', s, { currentPassword: PASSWORD, code: codeAt(secret) })).statusCode).toBe(423);
    expect((await loginRes(u.username, PASSWORD, codeAt(secret))).statusCode).toBe(423);
    expect((await account(u.id)).totp_enabled).toBe(true);
    advance(5 * MIN + 1000);
    const off = await post('/api/v1/auth/totp/disable', s, { currentPassword: PASSWORD, code: codeAt(secret) });
    expect(off.statusCode, off.body).toBe(200);
    expect(await account(u.id)).toMatchObject({ totp_enabled: false, totp_secret: null });
  });

  it('five wrong confirmation codes lock the account', async () => {
    const u = await user('totpconf');
    const s = await login(u.username);
    const { secret } = (await post('/api/v1/auth/totp/enrol', s, { currentPassword: PASSWORD })).json() as { secret: string };
    for (let i = 0; i < 4; i++) expect((await post('/api/v1/auth/totp/confirm', s, { code: wrongCode(secret) })).statusCode).toBe(400);
    expect((await post('/api/v1/auth/totp/confirm', s, { code: wrongCode(secret) })).statusCode).toBe(423);
    expect((await post('/api/v1/auth/totp/confirm', s, { code: codeAt(secret) })).statusCode).toBe(423);
    expect((await loginRes(u.username)).statusCode).toBe(423);
    advance(5 * MIN + 1000);
  });
});

describe('a password change re-issues the session', () => {
  it('new cookie, the old token and every other session end', async () => {
    const u = await user('reissue');
    const s1 = await login(u.username);
    const s2 = await login(u.username);
    const r = await post('/api/v1/auth/password', s1, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ ok: true, otherSessionsEnded: 1 });
    const c = r.cookies.find((x) => x.name === 'jz_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Strict');
    const s3 = `jz_session=${c.value}`;
    expect(s3).not.toBe(s1);
    expect((await get('/api/v1/auth/me', s1)).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', s2)).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', s3)).statusCode).toBe(200);
    expect(await sessionCount(u.id)).toBe(1);
    expect((await post('/api/v1/auth/password', s1, { currentPassword: NEW_PASSWORD, newPassword: PASSWORD })).statusCode).toBe(401);
  });
});

describe('the Secure flag of the session cookie (JINGZHUN_COOKIE_SECURE, JINGZHUN_TRUST_PROXY)', () => {
  const secureOf = async (env: string | undefined, trustProxy: boolean, headers: Record<string, string>) => {
    const saved = process.env.JINGZHUN_COOKIE_SECURE;
    if (env === undefined) delete process.env.JINGZHUN_COOKIE_SECURE;
    else process.env.JINGZHUN_COOKIE_SECURE = env;
    try {
      const own = await buildApp({ db, webDir: false, trustProxy, rateLimits: { loginPerIp: 0, loginPerUser: 0, global: 0 } });
      try {
        const u = await user(`sec${Math.random().toString(36).slice(2, 8)}`);
        const r = await own.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: { username: u.username, password: PASSWORD } });
        expect(r.statusCode, r.body).toBe(200);
        const c = r.cookies.find((x) => x.name === 'jz_session')!;
        // the re-issued cookie of a password change follows the same rule
        const p = await own.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { ...headers, cookie: `jz_session=${c.value}` }, payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
        expect(p.statusCode, p.body).toBe(200);
        const c2 = p.cookies.find((x) => x.name === 'jz_session')!;
        expect(!!c2.secure).toBe(!!c.secure);
        return !!c.secure;
      } finally {
        await own.close();
      }
    } finally {
      if (saved === undefined) delete process.env.JINGZHUN_COOKIE_SECURE;
      else process.env.JINGZHUN_COOKIE_SECURE = saved;
    }
  };
  const https = { 'x-forwarded-proto': 'https' };

  it('auto: Secure when a trusted proxy says https, not over plain http nor on an untrusted header', async () => {
    expect(await secureOf(undefined, false, {})).toBe(false);
    expect(await secureOf(undefined, false, https)).toBe(false);
    expect(await secureOf(undefined, true, https)).toBe(true);
    expect(await secureOf('auto', true, https)).toBe(true);
    expect(await secureOf('auto', true, {})).toBe(false);
  });

  it('always and never override; another value stops the start with a message', async () => {
    expect(await secureOf('always', false, {})).toBe(true);
    expect(await secureOf('never', true, https)).toBe(false);
    process.env.JINGZHUN_COOKIE_SECURE = 'yes';
    try {
      await expect(buildApp({ db, webDir: false })).rejects.toThrow(/JINGZHUN_COOKIE_SECURE="yes" 无效.*auto.*always.*never/s);
    } finally {
      delete process.env.JINGZHUN_COOKIE_SECURE;
    }
  });
});
