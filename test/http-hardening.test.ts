// HTTP hardening (issue 7): security headers and CSP, the cross-origin refusal (CSRF), no CORS,
// rate limits with Retry-After, size limits with 413, no internals in 500s, health and readiness
// probes, the request log without personal data, and a graceful shutdown of the real server.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { loggerOptions } from '../src/http/logging.js';
import { cspDirectives, resolveLimits, DEFAULT_LIMITS } from '../src/http/security.js';
import { createUser } from '../src/services/users.js';
import { stopServing } from '../src/http/server.js';
import { startMonitoringScheduler } from '../src/jobs/scheduler.js';
import { systemActor } from '../src/services/context.js';
import { testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
const PASSWORD = 'Hard#ening2020x';
let user: string;
let cookie: string;

async function login(a: ZodApp, username: string): Promise<string> {
  const res = await a.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  return `jz_session=${res.cookies.find((c) => c.name === 'jz_session')!.value}`;
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db });
  area = await makeArea(db);
  user = `hard${area.countyCode}`;
  await createUser({ actor: systemActor('test'), db }, { username: user, role: 'county_office', areaCode: area.countyCode, password: PASSWORD });
  cookie = await login(app, user);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('security headers', () => {
  it('sends CSP, nosniff, frame and referrer rules on pages and API answers; no HSTS over http', async () => {
    for (const url of ['/', '/api/v1/codes', '/api/v1/households']) {
      const res = await app.inject({ url, headers: { cookie } });
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    // The exact policy, so a change to it is a visible change to this test.
    expect((await app.inject('/')).headers['content-security-policy']).toBe(
      "default-src 'self';base-uri 'self';connect-src 'self';font-src 'self' data:;form-action 'self';frame-ancestors 'none';" +
      "img-src 'self' data: blob:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';worker-src 'self' blob:",
    );
  });

  it('adds HSTS and upgrade-insecure-requests when served over https', async () => {
    const https = await buildApp({ db, webDir: false, https: true });
    try {
      const res = await https.inject('/healthz');
      expect(res.headers['strict-transport-security']).toBe('max-age=15552000');
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(Object.keys(cspDirectives(true))).toContain('upgrade-insecure-requests');
    } finally {
      await https.close();
    }
  });
});

describe('cross-origin requests (CSRF) and CORS', () => {
  const post = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie, ...headers }, payload: {} });

  it('refuses an unsafe request from another origin with 403 in both languages, before any work', async () => {
    for (const headers of [
      { origin: 'https://evil.example' } as Record<string, string>,
      { origin: 'http://localhost:8080' }, // another port is another origin
      { origin: 'null' },
      { referer: 'https://evil.example/page' },
    ]) {
      const res = await post(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error.zh).toMatch(/跨站/);
      expect(res.json().error.en).toMatch(/Cross-site/);
      expect(res.headers['content-security-policy']).toBeDefined();
    }
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const res = await app.inject({ method, url: '/api/v1/households/1', headers: { cookie, origin: 'https://evil.example' }, payload: {} });
      expect(res.statusCode).toBe(403);
    }
    // Logout from another site does not end the session either.
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, origin: 'https://evil.example' } });
    expect(out.statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200);
  });

  it('lets same-origin requests, requests without Origin or Referer, and safe methods through', async () => {
    // app.inject sends Host: localhost:80; validation (400), not the origin check, answers.
    for (const headers of [{ origin: 'http://localhost' } as Record<string, string>, { origin: 'http://localhost:80' }, { referer: 'http://localhost/households' }, {}]) {
      const res = await post(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    const read = await app.inject({ url: '/api/v1/codes', headers: { origin: 'https://evil.example' } });
    expect(read.statusCode).toBe(200);
  });

  it('sends no CORS headers: a cross-origin preflight or read gets no Access-Control-Allow-Origin', async () => {
    const pre = await app.inject({
      method: 'OPTIONS', url: '/api/v1/households',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.statusCode).toBeGreaterThanOrEqual(400);
    const read = await app.inject({ url: '/api/v1/households', headers: { cookie, origin: 'https://evil.example' } });
    for (const res of [pre, read]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('rate limits', () => {
  it('defaults, environment and options: options win, 0 turns a limit off, off turns all off', () => {
    expect(resolveLimits({}, {})).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({ loginPerUser: 3 }, { JINGZHUN_RATE_LOGIN_USER: '5', JINGZHUN_RATE_IMPORTS: '0' })).toMatchObject({ loginPerUser: 3, importsPerUser: 0 });
    expect(resolveLimits({}, { JINGZHUN_RATE_LIMITS: 'off' })).toMatchObject({ loginPerIp: 0, loginPerUser: 0, importsPerUser: 0, global: 0 });
    expect(() => resolveLimits({}, { JINGZHUN_RATE_GLOBAL: 'lots' })).toThrow(/JINGZHUN_RATE_GLOBAL/);
  });

  it('login: 429 with Retry-After after the per-username limit, then after the per-IP limit', async () => {
    const own = await buildApp({ db, webDir: false });
    try {
      // Attempts count before the body is validated or a password hashed: an empty password is a
      // cheap attempt (400) that still counts.
      const attempt = (username: string) => own.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: '' } });
      const victim = `victim${area.countyCode}`;
      for (let i = 0; i < DEFAULT_LIMITS.loginPerUser; i++) expect((await attempt(victim)).statusCode).toBe(400);
      const limited = await attempt(victim);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.json().error).toMatchObject({ code: 'rate_limited' });
      expect(limited.json().error.zh).toMatch(/登录尝试过于频繁，请 \d+ 秒后再试/);
      expect(limited.json().error.en).toMatch(/Too many login attempts; try again in \d+ s/);
      // The same name in other case or with spaces is the same counter.
      expect((await attempt(` ${victim.toUpperCase()} `)).statusCode).toBe(429);
      // Other usernames from the same IP go on until the IP's own limit (every attempt counts there).
      let fromIp = DEFAULT_LIMITS.loginPerUser + 2;
      for (let i = 0; fromIp < DEFAULT_LIMITS.loginPerIp; i++, fromIp++) {
        expect((await attempt(`other${i % 5}${area.countyCode}`)).statusCode).toBe(400);
      }
      const byIp = await attempt(`fresh${area.countyCode}`);
      expect(byIp.statusCode).toBe(429);
      expect(byIp.headers['retry-after']).toBeDefined();
    } finally {
      await own.close();
    }
  });

  it('imports: 429 with Retry-After after the per-user limit', async () => {
    const own = await buildApp({ db, webDir: false, rateLimits: { importsPerUser: 2 } });
    try {
      const c = await login(own, user);
      const post = (cookieHeader: string) => own.inject({ method: 'POST', url: '/api/v1/imports?dryRun=true', headers: { cookie: cookieHeader } });
      expect((await post(c)).statusCode).not.toBe(429);
      expect((await post(c)).statusCode).not.toBe(429);
      const res = await post(c);
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.json().error.zh).toMatch(/导入过于频繁/);
      // Without a session the key is the IP, a different counter: 401, not 429.
      expect((await own.inject({ method: 'POST', url: '/api/v1/imports' })).statusCode).toBe(401);
    } finally {
      await own.close();
    }
  });

  it('the global limit counts per user, spares assets and probes, and can be configured', async () => {
    const own = await buildApp({ db, webDir: false, rateLimits: { global: 3 } });
    try {
      const c = await login(own, user); // 1 from this IP without a session
      for (let i = 0; i < 2; i++) expect((await own.inject('/api/v1/codes')).statusCode).toBe(200);
      const res = await own.inject('/api/v1/codes');
      expect(res.statusCode).toBe(429);
      expect(res.json().error.en).toMatch(/Too many requests/);
      expect(res.headers['retry-after']).toBeDefined();
      // The signed-in user has a counter of their own.
      for (let i = 0; i < 3; i++) expect((await own.inject({ url: '/api/v1/codes', headers: { cookie: c } })).statusCode).toBe(200);
      expect((await own.inject({ url: '/api/v1/codes', headers: { cookie: c } })).statusCode).toBe(429);
      for (let i = 0; i < 5; i++) {
        expect((await own.inject('/healthz')).statusCode).toBe(200);
        expect((await own.inject('/readyz')).statusCode).toBe(200);
      }
    } finally {
      await own.close();
    }
  });
});

describe('size limits', () => {
  it('413 with the limit in both languages for a JSON body over 1 MB', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/households', headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ household: { note: 'x'.repeat(1_100_000) } }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toEqual({
      code: 'body_too_large', zh: '请求内容太大（上限 1 MB）', en: 'The request body is too large (limit 1 MB)',
    });
  });

  it('413 for an upload over the file limit', async () => {
    const own = await buildApp({ db, webDir: false, maxUpload: 1024 });
    try {
      const c = await login(own, user);
      const boundary = '----jzboundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`),
        Buffer.alloc(4096, 'a'),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await own.inject({
        method: 'POST', url: '/api/v1/imports?dryRun=true', payload: body,
        headers: { cookie: c, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('file_too_large');
      expect(res.json().error.zh).toContain('上限 1 KB');
      expect(res.json().error.en).toContain('limit 1 KB');
    } finally {
      await own.close();
    }
  });
});

describe('errors and logs', () => {
  it('an unexpected error answers a fixed text: no message, stack, SQL or values; the log keeps the error without the row', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const own = await buildApp({ db, webDir: false, logger: { ...loggerOptions(), stream } });
    // A route added by the test to this instance only: production code has no route that throws.
    // Outside /api/v1/, so it runs without a session (http/auth.ts) and the anonymous request reaches it.
    own.get('/test-only/boom', async () => {
      throw Object.assign(new Error('duplicate key value violates unique constraint "members_id_number_key"'), {
        code: '23505', detail: 'Key (id_number)=(150524197003150011) already exists.', where: 'SQL statement "INSERT INTO members …"',
      });
    });
    own.get('/test-only/lib4xx', async () => {
      throw Object.assign(new Error('relation "members" column id_number = 150524197003150011'), { statusCode: 400 });
    });
    try {
      const res = await own.inject({ url: '/test-only/boom?idNumber=150524197003150011&name=巴特尔', headers: { cookie: 'jz_session=not-a-session', authorization: 'Bearer secret-token' } });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        error: { code: 'internal', zh: '服务器内部错误，已记录；请稍后重试或联系管理员', en: 'Internal error, logged; try again later or contact the administrator' },
      });
      expect(res.body).not.toMatch(/stack|duplicate|members|150524197003150011|at /);
      const lib = await own.inject('/test-only/lib4xx');
      expect(lib.statusCode).toBe(400);
      expect(lib.body).not.toMatch(/members|150524197003150011/);
      // Logs: the error (message and stack, not the driver's detail) and one line per request with
      // method, route pattern, status, ms and user id; no URL query, cookie, header or body.
      await own.inject({ method: 'POST', url: '/api/v1/households', headers: { cookie }, payload: { members: [{ name: '巴特尔', idNumber: '150524197003150011', phone: '13800000000' }] } });
      const all = lines.join('');
      expect(all).toContain('unhandled error');
      expect(all).toContain('duplicate key value');
      expect(all).not.toContain('150524197003150011');
      expect(all).not.toContain('巴特尔');
      expect(all).not.toContain('13800000000');
      expect(all).not.toContain('not-a-session');
      expect(all).not.toContain('secret-token');
      expect(all).not.toContain(cookie.split('=')[1]);
      const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      expect(requests).toHaveLength(3);
      expect(requests[0]).toMatchObject({ method: 'GET', route: '/test-only/boom', status: 500, user: null });
      expect(typeof requests[0].ms).toBe('number');
      expect(requests[2]).toMatchObject({ method: 'POST', route: '/api/v1/households', status: 400 });
      expect(requests[2].user).toEqual(expect.any(Number));
      expect(requests[2]).not.toHaveProperty('username');
    } finally {
      await own.close();
    }
  });
});

describe('404 answers', () => {
  it('name the path but never echo the query string (it may hold an ID number or a name)', async () => {
    const res = await app.inject({ url: '/api/v1/no-such-thing?idNumber=150524197003150011&name=%E5%B7%B4%E7%89%B9%E5%B0%94', headers: { cookie } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({
      code: 'not_found', zh: '没有这个地址：GET /api/v1/no-such-thing', en: 'No such route: GET /api/v1/no-such-thing',
    });
    expect(res.body).not.toContain('150524197003150011');
    expect(res.body).not.toContain('idNumber');
  });
});

describe('health and readiness', () => {
  it('/healthz and /readyz answer without a session and are in OpenAPI', async () => {
    const h = await app.inject('/healthz');
    expect(h.statusCode).toBe(200);
    expect(h.json()).toMatchObject({ status: 'ok' });
    const r = await app.inject('/readyz');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ status: 'ready', database: 'ok', migrations: 'ok' });
    const spec = (await app.inject('/api/openapi.json')).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
  });

  it('/readyz is 503 with the reason when the database does not answer or migrations are pending', async () => {
    const down = { engine: 'postgres', query: async () => { throw new Error('connect ECONNREFUSED 10.0.0.5:5432'); } } as unknown as Db;
    const pending = {
      engine: 'postgres',
      query: async (sql: string) => {
        if (sql.includes('SELECT 1')) return [{ ok: 1 }];
        return [{ n: 2, last: 1 }];
      },
    } as unknown as Db;
    for (const [fake, migrations] of [[down, 'unknown'], [pending, 'pending']] as const) {
      const own = await buildApp({ db: fake, webDir: false });
      try {
        const res = await own.inject('/readyz');
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ status: 'unavailable', migrations });
        expect(res.json().reason.zh).toBeTruthy();
        expect(res.body).not.toContain('10.0.0.5');
        expect((await own.inject('/healthz')).statusCode).toBe(200);
      } finally {
        await own.close();
      }
    }
  });
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('graceful shutdown', () => {
  it('stops listening at once, even while the monitoring scan is still finishing its county', async () => {
    const own = await buildApp({ db, webDir: false });
    await own.listen({ port: 0, host: '127.0.0.1' });
    const port = (own.server.address() as AddressInfo).port;
    const scheduler = startMonitoringScheduler(db, { schedule: { kind: 'off' }, log: () => {} });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const refused = () => new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => (s.destroy(), r(false)));
      s.on('error', () => r(true));
    });
    // A transaction holding households keeps the scan waiting inside its first county query.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const holder = db.transaction(async (tx) => {
      await tx.query('LOCK TABLE households IN ACCESS EXCLUSIVE MODE');
      held();
      await gate;
    });
    await holding;
    try {
      const scan = scheduler.runNow();
      await sleep(200);
      expect(scheduler.running()).toBe(true);
      expect(await refused()).toBe(false);
      const stopping = stopServing(own, scheduler);
      await sleep(500);
      expect(scheduler.running()).toBe(true); // the scan still waits…
      expect(await refused()).toBe(true); // …and the port no longer accepts connections
      release();
      await holder;
      await stopping;
      await scan;
      expect(scheduler.running()).toBe(false);
    } finally {
      release();
      await holder.catch(() => {});
      await own.close().catch(() => {});
    }
  }, 60_000);


  it('on SIGTERM stops accepting, finishes the request in flight, closes the database and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jz-shutdown-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/jingzhun.js', 'serve', '--no-demo', '--port', String(port), '--host', '127.0.0.1'], {
      env: { ...process.env, JINGZHUN_DATA_DIR: dir, JINGZHUN_MONITOR_SCAN: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
        child.stdout.on('data', () => out.includes('running') && (clearTimeout(t), resolve()));
        void exited.then((code) => reject(new Error(`server exited ${code}:\n${out}`)));
      });
      // A request in flight: its body arrives in two parts, SIGTERM in between.
      const body = JSON.stringify({ username: 'nobody-at-all', password: 'Wrong#Password1' });
      const half = Math.floor(body.length / 2);
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.write(body.slice(0, half));
        setTimeout(() => {
          child.kill('SIGTERM');
          setTimeout(async () => {
            // Meanwhile the port no longer accepts connections…
            const refused = await new Promise<boolean>((r) => {
              const s = connect(port, '127.0.0.1');
              s.on('connect', () => (s.destroy(), r(false)));
              s.on('error', () => r(true));
            });
            expect(refused).toBe(true);
            // …and the request in flight gets the rest of its body and its answer.
            req.end(body.slice(half));
          }, 700);
        }, 500);
      });
      const res = await answer;
      // An unknown user: the database was still open to look it up and audit the attempt.
      expect(res.status, res.body).toBe(401);
      expect(JSON.parse(res.body).error.zh).toBeTruthy();
      expect(await exited).toBe(0);
      expect(out).toContain('shutting down');
      if (!process.env.DATABASE_URL) expect(existsSync(join(dir, 'pgdata.lock'))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
