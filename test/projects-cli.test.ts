// `jingzhun projects …` and `jingzhun funds` as a user runs them, on a database prepared through the
// services: tables for people, --json for scripts, a payment beyond the budget refused with the
// numbers and a non-zero exit code, nothing written. PGlite: an on-disk copy of the test template;
// PostgreSQL: the shared test database (the CLI reads DATABASE_URL).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPglite, type Db } from '../src/db/client.js';
import { systemActor } from '../src/services/context.js';
import { createProject, disburse, setBudget, setProjectStatus } from '../src/services/projects/index.js';
import { testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';

const dir = mkdtempSync(join(tmpdir(), 'jz-projects-cli-'));
const env = { ...process.env, JINGZHUN_DATA_DIR: dir };
let area: TestArea;
let id: number;

function jz(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jingzhun.js', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  const db: Db = process.env.DATABASE_URL
    ? await testDb()
    : await openPglite({ dataDir: join(dir, 'pgdata'), loadDataDir: new Blob([readFileSync(inject('templatePath'))]) });
  try {
    area = await makeArea(db);
    const ctx = { actor: systemActor('projects-cli-test'), db };
    id = (await createProject(ctx, { county: area.countyCode, name: '命令行测试项目', channel: 'cattle', year: 2024, villageCodes: [area.villageCodes[1]] })).id;
    await setBudget(ctx, id, { fundSource: 'central', amount: 1000 });
    await setBudget(ctx, id, { fundSource: 'county', amount: 250.5 });
    await setProjectStatus(ctx, id, { status: 'approved', version: 1 });
    await disburse(ctx, id, { fundSource: 'central', amount: 600, paidOn: '2024-03-01', payee: '测试合作社' });
  } finally {
    await db.close();
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jingzhun projects and funds', () => {
  it('lists and shows a project as tables and JSON', () => {
    const list = jz('projects', 'list', '--area', area.countyCode, '--json');
    expect(list.code, list.err).toBe(0);
    const r = JSON.parse(list.out);
    expect(r.total).toBe(1);
    expect(r.items[0]).toMatchObject({ id, allocated: 1250.5, disbursed: 600, balance: 650.5, status: 'approved' });
    const table = jz('projects', 'list', '--area', area.countyCode);
    expect(table.out).toMatch(/命令行测试项目\s+黄牛产业\s+已批复\s+测试二嘎查\s+1,250\.50\s+600\.00\s+650\.50/);
    const show = jz('projects', 'show', String(id));
    expect(show.code, show.err).toBe(0);
    expect(show.out).toMatch(/中央财政专项扶贫（衔接）资金 central\s+1,000\.00\s+600\.00\s+400\.00/);
    expect(show.out).toMatch(/2024-03-01\s+中央财政专项扶贫（衔接）资金\s+600\.00\s+测试合作社/);
  });

  it('refuses a payment beyond the budget with the numbers and writes nothing, then pays within it', () => {
    const over = jz('projects', 'disburse', String(id), '--source', 'central', '--amount', '500', '--payee', '测试合作社', '--paid-on', '2024-04-01');
    expect(over.code).not.toBe(0);
    expect(over.err).toContain('预算 1,000.00 元，已拨付 600.00 元，本次 500.00 元，超出 100.00 元');
    expect(over.err).toContain('budget 1,000.00, already paid 600.00, this payment 500.00, over by 100.00');
    expect(over.err).toContain('--amount (amount)');
    const ok = jz('projects', 'disburse', String(id), '--source', 'central', '--amount', '400', '--payee', '测试合作社', '--paid-on', '2024-04-01', '--json');
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out).budgets[0]).toMatchObject({ fundSource: 'central', allocated: 1000, disbursed: 1000, balance: 0 });
  });

  it('prints the funds of an area and year', () => {
    const f = JSON.parse(jz('funds', '--area', area.countyCode, '--year', '2024', '--json').out);
    // central 1,000 − 1,000 = 0; county 250.50 − 0 = 250.50
    expect(f.sources.map((s: Record<string, unknown>) => [s.fundSource, s.allocated, s.disbursed, s.balance])).toEqual([['central', 1000, 1000, 0], ['county', 250.5, 0, 250.5]]);
    expect(f.totals).toEqual({ allocated: 1250.5, disbursed: 1000, balance: 250.5, projects: 1 });
    const text = jz('funds', '--area', area.countyCode, '--year', '2024');
    expect(text.out).toContain('合计 totals: 1 个项目 projects；预算 1,250.50，已拨付 1,000.00，余额 250.50');
  });
});
