// `jingzhun assess …` as a user runs it, on a small county prepared through the services: a plan,
// its draw (digest and strata printed; a second draw refused), the questionnaire template filled
// with exceljs, a bad upload refused cell by cell with nothing saved, the good upload, the four
// rates, and closing with one correction case. PGlite: an on-disk copy of the test template;
// PostgreSQL: the shared test database (the CLI reads DATABASE_URL; the county is the test's own).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPglite, type Db } from '../src/db/client.js';
import { loadPopulations } from '../src/services/areas.js';
import { systemActor } from '../src/services/context.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { createHousehold } from '../src/services/households.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

const dir = mkdtempSync(join(tmpdir(), 'jz-assessment-cli-'));
const env = { ...process.env, JINGZHUN_DATA_DIR: dir };
let area: TestArea;
let planId = 0;
const template = join(dir, 'template.xlsx');

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
    const ctx = { actor: systemActor('assessment-cli-test'), db };
    const county = area.countyCode;
    const [v1, v2] = area.villageCodes;
    let seq = 700;
    const household = async (village: string, status: '0' | '1') => {
      seq += 1;
      const h = await createHousehold(ctx, {
        household: { householdNo: householdNo('ACLI'), villageCode: village, attribute: '1', exitStatus: status, exitYear: status === '0' ? null : 2019, mainCause: '01', identifiedOn: '2014-05-01' },
        members: [{ name: `评估户${seq}`, idNumber: makeIdNumber(county, '1968-02-20', '1', seq), relation: '01', ethnicity: '01' }],
      });
      await putHouseholdYear(ctx, h.id, 2020, { householdSize: 3, status, wageIncome: 9000 });
    };
    // Village 1: 4 exited, 2 remaining, 10 rural households (4 not registered); village 2: 2 exited, 1 remaining, 6 rural (3 not registered).
    for (const [village, exited, remaining] of [[v1, 4, 2], [v2, 2, 1]] as const) {
      for (let i = 0; i < exited; i++) await household(village, '1');
      for (let i = 0; i < remaining; i++) await household(village, '0');
    }
    const rows = [[county, 2020, 60, 16], [area.townshipCode, 2020, 60, 16], [v1, 2020, 35, 10], [v2, 2020, 25, 6]];
    await loadPopulations(ctx, `area_code,year,rural_people,rural_households\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  } finally {
    await db.close();
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Fills every row of the template: completed, plausible answers; the first exited household's exit is wrong. */
async function fillTemplate(out: string, spoil?: (rows: Map<string, number>, ws: ExcelJS.Worksheet) => void): Promise<{ exited: number; rows: number }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(template);
  const ws = wb.worksheets[0]!;
  const col = new Map<string, number>();
  ws.getRow(1).eachCell((c, n) => {
    const m = /（(\w+)）$/.exec(String(c.value));
    if (m) col.set(m[1]!, n);
  });
  let wrong = false;
  let exited = 0;
  let rows = 0;
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (!row.getCell(col.get('sampleId')!).value) continue;
    rows += 1;
    const stratum = /（(\w+)）$/.exec(String(row.getCell(col.get('stratum')!).value))![1];
    const set = (k: string, v: string | number) => { row.getCell(col.get(k)!).value = v; };
    set('outcome', 'completed');
    set('surveyedOn', '2021-03-15');
    set('householdSize', 3);
    set('perCapitaIncome', 3000);
    for (const k of ['foodSecure', 'clothingSecure', 'educationSecure', 'medicalSecure', 'housingSecure', 'waterSecure', 'approves']) set(k, '是');
    if (stratum === 'exited') {
      exited += 1;
      set('exitCorrect', wrong ? '是' : '否');
      wrong = true;
    } else if (stratum === 'remaining') set('stillPoor', '是');
    else {
      set('omitted', '否');
      set('headName', `非建档户${r}`);
    }
    row.commit();
  }
  spoil?.(col, ws);
  await wb.xlsx.writeFile(out);
  return { exited, rows };
}

describe('jingzhun assess', () => {
  it('creates a plan and draws it once, printing the digest and the strata', () => {
    const p = jz('assess', 'plan', '--county', area.countyCode, '--year', '2020', '--name', '命令行评估', '--seed', 'cli-test-seed-1',
      '--villages-poor', '2', '--villages-nonpoor', '1', '--exited', '3', '--remaining', '2', '--non-registered', '2', '--json');
    expect(p.code, p.err).toBe(0);
    const plan = JSON.parse(p.out);
    expect(plan).toMatchObject({ status: 'draft', seed: 'cli-test-seed-1', countyCode: area.countyCode, year: 2020 });
    expect(plan.algorithm).toContain('xoshiro256**');
    planId = plan.id;

    const d = jz('assess', 'draw', String(planId));
    expect(d.code, d.err).toBe(0);
    expect(d.out).toMatch(/抽样框摘要 frame digest \(sha256\): [0-9a-f]{64}/);
    expect(d.out).toContain('随机种子 seed: cli-test-seed-1');
    // Both villages hold registered households, so both are poor: N = 2, n = 2.
    expect(d.out).toMatch(new RegExp(`${area.townshipCode}/poor\\s+2\\s+2`));
    // Village 1: 3 + 2 + 2; village 2: 2 + 1 + 2 (fewer than asked: all taken).
    expect(d.out).toContain('样本 sample: 2 个村 villages，12 户 households');

    const again = jz('assess', 'draw', String(planId));
    expect(again.code).not.toBe(0);
    expect(again.err).toContain(`计划 ${planId} 的状态为“已抽样（样本冻结）”，样本已冻结，不能再抽`);
    expect(again.err).toContain('its sample is frozen');
  });

  it('refuses a bad upload naming row and column, saves nothing; imports the good one; gives the four rates', async () => {
    const t = jz('assess', 'sample', String(planId), '--out', template);
    expect(t.code, t.err).toBe(0);

    let badRow = 0;
    let unknownRow = 0;
    const bad = join(dir, 'bad.xlsx');
    await fillTemplate(bad, (col, ws) => {
      badRow = 3;
      ws.getRow(badRow).getCell(col.get('approves')!).value = 'maybe';
      ws.getRow(badRow).commit();
      unknownRow = 5;
      ws.getRow(unknownRow).getCell(col.get('sampleId')!).value = 99999999;
      ws.getRow(unknownRow).commit();
    });
    const b = jz('assess', 'import', String(planId), '--file', bad);
    expect(b.code).toBe(1);
    expect(b.err).toContain(`第 ${badRow} 行「是否认可帮扶工作（approves）」：应填“是”或“否”，收到“maybe”`);
    expect(b.err).toContain(`Row ${badRow}, column "是否认可帮扶工作（approves）"`);
    expect(b.err).toContain(`第 ${unknownRow} 行：样本编号 99999999 不在计划 ${planId} 的样本中`);
    expect(b.err).toContain('未导入任何问卷');
    const none = jz('assess', 'results', String(planId), '--json');
    expect(none.code, none.err).toBe(0);
    const counts = JSON.parse(none.out).counts as { completed: number; pending: number }[];
    expect(counts.reduce((n, c) => n + c.completed, 0)).toBe(0);
    expect(counts.reduce((n, c) => n + c.pending, 0)).toBe(12);

    const good = join(dir, 'good.xlsx');
    const filled = await fillTemplate(good);
    expect(filled.rows).toBe(12);
    expect(filled.exited).toBe(5);
    const g = jz('assess', 'import', String(planId), '--file', good);
    expect(g.code, g.err).toBe(0);
    expect(g.out).toContain('已导入问卷 imported: 12 份');

    const r = jz('assess', 'results', String(planId));
    expect(r.code, r.err).toBe(0);
    for (const label of ['错退率 Wrong-exit rate', '漏评率 Omission rate', '群众认可度 Public approval', '综合贫困发生率 Combined poverty incidence']) {
      expect(r.out).toMatch(new RegExp(`${label}\\s+\\d+\\.\\d\\d%\\s+\\[\\d+\\.\\d\\d%, \\d+\\.\\d\\d%\\]`));
    }
    expect(r.out).toMatch(/群众认可度 Public approval\s+100\.00%/);
    expect(r.out).toMatch(/已脱贫户 exited\s+5\s+5\s+0\s+0/);
    expect(r.out).toContain('实时计算 computed live');
    const wrongExit = /错退率 Wrong-exit rate\s+(\d+\.\d\d)%/.exec(r.out)![1];
    expect(Number(wrongExit)).toBeGreaterThan(0);
  });

  it('closes the plan with one correction case and lists the discrepancies', () => {
    const c = jz('assess', 'close', String(planId));
    expect(c.code, c.err).toBe(0);
    expect(c.out).toContain('已冻结 frozen at close');
    expect(c.out).toContain('已发起错退纠正案件 1 件 / 1 exit-correction case(s) opened');
    expect(c.out).toMatch(/错退率 Wrong-exit rate\s+\d+\.\d\d%.*不达标 FAIL/);

    const d = jz('assess', 'discrepancies', String(planId), '--json');
    expect(d.code, d.err).toBe(0);
    const fields = (JSON.parse(d.out) as { field: string }[]).map((x) => x.field);
    expect(fields.filter((f) => f === 'exitCorrect')).toHaveLength(1);
  });
});
