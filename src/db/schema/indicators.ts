// Rollups (汇总) of the yearly records by area and year: province → city → county → township →
// village. A reference-style table keyed by area code, so city and province figures never join
// across counties (Citus shards). Every column is a count or an exact sum (numeric), so a parent
// row is the sum of its children's rows and a change to one household is applied by recomputing
// its village and re-adding the parents. Written only by services/indicators/rollup.ts.
import { bigint, numeric, pgTable, primaryKey, smallint, varchar, index } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { at } from './columns.js';

const big = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);
const sum = (name: string) => numeric(name).notNull().default('0');

export const indicatorRollups = pgTable(
  'indicator_rollups',
  {
    /** 2 (province), 4 (city), 6 (county), 9 (township) or 12 (village) digits. */
    areaCode: varchar('area_code', { length: 12 }).notNull(),
    year: smallint('year').notNull(),
    /** The parent area's code (null for a province), for "the children of X" reads. */
    parentCode: varchar('parent_code', { length: 12 }),
    households: big('households'),
    people: big('people'),
    /** 脱贫标志 that year: 0 未脱贫 and 3 返贫 are poor; 1 and 4 are out; 3 is also counted alone. */
    poorHouseholds: big('poor_households'),
    poorPeople: big('poor_people'),
    exitedHouseholds: big('exited_households'),
    exitedPeople: big('exited_people'),
    relapsedHouseholds: big('relapsed_households'),
    relapsedPeople: big('relapsed_people'),
    /** The year's poverty line when every county below used the same one; null otherwise or when unknown. */
    line: numeric('line', { precision: 14, scale: 2 }),
    /** People whose county had a poverty line that year (the FGT and MPI population). */
    linePeople: big('line_people'),
    /** Σ size · per-capita income: the mean is incomeSum / people. */
    incomeSum: sum('income_sum'),
    wageSum: sum('wage_sum'),
    productionSum: sum('production_sum'),
    propertySum: sum('property_sum'),
    transferSum: sum('transfer_sum'),
    costsSum: sum('costs_sum'),
    nonCountingSum: sum('non_counting_sum'),
    /** FGT: Σ size over income < line, Σ size·gap, Σ size·gap² with gap = (z − max(y,0))/z rounded to 12 places. */
    belowLinePeople: big('below_line_people'),
    gap1Sum: sum('gap1_sum'),
    gap2Sum: sum('gap2_sum'),
    /** Watts: Σ size·ln(z/y) over 0 < y < z; people below the line with y ≤ 0 make it undefined. */
    wattsSum: sum('watts_sum'),
    nonPositivePoorPeople: big('non_positive_poor_people'),
    /** Default Alkire–Foster set: people with a complete record, households left out, poor people, Σ size·24·c_i over the poor. */
    mpiPeople: big('mpi_people'),
    mpiExcludedHouseholds: big('mpi_excluded_households'),
    mpiPoorPeople: big('mpi_poor_people'),
    mpiScore24Sum: big('mpi_score24_sum'),
    /** Per indicator of the default set: people deprived (uncensored) and deprived and poor (censored). */
    uFood: big('u_food'), cFood: big('c_food'),
    uClothing: big('u_clothing'), cClothing: big('c_clothing'),
    uEducation: big('u_education'), cEducation: big('c_education'),
    uMedical: big('u_medical'), cMedical: big('c_medical'),
    uHousing: big('u_housing'), cHousing: big('c_housing'),
    uWater: big('u_water'), cWater: big('c_water'),
    uIncome: big('u_income'), cIncome: big('c_income'),
    refreshedAt: at('refreshed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.areaCode, t.year] }), index('indicator_rollups_parent_idx').on(t.parentCode, t.year)],
);

/** Villages whose rollups are out of date, marked by statement triggers on the register tables. */
export const rollupDirty = pgTable('rollup_dirty', {
  villageCode: varchar('village_code', { length: 12 }).primaryKey(),
  markedAt: at('marked_at').notNull().defaultNow(),
});

/**
 * One row: a number raised in the same transaction as every change readers could have cached
 * (a rollup refresh, area names, rural populations), so a server answers from its cache only
 * while the number it cached under is still the committed one.
 */
export const rollupState = pgTable('rollup_state', {
  id: smallint('id').primaryKey().default(1),
  generation: bigint('generation', { mode: 'number' }).notNull().default(sql`0`),
});
