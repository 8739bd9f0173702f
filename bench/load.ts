// `npm run bench:load`: issue 7's load test on PostgreSQL. The real server (`jingzhun serve` in its
// own process) on a seeded county, area-scoped accounts logged in over HTTP, then autocannon with
// mixed traffic (~70 % reads: household list with filters, household file, overview, indicators;
// ~30 % writes: visits, yearly income records, household updates, new households), every
// acknowledged write checked in the database afterwards (bench/load-harness.ts). The baseline, in
// the same process against the same server: autocannon on GET /healthz with the same connections.
//
// Environment: DATABASE_URL (else a fresh database jingzhun_load_<timestamp> on BENCH_PG_URL or
// postgres://postgres@127.0.0.1:5432, dropped afterwards unless LOAD_KEEP=1), LOAD_CONNECTIONS
// (200), LOAD_SECONDS (60), LOAD_BASELINE_SECONDS (10), LOAD_PEOPLE (30000), LOAD_COUNTY (150524
// 库伦旗), LOAD_REPLACE=1 to re-seed a county that already has households, LOAD_MIX (see below). Rate limits are off
// for the run (JINGZHUN_RATE_LIMITS=off): a few accounts on 200 connections would get 429.
// Exit code 1 when any request failed or any acknowledged write is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgres, type Db } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { loadAreasFile } from '../src/services/areas.js';
import { TONGLIAO_AREAS } from '../src/services/demo.js';
import { seedRegister } from '../src/services/seed.js';
import { PG_ADMIN_URL, fmt, timed } from './engines.js';
import { freePort } from './server.js';
import { DEFAULT_MIX, KINDS, prepareLoad, runBaseline, runLoad, type Kind } from './load-harness.js';
import { reportLines, verifyLoad } from './load-check.js';

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const BASELINE_SECONDS = Number(process.env.LOAD_BASELINE_SECONDS ?? 10);
const PEOPLE = Number(process.env.LOAD_PEOPLE ?? 30_000);
const COUNTY = process.env.LOAD_COUNTY ?? '150524';
const TAG = '[load postgres]';
/** LOAD_MIX="list=30,detail=25,…": the share of each kind (kinds left out get 0); default DEFAULT_MIX. */
const MIX = process.env.LOAD_MIX ? parseMix(process.env.LOAD_MIX) : undefined;

function parseMix(s: string): Record<Kind, number> {
  const mix = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  for (const part of s.split(',')) {
    const [k, v] = part.split('=');
    if (!KINDS.includes(k as Kind) || !(Number(v) >= 0)) throw new Error(`LOAD_MIX: "${part}" is not kind=share; kinds: ${KINDS.join(', ')}`);
    mix[k as Kind] = Number(v);
  }
  return mix;
}

const say = (line: string) => console.log(line);

async function database(): Promise<{ url: string; drop?: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  const name = `jingzhun_load_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      // Without FORCE first: terminating a connection whose pool is still closing made that pool emit
      // an unhandled error (57P01) and the bench exit 1 after a passing run.
      for (let i = 0; ; i++) {
        try {
          await a.query(`DROP DATABASE IF EXISTS ${name}${i < 20 ? '' : ' WITH (FORCE)'}`);
          break;
        } catch (e) {
          if (i >= 20) throw e;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      await a.end();
    },
  };
}

async function seed(db: Db): Promise<void> {
  await migrate(db);
  const [areas] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM areas');
  if (!areas?.n) await loadAreasFile(db, TONGLIAO_AREAS);
  const [have] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM households WHERE county_code = $1', [COUNTY]);
  if (have?.n && process.env.LOAD_REPLACE !== '1') {
    throw new Error(`county ${COUNTY} already has ${have.n} households; LOAD_REPLACE=1 re-seeds it (the new households' ID numbers of an earlier run would collide)`);
  }
  const s = await timed(() => seedRegister(db, { people: PEOPLE, seed: 2014, countyCode: COUNTY, replace: process.env.LOAD_REPLACE === '1' }));
  const [name] = await db.query<{ name: string }>('SELECT name FROM areas WHERE code = $1', [COUNTY]);
  say(`${TAG} seeded ${COUNTY} ${name?.name ?? ''}: ${fmt(s.value.households, 0)} households, ${fmt(s.value.members, 0)} people (with assistance data) in ${fmt(s.seconds)} s`);
}

/** `jingzhun serve` in its own process (so autocannon does not share its event loop), log to a file. */
async function startServer(url: string, port: number, logFile: string): Promise<ChildProcess> {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['bin/jingzhun.js', 'serve', '--no-demo', '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...process.env, DATABASE_URL: url, JINGZHUN_RATE_LIMITS: 'off', JINGZHUN_MONITOR_SCAN: 'off' },
    stdio: ['ignore', fd, fd],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready in 5 min:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

async function main(): Promise<number> {
  say(`# jingzhun load test — ${new Date().toISOString()}, node ${process.version}`);
  const where = await database();
  const db = await openPostgres(where.url, { max: 4 });
  const dir = mkdtempSync(join(tmpdir(), 'jz-load-'));
  let child: ChildProcess | undefined;
  let failed = true;
  try {
    say(`${TAG} database ${where.url.replace(/\/\/[^@]*@/, '//')}${where.drop ? ' (fresh, dropped afterwards unless LOAD_KEEP=1)' : ' (DATABASE_URL)'}`);
    await seed(db);
    const port = await freePort();
    const log = join(dir, 'server.log');
    child = await startServer(where.url, port, log);
    const base = `http://127.0.0.1:${port}`;
    say(`${TAG} server: jingzhun serve (own process, pool of 10 connections, request log on) at ${base}; JINGZHUN_RATE_LIMITS=off for the run`);
    const plan = await prepareLoad({ db, base, countyCode: COUNTY, villages: 12, poolSize: Math.max(400, CONNECTIONS * 4) });
    const roles = plan.actors.reduce<Record<string, number>>((m, a) => ({ ...m, [a.role]: (m[a.role] ?? 0) + 1 }), {});
    say(`${TAG} accounts logged in over HTTP: ${Object.entries(roles).map(([r, n]) => `${n} ${r}`).join(', ')}; ${fmt(plan.pool.length, 0)} households in the update pool of ${fmt(plan.households, 0)}`);
    const baseline = await runBaseline(base, CONNECTIONS, BASELINE_SECONDS);
    say(`${TAG} mix (% of requests): ${KINDS.map((k) => `${k} ${(MIX ?? DEFAULT_MIX)[k]}`).join(', ')}`);
    const result = await runLoad(plan, { connections: CONNECTIONS, seconds: SECONDS, mix: MIX });
    // Writes still in flight when autocannon stopped finish on the server; they are not counted as acknowledged.
    await new Promise((r) => setTimeout(r, 1000));
    const verification = await verifyLoad(plan, result);
    for (const l of reportLines(TAG, result, verification, baseline, BASELINE_SECONDS)) say(l);
    failed = result.non2xx + result.errors > 0 || verification.problems.length > 0;
    say(`${TAG} ${failed ? 'FAILED' : 'passed'}: error rate 0 and every acknowledged write present ${failed ? 'did not hold' : 'held'}`);
  } finally {
    if (child) await stopServer(child);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    if (where.drop && process.env.LOAD_KEEP !== '1') await where.drop();
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
