// Helpers every command file shares: open the database (migrated) as the local operator, and run an
// action with typed errors turned into messages and exit codes (cli/output.ts).
import { openDb, type Db } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { systemActor, type Ctx } from '../services/context.js';
import { reportError } from './output.js';

export async function withDb<T>(fn: (db: Db, ctx: Ctx) => Promise<T>): Promise<T> {
  const db = await openDb();
  try {
    await migrate(db);
    return await fn(db, { actor: systemActor(), db });
  } finally {
    await db.close();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function run<A extends any[]>(fn: (...args: A) => Promise<unknown>) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      process.exitCode = reportError(e);
    }
  };
}
