// 公告公示: the list of projects a village or county posts for the public — project, channel,
// villages, implementer, schedule, budget by source, money paid, the number of beneficiary
// households and the status. No personal data: households are counted, never named.
import { NotFound } from '../../domain/errors.js';
import { toFen, toYuan } from '../../domain/assistance/projects.js';
import { inScope, require, type Ctx } from '../context.js';
import { channelLabel, statusLabel, visibleFrom } from './shared.js';
import { budgetLines, type BudgetLine } from './funds.js';

export interface DisclosureItem {
  id: number;
  countyCode: string;
  countyName: string | null;
  name: string;
  year: number;
  channel: string;
  channelLabel: { zh: string; en: string };
  villages: { code: string; name: string }[];
  implementer: string | null;
  startsOn: string | null;
  endsOn: string | null;
  budgets: BudgetLine[];
  allocated: number;
  disbursed: number;
  beneficiaryHouseholds: number;
  status: string;
  statusLabel: { zh: string; en: string };
  disclosedOn: string | null;
  disclosureNote: string | null;
}

export interface DisclosureList {
  area: { code: string; name: string | null };
  year: number;
  items: DisclosureItem[];
  totals: { projects: number; allocated: number; disbursed: number; beneficiaryHouseholds: number };
}

export async function disclosureList(ctx: Ctx, q: { area?: string; year: number }): Promise<DisclosureList> {
  require(ctx, 'aggregates.read');
  const area = q.area ?? (ctx.actor.areaCode === '*' ? '' : ctx.actor.areaCode);
  if (q.area && !inScope(ctx.actor, q.area)) throw new NotFound({ zh: '区划', en: 'area' });
  const params: unknown[] = [q.year];
  const conds = ['p.year = $1', visibleFrom(ctx.actor.areaCode, params)];
  if (area) conds.push(visibleFrom(area, params));
  const rows = await ctx.db.query<Omit<DisclosureItem, 'channelLabel' | 'statusLabel' | 'budgets' | 'allocated' | 'disbursed'>>(
    `SELECT p.id, p.county_code AS "countyCode", c.name AS "countyName", p.name, p.year, p.channel, p.implementer,
            p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn", p.status, p.disclosed_on::text AS "disclosedOn", p.disclosure_note AS "disclosureNote",
            COALESCE((SELECT json_agg(json_build_object('code', a.code, 'name', a.name) ORDER BY a.code) FROM areas a WHERE a.code = ANY(p.village_codes)), '[]') AS villages,
            (SELECT count(*)::int FROM project_beneficiaries pb WHERE pb.county_code = p.county_code AND pb.project_id = p.id) AS "beneficiaryHouseholds"
       FROM projects p LEFT JOIN areas c ON c.code = p.county_code
      WHERE ${conds.join(' AND ')} ORDER BY p.county_code, p.channel, p.name, p.id`,
    params,
  );
  const items: DisclosureItem[] = [];
  for (const r of rows) {
    const budgets = await budgetLines(ctx.db, r);
    items.push({
      ...r,
      channelLabel: channelLabel(r.channel),
      statusLabel: statusLabel(r.status),
      budgets,
      allocated: toYuan(budgets.reduce((a, b) => a + toFen(b.allocated), 0)),
      disbursed: toYuan(budgets.reduce((a, b) => a + toFen(b.disbursed), 0)),
    });
  }
  const [a] = area ? await ctx.db.query<{ name: string }>('SELECT name FROM areas WHERE code = $1', [area]) : [];
  return {
    area: { code: area, name: a?.name ?? null },
    year: q.year,
    items,
    totals: {
      projects: items.length,
      allocated: toYuan(items.reduce((x, i) => x + toFen(i.allocated), 0)),
      disbursed: toYuan(items.reduce((x, i) => x + toFen(i.disbursed), 0)),
      beneficiaryHouseholds: items.reduce((x, i) => x + i.beneficiaryHouseholds, 0),
    },
  };
}
