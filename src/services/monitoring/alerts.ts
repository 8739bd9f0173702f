// Monitoring alerts after a scan: the list (by area, status, rule and year), dismissal with a reason
// (audited), and the hook the cases service calls when it opens a monitoring case from an alert.
import type { Sql } from '../../db/client.js';
import { Conflict, NotFound, ValidationError, type FieldIssue } from '../../domain/errors.js';
import { isMonitoringRule, ruleLabel } from '../../domain/monitoring-rules.js';
import type { ResolvedParam, Text } from '../../domain/policy-types.js';
import { audit, inScope, require, scopeCounty, type Actor, type Ctx } from '../context.js';

export const ALERT_STATUSES = ['open', 'case_opened', 'dismissed', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_STATUS_LABELS: Record<AlertStatus, Text> = {
  open: { zh: '待处理', en: 'open' },
  case_opened: { zh: '已启动监测', en: 'case opened' },
  dismissed: { zh: '已排除', en: 'dismissed' },
  resolved: { zh: '已办结', en: 'resolved' },
};

const ALERT = { zh: '预警', en: 'alert' };
const AREA = { zh: '区划', en: 'area' };

export interface AlertView {
  id: number;
  countyCode: string;
  householdId: number;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string | null;
  rule: string;
  ruleLabel: Text;
  year: number;
  facts: Record<string, unknown>;
  params: ResolvedParam[];
  reason: Text;
  status: AlertStatus;
  statusLabel: Text;
  caseId: number | null;
  foundAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

interface AlertRow extends Omit<AlertView, 'ruleLabel' | 'statusLabel' | 'facts' | 'params' | 'reason'> {
  facts: unknown;
  params: unknown;
  reason: unknown;
}

const SELECT = `SELECT a.id, a.county_code AS "countyCode", a.household_id AS "householdId", h.household_no AS "householdNo",
  h.head_name AS "headName", h.village_code AS "villageCode", v.name AS "villageName", a.rule, a.year, a.facts, a.params, a.reason,
  a.status, a.case_id AS "caseId", a.found_at::text AS "foundAt", a.resolved_at::text AS "resolvedAt", a.resolved_by AS "resolvedBy", a.resolution
  FROM monitoring_alerts a
  JOIN households h ON h.county_code = a.county_code AND h.id = a.household_id
  LEFT JOIN areas v ON v.code = h.village_code`;

/** jsonb comes back parsed on both drivers; a string is parsed here in case a driver leaves it as text. */
function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

function view(r: AlertRow): AlertView {
  const status = r.status;
  return {
    ...r,
    id: Number(r.id),
    householdId: Number(r.householdId),
    year: Number(r.year),
    caseId: r.caseId === null ? null : Number(r.caseId),
    ruleLabel: ruleLabel(r.rule),
    facts: json(r.facts),
    params: json(r.params),
    reason: json(r.reason),
    statusLabel: ALERT_STATUS_LABELS[status] ?? { zh: status, en: status },
  };
}

export interface ListAlertsInput {
  area?: string;
  status?: string;
  rule?: string;
  year?: number;
  page?: number;
  pageSize?: number;
}

export interface AlertList {
  items: AlertView[];
  total: number;
  page: number;
  pageSize: number;
}

/** Alerts in an area the actor may see (register.read), newest first. */
export async function listAlerts(ctx: Ctx, input: ListAlertsInput = {}): Promise<AlertList> {
  require(ctx, 'register.read');
  const issues: FieldIssue[] = [];
  if (input.area !== undefined && !/^\d{2,12}$/.test(input.area)) issues.push({ field: 'area', value: input.area, zh: '区划代码应为 2–12 位数字', en: 'The area code must be 2–12 digits' });
  if (input.status !== undefined && !(ALERT_STATUSES as readonly string[]).includes(input.status)) {
    issues.push({ field: 'status', value: input.status, zh: `状态应为：${ALERT_STATUSES.join('、')}`, en: `The status must be one of: ${ALERT_STATUSES.join(', ')}` });
  }
  if (input.rule !== undefined && !isMonitoringRule(input.rule)) {
    issues.push({ field: 'rule', value: input.rule, zh: '没有这条规则；GET /api/v1/monitoring/rules 或 jingzhun monitor rules 列出全部规则', en: 'No such rule; GET /api/v1/monitoring/rules or `jingzhun monitor rules` lists them' });
  }
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? 20;
  if (!Number.isInteger(page) || page < 1) issues.push({ field: 'page', value: String(page), zh: '页码应为正整数', en: 'The page must be a positive whole number' });
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) issues.push({ field: 'pageSize', value: String(pageSize), zh: '每页条数应为 1–500', en: 'The page size must be 1–500' });
  if (issues.length) throw new ValidationError(issues);
  const area = input.area ?? (ctx.actor.areaCode === '*' ? '' : ctx.actor.areaCode);
  if (area !== '' && !inScope(ctx.actor, area)) throw new NotFound(AREA);
  const params: unknown[] = [];
  const $ = (v: unknown) => `$${params.push(v)}`;
  const conds: string[] = [];
  const county = area.length >= 6 ? area.slice(0, 6) : scopeCounty(ctx.actor);
  if (county) conds.push(`a.county_code = ${$(county)}`);
  if (area) conds.push(`h.village_code LIKE ${$(`${area}%`)}`);
  if (input.status) conds.push(`a.status = ${$(input.status)}`);
  if (input.rule) conds.push(`a.rule = ${$(input.rule)}`);
  if (input.year !== undefined) conds.push(`a.year = ${$(input.year)}`);
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const [t] = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM monitoring_alerts a JOIN households h ON h.county_code = a.county_code AND h.id = a.household_id ${where}`,
    params,
  );
  const rows = await ctx.db.query<AlertRow>(
    `${SELECT} ${where} ORDER BY a.found_at DESC, a.county_code, a.id DESC LIMIT ${$(pageSize)} OFFSET ${$((page - 1) * pageSize)}`,
    params,
  );
  return { items: rows.map(view), total: Number(t?.n ?? 0), page, pageSize };
}

/** One alert the actor may see (locked for update inside a transaction), or NotFound. */
async function loadAlert(db: Pick<Sql, 'query'>, actor: Actor, id: number, lock = false): Promise<AlertView> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(ALERT);
  const county = scopeCounty(actor);
  const [row] = await db.query<AlertRow>(
    `${SELECT} WHERE a.id = $1${county ? ' AND a.county_code = $2' : ''}${lock ? ' FOR UPDATE OF a' : ''}`,
    county ? [id, county] : [id],
  );
  if (!row || !inScope(actor, row.villageCode)) throw new NotFound(ALERT);
  return view(row);
}

export async function getAlert(ctx: Ctx, id: number): Promise<AlertView> {
  require(ctx, 'register.read');
  return loadAlert(ctx.db, ctx.actor, id);
}

function audited(a: AlertView) {
  return { rule: a.rule, year: a.year, householdId: a.householdId, status: a.status, caseId: a.caseId, resolution: a.resolution };
}

/** Dismisses an open alert with a reason (alerts.handle; audited). A dismissed alert is never reopened by a scan. */
export async function dismissAlert(ctx: Ctx, input: { id: number; reason: string }): Promise<AlertView> {
  require(ctx, 'alerts.handle');
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason || reason.length > 2000) {
    throw new ValidationError([{
      field: 'reason', value: reason.slice(0, 60),
      zh: '请填写排除理由（1–2000 个字符），如“入户核实：车辆为亲属借用，已登记说明”',
      en: 'Give the reason for dismissing (1–2,000 characters), e.g. "home visit: the vehicle belongs to a relative, noted"',
    }]);
  }
  return ctx.db.transaction(async (tx) => {
    const before = await loadAlert(tx, ctx.actor, input.id, true);
    if (before.status !== 'open') {
      const s = before.statusLabel;
      throw new Conflict({ zh: `该预警当前状态为“${s.zh}”，只能排除待处理的预警`, en: `The alert is ${s.en}; only open alerts can be dismissed` }, before);
    }
    await tx.query(
      `UPDATE monitoring_alerts SET status = 'dismissed', resolved_at = now(), resolved_by = $3, resolution = $4 WHERE county_code = $1 AND id = $2`,
      [before.countyCode, before.id, ctx.actor.username, reason],
    );
    const after = await loadAlert(tx, ctx.actor, input.id);
    await audit(tx, ctx.actor, {
      action: 'dismiss', entity: 'monitoring_alerts', entityId: before.id, countyCode: before.countyCode, householdId: before.householdId,
      before: audited(before), after: audited(after), note: reason.slice(0, 500),
    });
    return after;
  });
}

/**
 * For the cases service, inside its transaction (after its own role, scope and audit checks): marks
 * an open alert as turned into monitoring case `caseId`. Throws NotFound for no such alert in the
 * county and Conflict when it is not open. When `actor` is given the change is audited here too.
 */
export async function markAlertCaseOpened(
  tx: Sql,
  input: { countyCode: string; alertId: number; caseId: number; actor?: Actor },
): Promise<{ id: number; householdId: number; rule: string; year: number; status: 'case_opened'; caseId: number }> {
  const [cur] = await tx.query<{ id: number; householdId: number; rule: string; year: number; status: string }>(
    `SELECT id, household_id AS "householdId", rule, year, status FROM monitoring_alerts WHERE county_code = $1 AND id = $2 FOR UPDATE`,
    [input.countyCode, input.alertId],
  );
  if (!cur) throw new NotFound(ALERT);
  if (cur.status !== 'open') {
    const s = ALERT_STATUS_LABELS[cur.status as AlertStatus] ?? { zh: cur.status, en: cur.status };
    throw new Conflict({ zh: `该预警当前状态为“${s.zh}”，只能从待处理的预警启动监测`, en: `The alert is ${s.en}; a monitoring case can only be opened from an open alert` });
  }
  await tx.query(`UPDATE monitoring_alerts SET status = 'case_opened', case_id = $3 WHERE county_code = $1 AND id = $2`, [input.countyCode, input.alertId, input.caseId]);
  const out = { id: Number(cur.id), householdId: Number(cur.householdId), rule: cur.rule, year: Number(cur.year), status: 'case_opened' as const, caseId: input.caseId };
  if (input.actor) {
    await audit(tx, input.actor, {
      action: 'open_case', entity: 'monitoring_alerts', entityId: out.id, countyCode: input.countyCode, householdId: out.householdId,
      before: { status: cur.status, caseId: null }, after: { status: out.status, caseId: out.caseId },
    });
  }
  return out;
}
