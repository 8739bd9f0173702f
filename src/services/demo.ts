// First start: migrate, load Tongliao's divisions, seed the synthetic register, create demo accounts.
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { loadAreasFile } from './areas.js';
import { seedRegister } from './seed.js';
import { createUser, demoAccounts, DEMO_PASSWORD } from './users.js';
import { systemActor, type Ctx } from './context.js';
import { addPlanMember, createPlan, drawPlan } from './assessment/index.js';

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
      // Not forced to change: the demo password is published and the demo must work at once (README).
      await createUser(ctx, { ...a, areaCode, password: DEMO_PASSWORD }, { mustChangePassword: false });
      report.accounts.push({ username: a.username, role: a.role, areaCode });
    }
    await demoEvaluation(db);
  }
  return report;
}

/**
 * A drawn evaluation plan for 库伦旗's 2019 exit (it exited in 2020-03), led by the demo inspector
 * with the demo evaluator on it, so both see a sample to survey on first start. Questionnaires are
 * left for the user; nothing is invented about the results.
 */
async function demoEvaluation(db: Db): Promise<void> {
  const [inspector] = await db.query<{ id: number; username: string; role: string; areaCode: string }>(
    `SELECT id, username, role, area_code AS "areaCode" FROM users WHERE username = 'inspector'`,
  );
  const [records] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM household_years WHERE county_code = '150524' AND year = 2019`);
  if (!inspector || !records?.n) return;
  const ctx: Ctx = { db, actor: { id: Number(inspector.id), username: inspector.username, role: 'inspector', areaCode: inspector.areaCode } };
  const plan = await createPlan(ctx, { county: '150524', year: 2019, name: '库伦旗 2019 年贫困县退出专项评估（演示）', seed: '150524-2019-demo' });
  await addPlanMember(ctx, plan.id, { username: 'evaluator' });
  await drawPlan(ctx, plan.id);
}
