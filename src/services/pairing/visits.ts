// 走访: visits to a household (date not in the future, the cadre, home/phone/meeting, findings
// required, follow-ups with a due date, marked done), the visit log of an area, and the visit
// frequency of each responsible cadre over a period.
import { Conflict, NotFound, ValidationError, type FieldIssue } from '../../domain/errors.js';
import { VISIT_KINDS, VISIT_KIND_LABELS, isOneOf } from '../../domain/assistance/catalogue.js';
import { dayIssues, monthsInPeriod, periodIssues, textIssues, visitsPerHouseholdMonth } from '../../domain/assistance/pairing.js';
import type { Text } from '../../domain/policy-types.js';
import { loadHousehold } from '../households.js';
import { audit, require, type Ctx } from '../context.js';
import { T, checkArea, fail, findCadre, paging, params, today, villagePattern, type Query } from './shared.js';

export interface VisitView {
  id: number;
  countyCode: string;
  householdId: number;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string;
  cadreId: number | null;
  cadreName: string | null;
  visitedOn: string;
  kind: string;
  kindLabel: Text;
  findings: string;
  followUps: string;
  followUpDue: string | null;
  followUpDoneOn: string | null;
  /** A follow-up not done whose due day has passed. */
  followUpOverdue: boolean;
  createdBy: string;
}

export interface VisitInput {
  visitedOn?: string;
  cadreId?: number | null;
  kind?: string;
  findings?: string;
  followUps?: string | null;
  followUpDue?: string | null;
}

const cols = `s.id, s.county_code AS "countyCode", s.household_id AS "householdId", h.household_no AS "householdNo", h.head_name AS "headName",
  h.village_code AS "villageCode", v.name AS "villageName", s.cadre_id AS "cadreId", c.name AS "cadreName",
  to_char(s.visited_on, 'YYYY-MM-DD') AS "visitedOn", s.kind, s.findings, s.follow_ups AS "followUps",
  to_char(s.follow_up_due, 'YYYY-MM-DD') AS "followUpDue", to_char(s.follow_up_done_on, 'YYYY-MM-DD') AS "followUpDoneOn", s.created_by AS "createdBy"`;
const from = `visits s JOIN households h ON h.county_code = s.county_code AND h.id = s.household_id JOIN areas v ON v.code = h.village_code
  LEFT JOIN cadres c ON c.county_code = s.county_code AND c.id = s.cadre_id`;

function view(r: VisitView, now: string): VisitView {
  return {
    ...r, id: Number(r.id), householdId: Number(r.householdId), cadreId: r.cadreId === null ? null : Number(r.cadreId),
    kindLabel: isOneOf(VISIT_KINDS, r.kind) ? VISIT_KIND_LABELS[r.kind] : { zh: r.kind, en: r.kind },
    followUpOverdue: Boolean(r.followUps && r.followUpDue && !r.followUpDoneOn && r.followUpDue < now),
  };
}

async function readVisit(db: Query, county: string, householdId: number, id: number): Promise<VisitView> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(T.visit);
  const [r] = await db.query<VisitView>(`SELECT ${cols} FROM ${from} WHERE s.county_code = $1 AND s.household_id = $2 AND s.id = $3`, [county, householdId, id]);
  if (!r) throw new NotFound(T.visit);
  return view(r, today());
}

export async function listHouseholdVisits(ctx: Ctx, householdId: number): Promise<{ items: VisitView[] }> {
  require(ctx, 'register.read');
  const h = await loadHousehold(ctx.db, ctx, householdId);
  const rows = await ctx.db.query<VisitView>(`SELECT ${cols} FROM ${from} WHERE s.county_code = $1 AND s.household_id = $2 ORDER BY s.visited_on DESC, s.id DESC`, [h.countyCode, householdId]);
  const now = today();
  return { items: rows.map((r) => view(r, now)) };
}

export async function createVisit(ctx: Ctx, householdId: number, input: VisitInput): Promise<VisitView> {
  require(ctx, 'assistance.write');
  return ctx.db.transaction(async (tx) => {
    const h = await loadHousehold(tx, ctx, householdId);
    const now = today();
    const issues: FieldIssue[] = [];
    issues.push(...dayIssues('visitedOn', input.visitedOn, { zh: '走访日期', en: 'the visit date' }, { required: true, today: now }));
    // The visiting cadre: the one chosen, else the cadre record linked to the signed-in account.
    let cadreId: number | null = null;
    if (input.cadreId != null) {
      const c = await findCadre(tx, ctx, input.cadreId);
      if (!c || c.countyCode !== h.countyCode) issues.push({ field: 'cadreId', value: String(input.cadreId), zh: `干部 ${input.cadreId} 不存在或不是本旗县的帮扶干部；请选择走访的干部`, en: `Cadre ${input.cadreId} does not exist or is not a cadre of the household's county; choose the cadre who visited` });
      else cadreId = c.id;
    } else if (ctx.actor.id !== null) {
      const [mine] = await tx.query<{ id: number }>('SELECT id FROM cadres WHERE county_code = $1 AND user_id = $2 AND active ORDER BY id LIMIT 1', [h.countyCode, ctx.actor.id]);
      if (mine) cadreId = Number(mine.id);
    }
    if (cadreId === null && input.cadreId == null) issues.push({ field: 'cadreId', zh: '请选择走访的帮扶干部（您的账号未关联干部记录）', en: 'Choose the cadre who visited (your account is not linked to a cadre record)' });
    if (!isOneOf(VISIT_KINDS, input.kind ?? 'home')) {
      issues.push({ field: 'kind', value: String(input.kind), zh: `走访方式应为以下之一：${VISIT_KINDS.map((k) => `${k} ${VISIT_KIND_LABELS[k].zh}`).join('、')}`, en: `The kind must be one of: ${VISIT_KINDS.join(', ')}` });
    }
    issues.push(...textIssues('findings', input.findings, { zh: '走访发现的情况', en: 'what the visit found' }, 4000));
    issues.push(...textIssues('followUps', input.followUps, { zh: '后续事项', en: 'the follow-ups' }, 2000, false));
    const hasFollowUps = Boolean(input.followUps?.trim());
    if (input.followUpDue && !hasFollowUps) issues.push({ field: 'followUps', zh: '填写了办理期限，请写明后续要办的事项', en: 'A due date needs the follow-ups to be written' });
    issues.push(...dayIssues('followUpDue', input.followUpDue, { zh: '后续事项办理期限', en: 'the follow-up due date' }, {
      notBefore: input.visitedOn && !dayIssues('v', input.visitedOn, { zh: '', en: '' }).length ? { day: input.visitedOn, label: { zh: '走访日期', en: 'the visit date' } } : null,
    }));
    fail(issues);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO visits (county_code, household_id, cadre_id, visited_on, kind, findings, follow_ups, follow_up_due, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [h.countyCode, householdId, cadreId, input.visitedOn, input.kind ?? 'home', input.findings!.trim(), (input.followUps ?? '').trim(), input.followUpDue || null, ctx.actor.username],
    );
    const after = await readVisit(tx, h.countyCode, householdId, Number(row!.id));
    await audit(tx, ctx.actor, { action: 'create', entity: 'visits', entityId: after.id, countyCode: h.countyCode, householdId, after });
    return after;
  });
}

export async function completeFollowUp(ctx: Ctx, householdId: number, visitId: number, input: { doneOn?: string }): Promise<VisitView> {
  require(ctx, 'assistance.write');
  return ctx.db.transaction(async (tx) => {
    const h = await loadHousehold(tx, ctx, householdId);
    const before = await readVisit(tx, h.countyCode, householdId, visitId);
    if (!before.followUps) throw new ValidationError([{ field: 'doneOn', zh: '这次走访没有后续事项，无需办结', en: 'This visit has no follow-ups to mark done' }]);
    if (before.followUpDoneOn) throw new Conflict({ zh: `后续事项已于 ${before.followUpDoneOn} 办结`, en: `The follow-ups were already done on ${before.followUpDoneOn}` }, before);
    fail(dayIssues('doneOn', input.doneOn, { zh: '办结日期', en: 'the day done' }, { required: true, today: today(), notBefore: { day: before.visitedOn, label: { zh: '走访日期', en: 'the visit date' } } }));
    await tx.query('UPDATE visits SET follow_up_done_on = $4 WHERE county_code = $1 AND household_id = $2 AND id = $3', [h.countyCode, householdId, visitId, input.doneOn]);
    const after = await readVisit(tx, h.countyCode, householdId, visitId);
    await audit(tx, ctx.actor, { action: 'follow_up_done', entity: 'visits', entityId: visitId, countyCode: h.countyCode, householdId, before, after });
    return after;
  });
}

export interface VisitFilters {
  area?: string;
  cadre?: number;
  from?: string;
  to?: string;
  /** Only visits whose follow-ups are still open. */
  openFollowUps?: boolean;
  page?: number;
  pageSize?: number;
}

function optionalPeriod(from?: string, to?: string): void {
  const issues = [
    ...dayIssues('from', from, { zh: '开始日期', en: 'the start date' }),
    ...dayIssues('to', to, { zh: '结束日期', en: 'the end date' }),
  ];
  if (!issues.length && from && to && from > to) issues.push({ field: 'to', value: to, zh: `结束日期 ${to} 早于开始日期 ${from}；请调换或改正`, en: `The end date ${to} is before the start date ${from}; swap or correct them` });
  fail(issues);
}

export async function listVisits(ctx: Ctx, f: VisitFilters): Promise<{ items: VisitView[]; total: number; page: number; pageSize: number }> {
  require(ctx, 'register.read');
  optionalPeriod(f.from, f.to);
  const area = await checkArea(ctx.db, ctx.actor, f.area);
  const q = params();
  const pattern = villagePattern(ctx.actor, area);
  const conds = [`h.village_code LIKE ${q.p(pattern)}`];
  if (pattern.length >= 7) conds.push(`s.county_code = ${q.p(pattern.slice(0, 6))}`);
  if (f.cadre !== undefined) conds.push(`s.cadre_id = ${q.p(f.cadre)}`);
  if (f.from) conds.push(`s.visited_on >= ${q.p(f.from)}::date`);
  if (f.to) conds.push(`s.visited_on <= ${q.p(f.to)}::date`);
  if (f.openFollowUps) conds.push(`s.follow_ups <> '' AND s.follow_up_done_on IS NULL`);
  const where = conds.join(' AND ');
  const pg = paging(f);
  const [n] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM visits s JOIN households h ON h.county_code = s.county_code AND h.id = s.household_id WHERE ${where}`, q.list);
  const order = f.openFollowUps ? 's.follow_up_due ASC NULLS LAST, s.visited_on DESC, s.id DESC' : 's.visited_on DESC, s.id DESC';
  const rows = await ctx.db.query<VisitView>(`SELECT ${cols} FROM ${from} WHERE ${where} ORDER BY ${order} ${pg.limit}`, q.list);
  const now = today();
  return { items: rows.map((r) => view(r, now)), total: Number(n?.n ?? 0), page: pg.page, pageSize: pg.pageSize };
}

export interface FrequencyRow {
  cadreId: number;
  cadreName: string;
  unitName: string;
  /** Households paired with the cadre at some time in the period (in the area). */
  householdsPaired: number;
  /** The cadre's visits in the period to households of the area. */
  visits: number;
  /** visits ÷ households paired ÷ months of the period, two decimals. */
  visitsPerHouseholdMonth: number | null;
  /** The cadre's latest visit up to the end of the period (any household of the area). */
  lastVisit: string | null;
  /** Households paired in the period that the cadre did not visit in it. */
  notVisited: number;
  notVisitedHouseholds: { householdId: number; householdNo: string; headName: string }[];
}

/** How the period was chosen: given by the caller, this year to today, or the latest year with a visit. */
export type PeriodBasis = 'given' | 'this_year' | 'latest_visit_year';

/**
 * The default period of the visit frequency, for an area whose latest recorded visit is `latestVisit`:
 * this year from 1 January to today; but when the area has no visit recorded this year and has
 * some earlier, the whole calendar year of its latest visit (a register kept up to an earlier year,
 * such as the demo data, or the first days of January), so the table is not silently empty.
 */
export function defaultVisitPeriod(now: string, latestVisit: string | null): { from: string; to: string; basis: PeriodBasis } {
  const year = now.slice(0, 4);
  if (latestVisit && latestVisit.slice(0, 4) < year) {
    const y = latestVisit.slice(0, 4);
    return { from: `${y}-01-01`, to: `${y}-12-31`, basis: 'latest_visit_year' };
  }
  return { from: `${year}-01-01`, to: now, basis: 'this_year' };
}

/**
 * Visit frequency per responsible cadre over [from, to] (default: defaultVisitPeriod; only `to`
 * given: 1 January of its year; only `from` given: to today):
 * the households paired with the cadre at some time in the period, the cadre's visits to households
 * of the area, visits per household per month (months counted exactly: each calendar month as the
 * share of its days in the period), the last visit, and the paired households not visited.
 */
export async function visitFrequency(
  ctx: Ctx,
  f: { area?: string; from?: string; to?: string },
): Promise<{ from: string; to: string; months: number; basis: PeriodBasis; latestVisit: string | null; items: FrequencyRow[] }> {
  require(ctx, 'register.read');
  const now = today();
  const given = f.from || f.to ? { to: f.to || now, from: f.from || `${(f.to || now).slice(0, 4)}-01-01`, basis: 'given' as const } : null;
  if (given) fail(periodIssues(given.from, given.to));
  const area = await checkArea(ctx.db, ctx.actor, f.area);
  const vp = villagePattern(ctx.actor, area);
  const [latest] = await ctx.db.query<{ d: string | null }>(
    `SELECT to_char(max(s.visited_on), 'YYYY-MM-DD') AS d FROM visits s JOIN households h ON h.county_code = s.county_code AND h.id = s.household_id
      WHERE h.village_code LIKE $1 ${vp.length >= 7 ? 'AND s.county_code = $2' : ''}`,
    vp.length >= 7 ? [vp, vp.slice(0, 6)] : [vp],
  );
  const latestVisit = latest?.d ?? null;
  const period = given ?? defaultVisitPeriod(now, latestVisit);
  const { from, to } = period;
  const q = params();
  const pattern = q.p(vp);
  const fromP = q.p(from);
  const toP = q.p(to);
  const rows = await ctx.db.query<{ cadreId: number; cadreName: string; unitName: string; householdsPaired: number; visits: number; lastVisit: string | null; notVisited: { householdId: number; householdNo: string; headName: string }[] | null }>(
    `WITH paired AS (
       SELECT DISTINCT p.county_code, p.cadre_id, p.household_id FROM pairings p
         JOIN households h ON h.county_code = p.county_code AND h.id = p.household_id AND h.village_code LIKE ${pattern}
        WHERE p.started_on <= ${toP}::date AND (p.ended_on IS NULL OR p.ended_on >= ${fromP}::date)),
     vis AS (
       SELECT s.county_code, s.cadre_id, s.household_id, s.visited_on FROM visits s
         JOIN households h ON h.county_code = s.county_code AND h.id = s.household_id AND h.village_code LIKE ${pattern}
        WHERE s.cadre_id IS NOT NULL AND s.visited_on <= ${toP}::date),
     cad AS (SELECT DISTINCT county_code, cadre_id FROM paired UNION SELECT DISTINCT county_code, cadre_id FROM vis WHERE visited_on >= ${fromP}::date)
     SELECT c.id AS "cadreId", c.name AS "cadreName", u.name AS "unitName",
            (SELECT count(*)::int FROM paired x WHERE x.county_code = cad.county_code AND x.cadre_id = cad.cadre_id) AS "householdsPaired",
            (SELECT count(*)::int FROM vis x WHERE x.county_code = cad.county_code AND x.cadre_id = cad.cadre_id AND x.visited_on >= ${fromP}::date) AS visits,
            (SELECT to_char(max(x.visited_on), 'YYYY-MM-DD') FROM vis x WHERE x.county_code = cad.county_code AND x.cadre_id = cad.cadre_id) AS "lastVisit",
            (SELECT jsonb_agg(jsonb_build_object('householdId', h.id, 'householdNo', h.household_no, 'headName', h.head_name) ORDER BY h.household_no)
               FROM paired x JOIN households h ON h.county_code = x.county_code AND h.id = x.household_id
              WHERE x.county_code = cad.county_code AND x.cadre_id = cad.cadre_id
                AND NOT EXISTS (SELECT 1 FROM vis y WHERE y.county_code = x.county_code AND y.cadre_id = x.cadre_id AND y.household_id = x.household_id AND y.visited_on >= ${fromP}::date)) AS "notVisited"
       FROM cad JOIN cadres c ON c.county_code = cad.county_code AND c.id = cad.cadre_id
       JOIN assistance_units u ON u.county_code = c.county_code AND u.id = c.unit_id
      ORDER BY u.name, c.name, c.id`,
    q.list,
  );
  const months = monthsInPeriod(from, to);
  return {
    from, to, months: Math.round(months * 100) / 100, basis: period.basis, latestVisit,
    items: rows.map((r) => {
      const nv = (r.notVisited ?? []).map((x) => ({ ...x, householdId: Number(x.householdId) }));
      return {
        cadreId: Number(r.cadreId), cadreName: r.cadreName, unitName: r.unitName,
        householdsPaired: Number(r.householdsPaired), visits: Number(r.visits),
        visitsPerHouseholdMonth: visitsPerHouseholdMonth(Number(r.visits), Number(r.householdsPaired), months),
        lastVisit: r.lastVisit, notVisited: nv.length, notVisitedHouseholds: nv,
      };
    }),
  };
}
