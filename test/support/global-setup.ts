// Migrates one database before the suite. PGlite: a migrated in-memory cluster is dumped
// once and every test file loads the dump (initdb per file would cost seconds each).
// PostgreSQL (DATABASE_URL): the suite shares one migrated database; factories keep tests apart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres, type Db } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { loadAreasFile } from '../../src/services/areas.js';

async function prepare(db: Db) {
  await migrate(db);
  const n = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM areas');
  if (!n[0]?.n) await loadAreasFile(db, resolve('data/areas-tongliao.csv'));
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const db = await openPostgres(url);
    await prepare(db);
    await db.close();
    project.provide('templatePath', '');
    return;
  }
  const db = await openPglite({});
  await prepare(db);
  const dump = await db.pglite!.dumpDataDir('none');
  await db.close();
  const dir = resolve('.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('templatePath', file);
}

declare module 'vitest' {
  export interface ProvidedContext {
    templatePath: string;
  }
}
