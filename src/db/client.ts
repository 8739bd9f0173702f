// One database interface over two engines: embedded PGlite (default) and PostgreSQL
// (DATABASE_URL). Services receive `Sql` (a connection or a transaction) and use either
// the Drizzle query builder (`orm`) or raw SQL; COPY goes through `copyFrom` because
// each engine streams it differently.
import { randomBytes } from 'node:crypto';
import { mkdirSync, existsSync, linkSync, writeFileSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFromStream } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

export type Engine = 'pglite' | 'postgres';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Orm = PgDatabase<PgQueryResultHKT, any>;

export interface Sql {
  readonly engine: Engine;
  /** Runs one statement; bigint and numeric come back as JS numbers on both engines. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Bulk load CSV text (no header) into table(columns) with COPY. */
  copyFrom(table: string, columns: readonly string[], csv: string): Promise<void>;
  readonly orm: Orm;
}

export interface Db extends Sql {
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: the data dir, or undefined for in-memory. */
  readonly dataDir?: string;
  /** PGlite only: the underlying instance (used for dump/load in tests and backups). */
  readonly pglite?: PGlite;
}

const INT8 = 20;
const NUMERIC = 1700;
const toNumber = (v: string) => Number(v);

function copySql(table: string, columns: readonly string[], source: string) {
  const cols = columns.map((c) => `"${c}"`).join(', ');
  return `COPY ${table} (${cols}) FROM ${source} WITH (FORMAT csv)`;
}

// ---------------------------------------------------------------- PGlite

interface PgliteQueryable {
  query<T>(text: string, params?: unknown[], opts?: { blob?: Blob }): Promise<{ rows: T[] }>;
}

function pgliteSql(client: PgliteQueryable): Sql {
  return {
    engine: 'pglite',
    async query<T>(text: string, params?: unknown[]) {
      return (await client.query<T>(text, params)).rows;
    },
    async copyFrom(table, columns, csv) {
      await client.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob([csv]) });
    },
    orm: drizzlePglite({ client: client as unknown as PGlite }) as unknown as Orm,
  };
}

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `数据目录 ${dir} 已被另一个进程 (PID ${pid}) 打开；PGlite 不支持多进程共享，请先停止该进程，` +
        `或用 JINGZHUN_DATA_DIR 指定其他目录。\n` +
        `The data dir ${dir} is already open in another process (PID ${pid}); PGlite cannot share it. ` +
        `Stop that process first, or point JINGZHUN_DATA_DIR at another directory.`,
    );
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<dir>.lock` (beside the data dir) or throws DataDirLockedError; stale locks of dead pids are replaced. */
function lockDataDir(dir: string): () => void {
  const lockFile = `${dir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (readFileSync(lockFile, 'utf8') === String(process.pid)) rmSync(lockFile);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid: number;
      try {
        pid = Number(readFileSync(lockFile, 'utf8'));
      } catch (r) {
        if ((r as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw r;
      }
      if (pid && pid !== process.pid && pidAlive(pid)) throw new DataDirLockedError(dir, pid);
      // Take the stale lock over atomically: of two processes that both saw the dead pid, only one
      // renames this file away; the other finds it gone and tries to create its own (wx) again.
      const aside = `${lockFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
      try {
        renameSync(lockFile, aside);
      } catch (r) {
        if ((r as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw r;
      }
      const moved = Number(readFileSync(aside, 'utf8'));
      if (moved !== pid) {
        // It was no longer the stale lock but another process's fresh one: put it back and give way.
        try {
          linkSync(aside, lockFile);
        } catch {
          /* a third process holds it now */
        }
        rmSync(aside, { force: true });
        throw new DataDirLockedError(dir, moved);
      }
      rmSync(aside, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}

export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<Db> {
  let release = () => {};
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : undefined;
  if (dataDir) {
    mkdirSync(join(dataDir, '..'), { recursive: true });
    release = lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, {
      parsers: { [INT8]: toNumber, [NUMERIC]: toNumber },
      ...(opts.loadDataDir && !(dataDir && existsSync(join(dataDir, 'PG_VERSION'))) ? { loadDataDir: opts.loadDataDir } : {}),
    });
  } catch (e) {
    release();
    throw e;
  }
  const base = pgliteSql(pglite as unknown as PgliteQueryable);
  return {
    ...base,
    dataDir,
    pglite,
    async transaction(fn) {
      return pglite.transaction((t) => fn(pgliteSql(t as unknown as PgliteQueryable)));
    },
    async close() {
      await pglite.close();
      release();
    },
  };
}

// ---------------------------------------------------------------- PostgreSQL

pg.types.setTypeParser(INT8, toNumber);
pg.types.setTypeParser(NUMERIC, toNumber);

function pgSql(client: pg.Pool | pg.PoolClient): Sql {
  return {
    engine: 'postgres',
    async query<T>(text: string, params?: unknown[]) {
      return (await client.query(text, params as unknown[])).rows as T[];
    },
    async copyFrom(table, columns, csv) {
      if (!('release' in client)) throw new Error('copyFrom on PostgreSQL needs a transaction');
      const stream = client.query(copyFromStream(copySql(table, columns, 'STDIN')));
      await pipeline(Readable.from([Buffer.from(csv, 'utf8')]), stream);
    },
    orm: drizzlePg({ client }) as unknown as Orm,
  };
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle connection that the server ends (restart, pg_terminate_backend, a dropped database)
  // is reported here; unhandled, it would end the process. The pool replaces it on the next query.
  pool.on('error', (e) => {
    process.stderr.write(`数据库空闲连接断开，将重新连接 / an idle database connection was closed (${(e as { code?: string }).code ?? e.name}); the pool reconnects\n`);
  });
  // Fail fast with a readable message when the server is not there.
  const c = await pool.connect();
  c.release();
  const base = pgSql(pool);
  const db: Db = {
    ...base,
    async copyFrom(table, columns, csv) {
      await db.transaction((tx) => tx.copyFrom(table, columns, csv));
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(pgSql(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
  return db;
}

/** The app's data dir (JINGZHUN_DATA_DIR, default ./data); PGlite's cluster lives in its `pgdata/`. */
export function appDataDir(): string {
  return resolve(process.env.JINGZHUN_DATA_DIR ?? 'data');
}

/** DATABASE_URL wins; otherwise PGlite in <data dir>/pgdata. */
export async function openDb(opts: { dataDir?: string; databaseUrl?: string } = {}): Promise<Db> {
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  if (url) return openPostgres(url);
  return openPglite({ dataDir: join(opts.dataDir ?? appDataDir(), 'pgdata') });
}
