// Issue 7, accounts: lockout with a growing delay, forced change of initial passwords, idle and
// absolute session expiry, logout everywhere, and the TOTP second factor (RFC 6238), through the
// API on a real database. The clock is injected (accountRuntime.now), so nothing here waits.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createUser } from '../src/services/users.js';
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
const now = () => Date.now() + offset;

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
    const [row] = await db.query<{ note: string }>(`SELECT note FROM audit_log WHERE action = 'login_failed' AND actor_name = $1`, [ghost]);
    expect(row?.note).toBe('unknown username');
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
    expect((await get('/api/v1/households', s1)).statusCode).toBe(200);
    expect((await get('/api/v1/auth/me', s1)).json().security.mustChangePassword).toBe(false);
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
    const enrol = await post('/api/v1/auth/totp/enrol', s);
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
    expect((await post('/api/v1/auth/totp/enrol', s)).statusCode).toBe(409);

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
    expect((await account(u.id)).failed_logins).toBe(3);
    const s2 = await login(u.username, PASSWORD, codeAt(secret));
    expect((await account(u.id)).failed_logins).toBe(0);
    expect((await get('/api/v1/auth/me', s2)).json().security.totpEnabled).toBe(true);

    // Disable: a wrong code changes nothing; a fresh right one turns it off.
    advance(30_000);
    expect((await post('/api/v1/auth/totp/disable', s2, { code: wrongCode(secret) })).statusCode).toBe(400);
    expect((await account(u.id)).totp_enabled).toBe(true);
    const off = await post('/api/v1/auth/totp/disable', s2, { code: codeAt(secret) });
    expect(off.statusCode, off.body).toBe(200);
    const gone = await account(u.id);
    expect(gone).toMatchObject({ totp_enabled: false, totp_secret: null });
    await login(u.username);
    expect(await auditActions(u.id)).toEqual(expect.arrayContaining(['totp_enrol', 'totp_enable', 'totp_disable']));
  });

  it('five wrong codes lock the account like wrong passwords', async () => {
    const u = await user('totplock');
    const s = await login(u.username);
    const { secret } = (await post('/api/v1/auth/totp/enrol', s)).json() as { secret: string };
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
    const r = await post('/api/v1/auth/totp/enrol', s);
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
