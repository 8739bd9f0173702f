// 能人带动: capable persons, cooperatives and leading enterprises (leaders) and the households they
// bring along (leader_households), each link with its kind, period and expected yearly benefit.
// A household may be linked to the same leader again only for a period that does not overlap an
// earlier one (checked under a lock on the leader, so two clerks cannot both add it).
import { NotFound, type FieldIssue } from '../../domain/errors.js';
import { CHANNELS, CHANNEL_LABELS, LINK_KINDS, LINK_KIND_LABELS, isOneOf } from '../../domain/assistance/catalogue.js';
import { LEADER_KINDS, LEADER_KIND_LABELS, benefitIssues, periodIssues, periodsOverlap, phoneIssues } from '../../domain/assistance/links.js';
import { labelOf } from '../../domain/codes.js';
import { maskPhone } from '../../domain/idnumber.js';
import type { Text } from '../../domain/policy-types.js';
import { audit, scopePattern, type Actor, type Ctx } from '../context.js';
import {
  T, checkArea, escapeLike, fail, isUniqueViolation, paging, params, requireManage, requireRead, textIssues, today, trimOrNull, villageIssues, villageScope, type Query,
} from './shared.js';

export interface LeaderView {
  id: number;
  countyCode: string;
  countyName: string;
  /** null for aggregates-only roles. */
  name: string | null;
  kind: string;
  kindLabel: Text;
  villageCode: string;
  villageName: string;
  memberId: number | null;
  /** The registered person's name and household, when the leader is one (register.read). */
  memberName: string | null;
  memberHouseholdId: number | null;
  /** Masked. */
  contactPhone: string | null;
  channel: string;
  channelLabel: Text;
  note: string | null;
  /** Households brought along today. */
  currentHouseholds: number;
  /** Sum of the expected yearly benefit of the current links, yuan. */
  expectedBenefit: number;
  products: number;
  createdAt: string;
  updatedAt: string;
}

export interface LeaderInput {
  name?: string;
  kind?: string;
  villageCode?: string;
  memberId?: number | null;
  contactPhone?: string | null;
  channel?: string;
  note?: string | null;
}

interface Row extends Omit<LeaderView, 'kindLabel' | 'channelLabel'> {
  contactPhone: string | null;
}

const cols = (todayP: string) => `l.id, l.county_code AS "countyCode", c.name AS "countyName", l.name, l.kind, l.village_code AS "villageCode", v.name AS "villageName",
  l.member_id AS "memberId", m.name AS "memberName", m.household_id AS "memberHouseholdId", l.contact_phone AS "contactPhone", l.channel, l.note,
  (SELECT count(DISTINCT lh.household_id)::int FROM leader_households lh WHERE lh.county_code = l.county_code AND lh.leader_id = l.id
      AND lh.since <= ${todayP}::date AND (lh.until IS NULL OR lh.until >= ${todayP}::date)) AS "currentHouseholds",
  (SELECT coalesce(sum(lh.expected_benefit), 0)::float8 FROM leader_households lh WHERE lh.county_code = l.county_code AND lh.leader_id = l.id
      AND lh.since <= ${todayP}::date AND (lh.until IS NULL OR lh.until >= ${todayP}::date)) AS "expectedBenefit",
  (SELECT count(*)::int FROM ecommerce_products ep WHERE ep.county_code = l.county_code AND ep.leader_id = l.id) AS products,
  l.created_at::text AS "createdAt", l.updated_at::text AS "updatedAt"`;

const from = `FROM leaders l JOIN areas c ON c.code = l.county_code JOIN areas v ON v.code = l.village_code
  LEFT JOIN members m ON m.county_code = l.county_code AND m.id = l.member_id`;

/** SQL: leader `l` is visible (based in the area, or bringing along a household there). */
export function leaderScope(actor: Actor, l: string, p: (v: unknown) => string): string {
  return villageScope(actor, l, p, (pattern) => `EXISTS (SELECT 1 FROM leader_households sl JOIN households sh ON sh.county_code = sl.county_code AND sh.id = sl.household_id
      WHERE sl.county_code = ${l}.county_code AND sl.leader_id = ${l}.id AND sh.village_code LIKE ${pattern})`);
}

function view(r: Row, personal: boolean): LeaderView {
  const v: LeaderView = {
    ...r,
    id: Number(r.id),
    memberId: r.memberId == null ? null : Number(r.memberId),
    memberHouseholdId: r.memberHouseholdId == null ? null : Number(r.memberHouseholdId),
    kindLabel: isOneOf(LEADER_KINDS, r.kind) ? LEADER_KIND_LABELS[r.kind] : { zh: r.kind, en: r.kind },
    channelLabel: isOneOf(CHANNELS, r.channel) ? CHANNEL_LABELS[r.channel] : { zh: r.channel, en: r.channel },
    contactPhone: r.contactPhone ? maskPhone(r.contactPhone) : null,
    currentHouseholds: Number(r.currentHouseholds),
    expectedBenefit: Number(r.expectedBenefit),
    products: Number(r.products),
  };
  return personal ? v : { ...v, name: null, memberId: null, memberName: null, memberHouseholdId: null, contactPhone: null, note: null };
}

export interface LeaderCounts {
  leaders: number;
  byKind: { kind: string; label: Text; n: number }[];
  /** Distinct households brought along today by the leaders listed. */
  households: number;
  expectedBenefit: number;
}

export async function listLeaders(
  ctx: Ctx,
  f: { area?: string; kind?: string; channel?: string; q?: string; page?: number; pageSize?: number },
): Promise<{ items: LeaderView[]; total: number; page: number; pageSize: number; personal: boolean; counts: LeaderCounts }> {
  const personal = requireRead(ctx);
  const area = await checkArea(ctx.db, ctx.actor, f.area);
  const q = params();
  const conds = [leaderScope(ctx.actor, 'l', q.p)];
  if (area) conds.push(area.length <= 6 ? `l.county_code LIKE ${q.p(`${area}%`)}` : `l.village_code LIKE ${q.p(`${area}%`)}`);
  if (f.kind) conds.push(`l.kind = ${q.p(f.kind)}`);
  if (f.channel) conds.push(`l.channel = ${q.p(f.channel)}`);
  if (personal && f.q?.trim()) conds.push(`l.name LIKE ${q.p(`%${escapeLike(f.q.trim())}%`)}`);
  const where = conds.join(' AND ');
  const pg = paging(f);
  // today is the last parameter, only for the queries that use it (an unused parameter has no type).
  const day = `$${q.list.length + 1}`;
  const withDay = [...q.list, today()];
  const kinds = await ctx.db.query<{ kind: string; n: number }>(`SELECT l.kind, count(*)::int AS n FROM leaders l WHERE ${where} GROUP BY l.kind`, q.list);
  const [hh] = await ctx.db.query<{ n: number; b: number }>(
    `SELECT count(DISTINCT (lh.county_code, lh.household_id))::int AS n, coalesce(sum(lh.expected_benefit), 0)::float8 AS b
       FROM leader_households lh JOIN leaders l ON l.county_code = lh.county_code AND l.id = lh.leader_id
      WHERE ${where} AND lh.since <= ${day}::date AND (lh.until IS NULL OR lh.until >= ${day}::date)`,
    withDay,
  );
  const total = kinds.reduce((s, k) => s + Number(k.n), 0);
  const counts: LeaderCounts = {
    leaders: total,
    byKind: LEADER_KINDS.map((k) => ({ kind: k, label: LEADER_KIND_LABELS[k], n: Number(kinds.find((x) => x.kind === k)?.n ?? 0) })),
    households: Number(hh?.n ?? 0),
    expectedBenefit: Number(hh?.b ?? 0),
  };
  if (!personal) return { items: [], total, page: pg.page, pageSize: pg.pageSize, personal, counts };
  const rows = await ctx.db.query<Row>(`SELECT ${cols(day)} ${from} WHERE ${where} ORDER BY l.county_code, l.name, l.id ${pg.limit}`, withDay);
  return { items: rows.map((r) => view(r, true)), total, page: pg.page, pageSize: pg.pageSize, personal, counts };
}

async function readLeader(db: Query, ctx: Ctx, id: number, personal: boolean): Promise<LeaderView> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(T.leader);
  const q = params();
  const day = q.p(today());
  const [row] = await db.query<Row>(`SELECT ${cols(day)} ${from} WHERE l.id = ${q.p(id)} AND ${leaderScope(ctx.actor, 'l', q.p)}`, q.list);
  if (!row) throw new NotFound(T.leader);
  return view(row, personal);
}

export async function getLeader(ctx: Ctx, id: number): Promise<LeaderView> {
  const personal = requireRead(ctx);
  return readLeader(ctx.db, ctx, id, personal);
}

async function leaderIssues(db: Query, ctx: Ctx, input: LeaderInput, partial: boolean, county?: string): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  if (!partial || input.name !== undefined) issues.push(...textIssues('name', input.name, { zh: '名称', en: 'the name' }, 100));
  if (!partial || input.kind !== undefined) {
    if (!isOneOf(LEADER_KINDS, input.kind)) {
      issues.push({ field: 'kind', value: String(input.kind ?? ''), zh: `类型应为以下之一：${LEADER_KINDS.map((k) => `${k} ${LEADER_KIND_LABELS[k].zh}`).join('、')}`, en: `The kind must be one of: ${LEADER_KINDS.join(', ')}` });
    }
  }
  let villageCounty = county;
  if (!partial || input.villageCode !== undefined) {
    const bad = await villageIssues(db, ctx.actor, 'villageCode', input.villageCode, county);
    issues.push(...bad);
    if (!bad.length) villageCounty = String(input.villageCode).trim().slice(0, 6);
  }
  if (!partial || input.channel !== undefined) {
    if (!isOneOf(CHANNELS, input.channel)) {
      issues.push({ field: 'channel', value: String(input.channel ?? ''), zh: `产业渠道应为以下之一：${CHANNELS.map((k) => `${k} ${CHANNEL_LABELS[k].zh}`).join('、')}`, en: `The channel must be one of: ${CHANNELS.join(', ')}` });
    }
  }
  if (input.memberId != null) {
    const mid = input.memberId;
    if (!Number.isSafeInteger(mid) || mid <= 0) {
      issues.push({ field: 'memberId', value: String(mid), zh: '登记人员编号应为正整数，或留空', en: 'The registered person id must be a positive whole number, or empty' });
    } else if (villageCounty) {
      const [m] = await db.query('SELECT 1 FROM members WHERE county_code = $1 AND id = $2', [villageCounty, mid]);
      if (!m) {
        issues.push({ field: 'memberId', value: String(mid), zh: `人员 ${mid} 不在本旗县（${villageCounty}）的建档立卡名册中；请从名册中选择本人，或留空`, en: `Person ${mid} is not in the register of this county (${villageCounty}); choose them from the register, or leave it empty` });
      }
    }
  }
  issues.push(...phoneIssues('contactPhone', input.contactPhone));
  issues.push(...textIssues('note', input.note, { zh: '备注', en: 'the note' }, 1000, false));
  return issues;
}

/** Only a capable person can be a registered person. */
function memberKindIssues(kind: unknown, memberId: unknown): FieldIssue[] {
  if (memberId == null || !isOneOf(LEADER_KINDS, kind) || kind === 'person') return [];
  return [{ field: 'memberId', value: String(memberId), zh: '只有“致富带头人（能人）”可以关联登记人员；合作社和企业请清空该项', en: 'Only a capable person can be a registered person; clear it for a cooperative or enterprise' }];
}

function duplicate(name: string) {
  return [{ field: 'name', value: name, zh: `本旗县已有名为“${name}”的带头人/合作社；请换一个名称或修改已有记录`, en: `The county already has a leader named "${name}"; use another name or edit that record` }];
}

export async function createLeader(ctx: Ctx, input: LeaderInput): Promise<LeaderView> {
  requireManage(ctx);
  const issues = await leaderIssues(ctx.db, ctx, input, false);
  issues.push(...memberKindIssues(input.kind, input.memberId));
  fail(issues);
  const village = input.villageCode!.trim();
  const county = village.slice(0, 6);
  const name = input.name!.trim();
  return ctx.db.transaction(async (tx) => {
    const [dup] = await tx.query('SELECT 1 FROM leaders WHERE county_code = $1 AND name = $2', [county, name]);
    if (dup) fail(duplicate(name));
    let id: number;
    try {
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO leaders (county_code, name, kind, village_code, member_id, contact_phone, channel, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [county, name, input.kind, village, input.memberId ?? null, trimOrNull(input.contactPhone), input.channel, trimOrNull(input.note)],
      );
      id = Number(row!.id);
    } catch (e) {
      if (isUniqueViolation(e)) fail(duplicate(name));
      throw e;
    }
    const after = await readLeader(tx, ctx, id, true);
    await audit(tx, ctx.actor, { action: 'create', entity: 'leaders', entityId: id, countyCode: county, after });
    return after;
  });
}

export async function updateLeader(ctx: Ctx, id: number, input: LeaderInput): Promise<LeaderView> {
  requireManage(ctx);
  const current = await readLeader(ctx.db, ctx, id, true);
  const issues = await leaderIssues(ctx.db, ctx, input, true, current.countyCode);
  issues.push(...memberKindIssues(input.kind ?? current.kind, input.memberId !== undefined ? input.memberId : current.memberId));
  fail(issues);
  return ctx.db.transaction(async (tx) => {
    const before = await readLeader(tx, ctx, id, true);
    const set: string[] = [];
    const vals: unknown[] = [before.countyCode, id];
    const put = (col: string, v: unknown) => set.push(`${col} = $${vals.push(v)}`);
    if (input.name !== undefined) {
      const name = input.name.trim();
      const [dup] = await tx.query('SELECT 1 FROM leaders WHERE county_code = $1 AND name = $2 AND id <> $3', [before.countyCode, name, id]);
      if (dup) fail(duplicate(name));
      put('name', name);
    }
    if (input.kind !== undefined) put('kind', input.kind);
    if (input.villageCode !== undefined) put('village_code', input.villageCode.trim());
    if (input.memberId !== undefined) put('member_id', input.memberId);
    if (input.contactPhone !== undefined) put('contact_phone', trimOrNull(input.contactPhone));
    if (input.channel !== undefined) put('channel', input.channel);
    if (input.note !== undefined) put('note', trimOrNull(input.note));
    if (set.length) await tx.query(`UPDATE leaders SET ${set.join(', ')}, updated_at = now() WHERE county_code = $1 AND id = $2`, vals);
    const after = await readLeader(tx, ctx, id, true);
    await audit(tx, ctx.actor, { action: 'update', entity: 'leaders', entityId: id, countyCode: before.countyCode, before, after });
    return after;
  });
}

// --- households brought along -----------------------------------------------------------------

export interface LinkView {
  householdId: number;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string;
  /** 脱贫标志 now. */
  exitStatus: string;
  exitStatusLabel: Text;
  latestYear: number | null;
  latestPerCapitaIncome: number | null;
  linkKind: string;
  linkKindLabel: Text;
  since: string;
  until: string | null;
  current: boolean;
  expectedBenefit: number | null;
  note: string | null;
}

export interface LeaderHouseholds {
  leaderId: number;
  personal: boolean;
  counts: {
    /** Households brought along today (in your area). */
    current: number;
    /** Links that have ended (in your area). */
    ended: number;
    /** Links of households outside your area (not listed). */
    outsideArea: number;
    /** Sum of the expected yearly benefit of the current links, yuan. */
    expectedBenefit: number;
    byLinkKind: { linkKind: string; label: Text; n: number }[];
  };
  items: LinkView[];
}

interface LinkRow extends Omit<LinkView, 'exitStatusLabel' | 'linkKindLabel'> {
  inArea: boolean;
}

async function readLinks(db: Query, ctx: Ctx, leader: LeaderView, personal: boolean): Promise<LeaderHouseholds> {
  const day = today();
  const rows = await db.query<LinkRow>(
    `SELECT lh.household_id AS "householdId", h.household_no AS "householdNo", h.head_name AS "headName", h.village_code AS "villageCode", v.name AS "villageName",
            h.exit_status AS "exitStatus", y.year AS "latestYear", y.per_capita_income::float8 AS "latestPerCapitaIncome",
            lh.link_kind AS "linkKind", lh.since::text AS since, lh.until::text AS until,
            (lh.since <= $3::date AND (lh.until IS NULL OR lh.until >= $3::date)) AS current,
            lh.expected_benefit::float8 AS "expectedBenefit", lh.note, (h.village_code LIKE $4) AS "inArea"
       FROM leader_households lh
       JOIN households h ON h.county_code = lh.county_code AND h.id = lh.household_id
       JOIN areas v ON v.code = h.village_code
       LEFT JOIN LATERAL (SELECT hy.year, hy.per_capita_income FROM household_years hy
                           WHERE hy.county_code = h.county_code AND hy.household_id = h.id ORDER BY hy.year DESC LIMIT 1) y ON true
      WHERE lh.county_code = $1 AND lh.leader_id = $2
      ORDER BY current DESC, h.village_code, h.head_name, lh.since DESC`,
    [leader.countyCode, leader.id, day, scopePattern(ctx.actor)],
  );
  const visible = rows.filter((r) => r.inArea);
  const current = visible.filter((r) => r.current);
  const byKind = new Map<string, number>();
  for (const r of current) byKind.set(r.linkKind, (byKind.get(r.linkKind) ?? 0) + 1);
  const counts = {
    current: new Set(current.map((r) => Number(r.householdId))).size,
    ended: visible.filter((r) => !r.current).length,
    outsideArea: rows.length - visible.length,
    expectedBenefit: Math.round(current.reduce((s, r) => s + Number(r.expectedBenefit ?? 0), 0) * 100) / 100,
    byLinkKind: [...byKind].map(([k, n]) => ({ linkKind: k, label: isOneOf(LINK_KINDS, k) ? LINK_KIND_LABELS[k] : { zh: k, en: k }, n })),
  };
  const items: LinkView[] = personal
    ? visible.map(({ inArea: _inArea, ...r }) => ({
        ...r,
        householdId: Number(r.householdId),
        latestYear: r.latestYear == null ? null : Number(r.latestYear),
        latestPerCapitaIncome: r.latestPerCapitaIncome == null ? null : Number(r.latestPerCapitaIncome),
        expectedBenefit: r.expectedBenefit == null ? null : Number(r.expectedBenefit),
        exitStatusLabel: { zh: labelOf('exitStatus', r.exitStatus, 'zh'), en: labelOf('exitStatus', r.exitStatus, 'en') },
        linkKindLabel: isOneOf(LINK_KINDS, r.linkKind) ? LINK_KIND_LABELS[r.linkKind] : { zh: r.linkKind, en: r.linkKind },
      }))
    : [];
  return { leaderId: leader.id, personal, counts, items };
}

export async function leaderHouseholds(ctx: Ctx, id: number): Promise<LeaderHouseholds> {
  const personal = requireRead(ctx);
  const leader = await readLeader(ctx.db, ctx, id, personal);
  return readLinks(ctx.db, ctx, leader, personal);
}

export interface LinkInput {
  householdId?: number;
  linkKind?: string;
  since?: string;
  until?: string | null;
  expectedBenefit?: number | null;
  note?: string | null;
}

function overlapIssue(o: { since: string; until: string | null }): FieldIssue {
  const span = `${o.since} – ${o.until ?? '至今'}`;
  const spanEn = `${o.since} – ${o.until ?? 'now'}`;
  return {
    field: 'since',
    zh: `该户已由本带头人带动（${span}），与所填期间重叠；请先结束原带动关系或修改日期`,
    en: `This household is already brought along by this leader (${spanEn}), overlapping the period given; end that link first or change the dates`,
  };
}

/** Links a household to the leader (audited). Returns the leader's households. */
export async function linkHousehold(ctx: Ctx, leaderId: number, input: LinkInput): Promise<LeaderHouseholds> {
  requireManage(ctx);
  const leader = await readLeader(ctx.db, ctx, leaderId, true);
  const issues: FieldIssue[] = [];
  const hid = input.householdId;
  if (typeof hid !== 'number' || !Number.isSafeInteger(hid) || hid <= 0) {
    issues.push({ field: 'householdId', value: hid == null ? '' : String(hid), zh: '请选择被带动的农户', en: 'Choose the household brought along' });
  } else {
    const [h] = await ctx.db.query('SELECT 1 FROM households WHERE county_code = $1 AND id = $2', [leader.countyCode, hid]);
    if (!h) {
      issues.push({ field: 'householdId', value: String(hid), zh: `农户 ${hid} 不在带头人所在旗县（${leader.countyCode}）的名册中；只能带动本旗县的农户`, en: `Household ${hid} is not in the register of the leader's county (${leader.countyCode}); a leader brings along households of its own county only` });
    }
  }
  if (!isOneOf(LINK_KINDS, input.linkKind)) {
    issues.push({ field: 'linkKind', value: String(input.linkKind ?? ''), zh: `带动方式应为以下之一：${LINK_KINDS.map((k) => `${k} ${LINK_KIND_LABELS[k].zh}`).join('、')}`, en: `The link kind must be one of: ${LINK_KINDS.join(', ')}` });
  }
  issues.push(...periodIssues(input.since, input.until));
  issues.push(...benefitIssues('expectedBenefit', input.expectedBenefit));
  issues.push(...textIssues('note', input.note, { zh: '备注', en: 'the note' }, 1000, false));
  fail(issues);
  const until = input.until ? input.until : null;
  return ctx.db.transaction(async (tx) => {
    await tx.query('SELECT 1 FROM leaders WHERE county_code = $1 AND id = $2 FOR UPDATE', [leader.countyCode, leaderId]);
    const existing = await tx.query<{ since: string; until: string | null }>(
      'SELECT since::text AS since, until::text AS until FROM leader_households WHERE county_code = $1 AND leader_id = $2 AND household_id = $3 ORDER BY since',
      [leader.countyCode, leaderId, hid],
    );
    const clash = existing.find((o) => periodsOverlap(o, { since: input.since!, until }));
    if (clash) fail([overlapIssue(clash)]);
    const after = { leaderId, householdId: hid, linkKind: input.linkKind, since: input.since, until, expectedBenefit: input.expectedBenefit ?? null, note: trimOrNull(input.note) };
    await tx.query(
      `INSERT INTO leader_households (county_code, leader_id, household_id, link_kind, since, until, expected_benefit, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [leader.countyCode, leaderId, hid, input.linkKind, input.since, until, input.expectedBenefit ?? null, trimOrNull(input.note)],
    );
    await audit(tx, ctx.actor, { action: 'create', entity: 'leader_households', entityId: `${leaderId}:${hid}:${input.since}`, countyCode: leader.countyCode, householdId: hid!, after });
    return readLinks(tx, ctx, leader, true);
  });
}

export interface LinkUpdate {
  /** Which link: its start day. */
  since?: string;
  until?: string | null;
  linkKind?: string;
  expectedBenefit?: number | null;
  note?: string | null;
}

/** Changes a link (e.g. ends it with `until`), audited. */
export async function updateLink(ctx: Ctx, leaderId: number, householdId: number, input: LinkUpdate): Promise<LeaderHouseholds> {
  requireManage(ctx);
  const leader = await readLeader(ctx.db, ctx, leaderId, true);
  const issues = periodIssues(input.since, input.until);
  if (input.linkKind !== undefined && !isOneOf(LINK_KINDS, input.linkKind)) {
    issues.push({ field: 'linkKind', value: String(input.linkKind), zh: `带动方式应为以下之一：${LINK_KINDS.join('、')}`, en: `The link kind must be one of: ${LINK_KINDS.join(', ')}` });
  }
  issues.push(...benefitIssues('expectedBenefit', input.expectedBenefit));
  issues.push(...textIssues('note', input.note, { zh: '备注', en: 'the note' }, 1000, false));
  fail(issues);
  return ctx.db.transaction(async (tx) => {
    await tx.query('SELECT 1 FROM leaders WHERE county_code = $1 AND id = $2 FOR UPDATE', [leader.countyCode, leaderId]);
    const links = await tx.query<{ since: string; until: string | null; linkKind: string; expectedBenefit: number | null; note: string | null }>(
      `SELECT since::text AS since, until::text AS until, link_kind AS "linkKind", expected_benefit::float8 AS "expectedBenefit", note
         FROM leader_households WHERE county_code = $1 AND leader_id = $2 AND household_id = $3`,
      [leader.countyCode, leaderId, householdId],
    );
    const before = links.find((l) => l.since === input.since);
    if (!before) throw new NotFound({ zh: '带动关系', en: 'link' });
    const until = input.until === undefined ? before.until : input.until || null;
    if (until && until < before.since) {
      fail([{ field: 'until', value: until, zh: `结束日期 ${until} 早于开始日期 ${before.since}；请填写不早于开始日期的日期`, en: `End date ${until} is before the start date ${before.since}; use the start date or a later day` }]);
    }
    const clash = links.find((o) => o.since !== before.since && periodsOverlap(o, { since: before.since, until }));
    if (clash) fail([{ ...overlapIssue(clash), field: 'until' }]);
    const after = {
      ...before, until,
      linkKind: input.linkKind ?? before.linkKind,
      expectedBenefit: input.expectedBenefit === undefined ? before.expectedBenefit : input.expectedBenefit,
      note: input.note === undefined ? before.note : trimOrNull(input.note),
    };
    await tx.query(
      `UPDATE leader_households SET until = $5, link_kind = $6, expected_benefit = $7, note = $8, updated_at = now()
        WHERE county_code = $1 AND leader_id = $2 AND household_id = $3 AND since = $4`,
      [leader.countyCode, leaderId, householdId, before.since, after.until, after.linkKind, after.expectedBenefit, after.note],
    );
    await audit(tx, ctx.actor, { action: 'update', entity: 'leader_households', entityId: `${leaderId}:${householdId}:${before.since}`, countyCode: leader.countyCode, householdId, before, after });
    return readLinks(tx, ctx, leader, true);
  });
}
