// The SQL side of the register rules of domain/monitoring-register.ts: conditions that find, set-
// based, the households a rule may fire for. Each is the rule's own comparison (same constants,
// same parameters) or a superset the pure rule then narrows down; never narrower, or a hit would
// be missed.
import {
  ABLE_LABOUR, ASSISTANCE_ATTRIBUTES, ILLNESS_CAUSE, LOST_LABOUR, SICK_HEALTH, WORK_MONTHS_MAX, schoolAgeDate, workingAgeDate,
} from '../../domain/monitoring-register.js';
import { COMPULSORY_SCHOOL_AGE_MAX, COMPULSORY_SCHOOL_AGE_MIN, NOT_IN_SCHOOL, WATER_MAX_FETCH_MINUTES, WATER_MIN_LITRES_PER_PERSON_DAY } from '../../domain/evaluate/checks.js';
import { WORKING_AGE_MAX, WORKING_AGE_MIN, type AssistanceKind, type MonitoringParams } from '../../domain/monitoring-rules.js';
import type { YMD } from '../../domain/evaluate/common.js';
import { PAIRED_STATUSES } from '../../domain/assistance/pairing.js';

/** A query being built: $1 is the county, $2 the year; conditions push their own parameters. */
export interface CandidateSql {
  params: unknown[];
}

const NOT_POOR = `y.status NOT IN ('0', '3')`;
const list = (codes: readonly string[]) => codes.map((c) => `'${c}'`).join(', ');
const iso = (d: YMD) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
const yuanText = (fen: number) => (fen / 100).toFixed(2);

/**
 * Birth dates giving an age from `min` to `max` in completed years on `on` (as ageOn counts):
 * after (on − max − 1 years), up to (on − min years). `on` is 31 August or 31 December, dates every
 * year has, so no 29 February case arises.
 */
function ageRange(q: CandidateSql, on: YMD, min: number, max: number): { after: string; upTo: string } {
  const $ = (v: unknown) => `$${q.params.push(v)}`;
  const shift = (years: number) => iso({ y: on.y - years, m: on.m, d: on.d });
  return { after: `${$(shift(max + 1))}::date`, upTo: `${$(shift(min))}::date` };
}

/**
 * The member rules: `flagged` summarises the county's members per household in one pass (CTE `mf`):
 * a child of compulsory-school age out of school, a working-age member who lost labour ability,
 * one who can work, months worked outside 0–12, and whether some member is sick or has no health
 * recorded (for the 因病 rule). One aggregate per county, rather than a correlated EXISTS per
 * household, which PostgreSQL ran as a hashed subplan over every county's members.
 * `any` is the condition of the school, labour and work-months rules on it (y: the yearly record).
 */
export function memberConditions(q: CandidateSql, year: number): { flagged: string; any: string } {
  const school = ageRange(q, schoolAgeDate(year), COMPULSORY_SCHOOL_AGE_MIN, COMPULSORY_SCHOOL_AGE_MAX);
  const work = ageRange(q, workingAgeDate(year), WORKING_AGE_MIN, WORKING_AGE_MAX);
  const workingAge = `m.birth_date > ${work.after} AND m.birth_date <= ${work.upTo}`;
  const flagged = `SELECT m.household_id,
          bool_or(m.student_status = '${NOT_IN_SCHOOL}' AND m.birth_date > ${school.after} AND m.birth_date <= ${school.upTo}) AS school,
          bool_or(m.labour_ability = '${LOST_LABOUR}' AND ${workingAge}) AS lost,
          bool_or(m.labour_ability IN (${list(ABLE_LABOUR)}) AND ${workingAge}) AS able,
          bool_or(m.work_months < 0 OR m.work_months > ${WORK_MONTHS_MAX}) AS bad_months,
          bool_or(m.health IS NULL OR m.health IN (${list(SICK_HEALTH)})) AS sick_or_unknown
     FROM members m WHERE m.county_code = $1 GROUP BY m.household_id`;
  const any = `(coalesce(mf.bad_months, false) OR (${NOT_POOR} AND (coalesce(mf.school, false) OR (coalesce(mf.lost, false) AND NOT coalesce(mf.able, false)))))`;
  return { flagged, any };
}

/**
 * The yearly record's and the household's conditions: `year` (housing, water, data-quality income
 * and land, 低保/特困 not on the list), `needsMembers` (因病 without a sick member, on `mf`: the rule
 * needs every member), `listed` (per household, members on each civil affairs list, from CTE `al`).
 */
export function householdConditions(q: CandidateSql, p: MonitoringParams, covered: Record<AssistanceKind, boolean>): { year: string[]; needsMembers: string[]; listed: Record<AssistanceKind, string> } {
  const $ = (v: unknown) => `$${q.params.push(v)}`;
  const year: string[] = [
    `(${NOT_POOR} AND (y.housing_secure = false OR y.dangerous_house = true))`,
    `(${NOT_POOR} AND (y.water_secure = false OR y.water_litres_per_day < ${$(WATER_MIN_LITRES_PER_PERSON_DAY)}::int OR y.water_fetch_minutes > ${$(WATER_MAX_FETCH_MINUTES)}::int))`,
  ];
  const dq = p.dq;
  if (dq.incomeMin.fen !== null) year.push(`y.per_capita_income <= ${$(yuanText(dq.incomeMin.fen))}::numeric`);
  if (dq.incomeMax.fen !== null) year.push(`y.per_capita_income > ${$(yuanText(dq.incomeMax.fen))}::numeric`);
  // land / size > limit  ⇔  land · 100 > limit in hundredths · size (size > 0), as the rule compares.
  if (dq.farmland.hundredths !== null) year.push(`(y.household_size > 0 AND y.farmland_mu * 100 > ${$(dq.farmland.hundredths)}::numeric * y.household_size)`);
  if (dq.forest.hundredths !== null) year.push(`(y.household_size > 0 AND y.forest_mu * 100 > ${$(dq.forest.hundredths)}::numeric * y.household_size)`);
  const listed = {} as Record<AssistanceKind, string>;
  for (const kind of ['dibao', 'tekun'] as const) {
    const attrs = list(ASSISTANCE_ATTRIBUTES[kind]);
    listed[kind] = `CASE WHEN h.attribute IN (${attrs}) THEN coalesce(al.${kind}, 0) END`;
    if (covered[kind]) year.push(`(h.attribute IN (${attrs}) AND coalesce(al.${kind}, 0) = 0)`);
  }
  // mf has a row for every household with a member; sick_or_unknown false: all recorded, none sick.
  const needsMembers = [`((h.main_cause = '${ILLNESS_CAUSE}' OR '${ILLNESS_CAUSE}' = ANY(h.other_causes)) AND mf.sick_or_unknown = false)`];
  return { year, needsMembers, listed };
}

/**
 * CTE `al`: per household of the county, its members on each civil affairs list by the end of the
 * year (one join of the county's members with the list records, not a probe per household).
 */
export function assistanceListed(): string {
  return `SELECT a.household_id,
          count(DISTINCT a.id) FILTER (WHERE d.kind = 'dibao')::int AS dibao,
          count(DISTINCT a.id) FILTER (WHERE d.kind = 'tekun')::int AS tekun
     FROM members a
     JOIN department_records d ON d.id_hash = a.id_hash AND d.kind IN ('dibao', 'tekun')
      AND (d.record_date IS NULL OR d.record_date < make_date($2::int + 1, 1, 1))
    WHERE a.county_code = $1 GROUP BY a.household_id`;
}

/**
 * The assistance data-quality rules (domain/monitoring-assistance.ts): CTE `pa`, the county's
 * households with a pairing in force on `asOf`, and CTE `cm`, per household its members who are
 * active cadres (any county's, matched by ID number), with their unit. One pass each, joined to
 * the yearly records like `mf` and `al`. `unpaired` is only judged where the county keeps pairings.
 */
export function assistanceConditions(q: CandidateSql, asOf: string, covered: boolean): { ctes: string; joins: string; conds: string[]; select: string } {
  const $ = (v: unknown) => `$${q.params.push(v)}`;
  const day = `${$(asOf)}::date`;
  const statuses = list(PAIRED_STATUSES);
  const ctes = `pa AS (SELECT DISTINCT household_id FROM pairings
       WHERE county_code = $1 AND started_on <= ${day} AND (ended_on IS NULL OR ended_on > ${day})),
     cm AS (SELECT m.household_id, jsonb_agg(jsonb_build_object(
               'cadreId', c.id, 'cadreName', c.name, 'cadreCounty', c.county_code, 'unitName', u.name,
               'memberId', m.id, 'memberName', m.name, 'idNumber', m.id_masked) ORDER BY c.county_code, c.id) AS cadres
       FROM members m
       JOIN cadres c ON c.id_hash = m.id_hash AND c.active
       JOIN assistance_units u ON u.county_code = c.county_code AND u.id = c.unit_id
      WHERE m.county_code = $1 GROUP BY m.household_id)`;
  const conds = [`(y.status IN (${statuses}) AND cm.household_id IS NOT NULL)`];
  if (covered) conds.push(`(y.status IN (${statuses}) AND pa.household_id IS NULL)`);
  return {
    ctes,
    joins: 'LEFT JOIN pa ON pa.household_id = y.household_id LEFT JOIN cm ON cm.household_id = y.household_id',
    conds,
    select: `(pa.household_id IS NOT NULL) AS "paired", cm.cadres AS "cadreMembers"`,
  };
}
