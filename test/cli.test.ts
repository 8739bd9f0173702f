// The `jingzhun` command as a user runs it: help, migrate, tables and --json, bad input,
// and the refusal of a second process on the same PGlite data dir.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'jz-cli-'));
const env = { ...process.env, JINGZHUN_DATA_DIR: dir };

function jz(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jingzhun.js', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jingzhun CLI', () => {
  it('lists every command in --help', () => {
    const r = jz('--help');
    expect(r.code).toBe(0);
    for (const c of ['serve', 'db', 'areas', 'populations', 'seed', 'demo', 'import', 'export', 'households', 'user', 'policy']) expect(r.out).toContain(c);
  });

  it('migrates, loads areas, searches with a table and with --json', () => {
    expect(jz('db', 'migrate').code).toBe(0);
    if (!process.env.DATABASE_URL) expect(jz('areas', 'load', '--file', 'data/areas-tongliao.csv').out).toMatch(/2722|已导入/);
    const human = jz('areas', 'search', '库伦');
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/代码\s+名称/);
    expect(human.out).toContain('150524');
    const json = JSON.parse(jz('areas', 'search', '库伦旗', '--json').out);
    expect(json[0]).toMatchObject({ code: '150524', name: '库伦旗' });
  });

  it('explains a bad divisions file row by row and loads nothing', () => {
    const f = join(dir, 'bad.csv');
    writeFileSync(f, 'code,name,level,parent_code,is_western\n1505249,坏代码,5,150524,1\n150524999,,4,150524,1\n');
    const r = jz('areas', 'load', '--file', f);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/第 2 行/);
    expect(r.err).toMatch(/第 3 行/);
    expect(jz('areas', 'search', '150524999', '--json').out.trim()).toBe('[]');
  });

  it('adds an account and refuses a weak password with the reason', () => {
    const weak = jz('user', 'add', `weak${process.pid}`, '--role', 'county_office', '--area', '150524', '--password', 'abc');
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/密码至少 10 位/);
    const ok = jz('user', 'add', `kulun${process.pid}`, '--role', 'county_office', '--area', '150524', '--password', 'Str0ng#Password');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('库伦旗');
  });

  it('sets a policy parameter, shows it, and refuses a bad change field by field', () => {
    // Xinjiang (65) in 2099: a row no other test reads, also on the shared PostgreSQL database.
    const bad = jz('policy', 'set', 'exit_notice_days', '--year', '2099', '--region', '65', '--value', '7.5', '--source', ' ');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/字段 value: exit_notice_days 的单位是天，应为整数/);
    expect(bad.err).toMatch(/字段 source: 缺少来源/);
    const ok = jz('policy', 'set', 'exit_notice_days', '--year', '2099', '--region', '65', '--value', '9', '--source', 'CLI 测试');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/exit_notice_days 2099 年起 65 新疆维吾尔自治区 = 9 天/);
    const shown = JSON.parse(jz('policy', 'show', 'exit_notice_days', '--json').out);
    expect(shown.rows.filter((r: { region: string }) => r.region === '' || r.region === '65').map((r: { region: string; year: number; value: number }) => [r.region, r.year, r.value]))
      .toEqual([['', 2014, 7], ['65', 2099, 9]]);
  });

  it.skipIf(Boolean(process.env.DATABASE_URL))('refuses a second process on the same PGlite data dir with a clear message', async () => {
    const server = spawn(process.execPath, ['bin/jingzhun.js', 'serve', '--no-demo', '--port', '0'], { env: { ...env, PORT: '0' } });
    let out = '';
    server.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
      server.stdout.on('data', () => out.includes('http://') && (clearTimeout(t), resolve()));
    });
    const r = jz('areas', 'search', '库伦');
    server.kill('SIGTERM');
    await new Promise((res) => server.on('exit', res));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/已被另一个进程/);
    expect(r.err).toMatch(/already open in another process/);
    // After the server stopped, the lock is released.
    expect(jz('areas', 'search', '库伦').code).toBe(0);
  });
});
