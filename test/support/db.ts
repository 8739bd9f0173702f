import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Db } from '../../src/db/client.js';

/** A migrated database with Tongliao's areas: PGlite in memory (from the template) or DATABASE_URL. */
export async function testDb(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (url) return openPostgres(url, { max: 4 });
  const file = inject('templatePath');
  return openPglite({ loadDataDir: new Blob([readFileSync(file)]) });
}

export const engineName = process.env.DATABASE_URL ? 'postgres' : 'pglite';
