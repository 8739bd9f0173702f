// 指标 / indicators of an area and year from the rollups: counts, incidence, income poverty (FGT,
// Watts), mean income and its composition, the default MPI; its child areas side by side; its
// trend over the years; and the households behind any figure.
import { ValidationError } from '../../domain/errors.js';
import { DEFAULT_DIMENSIONS } from '../../domain/measures/dimensions.js';
import { figuresOf, SCALED_K, SCORE_SCALE, type RollupFigures, type RollupSums } from '../../domain/measures/rollup.js';
import { cellsToHide, MIN_CELL_HOUSEHOLDS } from '../../domain/measures/small-cells.js';
import { mayDo } from '../../domain/roles.js';
import { getArea } from '../areas.js';
import { require, type Ctx } from '../context.js';
import { contributionsSql, countyRange } from './sql.js';
import { areaOf, checkYear, countiesIn } from './input.js';
import { lineArrays, refreshDirty, rollupState } from './rollup.js';

export interface AreaFigures extends RollupFigures {
  code: string;
  name: string;
  year: number;
}

export interface Indicators {
  area: { code: string; name: string; level: number; path: { code: string; name: string }[] };
  /** the year asked, or the latest year with records */
  year: number | null;
  figures: AreaFigures | null;
  children: AreaFigures[];
  trend: AreaFigures[];
  /** when the rollups were last refreshed for this area (ISO), null when never */
  refreshedAt: string | null;
  /** for readers of aggregates only: areas and years left out as small cells (fewer than 5 households) */
  suppressed: { children: number; years: number; own: boolean; minHouseholds: number } | null;
}

type Raw = Record<string, unknown> & { area_code: string; year: number; refreshed_at: string; name: string | null };

function sumsOf(r: Raw): RollupSums {
  const n = (k: string) => Number(r[k] ?? 0);
  const deprived = Object.fromEntries(DEFAULT_DIMENSIONS.map((d) => [d.key, { uncensored: n(`u_${d.key}`), censored: n(`c_${d.key}`) }])) as RollupSums['deprived'];
  return {
    households: n('households'), people: n('people'), poorHouseholds: n('poor_households'), poorPeople: n('poor_people'),
    exitedHouseholds: n('exited_households'), exitedPeople: n('exited_people'), relapsedHouseholds: n('relapsed_households'), relapsedPeople: n('relapsed_people'),
    line: r.line === null || r.line === undefined ? null : Number(r.line), linePeople: n('line_people'),
    incomeSum: n('income_sum'), wageSum: n('wage_sum'), productionSum: n('production_sum'), propertySum: n('property_sum'),
    transferSum: n('transfer_sum'), costsSum: n('costs_sum'), nonCountingSum: n('non_counting_sum'),
    belowLinePeople: n('below_line_people'), gap1Sum: n('gap1_sum'), gap2Sum: n('gap2_sum'), wattsSum: n('watts_sum'),
    nonPositivePoorPeople: n('non_positive_poor_people'), mpiPeople: n('mpi_people'), mpiExcludedHouseholds: n('mpi_excluded_households'),
    mpiPoorPeople: n('mpi_poor_people'), mpiScore24Sum: n('mpi_score24_sum'), deprived,
  };
}

export async function getIndicators(ctx: Ctx, input: { area?: string; year?: number } = {}): Promise<Indicators> {
  require(ctx, 'aggregates.read');
  checkYear(input.year);
  const code = areaOf(ctx, input.area);
  let state = await rollupState(ctx.db);
  if (state.dirty) {
    await refreshDirty(ctx.db);
    state = await rollupState(ctx.db);
  }
  // the answer depends on the area and year only (scope was checked above), so it is shared
  const key = `${code}|${input.year ?? ''}`;
  const hit = cache.get(key);
  if (hit && hit.generation === state.generation && hit.db === ctx.db) return protect(ctx, hit.value);
  const value = await readIndicators(ctx, code, input.year);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, { generation: state.generation, db: ctx.db, value });
  return protect(ctx, value);
}

/** Readers without register.read see no area-year of fewer than 5 households (domain/measures/small-cells.ts). */
function protect(ctx: Ctx, v: Indicators): Indicators {
  if (mayDo(ctx.actor.role, 'register.read')) return v;
  const hide = cellsToHide(v.children.map((c) => c.households));
  const own = !!v.figures && v.figures.households < MIN_CELL_HOUSEHOLDS;
  const trend = v.trend.filter((t) => t.households >= MIN_CELL_HOUSEHOLDS);
  return {
    ...v,
    figures: own ? null : v.figures,
    children: v.children.filter((_, i) => !hide.has(i)),
    trend,
    suppressed: { children: hide.size, years: v.trend.length - trend.length, own, minHouseholds: MIN_CELL_HOUSEHOLDS },
  };
}

/** Answers by area and year, valid while rollup_state's generation is unchanged. */
const CACHE_MAX = 5000;
const cache = new Map<string, { generation: number; db: unknown; value: Indicators }>();

async function readIndicators(ctx: Ctx, code: string, wanted: number | undefined): Promise<Indicators> {
  const area = await getArea(ctx, code);
  const own = await ctx.db.query<Raw>(
    `SELECT r.*, p.rural_people FROM indicator_rollups r
       LEFT JOIN area_populations p ON p.area_code = r.area_code AND p.year = r.year
      WHERE r.area_code = $1 ORDER BY r.year`,
    [code],
  );
  const year = wanted ?? (own.length ? Number(own[own.length - 1]!.year) : null);
  const children = year === null ? [] : await ctx.db.query<Raw>(
    `SELECT r.*, a.name, p.rural_people FROM indicator_rollups r
       JOIN areas a ON a.code = r.area_code
       LEFT JOIN area_populations p ON p.area_code = r.area_code AND p.year = r.year
      WHERE r.parent_code = $1 AND r.year = $2 ORDER BY r.area_code`,
    [code, year],
  );
  const present = (r: Raw, name: string): AreaFigures => ({
    code: r.area_code, name, year: Number(r.year),
    ...figuresOf(sumsOf(r), r.rural_people === null || r.rural_people === undefined ? null : Number(r.rural_people)),
  });
  const trend = own.map((r) => present(r, area.name));
  const mine = trend.find((t) => t.year === year) ?? null;
  return {
    area: { code: area.code, name: area.name, level: area.level, path: area.path },
    year,
    figures: mine,
    children: children.map((r) => present(r, r.name ?? r.area_code)),
    trend,
    suppressed: null,
    refreshedAt: own.length ? new Date(String(own[own.length - 1]!.refreshed_at)).toISOString() : null,
  };
}

// --- the households behind a figure -------------------------------------------------------------

export const FIGURES = ['registered', 'poor', 'exited', 'relapsed', 'belowLine', 'mpiPoor', ...DEFAULT_DIMENSIONS.map((d) => `deprived:${d.key}` as const)] as const;
export type Figure = (typeof FIGURES)[number];

export interface FigureHousehold {
  id: number;
  countyCode: string;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string;
  status: string;
  size: number;
  perCapitaIncome: number;
  /** (z − max(y,0)) / z when below the line, else 0; null without a line */
  gap: number | null;
  /** the default MPI score c_i (0–1), null when the record is incomplete or there is no line */
  score: number | null;
}

export interface FigureHouseholds {
  area: string;
  year: number;
  figure: Figure;
  line: number | null;
  total: number;
  people: number;
  rows: FigureHousehold[];
}

export async function figureHouseholds(
  ctx: Ctx,
  input: { area?: string; year: number; figure: string; page?: number; size?: number },
): Promise<FigureHouseholds> {
  require(ctx, 'register.read');
  checkYear(input.year);
  if (!(FIGURES as readonly string[]).includes(input.figure)) {
    throw new ValidationError([{ field: 'figure', value: input.figure, zh: `figure 只能是 ${FIGURES.join('、')}，收到 ${input.figure}`, en: `figure must be one of ${FIGURES.join(', ')}; got ${input.figure}` }]);
  }
  const code = areaOf(ctx, input.area);
  const page = Math.max(1, input.page ?? 1);
  const size = Math.min(500, Math.max(1, input.size ?? 50));
  const [lo, hi] = countyRange(code);
  const counties = await countiesIn(ctx.db, code);
  const [cs, ys, ls] = await lineArrays(ctx.db, counties);
  // the rollups' own per-household contributions (sql.ts), so a figure and its households agree by construction
  const f = input.figure as Figure;
  const deprived = (key: string) => (key === 'income' ? 'below' : `NOT ${key}`);
  const cond = f === 'registered' ? 'true'
    : f === 'poor' ? `status IN ('0', '3')`
      : f === 'exited' ? `status IN ('1', '4')`
        : f === 'relapsed' ? `status = '3'`
          : f === 'belowLine' ? 'below'
            : f === 'mpiPoor' ? `sc >= ${SCALED_K}`
              : `sc IS NOT NULL AND ${deprived(f.slice('deprived:'.length))}`;
  const rows = await ctx.db.query<FigureHousehold & { total: number; people: number; sc: number | null }>(
    `WITH ${contributionsSql('y.year = $4 AND y.county_code >= $5 AND y.county_code < $6 AND h.village_code LIKE $7')}
     , f AS (SELECT * FROM d WHERE ${cond})
     , t AS (SELECT count(*)::int AS total, coalesce(sum(s), 0)::int AS people FROM f)
     SELECT t.total, t.people, p.* FROM t LEFT JOIN LATERAL (
       SELECT f.hid AS id, f.county AS "countyCode", f.household_no AS "householdNo", f.head_name AS "headName",
              f.v AS "villageCode", a.name AS "villageName", f.status, f.s::int AS size,
              f.y AS "perCapitaIncome", CASE WHEN f.z IS NULL THEN NULL ELSE f.g END AS gap, f.sc
         FROM f JOIN areas a ON a.code = f.v
        ORDER BY f.v, f.hid LIMIT $8 OFFSET $9) p ON true`,
    [cs, ys, ls, input.year, lo, hi, `${code}%`, size, (page - 1) * size],
  );
  // the line when every county of the area has the same one that year, else null (each household used its own county's)
  const yearLines = new Set(ys.flatMap((y, i) => (y === input.year ? [ls[i]] : [])));
  const sameLine = yearLines.size === 1 && ys.filter((y) => y === input.year).length === counties.length ? ([...yearLines][0] ?? null) : null;
  return {
    area: code, year: input.year, figure: f, line: sameLine,
    total: rows[0]?.total ?? 0, people: rows[0]?.people ?? 0,
    // past the last page the totals still come back, on a row without a household
    rows: rows.filter((r) => r.id !== null).map(({ total: _t, people: _p, sc, ...r }) => ({ ...r, gap: r.gap === null ? null : Number(r.gap), score: sc === null ? null : Number(sc) / SCORE_SCALE })),
  };
}
