import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { Db, Sql } from './client.js';
import { DEFAULT_POLICY_ROWS } from '../domain/policy.js';
import { BUILTIN_MEASURE_TYPES } from '../domain/assistance/catalogue.js';
import { checkSealingKey, sealLegacyPersonalData } from '../services/sealing.js';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies the committed drizzle-kit migrations and loads the shipped policy defaults; safe to run repeatedly. */
export async function migrate(db: Db): Promise<void> {
  if (db.engine === 'pglite') {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migratePglite(db.orm as any, { migrationsFolder });
  } else {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migratePg(db.orm as any, { migrationsFolder });
  }
  await loadPolicyDefaults(db);
  await loadMeasureTypes(db);
  await checkSealingKey(db);
  await sealLegacyPersonalData(db);
}

/**
 * Inserts the shipped policy parameters (domain/policy.ts) that are missing. A row someone set or
 * changed for the same (key, year, region) is never overwritten; new defaults of a newer release
 * are added to an existing database.
 */
export async function loadPolicyDefaults(db: Pick<Sql, 'query'>): Promise<number> {
  const params: unknown[] = [];
  const values = DEFAULT_POLICY_ROWS.map((r) => {
    params.push(r.key, r.year, r.region, r.value, r.source);
    const n = params.length;
    return `($${n - 4}::varchar, $${n - 3}::int, $${n - 2}::varchar, $${n - 1}::numeric, $${n}::text)`;
  });
  const rows = await db.query(
    `INSERT INTO policy_parameters (key, year, region, value, source)
     VALUES ${values.join(', ')}
     ON CONFLICT (key, year, region) DO NOTHING RETURNING id`,
    params,
  );
  return rows.length;
}

/**
 * Inserts the built-in measure types (domain/assistance/catalogue.ts) and brings their labels up to
 * date; types a county added (county_code set) are never touched.
 */
export async function loadMeasureTypes(db: Pick<Sql, 'query'>): Promise<void> {
  const params: unknown[] = [];
  const values = BUILTIN_MEASURE_TYPES.map((t) => {
    params.push(t.code, t.channel, t.name.zh, t.name.en, t.unit.zh, t.unit.en, t.target, t.incomeComponent);
    const n = params.length;
    return `(${[7, 6, 5, 4, 3, 2, 1, 0].map((k) => `$${n - k}`).join(', ')})`;
  });
  await db.query(
    `INSERT INTO measure_types (code, channel, name_zh, name_en, unit_zh, unit_en, target, income_component)
     VALUES ${values.join(', ')}
     ON CONFLICT (code) DO UPDATE SET channel = EXCLUDED.channel, name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en,
       unit_zh = EXCLUDED.unit_zh, unit_en = EXCLUDED.unit_en, target = EXCLUDED.target, income_component = EXCLUDED.income_component
     WHERE measure_types.county_code IS NULL`,
    params,
  );
}
