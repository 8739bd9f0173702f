// 结对帮扶: a responsible cadre (帮扶责任人) paired with a household over a period. One open pairing
// per household (a second is refused naming the current cadre; the partial unique index
// pairings_open_uq backs this under concurrency); household and cadre in the same county; the
// start not in the future nor before the household's previous pairing ended; ending records the
// day and the reason.
import { Conflict, NotFound, type FieldIssue } from '../../domain/errors.js';
import { dayIssues, textIssues } from '../../domain/assistance/pairing.js';
import { labelOf } from '../../domain/codes.js';
import type { Text } from '../../domain/policy-types.js';
import { loadHousehold } from '../households.js';
import { audit, require, type Ctx } from '../context.js';
import { T, checkArea, fail, findCadre, idIssue, isUniqueViolation, paging, params, today, villagePattern, type Query } from './shared.js';

export interface PairingView {
  id: number;
  countyCode: string;
  householdId: number;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string;
  exitStatus: string;
  statusLabel: Text;
  cadreId: number;
  cadreName: string;
  unitId: number;
  unitName: string;
  startedOn: string;
  endedOn: string | null;
  endReason: string | null;
  createdBy: string;
}

const cols = `p.id, p.county_code AS "countyCode", p.household_id AS "householdId", h.household_no AS "householdNo", h.head_name AS "headName",
  h.village_code AS "villageCode", v.name AS "villageName", h.exit_status AS "exitStatus",
  p.cadre_id AS "cadreId", c.name AS "cadreName", c.unit_id AS "unitId", u.name AS "unitName",
  to_char(p.started_on, 'YYYY-MM-DD') AS "startedOn", to_char(p.ended_on, 'YYYY-MM-DD') AS "endedOn", p.end_reason AS "endReason", p.created_by AS "createdBy"`;
const from = `pairings p JOIN households h ON h.county_code = p.county_code AND h.id = p.household_id JOIN areas v ON v.code = h.village_code
  JOIN cadres c ON c.county_code = p.county_code AND c.id = p.cadre_id JOIN assistance_units u ON u.county_code = c.county_code AND u.id = c.unit_id`;

export function statusLabel(code: string): Text {
  return { zh: labelOf('exitStatus', code, 'zh'), en: labelOf('exitStatus', code, 'en') };
}

function view(r: PairingView): PairingView {
  return { ...r, id: Number(r.id), householdId: Number(r.householdId), cadreId: Number(r.cadreId), unitId: Number(r.unitId), statusLabel: statusLabel(r.exitStatus) };
}

export interface PairingFilters {
  area?: string;
  unit?: number;
  cadre?: number;
  household?: number;
  state?: 'open' | 'ended';
  /** The start of a household number, head name or cadre name. */
  q?: string;
  page?: number;
  pageSize?: number;
}

export async function listPairings(ctx: Ctx, f: PairingFilters): Promise<{ items: PairingView[]; total: number; page: number; pageSize: number }> {
  require(ctx, 'register.read');
  const area = await checkArea(ctx.db, ctx.actor, f.area);
  const q = params();
  const pattern = villagePattern(ctx.actor, area);
  const conds = [`h.village_code LIKE ${q.p(pattern)}`];
  if (pattern.length >= 7) conds.push(`p.county_code = ${q.p(pattern.slice(0, 6))}`);
  if (f.unit !== undefined) conds.push(`c.unit_id = ${q.p(f.unit)}`);
  if (f.cadre !== undefined) conds.push(`p.cadre_id = ${q.p(f.cadre)}`);
  if (f.household !== undefined) conds.push(`p.household_id = ${q.p(f.household)}`);
  if (f.state === 'open') conds.push('p.ended_on IS NULL');
  if (f.state === 'ended') conds.push('p.ended_on IS NOT NULL');
  if (f.q) {
    const like = q.p(`${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    conds.push(`(h.household_no LIKE ${like} OR h.head_name LIKE ${like} OR c.name LIKE ${like})`);
  }
  const where = conds.join(' AND ');
  const pg = paging(f);
  const [n] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from} WHERE ${where}`, q.list);
  const rows = await ctx.db.query<PairingView>(
    `SELECT ${cols} FROM ${from} WHERE ${where} ORDER BY p.ended_on IS NOT NULL, h.village_code, h.household_no, p.started_on DESC ${pg.limit}`,
    q.list,
  );
  return { items: rows.map(view), total: Number(n?.n ?? 0), page: pg.page, pageSize: pg.pageSize };
}

async function readPairing(db: Query, ctx: Ctx, id: number, lock = false): Promise<PairingView> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(T.pairing);
  const [row] = await db.query<PairingView>(`SELECT ${cols} FROM ${from} WHERE p.id = $1 AND h.village_code LIKE $2`, [id, villagePattern(ctx.actor, undefined)]);
  if (!row) throw new NotFound(T.pairing);
  if (lock) await db.query('SELECT 1 FROM pairings WHERE county_code = $1 AND id = $2 FOR UPDATE', [row.countyCode, id]);
  return view(row);
}

export async function getPairing(ctx: Ctx, id: number): Promise<PairingView> {
  require(ctx, 'register.read');
  return readPairing(ctx.db, ctx, id);
}

function openConflict(cur: PairingView): Conflict {
  return new Conflict(
    {
      zh: `户编号 ${cur.householdNo}（户主 ${cur.headName}）已有帮扶责任人 ${cur.cadreName}（${cur.unitName}，自 ${cur.startedOn} 起）；一户同时只能有一名帮扶责任人，请先结束现有结对再重新结对`,
      en: `Household ${cur.householdNo} (head ${cur.headName}) already has a responsible cadre, ${cur.cadreName} (${cur.unitName}, since ${cur.startedOn}); a household has one at a time — end that pairing first`,
    },
    cur,
  );
}

export async function createPairing(ctx: Ctx, input: { householdId?: number; cadreId?: number; startedOn?: string }): Promise<PairingView> {
  require(ctx, 'assistance.manage');
  const hid = Number(input.householdId);
  const issues: FieldIssue[] = [...idIssue('householdId', input.householdId, { zh: '农户', en: 'household' })];
  issues.push(...idIssue('cadreId', input.cadreId, { zh: '帮扶责任人', en: 'responsible cadre' }));
  fail(issues);
  return ctx.db.transaction(async (tx) => {
    const h = await loadHousehold(tx, ctx, hid, true);
    const c = await findCadre(tx, ctx, input.cadreId!);
    if (!c) issues.push({ field: 'cadreId', value: String(input.cadreId), zh: `干部 ${input.cadreId} 不存在或不在您的管辖范围内；请从干部列表中选择`, en: `Cadre ${input.cadreId} does not exist or is outside your area; choose one from the list of cadres` });
    else if (c.countyCode !== h.countyCode) {
      issues.push({ field: 'cadreId', value: String(input.cadreId), zh: `干部 ${c.name} 属于旗县 ${c.countyCode}，农户在旗县 ${h.countyCode}；帮扶责任人须与农户在同一旗县`, en: `Cadre ${c.name} is registered in county ${c.countyCode} but the household is in county ${h.countyCode}; the responsible cadre must be of the household's county` });
    } else if (!c.active) issues.push({ field: 'cadreId', value: String(input.cadreId), zh: `干部 ${c.name} 已停用，不能结对；请选择在岗干部`, en: `Cadre ${c.name} is inactive and cannot be paired; choose an active cadre` });
    const [last] = await tx.query<{ ended: string | null }>(
      `SELECT to_char(max(ended_on), 'YYYY-MM-DD') AS ended FROM pairings WHERE county_code = $1 AND household_id = $2 AND ended_on IS NOT NULL`,
      [h.countyCode, hid],
    );
    issues.push(...dayIssues('startedOn', input.startedOn, { zh: '结对日期', en: 'the pairing start date' }, {
      required: true, today: today(), notBefore: last?.ended ? { day: last.ended, label: { zh: '上一次结对的结束日期', en: 'the end of the previous pairing' } } : null,
    }));
    fail(issues);
    const [open] = await tx.query<{ id: number }>('SELECT id FROM pairings WHERE county_code = $1 AND household_id = $2 AND ended_on IS NULL', [h.countyCode, hid]);
    if (open) throw openConflict(await readPairing(tx, ctx, Number(open.id)));
    let id: number;
    try {
      const [row] = await tx.query<{ id: number }>(
        'INSERT INTO pairings (county_code, cadre_id, household_id, started_on, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [h.countyCode, input.cadreId, hid, input.startedOn, ctx.actor.username],
      );
      id = Number(row!.id);
    } catch (e) {
      if (isUniqueViolation(e)) throw new Conflict({ zh: '该户刚刚已由他人结对帮扶责任人；请刷新后查看', en: 'Someone has just paired a cadre with this household; reload to see it' });
      throw e;
    }
    const after = await readPairing(tx, ctx, id);
    await audit(tx, ctx.actor, { action: 'create', entity: 'pairings', entityId: id, countyCode: h.countyCode, householdId: hid, after });
    return after;
  });
}

export async function endPairing(ctx: Ctx, id: number, input: { endedOn?: string; reason?: string }): Promise<PairingView> {
  require(ctx, 'assistance.manage');
  return ctx.db.transaction(async (tx) => {
    const before = await readPairing(tx, ctx, id, true);
    if (before.endedOn) throw new Conflict({ zh: `该结对已于 ${before.endedOn} 结束（${before.endReason ?? ''}）`, en: `The pairing already ended on ${before.endedOn} (${before.endReason ?? ''})` }, before);
    fail([
      ...dayIssues('endedOn', input.endedOn, { zh: '结束日期', en: 'the end date' }, { required: true, today: today(), notBefore: { day: before.startedOn, label: { zh: '结对日期', en: 'the pairing start date' } } }),
      ...textIssues('reason', input.reason, { zh: '结束原因（如干部调动、农户稳定脱贫）', en: 'the reason for ending (e.g. the cadre moved, the household is stably out of poverty)' }, 500),
    ]);
    await tx.query('UPDATE pairings SET ended_on = $3, end_reason = $4, updated_at = now() WHERE county_code = $1 AND id = $2', [before.countyCode, id, input.endedOn, input.reason!.trim()]);
    const after = await readPairing(tx, ctx, id);
    await audit(tx, ctx.actor, { action: 'end', entity: 'pairings', entityId: id, countyCode: before.countyCode, householdId: before.householdId, before, after });
    return after;
  });
}
