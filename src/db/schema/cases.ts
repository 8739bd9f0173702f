// Procedures (issue 4): cases of the three workflows (domain/workflows/) and their append-only
// events; relapse-monitoring alerts from rule scans and department data matching.
// Registry tables, distributed by county_code on Citus: every key includes it.
import { pgTable, varchar, char, bigint, integer, smallint, boolean, date, timestamp, text, jsonb, primaryKey, uniqueIndex, index, foreignKey, customType, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { households, sealedId } from './registry.js';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** One run of a procedure for one household: identification, household_exit or monitoring. */
export const cases = pgTable(
  'cases',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    /** WorkflowKey: identification | household_exit | monitoring. */
    workflow: varchar('workflow', { length: 32 }).notNull(),
    householdId: bigint('household_id', { mode: 'number' }).notNull(),
    /** The household's village when the case opened: the area that scopes who sees it. */
    villageCode: varchar('village_code', { length: 12 }).notNull(),
    /** The state after the last event (a cache of replaying the events; the events are the truth). */
    state: varchar('state', { length: 32 }).notNull(),
    /** The seq of the last event: a step names the seq it saw, so two concurrent steps cannot both land. */
    seq: integer('seq').notNull().default(0),
    /** The state is final (no forward step leaves it). */
    closed: boolean('closed').notNull().default(false),
    /** Set while a notice runs: the day from which it may be closed (China time). */
    noticeEndsOn: date('notice_ends_on', { mode: 'string' }),
    /** Set while a deadline runs: the last day still in time. */
    dueOn: date('due_on', { mode: 'string' }),
    /** The year the case is about (the yearly record evaluated). */
    year: smallint('year'),
    /** Monitoring: the risk type code (domain/workflows/codes.ts). */
    riskType: varchar('risk_type', { length: 32 }),
    /** The alert the case was opened from, if any. */
    alertId: bigint('alert_id', { mode: 'number' }),
    openedAt: at('opened_at').notNull().defaultNow(),
    openedBy: varchar('opened_by', { length: 64 }).notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    index('cases_id_idx').on(t.id),
    index('cases_household_idx').on(t.countyCode, t.householdId),
    index('cases_state_idx').on(t.countyCode, t.workflow, t.state),
    index('cases_village_idx').using('btree', t.villageCode.op('varchar_pattern_ops'), t.id),
    foreignKey({ columns: [t.countyCode, t.householdId], foreignColumns: [households.countyCode, households.id] }),
  ],
);

/** Append-only: one row per step, never updated or deleted. (case, seq) is the concurrency guard. */
export const caseEvents = pgTable(
  'case_events',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    caseId: bigint('case_id', { mode: 'number' }).notNull(),
    seq: integer('seq').notNull(),
    action: varchar('action', { length: 48 }).notNull(),
    fromState: varchar('from_state', { length: 32 }).notNull(),
    toState: varchar('to_state', { length: 32 }).notNull(),
    /** WorkflowActor: id, username, role, areaCode. */
    actor: jsonb('actor').notNull(),
    at: at('at').notNull().defaultNow(),
    comment: text('comment').notNull().default(''),
    input: jsonb('input').notNull().default({}),
    /** Attachment metadata (the bytes are in case_attachments). */
    attachments: jsonb('attachments').notNull().default([]),
    /** Every ResolvedParam the step used: a later parameter change never rewrites it. */
    params: jsonb('params').notNull().default([]),
    /** The evaluation the step relied on (domain/evaluate.ts Decision), when it needed one. */
    evaluation: jsonb('evaluation'),
    noticeEndsOn: date('notice_ends_on', { mode: 'string' }),
    dueOn: date('due_on', { mode: 'string' }),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.caseId, t.seq] }),
    foreignKey({ columns: [t.countyCode, t.caseId], foreignColumns: [cases.countyCode, cases.id] }),
  ],
);

/** Files attached to a step (application form, meeting minutes, notice photo, …). */
export const caseAttachments = pgTable(
  'case_attachments',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    caseId: bigint('case_id', { mode: 'number' }).notNull(),
    /** One of ATTACHMENT_KINDS (domain/workflows/fields.ts). */
    kind: varchar('kind', { length: 32 }).notNull(),
    filename: varchar('filename', { length: 255 }).notNull(),
    mime: varchar('mime', { length: 100 }).notNull(),
    size: integer('size').notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    content: bytea('content').notNull(),
    uploadedBy: varchar('uploaded_by', { length: 64 }).notNull(),
    uploadedAt: at('uploaded_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    index('case_attachments_case_idx').on(t.countyCode, t.caseId),
    foreignKey({ columns: [t.countyCode, t.caseId], foreignColumns: [cases.countyCode, cases.id] }),
  ],
);

/** A relapse-risk signal found by a scan (rule or department data match), to be checked by people. */
export const monitoringAlerts = pgTable(
  'monitoring_alerts',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: bigint('id', { mode: 'number' }).generatedByDefaultAsIdentity().notNull(),
    householdId: bigint('household_id', { mode: 'number' }).notNull(),
    /** The rule key (domain monitoring rules) or `department:<kind>`. */
    rule: varchar('rule', { length: 48 }).notNull(),
    year: smallint('year').notNull(),
    /** The facts that triggered it and the parameters used. */
    facts: jsonb('facts').notNull().default({}),
    params: jsonb('params').notNull().default([]),
    /** Text {zh, en}. */
    reason: jsonb('reason').notNull(),
    /** open | case_opened | dismissed | resolved. */
    status: varchar('status', { length: 16 }).notNull().default('open'),
    caseId: bigint('case_id', { mode: 'number' }),
    foundAt: at('found_at').notNull().defaultNow(),
    resolvedAt: at('resolved_at'),
    resolvedBy: varchar('resolved_by', { length: 64 }),
    resolution: text('resolution'),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    uniqueIndex('monitoring_alerts_once_uq').on(t.countyCode, t.householdId, t.rule, t.year),
    index('monitoring_alerts_status_idx').on(t.countyCode, t.status),
    foreignKey({ columns: [t.countyCode, t.householdId], foreignColumns: [households.countyCode, households.id] }),
  ],
);

/**
 * Other departments' records (数据比对): vehicles, commercial housing, registered companies,
 * public-servant family members, large medical costs. Loaded by batch; matched to members by ID number.
 */
export const departmentRecords = pgTable(
  'department_records',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    batch: bigint('batch', { mode: 'number' }).notNull(),
    /** vehicle | housing | company | public_servant | medical_cost. */
    kind: varchar('kind', { length: 32 }).notNull(),
    /** Legacy plaintext (see sealedId in registry.ts). */
    idNumber: char('id_number', { length: 18 }),
    ...sealedId,
    name: varchar('name', { length: 50 }),
    /** What the department recorded, e.g. a plate and model, an address, a company name. */
    detail: text('detail'),
    /** Money amount when the record has one (vehicle price, medical out-of-pocket cost). */
    amount: integer('amount'),
    recordDate: date('record_date', { mode: 'string' }),
    department: varchar('department', { length: 100 }).notNull(),
    loadedAt: at('loaded_at').notNull().defaultNow(),
    loadedBy: varchar('loaded_by', { length: 64 }).notNull(),
  },
  (t) => [
    index('department_records_id_hash_idx').on(t.idHash),
    index('department_records_batch_idx').on(t.batch),
    check('department_records_id_sealed', sql`id_hash IS NOT NULL AND id_enc IS NOT NULL AND id_masked IS NOT NULL OR id_number IS NOT NULL`),
  ],
);
