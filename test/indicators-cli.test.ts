// `jingzhun rollup` and `jingzhun indicators` as a user runs them, on a PGlite data dir of its own
// (a seeded county would collide with other files on a shared PostgreSQL database).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'jz-indicators-cli-'));
const env = { ...process.env, JINGZHUN_DATA_DIR: dir, DATABASE_URL: '' };

function jz(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jingzhun.js', ...args], { env, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// it always runs on PGlite, so the PostgreSQL pass of CI skips it
const onPglite = !process.env.DATABASE_URL;

beforeAll(() => {
  if (!onPglite) return;
  const s = jz('seed', '--people', '1500', '--county', '150524', '--seed', '5', '--no-assistance', '--json');
  expect(s.code, s.err).toBe(0);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(onPglite)('jingzhun rollup and indicators', () => {
  it('recomputes every level, then prints the county with its townships, as a table and as JSON', () => {
    const r = JSON.parse(jz('rollup', '--json').out);
    expect(r.full).toBe(true);
    expect(r.rows).toBeGreaterThan(100);
    const human = jz('indicators', '--area', '150524', '--year', '2020');
    expect(human.code, human.err).toBe(0);
    expect(human.out).toContain('库伦旗 (150524) 2020');
    expect(human.out).toContain('下级区划 child areas:');
    expect(human.out).toMatch(/多维贫困（默认维度，k = 0\.333）/);
    const j = JSON.parse(jz('indicators', '--area', '150524', '--year', '2020', '--json').out);
    expect(j.figures.code).toBe('150524');
    expect(j.children.reduce((s: number, c: { people: number }) => s + c.people, 0)).toBe(j.figures.people);
    expect(j.figures.fgt.p2).toBeLessThanOrEqual(j.figures.fgt.p1);
    expect(j.figures.fgt.p1).toBeLessThanOrEqual(j.figures.fgt.p0);
    expect(j.trend.length).toBeGreaterThan(3);
  });

  it('gives the on-demand analysis by sex of the head with the Gini', () => {
    const j = JSON.parse(jz('indicators', '--area', '150524', '--year', '2020', '--analysis', '--by', 'sex', '--json').out);
    expect(j.gini).toBeGreaterThan(0);
    expect(j.gini).toBeLessThan(1);
    expect(j.groups.map((g: { group: string }) => g.group).sort()).toEqual(['1', '2']);
    const y2018 = jz('indicators', '--area', '150524', '--year', '2018', '--analysis');
    expect(y2018.out).toContain('2018 年没有贫困线');
  });

  it('names a bad year and a bad grouping, exit code 1', () => {
    const y = jz('indicators', '--year', '20x0');
    expect(y.code).toBe(1);
    expect(y.err + y.out).toContain('--year');
    const b = jz('indicators', '--year', '2020', '--by', 'colour');
    expect(b.code).toBe(1);
    expect(b.err + b.out).toMatch(/child、ethnicity、sex、cause/);
  });
});
