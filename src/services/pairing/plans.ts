// 一户一策: the one plan of a household — needs (cause codes and a note), agreed measures (measure
// types from measure_types), the target per-capita income and year, the cadre who agreed it and
// the day the household agreed, and reviews every N months (next review computed; past due →
// overdue). Optimistic concurrency on version: 0 creates, the current version replaces, anything
// else is 409 with the current plan. Audited with before and after.
import { Conflict, type FieldIssue } from '../../domain/errors.js';
import { isCode, labelOf } from '../../domain/codes.js';
import { REVIEW_MONTHS_MAX, REVIEW_MONTHS_MIN, dayIssues, isOverdue, nextReviewOn, textIssues } from '../../domain/assistance/pairing.js';
import type { Text } from '../../domain/policy-types.js';
import { loadHousehold } from '../households.js';
import { audit, require, type Ctx } from '../context.js';
import { fail, findCadre, today, type Query } from './shared.js';

/** Money is kept to the fen: more decimals would be rounded silently by the numeric column. */
function twoPlaces(v: number): boolean {
  return Math.abs(Math.round(v * 100) - v * 100) < 1e-6;
}

export interface AgreedMeasure {
  typeCode: string;
  typeName: Text;
  unit: Text;
  quantity: number | null;
  amount: number | null;
  dueOn: string | null;
  note: string;
}

export interface PlanView {
  householdId: number;
  countyCode: string;
  /** False until the first save (version 0). */
  exists: boolean;
  needs: { code: string; label: Text }[];
  needsNote: string;
  agreedMeasures: AgreedMeasure[];
  targetIncome: number | null;
  targetYear: number | null;
  targetsNote: string;
  cadreId: number | null;
  cadreName: string | null;
  agreedOn: string | null;
  reviewEveryMonths: number;
  lastReviewedOn: string | null;
  nextReviewOn: string | null;
  overdue: boolean;
  version: number;
  updatedAt: string | null;
}

export interface PlanInput {
  version?: number;
  needs?: string[];
  needsNote?: string | null;
  agreedMeasures?: { typeCode?: string; quantity?: number | null; amount?: number | null; dueOn?: string | null; note?: string | null }[];
  targetIncome?: number | null;
  targetYear?: number | null;
  targetsNote?: string | null;
  cadreId?: number | null;
  agreedOn?: string | null;
  reviewEveryMonths?: number;
  lastReviewedOn?: string | null;
}

interface PlanRow {
  needs: string[];
  needsNote: string;
  agreedMeasures: { typeCode: string; quantity: number | null; amount: number | null; dueOn: string | null; note: string }[];
  targetIncome: number | null;
  targetYear: number | null;
  targetsNote: string;
  cadreId: number | null;
  cadreName: string | null;
  agreedOn: string | null;
  reviewEveryMonths: number;
  lastReviewedOn: string | null;
  nextReviewOn: string | null;
  version: number;
  updatedAt: string;
}

const DEFAULT_REVIEW_MONTHS = 6;

async function measureTypes(db: Query, county: string): Promise<Map<string, { name: Text; unit: Text }>> {
  const rows = await db.query<{ code: string; zh: string; en: string; uzh: string; uen: string }>(
    'SELECT code, name_zh AS zh, name_en AS en, unit_zh AS uzh, unit_en AS uen FROM measure_types WHERE active AND (county_code IS NULL OR county_code = $1)',
    [county],
  );
  return new Map(rows.map((r) => [r.code, { name: { zh: r.zh, en: r.en }, unit: { zh: r.uzh, en: r.uen } }]));
}

async function readPlan(db: Query, householdId: number, county: string): Promise<PlanView> {
  const [r] = await db.query<PlanRow>(
    `SELECT p.needs, p.needs_note AS "needsNote", p.agreed_measures AS "agreedMeasures", p.target_income AS "targetIncome", p.target_year AS "targetYear",
            p.targets_note AS "targetsNote", p.cadre_id AS "cadreId", c.name AS "cadreName", to_char(p.agreed_on, 'YYYY-MM-DD') AS "agreedOn",
            p.review_every_months AS "reviewEveryMonths", to_char(p.last_reviewed_on, 'YYYY-MM-DD') AS "lastReviewedOn",
            to_char(p.next_review_on, 'YYYY-MM-DD') AS "nextReviewOn", p.version, p.updated_at::text AS "updatedAt"
       FROM household_plans p LEFT JOIN cadres c ON c.county_code = p.county_code AND c.id = p.cadre_id
      WHERE p.county_code = $1 AND p.household_id = $2`,
    [county, householdId],
  );
  if (!r) {
    return {
      householdId, countyCode: county, exists: false, needs: [], needsNote: '', agreedMeasures: [], targetIncome: null, targetYear: null, targetsNote: '',
      cadreId: null, cadreName: null, agreedOn: null, reviewEveryMonths: DEFAULT_REVIEW_MONTHS, lastReviewedOn: null, nextReviewOn: null, overdue: false, version: 0, updatedAt: null,
    };
  }
  const types = await measureTypes(db, county);
  return {
    householdId, countyCode: county, exists: true,
    needs: r.needs.map((code) => ({ code, label: { zh: labelOf('cause', code, 'zh'), en: labelOf('cause', code, 'en') } })),
    needsNote: r.needsNote,
    agreedMeasures: r.agreedMeasures.map((m) => ({
      ...m, typeName: types.get(m.typeCode)?.name ?? { zh: m.typeCode, en: m.typeCode }, unit: types.get(m.typeCode)?.unit ?? { zh: '', en: '' },
    })),
    targetIncome: r.targetIncome === null ? null : Number(r.targetIncome),
    targetYear: r.targetYear === null ? null : Number(r.targetYear),
    targetsNote: r.targetsNote,
    cadreId: r.cadreId === null ? null : Number(r.cadreId),
    cadreName: r.cadreName,
    agreedOn: r.agreedOn,
    reviewEveryMonths: Number(r.reviewEveryMonths),
    lastReviewedOn: r.lastReviewedOn,
    nextReviewOn: r.nextReviewOn,
    overdue: isOverdue(r.nextReviewOn, today()),
    version: Number(r.version),
    updatedAt: r.updatedAt,
  };
}

export async function getPlan(ctx: Ctx, householdId: number): Promise<PlanView> {
  require(ctx, 'register.read');
  const h = await loadHousehold(ctx.db, ctx, householdId);
  return readPlan(ctx.db, householdId, h.countyCode);
}

const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

export async function putPlan(ctx: Ctx, householdId: number, input: PlanInput): Promise<PlanView> {
  require(ctx, 'assistance.write');
  return ctx.db.transaction(async (tx) => {
    const h = await loadHousehold(tx, ctx, householdId, true);
    const before = await readPlan(tx, householdId, h.countyCode);
    if (!Number.isInteger(input.version) || input.version !== before.version) {
      throw new Conflict(
        before.exists
          ? { zh: `一户一策已被修改（您看到的是第 ${input.version ?? '?'} 版，当前为第 ${before.version} 版，${before.updatedAt ?? ''}）；请查看最新内容后再保存`, en: `The plan has changed (you saw version ${input.version ?? '?'}; it is now version ${before.version}); review the current plan and save again` }
          : { zh: `该户还没有一户一策；新建时版本号应为 0（收到 ${input.version ?? '空'}）`, en: `The household has no plan yet; create it with version 0 (got ${input.version ?? 'none'})` },
        before,
      );
    }
    const issues: FieldIssue[] = [];
    const now = today();
    const needs = input.needs ?? [];
    if (!Array.isArray(needs)) issues.push({ field: 'needs', zh: '需求应为致贫原因代码列表', en: 'needs must be a list of cause codes' });
    else {
      needs.forEach((c, i) => {
        if (!isCode('cause', String(c))) issues.push({ field: `needs.${i}`, value: String(c), zh: `“${c}”不是致贫原因代码；可选 01 因病 … 11 自身发展动力不足`, en: `"${c}" is not a cause-of-poverty code; use 01 (illness) … 11 (lack of motivation)` });
        else if (needs.indexOf(c) !== i) issues.push({ field: `needs.${i}`, value: String(c), zh: `致贫原因 ${c} 重复了；每项只填一次`, en: `Cause ${c} is listed twice; list each once` });
      });
    }
    issues.push(...textIssues('needsNote', input.needsNote, { zh: '需求说明', en: 'the needs note' }, 2000, false));
    const types = await measureTypes(tx, h.countyCode);
    const measures = input.agreedMeasures ?? [];
    if (measures.length > 50) issues.push({ field: 'agreedMeasures', zh: '商定措施最多 50 项', en: 'At most 50 agreed measures' });
    measures.forEach((m, i) => {
      const at = `agreedMeasures.${i}`;
      const n = { zh: `第 ${i + 1} 项措施`, en: `measure ${i + 1}` };
      if (!m.typeCode || !types.has(m.typeCode)) issues.push({ field: `${at}.typeCode`, value: String(m.typeCode ?? ''), zh: `${n.zh}的措施类型“${m.typeCode ?? ''}”不存在或已停用；请从措施目录中选择`, en: `The type "${m.typeCode ?? ''}" of ${n.en} does not exist or is inactive; choose one from the measure catalogue` });
      if (m.quantity != null && (!num(m.quantity) || m.quantity < 0 || m.quantity > 1e9)) issues.push({ field: `${at}.quantity`, value: String(m.quantity), zh: `${n.zh}的数量应为不小于 0 的数`, en: `The quantity of ${n.en} must be a number of 0 or more` });
      if (m.amount != null && (!num(m.amount) || m.amount < 0 || m.amount > 1e10 || !twoPlaces(m.amount))) issues.push({ field: `${at}.amount`, value: String(m.amount), zh: `${n.zh}的金额应为不小于 0 的元数，最多两位小数`, en: `The amount of ${n.en} must be 0 or more yuan, with at most two decimals` });
      issues.push(...dayIssues(`${at}.dueOn`, m.dueOn, { zh: `${n.zh}的完成期限`, en: `the due date of ${n.en}` }));
      issues.push(...textIssues(`${at}.note`, m.note, { zh: `${n.zh}的说明`, en: `the note of ${n.en}` }, 500, false));
    });
    const ti = input.targetIncome;
    if (ti != null && (!num(ti) || ti < 0 || ti > 1_000_000 || !twoPlaces(ti))) issues.push({ field: 'targetIncome', value: String(ti), zh: '目标人均纯收入应为 0–1,000,000 元，最多两位小数', en: 'The target per-capita income must be 0–1,000,000 yuan, with at most two decimals' });
    const ty = input.targetYear;
    if (ty != null && (!Number.isInteger(ty) || ty < 2000 || ty > 2100)) issues.push({ field: 'targetYear', value: String(ty), zh: '目标年度应为 2000–2100 的整数', en: 'The target year must be a whole number from 2000 to 2100' });
    if (ti != null && ty == null) issues.push({ field: 'targetYear', zh: '填写了目标收入，请同时填写在哪一年达到', en: 'A target income needs the year it is to be reached' });
    issues.push(...textIssues('targetsNote', input.targetsNote, { zh: '目标说明', en: 'the targets note' }, 2000, false));
    let cadreId: number | null = null;
    if (input.cadreId != null) {
      const c = await findCadre(tx, ctx, input.cadreId);
      if (!c || c.countyCode !== h.countyCode) issues.push({ field: 'cadreId', value: String(input.cadreId), zh: `干部 ${input.cadreId} 不存在或不是本旗县的帮扶干部；请选择与农户商定计划的干部`, en: `Cadre ${input.cadreId} does not exist or is not a cadre of the household's county; choose the cadre who agreed the plan` });
      else cadreId = c.id;
    }
    issues.push(...dayIssues('agreedOn', input.agreedOn, { zh: '农户同意日期', en: 'the day the household agreed' }, { today: now }));
    const every = input.reviewEveryMonths ?? DEFAULT_REVIEW_MONTHS;
    if (!Number.isInteger(every) || every < REVIEW_MONTHS_MIN || every > REVIEW_MONTHS_MAX) {
      issues.push({ field: 'reviewEveryMonths', value: String(every), zh: `复核周期应为 ${REVIEW_MONTHS_MIN}–${REVIEW_MONTHS_MAX} 个月的整数`, en: `The review period must be a whole number of ${REVIEW_MONTHS_MIN}–${REVIEW_MONTHS_MAX} months` });
    }
    const agreedOk = typeof input.agreedOn === 'string' && !dayIssues('agreedOn', input.agreedOn, { zh: '', en: '' }).length;
    issues.push(...dayIssues('lastReviewedOn', input.lastReviewedOn, { zh: '上次复核日期', en: 'the last review date' }, {
      today: now, notBefore: agreedOk ? { day: input.agreedOn!, label: { zh: '农户同意日期', en: 'the day the household agreed' } } : null,
    }));
    fail(issues);
    const agreedOn = input.agreedOn || null;
    const last = input.lastReviewedOn || null;
    const next = nextReviewOn(agreedOn, last, every);
    const stored = measures.map((m) => ({ typeCode: m.typeCode!, quantity: m.quantity ?? null, amount: m.amount ?? null, dueOn: m.dueOn || null, note: (m.note ?? '').trim() }));
    const vals = [h.countyCode, householdId, needs, (input.needsNote ?? '').trim(), JSON.stringify(stored), ti ?? null, ty ?? null, (input.targetsNote ?? '').trim(), cadreId, agreedOn, every, last, next];
    if (before.exists) {
      await tx.query(
        `UPDATE household_plans SET needs = $3, needs_note = $4, agreed_measures = $5::jsonb, target_income = $6, target_year = $7, targets_note = $8,
                cadre_id = $9, agreed_on = $10, review_every_months = $11, last_reviewed_on = $12, next_review_on = $13, version = version + 1, updated_at = now()
          WHERE county_code = $1 AND household_id = $2`,
        vals,
      );
    } else {
      await tx.query(
        `INSERT INTO household_plans (county_code, household_id, needs, needs_note, agreed_measures, target_income, target_year, targets_note, cadre_id, agreed_on, review_every_months, last_reviewed_on, next_review_on)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13)`,
        vals,
      );
    }
    const after = await readPlan(tx, householdId, h.countyCode);
    await audit(tx, ctx.actor, { action: before.exists ? 'update' : 'create', entity: 'household_plans', entityId: householdId, countyCode: h.countyCode, householdId, before: before.exists ? before : null, after });
    return after;
  });
}
