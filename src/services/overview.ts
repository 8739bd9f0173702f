// The overview (首页): counts and indicators for one area, its child areas, its trend by year and
// its causes of poverty. Aggregates only, no personal data, so researchers may read it too.
// Set-based: one query for the status × cause × child-area counts (totals, children and causes
// all come from it), the trend from the rollup table (services/indicators), one for the populations.
import { NotFound } from '../domain/errors.js';
import { getArea } from './areas.js';
import { inScope, require, type Ctx } from './context.js';
import { refreshDirty } from './indicators/rollup.js';

/** The register starts with the 2014 identification (建档立卡). */
export const FIRST_TREND_YEAR = 2014;
/** 脱贫标志 codes: still poor (未脱贫, 返贫) and out of poverty (已脱贫 with or without policies). */
export const POOR_STATUSES = ['0', '3'] as const;
export const EXITED_STATUSES = ['1', '4'] as const;
export const STATUS_CODES = ['0', '1', '3', '4'] as const;
/** Tongliao (通辽市): the default area for an actor without one ('*', the local operator). */
export const DEFAULT_AREA = '1505';

export interface Count {
  households: number;
  people: number;
}

export interface Figures {
  /** Registered (建档立卡) households and people. */
  households: number;
  people: number;
  /** Remaining poor: 未脱贫 (0) plus 返贫 (3). */
  poorHouseholds: number;
  poorPeople: number;
  /** Out of poverty: 1 and 4. */
  exitedHouseholds: number;
  exitedPeople: number;
  /** 返贫 (3). */
  relapsedHouseholds: number;
  relapsedPeople: number;
  /** Each 脱贫标志 code's households and people. */
  byStatus: Record<string, Count>;
  /** Rural population (the incidence denominator), null when none is recorded. */
  ruralPeople: number | null;
  /** Remaining poor people / rural people, null without a population. */
  incidence: number | null;
}

export interface ChildFigures extends Figures {
  code: string;
  name: string;
  level: number;
}

export interface TrendPoint {
  year: number;
  households: number;
  poorHouseholds: number;
  poorPeople: number;
  ruralPeople: number | null;
  incidence: number | null;
}

export interface CauseCount {
  /** 主要致贫原因 code, null when not recorded. */
  cause: string | null;
  households: number;
  people: number;
  poorHouseholds: number;
}

export interface Overview {
  area: { code: string; name: string; level: number; path: { code: string; name: string }[] };
  /** The year asked for (status and size of that year's records), or null for the current register. */
  year: number | null;
  /** The year whose rural population is used for incidence. */
  populationYear: number | null;
  totals: Figures;
  children: ChildFigures[];
  trend: TrendPoint[];
  causes: CauseCount[];
}

/** Length of the codes one level below `code` (NBS: 2 province, 4 city, 6 county, 9 township, 12 village). */
export function childCodeLength(code: string): number {
  if (code.length <= 2) return 4;
  if (code.length <= 4) return 6;
  if (code.length <= 6) return 9;
  return 12;
}

function emptyFigures(): Figures {
  return {
    households: 0, people: 0, poorHouseholds: 0, poorPeople: 0, exitedHouseholds: 0, exitedPeople: 0,
    relapsedHouseholds: 0, relapsedPeople: 0, byStatus: Object.fromEntries(STATUS_CODES.map((s) => [s, { households: 0, people: 0 }])),
    ruralPeople: null, incidence: null,
  };
}

function add(f: Figures, status: string, households: number, people: number): void {
  f.households += households;
  f.people += people;
  const s = (f.byStatus[status] ??= { households: 0, people: 0 });
  s.households += households;
  s.people += people;
  if ((POOR_STATUSES as readonly string[]).includes(status)) {
    f.poorHouseholds += households;
    f.poorPeople += people;
  }
  if ((EXITED_STATUSES as readonly string[]).includes(status)) {
    f.exitedHouseholds += households;
    f.exitedPeople += people;
  }
  if (status === '3') {
    f.relapsedHouseholds += households;
    f.relapsedPeople += people;
  }
}

function withIncidence(f: Figures, ruralPeople: number | undefined): Figures {
  const rural = ruralPeople ?? null;
  return { ...f, ruralPeople: rural, incidence: rural ? f.poorPeople / rural : null };
}

/**
 * The county filter for an area on a registry table: one county (one shard) for a county or
 * smaller; above that a code range, which scans faster than LIKE on char(6) (codes are digits,
 * so every collation orders them alike).
 */
function countyFilter(area: string, p: (v: unknown) => string, alias: string): string {
  if (area.length >= 6) return `${alias}.county_code = ${p(area.slice(0, 6))}`;
  const next = String(Number(area) + 1).padStart(area.length, '0');
  return `${alias}.county_code >= ${p(area)} AND ${alias}.county_code < ${p(next)}`;
}

interface CellRow {
  code: string;
  status: string;
  cause: string | null;
  households: number;
  people: number;
}

async function cells(ctx: Ctx, area: string, year: number | null): Promise<CellRow[]> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const len = p(childCodeLength(area));
  if (year !== null) {
    const y = p(year);
    return ctx.db.query<CellRow>(
      `SELECT left(h.village_code, ${len}::int) AS code, y.status, h.main_cause AS cause,
              count(*)::int AS households, coalesce(sum(y.household_size), 0)::int AS people
         FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
        WHERE y.year = ${y} AND ${countyFilter(area, p, 'y')} AND h.village_code LIKE ${p(`${area}%`)}
        GROUP BY 1, 2, 3`,
      params,
    );
  }
  return ctx.db.query<CellRow>(
    `SELECT left(h.village_code, ${len}::int) AS code, h.exit_status AS status, h.main_cause AS cause,
            count(*)::int AS households, coalesce(sum(m.n), 0)::int AS people
       FROM households h
       LEFT JOIN (SELECT county_code, household_id, count(*)::int AS n FROM members m0 WHERE ${countyFilter(area, p, 'm0')} GROUP BY 1, 2) m
         ON m.county_code = h.county_code AND m.household_id = h.id
      WHERE ${countyFilter(area, p, 'h')} AND h.village_code LIKE ${p(`${area}%`)}
      GROUP BY 1, 2, 3`,
    params,
  );
}

/** The trend from the rollups (services/indicators), brought up to date first. */
async function trendRows(ctx: Ctx, area: string): Promise<Omit<TrendPoint, 'ruralPeople' | 'incidence'>[]> {
  await refreshDirty(ctx.db);
  return ctx.db.query(
    `SELECT year::int AS year, households::int AS households, poor_households::int AS "poorHouseholds", poor_people::int AS "poorPeople"
       FROM indicator_rollups WHERE area_code = $1 AND year >= $2 ORDER BY year`,
    [area, FIRST_TREND_YEAR],
  );
}

export async function getOverview(ctx: Ctx, input: { area?: string; year?: number } = {}): Promise<Overview> {
  require(ctx, 'aggregates.read');
  const code = input.area ?? (ctx.actor.areaCode === '*' ? DEFAULT_AREA : ctx.actor.areaCode);
  const AREA = { zh: '区划', en: 'area' };
  if (!inScope(ctx.actor, code)) throw new NotFound(AREA);
  const area = await getArea(ctx, code);
  const year = input.year ?? null;

  const [children, cellRows, trend] = [
    area.level < 5 && code.length < 12
      ? await ctx.db.query<{ code: string; name: string; level: number }>('SELECT code, name, level FROM areas WHERE parent_code = $1 ORDER BY code', [code])
      : [],
    await cells(ctx, code, year),
    await trendRows(ctx, code),
  ];

  const codes = [code, ...children.map((c) => c.code)];
  const pops = await ctx.db.query<{ areaCode: string; year: number; ruralPeople: number }>(
    `SELECT area_code AS "areaCode", year::int AS year, rural_people AS "ruralPeople" FROM area_populations WHERE area_code = ANY($1::text[])`,
    [codes],
  );
  const popOf = new Map(pops.map((r) => [`${r.areaCode}:${r.year}`, r.ruralPeople]));
  // The latest year with a population for the area (or, failing that, for any child area).
  const ownYears = pops.filter((r) => r.areaCode === code).map((r) => r.year);
  const anyYears = ownYears.length ? ownYears : pops.map((r) => r.year);
  const populationYear = year ?? (anyYears.length ? Math.max(...anyYears) : null);
  const pop = (c: string) => (populationYear === null ? undefined : popOf.get(`${c}:${populationYear}`));

  const totals = emptyFigures();
  const byChild = new Map(children.map((c) => [c.code, emptyFigures()]));
  const causeMap = new Map<string | null, CauseCount>();
  for (const r of cellRows) {
    add(totals, r.status, r.households, r.people);
    const child = byChild.get(r.code);
    if (child) add(child, r.status, r.households, r.people);
    const c = causeMap.get(r.cause) ?? { cause: r.cause, households: 0, people: 0, poorHouseholds: 0 };
    c.households += r.households;
    c.people += r.people;
    if ((POOR_STATUSES as readonly string[]).includes(r.status)) c.poorHouseholds += r.households;
    causeMap.set(r.cause, c);
  }

  return {
    area: { code: area.code, name: area.name, level: area.level, path: area.path },
    year,
    populationYear,
    totals: withIncidence(totals, pop(code)),
    children: children.map((c) => ({ ...c, ...withIncidence(byChild.get(c.code)!, pop(c.code)) })),
    trend: trend.map((t) => {
      const rural = popOf.get(`${code}:${t.year}`) ?? null;
      return { ...t, ruralPeople: rural, incidence: rural ? t.poorPeople / rural : null };
    }),
    causes: [...causeMap.values()].sort((a, b) => b.households - a.households || String(a.cause).localeCompare(String(b.cause))),
  };
}
