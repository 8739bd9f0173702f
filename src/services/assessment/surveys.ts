// Questionnaires (入户调查问卷) of a drawn plan: entered one at a time on the tablet page or many at
// once from a spreadsheet (imports.ts), both through saveSurveyTx. Each save rewrites the
// household's discrepancies against the register and its finding (wrong exit / omission), audited
// in the same transaction. Only the plan's evaluators may write, and only while the plan is drawn.
import type { Sql } from '../../db/client.js';
import { checkSurvey, discrepancies, type RegisterRecord, type SurveyAnswers, type Discrepancy } from '../../domain/assessment/survey.js';
import type { HouseholdStratum } from '../../domain/assessment/sampling.js';
import { Conflict, NotFound, ValidationError, type FieldIssue, type Msg } from '../../domain/errors.js';
import { localDay } from '../../domain/workflows/dates.js';
import { audit, require, type Ctx } from '../context.js';
import { planFor, type PlanRow } from './access.js';
import { PLAN_STATUS_LABELS } from './plans.js';

const SAMPLE: Msg = { zh: '样本户', en: 'sampled household' };

export interface SampleRow {
  id: number;
  villageCode: string;
  stratum: HouseholdStratum;
  householdId: number | null;
}

export interface SurveyView extends SurveyAnswers {
  sampleId: number;
  stratum: HouseholdStratum;
  source: 'form' | 'import';
  enteredBy: string;
  updatedAt: string;
  version: number;
  discrepancies: Discrepancy[];
}

const COLS = `q.outcome, to_char(q.surveyed_on, 'YYYY-MM-DD') AS "surveyedOn", q.head_name AS "headName", q.household_size AS "householdSize",
  q.per_capita_income AS "perCapitaIncome", q.food_secure AS "foodSecure", q.clothing_secure AS "clothingSecure", q.education_secure AS "educationSecure",
  q.medical_secure AS "medicalSecure", q.housing_secure AS "housingSecure", q.water_secure AS "waterSecure", q.exit_correct AS "exitCorrect",
  q.still_poor AS "stillPoor", q.omitted, q.approves, q.note, q.source, q.entered_by AS "enteredBy", q.updated_at AS "updatedAt", q.version`;

export async function sampleRow(db: Pick<Sql, 'query'>, p: PlanRow, sampleId: number): Promise<SampleRow> {
  if (!Number.isSafeInteger(sampleId) || sampleId <= 0) throw new NotFound(SAMPLE);
  const [s] = await db.query<SampleRow>(
    `SELECT id, village_code AS "villageCode", stratum, household_id AS "householdId" FROM assessment_samples WHERE county_code = $1 AND plan_id = $2 AND id = $3`,
    [p.countyCode, p.id, sampleId],
  );
  if (!s) throw new NotFound(SAMPLE);
  return { ...s, id: Number(s.id), householdId: s.householdId === null ? null : Number(s.householdId) };
}

/** The household's yearly record as it was when the sample was drawn (later corrections do not hide a discrepancy). */
async function registerRecord(db: Pick<Sql, 'query'>, p: PlanRow, s: SampleRow): Promise<RegisterRecord | null> {
  if (s.householdId === null) return null;
  const [r] = await db.query<{ rec: RegisterRecord | null }>(
    'SELECT register_record AS rec FROM assessment_samples WHERE county_code = $1 AND plan_id = $2 AND id = $3',
    [p.countyCode, p.id, s.id],
  );
  const rec = r?.rec ?? null;
  return rec ? { ...rec, householdSize: Number(rec.householdSize), perCapitaIncome: rec.perCapitaIncome === null ? null : Number(rec.perCapitaIncome) } : null;
}

const ANSWER_KEYS = ['outcome', 'surveyedOn', 'headName', 'householdSize', 'perCapitaIncome', 'foodSecure', 'clothingSecure', 'educationSecure', 'medicalSecure', 'housingSecure', 'waterSecure', 'exitCorrect', 'stillPoor', 'omitted', 'approves', 'note'] as const;

function sameAnswers(before: Record<string, unknown>, a: SurveyAnswers): boolean {
  return ANSWER_KEYS.every((k) => {
    const x = before[k] ?? null;
    const y = a[k] ?? null;
    return k === 'householdSize' || k === 'perCapitaIncome' ? (x === null ? null : Number(x)) === y : x === y;
  });
}

export function requireDrawn(p: PlanRow): void {
  if (p.status !== 'drawn') {
    throw new Conflict({
      zh: `计划 ${p.id} 为“${PLAN_STATUS_LABELS[p.status].zh}”，只有已抽样、未结束的计划可以录入问卷`,
      en: `Plan ${p.id} is "${PLAN_STATUS_LABELS[p.status].en}"; questionnaires can be entered only while a plan is drawn and not closed`,
    }, { status: p.status });
  }
}

async function readSurvey(db: Pick<Sql, 'query'>, p: PlanRow, s: SampleRow): Promise<SurveyView | null> {
  const [q] = await db.query<Record<string, unknown>>(`SELECT ${COLS} FROM assessment_surveys q WHERE q.county_code = $1 AND q.plan_id = $2 AND q.sample_id = $3`, [p.countyCode, p.id, s.id]);
  if (!q) return null;
  const answers = {
    ...(q as unknown as SurveyAnswers),
    householdSize: q.householdSize === null ? null : Number(q.householdSize),
    perCapitaIncome: q.perCapitaIncome === null ? null : Number(q.perCapitaIncome),
  };
  return {
    ...answers, sampleId: s.id, stratum: s.stratum, source: q.source as 'form' | 'import', enteredBy: String(q.enteredBy),
    updatedAt: new Date(q.updatedAt as string).toISOString(), version: Number(q.version),
    discrepancies: discrepancies(answers, s.stratum, await registerRecord(db, p, s)),
  };
}

/**
 * Saves one questionnaire inside `tx`: checks it (issues carry `row` when `row` is given), refuses a
 * stale `version`, upserts it, rewrites its discrepancies and finding, audits. Returns the issues
 * instead of throwing when `collect` is set (the import gathers every row's before refusing).
 */
export async function saveSurveyTx(
  tx: Sql, ctx: Ctx, p: PlanRow, s: SampleRow, raw: Record<string, unknown>, opts: { source: 'form' | 'import'; row?: number; now?: Date },
): Promise<{ issues: FieldIssue[]; saved: boolean; unchanged?: boolean }> {
  const today = localDay(opts.now ?? new Date());
  const { answers, issues } = checkSurvey(raw, s.stratum, Number(p.year), today);
  if (opts.row !== undefined) for (const i of issues) i.row = opts.row;
  if (issues.length) return { issues, saved: false };
  const [before] = await tx.query<Record<string, unknown>>(`SELECT ${COLS} FROM assessment_surveys q WHERE q.county_code = $1 AND q.plan_id = $2 AND q.sample_id = $3 FOR UPDATE`, [p.countyCode, p.id, s.id]);
  // Optimistic versions: a correction names the version it read, on the form and in the spreadsheet
  // (the template carries it), so nobody overwrites another evaluator's questionnaire unseen.
  const given = typeof raw.version === 'number' ? raw.version : null;
  if (before && given !== Number(before.version)) {
    if (opts.source === 'form') {
      throw given === null
        ? new Conflict({ zh: '此户已有问卷；修改时请带上读取时的版本号（version）', en: 'This household already has a questionnaire; send the version you read to change it' }, before)
        : new Conflict({ zh: '此问卷已被他人修改，请刷新后再改', en: 'This questionnaire was changed by someone else; reload it and try again' }, before);
    }
    const who = String(before.enteredBy);
    return {
      saved: false,
      issues: [{
        field: 'version', ...(opts.row !== undefined ? { row: opts.row } : {}), value: given === null ? '' : String(given),
        zh: `此户已有问卷（第 ${before.version} 版，${who} 录入）${given === null ? '，而本行没有版本号' : `，本行的版本号 ${given} 已过期`}；请重新导出模板，在最新的问卷上修改后再导入`,
        en: `This household already has a questionnaire (version ${before.version}, entered by ${who})${given === null ? ' and this row has no version' : `; this row's version ${given} is out of date`}; export the template again and change the latest questionnaire`,
      }],
    };
  }
  // A re-imported template repeats the saved questionnaires: unchanged ones are left alone.
  if (before && sameAnswers(before, answers)) return { issues: [], saved: false, unchanged: true };
  if (!before && given !== null && opts.source === 'form') {
    throw new Conflict({ zh: '此问卷已被他人修改，请刷新后再改', en: 'This questionnaire was changed by someone else; reload it and try again' }, null);
  }
  const vals = [
    p.countyCode, p.id, s.id, answers.outcome, answers.surveyedOn, ctx.actor.username, answers.headName, answers.householdSize, answers.perCapitaIncome,
    answers.foodSecure, answers.clothingSecure, answers.educationSecure, answers.medicalSecure, answers.housingSecure, answers.waterSecure,
    answers.exitCorrect, answers.omitted, answers.stillPoor, answers.approves, answers.note, opts.source,
  ];
  await tx.query(
    `INSERT INTO assessment_surveys (county_code, plan_id, sample_id, outcome, surveyed_on, evaluator, head_name, household_size, per_capita_income,
        food_secure, clothing_secure, education_secure, medical_secure, housing_secure, water_secure, exit_correct, omitted, still_poor, approves, note, source, entered_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $6)
     ON CONFLICT (county_code, plan_id, sample_id) DO UPDATE SET outcome = EXCLUDED.outcome, surveyed_on = EXCLUDED.surveyed_on, evaluator = EXCLUDED.evaluator,
        head_name = EXCLUDED.head_name, household_size = EXCLUDED.household_size, per_capita_income = EXCLUDED.per_capita_income,
        food_secure = EXCLUDED.food_secure, clothing_secure = EXCLUDED.clothing_secure, education_secure = EXCLUDED.education_secure,
        medical_secure = EXCLUDED.medical_secure, housing_secure = EXCLUDED.housing_secure, water_secure = EXCLUDED.water_secure,
        exit_correct = EXCLUDED.exit_correct, omitted = EXCLUDED.omitted, still_poor = EXCLUDED.still_poor, approves = EXCLUDED.approves,
        note = EXCLUDED.note, source = EXCLUDED.source, entered_by = EXCLUDED.entered_by, version = assessment_surveys.version + 1, updated_at = now()`,
    vals,
  );
  const found = discrepancies(answers, s.stratum, await registerRecord(tx, p, s));
  await tx.query('DELETE FROM assessment_discrepancies WHERE county_code = $1 AND plan_id = $2 AND sample_id = $3', [p.countyCode, p.id, s.id]);
  if (found.length) {
    await tx.query(
      `INSERT INTO assessment_discrepancies (county_code, plan_id, sample_id, field, village_code, household_id, register_value, survey_value)
       SELECT $1, $2, $3, f, $4, $5, r, v FROM unnest($6::text[], $7::text[], $8::text[]) AS t(f, r, v)`,
      [p.countyCode, p.id, s.id, s.villageCode, s.householdId, found.map((d) => d.field), found.map((d) => d.registerValue), found.map((d) => d.surveyValue)],
    );
  }
  const kind = answers.outcome === 'completed' && s.stratum === 'exited' && answers.exitCorrect === false ? 'wrong_exit'
    : answers.outcome === 'completed' && s.stratum === 'nonRegistered' && answers.omitted === true ? 'omission' : null;
  // Findings get their cases when the plan closes; before that they follow the answers.
  await tx.query(`DELETE FROM assessment_findings WHERE county_code = $1 AND plan_id = $2 AND sample_id = $3 AND status = 'open'`, [p.countyCode, p.id, s.id]);
  if (kind) {
    await tx.query(
      `INSERT INTO assessment_findings (county_code, plan_id, sample_id, kind, village_code, household_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [p.countyCode, p.id, s.id, kind, s.villageCode, s.householdId],
    );
  }
  await audit(tx, ctx.actor, {
    // No household_id: the household's history is open to the offices being checked, and must not
    // tell them which households were sampled or how they answered (entity_id names the sample).
    action: before ? 'update' : 'create', entity: 'assessment_surveys', entityId: `${p.id}:${s.id}`, countyCode: p.countyCode,
    before: before ?? null, after: { ...answers, source: opts.source, discrepancies: found.map((d) => d.field), finding: kind },
  });
  return { issues: [], saved: true };
}

/** Enters or corrects one questionnaire (tablet form). A correction names the version it read. */
export async function saveSurvey(ctx: Ctx, planId: number, sampleId: number, raw: Record<string, unknown>, now?: Date): Promise<SurveyView> {
  require(ctx, 'assessment.survey');
  return ctx.db.transaction(async (tx) => {
    const p = await planFor(tx, ctx, planId, 'survey', true);
    requireDrawn(p);
    const s = await sampleRow(tx, p, sampleId);
    const r = await saveSurveyTx(tx, ctx, p, s, raw, { source: 'form', ...(now ? { now } : {}) });
    if (r.issues.length) throw new ValidationError(r.issues, { zh: '问卷有误，未保存；请按提示修改后重试', en: 'The questionnaire is invalid; nothing was saved — correct the fields listed and try again' });
    return (await readSurvey(tx, p, s))!;
  });
}

export async function getSurvey(ctx: Ctx, planId: number, sampleId: number): Promise<SurveyView | null> {
  const p = await planFor(ctx.db, ctx, planId, 'read');
  return readSurvey(ctx.db, p, await sampleRow(ctx.db, p, sampleId));
}

export interface DiscrepancyRow {
  sampleId: number;
  villageCode: string;
  villageName: string;
  stratum: HouseholdStratum;
  householdId: number | null;
  householdNo: string | null;
  headName: string | null;
  field: string;
  registerValue: string | null;
  surveyValue: string | null;
}

/** Every discrepancy of the plan, by village and household. */
export async function listDiscrepancies(ctx: Ctx, planId: number): Promise<DiscrepancyRow[]> {
  const p = await planFor(ctx.db, ctx, planId, 'read');
  const rows = await ctx.db.query<DiscrepancyRow>(
    `SELECT d.sample_id AS "sampleId", d.village_code AS "villageCode", a.name AS "villageName", s.stratum, d.household_id AS "householdId",
            h.household_no AS "householdNo", coalesce(h.head_name, q.head_name) AS "headName", d.field, d.register_value AS "registerValue", d.survey_value AS "surveyValue"
       FROM assessment_discrepancies d
       JOIN assessment_samples s ON s.county_code = d.county_code AND s.plan_id = d.plan_id AND s.id = d.sample_id
       JOIN areas a ON a.code = d.village_code
       LEFT JOIN assessment_surveys q ON q.county_code = d.county_code AND q.plan_id = d.plan_id AND q.sample_id = d.sample_id
       LEFT JOIN households h ON h.county_code = d.county_code AND h.id = d.household_id
      WHERE d.county_code = $1 AND d.plan_id = $2 ORDER BY d.village_code, d.sample_id, d.field`,
    [p.countyCode, p.id],
  );
  return rows.map((r) => ({ ...r, sampleId: Number(r.sampleId), householdId: r.householdId === null ? null : Number(r.householdId) }));
}
