// The calculators end to end: parameters set through the policy service in this file's own synthetic
// county are the ones the API uses; every signed-in role may calculate, anonymous callers get 401;
// bad input is 400 with per-field reasons in zh and en; shipped unknowns are named, never guessed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { ROLES } from '../src/domain/roles.js';
import type { PolicyKey } from '../src/domain/policy-types.js';
import { calculate } from '../src/services/calculators.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { setParameter } from '../src/services/policy.js';
import { createUser } from '../src/services/users.js';
import { testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let researcher: string;
const PASSWORD = 'Test#Passw0rd';

async function login(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

const post = (kind: string, payload: unknown, cookie?: string) =>
  app.inject({ method: 'POST', url: `/api/v1/calculators/${kind}`, payload: payload as Record<string, unknown>, ...(cookie ? { headers: { cookie } } : {}) });

beforeAll(async () => {
  db = await testDb();
  area = await makeArea(db);
  const admin: Ctx = { db, actor: { id: null, username: `cadmin${area.countyCode}`, role: 'city_admin', areaCode: area.cityCode } };
  // Illustrative county values for the medical layers, which ship unknown (domain.md §7).
  const values: [PolicyKey, number][] = [
    ['medical_basic_deductible_yuan', 800], ['medical_basic_ratio_pct', 70], ['medical_basic_cap_yuan', 150_000],
    ['medical_critical_poor_deductible_yuan', 7_500], ['medical_critical_poor_ratio_pct', 60], ['medical_critical_poor_cap_yuan', 300_000],
    ['medical_assistance_deductible_yuan', 0], ['medical_assistance_ratio_pct', 70], ['medical_assistance_cap_yuan', 50_000],
    ['ecology_public_forest_yuan_per_mu', 16],
  ];
  for (const [key, value] of values) await setParameter(admin, { key, year: 2019, region: area.countyCode, value, source: `测试旗文件 ${key}` });
  app = await buildApp({ db, webDir: false });
  researcher = `calcr${area.countyCode}`;
  await createUser({ db, actor: systemActor() }, { username: researcher, role: 'researcher', areaCode: area.countyCode, password: PASSWORD });
});

afterAll(async () => {
  await app?.close();
  await db.close();
});

describe('calculators API', () => {
  it('refuses an anonymous caller with 401, also when the body is bad', async () => {
    for (const [kind, body] of [['medical', { year: 2021, person: 'poor', bill: { total: 100 } }], ['solar', {}], ['education', { year: 'x' }], ['ecology', null]] as const) {
      const res = await post(kind, body);
      expect(res.statusCode, kind).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it('settles a bill for a registered poor patient with the county\'s parameters (researcher role, own area by default)', async () => {
    const cookie = await login(researcher);
    const res = await post('medical', { year: 2021, person: 'poor', bill: { total: 52_000, eligible: 50_000 } }, cookie);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.area).toBe(area.countyCode);
    // basic (50,000 − 800) × 70% = 34,440; critical (15,560 − 7,500) × 60% = 4,836; assistance 10,724 × 70% = 7,506.80
    expect(r.lines.map((l: { key: string; amount: number }) => [l.key, l.amount])).toEqual([
      ['ineligible', 2_000], ['basic', 34_440], ['critical', 4_836], ['assistance', 7_506.8],
    ]);
    // 52,000 − 46,782.80 = 5,217.20
    expect(r.totals.find((t: { key: string }) => t.key === 'outOfPocket').amount).toBe(5_217.2);
    expect(r.lines[1].params[0]).toEqual({ key: 'medical_basic_deductible_yuan', value: 800, year: 2019, region: area.countyCode, source: '测试旗文件 medical_basic_deductible_yuan' });
  });

  it('with national parameters (area \'\') names the unknown medical parameters instead of guessing', async () => {
    const cookie = await login(researcher);
    const r = (await post('medical', { year: 2021, area: '', person: 'general', bill: { total: 1_000 } }, cookie)).json();
    expect(r.complete).toBe(false);
    expect(r.totals.map((t: { amount: number | null }) => t.amount)).toEqual([null, null]);
    expect(r.missing.map((m: { key: string }) => m.key)).toEqual([
      'medical_basic_deductible_yuan', 'medical_basic_ratio_pct', 'medical_basic_cap_yuan',
      'medical_critical_deductible_yuan', 'medical_critical_ratio_pct', 'medical_critical_cap_yuan',
    ]);
    expect(r.missing[0].reason.en).toContain('unknown');
  });

  it('answers bad input with 400 and a reason per field in zh and en', async () => {
    const cookie = await login(researcher);
    // shape (schema): wrong enum and type
    const shape = await post('medical', { year: 2021, person: 'rich', bill: { total: '100' } }, cookie);
    expect(shape.statusCode).toBe(400);
    const fields = shape.json().error.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['person', 'bill.total']));
    for (const i of shape.json().error.issues) expect(i.zh && i.en).toBeTruthy();
    // meaning (domain): eligible above the total, three decimals
    const meaning = await post('medical', { year: 2021, person: 'poor', bill: { total: 100.001, eligible: 200 } }, cookie);
    expect(meaning.statusCode).toBe(400);
    expect(meaning.json().error.issues).toEqual([
      { field: 'bill.total', value: '100.001', zh: 'bill.total 最多 2 位小数', en: 'bill.total has at most 2 decimals' },
    ]);
    const solar = await post('solar', { year: 2020, quarter: 1, revenue: 1_000, shares: { jobs: 50, rewards: 40 }, recipients: [{ name: '岗位', purpose: 'jobs' }] }, cookie);
    expect(solar.statusCode).toBe(400);
    expect(solar.json().error.issues.map((i: { field: string; zh: string }) => [i.field, i.zh])).toEqual([
      ['shares', '各用途比例合计应为 100%，现为 90%'],
      ['shares.rewards', '用途 rewards（奖励）占 40%，但没有该用途的受益对象'],
    ]);
    const eco = await post('ecology', { year: 2020, programme: 'forest', mu: 5 }, cookie);
    expect(eco.json().error.issues).toEqual([{ field: 'startYear', zh: '缺少 startYear（2000–2100 的整数）', en: 'startYear is required (a whole number from 2000 to 2100)' }]);
  });

  it('computes education, ecology and solar through the API', async () => {
    const cookie = await login(researcher);
    const edu = (await post('education', { year: 2025, students: [{ stage: 'lower_secondary', boarding: false }, { stage: 'primary', boarding: true }] }, cookie)).json();
    // 1,500 × 50% = 750; 1,250; total 2,000
    expect(edu.totals[0].amount).toBe(2_000);
    const eco = (await post('ecology', { year: 2021, programme: 'public_forest', mu: 10.5 }, cookie)).json();
    // the county's 16 yuan/mu × 10.5 mu = 168
    expect(eco.totals[0].amount).toBe(168);
    expect(eco.lines[0].params[0]).toMatchObject({ key: 'ecology_public_forest_yuan_per_mu', region: area.countyCode });
    const solar = (await post('solar', {
      year: 2020, quarter: 3, village: '测试一嘎查', revenue: 100, shares: { jobs: 100 },
      recipients: [{ name: 'a', purpose: 'jobs' }, { name: 'b', purpose: 'jobs' }, { name: 'c', purpose: 'jobs' }],
    }, cookie)).json();
    // 100 / 3 = 33.333… → 33.34, 33.33, 33.33 (the one fen left to the first of the equal remainders)
    expect(solar.lines.filter((l: { key: string }) => l.key.startsWith('recipient')).map((l: { amount: number }) => l.amount)).toEqual([33.34, 33.33, 33.33]);
    expect(solar.totals[0].amount).toBe(100);
  });

  it('documents the four endpoints in the OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const k of ['medical', 'education', 'ecology', 'solar']) {
      expect(doc.paths[`/api/v1/calculators/${k}`].post.requestBody.content['application/json'].schema.properties.year).toBeTruthy();
    }
  });
});

describe('calculate (service)', () => {
  it('writes nothing', async () => {
    // other test files share the database on PostgreSQL: count only this actor's audit rows
    const who = `calc${area.countyCode}`;
    const count = () => db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE actor_name = $1', [who]);
    const before = await count();
    const ctx: Ctx = { db, actor: { id: null, username: who, role: 'village_cadre', areaCode: area.villageCodes[0] } };
    const r = await calculate(ctx, 'ecology', { year: 2016, programme: 'forest', mu: 1, startYear: 2016 });
    // a village actor resolves its county's and province's rows: 500 × 1 mu in year 1
    expect(r.totals[0]!.amount).toBe(500);
    expect(r.area).toBe(area.villageCodes[0]);
    const after = await count();
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('is open to every role (they read no personal data)', async () => {
    for (const role of ROLES) {
      const r = await calculate({ db, actor: { id: null, username: role, role, areaCode: area.countyCode } }, 'education', { year: 2024, students: [{ stage: 'yulu' }] });
      expect(r.totals[0]!.amount, role).toBe(3_000);
    }
  });
});
