import { pgTable, varchar, bigint, timestamp, integer, boolean, jsonb } from 'drizzle-orm/pg-core';

/** One row per import attempt, kept as the record of who loaded what. */
export const imports = pgTable('imports', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  kind: varchar('kind', { length: 32 }).notNull(),
  fileName: varchar('file_name', { length: 255 }).notNull(),
  actorId: bigint('actor_id', { mode: 'number' }),
  dryRun: boolean('dry_run').notNull().default(false),
  /** validated | imported | rejected */
  status: varchar('status', { length: 16 }).notNull(),
  rows: integer('rows').notNull().default(0),
  households: integer('households').notNull().default(0),
  members: integer('members').notNull().default(0),
  errorCount: integer('error_count').notNull().default(0),
  summary: jsonb('summary'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});
