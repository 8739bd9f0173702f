// Issue 7: an authorisation matrix over every endpoint the OpenAPI document lists, for every role,
// in and out of area. Routes are enumerated from app.swagger().paths, so a route added later is
// covered without touching this file.
//
// Two synthetic counties: A (where every account lives) and B (the other county, whose ids an
// account of A "guesses"). Checks:
//  1. out of area: every route (GET, and writes with a minimal body built from the route's own
//     schema) with path ids set to B's records and area/county queries set to B's county. Never 5xx;
//     when the request targets B it is refused (400/403/404/…), answers exactly as for an id that
//     never existed (no hint that B's record is there), and no body contains B's household number,
//     head's name or ID number;
//  2. in area (GETs with A's ids and area): never 5xx; a role without the action a route needs is
//     refused (403); researchers and evaluators (aggregates only) never see A's personal strings;
//  3. without a session every /api/v1 route but login, health and codes answers 401.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { ROLES, mayDo, type Action, type Role } from '../src/domain/roles.js';
import { createUser } from '../src/services/users.js';
import { systemActor } from '../src/services/context.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { openCase } from '../src/services/cases/open.js';
import { createProject } from '../src/services/projects/library.js';
import { createCadre, createUnit } from '../src/services/pairing/units.js';
import { createLeader } from '../src/services/links/leaders.js';
import { engineName, testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

const PASSWORD = 'Test#Passw0rd';
const YEAR = 2024;
const NO_SUCH_ID = 987_654_321;

// Routes whose answers do not depend on the caller's area (public, or shared by every county). They
// are still called and still must not carry B's personal strings; they are only spared the
// "a request aimed at B is refused" rule.
const AREA_FREE: Record<string, string> = {
  'GET /healthz': 'liveness probe',
  'GET /readyz': 'readiness probe',
  'GET /api/v1/health': 'health',
  'GET /api/v1/codes': 'national code lists',
  'GET /api/v1/workflows': 'workflow definitions (states and steps), no data',
  'GET /api/v1/monitoring/rules': 'the monitoring rules, no data',
  'GET /api/v1/projects/codes': 'project code lists',
  'GET /api/v1/imports/template': 'the blank import template',
  'GET /api/v1/policy': 'policy parameters (numbers such as the poverty line), shared by region',
  'GET /api/v1/policy/{key}': 'one policy parameter',
  'GET /api/v1/areas/{code}': 'the area tree is the NBS division list: names and codes, no people',
  'GET /api/v1/areas/{code}/children': 'the area tree (names and codes)',
  'POST /api/v1/calculators/medical': 'pure calculator over the posted numbers',
  'POST /api/v1/calculators/education': 'pure calculator over the posted numbers',
  'POST /api/v1/calculators/ecology': 'pure calculator over the posted numbers',
  'POST /api/v1/calculators/solar': 'pure calculator over the posted numbers',
};

// Routes left out of the matrix, each with the reason. (Session-ending routes would log the
// account out in the middle of the matrix; they are covered by the unauthenticated check.)
const SKIP: Record<string, string> = {
  'POST /api/v1/auth/logout': 'ends the session the matrix uses',
  'POST /api/v1/auth/logout-all': 'ends the session the matrix uses',
  'POST /api/v1/auth/login': 'public by design (tested in api.test.ts)',
};

// Public without a session (checked in 3).
const PUBLIC: Record<string, string> = {
  'GET /healthz': 'probe',
  'GET /readyz': 'probe',
  'GET /api/v1/health': 'health',
  'GET /api/v1/codes': 'code lists',
  'POST /api/v1/auth/login': 'login',
  'POST /api/v1/auth/logout': 'logging out without a session is a harmless no-op (200)',
};

/** A listing with nothing in it: a filter aimed at B inside the caller's own scope (no hint either way). */
function emptyListing(body: string): boolean {
  try {
    const j = JSON.parse(body);
    if (Array.isArray(j)) return j.length === 0;
    if (j && typeof j === 'object') {
      const lists = Object.values(j).filter(Array.isArray) as unknown[][];
      return lists.length > 0 && lists.every((l) => l.length === 0) && (j.total === undefined || j.total === 0);
    }
  } catch { /* not JSON */ }
  return false;
}

// The action a GET needs, where the route maps plainly onto one (prefix match on the OpenAPI path).
const GET_ACTION: [RegExp, Action][] = [
  [/^\/api\/v1\/households(\/\{id\}(\/(history|years\/.*))?)?$/, 'register.read'],
  [/^\/api\/v1\/exports\/households$/, 'register.export'],
  [/^\/api\/v1\/reports\/household$/, 'register.read'],
  [/^\/api\/v1\/users$/, 'users.manage'],
  [/^\/api\/v1\/supervision\//, 'supervision.read'],
];

/** Ids of a county's records other than the household, keyed by the OpenAPI path prefix that takes them. */
type Others = Record<string, number>;
interface County { area: TestArea; hhId: number; memberId: number; no: string; head: string; idNumber: string; others: Others; marks: string[] }
interface Op { method: string; path: string; key: string; op: any }
interface Target { areaAsVillage?: boolean; others: Others; id: number; memberId: number; county: string; village: string; township: string; householdNo: string; head: string }

let db: Db;
let app: ZodApp;
let A: County;
let B: County;
const cookies = {} as Record<Role, string>;
let ops: Op[] = [];
let checks = 0;

const HAN = '阿巴查达额嘎哈吉喀拉玛那鄂帕其日萨塔乌锡雅扎图门宝音';
const distinctName = () => Array.from({ length: 4 }, () => HAN[randomInt(0, HAN.length)]).join('');

async function makeCounty(tag: string, notInCity?: string): Promise<County> {
  let area = await makeArea(db);
  // B must lie outside A's city, else A's city administrator rightly sees it.
  while (area.cityCode === notInCity) area = await makeArea(db);
  const ctx = { actor: systemActor('authz-matrix'), db };
  const no = householdNo(`AZ${tag}`);
  const head = `${tag === 'A' ? '甲' : '乙'}${distinctName()}`;
  const idNumber = makeIdNumber(area.countyCode, '1968-04-11', '1');
  const h = await createHousehold(ctx, {
    household: { householdNo: no, villageCode: area.villageCodes[0], attribute: '1', exitStatus: '0', mainCause: '01', identifiedOn: '2014-05-01' },
    members: [
      { name: head, idNumber, relation: '01', sex: '1', birthDate: '1968-04-11', ethnicity: '02', health: '1', labourAbility: '1' },
      { name: `${head.slice(0, 2)}格`, idNumber: makeIdNumber(area.countyCode, '1970-09-02', '2'), relation: '02', ethnicity: '02', health: '1' },
    ],
  });
  await putHouseholdYear(ctx, h.id, YEAR, { householdSize: 2, wageIncome: 6000, status: '0' }).catch((e) => { throw new Error(JSON.stringify(e.issues)); });
  const memberId = h.members.find((m) => m.relation === '01')!.id;
  // Records of other kinds, so ids guessed for cases, projects, units, cadres and leaders are real ones.
  const others: Others = {};
  const marks: string[] = [];
  const sctx = { actor: { ...systemActor('authz-matrix'), areaCode: area.countyCode }, db };
  const tryMake = async (prefix: string, mark: string | undefined, f: () => Promise<{ id: number }>) => {
    try {
      others[prefix] = (await f()).id;
      if (mark) marks.push(mark);
    } catch (e) {
      console.warn(`[authz-matrix] could not make a ${prefix} record in ${tag}: ${(e as Error).message}`);
    }
  };
  const projectName = `${tag}项目${distinctName()}`;
  const unitName = `${tag}单位${distinctName()}`;
  const cadreId = makeIdNumber(area.countyCode, '1984-04-04', '1');
  const leaderName = `${tag}合作社${distinctName()}`;
  await tryMake('/api/v1/cases/', undefined, () => openCase(ctx, { workflow: 'monitoring', householdId: h.id, year: YEAR }));
  await tryMake('/api/v1/projects/', projectName, () => createProject(sctx, { county: area.countyCode, name: projectName, channel: 'cattle', year: YEAR, villageCodes: [area.villageCodes[0]] }));
  await tryMake('/api/v1/assistance/units/', unitName, () => createUnit(sctx, { countyCode: area.countyCode, name: unitName, kind: 'party_gov', level: 'county' }));
  if (others['/api/v1/assistance/units/']) {
    await tryMake('/api/v1/assistance/cadres/', cadreId, () => createCadre(sctx, { unitId: others['/api/v1/assistance/units/']!, name: distinctName(), idNumber: cadreId }));
  }
  await tryMake('/api/v1/leaders/', leaderName, () => createLeader(sctx, { name: leaderName, kind: 'cooperative', villageCode: area.villageCodes[0], channel: 'cattle' }));
  return { area, hhId: h.id, memberId, no, head, idNumber, others, marks };
}

function areaOf(role: Role, a: TestArea): string {
  if (role === 'city_admin') return a.cityCode;
  if (role === 'township_reviewer') return a.townshipCode;
  if (role === 'village_cadre') return a.villageCodes[0];
  return a.countyCode;
}

function target(c: County, id = c.hhId, others: Others = c.others): Target {
  return { others, id, memberId: c.memberId, county: c.area.countyCode, village: c.area.villageCodes[0], township: c.area.townshipCode, householdNo: c.no, head: c.head };
}

function pick(schema: any, fallback: string): string {
  if (schema?.enum?.length) return String(schema.enum.includes('json') ? 'json' : schema.enum.includes('csv') ? 'csv' : schema.enum[0]);
  if (schema?.type === 'integer' || schema?.type === 'number') return '1';
  if (schema?.type === 'boolean') return 'false';
  return fallback;
}

/** A value for a path or query parameter; `aimed` says it points at the target's records or area. */
function paramValue(name: string, path: string, schema: any, t: Target): { v: string; aimed: boolean } {
  const n = name.toLowerCase();
  if (n === 'year') return { v: String(YEAR), aimed: false };
  if (n === 'memberid') return { v: String(t.memberId), aimed: true };
  if (n === 'area') return { v: t.areaAsVillage ? t.village : t.county, aimed: true };
  if (n === 'county') return { v: t.county, aimed: true };
  if (n === 'village') return { v: t.village, aimed: true };
  if (n === 'code' && path.startsWith('/api/v1/areas/')) return { v: t.county, aimed: true };
  if (n === 'q') return { v: t.householdNo, aimed: false }; // a search for B's household number finds nothing
  // `{id}` of a path whose prefix names another kind of record: that record; likewise unit/cadre/leader/project filters.
  if (n === 'id') for (const [prefix, id] of Object.entries(t.others)) if (path.startsWith(prefix)) return { v: String(id), aimed: true };
  const byName: Record<string, string> = { unit: '/api/v1/assistance/units/', unitid: '/api/v1/assistance/units/', cadre: '/api/v1/assistance/cadres/', cadreid: '/api/v1/assistance/cadres/', leader: '/api/v1/leaders/', project: '/api/v1/projects/', projectid: '/api/v1/projects/', caseid: '/api/v1/cases/' };
  if (byName[n] && t.others[byName[n]!] !== undefined) return { v: String(t.others[byName[n]!]), aimed: true };
  if (n === 'id' || n.endsWith('id') || n === 'household' || n === 'unit' || n === 'cadre' || n === 'leader' || n === 'project') return { v: String(t.id), aimed: true };
  if (n === 'key') return { v: 'poverty_line', aimed: false };
  return { v: pick(schema, 'x'), aimed: false };
}

/** A minimal body from the route's JSON schema: required fields only, B's ids where the name says so. */
function bodyFor(schema: any, t: Target, depth = 0): { v: unknown; aimed: boolean } {
  if (!schema || depth > 4) return { v: {}, aimed: false };
  if (schema.anyOf || schema.oneOf) return bodyFor((schema.anyOf ?? schema.oneOf)[0], t, depth + 1);
  if (schema.enum?.length) return { v: schema.enum[0], aimed: false };
  if (schema.const !== undefined) return { v: schema.const, aimed: false };
  const type = Array.isArray(schema.type) ? schema.type.find((x: string) => x !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    let aimed = false;
    for (const k of schema.required ?? []) {
      const n = k.toLowerCase();
      if (n === 'householdid' || n === 'household') { out[k] = t.id; aimed = true; continue; }
      if (n === 'householdids') { out[k] = [t.id]; aimed = true; continue; }
      if (n === 'villagecode') { out[k] = t.village; aimed = true; continue; }
      if (n === 'countycode' || n === 'county' || n === 'area' || n === 'areacode') { out[k] = t.county; aimed = true; continue; }
      if (n === 'townshipcode') { out[k] = t.township; aimed = true; continue; }
      const r = bodyFor(schema.properties?.[k], t, depth + 1);
      out[k] = r.v;
      aimed ||= r.aimed;
    }
    return { v: out, aimed };
  }
  if (type === 'array') {
    const r = bodyFor(schema.items, t, depth + 1);
    return { v: schema.minItems ? [r.v] : [], aimed: schema.minItems ? r.aimed : false };
  }
  if (type === 'integer' || type === 'number') return { v: schema.minimum ?? 1, aimed: false };
  if (type === 'boolean') return { v: false, aimed: false };
  if (type === 'string') {
    if (schema.format === 'date') return { v: `${YEAR}-06-01`, aimed: false };
    if (schema.format === 'date-time') return { v: `${YEAR}-06-01T00:00:00Z`, aimed: false };
    return { v: 'x'.repeat(Math.max(1, schema.minLength ?? 1)), aimed: false };
  }
  return { v: null, aimed: false };
}

interface Built { url: string; payload?: unknown; aimed: boolean; json: boolean }
function build(o: Op, t: Target): Built {
  let aimed = false;
  let url = o.path;
  const query: string[] = [];
  for (const p of o.op.parameters ?? []) {
    const { v, aimed: a } = paramValue(p.name, o.path, p.schema, t);
    if (p.in === 'path') {
      url = url.replace(`{${p.name}}`, encodeURIComponent(v));
      aimed ||= a;
    } else if (p.in === 'query') {
      // Optional query parameters are sent only when they aim at the target (area, county, ids) or search.
      if (p.required || a || p.name === 'q') query.push(`${p.name}=${encodeURIComponent(v)}`);
      aimed ||= a && (p.required || a);
    }
  }
  if (query.length) url += `?${query.join('&')}`;
  const content = o.op.requestBody?.content ?? {};
  const json = 'application/json' in content;
  if (o.method === 'GET' || o.method === 'DELETE') return { url, aimed, json: false };
  if (!json) return { url, payload: undefined, aimed, json: false };
  const b = bodyFor(content['application/json'].schema, t);
  return { url, payload: b.v, aimed: aimed || b.aimed, json: true };
}

async function call(method: string, built: Built, cookie?: string) {
  return app.inject({
    method: method as any,
    url: built.url,
    headers: cookie ? { cookie } : {},
    ...(built.json ? { payload: built.payload as any } : method !== 'GET' && method !== 'DELETE' ? { payload: '' } : {}),
  });
}

/** The county's household number, head's name and ID number, and the marks of its other records. */
function personalStrings(c: County) {
  return [c.no, c.head, c.idNumber, ...c.marks];
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false, rateLimits: { global: 0, loginPerIp: 0, loginPerUser: 0, importsPerUser: 0 } });
  await app.ready();
  A = await makeCounty('A');
  B = await makeCounty('B', A.area.cityCode);
  const ctx = { actor: systemActor('authz-matrix'), db };
  for (const role of ROLES) {
    const username = `az_${role}_${A.area.countyCode}_${randomInt(1e6)}`;
    await createUser(ctx, { username, role, areaCode: areaOf(role, A.area), password: PASSWORD });
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    expect(res.statusCode, `login ${role}`).toBe(200);
    cookies[role] = `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
  }
  const spec = app.swagger() as any;
  for (const [path, methods] of Object.entries<any>(spec.paths)) {
    for (const [m, op] of Object.entries<any>(methods)) {
      const method = m.toUpperCase();
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
      ops.push({ method, path, key: `${method} ${path}`, op });
    }
  }
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`authorisation matrix (${engineName})`, () => {
  it('enumerates the routes from OpenAPI', () => {
    expect(ops.length).toBeGreaterThan(100);
    for (const k of [...Object.keys(AREA_FREE), ...Object.keys(SKIP)]) expect(ops.map((o) => o.key), `stale allowlist entry ${k}`).toContain(k);
  });

  it('controls: the personal strings are visible where they should be, so their absence elsewhere means something', async () => {
    for (const [c, other] of [[A, B], [B, A]] as const) {
      const own = await app.inject({ url: `/api/v1/households/${c.hhId}`, headers: { cookie: cookies.county_office } });
      if (c === A) {
        expect(own.statusCode, own.body).toBe(200);
        expect(own.body).toContain(A.no);
        expect(own.body).toContain(A.head);
        const rev = await app.inject({ method: 'POST', url: `/api/v1/households/${A.hhId}/members/${A.memberId}/reveal`, headers: { cookie: cookies.county_office } });
        expect(rev.statusCode, rev.body).toBe(200);
        expect(rev.body).toContain(A.idNumber);
      } else {
        expect(own.statusCode).toBe(404);
        expect(own.body).not.toContain(other === A ? B.no : A.no);
      }
    }
  });

  it('out of area: ids and areas guessed from another county are refused and nothing of them leaks', async () => {
    const problems: string[] = [];
    const bStrings = personalStrings(B);
    const bT = target(B);
    const noneT = target(B, NO_SUCH_ID, Object.fromEntries(Object.keys(B.others).map((k) => [k, NO_SUCH_ID])));
    const statuses: Record<string, number> = {};
    for (const role of ROLES) {
      for (const o of ops) {
        if (SKIP[o.key]) continue;
        let built = build(o, bT);
        let res = await call(o.method, built, cookies[role]);
        // Routes that want a village in `area` (village panels and reports): ask again with B's village.
        if (res.statusCode === 400 && res.body.includes('"field":"area"')) {
          built = build(o, { ...bT, areaAsVillage: true });
          res = await call(o.method, built, cookies[role]);
        }
        checks += 1;
        const where = `${role} ${o.method} ${built.url}`;
        if (res.statusCode >= 500) problems.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        for (const s of bStrings) if (res.body.includes(s)) problems.push(`${where}: ${res.statusCode} body carries B's "${s}"`);
        if (!built.aimed || AREA_FREE[o.key]) continue;
        const sk = `${res.statusCode}${res.statusCode === 400 ? `:${res.json().error?.code}` : ''}`;
        statuses[sk] = (statuses[sk] ?? 0) + 1;
        if (process.env.AUTHZ_MATRIX_DEBUG) console.log(sk, where, res.statusCode === 400 ? res.body.slice(0, 300) : '');
        if (res.statusCode < 300 && !emptyListing(res.body)) problems.push(`${where}: ${res.statusCode} for another county's record/area: ${res.body.slice(0, 200)}`);
        // No hint of existence: B's real id answers like an id that never existed.
        if (o.path.includes('{')) {
          const none = await call(o.method, build(o, noneT), cookies[role]);
          const code = (r: typeof res) => `${r.statusCode} ${String(r.headers['content-type'] ?? '').includes('json') ? (r.json().error?.code ?? '') : ''}`;
          if (code(none) !== code(res)) problems.push(`${where}: answers "${code(res)}" but a never-existing id answers "${code(none)}"`);
        }
      }
    }
    console.log(`[authz-matrix ${engineName}] out of area: ${ops.length - Object.keys(SKIP).length} routes × ${ROLES.length} roles = ${checks} checks; answers to requests aimed at B: ${JSON.stringify(statuses)}`);
    expect(problems).toEqual([]);
  });

  it('searching from A for B’s household number, head, ID number or record names finds nothing of B', async () => {
    const problems: string[] = [];
    let n = 0;
    const searchable = ops.filter((o) => o.method === 'GET' && !SKIP[o.key] && (o.op.parameters ?? []).some((p: any) => p.in === 'query' && p.name === 'q'));
    for (const role of ROLES) {
      for (const o of searchable) {
        for (const needle of personalStrings(B)) {
          const required = (o.op.parameters ?? []).filter((p: any) => p.in === 'query' && p.required && p.name !== 'q');
          const qs = [`q=${encodeURIComponent(needle)}`, ...required.map((p: any) => `${p.name}=${encodeURIComponent(paramValue(p.name, o.path, p.schema, target(A)).v)}`)];
          const url = `${o.path}?${qs.join('&')}`;
          const res = await app.inject({ url, headers: { cookie: cookies[role] } });
          n += 1;
          if (res.statusCode >= 500) problems.push(`${role} GET ${url}: ${res.statusCode}`);
          for (const s of personalStrings(B)) if (res.body.includes(s)) problems.push(`${role} GET ${url}: ${res.statusCode} body carries B's "${s}"`);
          if (res.statusCode < 300 && !emptyListing(res.body)) {
            // Not empty (e.g. researchers get the area's counts whatever q says): then the answer must be
            // the same as for a needle that exists nowhere, so it hints nothing about B.
            const blank = await app.inject({ url: url.replace(`q=${encodeURIComponent(needle)}`, 'q=zz-no-such-thing'), headers: { cookie: cookies[role] } });
            if (blank.body !== res.body) problems.push(`${role} GET ${url}: finds something: ${res.body.slice(0, 200)}`);
          }
        }
      }
    }
    checks += n;
    console.log(`[authz-matrix ${engineName}] search: ${searchable.length} routes × ${ROLES.length} roles × ${personalStrings(B).length} needles = ${n} checks`);
    expect(searchable.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('in area: roles without the action are refused; aggregates-only roles never see personal data', async () => {
    const problems: string[] = [];
    const aT = target(A);
    const aStrings = [A.no, A.head, A.idNumber]; // personal data only (project and unit names are not personal)
    const bStrings = personalStrings(B);
    let n = 0;
    const inStatuses: Record<number, number> = {};
    for (const role of ROLES) {
      for (const o of ops) {
        if (SKIP[o.key] || o.method !== 'GET') continue;
        let built = build(o, aT);
        let res = await call(o.method, built, cookies[role]);
        if (res.statusCode === 400 && res.body.includes('"field":"area"')) {
          built = build(o, { ...aT, areaAsVillage: true });
          res = await call(o.method, built, cookies[role]);
        }
        n += 1;
        inStatuses[res.statusCode] = (inStatuses[res.statusCode] ?? 0) + 1;
        const where = `${role} ${o.method} ${built.url}`;
        if (res.statusCode >= 500) problems.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        for (const s of bStrings) if (res.body.includes(s)) problems.push(`${where}: body carries B's "${s}"`);
        if (!mayDo(role, 'register.read')) {
          for (const s of aStrings) if (res.body.includes(s)) problems.push(`${where}: ${res.statusCode} aggregates-only role sees "${s}"`);
        }
        const action = GET_ACTION.find(([re]) => re.test(o.path))?.[1];
        if (action && !mayDo(role, action) && res.statusCode !== 403) problems.push(`${where}: ${res.statusCode}, expected 403 (lacks ${action})`);
      }
    }
    checks += n;
    console.log(`[authz-matrix ${engineName}] in area: ${n} GET route × role checks; answers: ${JSON.stringify(inStatuses)}`);
    expect(problems).toEqual([]);
  });

  it('without a session every /api/v1 route but login, health and codes answers 401', async () => {
    const problems: string[] = [];
    let n = 0;
    for (const o of ops) {
      if (!o.path.startsWith('/api/v1/') || PUBLIC[o.key]) continue;
      const res = await call(o.method, build(o, target(A)));
      n += 1;
      // The session is checked before the body is parsed or validated (http/auth.ts): a body that
      // fails the route's schema is still 401, never 400 with field reasons.
      if (res.statusCode !== 401) problems.push(`${o.key}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    checks += n;
    console.log(`[authz-matrix ${engineName}] unauthenticated: ${n} routes; total ${checks} checks`);
    expect(problems).toEqual([]);
  });
});
