// `jingzhun calc …` as a user runs it: a table with the arithmetic and the parameters' sources,
// --json for scripts, unknown parameters named, and bad options named with exit code 1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'jz-calc-cli-'));
const env = { ...process.env, JINGZHUN_DATA_DIR: dir };

function jz(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jingzhun.js', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jingzhun calc', () => {
  it('lists the four calculators', () => {
    const r = jz('calc', '--help');
    expect(r.code).toBe(0);
    for (const c of ['medical', 'education', 'ecology', 'solar']) expect(r.out).toContain(c);
  });

  it('prints 退耕还林 for a person: each installment with its arithmetic, the amount due and the source', () => {
    const r = jz('calc', 'ecology', '--programme', 'forest', '--mu', '12.5', '--start-year', '2016', '--year', '2018');
    expect(r.code, r.err).toBe(0);
    // 300 yuan/mu × 12.5 mu = 3,750 due in programme year 3; 6,250 + 3,750 + 5,000 = 15,000 in all
    expect(r.out).toMatch(/第 3 年（2018 年）补助.*3,750\.00.*300\.00 元\/亩 × 12\.5 亩 = 3,750\.00（本年度发放）/);
    expect(r.out).toMatch(/2018 年应发（第 3 年）.*3,750\.00/);
    expect(r.out).toMatch(/全周期合计.*15,000\.00/);
    expect(r.out).toContain('ecology_forest_year3_yuan_per_mu = 300（2014 年起 from 2014，全国 national）');
    expect(r.out).toContain('来源 source: 新一轮退耕还林');
  });

  it('gives JSON for scripts, from options and from an --input file', () => {
    const edu = JSON.parse(jz('calc', 'education', '--year', '2024', '--student', 'primary:boarding', '--student', 'lower_secondary:day:二宝', '--json').out);
    // 1,000 + 1,250 × 50% = 1,000 + 625 = 1,625
    expect(edu.totals[0].amount).toBe(1_625);
    expect(edu.lines[1].label.zh).toBe('二宝：初中·非寄宿');
    const f = join(dir, 'solar.json');
    writeFileSync(f, JSON.stringify({
      year: 2019, quarter: 4, revenue: 999.99, shares: { jobs: 70, subsidies: 30 }, noLabourFactor: 1.5,
      recipients: [{ name: '岗位1', purpose: 'jobs' }, { name: '户A', purpose: 'subsidies', noLabour: true }, { name: '户B', purpose: 'subsidies' }],
    }));
    const solar = JSON.parse(jz('calc', 'solar', '--input', f, '--revenue', '1000', '--json').out);
    // --revenue overrides the file: jobs 1,000 × 70% = 700; subsidies 300 by weights 1.5 : 1 → 300 × 1.5/2.5 = 180, 300 × 1/2.5 = 120
    expect(solar.lines.map((l: { key: string; amount: number }) => [l.key, l.amount])).toEqual([
      ['purpose.jobs', 700], ['recipient.0', 700], ['purpose.subsidies', 300], ['recipient.1', 180], ['recipient.2', 120],
    ]);
  });

  it('names the unknown medical parameters, and refuses bad options by name', () => {
    const med = jz('calc', 'medical', '--year', '2021', '--person', 'poor', '--total', '1000');
    expect(med.code).toBe(0);
    expect(med.out).toContain('缺少参数 medical_basic_deductible_yuan（2021 年）：已登记但数值未知');
    expect(med.out).toMatch(/个人自付（一站式结算后）.*—/);
    const bad = jz('calc', 'medical', '--year', '2021', '--person', 'rich', '--total', '10', '--eligible', '20');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('字段 --person (person): person 应为以下之一：poor、general');
    const badEdu = jz('calc', 'education', '--year', '2024', '--student', 'primary');
    expect(badEdu.code).toBe(1);
    expect(badEdu.err).toContain('字段 --student (students.0.boarding)');
  });
});
