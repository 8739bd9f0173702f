// `npm start` as a user runs it: time to first start with the demo, RSS after restart, and
// household list/get latency under 50 connections (autocannon) on each engine. The baseline is
// the same query run as hand-written SQL in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { chromium } from 'playwright-core';
import { fmt } from './engines.js';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function peakMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

export async function start(env: NodeJS.ProcessEnv, port: number): Promise<{ child: ChildProcess; seconds: number }> {
  const t = Date.now();
  // The scheduled monitoring scan stays off so it cannot land inside a timed run; rate limits are off
  // because the load generator is one user on many connections (issue 7's limits would answer 429).
  const child = spawn(process.execPath, ['bin/jingzhun.js', 'serve', '--port', String(port)], { env: { JINGZHUN_MONITOR_SCAN: 'off', JINGZHUN_RATE_LIMITS: 'off', ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 15 min:\n${out}`)), 900_000);
    const check = () => {
      if (out.includes('http://')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
  return { child, seconds: (Date.now() - t) / 1000 };
}

export async function stop(child: ChildProcess) {
  const done = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await done;
}

export async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'Jingzhun#2020' }) });
  const cookie = res.headers.get('set-cookie');
  if (!res.ok || !cookie) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0]!;
}

export async function load(url: string, cookie: string, requests?: autocannon.Request[]) {
  const r = await autocannon({ url, connections: 50, duration: 10, headers: { cookie }, requests });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Time from navigation to first meaningful render in headless Chromium, with a fresh browser
 * context (empty cache) each time: the overview until its figures show, the register with a
 * filter until its first row shows. Median of 3.
 */
async function firstRender(base: string, cookie: string, path: string, selector: string): Promise<number> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
      const [name, value] = cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: base }]);
      const page = await context.newPage();
      const t = Date.now();
      await page.goto(base + path);
      await page.locator(selector).first().waitFor({ state: 'visible', timeout: 60_000 });
      times.push(Date.now() - t);
      await context.close();
    }
    return times.sort((a, b) => a - b)[1]!;
  } finally {
    await browser.close();
  }
}

export async function benchServer(engine: 'pglite' | 'postgres', databaseUrl?: string): Promise<string[]> {
  const lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'jz-bench-serve-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { JINGZHUN_DATA_DIR: dir, PORT: String(port), DATABASE_URL: databaseUrl ?? '' };
  if (!databaseUrl) delete env.DATABASE_URL;
  try {
    const first = await start(env, port);
    lines.push(`[${engine}] npm start, first start with the 225,000-person demo: ${fmt(first.seconds)} s, peak RSS ${fmt(peakMb(first.child.pid!), 0)} MB`);
    await stop(first.child);
    const again = await start(env, port);
    const base = `http://127.0.0.1:${port}`;
    await new Promise((r) => setTimeout(r, 1000));
    lines.push(`[${engine}] npm start, restart on the loaded demo: ${fmt(again.seconds)} s, RSS ${fmt(rssMb(again.child.pid!), 0)} MB (target ≤ 600 MB)`);
    const cookie = await login(base, 'kulun');
    const list = await (await fetch(`${base}/api/v1/households?pageSize=20`, { headers: { cookie } })).json() as { items: { id: number }[]; total: number };
    const ids = list.items.map((i) => i.id);
    const l = await load(`${base}/api/v1/households?pageSize=20&page=3`, cookie);
    lines.push(`[${engine}] GET /households (county office, ${list.total} households, page 3): p50 ${l.p50} ms, p99 ${l.p99} ms, ${fmt(l.rps, 0)} req/s, errors ${l.errors} (target p99 ≤ 50 ms on PostgreSQL)`);
    const f = await load(`${base}/api/v1/households?pageSize=20&status=1&cause=01`, cookie);
    lines.push(`[${engine}] GET /households filtered (status 1, cause 因病): p50 ${f.p50} ms, p99 ${f.p99} ms, ${fmt(f.rps, 0)} req/s, errors ${f.errors}`);
    let i = 0;
    const g = await load(`${base}/api/v1/households/${ids[0]}`, cookie, [{ setupRequest: (req) => ({ ...req, path: `/api/v1/households/${ids[i++ % ids.length]}` }) }]);
    lines.push(`[${engine}] GET /households/:id: p50 ${g.p50} ms, p99 ${g.p99} ms, ${fmt(g.rps, 0)} req/s, errors ${g.errors}`);
    if (existsSync(CHROMIUM)) {
      for (const [who, c] of [['county office 库伦旗', cookie], ['city administrator', await login(base, 'city')]] as const) {
        const o = await firstRender(base, c, '/', '[data-testid="stat-people"]');
        const r = await firstRender(base, c, '/register?status=1&cause=01', '[data-testid="register-table"] tbody tr.ant-table-row');
        lines.push(`[${engine}] first render in headless Chromium, ${who}: overview ${o} ms, register filtered (exited, cause 因病) ${r} ms (target ≤ 2,000 ms; median of 3, empty cache)`);
      }
    } else lines.push(`[${engine}] first render: ${CHROMIUM} missing, skipped`);
    lines.push(`[${engine}] RSS after load: ${fmt(rssMb(again.child.pid!), 0)} MB`);
    await stop(again.child);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
