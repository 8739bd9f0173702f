// `jingzhun backup` and `jingzhun restore` round trips as a user runs them, on both engines, comparing
// every table (row count and md5 of all rows in order) between the source and the restored copy;
// then the refusals: a corrupt file, a file of the other engine, a newer schema, an occupied target,
// each leaving the target as it was. PGlite runs on data dirs of its own (on the PGlite pass);
// PostgreSQL on two fresh databases of its own on DATABASE_URL's server, else 127.0.0.1:5432
// (skipped when no server answers). CLI spawns are few: each costs seconds.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type Db } from '../src/db/client.js';
import { restore, type Target } from '../src/services/backup.js';
import { encodeHeader, readBackup, type Manifest } from '../src/services/backup-file.js';
import { keyFingerprint } from '../src/services/secret-box.js';

// One master key for this process and the CLI it spawns (they inherit process.env): backups are
// signed under it and refused under another.
process.env.JINGZHUN_SECRET_KEY = randomBytes(32).toString('hex');
const otherKey = randomBytes(32);

const root = mkdtempSync(join(tmpdir(), 'jz-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function jz(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jingzhun.js', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every table of the public and drizzle schemas: row count and md5 of all rows in text order. */
async function everyTable(db: Db): Promise<Record<string, { n: number; md5: string | null }>> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL TimeZone = 'UTC'`);
    const tables = await tx.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema IN ('public', 'drizzle') ORDER BY 1, 2`,
    );
    const out: Record<string, { n: number; md5: string | null }> = {};
    for (const { s, t } of tables) {
      const [r] = await tx.query<{ n: number; md5: string | null }>(
        `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM "${s}"."${t}" t`,
      );
      out[`${s}.${t}`] = r!;
    }
    return out;
  });
}

async function pgliteTables(pgdata: string) {
  const db = await openPglite({ dataDir: pgdata });
  try {
    return await everyTable(db);
  } finally {
    await db.close();
  }
}

/** A byte flipped at `at` (negative: from the end). */
function flipped(src: string, dst: string, at: number) {
  const b = readFileSync(src);
  const i = at < 0 ? b.length + at : at;
  b[i] = b[i]! ^ 0x5a;
  writeFileSync(dst, b);
}

/** The same payload under a changed manifest (a well-formed file that claims something else). */
async function relabelled(src: string, dst: string, change: (m: Manifest) => void) {
  const { manifest, payloadOffset } = await readBackup(src);
  change(manifest);
  writeFileSync(dst, Buffer.concat([encodeHeader(manifest), readFileSync(src).subarray(payloadOffset)]));
}

/** The file's header and manifest taken apart (no check). */
function parts(src: string) {
  const raw = readFileSync(src);
  const nl = raw.indexOf(0x0a);
  const words = raw.subarray(0, nl).toString('latin1').split(' ');
  const len = Number(words[2]);
  return { words, manifest: JSON.parse(raw.subarray(nl + 1, nl + 1 + len).toString('utf8')) as Manifest, payload: raw.subarray(nl + 1 + len + 1) };
}

/** The manifest changed and its sha256 fixed up, the signature left as it was: what an editor without the key can make. */
function tampered(src: string, dst: string, change: (m: Manifest) => void) {
  const { words, manifest, payload } = parts(src);
  change(manifest);
  const body = Buffer.from(JSON.stringify(manifest), 'utf8');
  const sha = createHash('sha256').update(body).digest('hex');
  writeFileSync(dst, Buffer.concat([Buffer.from(`JINGZHUN-BACKUP 2 ${body.length} ${sha} ${words[4]}\n`), body, Buffer.from('\n'), payload]));
}

/** The same content in the unsigned format 1 (as older versions wrote). */
function unsigned(src: string, dst: string) {
  const { manifest, payload } = parts(src);
  const body = Buffer.from(JSON.stringify(manifest), 'utf8');
  const sha = createHash('sha256').update(body).digest('hex');
  writeFileSync(dst, Buffer.concat([Buffer.from(`JINGZHUN-BACKUP 1 ${body.length} ${sha}\n`), body, Buffer.from('\n'), payload]));
}

/** The same content as if backed up under another master key (signed with it, its fingerprint inside). */
function underOtherKey(src: string, dst: string) {
  const { manifest, payload } = parts(src);
  manifest.key = { fingerprint: keyFingerprint(otherKey) };
  writeFileSync(dst, Buffer.concat([encodeHeader(manifest, otherKey), payload]));
}

/** The signature refusals, the same on both engines; the target is left as it was (the caller checks). */
async function expectSignatureRefusals(file: string, target: Target, prefix: string) {
  const { manifest } = parts(file);
  expect(manifest.key.fingerprint).toBe(keyFingerprint());
  const forged = join(root, `${prefix}-forged.jzb`);
  tampered(file, forged, (m) => { m.tables[0]!.rows += 1; });
  await expect(restore(target, forged, { force: true })).rejects.toThrow(/签名不对.*signature of the backup file .* does not match.*altered.*nothing was changed/s);
  const old = join(root, `${prefix}-unsigned.jzb`);
  unsigned(file, old);
  await expect(restore(target, old, { force: true })).rejects.toThrow(/没有签名.*not signed.*nothing was changed/s);
  const other = join(root, `${prefix}-otherkey.jzb`);
  underOtherKey(file, other);
  const fp = keyFingerprint(otherKey);
  const refused = await restore(target, other, { force: true }).then(() => null, (e: Error) => e.message);
  expect(refused).toMatch(new RegExp(`另一把密钥.*${fp}.*身份证号.*JINGZHUN_SECRET_KEY.*another secret key \\(fingerprint ${fp}\\).*ID numbers and phones.*Set JINGZHUN_SECRET_KEY to the key the backup was made with`, 's'));
  // the same file opens under its own key
  await expect(readBackup(other, otherKey)).resolves.toMatchObject({ manifest: { key: { fingerprint: fp } } });
}

function expectSameTables(a: Record<string, { n: number; md5: string | null }>, b: Record<string, { n: number; md5: string | null }>) {
  expect(Object.keys(b)).toEqual(Object.keys(a));
  expect(Object.keys(a)).toContain('public.households');
  expect(a['public.members']!.n).toBeGreaterThan(1000);
  for (const k of Object.keys(a)) expect(b[k], k).toEqual(a[k]);
}

// ---------------------------------------------------------------- PGlite

describe.runIf(!process.env.DATABASE_URL)('backup and restore on PGlite', () => {
  const src = { DATABASE_URL: '', JINGZHUN_DATA_DIR: join(root, 'a') };
  const dst = { DATABASE_URL: '', JINGZHUN_DATA_DIR: join(root, 'b') };
  const file = join(root, 'a.jzb');
  const dstTarget: Target = { engine: 'pglite', pgdata: join(dst.JINGZHUN_DATA_DIR, 'pgdata') };

  beforeAll(() => {
    const s = jz(src, 'seed', '--people', '2000', '--county', '150524', '--seed', '11', '--json');
    expect(s.code, s.err).toBe(0);
  }, 300_000);

  it('backs up the data dir, restores it into a new one, and every table is the same', async () => {
    const b = jz(src, 'backup', '--out', file);
    expect(b.code, b.err).toBe(0);
    expect(b.out).toMatch(/public\.households\s+\d+/);
    expect(readFileSync(file).subarray(0, 16).toString()).toBe('JINGZHUN-BACKUP ');
    // The whole register is in it: only its owner may read it.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const r = jz(dst, 'restore', file);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('✓');
    expect(r.out).not.toContain('✗');
    expectSameTables(await pgliteTables(join(src.JINGZHUN_DATA_DIR, 'pgdata')), await pgliteTables(dstTarget.pgdata));
  }, 300_000);

  it('refuses a corrupt file, a file of the other engine and a newer schema; the data dir stays as it was', async () => {
    const before = readdirSync(dst.JINGZHUN_DATA_DIR).sort();
    const stamp = readFileSync(join(dstTarget.pgdata, 'global', 'pg_control'));
    const bad = join(root, 'bad.jzb');
    flipped(file, bad, -1000);
    const r = jz(dst, 'restore', bad, '--force');
    expect(r.code).toBe(1);
    expect(r.err).toContain('已损坏');
    expect(r.err).toContain('the payload sha256 does not match');
    expect(r.err).toContain('nothing was changed');
    // a byte of the manifest (a row count, say) is caught by the header's hash
    flipped(file, bad, 200);
    await expect(restore(dstTarget, bad, { force: true })).rejects.toThrow(/manifest checksum|not a Jingzhun backup/);
    const other = join(root, 'other.jzb');
    await relabelled(file, other, (m) => { m.engine = 'postgres'; });
    await expect(restore(dstTarget, other, { force: true })).rejects.toThrow(/PostgreSQL.*nothing was changed/s);
    const newer = join(root, 'newer.jzb');
    await relabelled(file, newer, (m) => { m.schema.migrations += 1; m.schema.lastMillis += 1; });
    await expect(restore(dstTarget, newer, { force: true })).rejects.toThrow(/newer schema.*upgrade Jingzhun/s);
    await expect(restore(dstTarget, file)).rejects.toThrow(/add --force/);
    expect(readdirSync(dst.JINGZHUN_DATA_DIR).sort()).toEqual(before);
    expect(readFileSync(join(dstTarget.pgdata, 'global', 'pg_control'))).toEqual(stamp);
  }, 120_000);

  it('refuses a tampered manifest, an unsigned file and a backup made under another secret key; the data dir stays as it was', async () => {
    const before = readdirSync(dst.JINGZHUN_DATA_DIR).sort();
    const stamp = readFileSync(join(dstTarget.pgdata, 'global', 'pg_control'));
    await expectSignatureRefusals(file, dstTarget, 'l');
    expect(readdirSync(dst.JINGZHUN_DATA_DIR).sort()).toEqual(before);
    expect(readFileSync(join(dstTarget.pgdata, 'global', 'pg_control'))).toEqual(stamp);
  }, 120_000);

  it('refuses (and undoes) a data dir holding objects that are not the project\'s own (a function, a view)', async () => {
    // a real, signed backup of a data dir someone added objects to
    const extraDir = join(root, 'x');
    const db = await openPglite({ dataDir: join(src.JINGZHUN_DATA_DIR, 'pgdata') });
    try {
      await db.query(`CREATE FUNCTION jz_extra_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'`);
      await db.query('CREATE VIEW jz_extra_view AS SELECT 1 AS one');
    } finally {
      await db.close();
    }
    const extra = join(root, 'extra.jzb');
    try {
      const b = jz(src, 'backup', '--out', extra);
      expect(b.code, b.err).toBe(0);
      const before = readdirSync(dst.JINGZHUN_DATA_DIR).sort();
      const stamp = readFileSync(join(dstTarget.pgdata, 'global', 'pg_control'));
      const refused = await restore(dstTarget, extra, { force: true }).then(() => null, (e: Error) => e.message);
      expect(refused).toContain('精准自己的数据库对象以外的内容');
      expect(refused).toContain('FUNCTION public.jz_extra_fn()');
      expect(refused).toContain('VIEW public.jz_extra_view');
      expect(refused).toContain('undone, the data dir is as it was');
      expect(readdirSync(dst.JINGZHUN_DATA_DIR).sort()).toEqual(before);
      expect(readFileSync(join(dstTarget.pgdata, 'global', 'pg_control'))).toEqual(stamp);
      // into a new data dir: nothing is left behind either
      const fresh: Target = { engine: 'pglite', pgdata: join(extraDir, 'pgdata') };
      await expect(restore(fresh, extra)).rejects.toThrow(/not Jingzhun's own/);
      expect(existsSync(fresh.pgdata)).toBe(false);
    } finally {
      const again = await openPglite({ dataDir: join(src.JINGZHUN_DATA_DIR, 'pgdata') });
      await again.query('DROP VIEW jz_extra_view');
      await again.query('DROP FUNCTION jz_extra_fn()');
      await again.close();
    }
  }, 300_000);

  it('with --force moves the existing data dir aside and restores (in-process, no spawn)', async () => {
    const r = await restore(dstTarget, file, { force: true });
    expect(r.movedAside).toMatch(/pgdata\.before-restore-/);
    expect(existsSync(join(r.movedAside!, 'PG_VERSION'))).toBe(true);
    expect(r.tables.every((t) => t.ok)).toBe(true);
    expect(existsSync(`${dstTarget.pgdata}.lock`)).toBe(false);
  }, 120_000);
});

// ---------------------------------------------------------------- PostgreSQL

const adminUrl = (() => {
  if (!process.env.DATABASE_URL) return 'postgres://postgres@127.0.0.1:5432/postgres';
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = '/postgres';
  return u.toString();
})();

async function serverAnswers(): Promise<boolean> {
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

const onPostgres = await serverAnswers();

describe.runIf(onPostgres)('backup and restore on PostgreSQL (pg_dump / pg_restore)', () => {
  const tag = `${Date.now().toString(36)}_${process.pid}`;
  const names = { src: `jz_bk_src_${tag}`, dst: `jz_bk_dst_${tag}` };
  const urlOf = (db: string) => {
    const u = new URL(adminUrl);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const src = { DATABASE_URL: urlOf(names.src), JINGZHUN_DATA_DIR: join(root, 'unused') };
  const dst = { DATABASE_URL: urlOf(names.dst), JINGZHUN_DATA_DIR: join(root, 'unused') };
  const dstTarget: Target = { engine: 'postgres', url: dst.DATABASE_URL };
  const file = join(root, 'p.jzb');

  async function admin(sql: string) {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  }
  async function pgTables(url: string) {
    const db = await openPostgres(url, { max: 1 });
    try {
      return await everyTable(db);
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${names.src}"`);
    await admin(`CREATE DATABASE "${names.dst}"`);
    const s = jz(src, 'seed', '--people', '2000', '--county', '150524', '--seed', '11', '--json');
    expect(s.code, s.err).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${names.src}" WITH (FORCE)`);
    await admin(`DROP DATABASE IF EXISTS "${names.dst}" WITH (FORCE)`);
  });

  it('dumps the database, restores it into a fresh one, and every table is the same', async () => {
    const b = jz(src, 'backup', '--out', file);
    expect(b.code, b.err).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const r = jz(dst, 'restore', file);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toContain('✗');
    expectSameTables(await pgTables(src.DATABASE_URL), await pgTables(dst.DATABASE_URL));
  }, 300_000);

  it('refuses a corrupt file, a file of the other engine and an occupied database; the database stays as it was', async () => {
    const before = await pgTables(dst.DATABASE_URL);
    const bad = join(root, 'p-bad.jzb');
    flipped(file, bad, -500);
    await expect(restore(dstTarget, bad, { force: true })).rejects.toThrow(/已损坏.*payload sha256 does not match.*nothing was changed/s);
    // a PGlite file, made here when the PGlite pass did not leave one
    const other = join(root, 'p-as-pglite.jzb');
    await relabelled(file, other, (m) => { m.engine = 'pglite'; });
    await expect(restore(dstTarget, other, { force: true })).rejects.toThrow(/PGlite.*nothing was changed/s);
    await expect(restore(dstTarget, file)).rejects.toThrow(/already holds a Jingzhun register.*--force/s);
    // and a PostgreSQL file refused on a PGlite target, which is left uncreated
    const pgliteTarget: Target = { engine: 'pglite', pgdata: join(root, 'never', 'pgdata') };
    await expect(restore(pgliteTarget, file)).rejects.toThrow(/PostgreSQL/);
    expect(existsSync(join(root, 'never'))).toBe(false);
    expect(await pgTables(dst.DATABASE_URL)).toEqual(before);
  }, 120_000);

  it('refuses a tampered manifest, an unsigned file and a backup made under another secret key', async () => {
    const before = await pgTables(dst.DATABASE_URL);
    await expectSignatureRefusals(file, dstTarget, 'p');
    expect(await pgTables(dst.DATABASE_URL)).toEqual(before);
  }, 120_000);

  it('refuses an archive holding objects that are not the project\'s own (a function, a table), before pg_restore runs', async () => {
    const before = await pgTables(dst.DATABASE_URL);
    const db = await openPostgres(src.DATABASE_URL, { max: 1 });
    try {
      for (const [what, sql] of [
        ['FUNCTION public jz_extra_fn()', `CREATE FUNCTION jz_extra_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'`],
        ['TABLE public jz_extra_table', 'CREATE TABLE jz_extra_table (x int)'],
      ] as const) {
        await db.query(sql);
        // a real, signed backup of a database someone added an object to
        const extra = join(root, `p-extra-${what.split(' ')[0]}.jzb`);
        const b = jz(src, 'backup', '--out', extra);
        expect(b.code, b.err).toBe(0);
        const refused = await restore(dstTarget, extra, { force: true }).then(() => null, (e: Error) => e.message);
        expect(refused).toContain('精准自己的数据库对象以外的内容');
        expect(refused).toContain("holds objects that are not Jingzhun's own");
        expect(refused).toContain(what);
        expect(refused).toContain('nothing was changed');
        await db.query(what.startsWith('FUNCTION') ? 'DROP FUNCTION jz_extra_fn()' : 'DROP TABLE jz_extra_table');
      }
    } finally {
      await db.close();
    }
    expect(await pgTables(dst.DATABASE_URL)).toEqual(before);
  }, 300_000);

  it('a failed pg_restore rolls back as one transaction', async () => {
    const before = await pgTables(dst.DATABASE_URL);
    const db = await openPostgres(dst.DATABASE_URL, { max: 1 });
    await db.query('CREATE VIEW jz_bk_blocker AS SELECT * FROM households');
    await db.close();
    await expect(restore(dstTarget, file, { force: true })).rejects.toThrow(/rolled back.*depends on table/s);
    const db2 = await openPostgres(dst.DATABASE_URL, { max: 1 });
    await db2.query('DROP VIEW jz_bk_blocker');
    await db2.close();
    expect(await pgTables(dst.DATABASE_URL)).toEqual(before);
  }, 120_000);
});
