import { pgTable, varchar, bigint, boolean, timestamp, char, index, integer, text, smallint, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { areas } from './areas.js';

export const users = pgTable('users', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  username: varchar('username', { length: 64 }).notNull().unique(),
  displayName: varchar('display_name', { length: 100 }).notNull(),
  passwordHash: varchar('password_hash', { length: 200 }).notNull(),
  /** One of the roles in domain/roles.ts. */
  role: varchar('role', { length: 32 }).notNull(),
  /** The area subtree this account may see. */
  areaCode: varchar('area_code', { length: 12 })
    .notNull()
    .references(() => areas.code),
  disabled: boolean('disabled').notNull().default(false),
  failedLogins: integer('failed_logins').notNull().default(0),
  /** Issue 7: refused logins until this time after repeated failures. */
  lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
  /** Initial and reset passwords must be changed at the next login. */
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }),
  /** Optional second factor (TOTP, RFC 6238) for admin roles; the secret is stored encrypted. */
  totpSecret: text('totp_secret'),
  totpEnabled: boolean('totp_enabled').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
}, (t) => [uniqueIndex('users_username_lower_uq').on(sql`lower(${t.username})`)]);

/**
 * The fingerprint of the master key that sealed and hashed the personal data (services/pii.ts): a
 * start with another key is refused instead of writing hashes no search would find. One row.
 */
export const sealingKeys = pgTable('sealing_keys', {
  id: smallint('id').primaryKey().default(1),
  fingerprint: char('fingerprint', { length: 16 }).notNull(),
  since: timestamp('since', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  /** When the plaintext left by a database from before sealing was last found all sealed: later starts skip the sweep. */
  legacySealedAt: timestamp('legacy_sealed_at', { withTimezone: true, mode: 'string' }),
});

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a stolen table does not give live sessions. */
    tokenHash: char('token_hash', { length: 64 }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Issue 7: the session ends after this long without a request (idle), besides expires_at (absolute). */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
