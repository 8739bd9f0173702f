// `jingzhun leaders list|show`, `jingzhun scenic-spots list`, `jingzhun products list` as a user runs
// them, on a database prepared through the services: tables for people, --json for scripts, a bad
// id refused with a non-zero exit. PGlite: an on-disk copy of the test template; PostgreSQL: the
// test database (the CLI reads DATABASE_URL).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPglite, type Db } from '../src/db/client.js';
import { systemActor } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { createLeader, createProduct, createSpot, linkHousehold } from '../src/services/links/index.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

const dir = mkdtempSync(join(tmpdir(), 'jz-links-cli-'));
const env = { ...process.env, JINGZHUN_DATA_DIR: dir };
let area: TestArea;
let leaderId: number;

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
    const ctx = { actor: systemActor('links-cli-test'), db };
    const c = area.countyCode;
    const h = await createHousehold(ctx, {
      household: { householdNo: householdNo('LCLI'), villageCode: area.villageCodes[0], attribute: '4', exitStatus: '1', exitYear: 2019, mainCause: '07', identifiedOn: '2015-05-01' },
      members: [{ name: '额尔敦', idNumber: makeIdNumber(c, '1966-02-03', '1'), relation: '01', ethnicity: '02' }],
    });
    // one person, wage 15,000 → per capita 15,000.00
    await putHouseholdYear(ctx, h.id, 2025, { householdSize: 1, status: '1', wageIncome: 15000 });
    leaderId = (await createLeader(ctx, { name: '命令行肉牛合作社', kind: 'cooperative', villageCode: area.villageCodes[0], channel: 'cattle' })).id;
    await linkHousehold(ctx, leaderId, { householdId: h.id, linkKind: 'custody', since: '2024-01-01', expectedBenefit: 1200 });
    await createSpot(ctx, { name: '命令行景区', grade: '3A', villageCode: area.villageCodes[0], linkedVillageCodes: [area.villageCodes[1]] });
    await createProduct(ctx, { name: '命令行牛肉干', category: '牛肉制品', villageCode: area.villageCodes[0], leaderId, shop: '测试店' });
  } finally {
    await db.close();
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jingzhun leaders, scenic-spots, products', () => {
  it('lists and shows leaders as tables and JSON', () => {
    const list = jz('leaders', 'list', '--area', area.countyCode, '--json');
    expect(list.code, list.err).toBe(0);
    const r = JSON.parse(list.out);
    expect(r.total).toBe(1);
    expect(r.items[0]).toMatchObject({ id: leaderId, currentHouseholds: 1, expectedBenefit: 1200, products: 1 });
    const table = jz('leaders', 'list', '--area', area.countyCode);
    expect(table.out).toMatch(/命令行肉牛合作社\s+农民专业合作社\s+黄牛产业\s+测试一嘎查\s+1\s+1200\.00\s+1/);
    const show = jz('leaders', 'show', String(leaderId));
    expect(show.code, show.err).toBe(0);
    expect(show.out).toMatch(/额尔敦\s+测试一嘎查\s+\S+\s+15000\.00（2025）\s+托养托管\s+2024-01-01 – 至今\s+1200\.00/);
    const bad = jz('leaders', 'show', 'abc');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('id 应为正整数');
  });

  it('lists scenic spots and products', () => {
    const s = jz('scenic-spots', 'list', '--area', area.countyCode);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toMatch(/命令行景区\s+3A\s+测试旗\d+\s+测试一嘎查\s+测试二嘎查/);
    const p = JSON.parse(jz('products', 'list', '--area', area.countyCode, '--json').out);
    expect(p.items[0]).toMatchObject({ name: '命令行牛肉干', leaderName: '命令行肉牛合作社', shop: '测试店' });
  });
});
