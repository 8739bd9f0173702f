// The channel view: for an area and a year, per channel, the households and people reached, the
// measures and money given, the money projects of the channel disbursed, and the income change of
// the reached households. Aggregates only (no names), so researchers may read it. Each figure is
// one set-based query grouped by channel (GROUPING SETS or UNION ALL add the all-channel total).
import { NotFound } from '../domain/errors.js';
import type { Text } from '../domain/policy-types.js';
import { CHANNELS, CHANNEL_LABELS, type Channel } from '../domain/assistance/catalogue.js';
import { mayDo } from '../domain/roles.js';
import { inScope, require, type Ctx } from './context.js';

/**
 * Fewest households behind a mean income shown to a role that may not read the register: a mean of
 * one or two households is their own income, so smaller groups show only the count.
 */
export const MIN_INCOME_GROUP = 5;

export interface ChannelFigures {
  /** Distinct households with a measure of the channel's types in the year. */
  households: number;
  /** Their members (as registered now). */
  people: number;
  measures: number;
  /** Sum of the measures' money value, yuan. */
  amount: number;
  /** Disbursed in the year by projects of the channel in the area, yuan. */
  disbursed: number;
  /** Mean per-capita net income of the reached households that have both yearly records. */
  income: { households: number; before: number | null; after: number | null; change: number | null };
}

export interface ChannelView {
  area: string;
  areaName: string;
  year: number;
  channels: (ChannelFigures & { channel: Channel; label: Text })[];
  /** Over all channels: a household reached by two channels counts once. */
  total: ChannelFigures;
}

const ALL = '*';

export async function channelView(ctx: Ctx, q: { area?: string; year: number }): Promise<ChannelView> {
  require(ctx, 'aggregates.read');
  const AREA = { zh: '区划', en: 'area' };
  const area = q.area ?? (ctx.actor.areaCode === '*' ? '' : ctx.actor.areaCode);
  if (area && (!/^\d{2,12}$/.test(area) || !inScope(ctx.actor, area))) throw new NotFound(AREA);
  if (!area && ctx.actor.areaCode !== '*') throw new NotFound(AREA);
  let areaName = '全部 All';
  if (area) {
    const [a] = await ctx.db.query<{ name: string }>('SELECT name FROM areas WHERE code = $1', [area]);
    if (!a) throw new NotFound(AREA);
    areaName = a.name;
  }
  const year = q.year;
  // Households of the area: a county or smaller adds county_code (one shard on Citus).
  const params: unknown[] = [`${area}%`, year, area.length >= 6 ? area.slice(0, 6) : null];
  const hScope = `h.village_code LIKE $1 AND ($3::text IS NULL OR (h.county_code = $3 AND m.county_code = $3))`;
  const reached = `SELECT DISTINCT t.channel, m.county_code, m.household_id FROM measures m
      JOIN measure_types t ON t.code = m.type_code
      JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id
     WHERE m.year = $2 AND ${hScope}`;
  const reachedAll = `SELECT DISTINCT county_code, household_id FROM (${reached}) r0`;

  const given = await ctx.db.query<{ channel: Channel | null; households: number; measures: number; amount: number }>(
    `SELECT t.channel, count(DISTINCT (m.county_code, m.household_id))::int AS households, count(*)::int AS measures, COALESCE(sum(m.amount), 0) AS amount
       FROM measures m JOIN measure_types t ON t.code = m.type_code
       JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id
      WHERE m.year = $2 AND ${hScope}
      GROUP BY GROUPING SETS ((t.channel), ())`,
    params,
  );
  const people = await ctx.db.query<{ channel: string; people: number }>(
    `SELECT r.channel, count(mem.id)::int AS people FROM (${reached}) r
       JOIN members mem ON mem.county_code = r.county_code AND mem.household_id = r.household_id GROUP BY r.channel
     UNION ALL
     SELECT '${ALL}', count(mem.id)::int FROM (${reachedAll}) a
       JOIN members mem ON mem.county_code = a.county_code AND mem.household_id = a.household_id`,
    params,
  );
  const incomeSql = (from: string, channel: string) => `SELECT ${channel} AS channel, count(*)::int AS households,
      round(avg(y0.per_capita_income), 2) AS before, round(avg(y1.per_capita_income), 2) AS after
     FROM (${from}) r
     JOIN household_years y1 ON y1.county_code = r.county_code AND y1.household_id = r.household_id AND y1.year = $2
     JOIN household_years y0 ON y0.county_code = r.county_code AND y0.household_id = r.household_id AND y0.year = $2 - 1`;
  const income = await ctx.db.query<{ channel: string; households: number; before: number | null; after: number | null }>(
    `${incomeSql(reached, 'r.channel')} GROUP BY r.channel UNION ALL ${incomeSql(reachedAll, `'${ALL}'`)}`,
    params,
  );
  // Projects of the area: a county or wider by county code; a township or village by the villages
  // the project serves (a county-wide project, with no villages, is counted at county level only).
  const projectScope = area.length > 6
    ? `p.county_code = $3 AND EXISTS (SELECT 1 FROM unnest(p.village_codes) vc WHERE vc LIKE $1)`
    : `p.county_code LIKE $1 AND ($3::text IS NULL OR p.county_code = $3)`;
  const disbursed = await ctx.db.query<{ channel: string | null; amount: number }>(
    `SELECT p.channel, COALESCE(sum(d.amount), 0) AS amount FROM disbursements d
       JOIN projects p ON p.county_code = d.county_code AND p.id = d.project_id
      WHERE d.paid_on >= make_date($2::int, 1, 1) AND d.paid_on < make_date($2::int + 1, 1, 1) AND ${projectScope}
      GROUP BY GROUPING SETS ((p.channel), ())`,
    params,
  );

  const personal = mayDo(ctx.actor.role, 'register.read');
  const figures = (key: string | null): ChannelFigures => {
    const g = given.find((r) => r.channel === key);
    const pk = key ?? ALL;
    const i = income.find((r) => r.channel === pk);
    const shown = i && i.households && (personal || i.households >= MIN_INCOME_GROUP);
    const before = shown ? Number(i.before) : null;
    const after = shown ? Number(i.after) : null;
    return {
      households: g?.households ?? 0,
      people: people.find((r) => r.channel === pk)?.people ?? 0,
      measures: g?.measures ?? 0,
      amount: Number(g?.amount ?? 0),
      disbursed: Number(disbursed.find((r) => r.channel === key)?.amount ?? 0),
      // In fen, so the change is exactly after − before as shown.
      income: { households: i?.households ?? 0, before, after, change: before !== null && after !== null ? Math.round(after * 100 - before * 100) / 100 : null },
    };
  };
  return {
    area: area || ALL,
    areaName,
    year,
    channels: CHANNELS.map((c) => ({ channel: c, label: { zh: CHANNEL_LABELS[c].zh, en: CHANNEL_LABELS[c].en }, ...figures(c) })),
    total: figures(null),
  };
}
