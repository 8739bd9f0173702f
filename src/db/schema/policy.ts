// Policy parameters (reference table, replicated on Citus): dated, sourced values by region.
// The catalogue, the shipped defaults and the resolver are in domain/policy.ts.
import { pgTable, varchar, bigint, integer, numeric, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const policyParameters = pgTable(
  'policy_parameters',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    /** One of POLICY_KEYS (domain/policy-types.ts). */
    key: varchar('key', { length: 64 }).notNull(),
    /** The year the value takes effect; it applies to later years until a newer row. */
    year: integer('year').notNull(),
    /** '' national, 2-digit province code or 6-digit county code. */
    region: varchar('region', { length: 6 }).notNull().default(''),
    /** null: the parameter exists but its value is unknown (never guessed). */
    value: numeric('value', { mode: 'number' }),
    /** The document the value comes from, or that it is a project default. */
    source: text('source').notNull(),
    note: text('note'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    /** Username of the last change; null for a shipped default never changed. */
    updatedBy: varchar('updated_by', { length: 64 }),
  },
  (t) => [uniqueIndex('policy_parameters_key_year_region_uq').on(t.key, t.year, t.region)],
);
