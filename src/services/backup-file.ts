// The backup file: one header line, a JSON manifest, then the engine's own payload (a gzip tarball
// of PGlite's data dir, or a pg_dump custom-format archive). The header carries the sha256 of the
// manifest and an HMAC-SHA256 of it under a key derived from the master key (secret-box.ts:
// subkey('backup-signature')); the manifest carries the sha256 of the payload and the master key's
// fingerprint. So one flipped byte anywhere is caught before anything is touched, and a file edited
// or made by someone without the key (a forged manifest, another archive) is refused. A backup taken
// under another master key is refused with that key's fingerprint: ID numbers and phones are sealed
// with it, so the register would not open under the current one. Also here: the per-table figures.
//
//   JINGZHUN-BACKUP 2 <manifest bytes> <manifest sha256> <manifest HMAC>\n
//   <manifest JSON>\n
//   <payload>
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, Sql } from '../db/client.js';
import { migrationsFolder } from '../db/migrate.js';
import { AppError, type Msg } from '../domain/errors.js';
import { keyFingerprint, masterKey, SECRET_KEY_ENV, secretKeyFile, subkey } from './secret-box.js';

export const MAGIC = 'JINGZHUN-BACKUP';
/** 2: the manifest is signed (HMAC) and names the master key's fingerprint. Unsigned (1) files are refused. */
export const FORMAT_VERSION = 2;

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
  /** The master key in force when the backup was taken (its fingerprint only; the key is never in a backup). */
  key: { fingerprint: string };
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

const signingInput = (body: Buffer) => Buffer.concat([Buffer.from(`${MAGIC} ${FORMAT_VERSION}\n`, 'utf8'), body]);
const sign = (body: Buffer, key: Buffer) => createHmac('sha256', subkey('backup-signature', key)).update(signingInput(body)).digest('hex');

/** The header and manifest, signed under `key` (the master key by default). */
export function encodeHeader(manifest: Manifest, key: Buffer = masterKey()): Buffer {
  const body = Buffer.from(JSON.stringify(manifest), 'utf8');
  const sha = createHash('sha256').update(body).digest('hex');
  return Buffer.concat([Buffer.from(`${MAGIC} ${FORMAT_VERSION} ${body.length} ${sha} ${sign(body, key)}\n`, 'utf8'), body, Buffer.from('\n')]);
}

/**
 * The master key a restore checks against, without creating one: JINGZHUN_SECRET_KEY, else the data
 * dir's key file when it exists. Undefined when neither is there.
 */
export function existingMasterKey(): Buffer | undefined {
  if (process.env[SECRET_KEY_ENV] || existsSync(secretKeyFile())) return masterKey();
  return undefined;
}

function otherKey(file: string, fingerprint: string, current: string | null): BackupRefused {
  const now = current
    ? { zh: `当前密钥的指纹是 ${current}`, en: `the current key's fingerprint is ${current}` }
    : { zh: `当前没有密钥（未设置 ${SECRET_KEY_ENV}，数据目录中也没有 secret.key）`, en: `there is no key now (${SECRET_KEY_ENV} is not set and the data dir has no secret.key)` };
  return new BackupRefused({
    zh: `备份 ${file} 是在另一把密钥下做的（密钥指纹 ${fingerprint}），${now.zh}。身份证号、电话等用该密钥加密存放，换了密钥就无法解开。` +
      `请把环境变量 ${SECRET_KEY_ENV} 设为做备份时的那把密钥（指纹 ${fingerprint}；或放回原来的 secret.key 文件）后再恢复；未做任何更改`,
    en: `The backup ${file} was made under another secret key (fingerprint ${fingerprint}); ${now.en}. ID numbers and phones are encrypted at rest with that key and would not open under another. ` +
      `Set ${SECRET_KEY_ENV} to the key the backup was made with (fingerprint ${fingerprint}; or put the original secret.key file back), then restore again; nothing was changed`,
  });
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

/**
 * Reads and checks a backup file: header, manifest hash, the key's fingerprint, the signature, the
 * payload hash. Returns the manifest and where the payload starts. `key`: the master key to check
 * against (default: the one configured, see existingMasterKey).
 */
export async function readBackup(file: string, key: Buffer | undefined = existingMasterKey()): Promise<{ manifest: Manifest; payloadOffset: number }> {
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
  const line = nl > 0 ? head.subarray(0, nl).toString('latin1') : '';
  if (/^JINGZHUN-BACKUP 1 \d+ [0-9a-f]{64}$/.test(line)) {
    throw new BackupRefused({
      zh: `备份文件 ${file} 没有签名（由旧版本生成），无法确认它未被改动，拒绝恢复；请用本版本重新备份（jingzhun backup）；未做任何更改`,
      en: `The backup file ${file} is not signed (made by an older version), so it cannot be shown to be unaltered; it is refused. Take a new backup with this version (jingzhun backup); nothing was changed`,
    });
  }
  const m = /^JINGZHUN-BACKUP (\d+) (\d+) ([0-9a-f]{64})(?: ([0-9a-f]{64}))?$/.exec(line);
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
  const fingerprint = typeof manifest.key?.fingerprint === 'string' ? manifest.key.fingerprint : null;
  if (!m[4] || !fingerprint) {
    throw new BackupRefused({
      zh: `备份文件 ${file} 没有签名或密钥指纹，无法确认它未被改动，拒绝恢复；未做任何更改`,
      en: `The backup file ${file} has no signature or key fingerprint, so it cannot be shown to be unaltered; it is refused; nothing was changed`,
    });
  }
  // The key first: under another key the signature cannot match, and the helpful answer is which key.
  if (!key || keyFingerprint(key) !== fingerprint) throw otherKey(file, fingerprint, key ? keyFingerprint(key) : null);
  const want = Buffer.from(sign(body.subarray(0, len), key), 'hex');
  if (!timingSafeEqual(want, Buffer.from(m[4], 'hex'))) {
    throw new BackupRefused({
      zh: `备份文件 ${file} 的签名不对：清单在备份后被改动过，或文件不是用本密钥做的备份（伪造）；拒绝恢复，未做任何更改`,
      en: `The signature of the backup file ${file} does not match: its manifest was altered after the backup, or the file was not made with this key (forged); it is refused, nothing was changed`,
    });
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
