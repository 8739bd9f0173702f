// Opens a fresh, migrated database with Tongliao's areas on each engine for a benchmark.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPglite, openPostgres, type Db, type Engine } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { loadAreasFile } from '../src/services/areas.js';
import { TONGLIAO_AREAS } from '../src/services/demo.js';

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDb {
  db: Db;
  engine: Engine;
  /** For PGlite: the data dir; for PostgreSQL: the database URL. */
  where: string;
  drop(): Promise<void>;
}

export async function freshDb(engine: Engine, label: string): Promise<BenchDb> {
  let bench: BenchDb;
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), `jz-bench-${label}-`));
    const db = await openPglite({ dataDir: join(dir, 'pgdata') });
    bench = { db, engine, where: dir, drop: async () => { await db.close().catch(() => {}); rmSync(dir, { recursive: true, force: true }); } };
  } else {
    const name = `jz_bench_${label}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
    const db = await openPostgres(url, { max: 20 });
    bench = {
      db, engine, where: url,
      drop: async () => {
        await db.close().catch(() => {});
        const a = new pg.Client({ connectionString: PG_ADMIN_URL });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  await migrate(bench.db);
  await loadAreasFile(bench.db, TONGLIAO_AREAS);
  return bench;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t) / 1e9 };
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
