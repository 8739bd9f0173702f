// The household questionnaire of a third-party exit evaluation (issue 8) and its comparison with the
// register. Pure: checks one questionnaire for its household's stratum (every bad field named, in
// Chinese and English) and lists every difference from the register's record of the plan's year.
//
// Questions: outcome (completed / not reached), date, household size, per-capita net income,
// 两不愁 (food, clothing), 三保障 (education, medical care, housing), drinking water, and by
// stratum: exited → was the exit correct (false = 错退); remaining → still poor; non-registered →
// should the household have been registered (true = 漏评) and the head's name as found; every
// completed household → approves of the work (认可度). A household not reached gives a reason in
// the note and no answers; it is left out of every rate and counted as non-response.

import type { FieldIssue, Msg } from '../errors.js';
import type { HouseholdStratum } from './sampling.js';

export const SURVEY_FLAGS = ['foodSecure', 'clothingSecure', 'educationSecure', 'medicalSecure', 'housingSecure', 'waterSecure'] as const;
export type SurveyFlag = (typeof SURVEY_FLAGS)[number];
export const STRATUM_QUESTION = { exited: 'exitCorrect', remaining: 'stillPoor', nonRegistered: 'omitted' } as const satisfies Record<HouseholdStratum, string>;
export type StratumQuestion = (typeof STRATUM_QUESTION)[HouseholdStratum];

export interface SurveyAnswers {
  outcome: 'completed' | 'not_reached';
  surveyedOn: string;
  headName: string | null;
  householdSize: number | null;
  perCapitaIncome: number | null;
  foodSecure: boolean | null;
  clothingSecure: boolean | null;
  educationSecure: boolean | null;
  medicalSecure: boolean | null;
  housingSecure: boolean | null;
  waterSecure: boolean | null;
  exitCorrect: boolean | null;
  stillPoor: boolean | null;
  omitted: boolean | null;
  approves: boolean | null;
  note: string | null;
}

export const SURVEY_LABELS: Record<keyof SurveyAnswers, Msg> = {
  outcome: { zh: '调查结果', en: 'outcome' },
  surveyedOn: { zh: '调查日期', en: 'survey date' },
  headName: { zh: '户主姓名', en: 'head of household' },
  householdSize: { zh: '家庭人口', en: 'household size' },
  perCapitaIncome: { zh: '人均纯收入（元）', en: 'per-capita net income (yuan)' },
  foodSecure: { zh: '不愁吃', en: 'food secure' },
  clothingSecure: { zh: '不愁穿', en: 'clothing secure' },
  educationSecure: { zh: '义务教育有保障', en: 'compulsory education secured' },
  medicalSecure: { zh: '基本医疗有保障', en: 'basic medical care secured' },
  housingSecure: { zh: '住房安全有保障', en: 'safe housing secured' },
  waterSecure: { zh: '饮水安全有保障', en: 'safe drinking water' },
  exitCorrect: { zh: '退出是否准确', en: 'exit correct' },
  stillPoor: { zh: '是否仍为贫困', en: 'still poor' },
  omitted: { zh: '是否应纳未纳（漏评）', en: 'should have been registered (omitted)' },
  approves: { zh: '是否认可帮扶工作', en: 'approves of the work' },
  note: { zh: '备注', en: 'note' },
};

export const MAX_SURVEY_INCOME = 1_000_000;

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v));
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;

/** Checks answers for a household of `stratum`; `today` (YYYY-MM-DD) bounds the date, `year` is the plan's year. */
export function checkSurvey(raw: Record<string, unknown>, stratum: HouseholdStratum, year: number, today: string): { answers: SurveyAnswers; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const add = (field: keyof SurveyAnswers, value: unknown, zh: string, en: string) =>
    issues.push({ field, value: value === undefined ? undefined : show(value), zh: `${SURVEY_LABELS[field].zh}：${zh}`, en: `${SURVEY_LABELS[field].en}: ${en}` });
  const outcome = raw.outcome;
  if (outcome !== 'completed' && outcome !== 'not_reached') add('outcome', outcome, `应为 completed（已完成）或 not_reached（未入户：不在家、拒访、迁出），收到 ${show(outcome)}`, `must be completed or not_reached (absent, refused, moved away), got ${show(outcome)}`);
  const surveyedOn = raw.surveyedOn;
  if (!isDay(surveyedOn)) add('surveyedOn', surveyedOn, `应为 YYYY-MM-DD 格式的日期，收到 ${show(surveyedOn)}`, `must be a date YYYY-MM-DD, got ${show(surveyedOn)}`);
  else if (surveyedOn > today) add('surveyedOn', surveyedOn, `${surveyedOn} 晚于今天（${today}），不能填写将来的日期`, `${surveyedOn} is after today (${today}); a survey date cannot be in the future`);
  else if (Number(surveyedOn.slice(0, 4)) < year) add('surveyedOn', surveyedOn, `${surveyedOn} 早于评估年度 ${year}`, `${surveyedOn} is before the evaluation year ${year}`);
  const bool = (k: keyof SurveyAnswers): boolean | null => {
    const v = raw[k];
    if (v === undefined || v === null) return null;
    if (typeof v === 'boolean') return v;
    add(k, v, `应为“是”或“否”（true/false），收到 ${show(v)}`, `must be yes or no (true/false), got ${show(v)}`);
    return null;
  };
  const text = (k: 'headName' | 'note', max: number): string | null => {
    const v = raw[k];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return null;
    if (typeof v !== 'string' || v.trim().length > max) {
      add(k, v, `应为不超过 ${max} 个字的文本`, `must be text of at most ${max} characters`);
      return null;
    }
    return v.trim();
  };
  const num = (k: 'householdSize' | 'perCapitaIncome', min: number, max: number, whole: boolean): number | null => {
    const v = raw[k];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (whole && !Number.isInteger(v)) || Math.round(v * 100) !== Number((v * 100).toFixed(6))) {
      add(k, v, `应为 ${min}–${max} 的${whole ? '整数' : '数（最多两位小数）'}，收到 ${show(v)}`, `must be ${whole ? 'a whole number' : 'a number (at most 2 decimals)'} from ${min} to ${max}, got ${show(v)}`);
      return null;
    }
    return v;
  };
  const answers: SurveyAnswers = {
    outcome: outcome === 'not_reached' ? 'not_reached' : 'completed',
    surveyedOn: isDay(surveyedOn) ? surveyedOn : '',
    headName: text('headName', 50),
    householdSize: num('householdSize', 1, 30, true),
    perCapitaIncome: num('perCapitaIncome', -MAX_SURVEY_INCOME, MAX_SURVEY_INCOME, false),
    foodSecure: bool('foodSecure'),
    clothingSecure: bool('clothingSecure'),
    educationSecure: bool('educationSecure'),
    medicalSecure: bool('medicalSecure'),
    housingSecure: bool('housingSecure'),
    waterSecure: bool('waterSecure'),
    exitCorrect: bool('exitCorrect'),
    stillPoor: bool('stillPoor'),
    omitted: bool('omitted'),
    approves: bool('approves'),
    note: text('note', 500),
  };
  const own = STRATUM_QUESTION[stratum];
  const answerKeys = ['headName', 'householdSize', 'perCapitaIncome', ...SURVEY_FLAGS, 'exitCorrect', 'stillPoor', 'omitted', 'approves'] as const;
  const named = new Set(issues.map((i) => i.field));
  if (outcome === 'not_reached') {
    if (answers.note === null && !named.has('note')) add('note', raw.note, '未入户时必须写明原因（不在家、拒访、迁出等）', 'give the reason the household was not reached (absent, refused, moved away…)');
    for (const k of answerKeys) if (raw[k] !== undefined && raw[k] !== null && raw[k] !== '' && !named.has(k)) add(k, raw[k], '未入户的问卷不应有答案；请清空，或把调查结果改为 completed', 'a household not reached has no answers; clear it, or set the outcome to completed');
  } else if (outcome === 'completed') {
    const required: (keyof SurveyAnswers)[] = ['householdSize', 'perCapitaIncome', ...SURVEY_FLAGS, own, 'approves'];
    if (stratum === 'nonRegistered') required.push('headName');
    for (const k of required) if (answers[k] === null && !named.has(k)) add(k, raw[k], '必填', 'is required');
    for (const k of ['exitCorrect', 'stillPoor', 'omitted'] as const) {
      if (k !== own && raw[k] !== undefined && raw[k] !== null && !named.has(k)) {
        add(k, raw[k], `只适用于${k === 'exitCorrect' ? '已脱贫户' : k === 'stillPoor' ? '未脱贫户' : '非建档立卡户'}，本户不应填写`, `applies only to ${k === 'exitCorrect' ? 'exited' : k === 'stillPoor' ? 'remaining poor' : 'non-registered'} households; leave it empty for this one`);
      }
    }
  }
  return { answers, issues };
}

/** The register's record of the household in the plan's year (null for a non-registered household). */
export interface RegisterRecord {
  householdSize: number;
  perCapitaIncome: number | null;
  foodSecure: boolean | null;
  clothingSecure: boolean | null;
  educationSecure: boolean | null;
  medicalSecure: boolean | null;
  housingSecure: boolean | null;
  waterSecure: boolean | null;
  status: string;
}

export interface Discrepancy {
  field: keyof SurveyAnswers;
  registerValue: string | null;
  surveyValue: string | null;
  reason: Msg;
}

const yn = (b: boolean | null) => (b === null ? null : b ? 'true' : 'false');

/**
 * Every difference between a completed questionnaire and the register: household size, income (any
 * difference of one yuan or more), each 两不愁三保障/water flag the register holds, and the
 * stratum's own finding (a wrong exit, a remaining household no longer poor, an omission).
 */
export function discrepancies(a: SurveyAnswers, stratum: HouseholdStratum, reg: RegisterRecord | null): Discrepancy[] {
  if (a.outcome !== 'completed') return [];
  const out: Discrepancy[] = [];
  if (stratum === 'nonRegistered') {
    if (a.omitted === true) out.push({ field: 'omitted', registerValue: null, surveyValue: 'true', reason: { zh: '评估认定应纳未纳（漏评），登记系统中没有此户', en: 'Found to be omitted: the household should have been registered and is not' } });
    return out;
  }
  if (!reg) return out;
  if (a.householdSize !== null && a.householdSize !== reg.householdSize) {
    out.push({ field: 'householdSize', registerValue: String(reg.householdSize), surveyValue: String(a.householdSize), reason: { zh: `家庭人口：登记 ${reg.householdSize} 人，调查 ${a.householdSize} 人`, en: `Household size: ${reg.householdSize} registered, ${a.householdSize} surveyed` } });
  }
  if (a.perCapitaIncome !== null && (reg.perCapitaIncome === null || Math.abs(a.perCapitaIncome - reg.perCapitaIncome) >= 1)) {
    const r = reg.perCapitaIncome === null ? '未登记' : reg.perCapitaIncome.toFixed(2);
    const re = reg.perCapitaIncome === null ? 'not recorded' : reg.perCapitaIncome.toFixed(2);
    out.push({ field: 'perCapitaIncome', registerValue: reg.perCapitaIncome === null ? null : reg.perCapitaIncome.toFixed(2), surveyValue: a.perCapitaIncome.toFixed(2), reason: { zh: `人均纯收入：登记 ${r} 元，调查 ${a.perCapitaIncome.toFixed(2)} 元`, en: `Per-capita income: ${re} registered, ${a.perCapitaIncome.toFixed(2)} surveyed` } });
  }
  for (const f of SURVEY_FLAGS) {
    const r = reg[f];
    const s = a[f];
    if (r !== null && s !== null && r !== s) {
      const l = SURVEY_LABELS[f];
      out.push({ field: f, registerValue: yn(r), surveyValue: yn(s), reason: { zh: `${l.zh}：登记为“${r ? '是' : '否'}”，调查为“${s ? '是' : '否'}”`, en: `${l.en}: registered ${r ? 'yes' : 'no'}, surveyed ${s ? 'yes' : 'no'}` } });
    }
  }
  if (stratum === 'exited' && a.exitCorrect === false) out.push({ field: 'exitCorrect', registerValue: reg.status, surveyValue: 'false', reason: { zh: '登记为已脱贫，评估认定退出不准确（错退）', en: 'Registered as exited; the evaluation finds the exit wrong (wrong exit)' } });
  if (stratum === 'remaining' && a.stillPoor === false) out.push({ field: 'stillPoor', registerValue: reg.status, surveyValue: 'false', reason: { zh: '登记为未脱贫，评估认为已不属于贫困', en: 'Registered as poor; the evaluation finds the household no longer poor' } });
  return out;
}
