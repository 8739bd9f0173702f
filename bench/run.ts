// `npm run bench`: speed and memory of the register's heavy paths on each engine, each printed
// as a ratio against a baseline run in the same process on the same data:
//   seed      synthetic register (seedRegister)      vs raw COPY of the same rows into bare tables
//   import    CSV import of that register (validate, diff, write) vs raw COPY of the same file
//   queries   household list / overview (services)    vs the hand-written SQL they wrap
//   monitoring  the monitoring scan (every rule, whole register) vs the hand-written SQL of its threshold rule
//   indicators  full rollup vs one GROUP BY ROLLUP query; one change applied; indicator API p99; DuckDB yardstick
//   assessment  evaluation draw vs reading its frame; questionnaire import vs raw INSERT; results vs hand-written SQL
//   pii       sealing / opening ID numbers vs masking / decoding; search by keyed hash vs by household number; key rotation vs a plain rewrite
//   server    `npm start` as a user runs it: first start, RSS, list/get under 50 connections
//   web       first-load bundle size (gzip) of the built app
// Sizes: BENCH_PEOPLE (default 225,000, the demo; 1000000 for the million-person figures),
// BENCH_ENGINES (default "pglite,postgres"; PostgreSQL at BENCH_PG_URL or 127.0.0.1:5432),
// BENCH_SKIP=server,web,... to leave sections out. Nothing here is asserted: it prints figures.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import type { Db, Engine, Sql } from '../src/db/client.js';
import { seedRegister } from '../src/services/seed.js';
import { exportHouseholds } from '../src/services/imports/export.js';
import { importHouseholds } from '../src/services/imports/households.js';
import { listHouseholds } from '../src/services/households.js';
import { getOverview } from '../src/services/overview.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { freshDb, fmt, timed, PG_ADMIN_URL, type BenchDb } from './engines.js';
import { benchServer } from './server.js';
import { benchMonitoring } from './monitoring.js';
import { benchIndicators } from './indicators.js';
import { benchAssessment } from './assessment.js';
import { benchPii } from './pii.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 225_000);
const EXPORT_YEAR = 2025;
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const out: string[] = [];

function say(line: string) {
  out.push(line);
  console.log(line);
}

/** Samples this process's RSS every 100 ms while `fn` runs; returns the peak in MB. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakMb: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const REGISTRY = ['households', 'members', 'household_years'] as const;

/** Copies the registry tables' rows out as CSV text (the baseline's input). */
async function tableCsv(db: Sql, table: string): Promise<{ columns: string[]; chunks: string[] }> {
  const cols = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  const columns = cols.map((c) => c.column_name);
  // One CSV line per row, built in SQL so the baseline's input is exactly the stored values.
  const line = columns.map((c) => `coalesce('"' || replace(${quoteIdent(c)}::text, '"', '""') || '"', '')`).join(` || ',' || `);
  // One chunk per county: a million people's yearly records would not fit in one JS string.
  const counties = await db.query<{ c: string }>(`SELECT DISTINCT county_code AS c FROM ${table} ORDER BY 1`);
  const chunks: string[] = [];
  for (const { c } of counties) {
    const rows = await db.query<{ l: string }>(`SELECT ${line} AS l FROM ${table} WHERE county_code = $1`, [c]);
    chunks.push(rows.map((r) => r.l).join('\n') + '\n');
  }
  return { columns, chunks };
}

/**
 * The baseline: the registry tables' rows, dumped to CSV first (untimed), then COPYed in one
 * transaction into empty look-alike tables — bare (`DEFAULTS`) or with the same keys, indexes
 * and foreign keys (`ALL`). Returns the COPY's time; the look-alikes are dropped.
 */
async function copyRegistryRows(db: Db, like: 'DEFAULTS' | 'ALL'): Promise<{ seconds: number }> {
  const dumps: { table: string; columns: string[]; chunks: string[] }[] = [];
  for (const t of REGISTRY) dumps.push({ table: t, ...(await tableCsv(db, t)) });
  for (const d of dumps) await db.query(`CREATE TABLE bench_${d.table} (LIKE ${d.table} INCLUDING ${like})`);
  if (like === 'ALL') {
    // LIKE never copies foreign keys; an import must check them (village → areas, members and
    // yearly records → their household), so the baseline does too.
    for (const d of dumps) {
      const fks = await db.query<{ def: string }>(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`, [d.table]);
      for (const fk of fks) {
        const def = fk.def.replace(/REFERENCES (\w+)\(/, (m, t: string) => ((REGISTRY as readonly string[]).includes(t) ? `REFERENCES bench_${t}(` : m));
        await db.query(`ALTER TABLE bench_${d.table} ADD ${def}`);
      }
    }
  }
  const copy = await timed(() =>
    db.transaction(async (tx) => {
      for (const d of dumps) for (const csv of d.chunks) await tx.copyFrom(`bench_${d.table}`, d.columns, csv);
    }),
  );
  await db.query(`DROP TABLE ${dumps.map((d) => `bench_${d.table}`).join(', ')}`);
  return copy;
}

const quoteIdent = (s: string) => `"${s.replaceAll('"', '""')}"`;

async function benchSeedAndImport(engine: Engine): Promise<void> {
  const tag = `[${engine}]`;
  // -------------------------------------------------------------- seed vs raw COPY
  const a = await freshDb(engine, 'seed');
  let csvFile: Buffer;
  try {
    const seeded = await peakRss(() => timed(() => seedRegister(a.db, { people: PEOPLE, seed: 2014 })));
    const r = seeded.value.value;
    const seedS = seeded.value.seconds;
    const copy = await copyRegistryRows(a.db, 'DEFAULTS');
    say(`${tag} seed ${fmt(PEOPLE, 0)} people → ${fmt(r.households, 0)} households, ${fmt(r.members, 0)} members, ${fmt(r.years, 0)} yearly records: ` +
      `${fmt(seedS)} s (${fmt(r.members / seedS, 0)} people/s) vs raw COPY of the same rows into unindexed tables ${fmt(copy.seconds)} s = ${fmt(seedS / copy.seconds, 2)}×; peak RSS of this process ${fmt(seeded.peakMb, 0)} MB`);
    say(`${tag}   of which assistance data ${fmt(r.assistanceSeconds)} s: ${Object.entries(r.assistance).map(([k, v]) => `${k} ${fmt(v, 0)}`).join(', ')}`);

    // ------------------------------------------------------------ queries vs hand-written SQL
    const ctx: Ctx = { db: a.db, actor: systemActor('bench') };
    const [county] = await a.db.query<{ county_code: string; n: number }>(
      `SELECT county_code, count(*)::int AS n FROM households GROUP BY county_code ORDER BY n DESC LIMIT 1`,
    );
    const countyCtx: Ctx = { db: a.db, actor: { id: null, username: 'bench', role: 'county_office', areaCode: county!.county_code } };
    const hand = async () => {
      await a.db.query(`SELECT count(*)::int FROM households WHERE county_code = $1`, [county!.county_code]);
      await a.db.query(
        `SELECT h.id, h.household_no, h.head_name, v.name FROM households h JOIN areas v ON v.code = h.village_code
          WHERE h.county_code = $1 ORDER BY h.household_no, h.id LIMIT 20 OFFSET 40`,
        [county!.county_code],
      );
    };
    const svc = async () => {
      await listHouseholds(countyCtx, { page: 3, pageSize: 20 });
    };
    const q1 = await repeat(svc, 30);
    const q0 = await repeat(hand, 30);
    say(`${tag} household list, county ${county!.county_code} (${fmt(county!.n, 0)} households), page 3: service ${fmt(q1 * 1000)} ms vs hand-written SQL ${fmt(q0 * 1000)} ms = ${fmt(q1 / q0, 2)}× (mean of 30)`);
    const cityList = await repeat(() => listHouseholds(ctx, { area: '1505', page: 3, pageSize: 20 }).then(() => {}), 5);
    say(`${tag} household list, whole city, page 3: ${fmt(cityList * 1000)} ms (mean of 5)`);
    const o1 = await repeat(() => getOverview(countyCtx, { area: county!.county_code }).then(() => {}), 5);
    const o0 = await repeat(async () => {
      await a.db.query(
        `SELECT y.status, count(*)::int AS households, sum(y.household_size)::int AS people FROM household_years y
          WHERE y.county_code = $1 AND y.year = 2025 GROUP BY y.status`,
        [county!.county_code],
      );
    }, 5);
    say(`${tag} overview of a county: service ${fmt(o1 * 1000)} ms (all panels) vs one hand-written status count ${fmt(o0 * 1000)} ms = ${fmt(o1 / o0, 1)}×`);
    const oc = await repeat(() => getOverview(ctx, { area: '1505' }).then(() => {}), 3);
    say(`${tag} overview of the city: ${fmt(oc * 1000)} ms (mean of 3)`);

    // ------------------------------------------------------------ export (the import's input)
    // One year (every household has a record for the last one): one row per person.
    const exp = await peakRss(() => timed(() => exportHouseholds(ctx, { areaCode: '1505', format: 'csv', year: EXPORT_YEAR })));
    csvFile = exp.value.value;
    say(`${tag} export of the city register, ${EXPORT_YEAR}, to CSV (${fmt(csvFile.length / 2 ** 20)} MB): ${fmt(exp.value.seconds)} s, peak RSS ${fmt(exp.peakMb, 0)} MB`);
  } finally {
    await a.drop();
  }

  // -------------------------------------------------------------- import vs raw COPY
  const b = await freshDb(engine, 'import');
  try {
    const ctx: Ctx = { db: b.db, actor: systemActor('bench') };
    // When each phase (read, validate, check, write) was first reported: where the time goes.
    const t0 = Date.now();
    const firstSeen = new Map<string, number>();
    const onProgress = (phase: string) => {
      if (!firstSeen.has(phase)) firstSeen.set(phase, Date.now() - t0);
    };
    const imp = await peakRss(() => timed(() => importHouseholds(ctx, { fileName: 'register.csv', data: csvFile, onProgress })));
    const marks = [...firstSeen.entries(), ['end', Date.now() - t0] as [string, number]];
    const phases = marks.slice(0, -1).map(([name, at], i) => `${name} ${fmt((marks[i + 1]![1] - at) / 1000)} s`).join(', ');
    const res = imp.value.value;
    if (res.status !== 'imported') throw new Error(`import ${res.status}: ${JSON.stringify(res.issues.slice(0, 3))}`);
    const text = csvFile.toString('utf8').replace(/^\uFEFF/, '');
    const nl = text.indexOf('\n');
    const header = text.slice(0, nl).split(',');
    const cols = header.map((_, i) => `c${i}`);
    await b.db.query(`CREATE TABLE bench_raw (${cols.map((c) => `${c} text`).join(', ')})`);
    const copy = await timed(() => b.db.copyFrom('bench_raw', cols, text.slice(nl + 1)));
    await b.db.query('DROP TABLE bench_raw');
    // The rows the import wrote, COPYed into empty tables with the same keys and indexes: the
    // least any import of this file must do.
    const rowsCopy = await copyRegistryRows(b.db, 'ALL');
    say(`${tag} import of that CSV (${fmt(res.rows, 0)} rows; ${fmt(res.households.created, 0)} households, ${fmt(res.members.created, 0)} members, ${fmt(res.years.upserted, 0)} yearly records): ` +
      `${fmt(imp.value.seconds)} s (${fmt(res.members.created / imp.value.seconds, 0)} people/s), peak RSS ${fmt(imp.peakMb, 0)} MB; phases from first report: ${phases}`);
    say(`${tag}   vs raw COPY of the same rows into tables with the same keys, indexes and foreign keys ${fmt(rowsCopy.seconds)} s = ${fmt(imp.value.seconds / rowsCopy.seconds, 2)}× (target ≤ 3×); ` +
      `vs raw COPY of the file's text into a bare text table ${fmt(copy.seconds)} s = ${fmt(imp.value.seconds / copy.seconds, 2)}×`);
    const again = await timed(() => importHouseholds(ctx, { fileName: 'register.csv', data: csvFile }));
    say(`${tag} re-import of the same file (${fmt(again.value.households.unchanged, 0)} households unchanged, nothing written): ${fmt(again.seconds)} s = ${fmt(again.seconds / rowsCopy.seconds, 2)}× the raw COPY of its rows`);
  } finally {
    await b.drop();
  }
}

async function repeat(fn: () => Promise<void>, n: number): Promise<number> {
  await fn(); // warm-up
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - t) / 1e9 / n;
}

function benchWeb(): void {
  const manifestPath = 'web/dist/.vite/manifest.json';
  if (!existsSync(manifestPath)) {
    say('[web] web/dist is not built (npm run build:web); skipped');
    return;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, { file: string; css?: string[]; imports?: string[]; isEntry?: boolean }>;
  const seen = new Set<string>();
  let raw = 0;
  let gz = 0;
  const add = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const data = readFileSync(`web/dist/${file}`);
    raw += data.length;
    gz += gzipSync(data).length;
  };
  const visit = (key: string) => {
    const chunk = manifest[key]!;
    if (seen.has(chunk.file)) return;
    add(chunk.file);
    chunk.css?.forEach(add);
    chunk.imports?.forEach(visit);
  };
  for (const [key, c] of Object.entries(manifest)) if (c.isEntry) visit(key);
  let all = 0;
  for (const c of Object.values(manifest)) all += gzipSync(readFileSync(`web/dist/${c.file}`)).length;
  say(`[web] first load (entry and its static imports): ${fmt(raw / 1024, 0)} KB, ${fmt(gz / 1024, 0)} KB gzipped; every chunk together ${fmt(all / 1024, 0)} KB gzipped`);
}

async function main() {
  const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as Engine[];
  say(`# jingzhun bench — ${new Date().toISOString()}, node ${process.version}, ${fmt(PEOPLE, 0)} people`);
  for (const engine of engines) {
    if (engine === 'postgres' && !(await pgReachable())) {
      say(`[postgres] not reachable at ${PG_ADMIN_URL}; skipped`);
      continue;
    }
    if (!SKIP.has('data')) await benchSeedAndImport(engine);
    if (!SKIP.has('monitoring')) await benchMonitoring(engine, PEOPLE, say);
    if (!SKIP.has('indicators')) await benchIndicators(engine, PEOPLE, say);
    if (!SKIP.has('assessment')) await benchAssessment(engine, PEOPLE, say);
    if (!SKIP.has('pii')) await benchPii(engine, PEOPLE, say);
    if (!SKIP.has('server')) {
      let url: string | undefined;
      let drop: BenchDb | undefined;
      if (engine === 'postgres') {
        drop = await freshDb('postgres', 'serve');
        url = drop.where;
        await drop.db.close();
      }
      try {
        for (const l of await benchServer(engine, url)) say(l);
      } finally {
        await drop?.drop();
      }
    }
  }
  if (!SKIP.has('web')) benchWeb();
}

await main();
