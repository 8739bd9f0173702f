// Issue 7 (reliability): imports, batch approvals and rollup refreshes are atomic. A child process
// (test/support/crash-child.ts) runs the real service on a database this test owns and is killed
// with SIGKILL at seeded-random moments; after each kill the database is reopened (PGlite: stale
// lock of the dead pid, crash recovery from the WAL; PostgreSQL: once the server has dropped the
// dead client's backend) and the watched tables must be exactly as before (row counts and md5 of
// every row) or exactly as after one complete run, never in between. Kills follow each other on
// the same database while it stays unchanged; a rerun then completes with the complete result.
// CRASH_SEED=n repeats a run (the seed also picks the county and drives the synthetic register);
// CRASH_PEOPLE sizes it; CRASH_AT=import:ms,ms… pins the kill points of one series;
// CRASH_DEBUG=1 prints each round's timings.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPglite, openPostgres, type Db } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { loadAreasFile } from '../src/services/areas.js';
import { addDays, localDay } from '../src/domain/workflows/index.js';
import type { Actor, Ctx } from '../src/services/context.js';
import { importHouseholds } from '../src/services/imports/households.js';
import { actOnCases, addAttachment, openCase } from '../src/services/cases/index.js';
import {
  contentRows, contentSnapshot, countsOf, diffOf, crashHouseholds, crashVillages, exactSnapshot, parseMarkers, sameSnapshot, synthCounty, templateCsv,
  WATCHED, type Marker, type Snapshot,
} from './support/crash.js';
import type { ChildJob } from './support/crash-child.js';

const SEED = Number(process.env.CRASH_SEED ?? randomInt(1, 2 ** 31 - 1));
const PEOPLE = Number(process.env.CRASH_PEOPLE ?? 10_000);
const YEARS = 1;
const CASES = 40;
const IMPORT_KILLS = 5;
const SHORT_KILLS = 2;
const url = process.env.DATABASE_URL;
const engine = url ? 'postgres' : 'pglite';
const work = resolve('.tmp', `crash-${process.pid}`);
const log = (s: string) => console.log(`[crash ${engine} seed ${SEED}] ${s}`);

/** mulberry32: the kill points follow from the seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);

// ------------------------------------------------------------------ databases this test owns

/** A database of this test: a PGlite data dir or a PostgreSQL database on DATABASE_URL's server. */
interface Store {
  name: string;
  open(): Promise<Db>;
  target(): Pick<ChildJob, 'dataDir' | 'url'>;
  /** Copy of this (closed) store: the data dir copied, or CREATE DATABASE … TEMPLATE. */
  clone(name: string): Promise<Store>;
  drop(): Promise<void>;
  /** After the child died: its lock is left behind (PGlite) / its backend is gone (PostgreSQL). */
  afterKill(child: { pid: number; markers: Marker[] }): Promise<void>;
}

function pgliteStore(name: string): Store {
  const dir = join(work, name, 'pgdata');
  return {
    name,
    open: () => openPglite({ dataDir: dir }),
    target: () => ({ dataDir: dir }),
    async clone(n) {
      cpSync(join(work, name), join(work, n), { recursive: true });
      rmSync(`${join(work, n, 'pgdata')}.lock`, { force: true });
      return pgliteStore(n);
    },
    async drop() {
      rmSync(join(work, name), { recursive: true, force: true });
    },
    async afterKill(child) {
      // The dead child's lock is still there; opening must see that its pid is dead and take it.
      if (child.markers.some((m) => m.tag === 'opened') && !child.markers.some((m) => m.tag === 'closed')) {
        expect(existsSync(`${dir}.lock`), 'the killed child left its lock file').toBe(true);
        expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(child.pid));
      }
    },
  };
}

let admin: Db | undefined;
const dbNames: string[] = [];
function pgUrl(db: string): string {
  const u = new URL(url!);
  u.pathname = `/${db}`;
  u.searchParams.set('application_name', db);
  return u.toString();
}

function pgStore(name: string): Store {
  const db = `jz_crash_${process.pid}_${name}`;
  if (!dbNames.includes(db)) dbNames.push(db);
  return {
    name,
    open: () => openPostgres(pgUrl(db), { max: 2 }),
    target: () => ({ url: pgUrl(db) }),
    async clone(n) {
      await gone(db);
      const s = pgStore(n);
      await admin!.query(`CREATE DATABASE jz_crash_${process.pid}_${n} TEMPLATE ${db}`);
      return s;
    },
    async drop() {
      // Our own closed pools' backends first (FORCE would otherwise hit a client still closing).
      await gone(db);
      await admin!.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    },
    async afterKill() {
      // The server aborts the dead client's transaction when it notices the closed socket (at the
      // end of a running statement at the latest); until its backend is gone a sent COMMIT could
      // still land, so the state is read only after that.
      await gone(db);
    },
  };
}

/** Waits until no backend of ours (application_name = the database's name) is connected to `db`. */
async function gone(db: string): Promise<void> {
  for (let i = 0; ; i++) {
    const [r] = await admin!.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [db]);
    if (!r!.n) return;
    if (i > 600) throw new Error(`a backend of ${db} is still there after 60 s`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function newStore(name: string): Promise<Store> {
  if (url) {
    const s = pgStore(name);
    await admin!.query(`CREATE DATABASE jz_crash_${process.pid}_${name}`);
    const db = await s.open();
    await migrate(db);
    await loadAreasFile(db, resolve('data/areas-tongliao.csv'));
    await db.close();
    return s;
  }
  const s = pgliteStore(name);
  mkdirSync(join(work, name), { recursive: true });
  const db = await openPglite({ dataDir: join(work, name, 'pgdata'), loadDataDir: new Blob([readFileSync(inject('templatePath'))]) });
  await db.close();
  return s;
}

async function withDb<T>(s: Store, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await s.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

// ------------------------------------------------------------------ the child

interface Run {
  pid: number;
  markers: Marker[];
  code: number | null;
  signal: string | null;
  stderr: string;
  /** Parent's ms from the child's `start` marker to the kill (undefined: not killed). */
  killedAfter?: number;
}

/**
 * Runs the child on `store`. With `killAt`, SIGKILL that many ms after the child prints `start`;
 * with `killOn`, at the first marker it accepts; with `killWhen`, once it resolves true (polled).
 */
function runChild(store: Store, job: Omit<ChildJob, 'dataDir' | 'url'>, o: { killAt?: number; killOn?: (m: Marker) => boolean; killWhen?: () => Promise<boolean> } = {}): Promise<Run> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [resolve('bin/run-ts.js'), resolve('test/support/crash-child.ts'), JSON.stringify({ ...job, ...store.target() })], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let started = 0;
    let killed = false;
    const run: Run = { pid: child.pid!, markers: [], code: null, signal: null, stderr: '' };
    const kill = () => {
      if (killed) return;
      killed = true;
      run.killedAfter = started ? Math.round(performance.now() - started) : -1;
      child.kill('SIGKILL');
    };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const m of parseMarkers(lines.join('\n'))) {
        run.markers.push(m);
        if (m.tag === 'start') {
          started = performance.now();
          if (o.killAt !== undefined) setTimeout(kill, o.killAt);
          if (o.killWhen) {
            const poll = async () => {
              if (killed) return;
              if (await o.killWhen!().catch(() => false)) kill();
              else setTimeout(poll, 2);
            };
            void poll();
          }
        }
        if (o.killOn?.(m)) kill();
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', rej);
    // 'exit' after the kernel reaped it: its pid is dead (not a zombie) from here on.
    child.on('close', (code, signal) => {
      run.code = code;
      run.signal = signal;
      run.stderr = err;
      res(run);
    });
  });
}

const doneOf = (r: Run) => r.markers.find((m) => m.tag === 'done');

function expectCompleted(r: Run): Record<string, unknown> {
  const done = doneOf(r);
  expect(done, `child did not finish: exit ${r.code} ${r.signal}\n${r.stderr.slice(-2000)}`).toBeDefined();
  expect(r.code).toBe(0);
  return JSON.parse(done!.detail) as Record<string, unknown>;
}

// ------------------------------------------------------------------ one series of kills

interface SeriesReport {
  name: string;
  windowMs: number;
  /** What one undisturbed run leaves (content snapshot). */
  reference: Snapshot;
  kills: { after: number; last: string; outcome: 'unchanged' | 'complete'; midTransaction: boolean }[];
}

/**
 * Times one complete run on a copy of `pristine` (the reference result), then kills the child at
 * `points` (fractions of the timed window) and at the given triggers, on a copy that is reused
 * while it stays unchanged; every outcome is exactly `before` or exactly the reference; a final
 * rerun completes with the reference.
 */
async function killSeries(
  name: string, pristine: Store, job: Omit<ChildJob, 'dataDir' | 'url'>,
  o: {
    points: number;
    /** Extra kills: on a marker, or when a condition (polled) holds. */
    triggers?: { label: string; killOn?: (m: Marker) => boolean; killWhen?: (s: Store) => () => Promise<boolean> }[];
    /** Markers showing the run is inside its transaction. */
    inTransaction: (r: Run) => boolean;
    checkResult: (result: Record<string, unknown>) => void;
  },
): Promise<SeriesReport> {
  const before = pristineExact;
  const timing = await pristine.clone(`${name}_timing`);
  const t = await runChild(timing, job);
  o.checkResult(expectCompleted(t));
  const ms = (tag: string) => t.markers.find((m) => m.tag === tag)!.ms;
  const windowMs = ms('done') - ms('start');
  const reference = await withDb(timing, contentSnapshot);
  expect(sameSnapshot(reference, pristineContent), `${name} changed something`).toBe(false);
  log(`${name}: one complete run ${windowMs} ms from start to commit (${t.markers.map((m) => `${m.tag}${m.tag === 'write' ? ` ${m.detail}` : ''}@${m.ms}`).join(' → ')}); after it: ${countsOf(reference)}`);

  const report: SeriesReport = { name, windowMs, reference, kills: [] };
  type Plan = { label: string; fraction?: number; killAt?: number; killOn?: (m: Marker) => boolean; killWhen?: (s: Store) => () => Promise<boolean>; tries?: number };
  const plans: Plan[] = [];
  // One point in each of `points` equal slices of the window, in random order.
  for (let i = 0; i < o.points; i++) plans.push({ label: 'timed', fraction: (i + random()) / o.points });
  // CRASH_AT=name:ms,ms… replaces the random points of one series (to chase a failure).
  const pinned = process.env.CRASH_AT?.startsWith(`${name}:`) ? process.env.CRASH_AT.slice(name.length + 1).split(',').map(Number) : undefined;
  if (pinned) plans.splice(0, plans.length, ...pinned.map((killAt) => ({ label: 'pinned', killAt })));
  for (let i = plans.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plans[i], plans[j]] = [plans[j]!, plans[i]!];
  }
  plans.push(...(o.triggers ?? []));

  let n = 0;
  let window = windowMs;
  let store = await pristine.clone(`${name}_${n}`);
  for (let k = 0; k < plans.length; k++) {
    const p = plans[k]!;
    const killAt = p.killAt ?? (p.fraction === undefined ? undefined : Math.round(p.fraction * window));
    const tr = performance.now();
    const r = await runChild(store, job, { killAt, killOn: p.killOn, killWhen: p.killWhen?.(store) });
    const tk = performance.now();
    const killed = r.signal === 'SIGKILL';
    await store.afterKill(r);
    const mid = killed && o.inTransaction(r) && !doneOf(r);
    const last = r.markers.at(-1)?.tag ?? 'none';
    const [exact, content] = await withDb(store, async (db) => {
      const e = await exactSnapshot(db);
      return [e, sameSnapshot(e, before) ? pristineContent : await contentSnapshot(db)] as const;
    });
    const unchanged = sameSnapshot(exact, before);
    const complete = sameSnapshot(content, reference);
    if (process.env.CRASH_DEBUG) log(`round: child ${Math.round(tk - tr)} ms, reopen and snapshots ${Math.round(performance.now() - tk)} ms`);
    const line = `${name}: ${killed ? 'kill' : 'no kill (finished first)'} ${p.label}${killAt === undefined ? '' : ` at ${killAt} ms`} (${killed ? `${r.killedAfter} ms after start, ` : ''}last marker ${last}${mid ? ', inside the transaction' : ''})`;
    log(`${line} → ${unchanged ? 'unchanged' : complete ? 'complete' : `IN BETWEEN: differs from before in ${diffOf(before, exact)}; from complete in ${diffOf(reference, content)}`}`);
    // A timer that fired after the child had finished kills nothing: then it must have finished cleanly.
    if (!killed) expect([r.code, last], `${line}: ${r.stderr.slice(-2000)}`).toEqual([0, 'closed']);
    if (!unchanged && !complete) {
      // Show the rows that differ from the complete run's.
      for (const tb of WATCHED) {
        if (content[tb]!.md5 === reference[tb]!.md5) continue;
        const mine = new Set(await withDb(store, (db) => contentRows(db, tb)));
        const theirs = new Set(await withDb(timing, (db) => contentRows(db, tb)));
        log(`${tb}: only here ${[...mine].filter((x) => !theirs.has(x)).slice(0, 3).join('\n')}\n only in the complete run ${[...theirs].filter((x) => !mine.has(x)).slice(0, 3).join('\n')}`);
      }
    }
    expect(unchanged || complete, `${line}: neither unchanged (${countsOf(before)}) nor complete (${countsOf(reference)}), found ${countsOf(exact)}`).toBe(true);
    // What the markers prove: nothing before its transaction began; a reported commit is kept.
    if (!o.inTransaction(r)) expect(unchanged, `${line}: changed before its transaction began`).toBe(true);
    if (doneOf(r)) expect(complete, `${line}: a committed run was lost`).toBe(true);
    if (killed) report.kills.push({ after: r.killedAfter ?? -1, last, outcome: unchanged ? 'unchanged' : 'complete', midTransaction: mid });
    else if (p.fraction !== undefined && (p.tries ?? 0) < 3) {
      // This run was quicker than the timed one (a loaded machine varies): the point is tried
      // again on a window a little shorter than this run's.
      window = Math.round(Math.min(window, doneOf(r)!.ms - r.markers.find((m) => m.tag === 'start')!.ms) * 0.9);
      plans.splice(k + 1, 0, { ...p, tries: (p.tries ?? 0) + 1 });
    }
    if (complete) {
      // Landed after the commit: the next kill starts again from the pristine copy.
      await store.drop();
      store = await pristine.clone(`${name}_${++n}`);
    }
  }
  // The rerun after the kills completes with the same result as the undisturbed run.
  const rerun = await runChild(store, job);
  o.checkResult(expectCompleted(rerun));
  expect(sameSnapshot(await withDb(store, contentSnapshot), reference), `${name}: the rerun after the kills gives the complete result`).toBe(true);
  await store.drop();
  await timing.drop();
  return report;
}

// ------------------------------------------------------------------ the register

let pristine: Store;
let pristineExact: Snapshot;
let pristineContent: Snapshot;
let caseIds: number[] = [];
let announcement = 0;
let countyActor: Actor;
let importFile = '';
let expected = { households: 0, members: 0, years: 0 };
const t0 = performance.now();

beforeAll(async () => {
  log(`seed ${SEED} (CRASH_SEED=${SEED} repeats this run), ${PEOPLE} people`);
  mkdirSync(work, { recursive: true });
  if (url) admin = await openPostgres(url, { max: 2 });
  pristine = await newStore('pristine');
  await withDb(pristine, async (db) => {
    // A county of the seed (these databases are the test's own, so no other test's county is there).
    const cityCode = `15${60 + (SEED % 40)}`;
    const area = { cityCode, countyCode: `${cityCode}${String(1 + ((SEED >>> 8) % 99)).padStart(2, '0')}`, townshipCode: '' };
    area.townshipCode = `${area.countyCode}001`;
    const villages = crashVillages(area.townshipCode, 6);
    await db.query(`INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES ($1, '测试市', 2, '15', NULL, true)`, [cityCode]);
    await db.query(
      `INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES ($1::text, '测试旗' || $1::text, 3, $2::text, $1::text, true),
        ($3::text, '测试苏木', 4, $1::text, $1::text, true)`,
      [area.countyCode, cityCode, area.townshipCode],
    );
    for (const [i, v] of villages.entries()) {
      await db.query(`INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES ($1, $2, 5, $3, $4, true)`,
        [v, `崩溃测试${i + 1}嘎查`, area.townshipCode, area.countyCode]);
    }
    const all = crashHouseholds(synthCounty(area.countyCode, villages), SEED, PEOPLE);
    // The register before: two in five of the households with older values (so the big import
    // creates some and updates the others), then the file with all of them and their last yearly record.
    const older = all.filter((_, i) => i % 5 < 2);
    importFile = join(work, 'register.csv');
    const big = templateCsv(all, { years: YEARS });
    writeFileSync(importFile, big);
    countyActor = { id: null, username: 'crash-county', role: 'county_office', areaCode: area.countyCode };
    const ctx: Ctx = { db, actor: countyActor };
    const base = await importHouseholds(ctx, { fileName: 'older.csv', data: templateCsv(older, { years: YEARS, tweak: true }) });
    expect(base.status, JSON.stringify(base.issues.slice(0, 5))).toBe('imported');
    const members = all.reduce((s, b) => s + b.members.length, 0);
    expected = { households: all.length, members, years: all.reduce((s, b) => s + Math.min(YEARS, b.years.length), 0) };
    log(`file: ${all.length} households, ${members} people, ${big.length >> 10} KiB; register before: ${base.households.created} households`);

    // Identification cases at county approval, for the batch: households of the fullest village.
    const [busiest] = await db.query<{ v: string }>(
      `SELECT village_code AS v FROM households WHERE county_code = $1 GROUP BY village_code ORDER BY count(*) DESC, village_code LIMIT 1`, [area.countyCode],
    );
    const cadre: Actor = { id: null, username: 'crash-cadre', role: 'village_cadre', areaCode: busiest!.v };
    const township: Actor = { id: null, username: 'crash-township', role: 'township_reviewer', areaCode: area.townshipCode };
    const ids = await db.query<{ id: number }>(`SELECT id FROM households WHERE village_code = $1 ORDER BY id LIMIT ${CASES}`, [busiest!.v]);
    expect(ids.length).toBe(CASES);
    const today = localDay(new Date());
    const day = (d: number) => new Date(Date.parse(`${addDays(today, -d)}T02:00:00Z`));
    for (const h of ids) caseIds.push((await openCase({ db, actor: cadre }, { workflow: 'identification', householdId: h.id, year: 2020, now: day(70) })).id);
    const steps: [Actor, string, number, string | null, Record<string, unknown>][] = [
      [cadre, 'apply', 60, 'application', {}],
      [cadre, 'village_review_pass', 59, 'meeting_minutes', { meetingDate: addDays(today, -59), opinion: '评议通过' }],
      [cadre, 'village_notice_close', 45, 'notice_photo', {}],
      [township, 'township_review_pass', 44, null, { opinion: '同意' }],
      [township, 'township_notice_close', 30, 'notice_photo', {}],
    ];
    for (const [actor, action, d, kind, input] of steps) {
      const att = kind ? [(await addAttachment({ db, actor }, { caseId: caseIds[0]!, kind, filename: `${kind}.pdf`, mime: 'application/pdf', bytes: Buffer.from(kind) })).id] : [];
      const r = await actOnCases({ db, actor }, { caseIds, action, input, attachmentIds: att, now: day(d) });
      expect(r.count).toBe(CASES);
    }
    announcement = (await addAttachment({ db, actor: countyActor }, { caseId: caseIds[0]!, kind: 'announcement', filename: 'announcement.pdf', mime: 'application/pdf', bytes: Buffer.from('公告') })).id;
    pristineExact = await exactSnapshot(db);
    pristineContent = await contentSnapshot(db);
  });
  log(`set-up ${Math.round(performance.now() - t0)} ms (database, synthetic county, the older register, ${CASES} cases at county approval)`);
});

afterAll(async () => {
  if (url && admin) {
    for (const db of dbNames) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => {});
    await admin.close();
  }
  rmSync(work, { recursive: true, force: true });
  log(`total ${Math.round((performance.now() - t0) / 1000)} s`);
});

/** PostgreSQL: the child's backend holds a transaction id, i.e. it has written inside its transaction. */
const pgWriting = (s: Store) => async () => {
  const db = (s.target().url ?? '').match(/\/(jz_crash_[^?]+)/)?.[1];
  const [r] = await admin!.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND backend_xid IS NOT NULL AND state <> 'idle'`, [db],
  );
  return r!.n > 0;
};

describe(`SIGKILL at random points (${engine})`, () => {
  it('a large household import is all or nothing', { timeout: 240_000 }, async () => {
    const inTx = (r: Run) => r.markers.some((m) => m.tag === 'check' || m.tag === 'write');
    const report = await killSeries('import', pristine, { mode: 'import', file: importFile, actor: countyActor }, {
      points: IMPORT_KILLS,
      // Certainly inside the transaction: members staged, households not yet written.
      triggers: [{ label: 'on write 2/10', killOn: (m) => m.tag === 'write' && m.detail === '2/10' }],
      inTransaction: inTx,
      checkResult: (r) => {
        expect(r.status, JSON.stringify(r.issues)).toBe('imported');
        const h = r.households as { created: number; updated: number; unchanged: number };
        const m = r.members as { created: number; updated: number; deleted: number };
        expect(h.created + h.updated + h.unchanged).toBe(expected.households);
        expect(m.created + m.updated).toBeLessThanOrEqual(expected.members);
        expect(h.created).toBeGreaterThan(0);
        expect((r.years as { upserted: number }).upserted).toBe(expected.years);
      },
    });
    const mid = report.kills.filter((k) => k.midTransaction).length;
    log(`import: ${report.kills.length} kills, ${mid} inside the transaction, outcomes ${report.kills.map((k) => `${k.after} ms ${k.outcome}`).join(', ')}`);
    expect(mid).toBeGreaterThanOrEqual(1);
    expect(report.kills.length).toBeGreaterThanOrEqual(IMPORT_KILLS);

    // The checks are not blind: a register with part of a change (ten households' group renamed,
    // inside one transaction that also writes its audit row) is neither unchanged nor complete.
    const half = await pristine.clone('import_half');
    await withDb(half, async (db) => {
      await db.transaction(async (tx) => {
        await tx.query(`UPDATE households SET group_name = '半组' WHERE id IN (SELECT id FROM households ORDER BY id LIMIT 10)`);
        await tx.query(`INSERT INTO audit_log (actor_name, action, entity, note) VALUES ('crash-test', 'update', 'households', 'half')`);
      });
      const e = await exactSnapshot(db);
      expect(sameSnapshot(e, pristineExact)).toBe(false);
      expect(sameSnapshot(await contentSnapshot(db), report.reference)).toBe(false);
      const h = pristineExact.households!.n;
      const a = pristineExact.audit_log!.n;
      expect(diffOf(pristineExact, e)).toBe(`households ${h}→${h}, audit_log ${a}→${a + 1}, audit_chain 1→1`);
    });
    await half.drop();
  });

  it('a batch approval of cases is all or nothing', { timeout: 120_000 }, async () => {
    const report = await killSeries('batch', pristine, {
      mode: 'batch', caseIds, action: 'county_approve', input: { opinion: '批准' }, attachmentIds: [announcement], actor: countyActor,
    }, {
      points: SHORT_KILLS,
      triggers: url ? [{ label: 'while writing (pg_stat_activity)', killWhen: pgWriting }] : [],
      inTransaction: (r) => r.markers.some((m) => m.tag === 'start'),
      checkResult: (r) => expect(r.count).toBe(CASES),
    });
    log(`batch: outcomes ${report.kills.map((k) => `${k.after} ms ${k.outcome}`).join(', ')}`);
    expect(report.kills.length).toBeGreaterThanOrEqual(1);
  });

  it('a rollup refresh is all or nothing', { timeout: 120_000 }, async () => {
    const report = await killSeries('rollup', pristine, { mode: 'rollup' }, {
      points: SHORT_KILLS,
      triggers: url ? [{ label: 'while writing (pg_stat_activity)', killWhen: pgWriting }] : [],
      inTransaction: (r) => r.markers.some((m) => m.tag === 'start'),
      checkResult: (r) => expect(r.rows).toBeGreaterThan(0),
    });
    log(`rollup: outcomes ${report.kills.map((k) => `${k.after} ms ${k.outcome}`).join(', ')}`);
    expect(report.kills.length).toBeGreaterThanOrEqual(1);
  });
});
