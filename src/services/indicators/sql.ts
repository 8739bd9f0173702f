// SQL shared by the rollup refreshes and the hand-written baseline in bench/: the per-household
// contribution of each yearly record, and the sums a rollup row keeps.
import { DEFAULT_DIMENSIONS } from '../../domain/measures/dimensions.js';
import { SCALED_K, scaledWeight } from '../../domain/measures/rollup.js';

/** [lo, hi) county codes of an area: one county for a county or smaller, a range above that. */
export function countyRange(area: string): [string, string] {
  if (area.length >= 6) {
    const c = area.slice(0, 6);
    return [c, String(Number(c) + 1).padStart(6, '0')];
  }
  return [area.padEnd(6, '0'), String(Number(area) + 1).padStart(area.length, '0').padEnd(6, '0')];
}

/** The rollup row's count and sum columns, in table order (after area_code, year, parent_code, line). */
export const SUM_COLUMNS = [
  'households', 'people', 'poor_households', 'poor_people', 'exited_households', 'exited_people', 'relapsed_households', 'relapsed_people',
  'line_people', 'income_sum', 'wage_sum', 'production_sum', 'property_sum', 'transfer_sum', 'costs_sum', 'non_counting_sum',
  'below_line_people', 'gap1_sum', 'gap2_sum', 'watts_sum', 'non_positive_poor_people',
  'mpi_people', 'mpi_excluded_households', 'mpi_poor_people', 'mpi_score24_sum',
  ...DEFAULT_DIMENSIONS.flatMap((d) => [`u_${d.key}`, `c_${d.key}`]),
] as const;

/**
 * One row per household-year with what the rollups sum: `d` has v (village), p2…p9 (its
 * parents), the household (county, hid, household_no, head_name, for the households behind a figure), year, s (size), status, y (income), z (line), the income components, below, g (gap)
 * and sc (the default MPI score × 24, null when the record is incomplete or the year has no line).
 * $1..$3 are the lines as arrays (county, year, line); `where` filters household_years y / households h.
 */
export function contributionsSql(where: string): string {
  const deprived = (d: (typeof DEFAULT_DIMENSIONS)[number]) => (d.key === 'income' ? 'r.y < r.z' : `NOT r.${d.key}`);
  const score = DEFAULT_DIMENSIONS.map((d) => `CASE WHEN ${deprived(d)} THEN ${scaledWeight(d.weight)} ELSE 0 END`).join(' + ');
  const incomplete = [...DEFAULT_DIMENSIONS.filter((d) => d.key !== 'income').map((d) => `r.${d.key} IS NULL`), 'r.z IS NULL'].join(' OR ');
  return `lines AS (SELECT * FROM unnest($1::text[], $2::int[], $3::numeric[]) AS l(county_code, year, line)),
  r AS (
    SELECT h.village_code AS v, h.county_code AS county, h.id AS hid, h.household_no, h.head_name,
           y.year, y.household_size::bigint AS s, y.status, y.per_capita_income AS y, l.line AS z,
           y.wage_income AS wage, y.production_income AS production, y.property_income AS property,
           y.transfer_income AS transfer, y.production_costs AS costs, y.non_counting_income AS noncounting,
           ${DEFAULT_DIMENSIONS.filter((d) => d.key !== 'income').map((d) => `y.${d.column} AS ${d.key}`).join(', ')}
      FROM household_years y
      JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
      LEFT JOIN lines l ON l.county_code = y.county_code AND l.year = y.year
     WHERE ${where}
  ),
  d AS (
    SELECT r.*, left(r.v, 2) AS p2, left(r.v, 4) AS p4, left(r.v, 6) AS p6, left(r.v, 9) AS p9,
           coalesce(r.y < r.z, false) AS below,
           CASE WHEN r.y < r.z THEN round((r.z - greatest(r.y, 0)) / r.z, 12) ELSE 0 END AS g,
           CASE WHEN r.y < r.z AND r.y > 0 THEN round(ln(r.z / r.y), 12) ELSE 0 END AS lw,
           CASE WHEN ${incomplete} THEN NULL ELSE ${score} END AS sc
      FROM r
  )`;
}

/** The aggregate expressions of SUM_COLUMNS over `d`, in the same order. */
export function sumExpressions(): string[] {
  const poor = `status IN ('0', '3')`;
  const exited = `status IN ('1', '4')`;
  return [
    'count(*)', 'sum(s)', `count(*) FILTER (WHERE ${poor})`, `coalesce(sum(s) FILTER (WHERE ${poor}), 0)`,
    `count(*) FILTER (WHERE ${exited})`, `coalesce(sum(s) FILTER (WHERE ${exited}), 0)`,
    `count(*) FILTER (WHERE status = '3')`, `coalesce(sum(s) FILTER (WHERE status = '3'), 0)`,
    'coalesce(sum(s) FILTER (WHERE z IS NOT NULL), 0)', 'sum(s * y)', 'sum(wage)', 'sum(production)', 'sum(property)', 'sum(transfer)', 'sum(costs)', 'sum(noncounting)',
    'coalesce(sum(s) FILTER (WHERE below), 0)', 'sum(s * g)', 'sum(s * g * g)', 'sum(s * lw)', 'coalesce(sum(s) FILTER (WHERE below AND y <= 0), 0)',
    'coalesce(sum(s) FILTER (WHERE sc IS NOT NULL), 0)', 'count(*) FILTER (WHERE sc IS NULL)',
    `coalesce(sum(s) FILTER (WHERE sc >= ${SCALED_K}), 0)`, `coalesce(sum(s * sc) FILTER (WHERE sc >= ${SCALED_K}), 0)`,
    ...DEFAULT_DIMENSIONS.flatMap((dim) => {
      const dep = dim.key === 'income' ? 'below' : `NOT ${dim.key}`;
      return [`coalesce(sum(s) FILTER (WHERE sc IS NOT NULL AND ${dep}), 0)`, `coalesce(sum(s) FILTER (WHERE sc >= ${SCALED_K} AND ${dep}), 0)`];
    }),
  ];
}

/** The line of a group: the one every household had, else null. */
export const LINE_EXPRESSION = 'CASE WHEN count(z) = count(*) AND min(z) = max(z) THEN min(z) END';
