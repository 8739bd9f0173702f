// Column shapes shared by the registry tables: money in yuan to the fen, timestamps with time zone
// and dates as ISO strings, and the created/updated stamps.
import { date, numeric, timestamp } from 'drizzle-orm/pg-core';

export const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });
export const day = (name: string) => date(name, { mode: 'string' });
export const stamps = () => ({
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});
