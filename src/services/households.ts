// Households: the register's one writer for single records (bulk paths: imports, seed).
import type { Sql } from '../db/client.js';
import { Conflict, NotFound, ValidationError, type FieldIssue } from '../domain/errors.js';
import { HEAD_RELATION, countyOf, type HouseholdInput, type MemberInput } from '../domain/register.js';
import { validateHouseholdFields, validateMemberFields } from '../domain/validate.js';
import { sentStatusIssues } from '../domain/register-status.js';
import { maskIdNumber, maskPhone, parseIdNumber } from '../domain/idnumber.js';
import { audit, inScope, require, scopeCounty, scopePattern, type Ctx } from './context.js';
import { householdCols, memberCols, yearCols, selectList } from './households-sql.js';
import { listYears, type YearView } from './household-years.js';
import { idColumns, idHash, openId, openPhone, phoneColumns } from './pii.js';

const HOUSEHOLD = { zh: '农户', en: 'household' };

export interface HouseholdRow extends HouseholdInput {
  id: number;
  countyCode: string;
  headName: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface MemberRow extends MemberInput {
  id: number;
  householdId: number;
}

export interface HouseholdListItem {
  id: number;
  householdNo: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  headName: string;
  headIdNumber: string;
  size: number;
  attribute: string;
  exitStatus: string;
  mainCause: string | null;
  identifiedOn: string | null;
  exitYear: number | null;
  perCapitaIncome: number | null;
  version: number;
}

export interface ListFilters {
  area?: string;
  status?: string;
  attribute?: string;
  cause?: string;
  /** With a year: status and income of that year, households with a record that year. */
  year?: number;
  /** Head or member name (prefix), household number, or ID number. */
  q?: string;
  sort?: 'householdNo' | 'headName' | 'size' | 'perCapitaIncome' | 'identifiedOn' | 'exitYear';
  order?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
}

const sortColumns: Record<NonNullable<ListFilters['sort']>, string> = {
  householdNo: 'h.household_no',
  headName: 'h.head_name',
  size: 'size',
  perCapitaIncome: 'per_capita_income',
  identifiedOn: 'h.identified_on',
  exitYear: 'h.exit_year',
};

/** Builds the WHERE clause shared by list and export-of-current-filter. */
export function householdFilter(ctx: Ctx, f: ListFilters): { where: string; params: unknown[]; yearJoin: string } {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  // The narrowest area decides: an area inside the actor's scope replaces the scope, and a county
  // is just its county_code (a household's county_code is its village's first six digits), which
  // lets the count be an index-only scan instead of a bitmap AND of two indexes (~2× faster).
  const area = f.area && inScope(ctx.actor, f.area) ? f.area : undefined;
  const conds: string[] = [];
  const county = area && area.length >= 6 ? area.slice(0, 6) : scopeCounty(ctx.actor);
  if (county) conds.push(`h.county_code = ${p(county)}`);
  if (area) {
    if (area.length !== 6) conds.push(`h.village_code LIKE ${p(`${area}%`)}`);
  } else if (!county || ctx.actor.areaCode.length !== 6) {
    conds.push(`h.village_code LIKE ${p(scopePattern(ctx.actor))}`);
  }
  if (f.area && !area) conds.push('false'); // an area outside the scope: nothing (callers answer 404 first)
  let yearJoin = '';
  if (f.year) {
    yearJoin = `JOIN household_years y ON y.county_code = h.county_code AND y.household_id = h.id AND y.year = ${p(f.year)}`;
    if (f.status) conds.push(`y.status = ${p(f.status)}`);
  } else {
    yearJoin = `LEFT JOIN LATERAL (SELECT per_capita_income, household_size FROM household_years y
                 WHERE y.county_code = h.county_code AND y.household_id = h.id ORDER BY y.year DESC LIMIT 1) y ON true`;
    if (f.status) conds.push(`h.exit_status = ${p(f.status)}`);
  }
  if (f.attribute) conds.push(`h.attribute = ${p(f.attribute)}`);
  if (f.cause) conds.push(`(h.main_cause = ${p(f.cause)} OR ${p(f.cause)} = ANY(h.other_causes))`);
  const q = f.q?.trim();
  if (q) {
    const like = p(`${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`);
    const exact = p(q.toUpperCase());
    conds.push(`(h.head_name LIKE ${like} OR h.household_no = ${exact} OR EXISTS (
      SELECT 1 FROM members m WHERE m.county_code = h.county_code AND m.household_id = h.id
        AND (m.id_hash = ${p(idHash(searchedId(q)))} OR m.name LIKE ${like})))`);
  }
  return { where: conds.join(' AND '), params, yearJoin };
}

/** The ID number as stored, when the search text is one (a 15-digit number is upgraded, spaces dropped); else the text. */
function searchedId(q: string): string {
  const r = parseIdNumber(q.replace(/[\s\u3000]+/gu, ''));
  return r.ok ? r.id.value : q;
}

export async function listHouseholds(ctx: Ctx, f: ListFilters): Promise<{ items: HouseholdListItem[]; total: number; page: number; pageSize: number }> {
  require(ctx, 'register.read');
  if (f.area && !inScope(ctx.actor, f.area)) throw new NotFound({ zh: '区划', en: 'area' });
  const page = Math.max(1, f.page ?? 1);
  const pageSize = Math.min(500, Math.max(1, f.pageSize ?? 20));
  const { where, params, yearJoin } = householdFilter(ctx, f);
  const dir = f.order === 'desc' ? 'DESC' : 'ASC';
  // By household number: county first, so the (county_code, household_no) key walks in order
  // and a page of the whole city needs no sort of every household.
  const order = (f.sort ?? 'householdNo') === 'householdNo'
    ? `h.county_code ${dir}, h.household_no ${dir}`
    : `${sortColumns[f.sort!]} ${dir} NULLS LAST, h.id`;
  // Without a year the join is a LEFT JOIN LATERAL of at most one row: it cannot change the count.
  const countJoin = f.year ? yearJoin : '';
  const [count] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM households h ${countJoin} WHERE ${where}`, params);
  const rows = await ctx.db.query<HouseholdListItem>(
    `SELECT ${selectList} FROM households h ${yearJoin}
       JOIN areas v ON v.code = h.village_code LEFT JOIN areas t ON t.code = v.parent_code
      WHERE ${where} ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  return { items: rows.map((r) => ({ ...r, headIdNumber: r.headIdNumber ? maskIdNumber(r.headIdNumber) : '' })), total: count?.n ?? 0, page, pageSize };
}

/** Loads a household the actor may see, or NotFound (never a hint that it exists elsewhere). */
export async function loadHousehold(db: Pick<Sql, 'query'>, ctx: Ctx, id: number, lock = false): Promise<HouseholdRow> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(HOUSEHOLD);
  const params: unknown[] = [id, scopePattern(ctx.actor)];
  const county = scopeCounty(ctx.actor);
  if (county) params.push(county);
  const [row] = await db.query<HouseholdRow>(
    `SELECT ${householdCols} FROM households WHERE id = $1 AND village_code LIKE $2 ${county ? 'AND county_code = $3' : ''} ${lock ? 'FOR UPDATE' : ''}`,
    params,
  );
  if (!row) throw new NotFound(HOUSEHOLD);
  return row;
}

export function maskMember<T extends { idNumber: string; phone: string | null }>(m: T): T {
  return { ...m, idNumber: maskIdNumber(m.idNumber), phone: m.phone ? maskPhone(m.phone) : null };
}

export interface HouseholdFile extends HouseholdRow {
  members: MemberRow[];
  years: YearView[];
  area: { village: string; township: string; county: string };
}

export async function getHousehold(ctx: Ctx, id: number): Promise<HouseholdFile> {
  require(ctx, 'register.read');
  return readHousehold(ctx.db, ctx, id);
}

/** The household file read through `db` (a transaction inside a write, so it sees its own lock). */
async function readHousehold(db: Pick<Sql, 'query'>, ctx: Ctx, id: number): Promise<HouseholdFile> {
  const h = await loadHousehold(db, ctx, id);
  const members = await db.query<MemberRow>(
    `SELECT ${memberCols} FROM members WHERE county_code = $1 AND household_id = $2 ORDER BY relation, birth_date`,
    [h.countyCode, id],
  );
  const [area] = await db.query<{ village: string; township: string; county: string }>(
    `SELECT v.name AS village, t.name AS township, c.name AS county FROM areas v
       JOIN areas t ON t.code = v.parent_code JOIN areas c ON c.code = t.parent_code WHERE v.code = $1`,
    [h.villageCode],
  );
  return {
    ...h,
    phone: h.phone ? maskPhone(h.phone) : null,
    members: members.map(maskMember),
    years: await listYears(db, h),
    area: area ?? { village: '', township: '', county: '' },
  };
}

/** Full ID number and phone of one member, for a user who asked to see them; audited. */
export async function revealMember(ctx: Ctx, householdId: number, memberId: number): Promise<{ idNumber: string; phone: string | null }> {
  require(ctx, 'register.read');
  const h = await loadHousehold(ctx.db, ctx, householdId);
  const [m] = await ctx.db.query<{ idEnc: string; phoneEnc: string | null }>(
    `SELECT id_enc AS "idEnc", phone_enc AS "phoneEnc" FROM members WHERE county_code = $1 AND household_id = $2 AND id = $3`,
    [h.countyCode, householdId, memberId],
  );
  if (!m) throw new NotFound({ zh: '成员', en: 'member' });
  await ctx.db.transaction((tx) =>
    audit(tx, ctx.actor, { action: 'reveal', entity: 'members', entityId: memberId, countyCode: h.countyCode, householdId }),
  );
  return { idNumber: openId(m.idEnc), phone: openPhone(m.phoneEnc) };
}

function scopeIssue(villageCode: string): FieldIssue {
  return {
    field: 'villageCode',
    value: villageCode,
    zh: `村代码 ${villageCode} 不存在或不在您的管辖范围内；请填写本辖区的 12 位村级代码`,
    en: `Village code ${villageCode} does not exist or is outside your area; use a 12-digit village code in your area`,
  };
}

async function checkVillage(tx: Sql, ctx: Ctx, villageCode: string): Promise<FieldIssue[]> {
  const [v] = await tx.query('SELECT 1 FROM areas WHERE code = $1 AND level = 5', [villageCode]);
  return v && inScope(ctx.actor, villageCode) ? [] : [scopeIssue(villageCode)];
}

/** ID numbers already registered in another household (any county): names that household. */
export async function duplicatePeople(tx: Pick<Sql, 'query'>, idNumbers: string[], exceptHouseholdId?: number): Promise<FieldIssue[]> {
  if (!idNumbers.length) return [];
  const rows = await tx.query<{ id_masked: string; household_no: string; village: string; household_id: number }>(
    `SELECT m.id_masked, h.household_no, v.name AS village, h.id AS household_id FROM members m
       JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id
       JOIN areas v ON v.code = h.village_code
      WHERE m.id_hash = ANY($1) AND h.id IS DISTINCT FROM $2::bigint`,
    [idNumbers.map((n) => idHash(n)), exceptHouseholdId ?? null],
  );
  return rows.map((r) => ({
    field: 'idNumber',
    value: r.id_masked,
    zh: `身份证号 ${r.id_masked} 已登记在 ${r.village} 户编号 ${r.household_no} 的农户中；同一人不能在两户，请先从原户移出`,
    en: `ID ${r.id_masked} is already registered in household ${r.household_no} (${r.village}); a person cannot be in two households — remove them from that household first`,
  }));
}

function withPrefix(issues: FieldIssue[], prefix: string): FieldIssue[] {
  return issues.map((i) => ({ ...i, field: `${prefix}${i.field}` }));
}

export interface CreateHouseholdInput {
  household: Record<string, unknown>;
  members: Record<string, unknown>[];
}

export async function createHousehold(ctx: Ctx, input: CreateHouseholdInput): Promise<HouseholdFile> {
  require(ctx, 'register.write');
  const hv = validateHouseholdFields(input.household);
  const issues = withPrefix(hv.issues, 'household.');
  const members: MemberInput[] = [];
  input.members.forEach((m, i) => {
    const mv = validateMemberFields(m);
    issues.push(...withPrefix(mv.issues, `members.${i}.`));
    if (mv.value) members.push(mv.value);
  });
  if (!input.members.length) issues.push({ field: 'members', zh: '至少需要一名成员（户主）', en: 'At least one member (the head) is required' });
  issues.push(...memberSetIssues(members));
  const household = hv.value;
  if (issues.length || !household) throw new ValidationError(issues);
  const countyCode = countyOf(household.villageCode);
  const id = await ctx.db.transaction(async (tx) => {
    const more = withPrefix(await checkVillage(tx, ctx, household.villageCode), 'household.');
    for (const [i, m] of members.entries()) more.push(...withPrefix(await duplicatePeople(tx, [m.idNumber]), `members.${i}.`));
    const [dupNo] = await tx.query('SELECT 1 FROM households WHERE county_code = $1 AND household_no = $2', [countyCode, household.householdNo]);
    if (dupNo) more.push({ field: 'household.householdNo', value: household.householdNo, zh: `户编号 ${household.householdNo} 在本旗县已存在`, en: `Household number ${household.householdNo} already exists in this county` });
    if (more.length) throw new ValidationError(more);
    const head = members.find((m) => m.relation === HEAD_RELATION)!;
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO households (county_code, household_no, village_code, group_name, attribute, exit_status, main_cause, other_causes,
         head_name, identified_on, exit_year, phone_enc, phone_masked, assistance_unit, responsible_cadre, relocated)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) RETURNING id`,
      [countyCode, household.householdNo, household.villageCode, household.groupName, household.attribute, household.exitStatus, household.mainCause,
        household.otherCauses, head.name, household.identifiedOn, household.exitYear, ...phoneColumns(household.phone), household.assistanceUnit,
        household.responsibleCadre, household.relocated],
    );
    const hid = row!.id;
    for (const m of members) await insertMember(tx, countyCode, hid, m);
    await audit(tx, ctx.actor, { action: 'create', entity: 'households', entityId: hid, countyCode, householdId: hid,
      after: { ...household, phone: household.phone ? maskPhone(household.phone) : null, members: members.map(maskMember) } });
    return hid;
  });
  return getHousehold(ctx, id);
}

/** `idKey`: what identifies the person when the ID number is masked (its keyed hash). */
function memberSetIssues(members: (Pick<MemberInput, 'relation' | 'idNumber'> & { idKey?: string })[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const heads = members.filter((m) => m.relation === HEAD_RELATION).length;
  if (members.length && heads !== 1) {
    issues.push({ field: 'members', zh: `每户必须且只能有一名户主，现有 ${heads} 名`, en: `A household needs exactly one head; found ${heads}` });
  }
  const seen = new Map<string, number>();
  members.forEach((m, i) => {
    const key = m.idKey ?? idHash(m.idNumber);
    const j = seen.get(key);
    if (j !== undefined) issues.push({ field: `members.${i}.idNumber`, value: maskIdNumber(m.idNumber), zh: `与第 ${j + 1} 名成员身份证号重复`, en: `Same ID number as member ${j + 1}` });
    seen.set(key, i);
  });
  return issues;
}

async function insertMember(tx: Sql, countyCode: string, householdId: number, m: MemberInput): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO members (county_code, household_id, name, id_hash, id_enc, id_masked, relation, sex, birth_date, ethnicity, education, student_status,
       health, disability_grade, labour_ability, work_months, medical_insurance, critical_illness_insurance, pension_insurance, phone_enc, phone_masked)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21) RETURNING id`,
    [countyCode, householdId, m.name, ...idColumns(m.idNumber), m.relation, m.sex, m.birthDate, m.ethnicity, m.education, m.studentStatus, m.health,
      m.disabilityGrade, m.labourAbility, m.workMonths, m.medicalInsurance, m.criticalIllnessInsurance, m.pensionInsurance, ...phoneColumns(m.phone)],
  );
  return row!.id;
}

/** One member with the ID number and phone opened (for an edit that merges the stored values). */
async function fullMember(tx: Pick<Sql, 'query'>, countyCode: string, householdId: number, memberId: number): Promise<MemberRow | undefined> {
  const [m] = await tx.query<MemberRow & { idEnc: string; phoneEnc: string | null }>(
    `SELECT ${memberCols}, id_enc AS "idEnc", phone_enc AS "phoneEnc" FROM members WHERE county_code = $1 AND household_id = $2 AND id = $3`,
    [countyCode, householdId, memberId],
  );
  if (!m) return undefined;
  const { idEnc, phoneEnc, ...rest } = m;
  return { ...rest, idNumber: openId(idEnc), phone: openPhone(phoneEnc) };
}

/** Checks the version the client read; a stale one gets 409 with the current record. */
export async function checkVersion(tx: Pick<Sql, 'query'>, ctx: Ctx, h: HouseholdRow, version: unknown): Promise<void> {
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new ValidationError([{ field: 'version', zh: '缺少版本号 version（读取记录时得到的数字）', en: 'Missing version (the number you got when reading the record)' }]);
  }
  if (version !== h.version) {
    throw new Conflict(
      {
        zh: `该户已被他人修改（您读取的是第 ${version} 版，当前为第 ${h.version} 版）；请重新加载后再修改`,
        en: `Someone else changed this household (you read version ${version}, it is now ${h.version}); reload and edit again`,
      },
      await readHousehold(tx, ctx, h.id),
    );
  }
}

async function bumpVersion(tx: Sql, h: HouseholdRow): Promise<void> {
  await tx.query('UPDATE households SET version = version + 1, updated_at = now() WHERE county_code = $1 AND id = $2', [h.countyCode, h.id]);
}

export async function updateHousehold(ctx: Ctx, id: number, patch: Record<string, unknown> & { version?: unknown }): Promise<HouseholdFile> {
  require(ctx, 'register.write');
  await ctx.db.transaction(async (tx) => {
    const h = await loadHousehold(tx, ctx, id, true);
    await checkVersion(tx, ctx, h, patch.version);
    const { version: _v, ...fields } = patch;
    const before: Record<string, unknown> = {};
    for (const k of Object.keys(h)) before[k] = (h as unknown as Record<string, unknown>)[k];
    // The stored phone in full, so a patch without it keeps it and one with it is compared with it.
    const [stored] = await tx.query<{ phoneEnc: string | null }>('SELECT phone_enc AS "phoneEnc" FROM households WHERE county_code = $1 AND id = $2', [h.countyCode, id]);
    before.phone = openPhone(stored?.phoneEnc);
    // 脱贫标志, identification date and exit year follow from procedures: the rest of the record is
    // validated with the stored ones, and a sent value that differs is refused with the procedure
    // to use (the form sends them back unchanged, which is fine).
    const merged = { ...before, ...fields, exitStatus: h.exitStatus, identifiedOn: h.identifiedOn, exitYear: h.exitYear };
    const v = validateHouseholdFields(merged);
    const issues = [...v.issues, ...sentStatusIssues(h, fields)];
    if (v.value && v.value.villageCode !== h.villageCode) {
      if (countyOf(v.value.villageCode) !== h.countyCode) {
        issues.push({ field: 'villageCode', value: v.value.villageCode, zh: '农户不能直接迁往其他旗县；请在迁入旗县新建并在原旗县注销', en: 'A household cannot move to another county here; register it there and close it here' });
      } else issues.push(...(await checkVillage(tx, ctx, v.value.villageCode)));
    }
    if (v.value && v.value.householdNo !== h.householdNo) {
      const [dup] = await tx.query('SELECT 1 FROM households WHERE county_code = $1 AND household_no = $2', [h.countyCode, v.value.householdNo]);
      if (dup) issues.push({ field: 'householdNo', value: v.value.householdNo, zh: `户编号 ${v.value.householdNo} 在本旗县已存在`, en: `Household number ${v.value.householdNo} already exists in this county` });
    }
    if (issues.length || !v.value) throw new ValidationError(issues);
    const n = v.value;
    // exit_status, identified_on and exit_year are not in this statement: only a case's effects set them.
    await tx.query(
      `UPDATE households SET household_no = $3, village_code = $4, group_name = $5, attribute = $6, main_cause = $7,
         other_causes = $8, phone_enc = $9, phone_masked = $10, assistance_unit = $11, responsible_cadre = $12, relocated = $13,
         version = version + 1, updated_at = now()
       WHERE county_code = $1 AND id = $2`,
      [h.countyCode, id, n.householdNo, n.villageCode, n.groupName, n.attribute, n.mainCause, n.otherCauses, ...phoneColumns(n.phone), n.assistanceUnit,
        n.responsibleCadre, n.relocated],
    );
    const changedBefore: Record<string, unknown> = {};
    const changedAfter: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(n)) {
      if (JSON.stringify(before[k]) !== JSON.stringify(val)) {
        // The audit log keeps phones masked, like every other output.
        const shown = (x: unknown) => (k === 'phone' && typeof x === 'string' ? maskPhone(x) : x);
        changedBefore[k] = shown(before[k]);
        changedAfter[k] = shown(val);
      }
    }
    await audit(tx, ctx.actor, { action: 'update', entity: 'households', entityId: id, countyCode: h.countyCode, householdId: id, before: changedBefore, after: changedAfter });
  });
  return getHousehold(ctx, id);
}

export async function addMember(ctx: Ctx, householdId: number, body: Record<string, unknown> & { version?: unknown }): Promise<HouseholdFile> {
  require(ctx, 'register.write');
  await ctx.db.transaction(async (tx) => {
    const h = await loadHousehold(tx, ctx, householdId, true);
    await checkVersion(tx, ctx, h, body.version);
    const { version: _v, ...fields } = body;
    const mv = validateMemberFields(fields);
    if (!mv.value) throw new ValidationError(mv.issues);
    const m = mv.value;
    const issues = await duplicatePeople(tx, [m.idNumber]);
    if (m.relation === HEAD_RELATION) issues.push({ field: 'relation', zh: '该户已有户主；如需更换户主，请先修改原户主的关系', en: 'The household already has a head; change the current head’s relation first' });
    if (issues.length) throw new ValidationError(issues);
    const mid = await insertMember(tx, h.countyCode, householdId, m);
    await bumpVersion(tx, h);
    await audit(tx, ctx.actor, { action: 'create', entity: 'members', entityId: mid, countyCode: h.countyCode, householdId, after: maskMember(m) });
  });
  return getHousehold(ctx, householdId);
}

export async function updateMember(ctx: Ctx, householdId: number, memberId: number, body: Record<string, unknown> & { version?: unknown }): Promise<HouseholdFile> {
  require(ctx, 'register.write');
  await ctx.db.transaction(async (tx) => {
    const h = await loadHousehold(tx, ctx, householdId, true);
    await checkVersion(tx, ctx, h, body.version);
    const cur = await fullMember(tx, h.countyCode, householdId, memberId);
    if (!cur) throw new NotFound({ zh: '成员', en: 'member' });
    const { version: _v, ...fields } = body;
    const mv = validateMemberFields({ ...cur, ...fields });
    if (!mv.value) throw new ValidationError(mv.issues);
    const m = mv.value;
    const all = await tx.query<MemberRow & { idKey: string }>(`SELECT ${memberCols}, id_hash AS "idKey" FROM members WHERE county_code = $1 AND household_id = $2`, [h.countyCode, householdId]);
    const issues = memberSetIssues(all.map((x) => (x.id === memberId ? { ...x, ...m, idKey: idHash(m.idNumber) } : x)));
    if (m.idNumber !== cur.idNumber) issues.push(...(await duplicatePeople(tx, [m.idNumber])));
    if (issues.length) throw new ValidationError(issues);
    await tx.query(
      `UPDATE members SET name=$4, id_hash=$5, id_enc=$6, id_masked=$7, relation=$8, sex=$9, birth_date=$10, ethnicity=$11, education=$12,
         student_status=$13, health=$14, disability_grade=$15, labour_ability=$16, work_months=$17, medical_insurance=$18,
         critical_illness_insurance=$19, pension_insurance=$20, phone_enc=$21, phone_masked=$22, updated_at = now()
       WHERE county_code = $1 AND household_id = $2 AND id = $3`,
      [h.countyCode, householdId, memberId, m.name, ...idColumns(m.idNumber), m.relation, m.sex, m.birthDate, m.ethnicity, m.education, m.studentStatus,
        m.health, m.disabilityGrade, m.labourAbility, m.workMonths, m.medicalInsurance, m.criticalIllnessInsurance, m.pensionInsurance, ...phoneColumns(m.phone)],
    );
    if (m.relation === HEAD_RELATION) await tx.query('UPDATE households SET head_name = $3 WHERE county_code = $1 AND id = $2', [h.countyCode, householdId, m.name]);
    await bumpVersion(tx, h);
    await audit(tx, ctx.actor, { action: 'update', entity: 'members', entityId: memberId, countyCode: h.countyCode, householdId, before: maskMember(cur), after: maskMember(m) });
  });
  return getHousehold(ctx, householdId);
}

export async function removeMember(ctx: Ctx, householdId: number, memberId: number, version: unknown): Promise<HouseholdFile> {
  require(ctx, 'register.write');
  await ctx.db.transaction(async (tx) => {
    const h = await loadHousehold(tx, ctx, householdId, true);
    await checkVersion(tx, ctx, h, version);
    const [cur] = await tx.query<MemberRow>(`SELECT ${memberCols} FROM members WHERE county_code = $1 AND household_id = $2 AND id = $3`, [h.countyCode, householdId, memberId]);
    if (!cur) throw new NotFound({ zh: '成员', en: 'member' });
    if (cur.relation === HEAD_RELATION) throw new ValidationError([{ field: 'relation', zh: '不能删除户主；请先指定新户主', en: 'Cannot remove the head; name a new head first' }]);
    await tx.query('DELETE FROM members WHERE county_code = $1 AND id = $2', [h.countyCode, memberId]);
    await bumpVersion(tx, h);
    await audit(tx, ctx.actor, { action: 'delete', entity: 'members', entityId: memberId, countyCode: h.countyCode, householdId, before: maskMember(cur) });
  });
  return getHousehold(ctx, householdId);
}

export interface HistoryEntry {
  id: number;
  at: string;
  actorName: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
}

/** The household's change history from the audit log, newest first. */
export async function householdHistory(ctx: Ctx, id: number): Promise<HistoryEntry[]> {
  require(ctx, 'register.read');
  await loadHousehold(ctx.db, ctx, id);
  return ctx.db.query<HistoryEntry>(
    `SELECT id, at, actor_name AS "actorName", action, entity, entity_id AS "entityId", before, after, note
       FROM audit_log WHERE household_id = $1 AND action <> 'reveal' ORDER BY id DESC LIMIT 500`,
    [id],
  );
}

export { householdCols, memberCols, yearCols };
