// Rollups and indicators on the seeded register, each against its yardstick in the same process:
//   full rollup (refreshAll: INSERT of every level)  vs one hand-written SELECT … GROUP BY ROLLUP of the same sums
//   one household change applied (refreshDirty)       target ≤ 200 ms
//   GET /api/v1/indicators under 50 connections       target p99 ≤ 20 ms (server in its own process)
//   the same GROUP BY ROLLUP in DuckDB (@duckdb/node-api, bench only) on the rows exported from PostgreSQL,
//   the tool a researcher might pick instead
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../src/db/client.js';
import { seedRegister } from '../src/services/seed.js';
import { lineArrays, refreshAll, refreshDirty } from '../src/services/indicators/rollup.js';
import { freshDb, fmt, timed } from './engines.js';
import { freePort, load, login, start, stop } from './server.js';

/** Per-year lines as a VALUES list (Tongliao's counties share them). */
async function linesValues(db: Parameters<typeof lineArrays>[0]): Promise<string> {
  const [, ys, ls] = await lineArrays(db, ['150524']);
  return ys.map((y, i) => `(${y}, ${ls[i]}::numeric)`).join(', ');
}

/** The hand-written query: the same sums as the rollup, written out once, no INSERT. */
function handSql(values: string, from: string): string {
  return `SELECT year, p2, p4, p6, p9, v,
      count(*) AS households, sum(s) AS people,
      count(*) FILTER (WHERE status IN ('0','3')) AS poor_hh, sum(s) FILTER (WHERE status IN ('0','3')) AS poor_people,
      count(*) FILTER (WHERE status IN ('1','4')) AS exited_hh, sum(s) FILTER (WHERE status IN ('1','4')) AS exited_people,
      count(*) FILTER (WHERE status = '3') AS relapsed_hh, sum(s) FILTER (WHERE status = '3') AS relapsed_people,
      sum(s) FILTER (WHERE z IS NOT NULL) AS line_people, sum(s * y) AS income, sum(wage), sum(production), sum(property), sum(transfer), sum(costs), sum(noncounting),
      sum(s) FILTER (WHERE y < z) AS below, sum(s * (z - greatest(y, 0)) / z) FILTER (WHERE y < z) AS gap1,
      sum(s * ((z - greatest(y, 0)) / z) ^ 2) FILTER (WHERE y < z) AS gap2,
      sum(s * ln(z / y)) FILTER (WHERE y < z AND y > 0) AS watts, sum(s) FILTER (WHERE y < z AND y <= 0) AS nonpos,
      sum(s) FILTER (WHERE sc IS NOT NULL) AS mpi_people, count(*) FILTER (WHERE sc IS NULL) AS mpi_excluded,
      sum(s) FILTER (WHERE sc >= 8) AS mpi_poor, sum(s * sc) FILTER (WHERE sc >= 8) AS mpi_score,
      sum(s) FILTER (WHERE sc IS NOT NULL AND NOT food) AS u1, sum(s) FILTER (WHERE sc >= 8 AND NOT food) AS c1,
      sum(s) FILTER (WHERE sc IS NOT NULL AND NOT clothing) AS u2, sum(s) FILTER (WHERE sc >= 8 AND NOT clothing) AS c2,
      sum(s) FILTER (WHERE sc IS NOT NULL AND NOT education) AS u3, sum(s) FILTER (WHERE sc >= 8 AND NOT education) AS c3,
      sum(s) FILTER (WHERE sc IS NOT NULL AND NOT medical) AS u4, sum(s) FILTER (WHERE sc >= 8 AND NOT medical) AS c4,
      sum(s) FILTER (WHERE sc IS NOT NULL AND NOT housing) AS u5, sum(s) FILTER (WHERE sc >= 8 AND NOT housing) AS c5,
      sum(s) FILTER (WHERE sc IS NOT NULL AND NOT water) AS u6, sum(s) FILTER (WHERE sc >= 8 AND NOT water) AS c6,
      sum(s) FILTER (WHERE sc IS NOT NULL AND y < z) AS u7, sum(s) FILTER (WHERE sc >= 8 AND y < z) AS c7
    FROM (
      SELECT t.*, left(v, 2) AS p2, left(v, 4) AS p4, left(v, 6) AS p6, left(v, 9) AS p9,
             CASE WHEN food IS NULL OR clothing IS NULL OR education IS NULL OR medical IS NULL OR housing IS NULL OR water IS NULL OR z IS NULL THEN NULL
                  ELSE (CASE WHEN NOT food THEN 3 ELSE 0 END) + (CASE WHEN NOT clothing THEN 3 ELSE 0 END) + (CASE WHEN NOT education THEN 2 ELSE 0 END)
                     + (CASE WHEN NOT medical THEN 2 ELSE 0 END) + (CASE WHEN NOT housing THEN 2 ELSE 0 END) + (CASE WHEN NOT water THEN 6 ELSE 0 END)
                     + (CASE WHEN y < z THEN 6 ELSE 0 END) END AS sc
        FROM (SELECT r.*, l.z FROM ${from} r LEFT JOIN (VALUES ${values}) AS l(year, z) ON l.year = r.year) t
    ) d
    GROUP BY year, ROLLUP (p2, p4, p6, p9, v)`;
}

const ROWS = `(SELECT h.village_code AS v, y.year::int AS year, y.household_size::int AS s, y.status, y.per_capita_income AS y,
                      y.wage_income AS wage, y.production_income AS production, y.property_income AS property, y.transfer_income AS transfer,
                      y.production_costs AS costs, y.non_counting_income AS noncounting,
                      y.food_secure AS food, y.clothing_secure AS clothing, y.education_secure AS education, y.medical_secure AS medical,
                      y.housing_secure AS housing, y.water_secure AS water
                 FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id)`;

export async function benchIndicators(engine: Engine, people: number, say: (line: string) => void): Promise<void> {
  const tag = `[${engine}]`;
  const b = await freshDb(engine, 'rollup');
  let closed = false;
  try {
    await seedRegister(b.db, { people, seed: 2014, assistance: false });
    const first = await timed(() => refreshDirty(b.db));
    const values = await linesValues(b.db);
    const runs = 3;
    let full = 0;
    let hand = 0;
    let rows = 0;
    let handRows = 0;
    for (let i = 0; i < runs; i++) {
      const f = await timed(() => refreshAll(b.db));
      full += f.seconds / runs;
      rows = f.value.rows;
      const h = await timed(() => b.db.query(handSql(values, ROWS)));
      hand += h.seconds / runs;
      handRows = h.value.length;
    }
    say(`${tag} rollup of ${fmt(people, 0)} people: full refresh ${fmt(full, 2)} s (${fmt(rows, 0)} rows, every level and year; first refresh after the seed ${fmt(first.seconds, 2)} s) ` +
      `vs one hand-written GROUP BY ROLLUP ${fmt(hand, 2)} s (${fmt(handRows, 0)} rows incl. the grand totals) = ${fmt(full / hand, 2)}× (target ≤ 1.5×; mean of ${runs})`);

    // One household's income changes, then the rollups catch up: one village and its parents.
    const picks = await b.db.query<{ c: string; id: number; year: number }>(
      `SELECT county_code AS c, household_id AS id, year FROM household_years WHERE year = 2020 AND household_id % 997 = 1 ORDER BY household_id LIMIT 11`,
    );
    const times: number[] = [];
    for (const p of picks) {
      await b.db.query('UPDATE household_years SET wage_income = wage_income + 100, per_capita_income = per_capita_income + 25 WHERE county_code = $1 AND household_id = $2 AND year = $3', [p.c, p.id, p.year]);
      const t = await timed(() => refreshDirty(b.db));
      times.push(t.seconds * 1000);
    }
    times.sort((x, y) => x - y);
    say(`${tag}   one household change applied to the rollups: median ${fmt(times[Math.floor(times.length / 2)]!, 1)} ms, max ${fmt(times[times.length - 1]!, 1)} ms over ${times.length} changes (target ≤ 200 ms)`);

    if (engine === 'postgres') await duckdbYardstick(b.db, values, hand, tag, say);

    // The indicator API under 50 connections, the server in its own process on this database.
    await b.db.close();
    closed = true;
    const port = await freePort();
    const env: NodeJS.ProcessEnv = engine === 'pglite' ? { JINGZHUN_DATA_DIR: b.where, PORT: String(port) } : { DATABASE_URL: b.where, PORT: String(port) };
    if (engine === 'pglite') env.DATABASE_URL = '';
    const srv = await start(env, port);
    try {
      const base = `http://127.0.0.1:${port}`;
      const cookie = await login(base, 'city');
      for (const [label, q] of [['city 1505', 'area=1505&year=2020'], ['county 150524', 'area=150524&year=2020']] as const) {
        const l = await load(`${base}/api/v1/indicators?${q}`, cookie);
        say(`${tag}   GET /api/v1/indicators?${q} (${label}, 50 connections, 10 s): p50 ${l.p50} ms, p99 ${l.p99} ms, ${fmt(l.rps, 0)} req/s, errors ${l.errors} (target p99 ≤ 20 ms)`);
      }
      const a = await timed(() => fetch(`${base}/api/v1/indicators/analysis?area=1505&year=2020&by=child`, { headers: { cookie } }).then((r) => r.json()));
      say(`${tag}   GET /api/v1/indicators/analysis (city, by county: Gini, median, MPI from the households): ${fmt(a.seconds * 1000, 0)} ms, one request`);
    } finally {
      await stop(srv.child);
    }
  } finally {
    if (!closed) await b.db.close().catch(() => {});
    await b.drop();
  }
}

/** The same rows exported from PostgreSQL to CSV, loaded into DuckDB, and the same query there. */
async function duckdbYardstick(db: Parameters<typeof lineArrays>[0] & { query: (s: string) => Promise<unknown[]> }, values: string, pgSeconds: number, tag: string, say: (l: string) => void) {
  let duck: typeof import('@duckdb/node-api');
  try {
    duck = await import('@duckdb/node-api');
  } catch {
    say(`${tag}   DuckDB: @duckdb/node-api not installed (npm ci installs it as a dev dependency); skipped`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'jz-bench-duck-'));
  chmodSync(dir, 0o777); // the PostgreSQL server process writes the file
  const file = join(dir, 'rows.csv');
  try {
    // COPY … TO a file is written by the server process; this machine runs it locally.
    const exp = await timed(() => db.query(`COPY ${ROWS} TO '${file}' WITH (FORMAT csv, HEADER)`));
    const inst = await duck.DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const loadT = await timed(() => con.run(`CREATE TABLE r AS SELECT * FROM read_csv('${file}', header = true, types = {'v': 'VARCHAR', 'status': 'VARCHAR'})`));
    let q = 0;
    const runs = 3;
    let n = 0;
    for (let i = 0; i < runs; i++) {
      const t = await timed(() => con.runAndReadAll(handSql(values, 'r')));
      q += t.seconds / runs;
      n = t.value.currentRowCount;
    }
    say(`${tag}   DuckDB yardstick: export to CSV ${fmt(exp.seconds, 1)} s, load ${fmt(loadT.seconds, 1)} s, the same GROUP BY ROLLUP ${fmt(q, 2)} s (${fmt(n, 0)} rows); ` +
      `PostgreSQL's hand-written query takes ${fmt(pgSeconds / q, 2)}× DuckDB's time (DuckDB has no incremental refresh and needs the export first)`);
    con.closeSync();
  } catch (e) {
    say(`${tag}   DuckDB yardstick failed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
