// The counts behind the scorecards: one set-based query per indicator family (visits, register,
// cases, alerts, evaluation), each over every unit and every period bucket at once — never a query
// per unit. A unit is an area (the village code cut to a length: 9 townships, 6 counties, or the
// area's own length for one area) or a responsible cadre. Buckets are the periods scored: one for a
// scorecard table, one per month for a trend. The pure rules (domain/supervision/) do the rest.
import type { Sql } from '../../db/client.js';
import { monthsInPeriod } from '../../domain/assistance/pairing.js';
import {
  DATA_QUALITY_RULES, HOUSEHOLD_FIELDS, MEMBER_FIELDS, NEEDS_CADRE_STATUSES, YEAR_FIELDS, alertTiming, caseInPeriod, emptyCounts, toEvents,
  type CompletenessField, type EventStub, type UnitCounts,
} from '../../domain/supervision/index.js';
import { addDays, localDay, startOfLocalDay, workflowOf } from '../../domain/workflows/index.js';
import { policyYearLookup } from '../policy.js';
import { day, isoAt } from '../cases/events.js';

type Query = Pick<Sql, 'query'>;

export type Grouping = { kind: 'area'; length: number } | { kind: 'cadre'; cadreId?: number };

export interface Scope {
  /** Households whose village code is LIKE this pattern. */
  pattern: string;
  /** Set when the pattern lies within one county (routes to one shard). */
  county?: string;
  group: Grouping;
}

/** A period scored; `to` is already cut to today. */
export interface Bucket {
  from: string;
  to: string;
}

/** Counts by bucket index, then by unit key (area code, or cadre id as text). */
export type CountsByBucket = Map<string, UnitCounts>[];

function params() {
  const list: unknown[] = [];
  return { list, p: (v: unknown) => `$${list.push(v)}` };
}

/** The buckets as a relation b(i, f, t, fs, te): days and the instants they start and end at (China time). */
function bucketsCte(buckets: readonly Bucket[], p: (v: unknown) => string): string {
  const i = p(buckets.map((_, n) => n));
  const f = p(buckets.map((b) => b.from));
  const t = p(buckets.map((b) => b.to));
  const fs = p(buckets.map((b) => startOfLocalDay(b.from)));
  const te = p(buckets.map((b) => startOfLocalDay(addDays(b.to, 1))));
  return `b AS (SELECT * FROM unnest(${i}::int[], ${f}::date[], ${t}::date[], ${fs}::timestamptz[], ${te}::timestamptz[]) AS b(i, f, t, fs, te))`;
}

/** The code length of an area grouping; null for cadres. */
function areaLength(s: Scope): number | null {
  return s.group.kind === 'area' ? s.group.length : null;
}

const overlaps = (p: string) => `${p}.started_on <= b.t AND (${p}.ended_on IS NULL OR ${p}.ended_on >= b.f)`;

/** Household rows `h` of the scope (pattern, county). */
function inScope(s: Scope, p: (v: unknown) => string, h = 'h'): string {
  return `${h}.village_code LIKE ${p(s.pattern)}${s.county ? ` AND ${h}.county_code = ${p(s.county)}` : ''}`;
}

function cadreFilter(s: Scope, col: string, p: (v: unknown) => string): string {
  return s.group.kind === 'cadre' && s.group.cadreId !== undefined ? ` AND ${col} = ${p(s.group.cadreId)}` : '';
}

function filled(f: CompletenessField, alias: string): string {
  return f.text ? `(nullif(btrim(${alias}.${f.column}), '') IS NOT NULL)::int` : `(${alias}.${f.column} IS NOT NULL)::int`;
}

/** Visits: households paired in each bucket and visits by cadres to the scope's households. */
async function visitCounts(db: Query, s: Scope, buckets: readonly Bucket[]) {
  const q = params();
  const len = areaLength(s);
  const area = len !== null;
  const unitP = area ? `left(h.village_code, ${len})` : 'p.cadre_id::text';
  const unitS = area ? `left(h.village_code, ${len})` : 's.cadre_id::text';
  const sql = `WITH ${bucketsCte(buckets, q.p)},
    paired AS (
      SELECT x.i, x.unit, count(*)::int AS households FROM (
        SELECT DISTINCT b.i, ${unitP} AS unit, p.county_code, p.household_id
          FROM pairings p JOIN households h ON h.county_code = p.county_code AND h.id = p.household_id JOIN b ON ${overlaps('p')}
         WHERE ${inScope(s, q.p)}${cadreFilter(s, 'p.cadre_id', q.p)}) x
       GROUP BY 1, 2),
    vis AS (
      SELECT b.i, ${unitS} AS unit, count(*)::int AS visits
        FROM visits s JOIN households h ON h.county_code = s.county_code AND h.id = s.household_id JOIN b ON s.visited_on >= b.f AND s.visited_on <= b.t
       WHERE s.cadre_id IS NOT NULL AND ${inScope(s, q.p)}${cadreFilter(s, 's.cadre_id', q.p)}
       GROUP BY 1, 2)
    SELECT coalesce(paired.i, vis.i) AS i, coalesce(paired.unit, vis.unit) AS unit, coalesce(paired.households, 0) AS households, coalesce(vis.visits, 0) AS visits
      FROM paired FULL JOIN vis ON vis.i = paired.i AND vis.unit = paired.unit`;
  return db.query<{ i: number; unit: string; households: number; visits: number }>(sql, q.list);
}

/**
 * Register: per household and year, the fields filled and expected (domain/supervision/register.ts),
 * and the data-quality alerts about that year's register. The year of a bucket is the year it ends
 * in; a pairing counts for the responsible cadre when open on 31 December of that year (today for
 * this year).
 */
async function registerCounts(db: Query, s: Scope, buckets: readonly Bucket[], today: string) {
  const q = params();
  const len = areaLength(s);
  const area = len !== null;
  const b = bucketsCte(buckets, q.p);
  // Every household of the scope, also for cadres: the fields are computed from the base tables (whose
  // statistics the planner has), then the cadres' households are picked from them. The CTEs are
  // MATERIALIZED: inlined, the planner under-estimated the three-column joins (county, household,
  // year) and chose nested loops (45 s instead of 1 s for 5,000 cadres of 20,000 households).
  const universe = `hh AS (SELECT h.county_code, h.id, ${area ? `left(h.village_code, ${len})` : "''"} AS unit FROM households h WHERE ${inScope(s, q.p)})`;
  const cadreUniverse = area ? '' : `,
    u AS MATERIALIZED (SELECT DISTINCT b.i, p.cadre_id::text AS unit, p.county_code, p.household_id
            FROM pairings p JOIN households h ON h.county_code = p.county_code AND h.id = p.household_id JOIN b ON ${overlaps('p')}
           WHERE ${inScope(s, q.p)}${cadreFilter(s, 'p.cadre_id', q.p)})`;
  const yearEnd = `least(make_date(yrs.year, 12, 31), ${q.p(today)}::date)`;
  const householdFilled = HOUSEHOLD_FIELDS.map((f) => filled(f, 'h')).join(' + ');
  const memberFilled = MEMBER_FIELDS.map((f) => filled(f, 'm')).join(' + ');
  const yearFilled = ['(y.household_id IS NOT NULL)::int', ...YEAR_FIELDS.map((f) => filled(f, 'y'))].join(' + ');
  const needs = `coalesce(y.status, h.exit_status) IN (${NEEDS_CADRE_STATUSES.map((c) => `'${c}'`).join(', ')})`;
  const sql = `WITH ${b},
    yrs AS (SELECT DISTINCT extract(year FROM t)::int AS year FROM b),
    ${universe},
    mem AS MATERIALIZED (SELECT m.county_code, m.household_id, count(*)::int AS n, sum(${memberFilled})::int AS filled
              FROM members m JOIN hh ON hh.county_code = m.county_code AND hh.id = m.household_id GROUP BY 1, 2),
    pe AS MATERIALIZED (SELECT DISTINCT yrs.year, p.county_code, p.household_id
             FROM pairings p JOIN hh ON hh.county_code = p.county_code AND hh.id = p.household_id
             JOIN yrs ON p.started_on <= ${yearEnd} AND (p.ended_on IS NULL OR p.ended_on >= ${yearEnd})),
    per AS MATERIALIZED (
      SELECT hh.*, yrs.year,
             ${householdFilled} + CASE WHEN ${needs} AND (nullif(btrim(h.responsible_cadre), '') IS NOT NULL OR pe.household_id IS NOT NULL) THEN 1 ELSE 0 END
               + coalesce(mem.filled, 0) + ${yearFilled} AS filled,
             ${HOUSEHOLD_FIELDS.length} + CASE WHEN ${needs} THEN 1 ELSE 0 END + ${MEMBER_FIELDS.length} * coalesce(mem.n, 0) + ${1 + YEAR_FIELDS.length} AS expected
        FROM hh JOIN households h ON h.county_code = hh.county_code AND h.id = hh.id CROSS JOIN yrs
        LEFT JOIN mem ON mem.county_code = hh.county_code AND mem.household_id = hh.id
        LEFT JOIN household_years y ON y.county_code = hh.county_code AND y.household_id = hh.id AND y.year = yrs.year
        LEFT JOIN pe ON pe.year = yrs.year AND pe.county_code = hh.county_code AND pe.household_id = hh.id),
    dq AS MATERIALIZED (SELECT b.i, a.county_code, a.household_id, count(*)::int AS hits
             FROM monitoring_alerts a JOIN hh ON hh.county_code = a.county_code AND hh.id = a.household_id
             JOIN b ON a.year = extract(year FROM b.t)::int
            WHERE a.rule = ANY(${q.p(DATA_QUALITY_RULES)}::text[])
            GROUP BY 1, 2, 3)${cadreUniverse}
    ${area
      ? `, agg AS (SELECT unit, year, count(*)::int AS households, sum(filled)::bigint AS filled, sum(expected)::bigint AS expected FROM per GROUP BY 1, 2),
           dqa AS (SELECT dq.i, hh.unit, count(*)::int AS households, sum(dq.hits)::int AS hits FROM dq JOIN hh ON hh.county_code = dq.county_code AND hh.id = dq.household_id GROUP BY 1, 2)
         SELECT b.i, agg.unit, agg.households, agg.filled, agg.expected, coalesce(dqa.households, 0) AS "dqHouseholds", coalesce(dqa.hits, 0) AS "dqHits"
           FROM b JOIN agg ON agg.year = extract(year FROM b.t)::int LEFT JOIN dqa ON dqa.i = b.i AND dqa.unit = agg.unit`
      : `SELECT u.i, u.unit, count(*)::int AS households, sum(per.filled)::bigint AS filled, sum(per.expected)::bigint AS expected,
                count(dq.hits)::int AS "dqHouseholds", coalesce(sum(dq.hits), 0)::int AS "dqHits"
           FROM u JOIN b ON b.i = u.i JOIN per ON per.county_code = u.county_code AND per.id = u.household_id AND per.year = extract(year FROM b.t)::int
           LEFT JOIN dq ON dq.i = u.i AND dq.county_code = u.county_code AND dq.household_id = u.household_id
          GROUP BY 1, 2`}`;
  return db.query<{ i: number; unit: string; households: number; filled: number; expected: number; dqHouseholds: number; dqHits: number }>(sql, q.list);
}

interface PairingStub { cadre: number; from: string; to: string | null }

/** The pairings of a row's household as JSON (cadre grouping only). */
function pairingsJson(s: Scope, county: string, household: string, p: (v: unknown) => string): string {
  if (s.group.kind !== 'cadre') return '';
  return `, (SELECT jsonb_agg(jsonb_build_object('cadre', p.cadre_id, 'from', ${day('p.started_on')}, 'to', ${day('p.ended_on')}))
             FROM pairings p WHERE p.county_code = ${county} AND p.household_id = ${household}${cadreFilter(s, 'p.cadre_id', p)}) AS pairings`;
}

function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/** The units a row counts for in bucket b: its area prefix, or the cadres paired with its household during b. */
function unitsOf(s: Scope, village: string, pairings: PairingStub[] | null, b: Bucket): string[] {
  if (s.group.kind === 'area') return [village.slice(0, s.group.length)];
  const out = new Set<string>();
  for (const x of pairings ?? []) if (x.from <= b.to && (x.to === null || x.to >= b.from)) out.add(String(x.cadre));
  return [...out];
}

/** Cases: those that may have been open in some bucket, with their events; the replay decides. */
async function caseCounts(db: Query, s: Scope, buckets: readonly Bucket[], add: (i: number, unit: string, f: (c: UnitCounts) => void) => void) {
  const q = params();
  const first = buckets.reduce((m, b) => (b.from < m ? b.from : m), buckets[0]!.from);
  const last = buckets.reduce((m, b) => (b.to > m ? b.to : m), buckets[0]!.to);
  const rows = await db.query<{ countyCode: string; id: number; workflow: string; villageCode: string; openedAt: string; events: unknown; pairings?: unknown }>(
    `SELECT c.county_code AS "countyCode", c.id, c.workflow, c.village_code AS "villageCode", ${isoAt('c.opened_at')} AS "openedAt",
            (SELECT jsonb_agg(jsonb_build_object('seq', e.seq, 'action', e.action, 'from', e.from_state, 'to', e.to_state, 'at', ${isoAt('e.at')},
                                                 'noticeEndsOn', ${day('e.notice_ends_on')}, 'dueOn', ${day('e.due_on')}) ORDER BY e.seq)
               FROM case_events e WHERE e.county_code = c.county_code AND e.case_id = c.id) AS events
            ${pairingsJson(s, 'c.county_code', 'c.household_id', q.p)}
       FROM cases c
      WHERE ${inScope(s, q.p, 'c')} AND c.opened_at < ${q.p(startOfLocalDay(addDays(last, 1)))}::timestamptz
        AND (NOT c.closed OR c.updated_at >= ${q.p(startOfLocalDay(first))}::timestamptz)`,
    q.list,
  );
  for (const r of rows) {
    const def = workflowOf(r.workflow);
    if (!def) continue;
    const events = toEvents(json<EventStub[] | null>(r.events) ?? []);
    const openedOn = localDay(r.openedAt);
    const pairings = json<PairingStub[] | null>(r.pairings ?? null);
    buckets.forEach((b, i) => {
      const c = caseInPeriod(def, events, openedOn, b.from, b.to);
      if (!c.open) return;
      for (const unit of unitsOf(s, r.villageCode, pairings, b)) {
        add(i, unit, (x) => {
          x.overdueCases.open += 1;
          if (c.overdue) x.overdueCases.overdue += 1;
        });
      }
    });
  }
}

/**
 * Alerts found in the buckets: handled on the day dismissed or the day its monitoring case opened;
 * in time within the county's monitoring_identification_working_days of the year found.
 */
async function alertCounts(db: Query, s: Scope, buckets: readonly Bucket[], today: string, add: (i: number, unit: string, f: (c: UnitCounts) => void) => void) {
  const q = params();
  const first = buckets.reduce((m, b) => (b.from < m ? b.from : m), buckets[0]!.from);
  const last = buckets.reduce((m, b) => (b.to > m ? b.to : m), buckets[0]!.to);
  const rows = await db.query<{ countyCode: string; villageCode: string; foundAt: string; handledAt: string | null; pairings?: unknown }>(
    `SELECT a.county_code AS "countyCode", h.village_code AS "villageCode", ${isoAt('a.found_at')} AS "foundAt",
            ${isoAt(`(CASE WHEN a.status = 'dismissed' THEN a.resolved_at WHEN a.status IN ('case_opened', 'resolved') THEN coalesce(c.opened_at, a.resolved_at) END)`)} AS "handledAt"
            ${pairingsJson(s, 'a.county_code', 'a.household_id', q.p)}
       FROM monitoring_alerts a JOIN households h ON h.county_code = a.county_code AND h.id = a.household_id
       LEFT JOIN cases c ON c.county_code = a.county_code AND c.id = a.case_id
      WHERE ${inScope(s, q.p)} AND a.found_at >= ${q.p(startOfLocalDay(first))}::timestamptz AND a.found_at < ${q.p(startOfLocalDay(addDays(last, 1)))}::timestamptz`,
    q.list,
  );
  const lookups = new Map<string, Awaited<ReturnType<typeof policyYearLookup>>>();
  for (const county of new Set(rows.map((r) => r.countyCode))) lookups.set(county, await policyYearLookup(db, county));
  for (const r of rows) {
    const found = localDay(r.foundAt);
    const limit = lookups.get(r.countyCode)!(Number(found.slice(0, 4)))('monitoring_identification_working_days')?.value;
    if (limit === null || limit === undefined) continue;
    const timing = alertTiming(found, r.handledAt ? localDay(r.handledAt) : null, limit, today);
    const pairings = json<PairingStub[] | null>(r.pairings ?? null);
    buckets.forEach((b, i) => {
      if (found < b.from || found > b.to) return;
      for (const unit of unitsOf(s, r.villageCode, pairings, b)) {
        add(i, unit, (x) => {
          if (timing === 'in_time') x.alertsInTime.inTime += 1;
          else if (timing === 'late') x.alertsInTime.late += 1;
          else x.alertsInTime.pending += 1;
        });
      }
    });
  }
}

/**
 * Evaluation (closed plans only: while an evaluation runs, the offices reading scorecards must not
 * learn which households it checks): sampled households checked in each bucket (a completed questionnaire dated in it, or
 * a discrepancy recorded in it), and those with discrepancies recorded in it; townships by the
 * sample's village, cadres by their paired households.
 */
async function discrepancyCounts(db: Query, s: Scope, buckets: readonly Bucket[]) {
  const q = params();
  const len = areaLength(s);
  const area = len !== null;
  const pattern = q.p(s.pattern);
  const county = s.county ? q.p(s.county) : null;
  const sql = `WITH ${bucketsCte(buckets, q.p)},
    sd AS (SELECT b.i, d.county_code, d.plan_id, d.sample_id, count(*)::int AS n
             FROM assessment_discrepancies d JOIN b ON d.created_at >= b.fs AND d.created_at < b.te
             JOIN assessment_plans cp ON cp.county_code = d.county_code AND cp.id = d.plan_id AND cp.status = 'closed'
            WHERE d.village_code LIKE ${pattern}${county ? ` AND d.county_code = ${county}` : ''} GROUP BY 1, 2, 3, 4),
    ss AS (SELECT b.i, v.county_code, v.plan_id, v.sample_id
             FROM assessment_surveys v JOIN b ON v.surveyed_on >= b.f AND v.surveyed_on <= b.t
             JOIN assessment_plans cp ON cp.county_code = v.county_code AND cp.id = v.plan_id AND cp.status = 'closed'
            WHERE v.outcome = 'completed'${county ? ` AND v.county_code = ${county}` : ''}),
    chk AS (SELECT i, county_code, plan_id, sample_id, sum(n)::int AS n
              FROM (SELECT i, county_code, plan_id, sample_id, n FROM sd UNION ALL SELECT i, county_code, plan_id, sample_id, 0 FROM ss) x
             GROUP BY 1, 2, 3, 4)
    ${area
      ? `SELECT chk.i, left(s.village_code, ${len}) AS unit, count(*)::int AS checked, count(*) FILTER (WHERE chk.n > 0)::int AS "withDiscrepancy", sum(chk.n)::int AS discrepancies
           FROM chk JOIN assessment_samples s ON s.county_code = chk.county_code AND s.plan_id = chk.plan_id AND s.id = chk.sample_id
          WHERE s.village_code LIKE ${pattern} GROUP BY 1, 2`
      : `SELECT chk.i, pc.cadre_id::text AS unit, count(*)::int AS checked, count(*) FILTER (WHERE chk.n > 0)::int AS "withDiscrepancy", sum(chk.n)::int AS discrepancies
           FROM chk JOIN assessment_samples s ON s.county_code = chk.county_code AND s.plan_id = chk.plan_id AND s.id = chk.sample_id
           JOIN (SELECT DISTINCT b.i, p.cadre_id, p.county_code, p.household_id FROM pairings p JOIN b ON ${overlaps('p')}
                  WHERE true${s.county ? ` AND p.county_code = ${county}` : ''}${cadreFilter(s, 'p.cadre_id', q.p)}) pc
             ON pc.i = chk.i AND pc.county_code = s.county_code AND pc.household_id = s.household_id
          WHERE s.village_code LIKE ${pattern} GROUP BY 1, 2`}`;
  return db.query<{ i: number; unit: string; checked: number; withDiscrepancy: number; discrepancies: number }>(sql, q.list);
}

/** Every indicator's counts, by bucket and unit. Units with nothing recorded are absent (the caller fills empties). */
export async function gatherCounts(db: Query, s: Scope, buckets: readonly Bucket[], today: string): Promise<CountsByBucket> {
  const out: CountsByBucket = buckets.map(() => new Map());
  if (!buckets.length) return out;
  const get = (i: number, unit: string): UnitCounts => {
    const m = out[i]!;
    let c = m.get(unit);
    if (!c) {
      const b = buckets[i]!;
      c = emptyCounts(monthsInPeriod(b.from, b.to));
      m.set(unit, c);
    }
    return c;
  };
  const add = (i: number, unit: string, f: (c: UnitCounts) => void) => f(get(i, unit));
  for (const r of await visitCounts(db, s, buckets)) {
    const c = get(Number(r.i), r.unit);
    c.visits.households = Number(r.households);
    c.visits.visits = Number(r.visits);
  }
  for (const r of await registerCounts(db, s, buckets, today)) {
    const c = get(Number(r.i), r.unit);
    c.completeness = { filled: Number(r.filled), expected: Number(r.expected) };
    c.dataQuality = { householdsWithHits: Number(r.dqHouseholds), hits: Number(r.dqHits), households: Number(r.households) };
  }
  await caseCounts(db, s, buckets, add);
  await alertCounts(db, s, buckets, today, add);
  for (const r of await discrepancyCounts(db, s, buckets)) {
    get(Number(r.i), r.unit).discrepancies = { checked: Number(r.checked), withDiscrepancy: Number(r.withDiscrepancy), discrepancies: Number(r.discrepancies) };
  }
  return out;
}

/** A unit's counts in bucket i, empty when nothing was recorded for it. */
export function countsOf(all: CountsByBucket, i: number, unit: string, b: Bucket): UnitCounts {
  return all[i]?.get(unit) ?? emptyCounts(monthsInPeriod(b.from, b.to));
}
