// The audit log is append-only and hash-chained (issue 7, migrations 0009–0010), on both engines:
// rows are sealed into the chain at commit, so chain order is commit order.
// On the shared PostgreSQL database other files keep inserting (valid rows) while this one runs, so
// whole-table verifications must stay OK; every tampering happens inside a transaction that is
// rolled back (ALTER TABLE … DISABLE TRIGGER is transactional), verified on that transaction.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { openPglite, type Db, type Sql } from '../src/db/client.js';
import { migrate, migrationsFolder } from '../src/db/migrate.js';
import { audit, systemActor, type Ctx } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { auditCanonical, auditHash, auditRow, verifyAudit } from '../src/services/audit.js';
import { engineName, testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let area: TestArea;
let admin: Ctx;
let householdId: number;

class Rollback extends Error {
  constructor(readonly value: unknown) {
    super('rollback');
  }
}

/** Runs fn in a transaction that is always rolled back, and returns its value. */
async function rolledBack<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      throw new Rollback(await fn(tx));
    });
  } catch (e) {
    if (e instanceof Rollback) return e.value as T;
    throw e;
  }
  throw new Error('not rolled back');
}

const idsOf = async (hid: number) =>
  (await db.query<{ id: number }>('SELECT id FROM audit_log WHERE household_id = $1 ORDER BY id', [hid])).map((r) => r.id);

/** The chain positions of rows by id. */
const seqsOf = async (q: Pick<Sql, 'query'>, ids: number[]) =>
  (await q.query<{ id: number; chain_seq: number | null; prev_hash: string | null; hash: string | null }>(
    'SELECT id, chain_seq, prev_hash::text AS prev_hash, hash::text AS hash FROM audit_log WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]));

/** The row after `id` in the chain. */
const nextInChain = async (q: Pick<Sql, 'query'>, id: number) =>
  (await q.query<{ id: number }>('SELECT id FROM audit_log WHERE chain_seq = (SELECT chain_seq + 1 FROM audit_log WHERE id = $1)', [id]))[0]!.id;

const triggerStates = async () =>
  (await db.query<{ name: string; enabled: string }>(
    `SELECT tgname AS name, tgenabled::text AS enabled FROM pg_trigger WHERE tgrelid IN ('audit_log'::regclass, 'audit_chain'::regclass) AND NOT tgisinternal ORDER BY tgname`,
  ));

beforeAll(async () => {
  db = await testDb();
  area = await makeArea(db);
  admin = { actor: systemActor('audit-chain-test'), db };
  const h = await createHousehold(admin, {
    household: { householdNo: householdNo('AU'), villageCode: area.villageCodes[0], attribute: '1', exitStatus: '1', mainCause: '01', identifiedOn: '2015-05-01', exitYear: 2019 },
    members: [{ name: '审计测试', idNumber: makeIdNumber(area.countyCode, '1970-03-04', '1'), relation: '01', ethnicity: '01' }],
  });
  householdId = h.id;
  // Two more rows of this household's own, with values that try the canonical text: CJK and a
  // supplementary-plane character, separators, '~', an empty note, NULLs, nested and unicode JSON.
  await db.transaction(async (tx) => {
    await audit(tx, admin.actor, {
      action: 'note', entity: 'households', entityId: householdId, countyCode: area.countyCode, householdId,
      before: { name: '张𠮷', list: [1, 2.5, null], z: { b: true, a: '\u001f~1:x' } }, after: 'just a string', note: '',
    });
    await audit(tx, admin.actor, { action: 'note', entity: 'households', entityId: null, countyCode: area.countyCode, householdId, note: '~' });
  });
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe(`audit chain (${engineName})`, () => {
  it('chains the rows services write at commit, and the whole log verifies', async () => {
    const ids = await idsOf(householdId);
    expect(ids.length).toBe(3);
    const rows = await seqsOf(db, ids);
    for (const r of rows) expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    // The two rows written in one transaction follow each other in the chain.
    expect(rows[2]!.chain_seq).toBe(rows[1]!.chain_seq! + 1);
    expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
    const v = await verifyAudit(admin);
    expect(v).toMatchObject({ ok: true, firstBad: null, headMatches: true, unchained: null, unsealed: 0 });
    expect(v.rows).toBeGreaterThanOrEqual(3);
    expect(v.lastSeq).toBeGreaterThanOrEqual(rows[2]!.chain_seq!);
  });

  it('leaves a row unsealed until its transaction commits', async () => {
    const inside = await rolledBack(async (tx) => {
      await audit(tx, admin.actor, { action: 'note', entity: 'households', householdId, note: 'not yet committed' });
      const [row] = await tx.query<{ hash: string | null; chain_seq: number | null }>(
        `SELECT hash, chain_seq FROM audit_log WHERE household_id = $1 AND note = 'not yet committed'`, [householdId]);
      return row;
    });
    expect(inside).toEqual({ hash: null, chain_seq: null });
  });

  it('computes the same canonical text and hash in Node as the trigger did in SQL', async () => {
    for (const id of await idsOf(householdId)) {
      const row = (await auditRow(db, id))!;
      const [sql] = await db.query<{ text: string }>('SELECT audit_canonical(a) AS text FROM audit_log a WHERE id = $1', [id]);
      expect(auditCanonical(row)).toBe(sql!.text);
      expect(auditHash(row)).toBe(row.hash);
      expect(row.chainSeq).toMatch(/^[1-9]\d*$/);
    }
    const tricky = (await auditRow(db, (await idsOf(householdId))[1]!))!;
    expect(tricky.before).toBe('{"z": {"a": "\\u001f~1:x", "b": true}, "list": [1, 2.5, null], "name": "张𠮷"}');
    expect(tricky.note).toBe('');
    expect(tricky.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('refuses UPDATE, DELETE and TRUNCATE with a bilingual message, and nothing changes', async () => {
    const [id] = await idsOf(householdId);
    const before = await auditRow(db, id!);
    for (const q of [`UPDATE audit_log SET note = 'edited' WHERE id = ${id}`, `DELETE FROM audit_log WHERE id = ${id}`,
      `UPDATE audit_log SET chain_seq = chain_seq WHERE id = ${id}`]) {
      const err = await db.query(q).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/审计日志只能追加.*The audit log is append-only: (UPDATE|DELETE) is refused/);
    }
    // TRUNCATE in a transaction rolled back whatever happens, so a missing refusal could not empty the shared table.
    const truncate = await rolledBack((tx) => tx.query('TRUNCATE audit_log').then(() => null, (e: Error) => e.message));
    expect(truncate).toMatch(/TRUNCATE is refused/);
    expect(await auditRow(db, id!)).toEqual(before);
    // The head can't be moved by hand either.
    const head = await rolledBack((tx) => tx.query('UPDATE audit_chain SET last_seq = 1').then(() => null, (e: Error) => e.message));
    expect(head).toMatch(/audit chain head is kept by the audit_log triggers only/);
    // The chain columns are the seal's: not on insert, and not by hand on a row not sealed yet.
    for (const col of ['prev_hash', 'hash', 'chain_seq']) {
      const value = col === 'chain_seq' ? '999999999' : `'${'0'.repeat(64)}'`;
      const err = await rolledBack((tx) =>
        tx.query(`INSERT INTO audit_log (actor_name, action, entity, ${col}) VALUES ('forger', 'note', 'households', ${value})`).then(() => null, (e: Error) => e.message));
      expect(err).toMatch(/must be NULL on insert/);
    }
    const own = await rolledBack(async (tx) => {
      const [row] = await tx.query<{ id: number }>(`INSERT INTO audit_log (actor_name, action, entity) VALUES ('t', 'note', 'households') RETURNING id`);
      return tx.query(`UPDATE audit_log SET hash = $2, chain_seq = 999999999 WHERE id = $1`, [row!.id, '0'.repeat(64)]).then(() => null, (e: Error) => e.message);
    });
    expect(own).toMatch(/append-only: UPDATE is refused/);
    expect((await verifyAudit(admin)).ok).toBe(true);
  });

  it('detects a changed row: the verification names its id', async () => {
    const [, id] = await idsOf(householdId);
    const r = await rolledBack(async (tx) => {
      await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await tx.query(`UPDATE audit_log SET after = '{"tampered": true}' WHERE id = $1`, [id]);
      return verifyAudit(admin, { sql: tx });
    });
    expect(r).toMatchObject({ ok: false, firstBad: { id, reason: 'hash mismatch' }, headMatches: false });
  });

  it('detects a changed row whose own hash was recomputed: the next row no longer links to it', async () => {
    const [id] = await idsOf(householdId);
    const r = await rolledBack(async (tx) => {
      await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await tx.query(`UPDATE audit_log SET note = 'rewritten' WHERE id = $1`, [id]);
      await tx.query(`UPDATE audit_log a SET hash = encode(sha256(convert_to(audit_canonical(a), 'UTF8')), 'hex') WHERE id = $1`, [id]);
      return { next: await nextInChain(tx, id!), v: await verifyAudit(admin, { sql: tx }) };
    });
    expect(r.v).toMatchObject({ ok: false, firstBad: { id: r.next, reason: 'broken link' } });
  });

  it('detects a deleted row by the gap in chain_seq at the row after it (not by the id gap)', async () => {
    const [first] = await idsOf(householdId);
    const r = await rolledBack(async (tx) => {
      const next = await nextInChain(tx, first!);
      await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await tx.query('DELETE FROM audit_log WHERE id = $1', [first]);
      return { next, v: await verifyAudit(admin, { sql: tx }) };
    });
    expect(r.v).toMatchObject({ ok: false, firstBad: { id: r.next, reason: 'missing seq (deleted row?)' } });
  });

  it('detects deleted last rows by the head, and chains the next insert to the head, not to what is left', async () => {
    const r = await rolledBack(async (tx) => {
      await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      const [head] = await tx.query<{ id: number; seq: number }>('SELECT last_id AS id, last_seq AS seq FROM audit_chain WHERE id = 1');
      await tx.query('DELETE FROM audit_log WHERE id = $1', [head!.id]);
      const missing = await verifyAudit(admin, { sql: tx });
      await tx.query('ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_new');
      await tx.query('ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_seal');
      await tx.query('ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update');
      await audit(tx, admin.actor, { action: 'note', entity: 'households', note: 'after a removed tail' });
      await tx.query('SET CONSTRAINTS ALL IMMEDIATE'); // seal now, not at a commit that never comes
      const [added] = await tx.query<{ id: number; seq: number }>(`SELECT id, chain_seq AS seq FROM audit_log WHERE note = 'after a removed tail'`);
      return { head: head!, added: added!, missing, after: await verifyAudit(admin, { sql: tx }) };
    });
    expect(r.missing).toMatchObject({ ok: false, firstBad: { id: r.head.id, seq: r.head.seq, reason: 'missing seq (deleted row?)' } });
    expect(r.added.seq).toBe(r.head.seq + 1);
    expect(r.after).toMatchObject({ ok: false, firstBad: { id: r.added.id, reason: 'missing seq (deleted row?)' } });
  });

  it('detects rows written with the triggers off: unsealed, or sealed by hand beyond the head', async () => {
    const r = await rolledBack(async (tx) => {
      await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await tx.query(`INSERT INTO audit_log (actor_name, action, entity) VALUES ('forger', 'note', 'households')`);
      return verifyAudit(admin, { sql: tx });
    });
    expect(r).toMatchObject({ ok: false, firstBad: null, headMatches: true, unsealed: 1 });
    const s = await rolledBack(async (tx) => {
      await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO audit_log (actor_name, action, entity, chain_seq, hash)
           SELECT 'forger', 'note', 'households', last_seq + 1, last_hash FROM audit_chain WHERE id = 1 RETURNING id`);
      return { id: row!.id, v: await verifyAudit(admin, { sql: tx }) };
    });
    expect(s.v).toMatchObject({ ok: false, firstBad: null, headMatches: false, unsealed: 0, unchained: s.id });
  });

  it('leaves every trigger enabled (always) after the rolled-back tampering, and the log still verifies', async () => {
    const states = await triggerStates();
    expect(states.map((s) => s.name)).toEqual([
      'audit_chain_guard', 'audit_chain_no_truncate', 'audit_log_new', 'audit_log_no_delete', 'audit_log_no_truncate', 'audit_log_no_update', 'audit_log_seal',
    ]);
    expect(states.every((s) => s.enabled === 'A')).toBe(true);
    expect((await verifyAudit(admin)).ok).toBe(true);
  });

  it('is for the city administrator and the console operator only', async () => {
    const county: Ctx = { db, actor: { id: 999_999, username: 'county', role: 'county_office', areaCode: area.countyCode } };
    await expect(verifyAudit(county)).rejects.toMatchObject({ status: 403 });
    const city: Ctx = { db, actor: { id: 999_998, username: 'city', role: 'city_admin', areaCode: area.cityCode } };
    expect((await verifyAudit(city)).ok).toBe(true);
  });

  it('chains rows written under session_replication_role = replica too (the seed bulk load sets it)', async () => {
    if (engineName === 'postgres') {
      const [su] = await db.query<{ su: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS su`);
      if (!su?.su) return;
    }
    await db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await audit(tx, admin.actor, { action: 'note', entity: 'households', householdId, note: 'replica' });
    });
    const [row] = await db.query<{ hash: string | null }>(`SELECT hash::text AS hash FROM audit_log WHERE household_id = $1 AND note = 'replica'`, [householdId]);
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await verifyAudit(admin)).ok).toBe(true);
  });

  // With the head locked at a transaction's first audit row (the first design) this deadlocks: A holds
  // the head and waits for R, B holds R and waits for the head.
  it.runIf(engineName === 'postgres')('does not deadlock: A audits then waits for a row B holds; B audits and commits; both succeed, chained in commit order', async () => {
    const lockR = (tx: Sql) => tx.query('SELECT id FROM households WHERE id = $1 FOR UPDATE', [householdId]);
    let bHasR!: () => void;
    const bLocked = new Promise<void>((r) => (bHasR = r));
    let aWaits!: () => void;
    const aWaiting = new Promise<void>((r) => (aWaits = r));
    let aPid = 0;
    const a = db.transaction(async (tx) => {
      aPid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
      await bLocked;
      await audit(tx, admin.actor, { action: 'note', entity: 'households', householdId, note: 'deadlock test A' });
      aWaits();
      await lockR(tx); // waits for B
    });
    const b = db.transaction(async (tx) => {
      await lockR(tx);
      bHasR();
      await aWaiting;
      // Wait until A really is blocked on R, then audit while holding R.
      let sawWait = false;
      for (let i = 0; i < 400 && !sawWait; i++) {
        const [w] = await db.query<{ w: string | null }>('SELECT wait_event_type AS w FROM pg_stat_activity WHERE pid = $1', [aPid]);
        sawWait = w?.w === 'Lock';
        if (!sawWait) await new Promise((r) => setTimeout(r, 25));
      }
      expect(sawWait).toBe(true);
      await audit(tx, admin.actor, { action: 'note', entity: 'households', householdId, note: 'deadlock test B' });
    });
    const results = await Promise.allSettled([a, b]);
    expect(results.map((x) => (x.status === 'rejected' ? String((x.reason as { code?: string }).code ?? x.reason) : 'ok'))).toEqual(['ok', 'ok']);
    const rows = await db.query<{ note: string; id: number; chain_seq: number }>(
      `SELECT note, id, chain_seq FROM audit_log WHERE household_id = $1 AND note LIKE 'deadlock test %' ORDER BY note`, [householdId]);
    const [rowA, rowB] = rows;
    expect(rowA!.id).toBeLessThan(rowB!.id); // A inserted first …
    expect(rowB!.chain_seq).toBeLessThan(rowA!.chain_seq); // … but B committed first
    expect((await verifyAudit(admin)).ok).toBe(true);
  });

  it('seals 20,000 rows written in one transaction at commit in reasonable time', async () => {
    const n = 20_000;
    const note = `bulk seal test ${Date.now()}`;
    const t0 = performance.now();
    let inserted = 0;
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO audit_log (actor_name, action, entity, entity_id, county_code, household_id, after, note)
           SELECT 'bulk', 'import', 'households', g::text, $1, $2, jsonb_build_object('i', g, 'name', '宝音'), $3
             FROM generate_series(1, ${n}) g`, [area.countyCode, householdId, note]);
      inserted = performance.now();
    });
    const t1 = performance.now();
    console.log(`[${engineName}] ${n} audit rows in one transaction: insert ${((inserted - t0) / 1000).toFixed(2)} s, ` +
      `commit (seal) ${((t1 - inserted) / 1000).toFixed(2)} s, total ${((t1 - t0) / 1000).toFixed(2)} s`);
    expect(t1 - inserted).toBeLessThan(30_000);
    const [c] = await db.query<{ n: number; seqs: number }>(
      `SELECT count(*)::int AS n, (max(chain_seq) - min(chain_seq) + 1)::int AS seqs FROM audit_log WHERE note = $1 AND hash IS NOT NULL`, [note]);
    expect(c).toEqual({ n, seqs: n });
    const v0 = performance.now();
    const v = await verifyAudit(admin);
    console.log(`[${engineName}] verify: ${v.rows} rows in ${((performance.now() - v0) / 1000).toFixed(2)} s`);
    expect(v).toMatchObject({ ok: true, unsealed: 0 });
  }, 180_000);
});

describe.runIf(engineName === 'pglite')('migrations 0009–0010 on a database that already has audit rows', () => {
  it('chains the existing rows in id order (chain_seq 1..n), so the old log verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jz-audit-mig-'));
    const old = await openPglite({});
    try {
      // The migrations up to 0008, as an older release had them.
      cpSync(migrationsFolder, dir, { recursive: true });
      const journalFile = join(dir, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number }[] };
      journal.entries = journal.entries.filter((e) => e.idx <= 8);
      writeFileSync(journalFile, JSON.stringify(journal));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await migratePglite(old.orm as any, { migrationsFolder: dir });
      const actor = systemActor('old-release');
      // Ids 1, 2, (3 taken by a rolled-back transaction), 4, 5, 6.
      for (let i = 0; i < 6; i++) {
        const write = old.transaction(async (tx) => {
          // Plain SQL: audit() inserts through the current schema, which has chain_seq (0009).
          await tx.query(`INSERT INTO audit_log (actor_name, action, entity, entity_id, after, note) VALUES ($1, 'create', 'households', $2, $3::jsonb, $4)`,
            [actor.username, String(i), JSON.stringify({ i, name: '旧记录' }), i % 2 ? null : '']);
          if (i === 2) throw new Rollback(null);
        });
        await write.catch((e) => expect(e).toBeInstanceOf(Rollback));
      }
      expect(await old.query<{ id: number; hash: string | null }>('SELECT id, hash FROM audit_log ORDER BY id')).toEqual(
        [1, 2, 4, 5, 6].map((id) => ({ id, hash: null })));
      await migrate(old);
      expect(await old.query<{ id: number; chain_seq: number }>('SELECT id, chain_seq FROM audit_log ORDER BY id')).toEqual(
        [1, 2, 4, 5, 6].map((id, i) => ({ id, chain_seq: i + 1 })));
      expect(await verifyAudit({ actor, db: old })).toMatchObject({ ok: true, rows: 5, firstBad: null, headMatches: true, lastId: 6, lastSeq: 5 });
      await old.transaction((tx) => audit(tx, actor, { action: 'create', entity: 'households', note: 'new release' }));
      expect(await verifyAudit({ actor, db: old })).toMatchObject({ ok: true, rows: 6, lastId: 7, lastSeq: 6 });
    } finally {
      await old.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
