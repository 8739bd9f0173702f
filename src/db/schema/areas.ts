// Reference tables (small, replicated on Citus): administrative divisions and their rural population.
import { pgTable, varchar, smallint, boolean, integer, char, index, primaryKey, text } from 'drizzle-orm/pg-core';

export const areas = pgTable(
  'areas',
  {
    /** NBS statistical code at its natural length: 2 province, 4 city, 6 county, 9 township, 12 village. */
    code: varchar('code', { length: 12 }).primaryKey(),
    name: varchar('name', { length: 100 }).notNull(),
    level: smallint('level').notNull(),
    parentCode: varchar('parent_code', { length: 12 }),
    countyCode: char('county_code', { length: 6 }),
    /** Western region: exit incidence threshold 3% instead of 2%. */
    isWestern: boolean('is_western').notNull().default(false),
  },
  (t) => [
    index('areas_parent_idx').on(t.parentCode),
    index('areas_code_prefix_idx').using('btree', t.code.op('varchar_pattern_ops')),
    index('areas_name_idx').on(t.name),
  ],
);

/** Rural population by area and year: the denominator of poverty incidence. */
export const areaPopulations = pgTable(
  'area_populations',
  {
    areaCode: varchar('area_code', { length: 12 })
      .notNull()
      .references(() => areas.code),
    year: smallint('year').notNull(),
    ruralPeople: integer('rural_people').notNull(),
    ruralHouseholds: integer('rural_households').notNull(),
    /** true for the demo's synthesised figures; imported figures are false. */
    synthetic: boolean('synthetic').notNull().default(false),
    source: text('source'),
  },
  (t) => [primaryKey({ columns: [t.areaCode, t.year] })],
);
