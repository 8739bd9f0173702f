// Assistance links (issue 5): capable-person leadership (能人带动: a leader, cooperative or leading
// enterprise and the households it brings along), rural tourism's scenic spot ↔ village links
// (景区带村), and e-commerce products (电商产品) sold by a cooperative or by households.
// Registry tables, distributed by county_code on Citus: every key and foreign key includes it.
// Code lists (leader kinds, scenic grades) are in domain/assistance/links.ts; channels and link
// kinds in domain/assistance/catalogue.ts.
import { pgTable, varchar, char, bigint, text, primaryKey, uniqueIndex, index, foreignKey } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { areas } from './areas.js';
import { households } from './registry.js';
import { day, money, stamps } from './columns.js';


/** 能人/合作社/龙头企业 — a capable person, cooperative or leading enterprise that brings households along. */
export const leaders = pgTable(
  'leaders',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    /** LEADER_KINDS: person | cooperative | enterprise. */
    kind: varchar('kind', { length: 16 }).notNull(),
    /** Where the leader is based. */
    villageCode: varchar('village_code', { length: 12 }).notNull().references(() => areas.code),
    /** When the leader is a registered person: the member (checked on write; no foreign key, so a
     *  member can still be removed from the register — the link then shows as "no longer registered"). */
    memberId: bigint('member_id', { mode: 'number' }),
    contactPhone: varchar('contact_phone', { length: 20 }),
    /** CHANNELS: the industry it works in (cattle, tourism, ecommerce, …). */
    channel: varchar('channel', { length: 24 }).notNull(),
    note: text('note'),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    uniqueIndex('leaders_name_uq').on(t.countyCode, t.name),
    index('leaders_village_idx').using('btree', t.villageCode.op('varchar_pattern_ops')),
    index('leaders_id_idx').on(t.id),
  ],
);

/** 带动关系 — a household brought along by a leader over a period, with its expected yearly benefit. */
export const leaderHouseholds = pgTable(
  'leader_households',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    leaderId: bigint('leader_id', { mode: 'number' }).notNull(),
    householdId: bigint('household_id', { mode: 'number' }).notNull(),
    /** LINK_KINDS: dividend | job | land_rent | purchase | grant | custody | other. */
    linkKind: varchar('link_kind', { length: 16 }).notNull(),
    since: day('since').notNull(),
    /** null: the link is current. */
    until: day('until'),
    expectedBenefit: money('expected_benefit'),
    note: text('note'),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.leaderId, t.householdId, t.since] }),
    index('leader_households_household_idx').on(t.countyCode, t.householdId),
    foreignKey({ columns: [t.countyCode, t.leaderId], foreignColumns: [leaders.countyCode, leaders.id] }),
    foreignKey({ columns: [t.countyCode, t.householdId], foreignColumns: [households.countyCode, households.id] }),
  ],
);

/** 景区 — a scenic spot and the villages it brings along (景区带村). */
export const scenicSpots = pgTable(
  'scenic_spots',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    /** SCENIC_GRADES: A | 2A | 3A | 4A | 5A, or null when not graded. */
    grade: varchar('grade', { length: 2 }),
    villageCode: varchar('village_code', { length: 12 }).notNull().references(() => areas.code),
    /** The villages it brings along, all in the same county. */
    linkedVillageCodes: varchar('linked_village_codes', { length: 12 }).array().notNull().default(sql`'{}'`),
    note: text('note'),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    uniqueIndex('scenic_spots_name_uq').on(t.countyCode, t.name),
    index('scenic_spots_village_idx').using('btree', t.villageCode.op('varchar_pattern_ops')),
  ],
);

/** 电商产品 — a product sold online, by a cooperative (leader) or by households of a village. */
export const ecommerceProducts = pgTable(
  'ecommerce_products',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    /** Free text: 牛肉干, 荞麦, 蒙药材, 手工艺品 … */
    category: varchar('category', { length: 50 }).notNull(),
    villageCode: varchar('village_code', { length: 12 }).notNull().references(() => areas.code),
    leaderId: bigint('leader_id', { mode: 'number' }),
    /** Shop name and/or platform, e.g. “科尔沁牛业旗舰店（淘宝）”. */
    shop: varchar('shop', { length: 100 }),
    note: text('note'),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    uniqueIndex('ecommerce_products_name_uq').on(t.countyCode, t.villageCode, t.name),
    index('ecommerce_products_village_idx').using('btree', t.villageCode.op('varchar_pattern_ops')),
    foreignKey({ columns: [t.countyCode, t.leaderId], foreignColumns: [leaders.countyCode, leaders.id] }),
  ],
);
