// The backup file: one header line, a JSON manifest, then the engine's own payload (a gzip tarball
// of PGlite's data dir, or a pg_dump custom-format archive). The header carries the sha256 of the
// manifest and the manifest the sha256 of the payload, so one flipped byte anywhere is caught
// before anything is touched. Also here: the per-table figures both sides compare.
//
//   JINGZHUN-BACKUP 1 <manifest bytes> <manifest sha256>\n
//   <manifest JSON>\n
//   <payload>
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, Sql } from '../db/client.js';
import { migrationsFolder } from '../db/migrate.js';
import { AppError, type Msg } from '../domain/errors.js';

export const MAGIC = 'JINGZHUN-BACKUP';
export const FORMAT_VERSION = 1;

export interface TableFigures {
  /** schema.table */
  name: string;
  rows: number;
  /** Order-independent content sum: Σ over rows of the first 60 bits of md5(row::text), in decimal. */
  checksum: string;
}

export interface SchemaLevel {
  /** Rows in drizzle.__drizzle_migrations (applied migrations). */
  migrations: number;
  /** created_at of the last applied migration = the journal's `when` of its folder. */
  lastMillis: number;
  /** That migration's tag, when this build knows it. */
  lastTag: string | null;
}

export interface Manifest {
  format: 'jingzhun-backup';
  version: number;
  engine: Engine;
  payload: { kind: 'pglite-datadir-tgz' | 'pg_dump-custom'; bytes: number; sha256: string };
  schema: SchemaLevel;
  createdAt: string;
  app: { version: string };
  /** PostgreSQL version of the source (PGlite's embedded one, or the server's). */
  serverVersion: string;
  tables: TableFigures[];
}

export class BackupRefused extends AppError {
  constructor(msg: Msg) {
    super(400, 'backup_refused', msg);
  }
}

const corrupt = (file: string, why: Msg) =>
  new BackupRefused({
    zh: `备份文件 ${file} 已损坏或不是精准备份（${why.zh}），未做任何更改`,
    en: `The backup file ${file} is corrupt or not a Jingzhun backup (${why.en}); nothing was changed`,
  });

export function encodeHeader(manifest: Manifest): Buffer {
  const body = Buffer.from(JSON.stringify(manifest), 'utf8');
  const sha = createHash('sha256').update(body).digest('hex');
  return Buffer.concat([Buffer.from(`${MAGIC} ${FORMAT_VERSION} ${body.length} ${sha}\n`, 'utf8'), body, Buffer.from('\n')]);
}

export async function sha256File(file: string, start = 0): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { start })) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/** Reads and checks a backup file: header, manifest hash, payload hash. Returns the manifest and where the payload starts. */
export async function readBackup(file: string): Promise<{ manifest: Manifest; payloadOffset: number }> {
  const fh = await open(file, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(256);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const nl = head.indexOf(0x0a);
  const m = nl > 0 ? /^JINGZHUN-BACKUP (\d+) (\d+) ([0-9a-f]{64})$/.exec(head.subarray(0, nl).toString('latin1')) : null;
  if (!m) throw corrupt(file, { zh: '文件头不对', en: 'no backup header' });
  if (Number(m[1]) > FORMAT_VERSION) {
    throw new BackupRefused({
      zh: `备份文件格式版本 ${m[1]} 比本程序支持的 ${FORMAT_VERSION} 新，请先升级精准`,
      en: `The backup format version ${m[1]} is newer than this build supports (${FORMAT_VERSION}); upgrade Jingzhun first`,
    });
  }
  const len = Number(m[2]);
  if (len > 64 * 1024 * 1024) throw corrupt(file, { zh: '清单长度异常', en: 'manifest length out of range' });
  const start = nl + 1;
  const fh2 = await open(file, 'r');
  let body: Buffer;
  try {
    body = Buffer.alloc(len + 1);
    const { bytesRead } = await fh2.read(body, 0, len + 1, start);
    if (bytesRead !== len + 1) throw corrupt(file, { zh: '文件被截断', en: 'the file is truncated' });
  } finally {
    await fh2.close();
  }
  if (body[len] !== 0x0a || createHash('sha256').update(body.subarray(0, len)).digest('hex') !== m[3]) {
    throw corrupt(file, { zh: '清单校验和不符', en: 'the manifest checksum does not match' });
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(body.subarray(0, len).toString('utf8')) as Manifest;
  } catch {
    throw corrupt(file, { zh: '清单不是 JSON', en: 'the manifest is not JSON' });
  }
  if (manifest.format !== 'jingzhun-backup' || !manifest.payload || !Array.isArray(manifest.tables)) {
    throw corrupt(file, { zh: '清单内容不对', en: 'unexpected manifest' });
  }
  const payloadOffset = start + len + 1;
  const got = await sha256File(file, payloadOffset);
  if (got.bytes !== manifest.payload.bytes) {
    throw corrupt(file, { zh: `数据长度 ${got.bytes} 字节，应为 ${manifest.payload.bytes}`, en: `the payload has ${got.bytes} bytes, expected ${manifest.payload.bytes}` });
  }
  if (got.sha256 !== manifest.payload.sha256) throw corrupt(file, { zh: '数据校验和 (sha256) 不符', en: 'the payload sha256 does not match' });
  return { manifest, payloadOffset };
}

// ---------------------------------------------------------------- schema level and table figures

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

/** The migrations this build ships (drizzle-kit's journal). */
export function shippedMigrations(): JournalEntry[] {
  const j = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return j.entries;
}

/** The schema level of a database, or null when it was never migrated. */
export async function schemaLevel(db: Pick<Sql, 'query'>): Promise<SchemaLevel | null> {
  const [t] = await db.query<{ ok: boolean }>(`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS ok`);
  if (!t?.ok) return null;
  const [r] = await db.query<{ n: number; last: string | null }>(
    'SELECT count(*)::int AS n, max(created_at)::text AS last FROM drizzle.__drizzle_migrations',
  );
  const lastMillis = Number(r?.last ?? 0);
  return { migrations: r?.n ?? 0, lastMillis, lastTag: shippedMigrations().find((e) => e.when === lastMillis)?.tag ?? null };
}

/** Refuses a backup whose schema is newer than this build's migrations. */
export function checkSchemaNotNewer(file: string, level: SchemaLevel): void {
  const shipped = shippedMigrations();
  const last = shipped[shipped.length - 1];
  if (level.migrations > shipped.length || level.lastMillis > (last?.when ?? 0)) {
    throw new BackupRefused({
      zh: `备份 ${file} 的数据库结构（${level.migrations} 次迁移）比本程序（${shipped.length} 次，至 ${last?.tag}）新；请先升级精准再恢复，未做任何更改`,
      en: `The backup ${file} has a newer schema (${level.migrations} migrations) than this build (${shipped.length}, up to ${last?.tag}); upgrade Jingzhun before restoring; nothing was changed`,
    });
  }
}

/**
 * Every table of the public and drizzle schemas with its row count and content checksum. Runs in
 * the transaction it is given with the time zone and output styles pinned, so `row::text` is the
 * same text on the source and the restored copy whatever the server's settings.
 */
export async function tableFigures(tx: Pick<Sql, 'query'>): Promise<TableFigures[]> {
  await tx.query(`SET LOCAL TimeZone = 'UTC'`);
  await tx.query(`SET LOCAL DateStyle = 'ISO, YMD'`);
  await tx.query(`SET LOCAL IntervalStyle = 'postgres'`);
  await tx.query(`SET LOCAL extra_float_digits = 1`);
  await tx.query(`SET LOCAL bytea_output = 'hex'`);
  const tables = await tx.query<{ s: string; t: string }>(
    `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema IN ('public', 'drizzle') ORDER BY 1, 2`,
  );
  const out: TableFigures[] = [];
  for (const { s, t } of tables) {
    const ident = `"${s.replace(/"/g, '""')}"."${t.replace(/"/g, '""')}"`;
    const [r] = await tx.query<{ n: number; sum: string }>(
      `SELECT count(*)::bigint AS n,
              coalesce(sum(('x' || substr(md5(x::text), 1, 15))::bit(60)::bigint), 0)::text AS sum
         FROM ${ident} x`,
    );
    out.push({ name: `${s}.${t}`, rows: Number(r?.n ?? 0), checksum: r?.sum ?? '0' });
  }
  return out;
}

export interface TableCheck extends TableFigures {
  expectedRows: number | null;
  ok: boolean;
}

/** Compares the figures of a restored database with the manifest: every table, both ways. */
export function compareFigures(expected: TableFigures[], actual: TableFigures[]): TableCheck[] {
  const got = new Map(actual.map((t) => [t.name, t]));
  const rows: TableCheck[] = expected.map((e) => {
    const a = got.get(e.name);
    got.delete(e.name);
    return a
      ? { ...a, expectedRows: e.rows, ok: a.rows === e.rows && a.checksum === e.checksum }
      : { name: e.name, rows: 0, checksum: '', expectedRows: e.rows, ok: false };
  });
  for (const a of got.values()) rows.push({ ...a, expectedRows: null, ok: false });
  return rows;
}
