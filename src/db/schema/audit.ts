import { pgTable, varchar, bigint, timestamp, char, jsonb, text, index } from 'drizzle-orm/pg-core';

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
  },
  (t) => [index('audit_household_idx').on(t.householdId), index('audit_entity_idx').on(t.entity, t.entityId)],
);
