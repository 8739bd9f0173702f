// 驻村工作队: a unit's work team stationed in a village over a period, its members and their roles
// (第一书记 first secretary, 队长 leader, 队员 member) over periods. A team has one first secretary at
// a time; a second open one is refused naming the current one.
import { Conflict, NotFound, type FieldIssue } from '../../domain/errors.js';
import { TEAM_ROLES, TEAM_ROLE_LABELS, isOneOf } from '../../domain/assistance/catalogue.js';
import { dayIssues } from '../../domain/assistance/pairing.js';
import type { Text } from '../../domain/policy-types.js';
import { audit, inScope, require, type Ctx } from '../context.js';
import { T, checkArea, fail, findCadre, idIssue, isUniqueViolation, paging, params, today, unitScope, villagePattern, type Query } from './shared.js';

export interface TeamMemberView {
  cadreId: number;
  name: string;
  role: string;
  roleLabel: Text;
  startedOn: string;
  endedOn: string | null;
}

export interface TeamView {
  id: number;
  countyCode: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  unitId: number;
  unitName: string;
  startedOn: string;
  endedOn: string | null;
  members: TeamMemberView[];
}

const teamCols = `t.id, t.county_code AS "countyCode", t.village_code AS "villageCode", v.name AS "villageName", tw.name AS "townshipName",
  t.unit_id AS "unitId", u.name AS "unitName", to_char(t.started_on, 'YYYY-MM-DD') AS "startedOn", to_char(t.ended_on, 'YYYY-MM-DD') AS "endedOn",
  coalesce((SELECT jsonb_agg(jsonb_build_object('cadreId', m.cadre_id, 'name', c.name, 'role', m.role,
      'startedOn', to_char(m.started_on, 'YYYY-MM-DD'), 'endedOn', to_char(m.ended_on, 'YYYY-MM-DD')) ORDER BY m.ended_on IS NOT NULL, m.role, m.started_on)
     FROM work_team_members m JOIN cadres c ON c.county_code = m.county_code AND c.id = m.cadre_id
    WHERE m.county_code = t.county_code AND m.team_id = t.id), '[]'::jsonb) AS members`;
const teamFrom = `work_teams t JOIN areas v ON v.code = t.village_code LEFT JOIN areas tw ON tw.code = v.parent_code
  JOIN assistance_units u ON u.county_code = t.county_code AND u.id = t.unit_id`;

function teamView(r: TeamView): TeamView {
  return {
    ...r, id: Number(r.id), unitId: Number(r.unitId),
    members: r.members.map((m) => ({ ...m, cadreId: Number(m.cadreId), roleLabel: isOneOf(TEAM_ROLES, m.role) ? TEAM_ROLE_LABELS[m.role] : { zh: m.role, en: m.role } })),
  };
}

export async function listWorkTeams(
  ctx: Ctx,
  f: { area?: string; unit?: number; state?: 'open' | 'ended'; page?: number; pageSize?: number },
): Promise<{ items: TeamView[]; total: number; page: number; pageSize: number }> {
  require(ctx, 'register.read');
  const area = await checkArea(ctx.db, ctx.actor, f.area);
  const q = params();
  const conds = [`t.village_code LIKE ${q.p(villagePattern(ctx.actor, area))}`];
  if (f.unit !== undefined) conds.push(`t.unit_id = ${q.p(f.unit)}`);
  if (f.state === 'open') conds.push('t.ended_on IS NULL');
  if (f.state === 'ended') conds.push('t.ended_on IS NOT NULL');
  const where = conds.join(' AND ');
  const pg = paging(f);
  const [n] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM work_teams t WHERE ${where}`, q.list);
  const rows = await ctx.db.query<TeamView>(`SELECT ${teamCols} FROM ${teamFrom} WHERE ${where} ORDER BY t.village_code, t.started_on DESC ${pg.limit}`, q.list);
  return { items: rows.map(teamView), total: Number(n?.n ?? 0), page: pg.page, pageSize: pg.pageSize };
}

async function readTeam(db: Query, ctx: Ctx, id: number, lock = false): Promise<TeamView> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(T.team);
  const [row] = await db.query<TeamView>(`SELECT ${teamCols} FROM ${teamFrom} WHERE t.id = $1 AND t.village_code LIKE $2`, [id, villagePattern(ctx.actor, undefined)]);
  if (!row) throw new NotFound(T.team);
  if (lock) await db.query('SELECT 1 FROM work_teams WHERE county_code = $1 AND id = $2 FOR UPDATE', [row.countyCode, id]);
  return teamView(row);
}

export async function getWorkTeam(ctx: Ctx, id: number): Promise<TeamView> {
  require(ctx, 'register.read');
  return readTeam(ctx.db, ctx, id);
}

export async function createWorkTeam(ctx: Ctx, input: { villageCode?: string; unitId?: number; startedOn?: string }): Promise<TeamView> {
  require(ctx, 'assistance.manage');
  const issues: FieldIssue[] = [];
  const village = String(input.villageCode ?? '');
  const [v] = await ctx.db.query('SELECT 1 FROM areas WHERE code = $1 AND level = 5', [village]);
  const villageOk = Boolean(v) && inScope(ctx.actor, village);
  if (!villageOk) {
    issues.push({ field: 'villageCode', value: village, zh: `村代码 ${village} 不存在或不在您的管辖范围内；请填写本辖区的 12 位村级代码`, en: `Village code ${village} does not exist or is outside your area; use a 12-digit village code in your area` });
  }
  const bad = idIssue('unitId', input.unitId, { zh: '派出工作队的帮扶单位', en: 'unit that sends the team' });
  issues.push(...bad);
  if (!bad.length) {
    const q = params();
    const [u] = await ctx.db.query<{ county: string }>(`SELECT u.county_code AS county FROM assistance_units u WHERE u.id = ${q.p(input.unitId)} AND ${unitScope(ctx.actor, 'u', q.p)}`, q.list);
    if (!u) issues.push({ field: 'unitId', value: String(input.unitId), zh: `帮扶单位 ${input.unitId} 不存在或不在您的管辖范围内`, en: `Unit ${input.unitId} does not exist or is outside your area` });
    else if (villageOk && u.county !== village.slice(0, 6)) issues.push({ field: 'unitId', value: String(input.unitId), zh: `帮扶单位属于旗县 ${u.county}，村 ${village} 在旗县 ${village.slice(0, 6)}；工作队只能派驻本旗县单位登记的村`, en: `The unit is registered in county ${u.county} but village ${village} is in county ${village.slice(0, 6)}; register the unit in the village's county` });
  }
  issues.push(...dayIssues('startedOn', input.startedOn, { zh: '进驻日期', en: 'the start date' }, { required: true, today: today() }));
  fail(issues);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      'INSERT INTO work_teams (county_code, village_code, unit_id, started_on) VALUES ($1, $2, $3, $4) RETURNING id',
      [village.slice(0, 6), village, input.unitId, input.startedOn],
    );
    const after = await readTeam(tx, ctx, Number(row!.id));
    await audit(tx, ctx.actor, { action: 'create', entity: 'work_teams', entityId: after.id, countyCode: after.countyCode, after });
    return after;
  });
}

export async function endWorkTeam(ctx: Ctx, id: number, input: { endedOn?: string }): Promise<TeamView> {
  require(ctx, 'assistance.manage');
  return ctx.db.transaction(async (tx) => {
    const before = await readTeam(tx, ctx, id, true);
    if (before.endedOn) throw new Conflict({ zh: `该工作队已于 ${before.endedOn} 撤离`, en: `The team already ended on ${before.endedOn}` }, before);
    fail(dayIssues('endedOn', input.endedOn, { zh: '撤离日期', en: 'the end date' }, { required: true, today: today(), notBefore: { day: before.startedOn, label: { zh: '进驻日期', en: 'the start date' } } }));
    // Members still serving leave with the team.
    await tx.query('UPDATE work_team_members SET ended_on = greatest($3::date, started_on) WHERE county_code = $1 AND team_id = $2 AND ended_on IS NULL', [before.countyCode, id, input.endedOn]);
    await tx.query('UPDATE work_teams SET ended_on = $3, updated_at = now() WHERE county_code = $1 AND id = $2', [before.countyCode, id, input.endedOn]);
    const after = await readTeam(tx, ctx, id);
    await audit(tx, ctx.actor, { action: 'end', entity: 'work_teams', entityId: id, countyCode: before.countyCode, before, after });
    return after;
  });
}

export async function addTeamMember(ctx: Ctx, teamId: number, input: { cadreId?: number; role?: string; startedOn?: string }): Promise<TeamView> {
  require(ctx, 'assistance.manage');
  return ctx.db.transaction(async (tx) => {
    const team = await readTeam(tx, ctx, teamId, true);
    if (team.endedOn) throw new Conflict({ zh: `该工作队已于 ${team.endedOn} 撤离，不能再增加队员`, en: `The team ended on ${team.endedOn}; no members can be added` }, team);
    const issues: FieldIssue[] = [...idIssue('cadreId', input.cadreId, { zh: '干部', en: 'cadre' })];
    if (!issues.length) {
      const c = await findCadre(tx, ctx, input.cadreId!);
      if (!c) issues.push({ field: 'cadreId', value: String(input.cadreId), zh: `干部 ${input.cadreId} 不存在或不在您的管辖范围内`, en: `Cadre ${input.cadreId} does not exist or is outside your area` });
      else if (c.countyCode !== team.countyCode) issues.push({ field: 'cadreId', value: String(input.cadreId), zh: `干部 ${c.name} 属于另一个旗县（${c.countyCode}）；工作队只能由本旗县（${team.countyCode}）登记的干部组成`, en: `Cadre ${c.name} is in another county (${c.countyCode}); a team is made of cadres registered in its county (${team.countyCode})` });
      else if (!c.active) issues.push({ field: 'cadreId', value: String(input.cadreId), zh: `干部 ${c.name} 已停用；请先恢复其在岗状态`, en: `Cadre ${c.name} is inactive; reactivate them first` });
    }
    if (!isOneOf(TEAM_ROLES, input.role)) {
      issues.push({ field: 'role', value: String(input.role ?? ''), zh: `角色应为以下之一：${TEAM_ROLES.map((r) => `${r} ${TEAM_ROLE_LABELS[r].zh}`).join('、')}`, en: `The role must be one of: ${TEAM_ROLES.join(', ')}` });
    }
    issues.push(...dayIssues('startedOn', input.startedOn, { zh: '到岗日期', en: 'the start date' }, { required: true, today: today(), notBefore: { day: team.startedOn, label: { zh: '工作队进驻日期', en: "the team's start date" } } }));
    fail(issues);
    const open = team.members.filter((m) => m.endedOn === null);
    const same = open.find((m) => m.cadreId === input.cadreId);
    if (same) throw new Conflict({ zh: `${same.name} 已是该工作队的${same.roleLabel.zh}（自 ${same.startedOn} 起）；如需换角色，请先结束现有任职`, en: `${same.name} already serves on this team as ${same.roleLabel.en} (since ${same.startedOn}); end that first to change the role` }, team);
    const secretary = open.find((m) => m.role === 'first_secretary');
    if (input.role === 'first_secretary' && secretary) {
      throw new Conflict({ zh: `该工作队已有第一书记 ${secretary.name}（自 ${secretary.startedOn} 起）；请先结束其任职`, en: `The team already has a first secretary, ${secretary.name} (since ${secretary.startedOn}); end that first` }, team);
    }
    try {
      await tx.query('INSERT INTO work_team_members (county_code, team_id, cadre_id, role, started_on) VALUES ($1, $2, $3, $4, $5)', [team.countyCode, teamId, input.cadreId, input.role, input.startedOn]);
    } catch (e) {
      if (isUniqueViolation(e)) throw new Conflict({ zh: `该干部已有一条 ${input.startedOn} 起的任职记录`, en: `The cadre already has a membership starting ${input.startedOn}` }, team);
      throw e;
    }
    const after = await readTeam(tx, ctx, teamId);
    await audit(tx, ctx.actor, { action: 'add_member', entity: 'work_teams', entityId: teamId, countyCode: team.countyCode, before: team.members, after: after.members });
    return after;
  });
}

export async function endTeamMember(ctx: Ctx, teamId: number, input: { cadreId?: number; endedOn?: string }): Promise<TeamView> {
  require(ctx, 'assistance.manage');
  return ctx.db.transaction(async (tx) => {
    const team = await readTeam(tx, ctx, teamId, true);
    const m = team.members.find((x) => x.cadreId === input.cadreId && x.endedOn === null);
    if (!m) throw new NotFound({ zh: '在任队员', en: 'serving member' });
    fail(dayIssues('endedOn', input.endedOn, { zh: '离岗日期', en: 'the end date' }, { required: true, today: today(), notBefore: { day: m.startedOn, label: { zh: '到岗日期', en: 'the start date' } } }));
    await tx.query('UPDATE work_team_members SET ended_on = $5 WHERE county_code = $1 AND team_id = $2 AND cadre_id = $3 AND started_on = $4', [team.countyCode, teamId, m.cadreId, m.startedOn, input.endedOn]);
    const after = await readTeam(tx, ctx, teamId);
    await audit(tx, ctx.actor, { action: 'end_member', entity: 'work_teams', entityId: teamId, countyCode: team.countyCode, before: team.members, after: after.members });
    return after;
  });
}
