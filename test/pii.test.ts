// Issue 7: ID numbers and phones at rest — sealed, searchable by keyed hash, masked in outputs,
// shown in full only by audited reveals and exports; plaintext of an old database sealed at
// start-up; a start with another key refused; `keys rotate` re-seals everything in one transaction.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { loadAreasFile } from '../src/services/areas.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { createHousehold, duplicatePeople, getHousehold, listHouseholds, revealMember, updateHousehold, updateMember } from '../src/services/households.js';
import { exportHouseholds } from '../src/services/imports/export.js';
import { idHash, openId, openPhone, openText, sealId, sealPhone, sealText } from '../src/services/pii.js';
import { checkSealingKey, keyStatus, rotateKeys, sealLegacyPersonalData } from '../src/services/sealing.js';
import { keyFingerprint, open, seal } from '../src/services/secret-box.js';
import { makeArea, makeIdNumber, householdNo, type TestArea } from './support/factories.js';
import { engineName, testDb } from './support/db.js';

let db: Db;
let area: TestArea;
let ctx: Ctx;

beforeAll(async () => {
  db = await testDb();
  area = await makeArea(db);
  ctx = { actor: systemActor('pii-test'), db };
});

afterAll(async () => {
  await db?.close();
});

async function household(c: Ctx, a: TestArea, n: number, phone = '13812345678') {
  const idNumber = makeIdNumber(a.countyCode, `1970-04-${String(n).padStart(2, '0')}`, '1', n);
  const h = await createHousehold(c, {
    household: { householdNo: householdNo('PII'), villageCode: a.villageCodes[0], attribute: '1', exitStatus: '0', mainCause: '01', identifiedOn: '2015-05-01', phone },
    members: [{ name: `密封${n}`, idNumber, relation: '01', ethnicity: '02', phone: '13900001111' }],
  });
  return { h, idNumber };
}

describe('sealing (pure)', () => {
  it('round-trips, is deterministic per key, binds the kind and refuses tampering', () => {
    const id = makeIdNumber('150524', '1980-01-02', '2', 7);
    const a = sealId(id);
    expect(openId(a.enc)).toBe(id);
    expect(a.enc).not.toContain(id);
    expect(a.masked).toBe(`${id.slice(0, 4)}**********${id.slice(14)}`);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sealId(id)).toEqual(a);
    expect(idHash(id.toLowerCase())).toBe(a.hash);
    expect(sealId(makeIdNumber('150524', '1980-01-02', '2', 8)).hash).not.toBe(a.hash);
    // An ID's sealed value does not open as a phone (the kind is bound as additional data).
    expect(() => openText('phone', a.enc)).toThrow();
    const raw = a.enc.split('.');
    const body = Buffer.from(raw[1]!, 'base64url');
    body[body.length - 1] = body[body.length - 1]! ^ 1;
    expect(() => openId(`${raw[0]}.${body.toString('base64url')}`)).toThrow();
    const p = sealPhone('0475-1234567')!;
    expect(p.masked).toBe('047*****4567');
    expect(openPhone(p.enc)).toBe('0475-1234567');
    expect(sealPhone('')).toBeNull();
    expect(openPhone(null)).toBeNull();
  });

  it('names the key when a value was sealed under another one', () => {
    const other = sealText('id', '150524198001020011', { fingerprint: 'ffffffffffffffff', seal: randomBytes(32), iv: randomBytes(32), hash: randomBytes(32) });
    expect(() => openId(other)).toThrow(/另一把密钥（指纹 ffffffffffffffff）.*sealed under another key \(fingerprint ffffffffffffffff\)/);
  });
});

describe('the register at rest', () => {
  it('stores no plaintext ID number or phone, yet searches, deduplicates and reveals them', async () => {
    const { h, idNumber } = await household(ctx, area, 1);
    const memberId = h.members[0]!.id;
    // Nothing of the row — nor the household's audit rows — holds the full number or phone.
    const [m] = await db.query<{ row: string }>('SELECT m::text AS row FROM members m WHERE county_code = $1 AND id = $2', [area.countyCode, memberId]);
    expect(m!.row).not.toContain(idNumber);
    expect(m!.row).not.toContain('13900001111');
    const [hh] = await db.query<{ row: string }>('SELECT x::text AS row FROM households x WHERE county_code = $1 AND id = $2', [area.countyCode, h.id]);
    expect(hh!.row).not.toContain('13812345678');
    const auditRows = await db.query<{ row: string }>('SELECT a::text AS row FROM audit_log a WHERE household_id = $1', [h.id]);
    expect(auditRows.length).toBeGreaterThan(0);
    for (const a of auditRows) {
      expect(a.row).not.toContain(idNumber);
      expect(a.row).not.toContain('13812345678');
    }
    const [cols] = await db.query<{ id_number: string | null; phone: string | null; id_hash: string }>(
      'SELECT id_number, phone, id_hash FROM members WHERE county_code = $1 AND id = $2', [area.countyCode, memberId]);
    expect(cols).toEqual({ id_number: null, phone: null, id_hash: idHash(idNumber) });

    // Outputs are masked; the exact search by the full number uses the hash index.
    const file = await getHousehold(ctx, h.id);
    expect(file.members[0]!.idNumber).toBe(`${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`);
    expect(file.phone).toBe('138****5678');
    const found = await listHouseholds(ctx, { area: area.countyCode, q: idNumber });
    expect(found.items.map((i) => i.id)).toEqual([h.id]);
    expect(found.items[0]!.headIdNumber).toBe(file.members[0]!.idNumber);
    // Typed with spaces or lower-case x, it is still the same number.
    const spaced = `${idNumber.slice(0, 6)} ${idNumber.slice(6, 14)} ${idNumber.slice(14).toLowerCase()}`;
    expect((await listHouseholds(ctx, { area: area.countyCode, q: spaced })).items.map((i) => i.id)).toEqual([h.id]);

    // The same person cannot be registered twice (any county): named masked.
    const dup = await duplicatePeople(db, [idNumber]);
    expect(dup).toHaveLength(1);
    expect(dup[0]!.value).toBe(file.members[0]!.idNumber);
    await expect(createHousehold(ctx, {
      household: { householdNo: householdNo('PII'), villageCode: area.villageCodes[1], attribute: '1', exitStatus: '0', mainCause: '01', identifiedOn: '2015-05-01' },
      members: [{ name: '重复', idNumber, relation: '01', ethnicity: '02' }],
    })).rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'members.0.idNumber', value: file.members[0]!.idNumber, zh: expect.stringContaining('已登记在') })] });

    // A reveal opens them and is on record.
    const before = await db.query('SELECT 1 FROM audit_log WHERE action = $1 AND entity = $2 AND entity_id = $3', ['reveal', 'members', String(memberId)]);
    expect(await revealMember(ctx, h.id, memberId)).toEqual({ idNumber, phone: '13900001111' });
    const after = await db.query('SELECT 1 FROM audit_log WHERE action = $1 AND entity = $2 AND entity_id = $3', ['reveal', 'members', String(memberId)]);
    expect(after.length).toBe(before.length + 1);
  });

  it('keeps the stored phone and ID when an edit does not send them, and audits phones masked', async () => {
    const { h, idNumber } = await household(ctx, area, 2);
    const edited = await updateHousehold(ctx, h.id, { version: h.version, groupName: '三组' });
    expect(edited.phone).toBe('138****5678');
    const moved = await updateHousehold(ctx, h.id, { version: edited.version, phone: '13700002222' });
    expect(moved.phone).toBe('137****2222');
    const [a] = await db.query<{ before: { phone: string }; after: { phone: string } }>(
      `SELECT before, after FROM audit_log WHERE household_id = $1 AND action = 'update' AND after ? 'phone' ORDER BY id DESC LIMIT 1`, [h.id]);
    expect(a).toEqual({ before: { phone: '138****5678' }, after: { phone: '137****2222' } });
    const m = await updateMember(ctx, h.id, h.members[0]!.id, { version: moved.version, workMonths: 3 });
    expect(m.members[0]!.workMonths).toBe(3);
    expect(await revealMember(ctx, h.id, h.members[0]!.id)).toEqual({ idNumber, phone: '13900001111' });
  });

  it('exports full values for a re-import, and the export is audited', async () => {
    const { idNumber } = await household(ctx, area, 3);
    const village = area.villageCodes[0];
    const n = async () => (await db.query('SELECT 1 FROM audit_log WHERE action = $1 AND entity_id = $2', ['export', village])).length;
    const was = await n();
    const csv = (await exportHouseholds(ctx, { areaCode: village, format: 'csv' })).toString('utf8');
    expect(csv).toContain(idNumber);
    expect(csv).toContain('13812345678');
    expect(await n()).toBe(was + 1);
  });
});

describe('a database from before sealing', () => {
  it('has its plaintext sealed at start-up, and is searchable afterwards', async () => {
    const { h, idNumber } = await household(ctx, area, 4);
    const memberId = h.members[0]!.id;
    // Put the row back as an old release wrote it: plaintext only.
    await db.query(
      `UPDATE members SET id_number = $3, phone = '13911112222', id_hash = NULL, id_enc = NULL, id_masked = NULL, phone_enc = NULL, phone_masked = NULL
        WHERE county_code = $1 AND id = $2`, [area.countyCode, memberId, idNumber]);
    await db.query(`UPDATE households SET phone = '13811112222', phone_enc = NULL, phone_masked = NULL WHERE county_code = $1 AND id = $2`, [area.countyCode, h.id]);
    // A row with neither form is refused by the table itself.
    await expect(db.query('UPDATE members SET id_number = NULL WHERE county_code = $1 AND id = $2', [area.countyCode, memberId])).rejects.toThrow(/members_id_sealed/);
    // Once swept, starts skip the sweep; a database from before sealing has no such mark.
    expect(await sealLegacyPersonalData(db)).toBe(0);
    await db.query('UPDATE sealing_keys SET legacy_sealed_at = NULL');
    expect(await sealLegacyPersonalData(db)).toBeGreaterThanOrEqual(2);
    const [m] = await db.query<{ id_number: string | null; phone: string | null; id_hash: string; id_enc: string; phone_enc: string }>(
      'SELECT id_number, phone, id_hash, id_enc, phone_enc FROM members WHERE county_code = $1 AND id = $2', [area.countyCode, memberId]);
    expect(m!.id_number).toBeNull();
    expect(m!.phone).toBeNull();
    expect(m!.id_hash).toBe(idHash(idNumber));
    expect(openId(m!.id_enc)).toBe(idNumber);
    expect(openPhone(m!.phone_enc)).toBe('13911112222');
    expect((await getHousehold(ctx, h.id)).phone).toBe('138****2222');
    expect((await listHouseholds(ctx, { area: area.countyCode, q: idNumber })).items.map((i) => i.id)).toEqual([h.id]);
    expect(await sealLegacyPersonalData(db)).toBe(0);
  });
});

describe('the key', () => {
  // Its own database and key: a rotation rewrites every row and the key record.
  let own: Db;
  let ownArea: TestArea;
  let dropDb: (() => Promise<void>) | undefined;
  const saved = { key: process.env.JINGZHUN_SECRET_KEY, dir: process.env.JINGZHUN_DATA_DIR };
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  beforeAll(async () => {
    process.env.JINGZHUN_SECRET_KEY = k1.toString('hex');
    if (engineName === 'postgres') {
      const name = `jz_pii_${process.pid}_${Date.now()}`;
      await db.query(`CREATE DATABASE ${name}`);
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${name}`;
      own = await openPostgres(url.toString(), { max: 2 });
      await migrate(own);
      await loadAreasFile(own, 'data/areas-tongliao.csv');
      dropDb = async () => {
        await own.close();
        await db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      };
    } else {
      own = await testDb();
      // The template was migrated under the suite's key: this copy starts again under k1.
      await own.query('DELETE FROM sealing_keys');
      await checkSealingKey(own);
      dropDb = () => own.close();
    }
    ownArea = await makeArea(own);
  });

  afterAll(async () => {
    if (saved.key === undefined) delete process.env.JINGZHUN_SECRET_KEY;
    else process.env.JINGZHUN_SECRET_KEY = saved.key;
    if (saved.dir === undefined) delete process.env.JINGZHUN_DATA_DIR;
    else process.env.JINGZHUN_DATA_DIR = saved.dir;
    await dropDb?.();
  });

  it('refuses a start with another key, naming both fingerprints', async () => {
    await checkSealingKey(own);
    process.env.JINGZHUN_SECRET_KEY = k2.toString('hex');
    await expect(checkSealingKey(own)).rejects.toThrow(new RegExp(`${keyFingerprint(k1)}.*${keyFingerprint(k2)}`));
    process.env.JINGZHUN_SECRET_KEY = k1.toString('hex');
  });

  it('rotates every sealed value, hash and second-factor secret in one transaction', async () => {
    const c: Ctx = { actor: systemActor('pii-rotate'), db: own };
    const { h, idNumber } = await household(c, ownArea, 5);
    const [u] = await own.query<{ id: number }>(
      `INSERT INTO users (username, display_name, password_hash, role, area_code) VALUES ($1, 'x', 'x', 'county_office', $2) RETURNING id`,
      [`pii-${ownArea.countyCode}`, ownArea.countyCode]);
    const uid = Number(u!.id);
    await own.query('UPDATE users SET totp_secret = $2 WHERE id = $1', [uid, seal('totp', `users:${uid}`, Buffer.from('{"k":"SEED"}'))]);

    // The environment names the key: a given new key is the operator's to set afterwards.
    const r = await rotateKeys(own, k2);
    expect(r).toMatchObject({ oldFingerprint: keyFingerprint(k1), newFingerprint: keyFingerprint(k2), keyFile: null, fromEnvironment: true });
    expect(r.rows.members).toBeGreaterThanOrEqual(1);
    expect(r.rows.users).toBe(1);
    // Still under the old key, the data no longer opens and a start is refused.
    await expect(checkSealingKey(own)).rejects.toThrow(/JINGZHUN_SECRET_KEY/);
    const [m] = await own.query<{ id_enc: string }>('SELECT id_enc FROM members WHERE county_code = $1 AND household_id = $2', [ownArea.countyCode, h.id]);
    expect(() => openId(m!.id_enc)).toThrow(/another key/);

    expect(await keyStatus(own)).toMatchObject({ source: 'JINGZHUN_SECRET_KEY', fingerprint: keyFingerprint(k1), sealedWith: keyFingerprint(k2) });
    process.env.JINGZHUN_SECRET_KEY = k2.toString('hex');
    await checkSealingKey(own);
    expect(await keyStatus(own)).toMatchObject({ fingerprint: keyFingerprint(k2), sealedWith: keyFingerprint(k2) });
    expect(openId(m!.id_enc)).toBe(idNumber);
    expect((await listHouseholds(c, { area: ownArea.countyCode, q: idNumber })).items.map((i) => i.id)).toEqual([h.id]);
    expect(await revealMember(c, h.id, h.members[0]!.id)).toEqual({ idNumber, phone: '13900001111' });
    const [t] = await own.query<{ totp_secret: string }>('SELECT totp_secret FROM users WHERE id = $1', [uid]);
    expect(open('totp', `users:${uid}`, t!.totp_secret, k2).toString()).toBe('{"k":"SEED"}');
    const [a] = await own.query<{ before: unknown; after: { fingerprint: string } }>(
      `SELECT before, after FROM audit_log WHERE action = 'rotate_key' ORDER BY id DESC LIMIT 1`);
    expect(a!.before).toEqual({ fingerprint: keyFingerprint(k1) });
    expect(a!.after.fingerprint).toBe(keyFingerprint(k2));
    expect(await rotateKeys(own, k2).catch((e: Error) => e.message)).toMatch(/新密钥与当前密钥相同/);
  });

  it('with the key in a file, generates the next key and replaces the file (0600) only after the commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jz-keys-'));
    writeFileSync(join(dir, 'secret.key'), `${k2.toString('hex')}\n`, { mode: 0o600 });
    delete process.env.JINGZHUN_SECRET_KEY;
    process.env.JINGZHUN_DATA_DIR = dir;
    const r = await rotateKeys(own, null);
    expect(r.fromEnvironment).toBe(false);
    expect(r.keyFile).toBe(join(dir, 'secret.key'));
    const k3 = Buffer.from(readFileSync(join(dir, 'secret.key'), 'utf8').trim(), 'hex');
    expect(keyFingerprint(k3)).toBe(r.newFingerprint);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    await checkSealingKey(own);
    const [m] = await own.query<{ id_enc: string; id_hash: string }>('SELECT id_enc, id_hash FROM members WHERE county_code = $1 LIMIT 1', [ownArea.countyCode]);
    expect(m!.id_hash).toBe(idHash(openId(m!.id_enc)));
  });

  it('leaves everything as it was when the rotation fails', async () => {
    const [before] = await own.query<{ fp: string; n: string }>(
      `SELECT (SELECT fingerprint FROM sealing_keys) AS fp, (SELECT md5(string_agg(m::text, ',' ORDER BY id)) FROM members m WHERE county_code = $1) AS n`, [ownArea.countyCode]);
    // A value sealed under a key nobody has any more cannot be re-sealed: the whole rotation rolls back.
    await own.query(`UPDATE members SET id_enc = $2 WHERE county_code = $1 AND id = (SELECT min(id) FROM members WHERE county_code = $1)`,
      [ownArea.countyCode, sealText('id', '150524198001020011', { fingerprint: 'eeeeeeeeeeeeeeee', seal: randomBytes(32), iv: randomBytes(32), hash: randomBytes(32) })]);
    const [mid] = await own.query<{ fp: string; n: string }>(
      `SELECT (SELECT fingerprint FROM sealing_keys) AS fp, (SELECT md5(string_agg(m::text, ',' ORDER BY id)) FROM members m WHERE county_code = $1) AS n`, [ownArea.countyCode]);
    await expect(rotateKeys(own, randomBytes(32))).rejects.toThrow(/another key/);
    expect(existsSync(join(process.env.JINGZHUN_DATA_DIR!, 'secret.key.new'))).toBe(false);
    const [after] = await own.query<{ fp: string; n: string }>(
      `SELECT (SELECT fingerprint FROM sealing_keys) AS fp, (SELECT md5(string_agg(m::text, ',' ORDER BY id)) FROM members m WHERE county_code = $1) AS n`, [ownArea.countyCode]);
    expect(after).toEqual(mid);
    expect(after!.fp).toBe(before!.fp);
  });
});
