// `jingzhun pairing flags` and `jingzhun pairing frequency` as a user runs them, on a database
// prepared through the services: tables for people, --json for scripts, the default period said,
// a bad date refused by name with exit code 1. PGlite: an on-disk copy of the test template;
// PostgreSQL: the shared test database (the CLI reads DATABASE_URL).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPglite, type Db } from '../src/db/client.js';
import { systemActor } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { createCadre, createPairing, createUnit, createVisit } from '../src/services/pairing/index.js';
import { testDb } from './support/db.js';
import { openId } from '../src/services/pii.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

const dir = mkdtempSync(join(tmpdir(), 'jz-pairing-cli-'));
const env = { ...process.env, JINGZHUN_DATA_DIR: dir };
let area: TestArea;
const hh: Record<string, { id: number; no: string }> = {};
let cadreId = 0;

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
    const ctx = { actor: systemActor('pairing-cli-test'), db };
    const county = area.countyCode;
    const village = area.villageCodes[0]!;
    let seq = 600;
    const make = async (key: string, head: string, status: string) => {
      const no = householdNo('PCLI');
      const h = await createHousehold(ctx, {
        household: { householdNo: no, villageCode: village, attribute: status === '0' ? '1' : '4', exitStatus: status, exitYear: status === '0' ? undefined : 2019, mainCause: '07', identifiedOn: '2015-05-01' },
        members: [{ name: head, idNumber: makeIdNumber(county, '1970-03-15', '1', (seq += 1)), relation: '01', ethnicity: '02' }],
      });
      hh[key] = { id: h.id, no };
    };
    await make('paired', '额尔敦', '1');
    await make('unpaired', '哈斯', '3');
    await make('poor', '宝音', '0');
    const unit = await createUnit(ctx, { countyCode: county, name: '旗水利局', kind: 'party_gov', level: 'county' });
    cadreId = (await createCadre(ctx, { unitId: unit.id, name: '孟和', idNumber: makeIdNumber(county, '1984-04-04', '1', 650) })).id;
    await createPairing(ctx, { householdId: hh.paired!.id, cadreId, startedOn: '2025-01-01' });
    // 宝音, head of a 未脱贫 household, is also a cadre (paired with 宝音's own household, so only the cadre flag).
    const [m] = await db.query<{ id_enc: string }>('SELECT id_enc FROM members WHERE county_code = $1 AND household_id = $2', [county, hh.poor!.id]);
    const poorCadre = await createCadre(ctx, { unitId: unit.id, name: '宝音', idNumber: openId(m!.id_enc) });
    await createPairing(ctx, { householdId: hh.poor!.id, cadreId: poorCadre.id, startedOn: '2025-01-01' });
    await createVisit(ctx, hh.paired!.id, { visitedOn: '2025-03-10', cadreId, findings: '牛犊长势良好' });
    await createVisit(ctx, hh.paired!.id, { visitedOn: '2025-05-20', cadreId, findings: '饲草料储备充足' });
  } finally {
    await db.close();
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jingzhun pairing flags', () => {
  it('lists the unpaired household and the cadre who is registered poor, as JSON and as a table', () => {
    const j = jz('pairing', 'flags', '--area', area.countyCode, '--json');
    expect(j.code, j.err).toBe(0);
    const r = JSON.parse(j.out);
    expect(r.unpairedTotal).toBe(1);
    expect(r.unpaired).toEqual([expect.objectContaining({ householdId: hh.unpaired!.id, householdNo: hh.unpaired!.no, headName: '哈斯', exitStatus: '3', lastEndedOn: null })]);
    expect(r.cadresRegisteredPoor).toHaveLength(1);
    expect(r.cadresRegisteredPoor[0]).toMatchObject({ cadreName: '宝音', householdId: hh.poor!.id, memberName: '宝音', exitStatus: '0' });
    expect(r.cadresRegisteredPoor[0].idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    const t = jz('pairing', 'flags', '--area', area.countyCode);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toContain('无帮扶责任人 / no responsible cadre: 1 户');
    expect(t.out).toMatch(new RegExp(`${hh.unpaired!.no}\\s+哈斯\\s+测试一嘎查\\s+返贫`));
    expect(t.out).toContain('帮扶干部是建档立卡人员 / cadres who are registered poor: 1');
    expect(t.out).toMatch(new RegExp(`宝音\\s+\\d{4}\\*{10}[\\dX]{4}\\s+旗水利局\\s+${hh.poor!.no}`));
    // The full ID number is never printed.
    expect(t.out + j.out).not.toMatch(/\d{17}[\dX]/);
  });
});

describe('jingzhun pairing frequency', () => {
  it('computes a chosen period (hand-checked), as JSON and as a table', () => {
    const j = jz('pairing', 'frequency', '--area', area.countyCode, '--from', '2025-03-01', '--to', '2025-06-30', '--json');
    expect(j.code, j.err).toBe(0);
    const r = JSON.parse(j.out);
    expect(r).toMatchObject({ from: '2025-03-01', to: '2025-06-30', months: 4, basis: 'given', latestVisit: '2025-05-20' });
    // 孟和: one household, two visits in four months: 2 ÷ 1 ÷ 4 = 0.5. 宝音: one household, no visit.
    expect(r.items.find((x: { cadreId: number }) => x.cadreId === cadreId)).toMatchObject({ householdsPaired: 1, visits: 2, visitsPerHouseholdMonth: 0.5, lastVisit: '2025-05-20', notVisited: 0 });
    expect(r.items.find((x: { cadreName: string }) => x.cadreName === '宝音')).toMatchObject({ householdsPaired: 1, visits: 0, visitsPerHouseholdMonth: 0, notVisited: 1 });
    const t = jz('pairing', 'frequency', '--area', area.countyCode, '--from', '2025-03-01', '--to', '2025-06-30');
    expect(t.code, t.err).toBe(0);
    expect(t.out).toContain('2025-03-01 – 2025-06-30（4 个月 / months）');
    expect(t.out).toMatch(/孟和\s+旗水利局\s+1\s+2\s+0\.5\s+2025-05-20\s+0/);
  });

  it('defaults to the year of the latest visit when the area has none this year, and says so', () => {
    const year = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
    const r = JSON.parse(jz('pairing', 'frequency', '--area', area.countyCode, '--json').out);
    if (year > '2025') {
      expect(r).toMatchObject({ from: '2025-01-01', to: '2025-12-31', basis: 'latest_visit_year', months: 12 });
      const t = jz('pairing', 'frequency', '--area', area.countyCode);
      expect(t.out).toContain('2025-01-01 – 2025-12-31（12 个月 / months）');
      expect(t.out).toContain('本年尚无走访记录，默认显示最近一次走访（2025-05-20）所在年份');
    } else {
      expect(r).toMatchObject({ from: `${year}-01-01`, basis: 'this_year' });
    }
  });

  it('refuses a bad date by name with exit code 1', () => {
    const bad = jz('pairing', 'frequency', '--area', area.countyCode, '--from', '2025-06-30', '--to', '2025-03-01');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('结束日期 2025-03-01 早于开始日期 2025-06-30');
  });
});
