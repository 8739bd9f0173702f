// The key that seals personal data, over the whole database: the start-up check that it is the
// key the data was sealed with, the sealing of plaintext left by a database from before 0011,
// and `jingzhun keys rotate` (re-seal and re-hash everything under a new key in one transaction).
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Db, Sql } from '../db/client.js';
import { forgetMasterKey, keyFingerprint, masterKey, open, seal, secretKeyFile, SECRET_KEY_ENV } from './secret-box.js';
import { audit, systemActor, type Actor } from './context.js';
import { idColumns, keySet, openText, phoneColumns, withPreviousKeys, type KeySet } from './pii.js';

type Q = Pick<Sql, 'query'>;

/** Tables holding sealed values, their key columns and which of the two values they hold. */
const TABLES = [
  { table: 'members', key: ['county_code', 'id'], keyTypes: ['bpchar', 'int8'], id: true, phone: true },
  { table: 'cadres', key: ['county_code', 'id'], keyTypes: ['bpchar', 'int8'], id: true, phone: true },
  { table: 'department_records', key: ['id'], keyTypes: ['int8'], id: true, phone: false },
  { table: 'households', key: ['county_code', 'id'], keyTypes: ['bpchar', 'int8'], id: false, phone: true },
] as const;
type Table = (typeof TABLES)[number];

const BATCH = 5000;

/**
 * Refuses to go on when the data was sealed under another key (it could not be shown, and new
 * hashes would not match old ones); records the key's fingerprint on first use.
 */
export async function checkSealingKey(db: Q): Promise<void> {
  const fp = keyFingerprint();
  const [row] = await db.query<{ fingerprint: string }>('SELECT fingerprint FROM sealing_keys WHERE id = 1');
  if (!row) {
    await db.query('INSERT INTO sealing_keys (id, fingerprint) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [fp]);
    return;
  }
  if (row.fingerprint === fp) return;
  const pending = existsSync(`${secretKeyFile()}.new`) ? `；${secretKeyFile()}.new 是一次未完成的轮换留下的新密钥 / ${secretKeyFile()}.new holds the new key of an unfinished rotation` : '';
  throw new Error(
    `数据库中的身份证号和电话由指纹为 ${row.fingerprint} 的密钥加密，当前密钥指纹为 ${fp}。请把 ${SECRET_KEY_ENV}（或 ${secretKeyFile()}）设为原来的密钥${pending} / ` +
      `The ID numbers and phones in this database were sealed under the key with fingerprint ${row.fingerprint}, but the current key's is ${fp}. ` +
      `Set ${SECRET_KEY_ENV} (or ${secretKeyFile()}) to the key they were sealed with.`,
  );
}

function setList(t: Table): string[] {
  const cols: string[] = [];
  if (t.id) cols.push('id_hash', 'id_enc', 'id_masked');
  if (t.phone) cols.push('phone_enc', 'phone_masked');
  return cols;
}

/**
 * Writes sealed values (one array per column of setList) to the rows named by `keys`, in one
 * statement. A NULL value leaves its column as it is (a row with only a legacy phone keeps its
 * sealed ID); `clearLegacy` empties the plaintext columns of the rows written.
 */
async function writeSealed(db: Q, t: Table, keys: unknown[][], values: (string | null)[][], clearLegacy: boolean): Promise<void> {
  const cols = setList(t);
  const n = t.key.length;
  const keyParams = t.key.map((_, i) => `$${i + 1}::${t.keyTypes[i]}[]`);
  const valParams = cols.map((_, i) => `$${n + i + 1}::text[]`);
  const legacy = clearLegacy ? [...(t.id ? ['id_number = NULL'] : []), ...(t.phone ? ['phone = NULL'] : [])] : [];
  await db.query(
    `UPDATE ${t.table} AS x SET ${[...cols.map((c) => `${c} = coalesce(v.${c}, x.${c})`), ...legacy].join(', ')}
       FROM unnest(${[...keyParams, ...valParams].join(', ')}) AS v(${[...t.key.map((k) => `k_${k}`), ...cols].join(', ')})
      WHERE ${t.key.map((k) => `x.${k} = v.k_${k}`).join(' AND ')}`,
    [...keys, ...values],
  );
}

function sealedValues(t: Table, id: string | null, phone: string | null, keys: KeySet): (string | null)[] {
  return [
    ...(t.id ? (id ? idColumns(id, keys) : [null, null, null]) : []),
    ...(t.phone ? phoneColumns(phone, keys) : []),
  ];
}

/** Seals plaintext ID numbers and phones left by a database from before 0011; returns how many rows. */
export async function sealLegacyPersonalData(db: Q): Promise<number> {
  // Once a sweep found everything sealed, nothing writes plaintext again: later starts skip it.
  const [state] = await db.query<{ done: boolean }>('SELECT legacy_sealed_at IS NOT NULL AS done FROM sealing_keys WHERE id = 1');
  if (state?.done) return 0;
  let total = 0;
  for (const t of TABLES) {
    const legacy = [t.id ? 'id_number IS NOT NULL' : null, t.phone ? 'phone IS NOT NULL' : null].filter(Boolean).join(' OR ');
    for (;;) {
      const rows = await db.query<Record<string, string | null>>(
        `SELECT ${t.key.join(', ')}, ${t.id ? 'id_number' : 'NULL AS id_number'}, ${t.phone ? 'phone' : 'NULL AS phone'}
           FROM ${t.table} WHERE ${legacy} LIMIT ${BATCH}`,
      );
      if (!rows.length) break;
      const keys = t.key.map((k) => rows.map((r) => r[k]));
      const cols = setList(t).map(() => [] as (string | null)[]);
      for (const r of rows) {
        // A legacy phone beside an already sealed ID keeps the sealed ID.
        sealedValues(t, r.id_number?.trim() || null, r.phone || null, keySet()).forEach((v, i) => cols[i]!.push(v));
      }
      await writeSealed(db, t, keys, cols, true);
      total += rows.length;
    }
  }
  await db.query('UPDATE sealing_keys SET legacy_sealed_at = now() WHERE id = 1');
  return total;
}

export interface KeyStatus {
  /** Where the master key comes from: the environment variable's name, or the key file. */
  source: string;
  fingerprint: string;
  sealedWith: string | null;
  since: string | null;
}

/** The current key's fingerprint beside the one the data was sealed with (`jingzhun keys status`). */
export async function keyStatus(db: Q): Promise<KeyStatus> {
  const [row] = await db.query<{ fingerprint: string; since: string }>('SELECT fingerprint, since::text AS since FROM sealing_keys WHERE id = 1');
  return {
    source: process.env[SECRET_KEY_ENV] ? SECRET_KEY_ENV : secretKeyFile(),
    fingerprint: keyFingerprint(),
    sealedWith: row?.fingerprint ?? null,
    since: row?.since ?? null,
  };
}

export interface RotationResult {
  oldFingerprint: string;
  newFingerprint: string;
  rows: Record<string, number>;
  /** Where the new key was written; null when it came from a file the operator named. */
  keyFile: string | null;
  /** true when the key is set by JINGZHUN_SECRET_KEY: the operator must change it before restarting. */
  fromEnvironment: boolean;
}

/**
 * Re-seals and re-hashes every ID number and phone, and the sealed second-factor secrets, under
 * `newKey`, in one transaction (all or nothing). Servers must be stopped: one still running with
 * the old key would write values no search finds (and refuses to start again until its key is set).
 */
export async function rotateKeys(db: Db, newKey: Buffer | null, actor: Actor = systemActor()): Promise<RotationResult> {
  const oldKey = masterKey();
  const next = newKey ?? randomBytes(32);
  const oldFp = keyFingerprint(oldKey);
  const newFp = keyFingerprint(next);
  if (oldFp === newFp) throw new Error('新密钥与当前密钥相同 / the new key is the current key');
  const fromEnvironment = Boolean(process.env[SECRET_KEY_ENV]);
  // The new key is on disk before the data moves to it, so a crash after the commit cannot lose it.
  // With the key in the environment, a key the operator gave is theirs to keep; a generated one is
  // written beside the key file for them to move into the environment.
  const pendingFile = fromEnvironment && newKey ? null : `${secretKeyFile()}.new`;
  if (pendingFile) writeDurably(pendingFile, `${next.toString('hex')}\n`);
  const keys = keySet(next);
  const rows: Record<string, number> = {};
  try {
    await reseal(db, { oldKey, next, oldFp, newFp, keys, rows, actor });
  } catch (e) {
    if (pendingFile) rmSync(pendingFile, { force: true });
    throw e;
  }
  let keyFile: string | null = null;
  if (pendingFile && !fromEnvironment) {
    renameSync(pendingFile, secretKeyFile());
    forgetMasterKey();
    keyFile = secretKeyFile();
  } else if (pendingFile) keyFile = pendingFile;
  return { oldFingerprint: oldFp, newFingerprint: newFp, rows, keyFile, fromEnvironment };
}

interface Reseal {
  oldKey: Buffer;
  next: Buffer;
  oldFp: string;
  newFp: string;
  keys: KeySet;
  rows: Record<string, number>;
  actor: Actor;
}

async function reseal(db: Db, { oldKey, next, oldFp, newFp, keys, rows, actor }: Reseal): Promise<void> {
  await db.transaction(async (tx) => {
    await checkSealingKey(tx);
    await tx.query('SELECT 1 FROM sealing_keys WHERE id = 1 FOR UPDATE');
    await withPreviousKeys([oldKey], async () => {
      for (const t of TABLES) {
        await tx.query(`LOCK TABLE ${t.table} IN SHARE ROW EXCLUSIVE MODE`);
        rows[t.table] = 0;
        let after: unknown[] = t.key.map(() => null);
        for (;;) {
          const cond = after[0] === null ? 'true' : `(${t.key.join(', ')}) > (${t.key.map((_, i) => `$${i + 1}::${t.keyTypes[i]}`).join(', ')})`;
          const batch = await tx.query<Record<string, string | null>>(
            `SELECT ${t.key.join(', ')}, ${t.id ? 'id_enc' : 'NULL AS id_enc'}, ${t.phone ? 'phone_enc' : 'NULL AS phone_enc'}
               FROM ${t.table} WHERE ${cond} AND (${[t.id ? 'id_enc IS NOT NULL' : null, t.phone ? 'phone_enc IS NOT NULL' : null].filter(Boolean).join(' OR ')})
              ORDER BY ${t.key.join(', ')} LIMIT ${BATCH}`,
            after[0] === null ? [] : after,
          );
          if (!batch.length) break;
          const keyCols = t.key.map((k) => batch.map((r) => r[k]));
          const cols = setList(t).map(() => [] as (string | null)[]);
          for (const r of batch) {
            const id = r.id_enc ? openText('id', r.id_enc) : null;
            const phone = r.phone_enc ? openText('phone', r.phone_enc) : null;
            sealedValues(t, id, phone, keys).forEach((v, i) => cols[i]!.push(v));
          }
          await writeSealed(tx, t, keyCols, cols, false);
          rows[t.table] = (rows[t.table] ?? 0) + batch.length;
          const last = batch[batch.length - 1]!;
          after = t.key.map((k) => last[k]);
        }
      }
    });
    const totp = await tx.query<{ id: number; totp_secret: string }>('SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL ORDER BY id');
    for (const u of totp) {
      const ctx = `users:${u.id}`;
      await tx.query('UPDATE users SET totp_secret = $2 WHERE id = $1', [u.id, seal('totp', ctx, open('totp', ctx, u.totp_secret, oldKey), next)]);
    }
    rows.users = totp.length;
    await tx.query('UPDATE sealing_keys SET fingerprint = $1, since = now() WHERE id = 1', [newFp]);
    await audit(tx, actor, {
      action: 'rotate_key', entity: 'sealing_keys', entityId: 1, before: { fingerprint: oldFp }, after: { fingerprint: newFp, rows },
      note: '轮换个人信息加密密钥 / personal-data key rotated',
    });
  });
}

function writeDurably(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
