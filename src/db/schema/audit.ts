import { sql } from 'drizzle-orm';
import { pgTable, varchar, bigint, timestamp, char, jsonb, text, index, integer, uniqueIndex } from 'drizzle-orm/pg-core';

/** Append-only: services insert, nothing updates or deletes. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorName: varchar('actor_name', { length: 64 }).notNull(),
    /** create | update | delete | import | login | reveal | ... */
    action: varchar('action', { length: 32 }).notNull(),
    /** households | members | household_years | users | areas | imports ... */
    entity: varchar('entity', { length: 32 }).notNull(),
    entityId: varchar('entity_id', { length: 64 }),
    countyCode: char('county_code', { length: 6 }),
    /** The household the change belongs to, for the household's history. */
    householdId: bigint('household_id', { mode: 'number' }),
    before: jsonb('before'),
    after: jsonb('after'),
    note: text('note'),
    /**
     * Hash chain (issue 7): NULL on insert; at commit a deferred trigger (migration 0010) seals the
     * transaction's rows: chain_seq = position in the chain (commit order), prev_hash = the previous
     * row's hash, hash = sha256 of prev_hash, chain_seq and this row's content.
     * `jingzhun audit verify` recomputes it, so an edited or deleted row shows.
     */
    prevHash: char('prev_hash', { length: 64 }),
    hash: char('hash', { length: 64 }),
    chainSeq: bigint('chain_seq', { mode: 'number' }),
  },
  (t) => [
    index('audit_household_idx').on(t.householdId),
    index('audit_entity_idx').on(t.entity, t.entityId),
    uniqueIndex('audit_chain_seq_idx').on(t.chainSeq),
    // The rows of transactions not yet committed (the seal at commit finds its own here).
    index('audit_unsealed_idx').on(t.id).where(sql`${t.hash} IS NULL`),
  ],
);

/** The head of the audit hash chain: one row, locked only while a transaction that wrote audit rows commits. */
export const auditChain = pgTable('audit_chain', {
  id: integer('id').primaryKey(),
  lastId: bigint('last_id', { mode: 'number' }),
  lastSeq: bigint('last_seq', { mode: 'number' }),
  lastHash: char('last_hash', { length: 64 }),
});
