// Issue 7's load proof, short: mixed read/write traffic from area-scoped accounts through the real
// HTTP server under autocannon (bench/load-harness.ts), then every acknowledged write looked up in
// the database. PostgreSQL (DATABASE_URL): 200 connections for 15 s; PGlite (one connection,
// queries in turn): 20 connections for 8 s. Only this file's own synthetic county is counted, so it
// runs beside the other files on a shared database. No timing is asserted (figures: npm run bench:load).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { openPostgres, type Db } from '../src/db/client.js';
import { seedRegister } from '../src/services/seed.js';
import { engineName, testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';
import { prepareLoad, runLoad, WRITE_KINDS, type LoadPlan, type LoadResult } from '../bench/load-harness.js';
import { reportLines, verifyLoad, type Verification } from '../bench/load-check.js';

const PG = engineName === 'postgres';
const CONNECTIONS = PG ? 200 : 20;
const SECONDS = PG ? 15 : 8;

let db: Db;
/** The server's own pool on PostgreSQL, sized as `jingzhun serve` sizes it (10). */
let serverDb: Db | undefined;
let app: ZodApp;
let area: TestArea;
let plan: LoadPlan;
let result: LoadResult;
let verification: Verification;

beforeAll(async () => {
  db = await testDb();
  area = await makeArea(db);
  await seedRegister(db, { people: PG ? 3000 : 800, seed: 77, countyCode: area.countyCode });
  serverDb = PG ? await openPostgres(process.env.DATABASE_URL!, { max: 10 }) : undefined;
  // Rate limits off: a few accounts on many connections would be answered 429 (bench/server.ts does the same).
  app = await buildApp({ db: serverDb ?? db, webDir: false, rateLimits: { loginPerIp: 0, loginPerUser: 0, importsPerUser: 0, global: 0 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  plan = await prepareLoad({ db, base, countyCode: area.countyCode, villages: 2, poolSize: CONNECTIONS * 2 });
  // A 30 s client timeout (autocannon's default is 10 s): CI runs other files beside this one, and a
  // slow answer is a figure for the bench, not a failure here; a request that hangs still fails.
  result = await runLoad(plan, { connections: CONNECTIONS, seconds: SECONDS, timeoutSeconds: 30 });
  verification = await verifyLoad(plan, result);
  console.log(reportLines(`[load ${engineName}]`, result, verification).join('\n'));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await serverDb?.close();
  await db?.close();
});

describe(`load: ${CONNECTIONS} connections × ${SECONDS} s of mixed traffic (${engineName})`, () => {
  it('answers every request with 2xx: no socket error, no timeout, no refusal', () => {
    expect(result.requests).toBeGreaterThan(0);
    expect(result.failures, JSON.stringify(result.failures.slice(0, 5))).toEqual([]);
    expect(result.non2xx).toBe(0);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
  });

  it('ran reads and every kind of write, from village, township and county accounts', () => {
    expect(new Set(plan.actors.map((a) => a.role))).toEqual(new Set(['village_cadre', 'township_reviewer', 'county_office']));
    for (const k of ['list', 'detail', 'overview', 'indicators'] as const) expect(result.byKind[k].ok, k).toBeGreaterThan(0);
    for (const k of WRITE_KINDS) expect(verification.acknowledged[k], k).toBeGreaterThan(0);
  });

  it('finds every acknowledged write in the database with its marker, version and audit row', () => {
    expect(verification.problems).toEqual([]);
    expect(verification.verified).toEqual(verification.acknowledged);
  });

  it('the check fails on a write that is not there (a visit id nobody wrote, a wrong marker)', async () => {
    const visit = result.inserted.find((w) => w.kind === 'visit')!;
    const tampered: LoadResult = {
      ...result,
      inserted: [...result.inserted.filter((w) => w !== visit), { ...visit, marker: `${visit.marker} (changed)` }, { kind: 'create', id: 9_000_000_000_000, marker: 'LD-none' }],
    };
    const v = await verifyLoad(plan, tampered);
    expect(v.problems).toEqual(expect.arrayContaining([
      expect.stringContaining(`visit ${visit.id}: findings`),
      expect.stringContaining('new household 9000000000000: missing'),
    ]));
    expect(v.verified.visit).toBe(verification.verified.visit - 1);
  });
});
