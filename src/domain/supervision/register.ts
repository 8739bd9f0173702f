// What the register indicators read: the fields a record should have (data completeness) and the
// monitoring rules that are data-quality rules (domain.md §4). The service builds its SQL from these
// lists, and the workbook's explanation sheet prints them, so the two cannot drift apart.
import type { Text } from '../policy-types.js';
import { MONITORING_RULES } from '../monitoring-catalogue.js';

export interface CompletenessField {
  /** Column of households, members or household_years. */
  column: string;
  label: Text;
  /** Text columns are filled when not blank; others when not null. */
  text?: boolean;
}

/**
 * Household fields. The responsible cadre (帮扶责任人) is expected only while the household still
 * enjoys policies (status 0, 1 or 3 in the year, as dq_no_responsible_cadre), and is filled by the
 * register's text field or by a pairing open on the last day of the year (today for this year).
 */
export const HOUSEHOLD_FIELDS: readonly CompletenessField[] = [
  { column: 'main_cause', text: true, label: { zh: '主要致贫原因', en: 'main cause of poverty' } },
  // The phone is sealed (services/pii.ts): its masked form is present exactly when it is.
  { column: 'phone_masked', text: true, label: { zh: '联系电话', en: 'phone' } },
  { column: 'identified_on', label: { zh: '首次识别时间', en: 'first identification date' } },
];
export const RESPONSIBLE_CADRE_FIELD: CompletenessField = { column: 'responsible_cadre', text: true, label: { zh: '帮扶责任人（享受政策的户）', en: 'responsible cadre (households enjoying policies)' } };
/** 脱贫标志 values of households that need a responsible cadre (domain/assistance/pairing.ts PAIRED_STATUSES). */
export const NEEDS_CADRE_STATUSES = ['0', '1', '3'] as const;

/** Member fields, each expected of every member. */
export const MEMBER_FIELDS: readonly CompletenessField[] = [
  { column: 'education', text: true, label: { zh: '文化程度', en: 'education' } },
  { column: 'health', text: true, label: { zh: '健康状况', en: 'health' } },
  { column: 'labour_ability', text: true, label: { zh: '劳动技能', en: 'labour ability' } },
  { column: 'medical_insurance', label: { zh: '基本医疗保险', en: 'basic medical insurance' } },
  { column: 'critical_illness_insurance', label: { zh: '大病保险', en: 'critical-illness insurance' } },
  { column: 'pension_insurance', label: { zh: '基本养老保险', en: 'basic pension insurance' } },
];

/**
 * Yearly-record fields (the year the period ends in). The record itself stands for its income: the
 * income columns are required, so a record present has its income filled; a missing record counts
 * every field here as empty.
 */
export const YEAR_RECORD_FIELD: CompletenessField = { column: 'household_years', label: { zh: '年度记录（收入）', en: 'the yearly record (income)' } };
export const YEAR_FIELDS: readonly CompletenessField[] = [
  { column: 'food_secure', label: { zh: '不愁吃', en: 'food secured' } },
  { column: 'clothing_secure', label: { zh: '不愁穿', en: 'clothing secured' } },
  { column: 'education_secure', label: { zh: '义务教育有保障', en: 'compulsory education secured' } },
  { column: 'medical_secure', label: { zh: '基本医疗有保障', en: 'basic medical care secured' } },
  { column: 'housing_secure', label: { zh: '住房安全有保障', en: 'safe housing secured' } },
  { column: 'water_secure', label: { zh: '饮水安全有保障', en: 'safe drinking water secured' } },
];

/** Fields expected of one household-year: household + cadre when needed + members + the yearly record. */
export function expectedFields(members: number, needsCadre: boolean): number {
  return HOUSEHOLD_FIELDS.length + (needsCadre ? 1 : 0) + MEMBER_FIELDS.length * members + 1 + YEAR_FIELDS.length;
}

/**
 * The data-quality rules of domain.md §4 among the monitoring rules: every `dq_*` rule, and
 * exited_below_line (an exited household below the line, listed there as a data-quality rule).
 */
export const DATA_QUALITY_RULES: readonly string[] = Object.freeze(
  MONITORING_RULES.filter((r) => r.key.startsWith('dq_') || r.key === 'exited_below_line').map((r) => r.key as string),
);
