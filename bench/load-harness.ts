// The load harness (issue 7's proof): mixed read/write traffic from area-scoped accounts through the
// real HTTP API under autocannon, every acknowledged write recorded with its marker, then checked in
// the database. Shared by `npm run bench:load` (bench/load.ts: PostgreSQL, 200 connections, 60 s)
// and test/load.test.ts (a short run in CI). Nothing here asserts a timing.
//
// Writes never conflict by design: a household that is updated (PATCH, or its yearly record by
// PUT) is leased to one request at a time from a pool, so each is written in sequence with the
// version its last answer returned; visits and new households are inserts. A write whose answer
// never came (timeout, or in flight at the end) retires its household: its outcome is unknown, so
// the check accepts either outcome for that one write and nothing after it is sent.
//
// The check afterwards and the report: bench/load-check.ts. It reads only non-personal columns (ids,
// markers, versions, incomes, audit rows), never ID numbers or phones, so it survives their
// encryption at rest.
import autocannon from 'autocannon';
import type { Db } from '../src/db/client.js';
import { checkChar } from '../src/domain/idnumber.js';
import { createUser } from '../src/services/users.js';
import { systemActor } from '../src/services/context.js';

export const LOAD_PASSWORD = 'Load#Passw0rd-2026';

export type ReadKind = 'list' | 'detail' | 'overview' | 'indicators';
export type WriteKind = 'visit' | 'income' | 'update' | 'create';
export type Kind = ReadKind | WriteKind;
export const KINDS: readonly Kind[] = ['list', 'detail', 'overview', 'indicators', 'visit', 'income', 'update', 'create'];
export const WRITE_KINDS: readonly WriteKind[] = ['visit', 'income', 'update', 'create'];

/** Share of requests per kind (%): 70 reads, 30 writes. */
export const DEFAULT_MIX: Record<Kind, number> = { list: 30, detail: 25, overview: 8, indicators: 7, visit: 10, income: 7, update: 7, create: 6 };

interface Actor {
  username: string;
  role: 'village_cadre' | 'township_reviewer' | 'county_office';
  area: string;
  cookie: string;
  /** Registered households in the actor's area (ids), for detail reads and visits. */
  households: number[];
  /** Villages the actor may register a household in. */
  villages: string[];
  /** A cadre the actor can see, for visits (null: the actor records no visits). */
  cadreId: number | null;
}

type YearBody = Record<string, unknown>;

/** A household whose own record and yearly record are written under load, one request at a time. */
interface PoolEntry {
  id: number;
  actor: number;
  version: number;
  initialVersion: number;
  year: number | null;
  yearBody: YearBody | null;
  yearVersion: number | null;
  initialYearVersion: number | null;
  /** Writes in the order sent; only the last may be unacknowledged (the entry is retired then). */
  updates: { marker: string; acked: boolean }[];
  incomes: { marker: number; acked: boolean }[];
  retired: boolean;
}

export interface LoadPlan {
  db: Db;
  base: string;
  countyCode: string;
  runId: string;
  actors: Actor[];
  pool: PoolEntry[];
  households: number;
  /** audit_log's largest id before the run: audit rows of the run come after it. */
  auditFrom: number;
}

export interface WriteRecord {
  kind: 'visit' | 'create';
  id: number;
  marker: string;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  /** Responses received (any status). */
  requests: number;
  throughput: number;
  ok: number;
  non2xx: number;
  /** Socket errors, timeouts included. */
  errors: number;
  timeouts: number;
  latency: { p50: number; p97_5: number; p99: number; max: number; mean: number };
  byKind: Record<Kind, { sent: number; ok: number; failed: number; p99: number }>;
  /** The first few failed answers: kind, status, start of the body. */
  failures: { kind: Kind; status: number; body: string }[];
  /** Inserts acknowledged (2xx) with the id the answer returned. */
  inserted: WriteRecord[];
  /** Inserts sent whose answer never came. */
  unackedInserts: Record<'visit' | 'create', number>;
}


// ---------------------------------------------------------------- setup

/**
 * Accounts for the load: a village cadre for each of the `villages` villages with the most
 * households, a township reviewer for each of their townships, and one county office; each logs
 * in over HTTP. The pool: up to `poolSize` households, each owned by the most local account.
 */
export async function prepareLoad(opts: {
  db: Db;
  base: string;
  countyCode: string;
  villages?: number;
  poolSize: number;
  runId?: string;
}): Promise<LoadPlan> {
  const { db, base, countyCode } = opts;
  const runId = opts.runId ?? Date.now().toString(36).slice(-6);
  const rows = await db.query<{ id: number; village: string }>(
    `SELECT id, village_code AS village FROM households WHERE county_code = $1 ORDER BY id`,
    [countyCode],
  );
  if (!rows.length) throw new Error(`county ${countyCode} has no households to load`);
  const byVillage = new Map<string, number[]>();
  for (const r of rows) {
    const list = byVillage.get(r.village) ?? [];
    list.push(Number(r.id));
    byVillage.set(r.village, list);
  }
  const villages = [...byVillage.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])).slice(0, opts.villages ?? 8).map(([v]) => v);
  const townships = [...new Set(villages.map((v) => v.slice(0, 9)))];
  const ctx = { actor: systemActor('load'), db };
  const specs: { role: Actor['role']; area: string }[] = [
    ...villages.map((v) => ({ role: 'village_cadre' as const, area: v })),
    ...townships.map((t) => ({ role: 'township_reviewer' as const, area: t })),
    { role: 'county_office', area: countyCode },
  ];
  const allVillages = [...byVillage.keys()];
  const actors: Actor[] = [];
  for (const [i, s] of specs.entries()) {
    const username = `load${runId}${s.role.slice(0, 1)}${i}`;
    await createUser(ctx, { username, role: s.role, areaCode: s.area, password: LOAD_PASSWORD }, { mustChangePassword: false });
    const cookie = await login(base, username, LOAD_PASSWORD);
    const inArea = rows.filter((r) => r.village.startsWith(s.area)).map((r) => Number(r.id));
    actors.push({
      username, role: s.role, area: s.area, cookie,
      households: sample(inArea, 5000),
      villages: allVillages.filter((v) => v.startsWith(s.area)),
      cadreId: await firstCadre(base, cookie),
    });
  }
  // The most local account owns a household: its village's cadre, else its township's reviewer, else the county office.
  const ownerOf = (village: string) => {
    const i = actors.findIndex((a) => a.role === 'village_cadre' && a.area === village);
    if (i >= 0) return i;
    const t = actors.findIndex((a) => a.role === 'township_reviewer' && village.startsWith(a.area));
    return t >= 0 ? t : actors.length - 1;
  };
  const picked = sample(rows, opts.poolSize);
  const lastYear = chinaYear() - 1; // a past year: its 脱贫标志 may be sent back as stored
  const pool: PoolEntry[] = [];
  await eachLimit(picked, 16, async (r) => {
    const actor = ownerOf(r.village);
    const res = await fetch(`${base}/api/v1/households/${r.id}`, { headers: { cookie: actors[actor]!.cookie } });
    if (!res.ok) throw new Error(`GET /households/${r.id}: ${res.status} ${await res.text()}`);
    const f = (await res.json()) as { version: number; years: (YearBody & { year: number; version: number })[] };
    const y = f.years.filter((x) => x.year <= lastYear).sort((a, b) => b.year - a.year)[0];
    pool.push({
      id: Number(r.id), actor, version: f.version, initialVersion: f.version,
      year: y ? y.year : null, yearBody: y ? yearBody(y) : null, yearVersion: y?.version ?? null, initialYearVersion: y?.version ?? null,
      updates: [], incomes: [], retired: false,
    });
  });
  const [a] = await db.query<{ n: number | null }>('SELECT max(id) AS n FROM audit_log');
  return { db, base, countyCode, runId, actors, pool, households: rows.length, auditFrom: Number(a?.n ?? 0) };
}

export async function login(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const cookie = res.headers.get('set-cookie');
  if (!res.ok || !cookie) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0]!;
}

async function firstCadre(base: string, cookie: string): Promise<number | null> {
  const res = await fetch(`${base}/api/v1/assistance/cadres?active=true&pageSize=20`, { headers: { cookie } });
  if (!res.ok) throw new Error(`GET /assistance/cadres: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { items: { id: number }[] };
  return body.items[0]?.id ?? null;
}

const YEAR_KEYS = [
  'householdSize', 'status', 'wageIncome', 'productionIncome', 'propertyIncome', 'transferIncome', 'productionCosts', 'nonCountingIncome',
  'foodSecure', 'clothingSecure', 'educationSecure', 'medicalSecure', 'housingSecure', 'waterSecure', 'dangerousHouse', 'waterLitresPerDay',
  'waterFetchMinutes', 'electricity', 'roadAccess', 'sanitaryToilet', 'farmlandMu', 'forestMu', 'returnedFarmlandMu', 'pastureMu', 'note',
];
function yearBody(y: YearBody): YearBody {
  const out: YearBody = {};
  for (const k of YEAR_KEYS) if (k in y) out[k] = y[k];
  return out;
}

function chinaYear(): number {
  return new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
}

function sample<T>(xs: readonly T[], n: number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

async function eachLimit<T>(xs: readonly T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, async () => {
    while (next < xs.length) await fn(xs[next++]!);
  }));
}

/**
 * Valid ID numbers no one else holds: area code `<county's first 4 digits>00` (test counties never
 * end in 00, the seed uses the county's own code), birth dates in a 300-day block chosen by the
 * county's last two digits (so two load runs on different counties of one city never meet), and
 * every sequence 001–998 of each day.
 */
export function loadIdNumber(countyCode: string, n: number): string {
  const block = Number(countyCode.slice(4, 6));
  const day = Math.floor(n / 998);
  if (day >= 300) throw new Error('more than 299,400 new people in one load run');
  const d = new Date(Date.UTC(1920, 0, 1) + ((block - 1) * 300 + day) * 86_400_000);
  const ymd = d.toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `${countyCode.slice(0, 4)}00${ymd}${String((n % 998) + 1).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

// ---------------------------------------------------------------- the run

const STATUSES = [undefined, '0', '1', '3', '4'];
const CAUSES = [undefined, undefined, '01', '02', '03', '04', '07'];
const SORTS = [undefined, 'headName', 'perCapitaIncome', 'size'];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Pending {
  kind: Kind;
  t: number;
  entry?: PoolEntry;
  marker?: string;
}

/** Mixed traffic against `plan.base` for `seconds` with `connections` connections. */
export async function runLoad(plan: LoadPlan, opts: { connections: number; seconds: number; mix?: Record<Kind, number>; timeoutSeconds?: number }): Promise<LoadResult> {
  const mix = opts.mix ?? DEFAULT_MIX;
  const cumulative: [Kind, number][] = [];
  let sum = 0;
  for (const k of KINDS) cumulative.push([k, (sum += mix[k])]);
  const free = plan.pool.filter((e) => !e.retired);
  const visitedOn = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const times = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<Kind, number[]>;
  const byKind = Object.fromEntries(KINDS.map((k) => [k, { sent: 0, ok: 0, failed: 0, p99: 0 }])) as LoadResult['byKind'];
  const failures: LoadResult['failures'] = [];
  const inserted: WriteRecord[] = [];
  const sentInserts = { visit: 0, create: 0 };
  const visitors = plan.actors.filter((a) => a.cadreId !== null && a.households.length);
  const readers = plan.actors.filter((a) => a.households.length);
  const registrars = plan.actors.filter((a) => a.villages.length);
  if (!readers.length || !registrars.length) throw new Error('no account with households or villages in its area');
  const insertKind = (): 'visit' | 'create' => (visitors.length ? 'visit' : 'create');
  let seq = 0;
  let people = 0;

  const build = (req: autocannon.Request, ctx: Pending, kind: Kind): autocannon.Request => {
    ctx.kind = kind;
    ctx.t = performance.now();
    ctx.entry = undefined;
    ctx.marker = undefined;
    byKind[kind].sent++;
    const n = ++seq;
    const get = (a: Actor, path: string): autocannon.Request => ({ ...req, method: 'GET', path, headers: { ...req.headers, cookie: a.cookie }, body: undefined });
    const send = (a: Actor, method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown): autocannon.Request =>
      ({ ...req, method, path, headers: { ...req.headers, cookie: a.cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    switch (kind) {
      case 'list': {
        const a = pick(plan.actors);
        const q = new URLSearchParams({ pageSize: '20', page: String(1 + Math.floor(Math.random() * 3)) });
        const area = Math.random() < 0.3 && a.villages.length ? pick(a.villages) : undefined;
        if (area) q.set('area', area);
        const status = pick(STATUSES);
        if (status) q.set('status', status);
        const cause = pick(CAUSES);
        if (cause) q.set('cause', cause);
        const sort = pick(SORTS);
        if (sort) q.set('sort', sort);
        return get(a, `/api/v1/households?${q}`);
      }
      case 'detail': {
        const a = pick(readers);
        return get(a, `/api/v1/households/${pick(a.households)}`);
      }
      case 'overview':
        return get(pick(plan.actors), `/api/v1/overview`);
      case 'indicators':
        return get(pick(plan.actors), `/api/v1/indicators`);
      case 'visit': {
        const a = pick(visitors);
        ctx.marker = `load ${plan.runId} visit ${n}`;
        sentInserts.visit++;
        return send(a, 'POST', `/api/v1/households/${pick(a.households)}/visits`, { visitedOn, cadreId: a.cadreId, kind: 'home', findings: ctx.marker });
      }
      case 'create': {
        const a = pick(registrars);
        ctx.marker = `LD${plan.runId}-${n}`;
        sentInserts.create++;
        const head = loadIdNumber(plan.countyCode, people++);
        const spouse = loadIdNumber(plan.countyCode, people++);
        return send(a, 'POST', '/api/v1/households', {
          household: { householdNo: ctx.marker, villageCode: pick(a.villages), attribute: '1', exitStatus: '0', mainCause: '01', identifiedOn: '2014-05-01' },
          members: [
            { name: '压测户主', idNumber: head, relation: '01', ethnicity: '01', health: '1' },
            { name: '压测配偶', idNumber: spouse, relation: '02', ethnicity: '01', health: '1' },
          ],
        });
      }
      case 'income':
      case 'update': {
        const e = free.pop();
        if (!e) {
          byKind[kind].sent--;
          return build(req, ctx, insertKind()); // every pooled household is in flight: an insert instead
        }
        ctx.entry = e;
        const a = plan.actors[e.actor]!;
        if (kind === 'income' && e.year !== null) {
          const marker = 10_000 + n;
          e.incomes.push({ marker, acked: false });
          return send(a, 'PUT', `/api/v1/households/${e.id}/years/${e.year}`, { ...e.yearBody, wageIncome: marker, version: e.yearVersion });
        }
        if (kind === 'income') {
          byKind.income.sent--;
          byKind.update.sent++;
          ctx.kind = 'update';
        }
        const marker = `LD${plan.runId}-${n}`;
        e.updates.push({ marker, acked: false });
        return send(a, 'PATCH', `/api/v1/households/${e.id}`, { groupName: marker, version: e.version });
      }
    }
  };

  const setupRequest = (req: autocannon.Request, context: object): autocannon.Request => {
    const ctx = context as Pending;
    // A context still holding a lease means its answer never came (timeout): the household is retired.
    if (ctx.entry) ctx.entry.retired = true;
    const r = Math.random() * sum;
    const kind = cumulative.find(([, c]) => r < c)![0];
    return build(req, ctx, kind === 'visit' ? insertKind() : kind);
  };

  const onResponse = (status: number, body: string, context: object) => {
    const ctx = context as Pending;
    const kind = ctx.kind;
    times[kind].push(performance.now() - ctx.t);
    const e = ctx.entry;
    ctx.entry = undefined;
    if (status < 200 || status > 299) {
      byKind[kind].failed++;
      if (failures.length < 20) failures.push({ kind, status, body: body.slice(0, 300) });
      if (e) e.retired = true; // its version is unknown now
      return;
    }
    byKind[kind].ok++;
    if (kind === 'visit' || kind === 'create') {
      let id: number | undefined;
      try {
        id = Number((JSON.parse(body) as { id: number }).id);
      } catch {
        id = undefined;
      }
      if (!id) {
        byKind[kind].ok--;
        byKind[kind].failed++;
        if (failures.length < 20) failures.push({ kind, status, body: `no id in the answer: ${body.slice(0, 200)}` });
        return;
      }
      inserted.push({ kind, id, marker: ctx.marker! });
    } else if (e) {
      if (kind === 'update') e.updates[e.updates.length - 1]!.acked = true;
      else e.incomes[e.incomes.length - 1]!.acked = true;
      try {
        const f = JSON.parse(body) as { version: number; years: { year: number; version: number }[] };
        e.version = f.version;
        if (e.year !== null) e.yearVersion = f.years.find((y) => y.year === e.year)?.version ?? e.yearVersion;
        free.unshift(e);
      } catch {
        e.retired = true;
      }
    }
  };

  const r = await autocannon({
    url: plan.base,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: opts.timeoutSeconds ?? 10,
    requests: [{ setupRequest, onResponse }],
  });
  for (const e of plan.pool) {
    // Writes still in flight when the run stopped: unacknowledged, the household retired.
    const last = e.updates.at(-1);
    const lastIncome = e.incomes.at(-1);
    if ((last && !last.acked) || (lastIncome && !lastIncome.acked)) e.retired = true;
  }
  for (const k of KINDS) byKind[k].p99 = percentile(times[k].sort((a, b) => a - b), 99);
  const acked = { visit: 0, create: 0 };
  for (const w of inserted) acked[w.kind]++;
  return {
    connections: opts.connections,
    seconds: r.duration,
    requests: r.requests.total,
    throughput: r.requests.total / r.duration,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    latency: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
    byKind,
    failures,
    inserted,
    unackedInserts: { visit: sentInserts.visit - acked.visit, create: sentInserts.create - acked.create },
  };
}

/** autocannon on GET /healthz (no session, no database) with the same connections: the baseline. */
export async function runBaseline(base: string, connections: number, seconds: number): Promise<{ throughput: number; p99: number; p50: number; errors: number }> {
  const r = await autocannon({ url: `${base}/healthz`, connections, duration: seconds });
  return { throughput: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}
