// Registry tables, distributed by county_code on Citus: every key includes it.
import {
  pgTable, varchar, char, bigint, smallint, integer, boolean, numeric, date, timestamp, text,
  primaryKey, uniqueIndex, index, foreignKey, check,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { areas } from './areas.js';

const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });
const mu = (name: string) => numeric(name, { precision: 10, scale: 2, mode: 'number' });
const stamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
};

/**
 * ID numbers and phones at rest (services/pii.ts): `*_enc` is the AES-256-GCM sealed value,
 * `id_hash` a keyed hash (HMAC-SHA-256) for uniqueness and exact search, `*_masked` the masked form
 * that lists show. The plaintext columns `id_number` / `phone` only hold data of a database written
 * before 0011 until start-up seals it (db/seal-legacy.ts); nothing writes them any more.
 */
export const sealedId = {
  idHash: char('id_hash', { length: 64 }),
  idEnc: text('id_enc'),
  idMasked: varchar('id_masked', { length: 18 }),
};
export const sealedPhone = {
  phoneEnc: text('phone_enc'),
  phoneMasked: varchar('phone_masked', { length: 20 }),
};

/** 建档立卡户 — a registered household. */
export const households = pgTable(
  'households',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    /** 户编号 (AAC001), unique within the county. */
    householdNo: varchar('household_no', { length: 32 }).notNull(),
    villageCode: varchar('village_code', { length: 12 })
      .notNull()
      .references(() => areas.code),
    /** 村民小组 (AAR007). */
    groupName: varchar('group_name', { length: 50 }),
    /** 贫困户属性 (AAC006), code list `attribute`. */
    attribute: varchar('attribute', { length: 2 }).notNull(),
    /** 脱贫标志 (AAR010), code list `exitStatus`. */
    exitStatus: varchar('exit_status', { length: 2 }).notNull().default('0'),
    /** 主要致贫原因 (AAC007) and 其他致贫原因 (AAC008), code list `cause`. */
    mainCause: varchar('main_cause', { length: 2 }),
    otherCauses: varchar('other_causes', { length: 2 }).array().notNull().default(sql`'{}'`),
    /** 户主姓名, kept in step with the member whose relation is 户主 for fast lists. */
    headName: varchar('head_name', { length: 50 }).notNull(),
    /** 首次识别时间 (AAR041). */
    identifiedOn: date('identified_on', { mode: 'string' }),
    /** 脱贫年度 (AAC023). */
    exitYear: smallint('exit_year'),
    /** Legacy plaintext phone of a database from before sealing (0011); emptied at start-up. */
    phone: varchar('phone', { length: 20 }),
    ...sealedPhone,
    /** 帮扶单位 and 帮扶责任人. */
    assistanceUnit: varchar('assistance_unit', { length: 100 }),
    responsibleCadre: varchar('responsible_cadre', { length: 50 }),
    /** 易地扶贫搬迁户. */
    relocated: boolean('relocated').notNull().default(false),
    /** Optimistic concurrency: an update names the version it read. */
    version: integer('version').notNull().default(1),
    ...stamps,
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    uniqueIndex('households_no_uq').on(t.countyCode, t.householdNo),
    index('households_village_idx').using('btree', t.villageCode.op('varchar_pattern_ops'), t.id),
    index('households_status_idx').on(t.countyCode, t.exitStatus),
    index('households_id_idx').on(t.id),
    index('households_head_name_idx').using('btree', t.headName.op('varchar_pattern_ops')),
  ],
);

/** 家庭成员 — a household member. */
export const members = pgTable(
  'members',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    householdId: bigint('household_id', { mode: 'number' }).notNull(),
    name: varchar('name', { length: 50 }).notNull(),
    /** Legacy plaintext (see sealedId); the ID number is in id_enc / id_hash / id_masked. */
    idNumber: char('id_number', { length: 18 }),
    ...sealedId,
    relation: varchar('relation', { length: 2 }).notNull(),
    sex: varchar('sex', { length: 1 }).notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    ethnicity: varchar('ethnicity', { length: 2 }).notNull(),
    education: varchar('education', { length: 2 }),
    studentStatus: varchar('student_status', { length: 2 }),
    health: varchar('health', { length: 2 }),
    disabilityGrade: varchar('disability_grade', { length: 2 }),
    labourAbility: varchar('labour_ability', { length: 2 }),
    /** 务工时间, months worked away this year, 0–12. */
    workMonths: smallint('work_months'),
    medicalInsurance: boolean('medical_insurance'),
    criticalIllnessInsurance: boolean('critical_illness_insurance'),
    pensionInsurance: boolean('pension_insurance'),
    /** Legacy plaintext (see sealedPhone). */
    phone: varchar('phone', { length: 20 }),
    ...sealedPhone,
    ...stamps,
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    uniqueIndex('members_id_hash_uq').on(t.countyCode, t.idHash),
    index('members_id_hash_idx').on(t.idHash),
    check('members_id_sealed', sql`id_hash IS NOT NULL AND id_enc IS NOT NULL AND id_masked IS NOT NULL OR id_number IS NOT NULL`),
    index('members_household_idx').on(t.countyCode, t.householdId),
    foreignKey({ columns: [t.countyCode, t.householdId], foreignColumns: [households.countyCode, households.id] }).onDelete('cascade'),
  ],
);

/** 年度信息 — one record per household and year: income, 两不愁三保障, housing, land. */
export const householdYears = pgTable(
  'household_years',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    householdId: bigint('household_id', { mode: 'number' }).notNull(),
    year: smallint('year').notNull(),
    householdSize: smallint('household_size').notNull(),
    /** 脱贫标志 that year. */
    status: varchar('status', { length: 2 }).notNull(),
    wageIncome: money('wage_income').notNull().default(0),
    productionIncome: money('production_income').notNull().default(0),
    propertyIncome: money('property_income').notNull().default(0),
    transferIncome: money('transfer_income').notNull().default(0),
    productionCosts: money('production_costs').notNull().default(0),
    /** Education grants, medical reimbursements, relocation/housing subsidies: kept, not counted. */
    nonCountingIncome: money('non_counting_income').notNull().default(0),
    /** 人均纯收入, written by the one domain function (perCapitaNetIncome). */
    perCapitaIncome: money('per_capita_income').notNull(),
    foodSecure: boolean('food_secure'),
    clothingSecure: boolean('clothing_secure'),
    educationSecure: boolean('education_secure'),
    medicalSecure: boolean('medical_secure'),
    housingSecure: boolean('housing_secure'),
    waterSecure: boolean('water_secure'),
    /** 危房户. */
    dangerousHouse: boolean('dangerous_house'),
    waterLitresPerDay: smallint('water_litres_per_day'),
    waterFetchMinutes: smallint('water_fetch_minutes'),
    electricity: boolean('electricity'),
    roadAccess: boolean('road_access'),
    sanitaryToilet: boolean('sanitary_toilet'),
    farmlandMu: mu('farmland_mu'),
    forestMu: mu('forest_mu'),
    returnedFarmlandMu: mu('returned_farmland_mu'),
    pastureMu: mu('pasture_mu'),
    note: text('note'),
    version: integer('version').notNull().default(1),
    ...stamps,
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.householdId, t.year] }),
    index('household_years_year_idx').on(t.countyCode, t.year),
    foreignKey({ columns: [t.countyCode, t.householdId], foreignColumns: [households.countyCode, households.id] }).onDelete('cascade'),
  ],
);
