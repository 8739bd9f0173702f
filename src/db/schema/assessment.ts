// Assessment and supervision (issue 8): third-party exit evaluation plans, their frozen two-stage
// sample, the evaluators' questionnaires, the discrepancies found against the register and the
// findings (wrong exits, omissions) that open correction procedures. Registry tables, distributed
// by county_code on Citus: every key includes it. Offices being checked never write here (roles:
// assessment.*), and inspectors and evaluators see only the plans they are members of.
import { pgTable, varchar, char, bigint, smallint, integer, boolean, text, jsonb, primaryKey, uniqueIndex, index, foreignKey } from 'drizzle-orm/pg-core';
import { areas } from './areas.js';
import { users } from './accounts.js';
import { at, day, money, stamps } from './columns.js';

/** 评估计划: one county and year; draft → drawn (sample frozen) → closed (results frozen, shown on the exit panel). */
export const assessmentPlans = pgTable(
  'assessment_plans',
  {
    countyCode: char('county_code', { length: 6 }).notNull().references(() => areas.code),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    year: smallint('year').notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    /** The published seed (hashed exactly as given) and the algorithm name it was drawn with. */
    seed: varchar('seed', { length: 200 }).notNull(),
    algorithm: text('algorithm').notNull(),
    /** draft | drawn | closed */
    status: varchar('status', { length: 16 }).notNull().default('draft'),
    /** Sizes set by the plan: villages per township stratum, households per village stratum (PlanSizes in domain). */
    sizes: jsonb('sizes').notNull(),
    /** The 贫困村 list named by the plan, or null to derive it from the register (see services/assessment/frame.ts). */
    poorVillages: text('poor_villages').array(),
    /** A re-draw is a new plan that names the plan it replaces. */
    replacesPlanId: bigint('replaces_plan_id', { mode: 'number' }),
    /** At draw: the frame's stratum sizes and sha256 digest, so anyone can check the frame the sample came from. */
    frame: jsonb('frame'),
    frameDigest: char('frame_digest', { length: 64 }),
    /** At draw: the whole frame (villages with their township and kind, unit ids and sizes), so the draw can be re-run from the published seed after the register has changed. */
    frameUnits: jsonb('frame_units'),
    /** At close: the results as computed then (RateResult[] with counts, weights, intervals, verdicts). */
    results: jsonb('results'),
    createdBy: varchar('created_by', { length: 64 }).notNull(),
    drawnAt: at('drawn_at'),
    drawnBy: varchar('drawn_by', { length: 64 }),
    closedAt: at('closed_at'),
    closedBy: varchar('closed_by', { length: 64 }),
    version: integer('version').notNull().default(1),
    ...stamps(),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.id] }), index('assessment_plans_id_idx').on(t.id), index('assessment_plans_year_idx').on(t.countyCode, t.year)],
);

/** Who works on a plan: its lead (the inspector who created it) and evaluators. Only members see its sample. */
export const assessmentPlanMembers = pgTable(
  'assessment_plan_members',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    planId: bigint('plan_id', { mode: 'number' }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull().references(() => users.id),
    /** lead | evaluator */
    memberRole: varchar('member_role', { length: 16 }).notNull(),
    addedBy: varchar('added_by', { length: 64 }).notNull(),
    addedAt: at('added_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.planId, t.userId] }),
    index('assessment_plan_members_user_idx').on(t.userId),
    foreignKey({ columns: [t.countyCode, t.planId], foreignColumns: [assessmentPlans.countyCode, assessmentPlans.id] }),
  ],
);

/** Stage 1: the villages drawn, with their stratum (township × poor/non-poor) and weight N_h/n_h. */
export const assessmentVillages = pgTable(
  'assessment_villages',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    planId: bigint('plan_id', { mode: 'number' }).notNull(),
    villageCode: varchar('village_code', { length: 12 }).notNull().references(() => areas.code),
    stratum: varchar('stratum', { length: 32 }).notNull(),
    /** poor | nonPoor */
    kind: varchar('kind', { length: 8 }).notNull(),
    drawOrder: integer('draw_order').notNull(),
    populationSize: integer('population_size').notNull(),
    sampleSize: integer('sample_size').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.planId, t.villageCode] }),
    foreignKey({ columns: [t.countyCode, t.planId], foreignColumns: [assessmentPlans.countyCode, assessmentPlans.id] }),
  ],
);

/**
 * Stage 2: the households drawn. Exited and remaining households are register households; a
 * non-registered household is the k-th rural household not in the register on the village's
 * household roster (roster_no = k), found in the field from the printed route sheet.
 */
export const assessmentSamples = pgTable(
  'assessment_samples',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    planId: bigint('plan_id', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    villageCode: varchar('village_code', { length: 12 }).notNull(),
    villageStratum: varchar('village_stratum', { length: 32 }).notNull(),
    /** exited | remaining | nonRegistered */
    stratum: varchar('stratum', { length: 16 }).notNull(),
    /** The frame id drawn (household id, or NR-000017 for the 17th non-registered household). */
    unitId: varchar('unit_id', { length: 32 }).notNull(),
    householdId: bigint('household_id', { mode: 'number' }),
    rosterNo: integer('roster_no'),
    /** Household size in the register at the plan's year (null for non-registered households). */
    registerSize: smallint('register_size'),
    /** The household's yearly record of the plan's year as it was at draw time: questionnaires are compared with this, not with later corrections. */
    registerRecord: jsonb('register_record'),
    drawOrder: integer('draw_order').notNull(),
    /** M_ik and m_ik of the household stratum in this village. */
    populationSize: integer('population_size').notNull(),
    sampleSize: integer('sample_size').notNull(),
    /** The overall design weight (N_h·M_ik)/(n_h·m_ik), exact. */
    weightNum: bigint('weight_num', { mode: 'number' }).notNull(),
    weightDen: bigint('weight_den', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.planId, t.id] }),
    uniqueIndex('assessment_samples_unit_uq').on(t.countyCode, t.planId, t.villageCode, t.stratum, t.unitId),
    index('assessment_samples_household_idx').on(t.countyCode, t.householdId),
    foreignKey({ columns: [t.countyCode, t.planId], foreignColumns: [assessmentPlans.countyCode, assessmentPlans.id] }),
  ],
);

/** 入户调查问卷: one per sampled household, entered on the tablet page or imported from a spreadsheet. */
export const assessmentSurveys = pgTable(
  'assessment_surveys',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    planId: bigint('plan_id', { mode: 'number' }).notNull(),
    sampleId: bigint('sample_id', { mode: 'number' }).notNull(),
    /** completed | not_reached (absent, refused, moved away: kept out of every rate, listed as non-response) */
    outcome: varchar('outcome', { length: 16 }).notNull(),
    surveyedOn: day('surveyed_on').notNull(),
    evaluator: varchar('evaluator', { length: 64 }).notNull(),
    /** Non-registered households: the head's name as found on the roster (the sample has none). */
    headName: varchar('head_name', { length: 50 }),
    householdSize: smallint('household_size'),
    perCapitaIncome: money('per_capita_income'),
    foodSecure: boolean('food_secure'),
    clothingSecure: boolean('clothing_secure'),
    educationSecure: boolean('education_secure'),
    medicalSecure: boolean('medical_secure'),
    housingSecure: boolean('housing_secure'),
    waterSecure: boolean('water_secure'),
    /** Exited households: the evaluator's judgement that the exit was correct (false = 错退). */
    exitCorrect: boolean('exit_correct'),
    /** Non-registered households: should have been registered (true = 漏评). */
    omitted: boolean('omitted'),
    /** Remaining households: still poor as registered. */
    stillPoor: boolean('still_poor'),
    /** 认可度: the household approves of the poverty-alleviation work and its outcome. */
    approves: boolean('approves'),
    note: text('note'),
    /** form | import */
    source: varchar('source', { length: 8 }).notNull(),
    enteredBy: varchar('entered_by', { length: 64 }).notNull(),
    version: integer('version').notNull().default(1),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.planId, t.sampleId] }),
    foreignKey({ columns: [t.countyCode, t.planId, t.sampleId], foreignColumns: [assessmentSamples.countyCode, assessmentSamples.planId, assessmentSamples.id] }),
  ],
);

/** Every difference between a questionnaire and the register, rewritten whenever the questionnaire is saved. */
export const assessmentDiscrepancies = pgTable(
  'assessment_discrepancies',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    planId: bigint('plan_id', { mode: 'number' }).notNull(),
    sampleId: bigint('sample_id', { mode: 'number' }).notNull(),
    /** A survey field (householdSize, perCapitaIncome, foodSecure, …, exitCorrect, omitted, stillPoor). */
    field: varchar('field', { length: 32 }).notNull(),
    villageCode: varchar('village_code', { length: 12 }).notNull(),
    householdId: bigint('household_id', { mode: 'number' }),
    registerValue: text('register_value'),
    surveyValue: text('survey_value'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.planId, t.sampleId, t.field] }),
    index('assessment_discrepancies_village_idx').using('btree', t.villageCode.op('varchar_pattern_ops')),
    foreignKey({ columns: [t.countyCode, t.planId, t.sampleId], foreignColumns: [assessmentSamples.countyCode, assessmentSamples.planId, assessmentSamples.id] }),
  ],
);

/** 问题线索: a wrong exit or an omission found by the survey, and the correction procedure it opened. */
export const assessmentFindings = pgTable(
  'assessment_findings',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    planId: bigint('plan_id', { mode: 'number' }).notNull(),
    sampleId: bigint('sample_id', { mode: 'number' }).notNull(),
    /** wrong_exit | omission */
    kind: varchar('kind', { length: 16 }).notNull(),
    villageCode: varchar('village_code', { length: 12 }).notNull(),
    /** The register household (wrong exit; an omission once the office has registered it). */
    householdId: bigint('household_id', { mode: 'number' }),
    /** The correction case: exit_correction for a wrong exit, identification for an omission. */
    caseId: bigint('case_id', { mode: 'number' }),
    /** open (awaiting its case; an omission awaits registration first) | case_opened */
    status: varchar('status', { length: 16 }).notNull().default('open'),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.planId, t.sampleId] }),
    index('assessment_findings_village_idx').using('btree', t.villageCode.op('varchar_pattern_ops')),
    foreignKey({ columns: [t.countyCode, t.planId, t.sampleId], foreignColumns: [assessmentSamples.countyCode, assessmentSamples.planId, assessmentSamples.id] }),
  ],
);
