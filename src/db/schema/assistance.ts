// Assistance (issue 5): who helps whom (units, cadres, work teams, pairings, plans, visits), the
// measures ledger over Tongliao's channels, and the project library with its funds and assets.
// Registry tables, distributed by county_code on Citus: every key and foreign key includes it.
// measure_types is a small reference table (built-in types plus those a county adds).
// Code lists (channels, fund sources, statuses, kinds) are in domain/assistance/catalogue.ts.
import { pgTable, varchar, char, bigint, smallint, integer, boolean, numeric, text, jsonb, primaryKey, unique, uniqueIndex, index, foreignKey, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { areas } from './areas.js';
import { households, sealedId, sealedPhone } from './registry.js';
import { at, day, money, stamps } from './columns.js';


/** 帮扶单位 — an organisation that assists households or villages in this county. */
export const assistanceUnits = pgTable(
  'assistance_units',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    /** UNIT_KINDS: party_gov | institution | soe | private | social | east_west | other. */
    kind: varchar('kind', { length: 16 }).notNull(),
    /** UNIT_LEVELS: central | province | city | county | township. */
    level: varchar('level', { length: 16 }).notNull(),
    contactName: varchar('contact_name', { length: 50 }),
    contactPhone: varchar('contact_phone', { length: 20 }),
    ...stamps(),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.id] }), uniqueIndex('assistance_units_name_uq').on(t.countyCode, t.name)],
);

/** 帮扶干部 — a person who assists: responsible cadre (帮扶责任人) and/or work-team member. */
export const cadres = pgTable(
  'cadres',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    unitId: bigint('unit_id', { mode: 'number' }).notNull(),
    name: varchar('name', { length: 50 }).notNull(),
    /** Legacy plaintext (see sealedId in registry.ts); the ID number (GB 11643) is sealed. */
    idNumber: char('id_number', { length: 18 }),
    ...sealedId,
    /** Legacy plaintext (see sealedPhone). */
    phone: varchar('phone', { length: 20 }),
    ...sealedPhone,
    /** 职务, free text. */
    position: varchar('position', { length: 50 }),
    /** The login account of this cadre, when they have one (their visits are recorded under it). */
    userId: bigint('user_id', { mode: 'number' }),
    active: boolean('active').notNull().default(true),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    uniqueIndex('cadres_id_hash_uq').on(t.countyCode, t.idHash),
    index('cadres_id_hash_idx').on(t.idHash),
    check('cadres_id_sealed', sql`id_hash IS NOT NULL AND id_enc IS NOT NULL AND id_masked IS NOT NULL OR id_number IS NOT NULL`),
    index('cadres_id_idx').on(t.id),
    foreignKey({ columns: [t.countyCode, t.unitId], foreignColumns: [assistanceUnits.countyCode, assistanceUnits.id] }),
  ],
);

/** 驻村工作队 — a work team stationed in a village over a period. */
export const workTeams = pgTable(
  'work_teams',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    villageCode: varchar('village_code', { length: 12 }).notNull().references(() => areas.code),
    unitId: bigint('unit_id', { mode: 'number' }).notNull(),
    startedOn: day('started_on').notNull(),
    endedOn: day('ended_on'),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    index('work_teams_village_idx').using('btree', t.villageCode.op('varchar_pattern_ops')),
    foreignKey({ columns: [t.countyCode, t.unitId], foreignColumns: [assistanceUnits.countyCode, assistanceUnits.id] }),
  ],
);

/** Who served in a work team, in which role (TEAM_ROLES: first_secretary | leader | member), when. */
export const workTeamMembers = pgTable(
  'work_team_members',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    teamId: bigint('team_id', { mode: 'number' }).notNull(),
    cadreId: bigint('cadre_id', { mode: 'number' }).notNull(),
    role: varchar('role', { length: 16 }).notNull(),
    startedOn: day('started_on').notNull(),
    endedOn: day('ended_on'),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.teamId, t.cadreId, t.startedOn] }),
    index('work_team_members_cadre_idx').on(t.countyCode, t.cadreId),
    foreignKey({ columns: [t.countyCode, t.teamId], foreignColumns: [workTeams.countyCode, workTeams.id] }),
    foreignKey({ columns: [t.countyCode, t.cadreId], foreignColumns: [cadres.countyCode, cadres.id] }),
  ],
);

/** 结对帮扶 — a responsible cadre paired with a household over a period; one open pairing per household. */
export const pairings = pgTable(
  'pairings',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    cadreId: bigint('cadre_id', { mode: 'number' }).notNull(),
    householdId: bigint('household_id', { mode: 'number' }).notNull(),
    startedOn: day('started_on').notNull(),
    endedOn: day('ended_on'),
    endReason: text('end_reason'),
    createdBy: varchar('created_by', { length: 64 }).notNull(),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    uniqueIndex('pairings_open_uq').on(t.countyCode, t.householdId).where(sql`ended_on IS NULL`),
    index('pairings_household_idx').on(t.countyCode, t.householdId),
    index('pairings_cadre_idx').on(t.countyCode, t.cadreId),
    foreignKey({ columns: [t.countyCode, t.cadreId], foreignColumns: [cadres.countyCode, cadres.id] }),
    foreignKey({ columns: [t.countyCode, t.householdId], foreignColumns: [households.countyCode, households.id] }),
  ],
);

/** 一户一策 — the one plan of a household: needs, agreed measures, targets, review dates. */
export const householdPlans = pgTable(
  'household_plans',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    householdId: bigint('household_id', { mode: 'number' }).notNull(),
    /** Cause codes (致贫原因 code list) the plan addresses. */
    needs: varchar('needs', { length: 2 }).array().notNull().default(sql`'{}'`),
    needsNote: text('needs_note').notNull().default(''),
    /** [{ typeCode, quantity, amount, dueOn, note }]: measures agreed with the household. */
    agreedMeasures: jsonb('agreed_measures').notNull().default([]),
    /** Per-capita net income the plan aims at, and by which year. */
    targetIncome: money('target_income'),
    targetYear: smallint('target_year'),
    targetsNote: text('targets_note').notNull().default(''),
    /** The cadre who agreed the plan with the household, and the day the household agreed. */
    cadreId: bigint('cadre_id', { mode: 'number' }),
    agreedOn: day('agreed_on'),
    reviewEveryMonths: smallint('review_every_months').notNull().default(6),
    lastReviewedOn: day('last_reviewed_on'),
    nextReviewOn: day('next_review_on'),
    version: integer('version').notNull().default(1),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.householdId] }),
    index('household_plans_review_idx').on(t.countyCode, t.nextReviewOn),
    foreignKey({ columns: [t.countyCode, t.householdId], foreignColumns: [households.countyCode, households.id] }),
  ],
);

/** 走访 — one visit to a household: who, when, what was found, what follows. */
export const visits = pgTable(
  'visits',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    householdId: bigint('household_id', { mode: 'number' }).notNull(),
    cadreId: bigint('cadre_id', { mode: 'number' }),
    visitedOn: day('visited_on').notNull(),
    /** VISIT_KINDS: home | phone | meeting. */
    kind: varchar('kind', { length: 16 }).notNull().default('home'),
    findings: text('findings').notNull(),
    followUps: text('follow_ups').notNull().default(''),
    followUpDue: day('follow_up_due'),
    followUpDoneOn: day('follow_up_done_on'),
    createdBy: varchar('created_by', { length: 64 }).notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    index('visits_household_idx').on(t.countyCode, t.householdId, t.visitedOn),
    index('visits_cadre_idx').on(t.countyCode, t.cadreId, t.visitedOn),
    foreignKey({ columns: [t.countyCode, t.householdId], foreignColumns: [households.countyCode, households.id] }),
    foreignKey({ columns: [t.countyCode, t.cadreId], foreignColumns: [cadres.countyCode, cadres.id] }),
  ],
);

/** Measure types by channel. county_code null: shipped for everyone; otherwise added by that county. */
export const measureTypes = pgTable(
  'measure_types',
  {
    code: varchar('code', { length: 48 }).primaryKey(),
    /** CHANNELS key. */
    channel: varchar('channel', { length: 24 }).notNull(),
    nameZh: varchar('name_zh', { length: 100 }).notNull(),
    nameEn: varchar('name_en', { length: 100 }).notNull(),
    unitZh: varchar('unit_zh', { length: 16 }).notNull(),
    unitEn: varchar('unit_en', { length: 16 }).notNull(),
    /** household | member: to whom a measure of this type is given. */
    target: varchar('target', { length: 16 }).notNull().default('household'),
    /** Where its money goes in the yearly income record (INCOME_COMPONENTS); non_counting is not income (domain.md §3). */
    incomeComponent: varchar('income_component', { length: 16 }).notNull(),
    countyCode: char('county_code', { length: 6 }),
    active: boolean('active').notNull().default(true),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('measure_types_channel_idx').on(t.channel)],
);

/** 项目库 — a project: channel, villages, schedule, status, public disclosure. */
export const projects = pgTable(
  'projects',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    channel: varchar('channel', { length: 24 }).notNull(),
    /** The year the project is planned in (项目库年度). */
    year: smallint('year').notNull(),
    /** PROJECT_STATUSES: planned | approved | in_progress | completed | cancelled. */
    status: varchar('status', { length: 16 }).notNull().default('planned'),
    /** Village codes the project serves; empty means county-wide. */
    villageCodes: varchar('village_codes', { length: 12 }).array().notNull().default(sql`'{}'`),
    implementer: varchar('implementer', { length: 100 }),
    description: text('description').notNull().default(''),
    startsOn: day('starts_on'),
    endsOn: day('ends_on'),
    /** 公告公示: the day the project was publicly disclosed, and where. */
    disclosedOn: day('disclosed_on'),
    disclosureNote: text('disclosure_note'),
    version: integer('version').notNull().default(1),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    uniqueIndex('projects_name_uq').on(t.countyCode, t.year, t.name),
    index('projects_id_idx').on(t.id),
  ],
);

/** Allocation of a fund source (FUND_SOURCES) to a project: the budget disbursements may not exceed. */
export const projectBudgets = pgTable(
  'project_budgets',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    projectId: bigint('project_id', { mode: 'number' }).notNull(),
    fundSource: varchar('fund_source', { length: 24 }).notNull(),
    amount: money('amount').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.projectId, t.fundSource] }),
    foreignKey({ columns: [t.countyCode, t.projectId], foreignColumns: [projects.countyCode, projects.id] }),
  ],
);

/** A payment out of a project's fund source. */
export const disbursements = pgTable(
  'disbursements',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    projectId: bigint('project_id', { mode: 'number' }).notNull(),
    fundSource: varchar('fund_source', { length: 24 }).notNull(),
    paidOn: day('paid_on').notNull(),
    amount: money('amount').notNull(),
    payee: varchar('payee', { length: 100 }).notNull(),
    voucherNo: varchar('voucher_no', { length: 50 }),
    note: text('note'),
    recordedBy: varchar('recorded_by', { length: 64 }).notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    index('disbursements_project_idx').on(t.countyCode, t.projectId),
    foreignKey({ columns: [t.countyCode, t.projectId, t.fundSource], foreignColumns: [projectBudgets.countyCode, projectBudgets.projectId, projectBudgets.fundSource] }),
  ],
);

/** 利益联结 — a household a project benefits, how (LINK_KINDS) and by how much a year. */
export const projectBeneficiaries = pgTable(
  'project_beneficiaries',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    projectId: bigint('project_id', { mode: 'number' }).notNull(),
    householdId: bigint('household_id', { mode: 'number' }).notNull(),
    linkKind: varchar('link_kind', { length: 16 }).notNull(),
    expectedBenefit: money('expected_benefit'),
    note: text('note'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.projectId, t.householdId] }),
    index('project_beneficiaries_household_idx').on(t.countyCode, t.householdId),
    foreignKey({ columns: [t.countyCode, t.projectId], foreignColumns: [projects.countyCode, projects.id] }),
    foreignKey({ columns: [t.countyCode, t.householdId], foreignColumns: [households.countyCode, households.id] }),
  ],
);

/** An asset a project created (village solar station, cattle barn, …), owned by a village collective. */
export const assets = pgTable(
  'assets',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    projectId: bigint('project_id', { mode: 'number' }),
    villageCode: varchar('village_code', { length: 12 }).notNull().references(() => areas.code),
    /** ASSET_KINDS: solar_station | cattle_barn | greenhouse | processing | tourism | other. */
    kind: varchar('kind', { length: 16 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    /** Size in the kind's unit (kW for a solar station, head for a barn, m² otherwise). */
    capacity: numeric('capacity', { precision: 12, scale: 2, mode: 'number' }),
    value: money('value'),
    completedOn: day('completed_on'),
    owner: varchar('owner', { length: 100 }).notNull().default('村集体'),
    ...stamps(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    index('assets_village_idx').using('btree', t.villageCode.op('varchar_pattern_ops')),
    foreignKey({ columns: [t.countyCode, t.projectId], foreignColumns: [projects.countyCode, projects.id] }),
  ],
);

/** Income of an asset for a period and how the village decided to distribute it. */
export const assetIncomes = pgTable(
  'asset_incomes',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    assetId: bigint('asset_id', { mode: 'number' }).notNull(),
    year: smallint('year').notNull(),
    /** 1–4, or null for a yearly income. */
    quarter: smallint('quarter'),
    amount: money('amount').notNull(),
    /** The village decision (村民议事) the distribution follows. */
    decidedOn: day('decided_on'),
    decisionNote: text('decision_note'),
    /** The distribution computed from the decision (calculator result), lines and arithmetic included. */
    distribution: jsonb('distribution'),
    recordedBy: varchar('recorded_by', { length: 64 }).notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    unique('asset_incomes_period_uq').on(t.countyCode, t.assetId, t.year, t.quarter).nullsNotDistinct(),
    foreignKey({ columns: [t.countyCode, t.assetId], foreignColumns: [assets.countyCode, assets.id] }),
  ],
);

/** The measures ledger: one measure given to a household (or one member) in a year. */
export const measures = pgTable(
  'measures',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    householdId: bigint('household_id', { mode: 'number' }).notNull(),
    memberId: bigint('member_id', { mode: 'number' }),
    typeCode: varchar('type_code', { length: 48 }).notNull().references(() => measureTypes.code),
    year: smallint('year').notNull(),
    givenOn: day('given_on'),
    quantity: numeric('quantity', { precision: 12, scale: 2, mode: 'number' }),
    /** Money value in yuan (a grant, a wage, a dividend, a reimbursement). */
    amount: money('amount').notNull().default(0),
    projectId: bigint('project_id', { mode: 'number' }),
    fundSource: varchar('fund_source', { length: 24 }),
    /** Copied from the type when recorded and changeable per measure: where its money goes in the income record. */
    incomeComponent: varchar('income_component', { length: 16 }).notNull(),
    /** The asset income distribution it came from, if any. */
    assetIncomeId: bigint('asset_income_id', { mode: 'number' }),
    note: text('note'),
    recordedBy: varchar('recorded_by', { length: 64 }).notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    /** Optimistic concurrency: a correction or deletion names the version it read; each correction bumps it. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    index('measures_household_idx').on(t.countyCode, t.householdId, t.year),
    index('measures_year_type_idx').on(t.countyCode, t.year, t.typeCode),
    index('measures_project_idx').on(t.countyCode, t.projectId),
    foreignKey({ columns: [t.countyCode, t.householdId], foreignColumns: [households.countyCode, households.id] }),
    foreignKey({ columns: [t.countyCode, t.projectId], foreignColumns: [projects.countyCode, projects.id] }),
  ],
);
