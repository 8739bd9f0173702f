// The relapse-monitoring scan: for each county of the area, one query finds the households whose
// yearly records (the year and the one before), household fields and members (summarised per
// household in one pass, scan-sql.ts) can meet a register rule with that county's parameters; one
// query loads every member of the households a member rule may fire for; one join finds
// department records matching members' ID numbers; the pure rules (domain/monitoring-rules.ts,
// monitoring-register.ts) decide and word each alert. New alerts go in with COPY into a
// staging table and one INSERT … ON CONFLICT DO NOTHING on (county, household, rule, year): a
// re-scan adds nothing and never reopens an alert someone dismissed.
import type { Sql } from '../../db/client.js';
import { NotFound, ValidationError } from '../../domain/errors.js';
import {
  ASSISTANCE_KINDS, MONITORING_RULES, YEAR_KINDS, householdAlerts, monitoringParams, ruleLabel,
  type AssistanceKind, type DepartmentKind, type DepartmentRecordFacts, type HouseholdFacts, type HouseholdScanInput, type MemberFacts, type MissingParam,
  type MonitoringAlert, type MonitoringParams, type MonitoringRuleKey, type PersonFacts,
} from '../../domain/monitoring-rules.js';
import { assistanceConditions, assistanceListed, householdConditions, memberConditions, type CandidateSql } from './scan-sql.js';
import { localDay } from '../../domain/workflows/dates.js';
import type { CadreMemberFacts } from '../../domain/monitoring-rules.js';
import type { Text } from '../../domain/policy-types.js';
import { policyLookup } from '../policy.js';
import { audit, inScope, require, type Ctx } from '../context.js';

export interface ScanInput {
  /** Area code (2–12 digits); default the actor's area (everything for the local operator). */
  area?: string;
  /** Default: the latest year with yearly records in the area. */
  year?: number;
  /** The time recorded as found_at of new alerts (default now). */
  now?: Date | string;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface ScanRuleCount {
  rule: MonitoringRuleKey;
  label: Text;
  /** Households the rule fired for. */
  found: number;
  /** Of those, alerts not seen before (inserted now). */
  new: number;
  /** Of those, alerts already there (open, case opened, dismissed or resolved): left as they are. */
  known: number;
}

export interface ScanMissing extends MissingParam {
  /** The counties where it is missing. */
  counties: string[];
}

export interface ScanResult {
  area: string;
  year: number;
  counties: number;
  /** Households that met a rule's condition in SQL or had a department match (examined by the rules). */
  candidates: number;
  rules: ScanRuleCount[];
  totals: { found: number; new: number; known: number };
  missing: ScanMissing[];
  elapsedMs: number;
}

const AREA = { zh: '区划', en: 'area' };

/** One household's inputs to the rules, gathered from the candidate queries. */
interface Acc {
  year: number;
  record?: HouseholdScanInput['record'];
  previous?: HouseholdScanInput['previous'];
  members: MemberFacts[];
  household?: HouseholdFacts;
  departmentRecords: DepartmentRecordFacts[];
}

interface RegisterRow {
  householdId: number;
  status: string;
  householdSize: number;
  perCapitaIncome: number;
  housingSecure: boolean | null;
  dangerousHouse: boolean | null;
  waterSecure: boolean | null;
  waterLitresPerDay: number | null;
  waterFetchMinutes: number | null;
  farmlandMu: number | string | null;
  forestMu: number | string | null;
  prevStatus: string | null;
  prevSize: number | null;
  prevIncome: number | null;
  attribute: string;
  mainCause: string | null;
  otherCauses: string[];
  /** A member or household condition held: load every member. */
  needsMembers: boolean;
  dibaoListed: number | null;
  tekunListed: number | null;
  /** A pairing was in force on the day judged. */
  paired: boolean;
  cadreMembers: CadreMemberFacts[] | null;
}

interface MemberRow {
  householdId: number;
  id: number;
  name: string;
  idNumber: string;
  idKey: string;
  birthDate: string;
  studentStatus: string | null;
  health: string | null;
  labourAbility: string | null;
  workMonths: number | null;
}

interface DeptRow {
  householdId: number;
  memberId: number;
  memberName: string;
  idNumber: string;
  idKey: string;
  id: number;
  batch: number;
  kind: DepartmentKind;
  name: string | null;
  detail: string | null;
  amount: number | null;
  date: string | null;
  department: string;
}

/** The area to scan and its counties; NotFound outside the actor's area or for an unknown code. */
async function scope(ctx: Ctx, area: string | undefined): Promise<{ area: string; counties: string[] }> {
  const code = area ?? (ctx.actor.areaCode === '*' ? '' : ctx.actor.areaCode);
  if (code !== '' && !/^\d{2,12}$/.test(code)) {
    throw new ValidationError([{ field: 'area', value: code, zh: '区划代码应为 2–12 位数字', en: 'The area code must be 2–12 digits' }]);
  }
  if (code === '' ? ctx.actor.areaCode !== '*' : !inScope(ctx.actor, code)) throw new NotFound(AREA);
  if (code !== '') {
    const [a] = await ctx.db.query('SELECT 1 FROM areas WHERE code = $1', [code]);
    if (!a) throw new NotFound(AREA);
  }
  if (code.length >= 6) return { area: code, counties: [code.slice(0, 6)] };
  const rows = await ctx.db.query<{ code: string }>(`SELECT code FROM areas WHERE level = 3 AND code LIKE $1 ORDER BY code`, [`${code}%`]);
  return { area: code, counties: rows.map((r) => r.code) };
}

/** Counties in the actor's area that have households: what a scheduled scan walks through. */
export async function countiesToScan(ctx: Ctx): Promise<string[]> {
  require(ctx, 'monitor.scan');
  const area = ctx.actor.areaCode === '*' ? '' : ctx.actor.areaCode;
  if (area.length >= 6) return [area.slice(0, 6)];
  const rows = await ctx.db.query<{ code: string }>(
    `SELECT a.code FROM areas a WHERE a.level = 3 AND a.code LIKE $1 AND EXISTS (SELECT 1 FROM households h WHERE h.county_code = a.code)
      ORDER BY a.code`,
    [`${area}%`],
  );
  return rows.map((r) => r.code);
}

async function defaultYear(ctx: Ctx, counties: string[]): Promise<number> {
  const [r] = await ctx.db.query<{ y: number | null }>(`SELECT max(year)::int AS y FROM household_years WHERE county_code = ANY($1::bpchar[])`, [counties]);
  if (r?.y == null) {
    throw new ValidationError([{ field: 'year', zh: '该区划还没有年度记录，无法确定扫描年度；请指定年度', en: 'The area has no yearly records yet, so there is no year to scan; give the year' }]);
  }
  return Number(r.y);
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new ValidationError([{ field: 'year', value: String(year), zh: '年度应为 2000–2100 之间的整数', en: 'The year must be a whole number from 2000 to 2100' }]);
  }
}

const yuanText = (fen: number) => (fen / 100).toFixed(2);

/**
 * Households of one county with a yearly record of the year that meet some register rule's
 * condition: the same comparisons as the rules, or a superset the rules then narrow down.
 */
async function registerCandidates(
  tx: Sql, county: string, area: string, p: MonitoringParams, covered: Record<AssistanceKind, boolean>, pairing: { covered: boolean; asOf: string },
): Promise<RegisterRow[]> {
  const q: CandidateSql = { params: [county, p.year] };
  const $ = (v: unknown) => `$${q.params.push(v)}`;
  const conds: string[] = [];
  const notPoor = `y.status NOT IN ('0', '3')`;
  if (p.threshold.fen !== null) conds.push(`(${notPoor} AND y.per_capita_income < ${$(yuanText(p.threshold.fen))}::numeric)`);
  if (p.dropPct.hundredths !== null) {
    conds.push(`(${notPoor} AND p.per_capita_income > 0 AND (p.per_capita_income - y.per_capita_income) * 10000 > ${$(p.dropPct.hundredths)}::numeric * p.per_capita_income)`);
  }
  if (p.line.fen !== null) conds.push(`(y.status IN ('1', '4') AND y.per_capita_income < ${$(yuanText(p.line.fen))}::numeric)`);
  const members = memberConditions(q, p.year);
  const household = householdConditions(q, p, covered);
  const assist = assistanceConditions(q, pairing.asOf, pairing.covered);
  conds.push(...household.year, members.any, ...household.needsMembers, ...assist.conds);
  const village = area.length > 6 ? `AND h.village_code LIKE ${$(`${area}%`)}` : '';
  const listed = (k: AssistanceKind) => (covered[k] ? household.listed[k] : 'NULL::int');
  return tx.query<RegisterRow>(
    `WITH mf AS (${members.flagged})${covered.dibao || covered.tekun ? `, al AS (${assistanceListed()})` : ''}, ${assist.ctes}
     SELECT y.household_id AS "householdId", y.status, y.household_size AS "householdSize", y.per_capita_income AS "perCapitaIncome",
            y.housing_secure AS "housingSecure", y.dangerous_house AS "dangerousHouse", y.water_secure AS "waterSecure",
            y.water_litres_per_day AS "waterLitresPerDay", y.water_fetch_minutes AS "waterFetchMinutes",
            y.farmland_mu AS "farmlandMu", y.forest_mu AS "forestMu",
            p.status AS "prevStatus", p.household_size AS "prevSize", p.per_capita_income AS "prevIncome",
            h.attribute, h.main_cause AS "mainCause", h.other_causes AS "otherCauses",
            (${[members.any, ...household.needsMembers].join(' OR ')}) AS "needsMembers",
            ${listed('dibao')} AS "dibaoListed", ${listed('tekun')} AS "tekunListed", ${assist.select}
       FROM household_years y
       JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id ${village}
       LEFT JOIN household_years p ON p.county_code = y.county_code AND p.household_id = y.household_id AND p.year = $2::int - 1
       LEFT JOIN mf ON mf.household_id = y.household_id
       ${covered.dibao || covered.tekun ? 'LEFT JOIN al ON al.household_id = y.household_id' : ''}
       ${assist.joins}
      WHERE y.county_code = $1 AND y.year = $2 AND (${conds.join(' OR ')})`,
    q.params,
  );
}

/** Every member of the given households (the member rules need the whole household). */
async function membersOf(tx: Sql, county: string, ids: number[]): Promise<MemberRow[]> {
  if (!ids.length) return [];
  return tx.query<MemberRow>(
    `SELECT household_id AS "householdId", id, name, id_masked AS "idNumber", id_hash AS "idKey", to_char(birth_date, 'YYYY-MM-DD') AS "birthDate",
            student_status AS "studentStatus", health, labour_ability AS "labourAbility", work_months AS "workMonths"
       FROM members WHERE county_code = $1 AND household_id = ANY($2::bigint[]) ORDER BY household_id, id`,
    [county, ids],
  );
}

/** The county keeps its pairings in the register: at least one pairing (open or ended) is recorded. */
async function pairingCoverage(tx: Sql, county: string): Promise<boolean> {
  const [r] = await tx.query<{ yes: boolean }>('SELECT EXISTS (SELECT 1 FROM pairings WHERE county_code = $1) AS yes', [county]);
  return Boolean(r?.yes);
}

/** The day a pairing must be in force on: the end of the year scanned, or today (China time) when that is earlier. */
function pairingDay(year: number, now: string | null): string {
  const today = localDay(now ?? new Date());
  const end = `${year}-12-31`;
  return today < end ? today : end;
}

/** Which civil affairs lists (低保, 特困) cover the county: at least one of its registered people is on one by the end of the year. */
async function assistanceCoverage(tx: Sql, county: string, year: number): Promise<Record<AssistanceKind, boolean>> {
  const rows = await tx.query<{ kind: AssistanceKind }>(
    `SELECT k.kind FROM unnest($3::text[]) AS k(kind)
      WHERE EXISTS (SELECT 1 FROM department_records d JOIN members m ON m.id_hash = d.id_hash AND m.county_code = $1
                     WHERE d.kind = k.kind AND (d.record_date IS NULL OR d.record_date < make_date($2::int + 1, 1, 1)))`,
    [county, year, [...ASSISTANCE_KINDS]],
  );
  const set = new Set(rows.map((r) => r.kind));
  return { dibao: set.has('dibao'), tekun: set.has('tekun') };
}

/**
 * Department records matching a member of the county by ID number: events (costs, disasters,
 * accidents, dropouts) of the year, other kinds recorded by its end. The civil affairs lists are
 * left out: they raise nothing themselves and are counted per household by registerCandidates.
 */
async function departmentCandidates(tx: Sql, county: string, area: string, year: number): Promise<DeptRow[]> {
  const params: unknown[] = [county, year, [...YEAR_KINDS], [...ASSISTANCE_KINDS]];
  const village = area.length > 6 ? `JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id AND h.village_code LIKE $${params.push(`${area}%`)}` : '';
  return tx.query<DeptRow>(
    `SELECT m.household_id AS "householdId", m.id AS "memberId", m.name AS "memberName", m.id_masked AS "idNumber", m.id_hash AS "idKey",
            d.id, d.batch, d.kind, d.name, d.detail, d.amount, to_char(d.record_date, 'YYYY-MM-DD') AS date, d.department
       FROM department_records d
       JOIN members m ON m.id_hash = d.id_hash AND m.county_code = $1 ${village}
      WHERE d.kind <> ALL($4::text[])
        AND CASE WHEN d.kind = ANY($3::text[])
                 THEN d.record_date >= make_date($2::int, 1, 1) AND d.record_date < make_date($2::int + 1, 1, 1)
                 ELSE d.record_date IS NULL OR d.record_date < make_date($2::int + 1, 1, 1) END`,
    params,
  );
}

function csvText(v: string): string {
  return `"${v.replaceAll('"', '""')}"`;
}

const STAGE_COLUMNS = ['county_code', 'household_id', 'rule', 'year', 'facts', 'params', 'reason'] as const;

/**
 * Runs every monitoring rule over the area's households for one year. Needs 'monitor.scan' and the
 * area in the actor's scope. One transaction; one audit row ('scan').
 */
export async function runMonitoringScan(ctx: Ctx, input: ScanInput = {}): Promise<ScanResult> {
  const started = process.hrtime.bigint();
  require(ctx, 'monitor.scan');
  const { area, counties } = await scope(ctx, input.area);
  if (input.year !== undefined) checkYear(input.year);
  const year = input.year ?? (counties.length ? await defaultYear(ctx, counties) : new Date().getFullYear());
  const now = input.now === undefined ? null : new Date(input.now).toISOString();
  const found = new Map<MonitoringRuleKey, number>();
  const missing = new Map<string, ScanMissing>();
  let candidates = 0;

  const inserted = await ctx.db.transaction(async (tx) => {
    await tx.query(
      `CREATE TEMP TABLE scan_alerts (county_code char(6), household_id bigint, rule varchar(48), year smallint, facts jsonb, params jsonb, reason jsonb) ON COMMIT DROP`,
    );
    let done = 0;
    for (const county of counties) {
      input.onProgress?.('scan', done++, counties.length);
      const params = monitoringParams(await policyLookup(tx, year, county), year);
      for (const m of params.missing) {
        const k = `${m.key}\u0000${m.reason.zh}`;
        const seen = missing.get(k);
        if (seen) seen.counties.push(county);
        else missing.set(k, { ...m, counties: [county] });
      }
      const households = new Map<number, Acc>();
      const of = (id: number) => {
        let h = households.get(id);
        if (!h) households.set(id, (h = { year, members: [], departmentRecords: [] }));
        return h;
      };
      const covered = await assistanceCoverage(tx, county, year);
      const pairing = { covered: await pairingCoverage(tx, county), asOf: pairingDay(year, now) };
      const needMembers: number[] = [];
      for (const r of await registerCandidates(tx, county, area, params, covered, pairing)) {
        const id = Number(r.householdId);
        const h = of(id);
        h.record = {
          year, status: r.status, householdSize: Number(r.householdSize), perCapitaIncome: Number(r.perCapitaIncome),
          housingSecure: r.housingSecure, dangerousHouse: r.dangerousHouse, waterSecure: r.waterSecure,
          waterLitresPerDay: r.waterLitresPerDay === null ? null : Number(r.waterLitresPerDay),
          waterFetchMinutes: r.waterFetchMinutes === null ? null : Number(r.waterFetchMinutes),
          farmlandMu: r.farmlandMu === null ? null : Number(r.farmlandMu), forestMu: r.forestMu === null ? null : Number(r.forestMu),
        };
        if (r.prevIncome !== null && r.prevStatus !== null) {
          h.previous = { year: year - 1, status: r.prevStatus, householdSize: Number(r.prevSize), perCapitaIncome: Number(r.prevIncome) };
        }
        const assistance: HouseholdFacts['assistance'] = {};
        if (r.dibaoListed !== null) assistance.dibao = { covered: true, listedMembers: Number(r.dibaoListed) };
        if (r.tekunListed !== null) assistance.tekun = { covered: true, listedMembers: Number(r.tekunListed) };
        h.household = {
          attribute: r.attribute, mainCause: r.mainCause, otherCauses: r.otherCauses ?? [], assistance,
          pairing: { ...pairing, paired: Boolean(r.paired) },
          cadreMembers: (r.cadreMembers ?? []).map((c) => ({ ...c, cadreId: Number(c.cadreId), memberId: Number(c.memberId) })),
        };
        if (r.needsMembers) needMembers.push(id);
      }
      const people = new Map<number, PersonFacts[]>();
      for (const m of await membersOf(tx, county, needMembers)) {
        const hid = Number(m.householdId);
        const p: PersonFacts = {
          id: Number(m.id), name: m.name, idNumber: m.idNumber, idKey: m.idKey, birthDate: m.birthDate, studentStatus: m.studentStatus,
          health: m.health, labourAbility: m.labourAbility, workMonths: m.workMonths === null ? null : Number(m.workMonths),
        };
        const list = people.get(hid);
        if (list) list.push(p);
        else people.set(hid, [p]);
      }
      for (const [hid, list] of people) {
        const h = households.get(hid)!;
        h.household = { ...h.household!, members: list };
      }
      for (const r of await departmentCandidates(tx, county, area, year)) {
        const h = of(Number(r.householdId));
        if (!h.members.some((m) => m.id === Number(r.memberId))) h.members.push({ id: Number(r.memberId), name: r.memberName, idNumber: r.idNumber, idKey: r.idKey });
        const rec: DepartmentRecordFacts = {
          id: Number(r.id), batch: Number(r.batch), kind: r.kind, idNumber: r.idNumber, idKey: r.idKey, name: r.name, detail: r.detail,
          amount: r.amount === null ? null : Number(r.amount), date: r.date, department: r.department,
        };
        h.departmentRecords.push(rec);
      }
      candidates += households.size;
      const lines: string[] = [];
      for (const [id, h] of households) {
        const { alerts } = householdAlerts(h, params);
        for (const a of alerts) {
          found.set(a.rule, (found.get(a.rule) ?? 0) + 1);
          lines.push(stageLine(county, id, a));
        }
      }
      if (lines.length) await tx.copyFrom('scan_alerts', STAGE_COLUMNS, `${lines.join('\n')}\n`);
    }
    input.onProgress?.('scan', counties.length, counties.length);
    const rows = await tx.query<{ rule: MonitoringRuleKey; n: number }>(
      `WITH i AS (
         INSERT INTO monitoring_alerts (county_code, household_id, rule, year, facts, params, reason, status, found_at)
         SELECT county_code, household_id, rule, year, facts, params, reason, 'open', coalesce($1::timestamptz, now()) FROM scan_alerts
         ON CONFLICT (county_code, household_id, rule, year) DO NOTHING
         RETURNING rule)
       SELECT rule, count(*)::int AS n FROM i GROUP BY rule`,
      [now],
    );
    const fresh = new Map(rows.map((r) => [r.rule, Number(r.n)]));
    const summary = summarise(found, fresh);
    await audit(tx, ctx.actor, {
      action: 'scan', entity: 'monitoring_alerts',
      countyCode: counties.length === 1 ? counties[0] : null,
      after: { area: area || '*', year, counties: counties.length, candidates, rules: summary.rules.map(({ rule, found: f, new: n, known }) => ({ rule, found: f, new: n, known })), totals: summary.totals, missing: [...missing.values()].map((m) => ({ key: m.key, year: m.year, counties: m.counties })) },
      note: `防返贫监测扫描 monitoring scan: ${area || '*'} ${year}`,
    });
    return summary;
  });
  return {
    area: area || '*', year, counties: counties.length, candidates, ...inserted,
    missing: [...missing.values()],
    elapsedMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
  };
}

function stageLine(county: string, householdId: number, a: MonitoringAlert): string {
  return [county, householdId, csvText(a.rule), a.year, csvText(JSON.stringify(a.facts)), csvText(JSON.stringify(a.params)), csvText(JSON.stringify(a.reason))].join(',');
}

/** Counts per rule in the rule list's order (every rule listed, also with zero). */
function summarise(found: Map<MonitoringRuleKey, number>, fresh: Map<MonitoringRuleKey, number>): Pick<ScanResult, 'rules' | 'totals'> {
  const rules = MONITORING_RULES.map((r) => {
    const f = found.get(r.key) ?? 0;
    const n = fresh.get(r.key) ?? 0;
    return { rule: r.key, label: ruleLabel(r.key), found: f, new: n, known: f - n };
  });
  const totals = rules.reduce((t, r) => ({ found: t.found + r.found, new: t.new + r.new, known: t.known + r.known }), { found: 0, new: 0, known: 0 });
  return { rules, totals };
}
