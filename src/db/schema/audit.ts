import { pgTable, varchar, bigint, timestamp, char, jsonb, text, index, integer } from 'drizzle-orm/pg-core';

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
     * Hash chain (issue 7): hash = sha256 of the previous row's hash and this row's content, set by a
     * trigger on insert; `jingzhun audit verify` recomputes it, so an edited or deleted row shows.
     */
    prevHash: char('prev_hash', { length: 64 }),
    hash: char('hash', { length: 64 }),
  },
  (t) => [index('audit_household_idx').on(t.householdId), index('audit_entity_idx').on(t.entity, t.entityId)],
);

/** The head of the audit hash chain: one row, locked by each insert so the chain is a single sequence. */
export const auditChain = pgTable('audit_chain', {
  id: integer('id').primaryKey(),
  lastId: bigint('last_id', { mode: 'number' }),
  lastHash: char('last_hash', { length: 64 }),
});
