// 收入分布 / the income distribution of an area and year: a people-weighted histogram of the
// households' per-capita net income in fixed-width bins, with the year's poverty line. Aggregates
// only (counts of households and people per bin), for the measurement page's income chart.
// The bin edges are aligned on the line (line + k·width), so every bin lies wholly below or
// wholly at or above it and the bars left of the line add up to the people below it. The first
// bin is open below (it holds incomes ≤ 0 too) and the last one open above (the top 1 % or so).
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import type { ResolvedParam } from '../../domain/policy-types.js';
import { MIN_CELL_HOUSEHOLDS } from '../../domain/measures/small-cells.js';
import { mayDo } from '../../domain/roles.js';
import { getArea } from '../areas.js';
import { require, type Ctx } from '../context.js';
import { policyLookup } from '../policy.js';
import { countyRange } from './sql.js';
import { areaOf, countiesIn, refuseSmallArea, yearIssue } from './input.js';
import { lineArrays } from './rollup.js';

export const DEFAULT_BINS = 20;
export const MAX_BINS = 100;

export interface DistributionBin {
  /** inclusive lower edge (yuan per person), null for the first bin (open below) */
  from: number | null;
  /** exclusive upper edge, null for the last bin (open above) */
  to: number | null;
  households: number;
  people: number;
  /** people in households registered poor that year (脱贫标志 0 or 3); null in a bin of fewer than
   *  5 households for readers of aggregates only (the status of so few households is personal) */
  registeredPoorPeople: number | null;
}

export interface Distribution {
  area: { code: string; name: string; level: number };
  year: number;
  line: ResolvedParam | null;
  /** bin width in yuan */
  width: number;
  households: number;
  people: number;
  /** people-weighted mean per-capita net income, null without households */
  mean: number | null;
  /** people whose per-capita income is below the line, null without a line */
  belowLinePeople: number | null;
  bins: DistributionBin[];
  missing: { zh: string; en: string }[];
}

/** A round bin width (1, 2, 2.5 or 5 × 10ⁿ yuan, at least 10) giving about `bins` bins up to `top`. */
export function niceWidth(top: number, bins: number): number {
  const raw = Math.max(top, 1) / Math.max(bins, 1);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((w) => w >= raw) ?? 10 * p;
  return Math.max(10, step);
}

/** The edges' offset: the line modulo the width (0 without a line). */
function offsetOf(line: number | null, width: number): number {
  if (line === null) return 0;
  const o = line % width;
  return o < 0 ? o + width : o;
}


export async function incomeDistribution(ctx: Ctx, input: { area?: string; year: number; bins?: number; width?: number }): Promise<Distribution> {
  require(ctx, 'aggregates.read');
  const code = areaOf(ctx, input.area);
  const issues: FieldIssue[] = [];
  const bad = yearIssue(input.year);
  if (bad) issues.push(bad);
  if (input.bins !== undefined && (!Number.isInteger(input.bins) || input.bins < 2 || input.bins > MAX_BINS)) {
    issues.push({ field: 'bins', value: String(input.bins), zh: `分组数应为 2–${MAX_BINS} 的整数，收到 ${input.bins}`, en: `bins must be a whole number 2–${MAX_BINS}; got ${input.bins}` });
  }
  if (input.width !== undefined && (!Number.isFinite(input.width) || input.width < 10 || input.width > 100_000)) {
    issues.push({ field: 'width', value: String(input.width), zh: `组距应为 10–100000 元，收到 ${input.width}`, en: `width must be 10–100000 yuan; got ${input.width}` });
  }
  if (issues.length) throw new ValidationError(issues);
  const area = await getArea(ctx, code);
  const aggregatesOnly = !mayDo(ctx.actor.role, 'register.read');
  const line = (await policyLookup(ctx.db, input.year, code.length >= 6 ? code.slice(0, 6) : code))('poverty_line') ?? null;
  const z = line?.value ?? null;
  const missing: Distribution['missing'] = [];
  if (z === null) {
    missing.push({
      zh: `${input.year} 年没有贫困线（poverty_line 未设置或未知）：分布照常显示，但无法标出贫困线和线下人数`,
      en: `There is no poverty line for ${input.year} (poverty_line unset or unknown): the distribution is shown without the line or the people below it`,
    });
  }

  const [lo, hi] = countyRange(code);
  if (code.length < 6) {
    // a county may set its own line: the bins follow the area's, and say so when counties differ
    const [, ys, ls] = await lineArrays(ctx.db, await countiesIn(ctx.db, code));
    if (new Set(ls.filter((_, i) => ys[i] === input.year)).size > 1) {
      missing.push({
        zh: '下属旗县的贫困线不同：分组按本区划的贫困线对齐，线下人数按各旗县自己的贫困线见 FGT',
        en: 'The counties below use different poverty lines: the bins follow this area’s line; FGT counts the people below each county’s own line',
      });
    }
  }
  const base = `FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
                WHERE y.year = $1 AND y.county_code >= $2 AND y.county_code < $3 AND h.village_code LIKE $4`;
  const params = [input.year, lo, hi, `${code}%`];
  const [stats] = await ctx.db.query<{ households: number; people: number; income: number | null; top: number | null; below: number | null }>(
    `SELECT count(*)::int AS households, coalesce(sum(y.household_size), 0)::int AS people,
            sum(y.household_size * y.per_capita_income)::float8 AS income,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY y.per_capita_income)::float8 AS top,
            CASE WHEN $5::numeric IS NULL THEN NULL ELSE coalesce(sum(y.household_size) FILTER (WHERE y.per_capita_income < $5::numeric), 0)::int END AS below
       ${base}`,
    [...params, z],
  );
  const households = Number(stats?.households ?? 0);
  refuseSmallArea(ctx, area, code, input.year, households);
  const people = Number(stats?.people ?? 0);
  const top = Math.max(Number(stats?.top ?? 0), z ?? 0);
  const width = input.width ?? niceWidth(top, input.bins ?? DEFAULT_BINS);
  const offset = offsetOf(z, width);
  const shift = offset > 0 ? 1 : 0;
  // Bin i (0-based) starts at offset + (i − shift)·width; bin 0 is open below, the last open above.
  const wanted = Math.max(2, Math.floor((top - offset) / width) + shift + 2);
  if (input.width !== undefined && wanted > MAX_BINS + 2) {
    // a narrower width would pile everything above the last bin into one open bin, across the line
    const min = Math.ceil((top - offset) / MAX_BINS);
    throw new ValidationError([{
      field: 'width', value: String(input.width),
      zh: `组距 ${input.width} 元太窄：本区划收入到 ${Math.round(top)} 元需要超过 ${MAX_BINS} 组；请用至少 ${min} 元，或不填由系统选择`,
      en: `width ${input.width} is too narrow: incomes up to ${Math.round(top)} yuan here would need more than ${MAX_BINS} bins; use at least ${min}, or leave it out to let the server choose`,
    }]);
  }
  const count = Math.min(MAX_BINS + 2, wanted);
  const rows = households === 0 ? [] : await ctx.db.query<{ i: number; households: number; people: number; poor: number }>(
    `SELECT b.i, count(*)::int AS households, sum(b.s)::int AS people, coalesce(sum(b.s) FILTER (WHERE b.poor), 0)::int AS poor
       FROM (SELECT greatest(0, least($7::int - 1, floor((y.per_capita_income - $5::numeric) / $6::numeric)::int + $8::int)) AS i,
                    y.household_size AS s, y.status IN ('0', '3') AS poor
               ${base}) b
      GROUP BY b.i ORDER BY b.i`,
    [...params, offset, width, count, shift],
  );
  const byIndex = new Map(rows.map((r) => [Number(r.i), r]));
  const edge = (i: number) => offset + (i - shift) * width;
  const bins: DistributionBin[] = households === 0 ? [] : Array.from({ length: count }, (_, i) => {
    const r = byIndex.get(i);
    return {
      from: i === 0 ? null : edge(i),
      to: i === count - 1 ? null : edge(i + 1),
      households: Number(r?.households ?? 0),
      people: Number(r?.people ?? 0),
      registeredPoorPeople: aggregatesOnly && Number(r?.households ?? 0) > 0 && Number(r?.households ?? 0) < MIN_CELL_HOUSEHOLDS ? null : Number(r?.poor ?? 0),
    };
  });
  return {
    area: { code: area.code, name: area.name, level: area.level },
    year: input.year,
    line,
    width,
    households,
    people,
    mean: people > 0 ? Number(stats?.income ?? 0) / people : null,
    belowLinePeople: z === null ? null : Number(stats?.below ?? 0),
    bins,
    missing,
  };
}
