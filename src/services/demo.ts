// First start: migrate, load Tongliao's divisions, seed the synthetic register, create demo accounts.
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { loadAreasFile } from './areas.js';
import { seedRegister } from './seed.js';
import { createUser, demoAccounts, DEMO_PASSWORD } from './users.js';
import { systemActor } from './context.js';

export const TONGLIAO_AREAS = fileURLToPath(new URL('../../data/areas-tongliao.csv', import.meta.url));
export const DEMO_PEOPLE = 225_000;
export const DEMO_SEED = 2014;

export interface DemoReport {
  areasLoaded: number;
  seeded: { households: number; members: number } | null;
  accounts: { username: string; role: string; areaCode: string }[];
}

export async function ensureDemo(
  db: Db,
  opts: { people?: number; onProgress?: (phase: string, done: number, total: number) => void } = {},
): Promise<DemoReport> {
  await migrate(db);
  const report: DemoReport = { areasLoaded: 0, seeded: null, accounts: [] };
  const [areas] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM areas');
  if (!areas?.n) report.areasLoaded = (await loadAreasFile(db, TONGLIAO_AREAS)).loaded;
  const [hh] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM households');
  if (!hh?.n) {
    const s = await seedRegister(db, { people: opts.people ?? DEMO_PEOPLE, seed: DEMO_SEED, onProgress: opts.onProgress });
    report.seeded = { households: s.households, members: s.members };
  }
  const [users] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  if (!users?.n) {
    // The cadre's village: the Kulun village with the most registered households.
    const [v] = await db.query<{ code: string }>(
      `SELECT village_code AS code FROM households WHERE county_code = '150524' GROUP BY village_code ORDER BY count(*) DESC, village_code LIMIT 1`,
    );
    const [t] = v ? [{ code: v.code.slice(0, 9) }] : [];
    const ctx = { actor: systemActor('demo'), db };
    for (const a of demoAccounts) {
      const areaCode = a.role === 'village_cadre' && v ? v.code : a.role === 'township_reviewer' && t ? t.code : a.areaCode;
      await createUser(ctx, { ...a, areaCode, password: DEMO_PASSWORD });
      report.accounts.push({ username: a.username, role: a.role, areaCode });
    }
  }
  return report;
}
