// `jingzhun backup` and `jingzhun restore` on both engines. PGlite: the data dir as PGlite's own
// gzip tarball (dumpDataDir), taken while this process holds pgdata.lock, restored with
// `loadDataDir` into a fresh dir (an existing one is moved aside, never deleted). PostgreSQL: a
// pg_dump custom-format archive taken on the same snapshot as the manifest's figures, restored by
// pg_restore in one transaction. Both verify every table's row count and content checksum after
// the restore. The file format is in backup-file.ts.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { appDataDir, DataDirLockedError, openPglite, openPostgres, type Db, type Engine } from '../db/client.js';
import { AppError, Conflict } from '../domain/errors.js';
import { keyFingerprint, masterKey } from './secret-box.js';
import { unexpectedEntries, unexpectedInCatalog } from './backup-contents.js';
import {
  BackupRefused, checkSchemaNotNewer, compareFigures, encodeHeader, FORMAT_VERSION, readBackup, schemaLevel, sha256File, tableFigures,
  type Manifest, type SchemaLevel, type TableCheck, type TableFigures,
} from './backup-file.js';

export { BackupRefused, readBackup, type Manifest } from './backup-file.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export type Target = { engine: 'pglite'; pgdata: string } | { engine: 'postgres'; url: string };

/** Where the running configuration keeps the register: DATABASE_URL, else $JINGZHUN_DATA_DIR/pgdata. */
export function currentTarget(env: NodeJS.ProcessEnv = process.env): Target {
  if (env.DATABASE_URL) return { engine: 'postgres', url: env.DATABASE_URL };
  return { engine: 'pglite', pgdata: join(env.JINGZHUN_DATA_DIR ? resolve(env.JINGZHUN_DATA_DIR) : appDataDir(), 'pgdata') };
}

export interface BackupResult {
  engine: Engine;
  file: string;
  bytes: number;
  sha256: string;
  schema: SchemaLevel;
  tables: TableFigures[];
  seconds: number;
}

export interface RestoreResult {
  engine: Engine;
  file: string;
  createdAt: string;
  schema: SchemaLevel;
  tables: TableCheck[];
  /** PGlite: where the data dir that was there before now lives. */
  movedAside: string | null;
  seconds: number;
}

const ENGINE_NAME: Record<Engine, { zh: string; en: string }> = {
  pglite: { zh: '内置 PGlite 数据目录', en: 'embedded PGlite data dir' },
  postgres: { zh: 'PostgreSQL（DATABASE_URL）', en: 'PostgreSQL (DATABASE_URL)' },
};

/** The data dir is open elsewhere (most often `jingzhun serve`): say what to do. */
export class BackupLockedError extends DataDirLockedError {
  constructor(dir: string, pid: number, verb: 'backup' | 'restore') {
    super(dir, pid);
    const zh = verb === 'backup' ? '备份' : '恢复';
    this.message =
      `数据目录 ${dir} 正被进程 PID ${pid} 使用（通常是正在运行的 jingzhun serve）；PGlite 不能在另一进程打开时${zh}。` +
      `请先停止服务，再运行 jingzhun ${verb}；未做任何更改。\n` +
      `The data dir ${dir} is in use by PID ${pid} (usually a running jingzhun serve); PGlite cannot be ${verb === 'backup' ? 'backed up' : 'restored'} ` +
      `while another process has it open. Stop the server, then run jingzhun ${verb} again; nothing was changed.`;
  }
}

function lockHolder(pgdata: string): number | null {
  try {
    const pid = Number(readFileSync(`${pgdata}.lock`, 'utf8'));
    if (!pid || pid === process.pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? Number(readFileSync(`${pgdata}.lock`, 'utf8')) : null;
  }
}

/** Writes the file next to its final name, fsyncs it, then renames: a failed backup never leaves a half file under that name. */
async function writeAtomically(out: string, parts: (Buffer | string)[]): Promise<void> {
  const tmp = `${out}.partial-${process.pid}`;
  try {
    // 0600: a backup holds the whole register, personal data included; only its owner may read it.
    const fh = await open(tmp, 'w', 0o600);
    try {
      for (const p of parts) {
        if (typeof p === 'string') {
          for await (const chunk of createReadStream(p)) await fh.write(chunk as Buffer);
        } else await fh.write(p);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  try {
    const d = await open(dirname(out), 'r');
    await d.sync().finally(() => d.close());
  } catch {
    /* directory fsync is best effort */
  }
}

function noRegister(where: string): BackupRefused {
  return new BackupRefused({
    zh: `${where} 中没有精准数据库（从未迁移），无可备份`,
    en: `There is no Jingzhun database in ${where} (never migrated); nothing to back up`,
  });
}

// ---------------------------------------------------------------- backup

export async function backup(target: Target, outFile: string): Promise<BackupResult> {
  const t0 = performance.now();
  const file = resolve(outFile);
  const key = masterKey();
  const made = target.engine === 'pglite' ? await dumpPglite(target.pgdata) : await dumpPostgres(target.url, file);
  try {
    const payload = typeof made.payload === 'string' ? await sha256File(made.payload) : made.digest!;
    const manifest: Manifest = {
      format: 'jingzhun-backup',
      version: FORMAT_VERSION,
      engine: target.engine,
      payload: { kind: target.engine === 'pglite' ? 'pglite-datadir-tgz' : 'pg_dump-custom', ...payload },
      schema: made.schema,
      createdAt: new Date().toISOString(),
      app: { version: appVersion() },
      serverVersion: made.serverVersion,
      tables: made.tables,
      // The key is never in the backup: only its fingerprint, so a restore under another key is refused by name.
      key: { fingerprint: keyFingerprint(key) },
    };
    await writeAtomically(file, [encodeHeader(manifest, key), made.payload]);
    return { engine: target.engine, file, ...payload, schema: made.schema, tables: made.tables, seconds: (performance.now() - t0) / 1000 };
  } finally {
    if (typeof made.payload === 'string') rmSync(made.payload, { force: true });
  }
}

interface Dumped {
  payload: Buffer | string;
  digest?: { sha256: string; bytes: number };
  schema: SchemaLevel;
  serverVersion: string;
  tables: TableFigures[];
}

async function dumpPglite(pgdata: string): Promise<Dumped> {
  if (!existsSync(join(pgdata, 'PG_VERSION'))) throw noRegister(pgdata);
  let db: Db;
  try {
    db = await openPglite({ dataDir: pgdata });
  } catch (e) {
    const pid = lockHolder(pgdata);
    if (e instanceof DataDirLockedError && pid) throw new BackupLockedError(pgdata, pid, 'backup');
    throw e;
  }
  try {
    // This process holds pgdata.lock and PGlite has one connection: nothing writes between the figures and the dump.
    const schema = await schemaLevel(db);
    if (!schema) throw noRegister(pgdata);
    const tables = await db.transaction((tx) => tableFigures(tx));
    const [v] = await db.query<{ server_version: string }>('SHOW server_version');
    // PGlite's own 'gzip' runs on the main thread and took ~2x as long as node's zlib in the threadpool.
    const tar = await db.pglite!.dumpDataDir('none');
    const payload = await gzipAsync(Buffer.from(await tar.arrayBuffer()), { level: 6 });
    const digest = { sha256: createHash('sha256').update(payload).digest('hex'), bytes: payload.length };
    return { payload, digest, schema, serverVersion: `PGlite ${v?.server_version ?? '?'}`, tables };
  } finally {
    await db.close();
  }
}

async function dumpPostgres(url: string, outFile: string): Promise<Dumped> {
  const db = await openPostgres(url, { max: 1 });
  const tmp = `${outFile}.partial-${process.pid}.dump`;
  try {
    return await db.transaction(async (tx) => {
      // The manifest's figures and pg_dump read the same snapshot, so they agree even while the server keeps writing.
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const [s] = await tx.query<{ snap: string }>('SELECT pg_export_snapshot() AS snap');
      const schema = await schemaLevel(tx);
      if (!schema) throw noRegister(redact(url));
      const tables = await tableFigures(tx);
      const [v] = await tx.query<{ server_version: string }>('SHOW server_version');
      // pg_dump creates its file with the default mode: make it 0600 before anything is written to it.
      writeFileSync(tmp, '', { mode: 0o600 });
      await pgTool('pg_dump', ['--format=custom', `--snapshot=${s!.snap}`, `--file=${tmp}`], url);
      return { payload: tmp, schema, serverVersion: `PostgreSQL ${v?.server_version ?? '?'}`, tables };
    });
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------- restore

export async function restore(target: Target, inFile: string, opts: { force?: boolean } = {}): Promise<RestoreResult> {
  const t0 = performance.now();
  const file = resolve(inFile);
  const { manifest, payloadOffset } = await readBackup(file);
  if (manifest.engine !== target.engine) {
    const from = ENGINE_NAME[manifest.engine] ?? { zh: String(manifest.engine), en: String(manifest.engine) };
    const to = ENGINE_NAME[target.engine];
    throw new BackupRefused({
      zh: `备份 ${file} 来自${from.zh}，当前配置是${to.zh}，不能直接恢复；请在相同引擎上恢复${target.engine === 'postgres' ? '（取消 DATABASE_URL）' : '（设置 DATABASE_URL）'}；未做任何更改`,
      en: `The backup ${file} was taken from the ${from.en}, but this configuration uses the ${to.en}; restore it on the same engine${target.engine === 'postgres' ? ' (unset DATABASE_URL)' : ' (set DATABASE_URL)'}; nothing was changed`,
    });
  }
  checkSchemaNotNewer(file, manifest.schema);
  const done =
    target.engine === 'pglite'
      ? await restorePglite(target.pgdata, file, manifest, payloadOffset, !!opts.force)
      : await restorePostgres(target.url, file, manifest, payloadOffset, !!opts.force);
  return {
    engine: target.engine, file, createdAt: manifest.createdAt, schema: manifest.schema,
    tables: done.tables, movedAside: done.movedAside, seconds: (performance.now() - t0) / 1000,
  };
}

function mismatch(checks: TableCheck[], tail: { zh: string; en: string }): BackupRefused | null {
  const bad = checks.filter((c) => !c.ok);
  if (!bad.length) return null;
  const list = bad.slice(0, 10).map((c) => `${c.name} (${c.rows}/${c.expectedRows ?? '-'})`).join(', ');
  return new BackupRefused({
    zh: `恢复后的核对不一致：${list}；${tail.zh}`,
    en: `The restored tables do not match the backup: ${list}; ${tail.en}`,
  });
}

function foreignObjects(file: string, extra: string[], outcome: { zh: string; en: string }): BackupRefused {
  const shown = extra.slice(0, 10).join('; ') + (extra.length > 10 ? ` … (+${extra.length - 10})` : '');
  return new BackupRefused({
    zh: `备份 ${file} 中有精准自己的数据库对象以外的内容（${extra.length} 项：${shown}），可能是被加入的函数、表或其他对象；拒绝恢复，${outcome.zh}。请用未被改动的数据库重新备份`,
    en: `The backup ${file} holds objects that are not Jingzhun's own (${extra.length}: ${shown}), possibly an added function, table or other object; it is refused, ${outcome.en}. Take the backup again from an unaltered database`,
  });
}

async function restorePglite(pgdata: string, file: string, manifest: Manifest, offset: number, force: boolean) {
  const holder = lockHolder(pgdata);
  if (holder) throw new BackupLockedError(pgdata, holder, 'restore');
  const exists = existsSync(pgdata);
  if (exists && !force) {
    throw new Conflict({
      zh: `数据目录 ${pgdata} 已存在；要用备份替换它，请加 --force（原目录会改名保留，不会删除）；未做任何更改`,
      en: `The data dir ${pgdata} exists; add --force to replace it with the backup (the old one is renamed and kept, never deleted); nothing was changed`,
    });
  }
  const tar = await gunzipAsync(readFileSync(file).subarray(offset));
  // Hold the lock from here: openPglite below takes it over (same pid) and releases it on close.
  mkdirSync(dirname(pgdata), { recursive: true });
  writeFileSync(`${pgdata}.lock`, String(process.pid));
  const movedAside = exists ? `${pgdata}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}` : null;
  if (movedAside) renameSync(pgdata, movedAside);
  const undo = () => {
    // Only the copy just made from the file is removed; the previous data dir goes back where it was.
    rmSync(pgdata, { recursive: true, force: true });
    if (movedAside) renameSync(movedAside, pgdata);
  };
  let tables: TableCheck[];
  let extra: string[];
  try {
    const db = await openPglite({ dataDir: pgdata, loadDataDir: new Blob([tar]) });
    try {
      // A tarball has no list to read beforehand: the loaded catalog is checked, and the restore undone on anything foreign.
      extra = await unexpectedInCatalog(db);
      tables = compareFigures(manifest.tables, await db.transaction((tx) => tableFigures(tx)));
    } finally {
      await db.close();
    }
  } catch (e) {
    undo();
    throw e;
  } finally {
    try {
      if (readFileSync(`${pgdata}.lock`, 'utf8') === String(process.pid)) rmSync(`${pgdata}.lock`);
    } catch {
      /* released by close */
    }
  }
  if (extra.length) {
    undo();
    throw foreignObjects(file, extra, { zh: '已撤销，数据目录保持原样', en: 'undone, the data dir is as it was' });
  }
  const bad = mismatch(tables, { zh: '已撤销，数据目录保持原样', en: 'undone, the data dir is as it was' });
  if (bad) {
    undo();
    throw bad;
  }
  return { tables, movedAside };
}

async function restorePostgres(url: string, file: string, manifest: Manifest, offset: number, force: boolean) {
  // Only the project's own objects and their data: anything else in the archive is refused before pg_restore runs.
  const list = await pgTool('pg_restore', ['--list'], null, createReadStream(file, { start: offset }));
  const extra = unexpectedEntries(list);
  if (extra.length) throw foreignObjects(file, extra, { zh: '未做任何更改', en: 'nothing was changed' });
  const db = await openPostgres(url, { max: 1 });
  try {
    const [o] = await db.query<{ n: number; db: string }>(
      `SELECT count(*)::int AS n, current_database() AS db FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    if (o && o.n > 0) {
      throw new Conflict({
        zh: `数据库 ${o.db} 还有 ${o.n} 个其他连接（jingzhun serve 是否在运行？）；请先停止它们再恢复；未做任何更改`,
        en: `The database ${o.db} has ${o.n} other connections (is jingzhun serve running?); stop them before restoring; nothing was changed`,
      });
    }
    const existing = await schemaLevel(db);
    if (existing && !force) {
      throw new Conflict({
        zh: `数据库 ${o?.db} 已有精准数据（${existing.migrations} 次迁移）；恢复会替换它：请先备份，再加 --force；未做任何更改`,
        en: `The database ${o?.db} already holds a Jingzhun register (${existing.migrations} migrations); a restore replaces it: back it up first, then add --force; nothing was changed`,
      });
    }
  } finally {
    await db.close();
  }
  // One transaction: a restore that fails anywhere leaves the database as it was.
  await pgTool('pg_restore', ['--single-transaction', '--clean', '--if-exists', '--no-owner', '--no-privileges', '--exit-on-error'], url, createReadStream(file, { start: offset }));
  const after = await openPostgres(url, { max: 1 });
  let tables: TableCheck[];
  try {
    tables = compareFigures(manifest.tables, await after.transaction((tx) => tableFigures(tx)));
  } finally {
    await after.close();
  }
  const bad = mismatch(tables, { zh: '请检查数据库，或重新恢复', en: 'check the database, or restore again' });
  if (bad) throw bad;
  return { tables, movedAside: null };
}

// ---------------------------------------------------------------- pg_dump / pg_restore

/** The URL without its password, for messages and the command line (the password goes in PGPASSWORD, not in `ps`). */
function redact(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, '@');
  }
}

/** Runs pg_dump / pg_restore; resolves to its standard output (only kept without a database: `pg_restore --list`). */
function pgTool(cmd: 'pg_dump' | 'pg_restore', args: string[], url: string | null, stdin?: NodeJS.ReadableStream): Promise<string> {
  let password = '';
  try {
    if (url) password = decodeURIComponent(new URL(url).password);
  } catch {
    /* not a URL: libpq parses it */
  }
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((ok, fail) => {
    const child = spawn(cmd, url ? [...args, `--dbname=${redact(url)}`] : args, { env, stdio: [stdin ? 'pipe' : 'ignore', url ? 'ignore' : 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < 20_000) err += d.toString('utf8');
    });
    if (stdin) {
      stdin.on('error', (e) => child.kill() && fail(e));
      child.stdin!.on('error', () => {}); // pg_restore exiting early closes the pipe; its exit code says why
      stdin.pipe(child.stdin!);
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') {
        fail(new AppError(500, 'tool_missing', {
          zh: `找不到 ${cmd}；请安装与服务器主版本相同的 PostgreSQL 客户端（Debian：apt-get install postgresql-client）`,
          en: `${cmd} was not found; install the PostgreSQL client of the server's major version (Debian: apt-get install postgresql-client)`,
        }));
      } else fail(e);
    });
    child.on('close', (code) => {
      // `pg_restore --list` stops after the table of contents: the rest of the file is not read.
      (stdin as { destroy?: () => void } | undefined)?.destroy?.();
      if (code === 0) return ok(out);
      const text = err.trim().split('\n').slice(-8).join('\n');
      const restoring = cmd === 'pg_restore' && url !== null;
      fail(new AppError(500, `${cmd}_failed`, {
        zh: `${cmd} 失败（退出码 ${code}）${restoring ? '，整个恢复已回滚，数据库保持原样' : url === null ? '，归档无法读取，未做任何更改' : ''}：\n${text}`,
        en: `${cmd} failed (exit code ${code})${restoring ? '; the whole restore was rolled back, the database is as it was' : url === null ? '; the archive cannot be read, nothing was changed' : ''}:\n${text}`,
      }));
    });
  });
}

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}
