// 帮扶单位 and 帮扶干部: the county's assistance units and the cadres they send. Cadres carry a
// GB 11643 ID number (checked, unique in the county, masked in every output) so a cadre who is
// registered poor can be found (flags.ts, and the monitoring rule dq_cadre_registered_poor).
import { Conflict, NotFound, type FieldIssue } from '../../domain/errors.js';
import { UNIT_KINDS, UNIT_KIND_LABELS, UNIT_LEVELS, UNIT_LEVEL_LABELS, isOneOf } from '../../domain/assistance/catalogue.js';
import { textIssues } from '../../domain/assistance/pairing.js';
import { maskIdNumber, maskPhone, parseIdNumber } from '../../domain/idnumber.js';
import type { Text } from '../../domain/policy-types.js';
import { audit, inScope, require, type Ctx } from '../context.js';
import { idColumns, idHash, phoneColumns } from '../pii.js';
import {
  T, cadreScope, cadreWorksIn, checkArea, countyOverlaps, fail, findCadre, idIssue, isUniqueViolation, loadCadre, paging, params, trimOrNull, unitScope, type Query,
} from './shared.js';

export interface UnitView {
  id: number;
  countyCode: string;
  countyName: string;
  name: string;
  kind: string;
  kindLabel: Text;
  level: string;
  levelLabel: Text;
  contactName: string | null;
  contactPhone: string | null;
  cadres: number;
  openPairings: number;
}

export interface UnitInput {
  countyCode?: string;
  name?: string;
  kind?: string;
  level?: string;
  contactName?: string | null;
  contactPhone?: string | null;
}

const unitCols = `u.id, u.county_code AS "countyCode", a.name AS "countyName", u.name, u.kind, u.level,
  u.contact_name AS "contactName", u.contact_phone AS "contactPhone",
  (SELECT count(*)::int FROM cadres c WHERE c.county_code = u.county_code AND c.unit_id = u.id AND c.active) AS cadres,
  (SELECT count(*)::int FROM pairings p JOIN cadres c ON c.county_code = p.county_code AND c.id = p.cadre_id
    WHERE p.county_code = u.county_code AND c.unit_id = u.id AND p.ended_on IS NULL) AS "openPairings"`;

function unitView(r: UnitView): UnitView {
  return {
    ...r, id: Number(r.id),
    kindLabel: isOneOf(UNIT_KINDS, r.kind) ? UNIT_KIND_LABELS[r.kind] : { zh: r.kind, en: r.kind },
    levelLabel: isOneOf(UNIT_LEVELS, r.level) ? UNIT_LEVEL_LABELS[r.level] : { zh: r.level, en: r.level },
    contactPhone: r.contactPhone ? maskPhone(r.contactPhone) : null,
  };
}

export async function listUnits(ctx: Ctx, f: { area?: string; q?: string; page?: number; pageSize?: number }): Promise<{ items: UnitView[]; total: number; page: number; pageSize: number }> {
  require(ctx, 'register.read');
  const area = await checkArea(ctx.db, ctx.actor, f.area);
  const q = params();
  const conds = [unitScope(ctx.actor, 'u', q.p)];
  if (area) {
    conds.push(area.length <= 6 ? `u.county_code LIKE ${q.p(`${area}%`)}` : `u.county_code = ${q.p(area.slice(0, 6))}`);
    if (area.length > 6) {
      const pattern = q.p(`${area}%`);
      conds.push(`(EXISTS (SELECT 1 FROM work_teams ft WHERE ft.county_code = u.county_code AND ft.unit_id = u.id AND ft.village_code LIKE ${pattern})
        OR EXISTS (SELECT 1 FROM cadres fc WHERE fc.county_code = u.county_code AND fc.unit_id = u.id AND ${cadreWorksIn('fc', pattern)}))`);
    }
  }
  if (f.q?.trim()) conds.push(`u.name LIKE ${q.p(`%${f.q.trim().replace(/[%_\\]/g, (m) => `\\${m}`)}%`)}`);
  const where = conds.join(' AND ');
  const pg = paging(f);
  const [n] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM assistance_units u WHERE ${where}`, q.list);
  const rows = await ctx.db.query<UnitView>(
    `SELECT ${unitCols} FROM assistance_units u JOIN areas a ON a.code = u.county_code WHERE ${where} ORDER BY u.county_code, u.name ${pg.limit}`,
    q.list,
  );
  return { items: rows.map(unitView), total: Number(n?.n ?? 0), page: pg.page, pageSize: pg.pageSize };
}

async function readUnit(db: Query, ctx: Ctx, id: number): Promise<UnitView> {
  const q = params();
  const [row] = await db.query<UnitView>(
    `SELECT ${unitCols} FROM assistance_units u JOIN areas a ON a.code = u.county_code WHERE u.id = ${q.p(id)} AND ${unitScope(ctx.actor, 'u', q.p)}`,
    q.list,
  );
  if (!row) throw new NotFound(T.unit);
  return unitView(row);
}

export async function getUnit(ctx: Ctx, id: number): Promise<UnitView> {
  require(ctx, 'register.read');
  return readUnit(ctx.db, ctx, id);
}

function unitIssues(input: UnitInput, partial: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!partial || input.name !== undefined) issues.push(...textIssues('name', input.name, { zh: '单位名称', en: 'the unit name' }, 100));
  if (!partial || input.kind !== undefined) {
    if (!isOneOf(UNIT_KINDS, input.kind)) {
      issues.push({ field: 'kind', value: String(input.kind ?? ''), zh: `单位类型应为以下之一：${UNIT_KINDS.map((k) => `${k} ${UNIT_KIND_LABELS[k].zh}`).join('、')}`, en: `The unit kind must be one of: ${UNIT_KINDS.join(', ')}` });
    }
  }
  if (!partial || input.level !== undefined) {
    if (!isOneOf(UNIT_LEVELS, input.level)) {
      issues.push({ field: 'level', value: String(input.level ?? ''), zh: `单位层级应为以下之一：${UNIT_LEVELS.map((k) => `${k} ${UNIT_LEVEL_LABELS[k].zh}`).join('、')}`, en: `The unit level must be one of: ${UNIT_LEVELS.join(', ')}` });
    }
  }
  issues.push(...textIssues('contactName', input.contactName, { zh: '联系人', en: 'the contact name' }, 50, false));
  const phone = trimOrNull(input.contactPhone);
  if (phone && !/^[0-9+\-() ]{5,20}$/.test(phone)) {
    issues.push({ field: 'contactPhone', value: phone, zh: '联系电话只能含数字、+、-、括号和空格（5–20 位）', en: 'The contact phone may hold only digits, +, -, brackets and spaces (5–20 characters)' });
  }
  return issues;
}

function duplicateName(name: string): Conflict {
  return new Conflict({ zh: `本旗县已有名为“${name}”的帮扶单位；请换一个名称或修改已有单位`, en: `The county already has an assistance unit named "${name}"; use another name or edit that unit` });
}

export async function createUnit(ctx: Ctx, input: UnitInput): Promise<UnitView> {
  require(ctx, 'assistance.manage');
  const county = input.countyCode ?? (ctx.actor.areaCode !== '*' && ctx.actor.areaCode.length >= 6 ? ctx.actor.areaCode.slice(0, 6) : undefined);
  const issues = unitIssues(input, false);
  if (!county || !/^\d{6}$/.test(county)) {
    issues.unshift({ field: 'countyCode', value: county ?? '', zh: '请填写单位所属旗县的 6 位代码', en: 'Give the 6-digit code of the county the unit works in' });
  } else {
    const [a] = await ctx.db.query('SELECT 1 FROM areas WHERE code = $1 AND level = 3', [county]);
    if (!a || !countyOverlaps(ctx.actor, county)) {
      issues.unshift({ field: 'countyCode', value: county, zh: `旗县代码 ${county} 不存在或不在您的管辖范围内`, en: `County ${county} does not exist or is outside your area` });
    }
  }
  fail(issues);
  const name = input.name!.trim();
  return ctx.db.transaction(async (tx) => {
    let id: number;
    try {
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO assistance_units (county_code, name, kind, level, contact_name, contact_phone) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [county, name, input.kind, input.level, trimOrNull(input.contactName), trimOrNull(input.contactPhone)],
      );
      id = Number(row!.id);
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicateName(name);
      throw e;
    }
    const after = await readUnit(tx, ctx, id);
    await audit(tx, ctx.actor, { action: 'create', entity: 'assistance_units', entityId: id, countyCode: county, after });
    return after;
  });
}

export async function updateUnit(ctx: Ctx, id: number, input: UnitInput): Promise<UnitView> {
  require(ctx, 'assistance.manage');
  fail(unitIssues(input, true));
  return ctx.db.transaction(async (tx) => {
    const before = await readUnit(tx, ctx, id);
    const name = input.name?.trim() ?? before.name;
    try {
      await tx.query(
        `UPDATE assistance_units SET name = $3, kind = $4, level = $5, contact_name = $6, contact_phone = $7, updated_at = now() WHERE county_code = $1 AND id = $2`,
        [before.countyCode, id, name, input.kind ?? before.kind, input.level ?? before.level,
          input.contactName !== undefined ? trimOrNull(input.contactName) : before.contactName,
          input.contactPhone !== undefined ? trimOrNull(input.contactPhone) : (await tx.query<{ p: string | null }>('SELECT contact_phone AS p FROM assistance_units WHERE county_code = $1 AND id = $2', [before.countyCode, id]))[0]?.p ?? null],
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicateName(name);
      throw e;
    }
    const after = await readUnit(tx, ctx, id);
    await audit(tx, ctx.actor, { action: 'update', entity: 'assistance_units', entityId: id, countyCode: before.countyCode, before, after });
    return after;
  });
}

// --- cadres ------------------------------------------------------------------------------------

export interface CadreView {
  id: number;
  countyCode: string;
  unitId: number;
  unitName: string;
  name: string;
  /** Masked: 1505**********1234. */
  idNumber: string;
  phone: string | null;
  position: string | null;
  userId: number | null;
  active: boolean;
  openPairings: number;
  /** Current work-team roles: village and role. */
  teams: { teamId: number; villageCode: string; villageName: string; role: string }[];
}

export interface CadreInput {
  unitId?: number;
  name?: string;
  idNumber?: string;
  phone?: string | null;
  position?: string | null;
  userId?: number | null;
  active?: boolean;
}

const cadreCols = `c.id, c.county_code AS "countyCode", c.unit_id AS "unitId", u.name AS "unitName", c.name, c.id_masked AS "idNumber",
  c.phone_masked AS phone, c.position, c.user_id AS "userId", c.active,
  (SELECT count(*)::int FROM pairings p WHERE p.county_code = c.county_code AND p.cadre_id = c.id AND p.ended_on IS NULL) AS "openPairings",
  coalesce((SELECT jsonb_agg(jsonb_build_object('teamId', t.id, 'villageCode', t.village_code, 'villageName', v.name, 'role', m.role) ORDER BY t.id)
     FROM work_team_members m JOIN work_teams t ON t.county_code = m.county_code AND t.id = m.team_id JOIN areas v ON v.code = t.village_code
    WHERE m.county_code = c.county_code AND m.cadre_id = c.id AND m.ended_on IS NULL AND t.ended_on IS NULL), '[]'::jsonb) AS teams`;

function cadreView(r: CadreView): CadreView {
  return {
    ...r, id: Number(r.id), unitId: Number(r.unitId), userId: r.userId == null ? null : Number(r.userId),
    idNumber: maskIdNumber(r.idNumber), phone: r.phone ? maskPhone(r.phone) : null,
  };
}

export async function listCadres(
  ctx: Ctx,
  f: { area?: string; unit?: number; q?: string; active?: boolean; page?: number; pageSize?: number },
): Promise<{ items: CadreView[]; total: number; page: number; pageSize: number }> {
  require(ctx, 'register.read');
  const area = await checkArea(ctx.db, ctx.actor, f.area);
  const q = params();
  const conds = [cadreScope(ctx.actor, 'c', q.p)];
  if (area) {
    conds.push(area.length <= 6 ? `c.county_code LIKE ${q.p(`${area}%`)}` : `(c.county_code = ${q.p(area.slice(0, 6))} AND ${cadreWorksIn('c', q.p(`${area}%`))})`);
  }
  if (f.unit !== undefined) conds.push(`c.unit_id = ${q.p(f.unit)}`);
  if (f.active !== undefined) conds.push(`c.active = ${q.p(f.active)}`);
  if (f.q?.trim()) conds.push(`c.name LIKE ${q.p(`${f.q.trim().replace(/[%_\\]/g, (m) => `\\${m}`)}%`)}`);
  const where = conds.join(' AND ');
  const pg = paging(f);
  const [n] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cadres c WHERE ${where}`, q.list);
  const rows = await ctx.db.query<CadreView>(
    `SELECT ${cadreCols} FROM cadres c JOIN assistance_units u ON u.county_code = c.county_code AND u.id = c.unit_id
      WHERE ${where} ORDER BY c.county_code, u.name, c.name, c.id ${pg.limit}`,
    q.list,
  );
  return { items: rows.map(cadreView), total: Number(n?.n ?? 0), page: pg.page, pageSize: pg.pageSize };
}

async function readCadre(db: Query, ctx: Ctx, id: number): Promise<CadreView> {
  const c = await findCadre(db, ctx, id);
  if (!c) throw new NotFound(T.cadre);
  const [row] = await db.query<CadreView>(
    `SELECT ${cadreCols} FROM cadres c JOIN assistance_units u ON u.county_code = c.county_code AND u.id = c.unit_id WHERE c.county_code = $1 AND c.id = $2`,
    [c.countyCode, id],
  );
  return cadreView(row!);
}

export async function getCadre(ctx: Ctx, id: number): Promise<CadreView> {
  require(ctx, 'register.read');
  return readCadre(ctx.db, ctx, id);
}

async function cadreIssues(db: Query, ctx: Ctx, input: CadreInput, partial: boolean, county?: string, self?: number): Promise<{ issues: FieldIssue[]; county?: string; idNumber?: string }> {
  const issues: FieldIssue[] = [];
  let unitCounty = county;
  if (!partial || input.unitId !== undefined) {
    const bad = idIssue('unitId', input.unitId, { zh: '所属帮扶单位', en: 'unit the cadre belongs to' });
    if (bad.length) issues.push(...bad);
    else {
      const q = params();
      const [u] = await db.query<{ county: string }>(`SELECT u.county_code AS county FROM assistance_units u WHERE u.id = ${q.p(input.unitId)} AND ${unitScope(ctx.actor, 'u', q.p)}`, q.list);
      if (!u) issues.push({ field: 'unitId', value: String(input.unitId), zh: `帮扶单位 ${input.unitId} 不存在或不在您的管辖范围内；请从单位列表中选择`, en: `Unit ${input.unitId} does not exist or is outside your area; choose one from the list of units` });
      else if (county && u.county !== county) issues.push({ field: 'unitId', value: String(input.unitId), zh: `帮扶单位属于另一个旗县（${u.county}）；干部只能调到本旗县（${county}）的单位`, en: `That unit is in another county (${u.county}); a cadre can only move to a unit of their county (${county})` });
      else unitCounty = u.county;
    }
  }
  if (!partial || input.name !== undefined) issues.push(...textIssues('name', input.name, { zh: '干部姓名', en: "the cadre's name" }, 50));
  let idNumber: string | undefined;
  if (!partial || input.idNumber !== undefined) {
    const r = parseIdNumber(String(input.idNumber ?? ''));
    if (!r.ok) issues.push({ field: 'idNumber', value: input.idNumber ? maskIdNumber(String(input.idNumber)) : '', zh: r.problem.zh, en: r.problem.en });
    else {
      idNumber = r.id.value;
      if (unitCounty) {
        const [dup] = await db.query<{ name: string }>('SELECT name FROM cadres WHERE county_code = $1 AND id_hash = $2 AND id IS DISTINCT FROM $3::bigint', [unitCounty, idHash(idNumber), self ?? null]);
        if (dup) issues.push({ field: 'idNumber', value: maskIdNumber(idNumber), zh: `身份证号 ${maskIdNumber(idNumber)} 已登记为本旗县的帮扶干部 ${dup.name}；同一人只登记一次，请修改已有记录`, en: `ID ${maskIdNumber(idNumber)} is already the cadre ${dup.name} of this county; a person is listed once — edit that record` });
      }
    }
  }
  issues.push(...textIssues('position', input.position, { zh: '职务', en: 'the position' }, 50, false));
  const phone = trimOrNull(input.phone);
  if (phone && !/^[0-9+\-() ]{5,20}$/.test(phone)) {
    issues.push({ field: 'phone', value: phone, zh: '电话只能含数字、+、-、括号和空格（5–20 位）', en: 'The phone may hold only digits, +, -, brackets and spaces (5–20 characters)' });
  }
  if (input.userId != null) {
    const [u] = await db.query<{ area: string }>('SELECT area_code AS area FROM users WHERE id = $1', [input.userId]);
    // An account outside the actor's area, or not of the cadre's county, answers as if it did not exist: no hint of other counties' accounts.
    if (!u || !inScope(ctx.actor, u.area) || (unitCounty && !u.area.startsWith(unitCounty))) {
      issues.push({ field: 'userId', value: String(input.userId), zh: `账号 ${input.userId} 不存在；请选择干部本人的登录账号，或留空`, en: `Account ${input.userId} does not exist; choose the cadre's own login, or leave it empty` });
    }
  }
  if (input.active !== undefined && typeof input.active !== 'boolean') issues.push({ field: 'active', zh: '在岗应为 true 或 false', en: 'active must be true or false' });
  return { issues, county: unitCounty, idNumber };
}

export async function createCadre(ctx: Ctx, input: CadreInput): Promise<CadreView> {
  require(ctx, 'assistance.manage');
  const { issues, county, idNumber } = await cadreIssues(ctx.db, ctx, input, false);
  fail(issues);
  return ctx.db.transaction(async (tx) => {
    let id: number;
    try {
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO cadres (county_code, unit_id, name, id_hash, id_enc, id_masked, phone_enc, phone_masked, position, user_id, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, coalesce($11, true)) RETURNING id`,
        [county, input.unitId, input.name!.trim(), ...idColumns(idNumber!), ...phoneColumns(trimOrNull(input.phone)), trimOrNull(input.position),
          input.userId ?? null, input.active ?? null],
      );
      id = Number(row!.id);
    } catch (e) {
      if (isUniqueViolation(e)) throw new Conflict({ zh: `身份证号 ${maskIdNumber(idNumber!)} 已登记为本旗县的帮扶干部`, en: `ID ${maskIdNumber(idNumber!)} is already a cadre of this county` });
      throw e;
    }
    const after = await readCadre(tx, ctx, id);
    await audit(tx, ctx.actor, { action: 'create', entity: 'cadres', entityId: id, countyCode: county, after });
    return after;
  });
}

export async function updateCadre(ctx: Ctx, id: number, input: CadreInput): Promise<CadreView> {
  require(ctx, 'assistance.manage');
  const current = await loadCadre(ctx.db, ctx, id);
  const { issues, idNumber } = await cadreIssues(ctx.db, ctx, input, true, current.countyCode, id);
  fail(issues);
  return ctx.db.transaction(async (tx) => {
    const before = await readCadre(tx, ctx, id);
    const set: string[] = [];
    const vals: unknown[] = [current.countyCode, id];
    const put = (col: string, v: unknown) => set.push(`${col} = $${vals.push(v)}`);
    if (input.unitId !== undefined) put('unit_id', input.unitId);
    if (input.name !== undefined) put('name', input.name.trim());
    if (idNumber !== undefined) idColumns(idNumber).forEach((v, i) => put(['id_hash', 'id_enc', 'id_masked'][i]!, v));
    if (input.phone !== undefined) phoneColumns(trimOrNull(input.phone)).forEach((v, i) => put(['phone_enc', 'phone_masked'][i]!, v));
    if (input.position !== undefined) put('position', trimOrNull(input.position));
    if (input.userId !== undefined) put('user_id', input.userId);
    if (input.active !== undefined) put('active', input.active);
    if (set.length) await tx.query(`UPDATE cadres SET ${set.join(', ')}, updated_at = now() WHERE county_code = $1 AND id = $2`, vals);
    const after = await readCadre(tx, ctx, id);
    await audit(tx, ctx.actor, { action: 'update', entity: 'cadres', entityId: id, countyCode: current.countyCode, before, after });
    return after;
  });
}
