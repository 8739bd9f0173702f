// The audit log's hash chain (issue 7). Migration 0010 makes audit_log append-only (UPDATE, DELETE
// and TRUNCATE raise). Rows are inserted unsealed; at COMMIT a deferred trigger seals the
// transaction's rows: each gets chain_seq (its position in the chain, so chain order = commit order),
// prev_hash (the previous row's hash) and hash = sha256 of the row's canonical text, and the head in
// audit_chain moves once. The head is locked only while a transaction commits, never while it still
// waits for other locks (locking it at the first insert serialised every audited transaction and
// deadlocked one that audited and then waited for a row another held while auditing).
// verifyAudit reads the log in chain_seq order and recomputes every hash here in Node from the
// stored values, so an edited row (hash mismatch), a removed row (a gap in chain_seq, and the next
// row's prev_hash no longer names its predecessor) or removed last rows (the head names a position
// that is gone) show. Id gaps prove nothing: a rolled-back transaction consumes ids too.
//
// What the chain cannot show on its own: someone with the database's superuser rights who rewrites
// every hash from the edited row to the end and the head as well. Record the head hash that
// `jingzhun audit verify` prints somewhere else (a signed report, a ticket) to anchor it.
import { createHash } from 'node:crypto';
import type { Sql } from '../db/client.js';
import { require, type Ctx } from './context.js';

/**
 * A row as the canonical text reads it: every value as text exactly as PostgreSQL prints it (numbers
 * in decimal, char(n) without trailing blanks, jsonb in its canonical text form), `at` in UTC as
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds), null for NULL.
 */
export interface AuditCanonicalRow {
  prevHash: string | null;
  chainSeq: string | null;
  id: string;
  at: string | null;
  actorId: string | null;
  actorName: string | null;
  action: string | null;
  entity: string | null;
  entityId: string | null;
  countyCode: string | null;
  householdId: string | null;
  before: string | null;
  after: string | null;
  note: string | null;
}

export const AUDIT_CANONICAL_VERSION = 'jingzhun-audit-v1';
/** Order of the fields in the canonical text (the SQL function audit_canonical uses the same). */
export const AUDIT_CANONICAL_FIELDS = [
  'prevHash', 'chainSeq', 'id', 'at', 'actorId', 'actorName', 'action', 'entity', 'entityId', 'countyCode', 'householdId', 'before', 'after', 'note',
] as const satisfies readonly (keyof AuditCanonicalRow)[];

const US = '\u001f';

/** NULL is `~`; a value is its length in UTF-8 bytes, `:`, then the value — unambiguous whatever it holds. */
function field(v: string | null): string {
  return v === null ? '~' : `${Buffer.byteLength(v, 'utf8')}:${v}`;
}

/**
 * The canonical text of a row, the same string as the SQL function `audit_canonical` (migration 0010):
 * `jingzhun-audit-v1`, then for each field of AUDIT_CANONICAL_FIELDS a unit separator (U+001F) and the field.
 */
export function auditCanonical(r: AuditCanonicalRow): string {
  let s = AUDIT_CANONICAL_VERSION;
  for (const k of AUDIT_CANONICAL_FIELDS) s += US + field(r[k]);
  return s;
}

/** Lower-case hex sha256 of the canonical text in UTF-8: the row's `hash`. */
export function auditHash(r: AuditCanonicalRow): string {
  return createHash('sha256').update(auditCanonical(r), 'utf8').digest('hex');
}

/** Reads rows as the canonical text needs them (the same text forms the trigger hashed). */
const ROW_SQL = `
  SELECT id, id::text AS id_text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
         actor_id::text AS actor_id, actor_name::text AS actor_name, action::text AS action, entity::text AS entity,
         entity_id::text AS entity_id, county_code::text AS county_code, household_id::text AS household_id,
         before::text AS before, after::text AS after, note, prev_hash::text AS prev_hash, hash::text AS hash,
         chain_seq, chain_seq::text AS chain_seq_text
    FROM audit_log`;

interface RawRow {
  id: number;
  id_text: string;
  at: string | null;
  actor_id: string | null;
  actor_name: string | null;
  action: string | null;
  entity: string | null;
  entity_id: string | null;
  county_code: string | null;
  household_id: string | null;
  before: string | null;
  after: string | null;
  note: string | null;
  prev_hash: string | null;
  hash: string | null;
  chain_seq: number | null;
  chain_seq_text: string | null;
}

function canonicalRow(r: RawRow): AuditCanonicalRow {
  return {
    prevHash: r.prev_hash, chainSeq: r.chain_seq_text, id: r.id_text, at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, entity: r.entity,
    entityId: r.entity_id, countyCode: r.county_code, householdId: r.household_id, before: r.before, after: r.after, note: r.note,
  };
}

/** The canonical row of one stored audit row by id (for tests and for looking into a reported row). */
export async function auditRow(sql: Pick<Sql, 'query'>, id: number): Promise<(AuditCanonicalRow & { hash: string | null }) | null> {
  const [r] = await sql.query<RawRow>(`${ROW_SQL} WHERE id = $1`, [id]);
  return r ? { ...canonicalRow(r), hash: r.hash } : null;
}

export type AuditBadReason = 'hash mismatch' | 'broken link' | 'missing seq (deleted row?)';

export const AUDIT_BAD_REASONS: Record<AuditBadReason, { zh: string; en: string }> = {
  'hash mismatch': { zh: '哈希不符：该行内容在写入后被改动', en: 'hash mismatch: the row was changed after it was written' },
  'broken link': { zh: '链接断开：前一行的哈希与本行记录的不同（链被改写）', en: 'broken link: the row before it is not the one it was chained to (the chain was rewritten)' },
  'missing seq (deleted row?)': {
    zh: '缺失：链序号（chain_seq）有缺口，或链末记录的行已不在（行被删除？）',
    en: 'missing seq: a position in the chain (chain_seq) is missing before this row, or the row the head names is gone (rows deleted?)',
  },
};

export interface AuditVerification {
  /** Rows checked (up to and including the first bad one). */
  rows: number;
  /** No bad row, the head matches the last row, and no row is unsealed or unchained. */
  ok: boolean;
  /** The first bad row: its id and chain position (for a missing tail, the head's). */
  firstBad: { id: number | null; seq: number | null; reason: AuditBadReason } | null;
  /** audit_chain's head names the last row checked and its hash. */
  headMatches: boolean;
  /** The head read at the start; rows sealed after it are left for the next run. */
  head: { id: number | null; seq: number | null; hash: string | null };
  /** The last row checked. */
  lastId: number | null;
  lastSeq: number | null;
  /**
   * Rows with no hash. The seal runs at commit, so only an uncommitted transaction has such rows and
   * nobody else sees them: a committed one was written with the triggers switched off.
   */
  unsealed: number;
  /** A sealed row beyond the head that the head never moved to (written with the triggers off): its id. */
  unchained: number | null;
}

export interface VerifyOptions {
  /** Run on this connection or transaction instead of ctx.db (to see a transaction's own changes). */
  sql?: Pick<Sql, 'query'>;
  batchSize?: number;
  /** After each batch: rows checked so far, the last chain_seq, the head's chain_seq. */
  onProgress?: (rows: number, lastSeq: number, headSeq: number | null) => void;
}

/**
 * Recomputes the whole chain, streaming the log in chain_seq order in batches. The city administrator
 * or the console operator only (it covers every county).
 *
 * The head is read first and rows up to its chain_seq are checked: rows join the chain only at commit,
 * under the head's lock, above the committed head, so every row at or below it is committed and
 * nothing is missed while others keep writing, without holding one snapshot over the whole run.
 */
export async function verifyAudit(ctx: Ctx, opts: VerifyOptions = {}): Promise<AuditVerification> {
  require(ctx, 'audit.verify'); // the role table; the console operator (systemActor) always may
  const sql = opts.sql ?? ctx.db;
  const batch = opts.batchSize ?? 1000;
  const [h] = await sql.query<{ last_id: number | null; last_seq: number | null; last_hash: string | null }>(
    'SELECT last_id, last_seq, last_hash::text AS last_hash FROM audit_chain WHERE id = 1');
  const head = { id: h?.last_id ?? null, seq: h?.last_seq ?? null, hash: h?.last_hash ?? null };

  let rows = 0;
  let prevHash: string | null = null;
  let last = null as { id: number; seq: number; hash: string | null } | null;
  let firstBad: AuditVerification['firstBad'] = null;
  // With no head (no row in audit_chain) every sealed row is read, and the head cannot match any.
  const upTo = head.seq ?? Number.MAX_SAFE_INTEGER;
  let after = 0;
  scan: for (;;) {
    const page = await sql.query<RawRow>(`${ROW_SQL} WHERE chain_seq > $1 AND chain_seq <= $2 ORDER BY chain_seq LIMIT $3`, [after, upTo, batch]);
    for (const r of page) {
      rows++;
      const seq = r.chain_seq!;
      if (auditHash(canonicalRow(r)) !== r.hash) {
        firstBad = { id: r.id, seq, reason: 'hash mismatch' };
        break scan;
      }
      if (seq !== (last?.seq ?? 0) + 1) {
        firstBad = { id: r.id, seq, reason: 'missing seq (deleted row?)' };
        break scan;
      }
      if (r.prev_hash !== prevHash) {
        firstBad = { id: r.id, seq, reason: 'broken link' };
        break scan;
      }
      prevHash = r.hash;
      last = { id: r.id, seq, hash: r.hash };
    }
    if (page.length) {
      after = page[page.length - 1]!.chain_seq!;
      opts.onProgress?.(rows, after, head.seq);
    }
    if (page.length < batch) break;
  }
  // Last rows removed: the head names a position beyond the last row there is.
  if (!firstBad && head.seq !== null && (last === null || last.seq < head.seq)) firstBad = { id: head.id, seq: head.seq, reason: 'missing seq (deleted row?)' };
  let headMatches = firstBad === null &&
    (last === null ? head.seq === null && head.hash === null : last.seq === head.seq && last.id === head.id && last.hash === head.hash);
  // Rows beyond the head are fine when they were sealed after the head was read: their commit moved the
  // head. A sealed row beyond a head that has not moved was never chained by the trigger.
  let unchained: number | null = null;
  if (headMatches) {
    const [beyond] = await sql.query<{ id: number }>('SELECT id FROM audit_log WHERE chain_seq > $1 ORDER BY chain_seq LIMIT 1', [head.seq ?? 0]);
    if (beyond) {
      const [now] = await sql.query<{ last_seq: number | null }>('SELECT last_seq FROM audit_chain WHERE id = 1');
      if ((now?.last_seq ?? null) === head.seq) {
        unchained = beyond.id;
        headMatches = false;
      }
    }
  }
  // Hashed rows without a position are not on the chain either (the walk never reads them).
  const [u] = await sql.query<{ unsealed: number; unplaced: number | null }>(
    `SELECT (SELECT count(*)::int FROM audit_log WHERE hash IS NULL) AS unsealed,
            (SELECT min(id) FROM audit_log WHERE chain_seq IS NULL AND hash IS NOT NULL) AS unplaced`);
  const unsealed = u?.unsealed ?? 0;
  if (unchained === null && u?.unplaced != null) unchained = u.unplaced;
  return {
    rows, ok: firstBad === null && headMatches && unsealed === 0 && unchained === null, firstBad, headMatches, head,
    lastId: last?.id ?? null, lastSeq: last?.seq ?? null, unsealed, unchained,
  };
}
