// The cost of the audit hash chain (issue 7, migrations 0009–0010: rows sealed at commit) on a fresh database:
//   each     10,000 audit() calls, each in its own transaction (how services write)
//   one tx   10,000 audit() calls in one transaction (a batch)
//   bulk     one INSERT … SELECT of 10,000 rows (how the household import writes its audit rows)
// each against the same writes into a temporary copy of audit_log without the triggers
// (CREATE TEMP TABLE audit_log (LIKE … INCLUDING ALL): pg_temp comes first on the search path, so
// audit() writes there unchanged), then the time `verifyAudit` takes over the whole log.
import { openPostgres, type Db, type Engine } from '../src/db/client.js';
import { audit, systemActor, type AuditEntry } from '../src/services/context.js';
import { verifyAudit } from '../src/services/audit.js';
import { freshDb, fmt, timed } from './engines.js';

const N = 10_000;

function entry(i: number): AuditEntry {
  return {
    action: 'update', entity: 'households', entityId: i, countyCode: '150524', householdId: i,
    before: { headName: '宝音', phone: '139****0000', attribute: '1', exitStatus: '0', version: i },
    after: { headName: '宝音', phone: '139****0000', attribute: '1', exitStatus: '1', version: i + 1 }, note: 'bench',
  };
}

const BULK = `INSERT INTO audit_log (actor_id, actor_name, action, entity, entity_id, county_code, household_id, before, after, note)
  SELECT NULL, 'bench', 'import', 'households', g::text, '150524', g, NULL, jsonb_build_object('headName', '宝音', 'size', g % 7), 'bench import'
    FROM generate_series(1, ${N}) g`;

async function run(db: Db): Promise<{ each: number; oneTx: number; bulk: number }> {
  const actor = systemActor('bench');
  const each = await timed(async () => {
    for (let i = 0; i < N; i++) await db.transaction((tx) => audit(tx, actor, entry(i)));
  });
  const oneTx = await timed(() => db.transaction(async (tx) => {
    for (let i = 0; i < N; i++) await audit(tx, actor, entry(i));
  }));
  const bulk = await timed(() => db.transaction((tx) => tx.query(BULK)));
  return { each: each.seconds, oneTx: oneTx.seconds, bulk: bulk.seconds };
}

export async function benchAudit(engine: Engine, say: (line: string) => void): Promise<void> {
  const tag = `[${engine}]`;
  const b = await freshDb(engine, 'audit');
  // One connection: a temporary table belongs to its session, and audit() must find it on every transaction.
  const db = engine === 'postgres' ? await openPostgres(b.where, { max: 1 }) : b.db;
  try {
    const actor = systemActor('bench');
    for (let i = 0; i < 500; i++) await db.transaction((tx) => audit(tx, actor, entry(i))); // warm-up
    const chained = await run(db);
    await db.query('CREATE TEMP TABLE audit_log (LIKE public.audit_log INCLUDING ALL)');
    const plain = await run(db);
    const [shadow] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_temp.audit_log');
    await db.query('DROP TABLE pg_temp.audit_log');
    if (shadow?.n !== 2 * N + N) throw new Error(`the baseline wrote ${shadow?.n} rows into the temporary table, expected ${3 * N}`);
    const line = (what: string, c: number, p: number) =>
      `${fmt((c / N) * 1e6, 0)} µs vs ${fmt((p / N) * 1e6, 0)} µs a row without the chain = ${fmt(c / p, 2)}× (${what})`;
    say(`${tag} audit hash chain, ${fmt(N, 0)} rows each way: ` + line('audit() in its own transaction', chained.each, plain.each));
    say(`${tag}   ${line('audit() ×10,000 in one transaction', chained.oneTx, plain.oneTx)}`);
    say(`${tag}   ${line('one INSERT … SELECT, as the import writes', chained.bulk, plain.bulk)}`);
    const v = await timed(() => verifyAudit({ actor, db }));
    say(`${tag}   audit verify: ${fmt(v.value.rows, 0)} rows in ${fmt(v.seconds, 2)} s = ${fmt(v.value.rows / v.seconds, 0)} rows/s, ${v.value.ok ? 'OK' : 'NOT OK'}`);
  } finally {
    if (db !== b.db) await db.close().catch(() => {});
    await b.drop();
  }
}
