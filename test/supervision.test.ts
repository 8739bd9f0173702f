// Scorecards (issue 8) on a real database: two townships and two responsible cadres built by hand
// (households with chosen gaps, pairings, visits, data-quality and other alerts, cases with their
// events, an evaluation sample with discrepancies), every indicator and the composite checked
// against numbers worked out below, the ranking, the monthly trend, bad input (each message names
// its field; these are reads, so nothing is written), roles and area scope, the API and the
// workbook's sheets and cells.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { Forbidden, NotFound, ValidationError } from '../src/domain/errors.js';
import { createHousehold } from '../src/services/households.js';
import { putHouseholdYear } from '../src/services/household-years.js';
import { createCadre, createPairing, createUnit, createVisit, endPairing, visitFrequency } from '../src/services/pairing/index.js';
import { createUser } from '../src/services/users.js';
import { systemActor, type Actor, type Ctx } from '../src/services/context.js';
import {
  cadreScorecards, countyScorecards, scorecardBook, scorecards, scorecardsWorkbook, scorecardTrend, townshipScorecards, type ScorecardRow,
} from '../src/services/supervision/index.js';
import { testDb } from './support/db.js';
import { householdNo, makeArea, makeIdNumber, type TestArea } from './support/factories.js';

let db: Db;
let app: ZodApp;
let area: TestArea;
let other: TestArea;
let t1: string; // the factory's township: villages v1, v2
let t2: string; // a second township added here: village v3
let v1: string;
let v2: string;
let v3: string;
const FROM = '2024-01-01';
const TO = '2024-06-30';
const PASSWORD = 'Test#Passw0rd';
const admin = (): Ctx => ({ actor: systemActor('test'), db });
const as = (role: Actor['role'], areaCode: string): Ctx => ({ actor: { id: null, username: `sup-${role}`, role, areaCode }, db });
let seq = 0;
const ids: Record<string, number> = {};
let cadreA: number; // 张伟: h1, h2, and h5 from April
let cadreB: number; // 王芳: h4, and h5 until March

const FULL = { education: '3', health: '1', labourAbility: '1', medicalInsurance: true, criticalIllnessInsurance: true, pensionInsurance: true };
const FLAGS = { foodSecure: true, clothingSecure: true, educationSecure: true, medicalSecure: true, housingSecure: true, waterSecure: true };

async function household(
  name: string,
  village: string,
  h: Record<string, unknown>,
  members: Record<string, unknown>[],
  year: Record<string, unknown> | null,
): Promise<number> {
  const county = village.slice(0, 6);
  const made = await createHousehold(admin(), {
    household: { householdNo: householdNo('SUP'), villageCode: village, identifiedOn: '2015-05-01', ...h },
    members: members.map((m, i) => ({
      name: i === 0 ? `${name}户主` : `${name}家人`, idNumber: makeIdNumber(county, i === 0 ? '1970-03-15' : '1972-08-02', i === 0 ? '1' : '2', (seq += 1)),
      relation: i === 0 ? '01' : '02', ethnicity: '02', ...m,
    })),
  });
  if (year) await putHouseholdYear(admin(), made.id, 2024, { householdSize: members.length, wageIncome: 20000, ...year });
  return made.id;
}

/** A case with its events written as the cases service would have (dates chosen). */
async function makeCase(householdId: number, village: string, events: { action: string; from: string; to: string; at: string; dueOn?: string }[], alertId: number | null = null): Promise<number> {
  const county = village.slice(0, 6);
  const last = events[events.length - 1]!;
  const final = ['dismissed', 'risk_eliminated'].includes(last.to);
  const [c] = await db.query<{ id: number }>(
    `INSERT INTO cases (county_code, workflow, household_id, village_code, state, seq, closed, due_on, year, alert_id, opened_at, opened_by, updated_at)
     VALUES ($1, 'monitoring', $2, $3, $4, $5, $6, $7, 2024, $8, $9, 'test', $10) RETURNING id`,
    [county, householdId, village, last.to, events.length, final, final ? null : (events.find((e) => e.dueOn)?.dueOn ?? null), alertId, events[0]!.at, last.at],
  );
  const id = Number(c!.id);
  let n = 0;
  for (const e of events) {
    n += 1;
    await db.query(
      `INSERT INTO case_events (county_code, case_id, seq, action, from_state, to_state, actor, at, due_on)
       VALUES ($1, $2, $3, $4, $5, $6, '{"id":null,"username":"test","role":"city_admin","areaCode":"*"}'::jsonb, $7, $8)`,
      [county, id, n, e.action, e.from, e.to, e.at, e.dueOn ?? null],
    );
  }
  return id;
}

async function alert(householdId: number, county: string, rule: string, foundAt: string, status = 'open', resolvedAt: string | null = null, year = 2024): Promise<number> {
  const [a] = await db.query<{ id: number }>(
    `INSERT INTO monitoring_alerts (county_code, household_id, rule, year, reason, status, found_at, resolved_at)
     VALUES ($1, $2, $3, $4, '{"zh":"测试","en":"test"}'::jsonb, $5, $6, $7) RETURNING id`,
    [county, householdId, rule, year, status, foundAt, resolvedAt],
  );
  return Number(a!.id);
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false });
  area = await makeArea(db);
  other = await makeArea(db);
  const c = area.countyCode;
  t1 = area.townshipCode;
  [v1, v2] = area.villageCodes;
  t2 = `${c}002`;
  v3 = `${t2}001`;
  await db.query(
    `INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES ($1::text, '第二苏木', 4, $2::text, $2::text, true), ($3::text, '第三嘎查', 5, $1::text, $2::text, true)`,
    [t2, c, v3],
  );

  // Completeness (fields filled / expected, year 2024; see domain/supervision/register.ts):
  //   h1 23/23 (3 household + cadre + 2 × 6 member + record and 6 flags);
  //   h2 3/17 (no phone; cadre via pairing; member empty; no 2024 record);
  //   h3 9/16 (no main cause; status 4 needs no cadre; record without flags);
  //   h4 23/23; h5 12/17 (member: education only).
  ids.h1 = await household('甲', v1, { attribute: '1', exitStatus: '0', mainCause: '07', phone: '13800000001' }, [FULL, FULL], { status: '0', ...FLAGS });
  ids.h2 = await household('乙', v1, { attribute: '4', exitStatus: '1', exitYear: 2019, mainCause: '07' }, [{}], null);
  ids.h3 = await household('丙', v2, { attribute: '4', exitStatus: '4', exitYear: 2019, phone: '13800000003' }, [FULL], { status: '4' });
  ids.h4 = await household('丁', v3, { attribute: '1', exitStatus: '0', mainCause: '07', phone: '13800000004' }, [FULL, FULL], { status: '0', ...FLAGS });
  ids.h5 = await household('戊', v3, { attribute: '1', exitStatus: '0', mainCause: '07', phone: '13800000005' }, [{ education: '2' }], { status: '0', ...FLAGS });

  const unit = await createUnit(admin(), { countyCode: c, name: '旗财政局', kind: 'party_gov', level: 'county' });
  cadreA = (await createCadre(admin(), { unitId: unit.id, name: '张伟', idNumber: makeIdNumber(c, '1980-01-01', '1', 401) })).id;
  cadreB = (await createCadre(admin(), { unitId: unit.id, name: '王芳', idNumber: makeIdNumber(c, '1982-02-02', '2', 402) })).id;
  const cadreZ = (await createCadre(admin(), { unitId: unit.id, name: '赵六', idNumber: makeIdNumber(c, '1984-03-03', '1', 403) })).id;
  await createPairing(admin(), { householdId: ids.h1, cadreId: cadreA, startedOn: '2023-01-01' });
  await createPairing(admin(), { householdId: ids.h2, cadreId: cadreA, startedOn: '2024-04-01' });
  await createPairing(admin(), { householdId: ids.h4, cadreId: cadreB, startedOn: '2024-01-01' });
  const b5 = await createPairing(admin(), { householdId: ids.h5, cadreId: cadreB, startedOn: '2023-01-01' });
  await endPairing(admin(), b5.id, { endedOn: '2024-03-31', reason: '调整' });
  await createPairing(admin(), { householdId: ids.h5, cadreId: cadreA, startedOn: '2024-04-01' });
  // 赵六's only pairing ended before the period: not a cadre of the period.
  const z3 = await createPairing(admin(), { householdId: ids.h3, cadreId: cadreZ, startedOn: '2023-01-01' });
  await endPairing(admin(), z3.id, { endedOn: '2023-12-31', reason: '调整' });

  // Visits: A 3 × h1, 1 × h2, 2 × h5 (and one in 2023); B 2 × h4, 1 × h5.
  const visit = (h: number, cadreId: number, visitedOn: string) => createVisit(admin(), h, { cadreId, visitedOn, findings: '入户走访' });
  for (const d of ['2024-01-10', '2024-02-10', '2024-03-10', '2023-12-20']) await visit(ids.h1, cadreA, d);
  await visit(ids.h2, cadreA, '2024-05-05');
  for (const d of ['2024-05-20', '2024-06-20']) await visit(ids.h5, cadreA, d);
  for (const d of ['2024-02-01', '2024-03-01']) await visit(ids.h4, cadreB, d);
  await visit(ids.h5, cadreB, '2024-02-15');

  // Alerts (limit: 20 working days). h2: a DQ hit on 2024 dismissed in 3 days (in time) and one never
  // handled (late); h3: a DQ hit dismissed after its limit (late); h4: an income alert turned into a
  // case in 4 days (in time). Found outside the period and about other years: h5's (2023) and h1's (2025).
  await alert(ids.h2, c, 'dq_income_out_of_range', '2024-03-05T10:00:00+08:00', 'dismissed', '2024-03-08T10:00:00+08:00');
  await alert(ids.h2, c, 'dq_work_months', '2024-03-05T10:00:00+08:00');
  await alert(ids.h3, c, 'exited_below_line', '2024-05-10T10:00:00+08:00', 'dismissed', '2024-07-01T10:00:00+08:00');
  await alert(ids.h5, c, 'dq_no_responsible_cadre', '2023-12-01T10:00:00+08:00', 'open', null, 2023);
  await alert(ids.h1, c, 'dq_land_per_person', '2025-08-01T10:00:00+08:00', 'open', null, 2025);
  const a4 = await alert(ids.h4, c, 'income_drop', '2024-02-01T10:00:00+08:00');

  // Cases (monitoring). Overdue at 30 June: c1 (h4, due 4 March, unmet) and c3 (h2, due 28 June).
  // Open, not overdue: c2 (h1, dismissed 20 March), c5 (h5, due 18 July), c7 (h3, due 23 July).
  // Closed in 2023: c4 (h3), not counted.
  const c1 = await makeCase(ids.h4, v3, [{ action: 'discover', from: 'new', to: 'discovered', at: '2024-02-05T02:00:00Z', dueOn: '2024-03-04' }], a4);
  await db.query(`UPDATE monitoring_alerts SET status = 'case_opened', case_id = $3 WHERE county_code = $1 AND id = $2`, [c, a4, c1]);
  await makeCase(ids.h1, v1, [
    { action: 'discover', from: 'new', to: 'discovered', at: '2024-03-01T02:00:00Z', dueOn: '2024-03-29' },
    { action: 'verify_dismiss', from: 'discovered', to: 'dismissed', at: '2024-03-20T02:00:00Z' },
  ]);
  await makeCase(ids.h2, v1, [{ action: 'discover', from: 'new', to: 'discovered', at: '2024-06-01T02:00:00Z', dueOn: '2024-06-28' }]);
  await makeCase(ids.h3, v2, [
    { action: 'discover', from: 'new', to: 'discovered', at: '2023-05-01T02:00:00Z', dueOn: '2023-05-29' },
    { action: 'verify_dismiss', from: 'discovered', to: 'dismissed', at: '2023-05-10T02:00:00Z' },
  ]);
  await makeCase(ids.h5, v3, [{ action: 'discover', from: 'new', to: 'discovered', at: '2024-06-20T02:00:00Z', dueOn: '2024-07-18' }]);
  await makeCase(ids.h3, v2, [{ action: 'discover', from: 'new', to: 'discovered', at: '2024-06-25T02:00:00Z', dueOn: '2024-07-23' }]);

  // An evaluation: samples s1 (h1), s2 (h2) in township 1; s3 (h4) and s4 (a non-registered
  // household) in township 2; all surveyed in May; discrepancies: s2 two fields, s3 one, s4 one.
  const [p] = await db.query<{ id: number }>(
    `INSERT INTO assessment_plans (county_code, year, name, seed, algorithm, status, sizes, created_by) VALUES ($1, 2023, '测试评估', 'seed', 'test', 'closed', '{}'::jsonb, 'test') RETURNING id`,
    [c],
  );
  const plan = Number(p!.id);
  const sample = async (village: string, hid: number | null, stratum: string, n: number) => {
    const [s] = await db.query<{ id: number }>(
      `INSERT INTO assessment_samples (county_code, plan_id, village_code, village_stratum, stratum, unit_id, household_id, roster_no, draw_order, population_size, sample_size, weight_num, weight_den)
       VALUES ($1, $2, $3, 'poor', $4, $5, $6, $7, $8, 10, 2, 5, 1) RETURNING id`,
      [c, plan, village, stratum, hid === null ? `NR-${n}` : String(hid), hid, hid === null ? n : null, n],
    );
    const id = Number(s!.id);
    await db.query(
      `INSERT INTO assessment_surveys (county_code, plan_id, sample_id, outcome, surveyed_on, evaluator, source, entered_by) VALUES ($1, $2, $3, 'completed', '2024-05-02', 'ev', 'form', 'ev')`,
      [c, plan, id],
    );
    return id;
  };
  const disc = (sampleId: number, village: string, hid: number | null, field: string) => db.query(
    `INSERT INTO assessment_discrepancies (county_code, plan_id, sample_id, field, village_code, household_id, register_value, survey_value, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, '1', '2', '2024-05-02T10:00:00+08:00')`,
    [c, plan, sampleId, field, village, hid],
  );
  await sample(v1, ids.h1, 'remaining', 1);
  const s2 = await sample(v1, ids.h2, 'exited', 2);
  const s3 = await sample(v3, ids.h4, 'remaining', 3);
  const s4 = await sample(v3, null, 'nonRegistered', 4);
  await disc(s2, v1, ids.h2, 'householdSize');
  await disc(s2, v1, ids.h2, 'perCapitaIncome');
  await disc(s3, v3, ids.h4, 'housingSecure');
  await disc(s4, v3, null, 'omitted');
  // An evaluation still running (drawn, not closed) in township 1: the offices reading scorecards
  // must not learn what it checks, so none of it counts (the figures below stay as without it).
  const [open] = await db.query<{ id: number }>(
    `INSERT INTO assessment_plans (county_code, year, name, seed, algorithm, status, sizes, created_by) VALUES ($1, 2024, '进行中的评估', 'seed2', 'test', 'drawn', '{}'::jsonb, 'test') RETURNING id`,
    [c],
  );
  const [os] = await db.query<{ id: number }>(
    `INSERT INTO assessment_samples (county_code, plan_id, village_code, village_stratum, stratum, unit_id, household_id, draw_order, population_size, sample_size, weight_num, weight_den)
     VALUES ($1, $2, $3, 'poor', 'exited', $4, $5, 1, 10, 2, 5, 1) RETURNING id`,
    [c, open!.id, v1, String(ids.h1), ids.h1],
  );
  await db.query(`INSERT INTO assessment_surveys (county_code, plan_id, sample_id, outcome, surveyed_on, evaluator, source, entered_by) VALUES ($1, $2, $3, 'completed', '2024-05-03', 'ev', 'form', 'ev')`, [c, open!.id, os!.id]);
  await db.query(
    `INSERT INTO assessment_discrepancies (county_code, plan_id, sample_id, field, village_code, household_id, register_value, survey_value, created_at) VALUES ($1, $2, $3, 'householdSize', $4, $5, '1', '2', '2024-05-03T10:00:00+08:00')`,
    [c, open!.id, os!.id, v1, ids.h1],
  );

  await createUser(admin(), { username: `supcounty${c}`, role: 'county_office', areaCode: c, password: PASSWORD });
  await createUser(admin(), { username: `supvillage${c}`, role: 'village_cadre', areaCode: v1, password: PASSWORD });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const row = (rows: ScorecardRow[], key: string) => rows.find((r) => r.key === key)!;
const scores = (r: ScorecardRow) => Object.fromEntries(Object.entries(r.indicators).map(([k, v]) => [k, v.score]));
const fractions = (r: ScorecardRow) => Object.fromEntries(Object.entries(r.indicators).map(([k, v]) => [k, [v.numerator, v.denominator]]));

describe('township scorecards', () => {
  it('scores both townships as worked out by hand and ranks them', async () => {
    const t = await townshipScorecards(as('county_office', area.countyCode), { area: area.countyCode, from: FROM, to: TO });
    expect(t).toMatchObject({ level: 'township', from: FROM, to: TO, asOf: TO, basis: 'given', months: 6 });
    expect(t.rows.map((r) => r.key)).toEqual([t2, t1]);
    const a = row(t.rows, t1);
    const b = row(t.rows, t2);
    // Township 1: visits 4 of (2 households × 6 months); fields 35 of 56; 2 of 3 households with DQ
    // hits (3 hits); 1 of 3 open cases overdue; 1 of 3 alerts in time; 1 of 2 sampled households differ.
    expect(fractions(a)).toEqual({ visits: [4, 12], completeness: [35, 56], dataQuality: [2, 3], overdueCases: [1, 3], alertsInTime: [1, 3], discrepancies: [1, 2] });
    expect(scores(a)).toEqual({ visits: 33.33, completeness: 62.5, dataQuality: 33.33, overdueCases: 66.67, alertsInTime: 33.33, discrepancies: 50 });
    expect(a.indicators.visits).toMatchObject({ value: 0.33, extra: { households: 2, months: 6 } });
    expect(a.indicators.dataQuality.extra).toEqual({ hits: 3 });
    expect(a.indicators.discrepancies.extra).toEqual({ discrepancies: 2 });
    // (25·33.33 + 20·62.5 + 15·33.33 + 15·66.67 + 15·33.33 + 10·50) / 100 = 45.832
    expect(a.composite).toBe(45.83);
    expect(a.weightCovered).toBe(100);
    // Township 2: visits 5 of 12; fields 35 of 40; no DQ hit; 1 of 2 cases overdue; 1 of 1 alert in
    // time; both sampled households differ.
    expect(fractions(b)).toEqual({ visits: [5, 12], completeness: [35, 40], dataQuality: [0, 2], overdueCases: [1, 2], alertsInTime: [1, 1], discrepancies: [2, 2] });
    expect(scores(b)).toEqual({ visits: 41.67, completeness: 87.5, dataQuality: 100, overdueCases: 50, alertsInTime: 100, discrepancies: 0 });
    // (25·41.67 + 20·87.5 + 15·100 + 15·50 + 15·100 + 10·0) / 100 = 65.4175
    expect(b.composite).toBe(65.42);
    expect([b.rank, a.rank]).toEqual([1, 2]);
    expect(a).toMatchObject({ code: t1, name: '测试苏木', parentName: `测试旗${area.countyCode}`, countyCode: area.countyCode, cadreId: null });
    expect(t.indicators.map((i) => i.weight)).toEqual([25, 20, 15, 15, 15, 10]);
  });

  it('a township office sees its own township only; a period with nothing to measure leaves indicators out', async () => {
    const t = await townshipScorecards(as('township_reviewer', t2), { from: FROM, to: TO });
    expect(t.rows.map((r) => [r.key, r.rank, r.composite])).toEqual([[t2, 1, 65.42]]);
    // January 2025: no visit (the pairings still run: 0 visits of 2 household-months), c3 and c7 still
    // open and overdue; no alert found, no sample checked: those two are left out (weights 25+20+15+15).
    const quiet = await townshipScorecards(as('county_office', area.countyCode), { area: area.countyCode, from: '2025-01-01', to: '2025-01-31' });
    const q1 = row(quiet.rows, t1);
    expect(q1.indicators.visits).toMatchObject({ numerator: 0, denominator: 2, score: 0 });
    expect(q1.indicators.overdueCases).toMatchObject({ numerator: 2, denominator: 2, score: 0 });
    expect(q1.indicators.alertsInTime.score).toBeNull();
    expect(q1.indicators.discrepancies.score).toBeNull();
    expect(q1.weightCovered).toBe(75);
    // 2025's register: h1's hit (found in August 2025, after the period) counts for the year.
    expect(q1.indicators.dataQuality).toMatchObject({ numerator: 1, denominator: 3, extra: { hits: 1 } });
    expect(q1.composite).not.toBeNull();
  });

  it('the county table lists the county among the city’s counties', async () => {
    const t = await countyScorecards(as('city_admin', area.cityCode), { area: area.cityCode, from: FROM, to: TO });
    const mine = row(t.rows, area.countyCode);
    expect(fractions(mine)).toEqual({ visits: [9, 24], completeness: [70, 96], dataQuality: [2, 5], overdueCases: [2, 5], alertsInTime: [2, 4], discrepancies: [3, 4] });
    expect(mine.rank).not.toBeNull();
  });
});

describe('cadre scorecards', () => {
  it('scores the two cadres paired in the period, as worked out by hand, with the visit page’s numbers', async () => {
    const t = await cadreScorecards(as('county_office', area.countyCode), { area: area.countyCode, from: FROM, to: TO });
    expect(t.rows.map((r) => r.name)).toEqual(['王芳', '张伟']);
    const a = row(t.rows, String(cadreA));
    const b = row(t.rows, String(cadreB));
    // 张伟: h1, h2 and h5 (from April): 6 visits of 18 household-months; 38 of 57 fields; 1 of 3
    // households with DQ hits (h2, 2 hits); 1 of 3 cases overdue (c3; c2, c5 not); alerts of h2: 1
    // of 2 in time; samples s1, s2: 1 of 2 differ.
    expect(fractions(a)).toEqual({ visits: [6, 18], completeness: [38, 57], dataQuality: [1, 3], overdueCases: [1, 3], alertsInTime: [1, 2], discrepancies: [1, 2] });
    expect(scores(a)).toEqual({ visits: 33.33, completeness: 66.67, dataQuality: 66.67, overdueCases: 66.67, alertsInTime: 50, discrepancies: 50 });
    expect(a.composite).toBe(54.17);
    // 王芳: h4 and h5 (until March): 3 visits of 12; 35 of 40; no DQ hit; c1 overdue, c5 not; h4's
    // alert in time; s3 differs.
    expect(fractions(b)).toEqual({ visits: [3, 12], completeness: [35, 40], dataQuality: [0, 2], overdueCases: [1, 2], alertsInTime: [1, 1], discrepancies: [1, 1] });
    expect(scores(b)).toEqual({ visits: 25, completeness: 87.5, dataQuality: 100, overdueCases: 50, alertsInTime: 100, discrepancies: 0 });
    expect(b.composite).toBe(61.25);
    expect([b.rank, a.rank]).toEqual([1, 2]);
    expect(b).toMatchObject({ cadreId: cadreB, code: null, parentName: '旗财政局', countyCode: area.countyCode });
    const f = await visitFrequency(admin(), { area: area.countyCode, from: FROM, to: TO });
    for (const r of [a, b]) {
      const v = f.items.find((x) => x.cadreId === r.cadreId)!;
      expect([r.indicators.visits.numerator, r.indicators.visits.extra.households, r.indicators.visits.value]).toEqual([v.visits, v.householdsPaired, v.visitsPerHouseholdMonth]);
    }
  });

  it('a cadre’s households outside the area asked do not count', async () => {
    const t = await cadreScorecards(as('county_office', area.countyCode), { area: t2, from: FROM, to: TO });
    expect(fractions(row(t.rows, String(cadreA))).visits).toEqual([2, 6]); // h5 only: 2 visits, 1 household × 6 months
  });
});

describe('trend', () => {
  it('gives each month of the period for a township and for a cadre', async () => {
    const t = await scorecardTrend(as('county_office', area.countyCode), { area: t1, from: FROM, to: TO });
    expect(t.subject).toMatchObject({ kind: 'area', code: t1, name: '测试苏木' });
    expect(t.points.map((p) => p.month)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06']);
    const at = (m: string) => t.points.find((p) => p.month === m)!;
    // January: h1 paired and visited once → 1 per household-month.
    expect(fractions({ indicators: at('2024-01').indicators } as ScorecardRow).visits).toEqual([1, 1]);
    expect(at('2024-01').indicators.visits.score).toBe(100);
    // May: h1 and h2 paired, one visit (h2).
    expect(at('2024-05').indicators.visits).toMatchObject({ numerator: 1, denominator: 2, score: 50 });
    // March: c2 open and dismissed in time; June: c3 overdue, c7 open.
    expect(at('2024-03').indicators.overdueCases).toMatchObject({ numerator: 0, denominator: 1 });
    expect(at('2024-06').indicators.overdueCases).toMatchObject({ numerator: 1, denominator: 2 });
    // Data quality reads the year's hits, whichever month: h2 (2) and h3 (1) of 3 households.
    expect(at('2024-03').indicators.dataQuality).toMatchObject({ numerator: 2, denominator: 3, extra: { hits: 3 } });
    expect(at('2024-01').indicators.dataQuality).toEqual(at('2024-06').indicators.dataQuality);
    expect(t.points.reduce((n, p) => n + p.indicators.visits.numerator, 0)).toBe(4);
    const c = await scorecardTrend(as('county_office', area.countyCode), { cadreId: cadreA, from: FROM, to: TO });
    expect(c.subject).toMatchObject({ kind: 'cadre', cadreId: cadreA, name: '张伟', parentName: '旗财政局' });
    expect(c.points.find((p) => p.month === '2024-04')!.indicators.visits).toMatchObject({ numerator: 0, denominator: 3, score: 0 });
    expect(c.points.reduce((n, p) => n + p.indicators.visits.numerator, 0)).toBe(6);
  });
});

describe('bad input, roles and scope', () => {
  const county = () => as('county_office', area.countyCode);
  // Only this file's rows: on PostgreSQL other test files write audit rows at the same time.
  const OWN_AUDIT = `SELECT count(*)::int AS n FROM audit_log WHERE actor_name = 'sup-county_office' OR county_code = $1`;
  async function issues(p: Promise<unknown>) {
    const e = await p.then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }

  it('names the field of every bad value, in Chinese and English, and writes nothing', async () => {
    const [before] = await db.query<{ n: number }>(OWN_AUDIT, [area.countyCode]);
    const bad = await issues(townshipScorecards(county(), { area: area.countyCode, from: '2024-13-01', to: TO }));
    expect(bad[0]).toMatchObject({ field: 'from', value: '2024-13-01' });
    expect(bad[0]!.zh).toContain('不是有效日期');
    expect(bad[0]!.en).toContain('not a valid date');
    const reversed = await issues(townshipScorecards(county(), { area: area.countyCode, from: TO, to: FROM }));
    expect(reversed[0]).toMatchObject({ field: 'to', zh: `结束日期 ${FROM} 早于开始日期 ${TO}；请调换或改正` });
    const long = await issues(townshipScorecards(county(), { area: area.countyCode, from: '2021-01-01', to: '2024-01-01' }));
    expect(long[0]).toMatchObject({ field: 'to' });
    expect(long[0]!.zh).toContain('最长 3 年');
    expect(long[0]!.en).toContain('at most 3 years');
    const level = await issues(scorecards(county(), { level: 'village', area: area.countyCode, from: FROM, to: TO }));
    expect(level.map((i) => i.field)).toEqual(['level']);
    expect(level[0]!.zh).toContain('township');
    const village = await issues(townshipScorecards(county(), { area: v1, from: FROM, to: TO }));
    expect(village[0]).toMatchObject({ field: 'area', value: v1 });
    const unknown = await issues(townshipScorecards(county(), { area: `${area.countyCode}999`, from: FROM, to: TO }));
    expect(unknown[0]!.zh).toContain('不存在');
    const cadre = await issues(scorecardTrend(county(), { cadreId: 'x', from: FROM, to: TO }));
    expect(cadre.map((i) => i.field)).toEqual(['cadreId']);
    const [after] = await db.query<{ n: number }>(OWN_AUDIT, [area.countyCode]);
    expect(after!.n).toBe(before!.n);
  });

  it('another county’s area or cadre is not found; roles without supervision.read are refused', async () => {
    await expect(townshipScorecards(county(), { area: other.countyCode, from: FROM, to: TO })).rejects.toBeInstanceOf(NotFound);
    await expect(cadreScorecards(as('township_reviewer', t1), { area: t2, from: FROM, to: TO })).rejects.toBeInstanceOf(NotFound);
    await expect(scorecardTrend(as('county_office', other.countyCode), { cadreId: cadreA, from: FROM, to: TO })).rejects.toBeInstanceOf(NotFound);
    await expect(scorecardBook(county(), { area: other.countyCode, from: FROM, to: TO })).rejects.toBeInstanceOf(NotFound);
    await expect(townshipScorecards(as('village_cadre', v1), { from: FROM, to: TO })).rejects.toBeInstanceOf(Forbidden);
    await expect(cadreScorecards(as('researcher', area.countyCode), { from: FROM, to: TO })).rejects.toBeInstanceOf(Forbidden);
    const insp = await townshipScorecards(as('inspector', area.countyCode), { from: FROM, to: TO });
    expect(insp.rows).toHaveLength(2);
  });
});

describe('API and workbook', () => {
  async function login(username: string): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    return `jz_session=${res.cookies.find((x) => x.name === 'jz_session')!.value}`;
  }

  it('answers the tables, the trend and the workbook over HTTP, with the same refusals', async () => {
    const county = await login(`supcounty${area.countyCode}`);
    const village = await login(`supvillage${area.countyCode}`);
    const get = (cookie: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
    const t = await get(county, `/api/v1/supervision/scorecards?level=township&area=${area.countyCode}&from=${FROM}&to=${TO}`);
    expect(t.statusCode).toBe(200);
    expect(t.json().rows.map((r: ScorecardRow) => [r.key, r.rank, r.composite])).toEqual([[t2, 1, 65.42], [t1, 2, 45.83]]);
    const c = await get(county, `/api/v1/supervision/scorecards?level=cadre&from=${FROM}&to=${TO}`);
    expect(c.json().rows.map((r: ScorecardRow) => r.composite)).toEqual([61.25, 54.17]);
    const tr = await get(county, `/api/v1/supervision/trend?cadreId=${cadreB}&from=${FROM}&to=${TO}`);
    expect(tr.statusCode).toBe(200);
    expect(tr.json().points).toHaveLength(6);
    const bad = await get(county, `/api/v1/supervision/scorecards?level=township&from=2024-02-30&to=${TO}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].field).toBe('from');
    expect((await get(county, `/api/v1/supervision/scorecards?area=${other.countyCode}&from=${FROM}&to=${TO}`)).statusCode).toBe(404);
    expect((await get(village, `/api/v1/supervision/scorecards?from=${FROM}&to=${TO}`)).statusCode).toBe(403);
    expect((await get(village, `/api/v1/supervision/scorecards.xlsx?from=${FROM}&to=${TO}`)).statusCode).toBe(403);
    const x = await get(county, `/api/v1/supervision/scorecards.xlsx?area=${area.countyCode}&from=${FROM}&to=${TO}`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(x.headers['content-disposition']))).toContain(`考核评分-测试旗${area.countyCode}-${FROM}-${TO}.xlsx`);
  });

  it('writes the township, cadre and explanation sheets with ranks, names and scores', async () => {
    const book = await scorecardBook(as('county_office', area.countyCode), { area: area.countyCode, from: FROM, to: TO });
    expect(book.county).toBeNull();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await scorecardsWorkbook(book)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['苏木乡镇', '帮扶责任人', '指标说明']);
    const t = wb.getWorksheet('苏木乡镇')!;
    expect(String(t.getCell('A1').value)).toContain('苏木乡镇考核评分');
    expect(String(t.getCell('A2').value)).toContain(`${FROM} 至 ${TO}`);
    expect([t.getCell('A3').value, t.getCell('A4').value, t.getCell('E3').value, t.getCell('E4').value]).toEqual(['排名', 'Rank', '综合得分', 'Composite']);
    expect([t.getCell('A5').value, t.getCell('B5').value, t.getCell('C5').value, t.getCell('E5').value]).toEqual([1, t2, '第二苏木', 65.42]);
    expect([t.getCell('A6').value, t.getCell('B6').value, t.getCell('E6').value]).toEqual([2, t1, 45.83]);
    expect(t.getCell('E5').numFmt).toBe('0.00');
    expect(t.views[0]).toMatchObject({ state: 'frozen', ySplit: 4, xSplit: 3 });
    const completeness = t.getRow(3).values as unknown[];
    const col = completeness.indexOf('完整率');
    expect(t.getRow(6).getCell(col).value).toBe(35 / 56);
    expect(t.getRow(6).getCell(col).numFmt).toBe('0.00%');
    const c = wb.getWorksheet('帮扶责任人')!;
    expect([c.getCell('A5').value, c.getCell('C5').value, c.getCell('D5').value, c.getCell('E5').value]).toEqual([1, '王芳', '旗财政局', 61.25]);
    expect([c.getCell('A6').value, c.getCell('C6').value, c.getCell('E6').value]).toEqual([2, '张伟', 54.17]);
    const i = wb.getWorksheet('指标说明')!;
    expect(String(i.getCell('A5').value)).toContain('走访频次');
    expect(i.getCell('B5').value).toBe(25);
    expect(String(i.getCell('A10').value)).toContain('评估发现差异');
    expect(i.getCell('B10').value).toBe(10);
  });
});
