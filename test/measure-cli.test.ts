// `jingzhun measure fgt|gini|mpi` as a user runs it, on CSV files written here: tables for people,
// --json for scripts, GBK and BOM files, and every bad option or cell refused with exit code 1 and
// a message naming the line, column and value. The commands need no database: they run with
// DATABASE_URL pointing nowhere and leave the data dir empty.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'jz-measure-cli-'));
const dataDir = join(dir, 'data');
// Nothing listens on port 9: a command that opened the database would fail (exit code 3).
const env = { ...process.env, JINGZHUN_DATA_DIR: dataDir, DATABASE_URL: 'postgres://jz:jz@127.0.0.1:9/none' };

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function jz(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/jingzhun.js', ...args], { env, encoding: 'utf8', timeout: 120_000 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out, err });
    });
  });
}

/** Runs the commands two at a time (each start compiles the CLI) and returns their results in order. */
async function all<T extends string[][]>(cmds: [...T]): Promise<{ [K in keyof T]: Run }> {
  const out: Run[] = [];
  for (let i = 0; i < cmds.length; i += 2) out.push(...(await Promise.all(cmds.slice(i, i + 2).map((c) => jz(...c)))));
  return out as { [K in keyof T]: Run };
}

function file(name: string, content: string | Buffer): string {
  const f = join(dir, name);
  writeFileSync(f, content);
  return f;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Incomes 1..8 with line z = 5: the hand example of src/domain/measures/poverty.test.ts, using the
// FGT definitions of Haughton & Khandker, Handbook on Poverty and Inequality (World Bank 2009), ch. 4.
const oneToEight = file('one-to-eight.csv', 'name,income,town\n' + [1, 2, 3, 4, 5, 6, 7, 8].map((y, i) => `p${i + 1},${y},${i < 2 ? 'X' : 'Y'}`).join('\n') + '\n');
// Alkire & Foster (2011), J. Public Economics 95, 476–487, §2 and §4: 4 people × 4 dimensions
// (income z 500, years of schooling 12, self-reported health 3, health insurance 1), as in
// src/domain/measures/mpi.test.ts; groups A = persons 1–2, B = 3–4; person weights 2, 1, 3, 2.
const af = file('af.csv', 'person,income,schooling,health,insurance,g,w\n1,700,14,4,1,A,2\n2,300,13,1,0,A,1\n3,400,10,3,0,B,3\n4,800,11,3,1,B,2\n');
const AF_SPECS = ['--indicator', 'income:500:cardinal', '--indicator', 'schooling:12:cardinal', '--indicator', 'health:3:cardinal', '--indicator', 'insurance:1:cardinal'];

describe('jingzhun measure', () => {
  it('computes FGT, Gini and MPI without opening any database, as tables and as JSON', async () => {
    const [help, top, fgt, gini, mpi, fgtJson] = await all([
      ['measure', '--help'],
      ['--help'],
      ['measure', 'fgt', '--input', oneToEight, '--income', 'income', '--line', '5', '--by', 'town'],
      ['measure', 'gini', '--input', oneToEight, '--income', 'income', '--json'],
      ['measure', 'mpi', '--input', af, ...AF_SPECS, '--k', '2/4', '--by', 'g', '--json'],
      ['measure', 'fgt', '--input', oneToEight, '--income', 'income', '--line', '5', '--json'],
    ]);
    expect(help.code, help.err).toBe(0);
    const flat = help.out.replace(/\s+/g, ' ');
    expect(flat).toContain('（不连数据库、无需登录；帮扶措施台账是 `jingzhun measures`）');
    expect(flat).toContain('(no database, no login; the assistance-measures ledger is `jingzhun measures`)');
    for (const c of ['fgt', 'gini', 'mpi']) expect(help.out).toContain(c);
    expect(top.out).toMatch(/^\s+measure\s+贫困测量：对任意 CSV 表/m);
    expect(top.out).toMatch(/^\s+measures\s/m);

    expect(fgt.code, fgt.err).toBe(0);
    // X = {1, 2}: P0 1, P1 (4/5 + 3/5)/2 = 0.7, P2 (16/25 + 9/25)/2 = 0.5, Watts (ln 5 + ln 2.5)/2 = 1.2629
    expect(fgt.out).toMatch(/^X\s+2\s+2\s+2\s+1\.0000\s+0\.7000\s+0\.5000\s+1\.2629\s+1\.50\s+1\.50$/m);
    // Y = {3..8}: P0 2/6, P1 (2/5 + 1/5)/6 = 0.1, P2 (4/25 + 1/25)/6 = 1/30, Watts ln(25/12)/6 = 0.1223
    expect(fgt.out).toMatch(/^Y\s+6\s+6\s+2\s+0\.3333\s+0\.1000\s+0\.0333\s+0\.1223\s+5\.50\s+5\.50$/m);
    // total: P0 1/2, P1 2/8, P2 1.2/8, Watts ln(625/24)/8 = 0.4075
    expect(fgt.out).toMatch(/^合计 total\s+8\s+8\s+4\s+0\.5000\s+0\.2500\s+0\.1500\s+0\.4075\s+4\.50\s+4\.50$/m);

    const f = JSON.parse(fgtJson.out);
    expect(Object.keys(f)).toEqual(['measure', 'file', 'encoding', 'rows', 'income', 'line', 'weight', 'by', 'negativeIncomes', 'total', 'groups']);
    expect(Object.keys(f.total)).toEqual(['n', 'population', 'poor', 'p0', 'p1', 'p2', 'watts', 'wattsNote', 'mean', 'median']);
    expect(f.total.p2).toBeCloseTo(0.15, 15);
    expect(f.total.watts).toBeCloseTo(Math.log(625 / 24) / 8, 14);

    // Gini of 1..8 by gini.ts's formula: Σ_i Σ_j |y_i − y_j| = 2 · Σ_{d=1..7} d(8 − d) = 168; G = 168 / (2 · 64 · 4.5) = 7/24
    const g = JSON.parse(gini.out);
    expect(Object.keys(g)).toEqual(['measure', 'file', 'encoding', 'rows', 'income', 'weight', 'by', 'total', 'groups']);
    expect(g.total).toEqual({ n: 8, population: 8, gini: expect.closeTo(7 / 24, 15), giniNote: null, mean: 4.5, median: 4.5 });

    // Alkire & Foster (2011): H = 1/2, A = 3/4, M0 = 3/8, M1 = 103/480, M2 = 481/2880; the groups' M0 3/8 each
    const m = JSON.parse(mpi.out);
    expect(Object.keys(m)).toEqual(['measure', 'file', 'encoding', 'rows', 'default', 'line', 'k', 'weight', 'by', 'total', 'indicators', 'groups', 'leftOut', 'notes']);
    expect(m.total).toEqual({ n: 4, population: 4, H: 0.5, A: 0.75, M0: 0.375, M1: expect.closeTo(103 / 480, 15), M2: expect.closeTo(481 / 2880, 15) });
    expect(m.indicators.map((i: { name: string; censored: number; contribution: number }) => [i.name, i.censored, i.contribution])).toEqual([
      ['income', 0.5, 0.125], ['schooling', 0.25, 0.0625], ['health', 0.25, 0.0625], ['insurance', 0.5, 0.125],
    ]);
    expect(Object.keys(m.indicators[0])).toEqual(['name', 'label', 'cutoff', 'weight', 'cardinal', 'uncensored', 'censored', 'contribution', 'share']);
    expect(m.groups.map((x: { group: string; M0: number; share: number }) => [x.group, x.M0, x.share])).toEqual([['A', 0.375, 0.5], ['B', 0.375, 0.5]]);

    // no database was opened: the data dir holds no PGlite cluster (and the unreachable DATABASE_URL was never tried)
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  }, 300_000);

  it('reads GBK and UTF-8-with-BOM files with Chinese headers, weights and groups; prints MPI tables', async () => {
    const text = '户主,人均纯收入,人数,乡镇\n张三,3,4,甲镇\n李四,6,2,乙镇\n王五,4,1,甲镇\n';
    const gbk = file('gbk.csv', iconv.encode(text, 'gbk'));
    const bom = file('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const [a, b, mpi] = await all([
      ['measure', 'fgt', '--input', gbk, '--income', '人均纯收入', '--line', '5', '--weight', '人数', '--by', '乡镇', '--json'],
      ['measure', 'fgt', '--input', bom, '--income', '人均纯收入', '--line', '5', '--weight', '人数', '--by', '乡镇', '--json'],
      ['measure', 'mpi', '--input', af, '--indicator', 'income:500:cardinal', '--indicator', 'schooling:12:cardinal', '--indicator', 'health:3',
        '--indicator', 'insurance:1:cardinal', '--k', '0.5', '--weight', 'w', '--by', 'g'],
    ]);
    for (const [r, enc] of [[a, 'gbk'], [b, 'utf-8-bom']] as const) {
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.encoding).toBe(enc);
      // per-capita incomes 3 (4 people), 6 (2), 4 (1), z = 5 (poverty.test.ts): poor 5 of 7, P1 = 1.8/7, P2 = 0.68/7
      expect(j.total.poor).toBe(5);
      expect(j.total.population).toBe(7);
      expect(j.total.p1).toBeCloseTo(1.8 / 7, 15);
      expect(j.total.p2).toBeCloseTo(0.68 / 7, 15);
      // 甲镇 = 3 (4 people) and 4 (1): all 5 poor; 乙镇 = 6 (2): none
      expect(j.groups.map((g: { group: string; poor: number; population: number }) => [g.group, g.poor, g.population])).toEqual([['甲镇', 5, 5], ['乙镇', 0, 2]]);
    }
    expect(mpi.code, mpi.err).toBe(0);
    // person weights 2, 1, 3, 2: P = 8, poor weight 1 + 3 → H = 1/2, A = 3/4, M0 = 3/8; health not cardinal → M1, M2 null
    expect(mpi.out).toMatch(/^4\s+8\s+0\.5000\s+0\.7500\s+0\.3750\s+—\s+—$/m);
    expect(mpi.out).toMatch(/^income\s+500\s+0\.2500\s+是 yes\s+0\.5000\s+0\.5000\s+0\.1250\s+33\.33%$/m);
    expect(mpi.out).toContain('分组分解 subgroup decomposition by g:');
    expect(mpi.out).toContain('M1 and M2 are null: they are defined only when every indicator is cardinal');
  }, 300_000);

  it('refuses bad options and cells with exit code 1 and a message naming what is wrong', async () => {
    const bad = file('bad.csv', 'name,income,w\na,100,1\nb,1 234,2\nc,300,-1\n');
    const empty = file('empty.csv', '');
    const missing = join(dir, 'nope.csv');
    const r: Run[] = await all([
      ['measure', 'fgt', '--input', bad, '--income', 'income', '--line', '500', '--weight', 'w'],
      ['measure', 'fgt', '--input', oneToEight, '--income', 'incme', '--line', '5'],
      ['measure', 'mpi', '--input', af, '--indicator', 'income:500:0.5', '--indicator', 'schooling:12:0.4', '--k', '0.5'],
      ['measure', 'mpi', '--input', af, ...AF_SPECS, '--k', '1.5'],
      ['measure', 'mpi', '--input', af, '--indicator', 'income=500', '--k', '0.5'],
      ['measure', 'fgt', '--input', oneToEight, '--income', 'income'],
      ['measure', 'fgt', '--input', oneToEight, '--income', 'income', '--line', '0'],
      ['measure', 'gini', '--input', missing, '--income', 'income'],
      ['measure', 'gini', '--input', empty, '--income', 'income'],
    ]);
    const [cells, column, weights, k, syntax, noLine, zeroLine, notFound, emptyFile] = r as [Run, Run, Run, Run, Run, Run, Run, Run, Run];
    for (const x of r.filter((x) => x !== notFound)) {
      expect(x.code, x.err).toBe(1);
      expect(x.out).toBe('');
      expect(x.err).toMatch(/^错误：.*\nError: /); // Chinese first, then English
    }

    // a non-number and a negative weight, each with its file line (header = line 1), column and value
    expect(cells.err).toContain(`错误：${bad} 第 3 行（文件行号，表头在第 1 行）「income」列：不是数字（须为普通写法，如 1234.5 或 -3，不带千位分隔符、单位或空格）："1 234"（另有 1 处）`);
    expect(cells.err).toContain(`Error: ${bad}, line 3 (file line, the header is line 1), column "income": not a number`);
    expect(cells.err).toContain('  - 第 3 行 row 3 列「income」: 不是数字');
    expect(cells.err).toContain('  - 第 4 行 row 4 列「w」: 权数为负数（权数必须 ≥ 0） / the weight is negative (weights must be ≥ 0)（值 value: "-1"）');

    expect(column.err).toContain('错误：找不到列「incme」（--income）；');
    expect(column.err).toContain('中的列：name、income、town');
    expect(column.err).toContain('Error: No column "incme" (--income); the columns of');

    expect(weights.err).toContain('错误：--indicator 的权重合计为 0.9，应为 1（允许误差 0.000001）\nError: The --indicator weights sum to 0.9, not 1 (tolerance 0.000001)');
    expect(k.err).toContain('错误：--k 必须满足 0 < k ≤ 1（占指标总权重的份额，如 1/3 或 0.5），收到 "1.5"');
    expect(syntax.err).toContain('Error: --indicator "income=500": bad syntax; write COLUMN:CUTOFF[:WEIGHT][:cardinal]');
    expect(noLine.err).toContain('错误：缺少 --line：请给出贫困线（与收入同一单位，大于 0）\nError: --line is missing: give the poverty line (in the unit of the incomes, above 0)');
    expect(zeroLine.err).toContain('错误：贫困线 --line 必须大于 0，收到 0\nError: The poverty line --line must be above 0; got 0');

    expect(notFound.code).toBe(2); // the CLI's code for a file that does not exist
    expect(notFound.err).toBe(`找不到文件：${missing}\nFile not found: ${missing}\n`);
    expect(notFound.out).toBe('');
    expect(emptyFile.err).toContain(`错误：文件为空：${empty}（需要一行表头和至少一行数据）`);
  }, 300_000);

  it('names a file it cannot read and the reason, exit code 2 like a missing file (a directory as --input)', async () => {
    // Tests run as root, where EACCES cannot be provoked; a directory gives EISDIR on reading.
    const folder = join(dir, 'a-folder.csv');
    mkdirSync(folder, { recursive: true });
    const [d] = await all([['measure', 'gini', '--input', folder, '--income', 'income']]);
    expect(d.code, d.err).toBe(2);
    expect(d.out).toBe('');
    expect(d.err).toBe(`错误：无法读取文件 ${folder}：这是目录，不是文件\nError: Cannot read the file ${folder}: it is a directory, not a file\n`);
    expect(d.err).not.toContain('Internal error');
    expect(d.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]); // no database opened
  }, 300_000);

  it('gives Watts as null with a note, and applies the default dimension set', async () => {
    const zero = file('zero.csv', 'income\n0\n2\n6\n');
    const reg = file('register.csv', [
      'food_secure,clothing_secure,education_secure,medical_secure,housing_secure,water_secure,per_capita_income,household_size',
      '是,是,是,是,是,是,5000,2',
      '是,是,是,是,是,否,3000,3',
      '否,否,是,是,是,是,8000,1',
      '否,是,否,是,是,是,3500,4',
      '是,是,是,,是,是,3500,5',
    ].join('\n'));
    const [w, d] = await all([
      ['measure', 'fgt', '--input', zero, '--income', 'income', '--line', '5'],
      ['measure', 'mpi', '--input', reg, '--default', '--line', '4000', '--weight', 'household_size', '--json'],
    ]);
    expect(w.code, w.err).toBe(0);
    // incomes 0, 2, 6, z = 5: P0 2/3, P1 (1 + 3/5)/3 = 0.5333, P2 (1 + 9/25)/3 = 0.4533; Watts undefined
    expect(w.out).toMatch(/^合计 total\s+3\s+3\s+2\s+0\.6667\s+0\.5333\s+0\.4533\s+—\s+2\.67\s+2\.00$/m);
    expect(w.out).toContain('Watts 指数未计算（null）：第 2 行「income」列收入为 0');
    expect(w.out).toContain('Watts index not computed (null): line 2, column "income" has income 0');
    expect(d.code, d.err).toBe(0);
    // worked in src/cli/measure-report.test.ts: P = 10, H = 7/10, A = 10/21, M0 = 1/3; line 6 left out
    const m = JSON.parse(d.out);
    expect([m.default, m.line, m.leftOut, m.total.n, m.total.population, m.total.H]).toEqual([true, 4000, 1, 4, 10, 0.7]);
    expect(m.total.M0).toBeCloseTo(1 / 3, 15);
    expect(m.total.A).toBeCloseTo(10 / 21, 15);
  }, 300_000);
});
