// Projects and funds end to end on the real database: the project library and its status moves,
// budgets and disbursements (refusals with the numbers and nothing written, two concurrent payments),
// the funds view checked by hand, beneficiaries, disclosure, assets and a solar station's income
// split into the measures ledger, and area scope on every endpoint.
//
// Hand-worked figures used below (yuan):
//   Project A (villages: village 1), year 2024
//     central: budget 100,000.00; paid 60,000.00, then of two concurrent 30,000.00 only one passes → 90,000.00,
//              then 6,000.00 in flight and a second 6,000.00 refused → 96,000.00, balance 4,000.00
//     county:  budget  20,000.00; paid  5,000.00 → balance 15,000.00
//   Project B (county-wide), year 2024: central budget 10,000.00, nothing paid
//   Funds 2024: central 110,000.00 / 96,000.00 / 14,000.00; county 20,000.00 / 5,000.00 / 15,000.00;
//               totals 130,000.00 / 101,000.00 / 29,000.00
//   Solar station income 2024 Q1 10,000.00, shares jobs 60 / works 10 / rewards 30, no-labour factor 2:
//     jobs 6,000.00 → member of household 1 (weight 3) 3,000.00, unlinked cleaner (weight 3) 3,000.00
//     works 1,000.00 → village road 1,000.00
//     rewards 3,000.00 → household 1 (has labour, weight 1) 1,000.00; household 2 (no labour, 1 × 2) 2,000.00
//     sum 3,000 + 3,000 + 1,000 + 1,000 + 2,000 = 10,000.00
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { createUser } from '../src/services/users.js';
import { createProject, disburse, setBudget, setProjectStatus } from '../src/services/projects/index.js';
import { engineName, testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let other: TestArea;
let ctx: Ctx;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};
const hh: { id: number; members: { id: number }[] }[] = [];
let otherHousehold: number;
let projectA: number;
let projectB: number;
let otherProject: number;

async function login(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, who: string, payload?: unknown) =>
  app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

async function count(sql: string, params: unknown[]): Promise<number> {
  const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return r!.n;
}
const auditCount = (entity: string) => count('audit_log WHERE entity = $1 AND county_code = $2', [entity, area.countyCode]);

let seq = 0;
async function household(village: string, labour: string[]) {
  const members = labour.map((l, i) => {
    seq += 1;
    return { name: `项目测试${seq}`, idNumber: makeIdNumber(village.slice(0, 6), `19${60 + i}-02-${String(10 + (seq % 18)).padStart(2, '0')}`, '1'), relation: i === 0 ? '01' : '03', ethnicity: '02', labourAbility: l };
  });
  return createHousehold(ctx, { household: { householdNo: householdNo('PJ'), villageCode: village, attribute: '1', exitStatus: '1', mainCause: '01', identifiedOn: '2015-03-01', exitYear: 2019 }, members });
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  other = await makeArea(db);
  ctx = { actor: systemActor('projects-test'), db };
  const [v1, v2] = area.villageCodes;
  hh.push(await household(v1, ['1', '4']), await household(v1, ['4']), await household(v2, ['1']));
  otherHousehold = (await household(other.villageCodes[0], ['1'])).id;
  const s = area.countyCode;
  const users: [string, string, string][] = [
    ['county', 'county_office', area.countyCode], ['township', 'township_reviewer', area.townshipCode], ['cadre2', 'village_cadre', v2],
    ['researcher', 'researcher', area.countyCode], ['other', 'county_office', other.countyCode],
  ];
  for (const [k, role, code] of users) {
    await createUser(ctx, { username: `pj${k}${s}`, role, areaCode: code, password: PASSWORD });
    cookies[k] = await login(`pj${k}${s}`);
  }
  const other1 = await createProject({ db, actor: { ...systemActor(), areaCode: other.countyCode } }, { county: other.countyCode, name: '外旗项目', channel: 'cattle', year: 2024 });
  otherProject = other1.id;
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('project library', () => {
  it('creates a project in the county office’s county and refuses bad fields with reasons, writing nothing', async () => {
    const before = await count('projects WHERE county_code = $1', [area.countyCode]);
    const bad = await call('POST', '/api/v1/projects', 'county', {
      name: '肉牛养殖', channel: 'cattle', year: 2024, villageCodes: [other.villageCodes[0]], startsOn: '2024-05-01', endsOn: '2024-04-01',
    });
    expect(bad.statusCode).toBe(400);
    const issues = bad.json().error.issues as { field: string; zh: string; en: string }[];
    expect(issues.find((i) => i.field === 'endsOn')!.zh).toContain('早于开工日期 2024-05-01');
    expect(issues.find((i) => i.field === 'villageCodes.0')!.en).toContain(`not a village of county ${area.countyCode}`);
    expect(await count('projects WHERE county_code = $1', [area.countyCode])).toBe(before);

    const res = await call('POST', '/api/v1/projects', 'county', {
      name: '嘎查肉牛养殖', channel: 'cattle', year: 2024, villageCodes: [area.villageCodes[0]], implementer: '测试合作社', startsOn: '2024-03-01', endsOn: '2024-11-30',
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ countyCode: area.countyCode, status: 'planned', version: 1, villages: [{ code: area.villageCodes[0], name: '测试一嘎查' }], allowedMoves: ['approved', 'cancelled'] });
    projectA = p.id;
    const b = await call('POST', '/api/v1/projects', 'county', { name: '光伏扶贫', channel: 'solar_wind', year: 2024 });
    expect(b.statusCode, b.body).toBe(201);
    projectB = b.json().id;
    expect(await auditCount('projects')).toBe(2);
    // Same name in the same county and year: refused.
    const dup = await call('POST', '/api/v1/projects', 'county', { name: '光伏扶贫', channel: 'solar_wind', year: 2024 });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.issues[0].zh).toContain('已有同名项目');
    // A township reviewer may read but not write.
    expect((await call('POST', '/api/v1/projects', 'township', { name: 'x', channel: 'cattle', year: 2024 })).statusCode).toBe(403);
  });

  it('edits on the version read; a stale version gets 409 with the current project', async () => {
    const ok = await call('PATCH', `/api/v1/projects/${projectA}`, 'county', { version: 1, description: '基础母牛扶持' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, description: '基础母牛扶持', name: '嘎查肉牛养殖' });
    const stale = await call('PATCH', `/api/v1/projects/${projectA}`, 'county', { version: 1, description: '旧' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.zh).toContain('您读取的是第 1 版，当前为第 2 版');
    expect(stale.json().error.current.description).toBe('基础母牛扶持');
    const early = await call('PATCH', `/api/v1/projects/${projectA}`, 'county', { version: 2, endsOn: '2024-01-01' });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.issues[0].field).toBe('endsOn');
  });

  it('moves status forward one step, cancels from any but completed, and names the allowed moves when refused', async () => {
    const skip = await call('POST', `/api/v1/projects/${projectA}/status`, 'county', { status: 'completed', version: 2 });
    expect(skip.statusCode).toBe(400);
    expect(skip.json().error.zh).toBe('项目状态不能从“入库”改为“已完工”；可改为：已批复（approved）、已取消（cancelled）');
    expect(skip.json().error.en).toContain('allowed: Approved (approved), Cancelled (cancelled)');
    const ok = await call('POST', `/api/v1/projects/${projectA}/status`, 'county', { status: 'approved', version: 2 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', version: 3, allowedMoves: ['in_progress', 'cancelled'] });
    const back = await call('POST', `/api/v1/projects/${projectA}/status`, 'county', { status: 'planned', version: 3 });
    expect(back.statusCode).toBe(400);
    // A throwaway project: completed is final, cancelled is final.
    const t = (await createProject(ctx, { county: area.countyCode, name: '临时项目', channel: 'ecology', year: 2023 })).id;
    let v = 1;
    for (const s of ['approved', 'in_progress', 'completed']) {
      await setProjectStatus(ctx, t, { status: s, version: v });
      v += 1;
    }
    const cancel = await call('POST', `/api/v1/projects/${t}/status`, 'county', { status: 'cancelled', version: v });
    expect(cancel.statusCode).toBe(400);
    expect(cancel.json().error.zh).toContain('该状态为最终状态，不能再改');
    const [row] = await db.query<{ status: string }>('SELECT status FROM projects WHERE county_code = $1 AND id = $2', [area.countyCode, t]);
    expect(row!.status).toBe('completed');
  });
});

describe('budgets and disbursements', () => {
  it('sets allocations by fund source', async () => {
    const r1 = await call('PUT', `/api/v1/projects/${projectA}/budgets`, 'county', { fundSource: 'central', amount: 100000 });
    expect(r1.statusCode, r1.body).toBe(200);
    const r2 = await call('PUT', `/api/v1/projects/${projectA}/budgets`, 'county', { fundSource: 'county', amount: 20000 });
    expect(r2.json()).toEqual([
      { fundSource: 'central', fundSourceLabel: { zh: '中央财政专项扶贫（衔接）资金', en: 'Central special poverty-alleviation funds' }, allocated: 100000, disbursed: 0, balance: 100000 },
      { fundSource: 'county', fundSourceLabel: { zh: '旗县财政资金', en: 'County funds' }, allocated: 20000, disbursed: 0, balance: 20000 },
    ]);
    await setBudget(ctx, projectB, { fundSource: 'central', amount: 10000 });
    const bad = await call('PUT', `/api/v1/projects/${projectA}/budgets`, 'county', { fundSource: 'central', amount: 1.234 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].zh).toContain('最多两位小数');
  });

  it('refuses paying from a project not yet approved, and from a source without a budget', async () => {
    const planned = await call('POST', `/api/v1/projects/${projectB}/disbursements`, 'county', { fundSource: 'central', amount: 100, paidOn: '2024-04-01', payee: '测试公司' });
    expect(planned.statusCode).toBe(400);
    expect(planned.json().error.issues[0].zh).toContain('只有已批复或实施中的项目可以拨付');
    const noBudget = await call('POST', `/api/v1/projects/${projectA}/disbursements`, 'county', { fundSource: 'social', amount: 100, paidOn: '2024-04-01', payee: '测试公司' });
    expect(noBudget.statusCode).toBe(400);
    expect(noBudget.json().error.issues[0].field).toBe('fundSource');
    expect(await count('disbursements WHERE county_code = $1', [area.countyCode])).toBe(0);
  });

  it('pays within the budget and refuses a payment beyond it with the numbers, writing nothing', async () => {
    const ok = await call('POST', `/api/v1/projects/${projectA}/disbursements`, 'county', { fundSource: 'central', amount: 60000, paidOn: '2024-04-01', payee: '测试合作社', voucherNo: 'V-001' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().budgets[0]).toMatchObject({ fundSource: 'central', allocated: 100000, disbursed: 60000, balance: 40000 });
    await disburse(ctx, projectA, { fundSource: 'county', amount: 5000, paidOn: '2024-04-02', payee: '测试合作社' });

    const rows = await count('disbursements WHERE county_code = $1', [area.countyCode]);
    const audits = await auditCount('disbursements');
    const over = await call('POST', `/api/v1/projects/${projectA}/disbursements`, 'county', { fundSource: 'central', amount: 50000, paidOn: '2024-05-01', payee: '测试合作社' });
    expect(over.statusCode).toBe(400);
    const e = over.json().error;
    expect(e.zh).toBe('超出预算，未拨付：中央财政专项扶贫（衔接）资金预算 100,000.00 元，已拨付 60,000.00 元，本次 50,000.00 元，超出 10,000.00 元（余额 40,000.00 元）；请先调增预算或减少本次金额');
    expect(e.en).toBe('Over budget, nothing paid: Central special poverty-alleviation funds budget 100,000.00, already paid 60,000.00, this payment 50,000.00, over by 10,000.00 (balance 40,000.00); raise the budget first or pay less');
    expect(e.issues[0]).toMatchObject({ field: 'amount', value: '50,000.00' });
    expect(await count('disbursements WHERE county_code = $1', [area.countyCode])).toBe(rows);
    expect(await auditCount('disbursements')).toBe(audits);
    const zero = await call('POST', `/api/v1/projects/${projectA}/disbursements`, 'county', { fundSource: 'central', amount: 0, paidOn: '2024-05-01', payee: 'x' });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.issues[0].zh).toContain('金额应大于 0 元');
  });

  it(`lets only one of two concurrent payments through when together they pass the budget (${engineName})`, async () => {
    // 40,000.00 left; two payments of 30,000.00 at once. On PostgreSQL each runs on its own pooled
    // connection (opened beforehand, so neither waits for a connection and both start together).
    await Promise.all([1, 2, 3].map(() => db.query('SELECT pg_sleep(0.02)')));
    const pay = () => disburse(ctx, projectA, { fundSource: 'central', amount: 30000, paidOn: '2024-06-01', payee: '并发测试' });
    const results = await Promise.allSettled([pay(), pay()]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(String(refused[0]!.reason.msg.zh)).toContain('已拨付 90,000.00 元，本次 30,000.00 元，超出 20,000.00 元');
    const [sum] = await db.query<{ s: number }>(`SELECT sum(amount) AS s FROM disbursements WHERE county_code = $1 AND project_id = $2 AND fund_source = 'central'`, [area.countyCode, projectA]);
    expect(Number(sum!.s)).toBe(90000);
  });

  it('makes a payment wait for one in flight on the same source, then counts it', async () => {
    // Deterministic form of the race: a transaction holds the budget row (as a payment does) and has
    // inserted 6,000.00 of the 10,000.00 left but not committed; a payment of 6,000.00 started then
    // must wait for it and be refused. Without the row lock it would read 90,000.00 paid and pass.
    let second: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      await tx.query(`SELECT amount FROM project_budgets WHERE county_code = $1 AND project_id = $2 AND fund_source = 'central' FOR UPDATE`, [area.countyCode, projectA]);
      await tx.query(`INSERT INTO disbursements (county_code, project_id, fund_source, paid_on, amount, payee, recorded_by) VALUES ($1, $2, 'central', '2024-06-02', 6000, '在途拨付', 'test')`, [area.countyCode, projectA]);
      second = disburse(ctx, projectA, { fundSource: 'central', amount: 6000, paidOn: '2024-06-02', payee: '并发测试' });
      second.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
    });
    await expect(second).rejects.toMatchObject({ msg: { zh: expect.stringContaining('已拨付 96,000.00 元，本次 6,000.00 元，超出 2,000.00 元') } });
    const [sum] = await db.query<{ s: number }>(`SELECT sum(amount) AS s FROM disbursements WHERE county_code = $1 AND project_id = $2 AND fund_source = 'central'`, [area.countyCode, projectA]);
    expect(Number(sum!.s)).toBe(96000);
  });

  it('refuses lowering a budget below what was paid from it, with the numbers', async () => {
    const res = await call('PUT', `/api/v1/projects/${projectA}/budgets`, 'county', { fundSource: 'central', amount: 50000 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.zh).toBe('中央财政专项扶贫（衔接）资金的预算不能调低到 50,000.00 元：已从该来源拨付 96,000.00 元，低了 46,000.00 元；预算至少为 96,000.00 元');
    expect(res.json().error.en).toContain('96,000.00 has already been paid from it');
    const [b] = await db.query<{ amount: number }>(`SELECT amount FROM project_budgets WHERE county_code = $1 AND project_id = $2 AND fund_source = 'central'`, [area.countyCode, projectA]);
    expect(Number(b!.amount)).toBe(100000);
    // Exactly what was paid is allowed (and set back).
    expect((await call('PUT', `/api/v1/projects/${projectA}/budgets`, 'county', { fundSource: 'central', amount: 96000 })).statusCode).toBe(200);
    expect((await call('PUT', `/api/v1/projects/${projectA}/budgets`, 'county', { fundSource: 'central', amount: 100000 })).statusCode).toBe(200);
  });

  it('shows balances per source and per project, checked by hand', async () => {
    const res = await call('GET', `/api/v1/funds?area=${area.countyCode}&year=2024`, 'county');
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    expect(f.sources.map((s: Record<string, unknown>) => [s.fundSource, s.allocated, s.disbursed, s.balance])).toEqual([
      ['central', 110000, 96000, 14000],
      ['county', 20000, 5000, 15000],
    ]);
    expect(f.totals).toEqual({ allocated: 130000, disbursed: 101000, balance: 29000, projects: 2 });
    const a = f.projects.find((p: { id: number }) => p.id === projectA);
    expect(a).toMatchObject({ allocated: 120000, disbursed: 101000, balance: 19000 });
    expect(a.bySource.map((s: Record<string, unknown>) => [s.fundSource, s.balance])).toEqual([['central', 4000], ['county', 15000]]);
    expect(f.projects.find((p: { id: number }) => p.id === projectB)).toMatchObject({ allocated: 10000, disbursed: 0, balance: 10000 });
    // Another year: nothing.
    expect((await call('GET', `/api/v1/funds?area=${area.countyCode}&year=2023`, 'county')).json().totals.allocated).toBe(0);
  });
});

describe('beneficiaries and disclosure', () => {
  it('links households of the project’s villages only, audited under the household', async () => {
    const add = await call('POST', `/api/v1/projects/${projectA}/beneficiaries`, 'county', { householdId: hh[0]!.id, linkKind: 'custody', expectedBenefit: 1200 });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json()).toHaveLength(1);
    expect(add.json()[0]).toMatchObject({ householdId: hh[0]!.id, linkKind: 'custody', expectedBenefit: 1200, villageCode: area.villageCodes[0] });
    const wrongVillage = await call('POST', `/api/v1/projects/${projectA}/beneficiaries`, 'county', { householdId: hh[2]!.id, linkKind: 'job' });
    expect(wrongVillage.statusCode).toBe(400);
    expect(wrongVillage.json().error.issues[0].zh).toContain('不在项目覆盖的村内');
    const otherCounty = await call('POST', `/api/v1/projects/${projectA}/beneficiaries`, 'county', { householdId: otherHousehold, linkKind: 'job' });
    expect(otherCounty.statusCode).toBe(400);
    expect(otherCounty.json().error.issues[0].zh).toContain('受益户须为本旗县农户');
    const dup = await call('POST', `/api/v1/projects/${projectA}/beneficiaries`, 'county', { householdId: hh[0]!.id, linkKind: 'job' });
    expect(dup.statusCode).toBe(400);
    // County-wide project B takes any household of the county.
    expect((await call('POST', `/api/v1/projects/${projectB}/beneficiaries`, 'county', { householdId: hh[2]!.id, linkKind: 'dividend' })).statusCode).toBe(201);
    expect((await call('POST', `/api/v1/projects/${projectB}/beneficiaries`, 'county', { householdId: hh[1]!.id, linkKind: 'dividend' })).statusCode).toBe(201);
    const del = await call('DELETE', `/api/v1/projects/${projectB}/beneficiaries/${hh[1]!.id}`, 'county');
    expect(del.statusCode).toBe(200);
    expect(del.json()).toHaveLength(1);
    expect(await count(`audit_log WHERE entity = 'project_beneficiaries' AND household_id = $1`, [hh[1]!.id])).toBe(2);
    expect(await count('project_beneficiaries WHERE county_code = $1', [area.countyCode])).toBe(2);
  });

  it('lists the disclosure without personal data; the date is set on the version read', async () => {
    const set = await call('PUT', `/api/v1/projects/${projectA}/disclosure`, 'county', { disclosedOn: '2024-03-10', disclosureNote: '嘎查公开栏', version: 3 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ disclosedOn: '2024-03-10', version: 4 });
    const res = await call('GET', `/api/v1/projects/disclosure?area=${area.countyCode}&year=2024`, 'researcher');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    const a = d.items.find((i: { id: number }) => i.id === projectA);
    expect(a).toMatchObject({ name: '嘎查肉牛养殖', implementer: '测试合作社', startsOn: '2024-03-01', endsOn: '2024-11-30', allocated: 120000, disbursed: 101000, beneficiaryHouseholds: 1, status: 'approved', disclosedOn: '2024-03-10', disclosureNote: '嘎查公开栏' });
    expect(a.budgets.map((b: { fundSource: string }) => b.fundSource)).toEqual(['central', 'county']);
    expect(d.totals).toMatchObject({ projects: 2, beneficiaryHouseholds: 2 });
    const body = res.body;
    const [head] = await db.query<{ head_name: string; household_no: string }>('SELECT head_name, household_no FROM households WHERE county_code = $1 AND id = $2', [area.countyCode, hh[0]!.id]);
    expect(body).not.toContain(head!.head_name);
    expect(body).not.toContain(head!.household_no);
    expect(body).not.toContain('householdId');
  });

  it('hides beneficiaries from a role without register.read', async () => {
    const p = await call('GET', `/api/v1/projects/${projectA}`, 'researcher');
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ beneficiaries: null, beneficiaryCount: 1 });
    expect((await call('GET', `/api/v1/projects/${projectA}/beneficiaries`, 'researcher')).statusCode).toBe(403);
  });
});

describe('assets and their income', () => {
  let station: number;

  it('records a solar station of the project in a village of its county', async () => {
    await setProjectStatus(ctx, projectB, { status: 'approved', version: 1 });
    const bad = await call('POST', '/api/v1/assets', 'county', { projectId: projectB, villageCode: other.villageCodes[0], kind: 'solar_station', name: '外村电站' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].zh).toContain('资产须建在项目旗县内');
    const res = await call('POST', '/api/v1/assets', 'county', { projectId: projectB, villageCode: area.villageCodes[0], kind: 'solar_station', name: '一嘎查光伏电站', capacity: 300, value: 2100000, completedOn: '2018-06-30' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ projectId: projectB, kind: 'solar_station', capacity: 300, owner: '村集体', incomeCount: 0 });
    station = res.json().id;
  });

  it('splits a quarter’s income with the solar calculator, sums to the amount and writes the ledger rows', async () => {
    const [h1, h2] = [hh[0]!, hh[1]!];
    const measuresBefore = await count('measures WHERE county_code = $1', [area.countyCode]);
    const body = {
      year: 2024, quarter: 1, amount: 10000, decidedOn: '2024-04-05', decisionNote: '村民代表会议决定',
      distribution: {
        shares: { jobs: 60, works: 10, rewards: 30 },
        noLabourFactor: 2,
        recipients: [
          { purpose: 'jobs', weight: 3, householdId: h1.id, memberId: h1.members[0]!.id },
          { purpose: 'jobs', weight: 3, name: '保洁员（非建档户）' },
          { purpose: 'works', name: '村道维修' },
          { purpose: 'rewards', householdId: h1.id },
          { purpose: 'rewards', householdId: h2.id },
        ],
      },
    };
    const res = await call('POST', `/api/v1/assets/${station}/incomes`, 'county', body);
    expect(res.statusCode, res.body).toBe(201);
    const inc = res.json();
    const d = inc.distribution;
    expect(d.recipients.map((r: { amount: number }) => r.amount)).toEqual([3000, 3000, 1000, 1000, 2000]);
    expect(d.recipients.map((r: { noLabour: boolean }) => r.noLabour)).toEqual([false, false, false, false, true]);
    expect(d.recipients.reduce((a: number, r: { amount: number }) => a + Math.round(r.amount * 100), 0)).toBe(1_000_000);
    expect(d.result.totals[0].amount).toBe(10000);
    expect(d.result.lines.find((l: { key: string }) => l.key === 'recipient.4').formula.zh).toContain('× 1 × 2 / 3');
    expect(d.ledger).toHaveLength(3);
    const rows = await db.query<{ household_id: number; member_id: number | null; type_code: string; amount: number; income_component: string; project_id: number; asset_income_id: number; year: number }>(
      'SELECT household_id, member_id, type_code, amount, income_component, project_id, asset_income_id, year FROM measures WHERE county_code = $1 AND asset_income_id = $2 ORDER BY id',
      [area.countyCode, inc.id],
    );
    expect(rows.map((r) => [r.household_id, r.member_id, r.type_code, Number(r.amount), r.income_component, r.project_id, r.year])).toEqual([
      [h1.id, h1.members[0]!.id, 'solar_job', 3000, 'wage', projectB, 2024],
      [h1.id, null, 'solar_reward', 1000, 'transfer', projectB, 2024],
      [h2.id, null, 'solar_reward', 2000, 'transfer', projectB, 2024],
    ]);
    expect(await count('measures WHERE county_code = $1', [area.countyCode])).toBe(measuresBefore + 3);
    const list = await call('GET', `/api/v1/assets/${station}/incomes`, 'county');
    expect(list.json()).toHaveLength(1);
    expect(list.json()[0].distribution.ledger).toHaveLength(3);
    // The researcher sees the income but not the named distribution.
    expect((await call('GET', `/api/v1/assets/${station}/incomes`, 'researcher')).json()[0]).toMatchObject({ amount: 10000, distribution: null });
  });

  it('refuses the same period twice and bad links, writing nothing', async () => {
    const incomes = await count('asset_incomes WHERE county_code = $1', [area.countyCode]);
    const measures = await count('measures WHERE county_code = $1', [area.countyCode]);
    const again = await call('POST', `/api/v1/assets/${station}/incomes`, 'county', {
      year: 2024, quarter: 1, amount: 500, distribution: { shares: { works: 100 }, recipients: [{ purpose: 'works', name: '路灯' }] },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.issues[0].zh).toBe('一嘎查光伏电站 2024 年第 1 季度的收益已经登记；同一期间不能登记两次');
    const badLinks = await call('POST', `/api/v1/assets/${station}/incomes`, 'county', {
      year: 2024, quarter: 2, amount: 500,
      distribution: { shares: { jobs: 50, rewards: 50 }, recipients: [{ purpose: 'jobs', householdId: hh[0]!.id }, { purpose: 'rewards', householdId: hh[2]!.id }] },
    });
    expect(badLinks.statusCode).toBe(400);
    const fields = badLinks.json().error.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(['distribution.recipients.0.memberId', 'distribution.recipients.1.householdId']);
    const badShares = await call('POST', `/api/v1/assets/${station}/incomes`, 'county', {
      year: 2024, quarter: 2, amount: 500, distribution: { shares: { jobs: 50, rewards: 40 }, recipients: [{ purpose: 'jobs', name: 'a' }, { purpose: 'rewards', name: 'b' }] },
    });
    expect(badShares.statusCode).toBe(400);
    expect(badShares.json().error.issues[0]).toMatchObject({ field: 'distribution.shares' });
    expect(badShares.json().error.issues[0].zh).toContain('合计应为 100%，现为 90%');
    expect(await count('asset_incomes WHERE county_code = $1', [area.countyCode])).toBe(incomes);
    expect(await count('measures WHERE county_code = $1', [area.countyCode])).toBe(measures);
  });
});

describe('area scope', () => {
  it('answers 404 for another county’s project and asset on every endpoint', async () => {
    const [asset] = await db.query<{ id: number }>(`SELECT id FROM assets WHERE county_code = $1 LIMIT 1`, [area.countyCode]);
    const a = asset!.id;
    const attempts: [Parameters<typeof call>[0], string, unknown?][] = [
      ['GET', `/api/v1/projects/${projectA}`],
      ['PATCH', `/api/v1/projects/${projectA}`, { version: 4, description: 'x' }],
      ['POST', `/api/v1/projects/${projectA}/status`, { status: 'in_progress', version: 4 }],
      ['PUT', `/api/v1/projects/${projectA}/budgets`, { fundSource: 'central', amount: 1 }],
      ['POST', `/api/v1/projects/${projectA}/disbursements`, { fundSource: 'central', amount: 1, paidOn: '2024-01-01', payee: 'x' }],
      ['GET', `/api/v1/projects/${projectA}/beneficiaries`],
      ['POST', `/api/v1/projects/${projectA}/beneficiaries`, { householdId: otherHousehold, linkKind: 'job' }],
      ['DELETE', `/api/v1/projects/${projectA}/beneficiaries/${hh[0]!.id}`],
      ['PUT', `/api/v1/projects/${projectA}/disclosure`, { disclosedOn: null, version: 4 }],
      ['GET', `/api/v1/projects?area=${area.countyCode}`],
      ['GET', `/api/v1/projects/disclosure?area=${area.countyCode}&year=2024`],
      ['GET', `/api/v1/funds?area=${area.countyCode}`],
      ['GET', `/api/v1/assets?area=${area.countyCode}`],
      ['GET', `/api/v1/assets/${a}`],
      ['GET', `/api/v1/assets/${a}/incomes`],
      ['POST', `/api/v1/assets/${a}/incomes`, { year: 2024, quarter: 3, amount: 1 }],
      ['POST', '/api/v1/assets', { projectId: projectA, villageCode: area.villageCodes[0], kind: 'other', name: 'x' }],
    ];
    for (const [m, url, body] of attempts) {
      const res = await call(m, url, 'other', body);
      expect(res.statusCode, `${m} ${url}: ${res.body}`).toBe(404);
      expect(res.json().error.zh).toContain('未找到');
    }
    // Their own lists do not contain this county's projects or money.
    const list = (await call('GET', '/api/v1/projects', 'other')).json();
    expect(list.items.map((p: { id: number }) => p.id)).toEqual([otherProject]);
    expect((await call('GET', '/api/v1/funds', 'other')).json().totals.allocated).toBe(0);
    expect((await call('GET', '/api/v1/assets', 'other')).json()).toEqual([]);
    // Nothing changed.
    const [p] = await db.query<{ version: number }>('SELECT version FROM projects WHERE county_code = $1 AND id = $2', [area.countyCode, projectA]);
    expect(p!.version).toBe(4);
  });

  it('shows a village account the county-wide projects and those of its village only', async () => {
    const list = (await call('GET', '/api/v1/projects?year=2024', 'cadre2')).json();
    expect(list.items.map((p: { id: number }) => p.id)).toEqual([projectB]);
    expect((await call('GET', `/api/v1/projects/${projectA}`, 'cadre2')).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/projects/${projectB}`, 'cadre2')).statusCode).toBe(200);
    const t = (await call('GET', '/api/v1/projects?year=2024', 'township')).json();
    expect(t.items.map((p: { id: number }) => p.id).sort()).toEqual([projectA, projectB].sort());
    const funds = (await call('GET', '/api/v1/funds?year=2024', 'cadre2')).json();
    expect(funds.totals).toMatchObject({ allocated: 10000, projects: 1 });
    // The station sits in village 1: not in village 2's asset list.
    expect((await call('GET', '/api/v1/assets', 'cadre2')).json()).toEqual([]);
    // A township reviewer can read but not pay.
    const pay = await call('POST', `/api/v1/projects/${projectA}/disbursements`, 'township', { fundSource: 'central', amount: 1, paidOn: '2024-01-01', payee: 'x' });
    expect(pay.statusCode).toBe(403);
  });
});
