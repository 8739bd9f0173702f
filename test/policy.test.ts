// Policy parameters end to end on the real database: shipped defaults after migrate, resolution
// county > province > national with unknown staying unknown, administrators only, every change
// audited, bad input refused field by field with nothing written, and the API.
// The PostgreSQL test database is shared: this file writes only rows of its own synthetic county.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { loadPolicyDefaults } from '../src/db/migrate.js';
import { buildApp, type ZodApp } from '../src/http/app.js';
import { DEFAULT_POLICY_ROWS, POLICY_CATALOGUE } from '../src/domain/policy.js';
import { Forbidden, ValidationError } from '../src/domain/errors.js';
import { systemActor, type Actor, type Ctx } from '../src/services/context.js';
import { listParameters, policyLookup, policyYearLookup, setParameter, showParameter } from '../src/services/policy.js';
import { createUser } from '../src/services/users.js';
import { testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let admin: Ctx;
let county: Ctx;
const PASSWORD = 'Test#Passw0rd';
const cookies: Record<string, string> = {};

const actor = (username: string, role: Actor['role'], areaCode: string): Actor => ({ id: null, username, role, areaCode });

async function rowsOfCounty() {
  return db.query<{ key: string; year: number; value: number | null; source: string; updated_by: string | null }>(
    'SELECT key, year, value, source, updated_by FROM policy_parameters WHERE region = $1 ORDER BY key, year',
    [area.countyCode],
  );
}

async function auditOf(actorName: string) {
  return db.query<{ action: string; entity_id: string; county_code: string | null; before: unknown; after: unknown }>(
    `SELECT action, entity_id, county_code, before, after FROM audit_log WHERE entity = 'policy_parameters' AND actor_name = $1 ORDER BY id`,
    [actorName],
  );
}

async function loginAs(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
}

beforeAll(async () => {
  db = await testDb();
  area = await makeArea(db);
  admin = { db, actor: actor(`padmin${area.countyCode}`, 'city_admin', area.cityCode) };
  county = { db, actor: actor(`pcounty${area.countyCode}`, 'county_office', area.countyCode) };
});

afterAll(async () => {
  await app?.close();
  await db.close();
});

describe('shipped defaults', () => {
  it('are in the database after migrate, with their values, unknowns and sources', async () => {
    const rows = await db.query<{ key: string; year: number; region: string; value: number | null; source: string; updated_by: string | null }>(
      `SELECT key, year, region, value, source, updated_by FROM policy_parameters WHERE region IN ('', '15', '52')`,
    );
    const found = new Map(rows.map((r) => [`${r.key}|${r.year}|${r.region}`, r]));
    for (const d of DEFAULT_POLICY_ROWS) {
      expect(found.get(`${d.key}|${d.year}|${d.region}`), `${d.key} ${d.year} '${d.region}'`).toMatchObject({ value: d.value, source: d.source, updated_by: null });
    }
    expect(found.get('poverty_line|2017|')!.value).toBeNull();
    expect(found.get('poverty_line|2019|')!.value).toBe(3218);
    expect(found.get('monitoring_income_line_multiple|2020|')!.value).toBe(1.5);
    expect(found.get('monitoring_income_threshold|2021|15')!.value).toBeNull();
  });

  it('load again without duplicating or overwriting a value someone set', async () => {
    expect(await loadPolicyDefaults(db)).toBe(0);
    // Inside a transaction that is rolled back, so the shared rows are left as they were.
    const seen = await db
      .transaction(async (tx) => {
        await tx.query(`UPDATE policy_parameters SET value = 3300, source = 'changed' WHERE key = 'poverty_line' AND year = 2018 AND region = ''`);
        const inserted = await loadPolicyDefaults(tx);
        const [r] = await tx.query<{ value: number; source: string; n: number }>(
          `SELECT value, source, (SELECT count(*)::int FROM policy_parameters WHERE key = 'poverty_line' AND year = 2018 AND region = '') AS n
             FROM policy_parameters WHERE key = 'poverty_line' AND year = 2018 AND region = ''`,
        );
        throw Object.assign(new Error('rollback'), { seen: { inserted, ...r } });
      })
      .catch((e: { seen?: unknown }) => e.seen);
    expect(seen).toEqual({ inserted: 0, value: 3300, source: 'changed', n: 1 });
    const [after] = await db.query<{ value: number | null }>(`SELECT value FROM policy_parameters WHERE key = 'poverty_line' AND year = 2018 AND region = ''`);
    expect(after!.value).toBeNull();
  });
});

describe('resolution through policyLookup', () => {
  it('gives the Inner Mongolia row (3%) for a county there and the national 2% elsewhere', async () => {
    const im = await policyLookup(db, 2020, area.villageCodes[0]);
    expect(im('village_exit_incidence_max_pct')).toMatchObject({ value: 3, region: '15', year: 2016 });
    expect(im('county_exit_incidence_max_pct')).toMatchObject({ value: 3, region: '15' });
    expect(im('approval_min_pct')).toMatchObject({ value: 90, region: '', year: 2017 });
    const gd = await policyLookup(db, 2020, '440103');
    expect(gd('county_exit_incidence_max_pct')).toMatchObject({ value: 2, region: '', year: 2016 });
    expect(gd('monitoring_income_threshold')).toBeUndefined();
  });

  it('keeps unknown values unknown: 2018 poverty line and Inner Mongolia monitoring threshold', async () => {
    const y = await policyYearLookup(db, area.countyCode);
    expect(y(2018)('poverty_line')).toMatchObject({ value: null, year: 2018, region: '' });
    expect(y(2018)('poverty_line')!.source).toContain('unknown');
    expect(y(2019)('poverty_line')).toMatchObject({ value: 3218, year: 2019 });
    expect(y(2016)('poverty_line')).toMatchObject({ value: 2952, year: 2016 });
    expect(y(2024)('monitoring_income_threshold')).toMatchObject({ value: null, region: '15', year: 2021 });
    expect(y(2010)('poverty_line')).toBeUndefined();
  });
});

describe('setParameter', () => {
  it('lets an administrator set a county override that then wins, audited with before and after', async () => {
    const r = await setParameter(admin, { key: 'county_exit_incidence_max_pct', year: 2019, region: area.countyCode, value: 2.5, source: '测试旗文件 2019-01', note: '测试' });
    expect(r.created).toBe(true);
    expect(r.parameter).toMatchObject({ key: 'county_exit_incidence_max_pct', year: 2019, region: area.countyCode, regionLevel: 'county', value: 2.5, note: '测试', updatedBy: admin.actor.username });
    expect(r.parameter.regionName.zh).toBe(`测试旗${area.countyCode}`);

    expect((await policyLookup(db, 2020, area.villageCodes[1]))('county_exit_incidence_max_pct')).toMatchObject({ value: 2.5, region: area.countyCode, year: 2019 });
    expect((await policyLookup(db, 2018, area.villageCodes[1]))('county_exit_incidence_max_pct')).toMatchObject({ value: 3, region: '15' });
    expect((await policyLookup(db, 2020, '150524'))('county_exit_incidence_max_pct')).toMatchObject({ value: 3, region: '15' });

    const u = await setParameter(admin, { key: 'county_exit_incidence_max_pct', year: 2019, region: area.countyCode, value: null, source: '测试旗文件 2019-02' });
    expect(u.created).toBe(false);
    expect(u.parameter.id).toBe(r.parameter.id);
    expect((await policyLookup(db, 2021, area.countyCode))('county_exit_incidence_max_pct')).toMatchObject({ value: null, region: area.countyCode });

    const trail = await auditOf(admin.actor.username);
    expect(trail).toEqual([
      {
        action: 'create', entity_id: String(r.parameter.id), county_code: area.countyCode, before: null,
        after: { key: 'county_exit_incidence_max_pct', year: 2019, region: area.countyCode, value: 2.5, source: '测试旗文件 2019-01', note: '测试' },
      },
      {
        action: 'update', entity_id: String(r.parameter.id), county_code: area.countyCode,
        before: { key: 'county_exit_incidence_max_pct', year: 2019, region: area.countyCode, value: 2.5, source: '测试旗文件 2019-01', note: '测试' },
        after: { key: 'county_exit_incidence_max_pct', year: 2019, region: area.countyCode, value: null, source: '测试旗文件 2019-02', note: null },
      },
    ]);
  });

  it('refuses every role but the city administrator, writing nothing', async () => {
    const before = await rowsOfCounty();
    for (const role of ['county_office', 'township_reviewer', 'village_cadre', 'industry_bureau', 'inspector', 'researcher'] as const) {
      const ctx = { db, actor: actor(`p${role}${area.countyCode}`, role, area.countyCode) };
      await expect(setParameter(ctx, { key: 'exit_notice_days', year: 2022, region: area.countyCode, value: 10, source: 'x' }), role).rejects.toBeInstanceOf(Forbidden);
      expect(await auditOf(ctx.actor.username)).toEqual([]);
      // Reading is allowed to every role.
      expect((await listParameters(ctx, { key: 'exit_notice_days', region: '' }))[0]).toMatchObject({ value: 7, year: 2014 });
    }
    expect(await rowsOfCounty()).toEqual(before);
  });

  it('refuses bad input listing each field, and writes nothing', async () => {
    const before = await rowsOfCounty();
    const e = await setParameter(admin, { key: 'approval_min_pct', year: 1900, region: `${area.countyCode}9`, value: 101, source: '' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    const v = e as ValidationError;
    expect(v.issues.map((i) => i.field)).toEqual(['year', 'region', 'value', 'source']);
    expect(v.issues[2]).toMatchObject({ value: '101', en: 'approval_min_pct is a percentage and cannot exceed 100' });
    expect(v.msg.en).toMatch(/nothing was changed/);

    const unknownKey = await setParameter(admin, { key: 'poverty_lines', year: 2020, region: area.countyCode, value: 1, source: 's' }).catch((x: ValidationError) => x.issues);
    expect(unknownKey).toEqual([expect.objectContaining({ field: 'key', value: 'poverty_lines' })]);

    // A county that does not exist, or one outside the administrator's city, is refused on the region field.
    for (const region of [`${area.cityCode}00`, '150524']) {
      const out = await setParameter(admin, { key: 'exit_notice_days', year: 2022, region, value: 5, source: 's' }).catch((x: ValidationError) => x.issues);
      expect(out, region).toEqual([expect.objectContaining({ field: 'region', value: region })]);
    }
    expect(await rowsOfCounty()).toEqual(before);
    expect((await auditOf(admin.actor.username)).length).toBe(2); // the two of the first test only
  });

  it('shows a parameter with its catalogue entry and all rows; unknown keys are not found', async () => {
    const p = await showParameter(county, 'county_exit_incidence_max_pct');
    expect(p).toMatchObject({ key: 'county_exit_incidence_max_pct', unit: 'percent', max: 100, levels: ['national', 'province', 'county'] });
    const mine = p.rows.filter((r) => r.region === '' || r.region === '15' || r.region === area.countyCode).map((r) => [r.region, r.year, r.value]);
    expect(mine).toEqual([['', 2016, 2], ['15', 2016, 3], [area.countyCode, 2019, null]]);
    expect(p.rows.find((r) => r.region === '15')!.regionName).toEqual({ zh: '内蒙古自治区', en: 'Inner Mongolia' });
    await expect(showParameter(county, 'nope')).rejects.toMatchObject({ status: 404 });
    await expect(listParameters(county, { key: 'nope', region: '1505' })).rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'key' }), expect.objectContaining({ field: 'region' })] });
  });
});

describe('API /api/v1/policy', () => {
  beforeAll(async () => {
    app = await buildApp({ db, webDir: false });
    const sys = { actor: systemActor('test'), db };
    await createUser(sys, { username: `papi${area.countyCode}`, role: 'city_admin', areaCode: area.cityCode, password: PASSWORD });
    await createUser(sys, { username: `papic${area.countyCode}`, role: 'county_office', areaCode: area.countyCode, password: PASSWORD });
    cookies.admin = await loginAs(`papi${area.countyCode}`);
    cookies.county = await loginAs(`papic${area.countyCode}`);
  });

  it('lists parameters with catalogue names, filtered by key', async () => {
    const res = await app.inject({ url: '/api/v1/policy?key=poverty_line&region=', headers: { cookie: cookies.county } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.catalogue.map((c: { key: string }) => c.key)).toEqual(POLICY_CATALOGUE.map((c) => c.key));
    expect(body.items.map((i: { year: number; value: number | null }) => [i.year, i.value])).toEqual(
      [[2011, 2536], [2012, 2625], [2013, 2736], [2014, 2800], [2015, 2855], [2016, 2952], [2017, null], [2018, null], [2019, 3218], [2020, 4000]],
    );
    expect(body.items[0]).toMatchObject({ key: 'poverty_line', name: { zh: '农村贫困标准（贫困线）' }, unitLabel: { zh: '元/人·年' }, regionName: { zh: '全国' } });
    expect((await app.inject('/api/v1/policy')).statusCode).toBe(401);
    const bad = await app.inject({ url: '/api/v1/policy?key=nope', headers: { cookie: cookies.county } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ field: 'key', value: 'nope' });
  });

  it('shows one parameter, 404 for an unknown key', async () => {
    const res = await app.inject({ url: '/api/v1/policy/approval_min_pct', headers: { cookie: cookies.county } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ key: 'approval_min_pct', name: { en: 'Minimum public approval' }, max: 100 });
    expect(res.json().rows.find((r: { region: string }) => r.region === '')).toMatchObject({ year: 2017, value: 90 });
    expect((await app.inject({ url: '/api/v1/policy/nope', headers: { cookie: cookies.county } })).statusCode).toBe(404);
  });

  it('sets a row as an administrator; 403 for a county office; 400 per field; nothing written when refused', async () => {
    const payload = { key: 'medical_oop_alert_yuan', year: 2023, region: area.countyCode, value: 8000, source: '测试旗医保文件 2023' };
    const denied = await app.inject({ method: 'PUT', url: '/api/v1/policy', headers: { cookie: cookies.county }, payload });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error).toMatchObject({ code: 'forbidden', en: 'Your role may not do this' });
    expect((await rowsOfCounty()).filter((r) => r.key === 'medical_oop_alert_yuan')).toEqual([]);

    const bad = await app.inject({ method: 'PUT', url: '/api/v1/policy', headers: { cookie: cookies.admin }, payload: { ...payload, year: 2200, value: -5, source: ' ' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['year', 'value', 'source']);
    const badType = await app.inject({ method: 'PUT', url: '/api/v1/policy', headers: { cookie: cookies.admin }, payload: { ...payload, value: 'lots' } });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().error.issues[0].field).toBe('value');
    expect((await rowsOfCounty()).filter((r) => r.key === 'medical_oop_alert_yuan')).toEqual([]);

    const ok = await app.inject({ method: 'PUT', url: '/api/v1/policy', headers: { cookie: cookies.admin }, payload });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ created: true, parameter: { key: 'medical_oop_alert_yuan', year: 2023, region: area.countyCode, value: 8000, updatedBy: `papi${area.countyCode}` } });
    expect((await policyLookup(db, 2024, area.villageCodes[0]))('medical_oop_alert_yuan')).toMatchObject({ value: 8000, region: area.countyCode });
    expect((await policyLookup(db, 2022, area.villageCodes[0]))('medical_oop_alert_yuan')).toMatchObject({ value: 10000, region: '' });
    const trail = await auditOf(`papi${area.countyCode}`);
    expect(trail).toEqual([expect.objectContaining({ action: 'create', before: null, after: expect.objectContaining({ value: 8000 }) })]);
  });
});
