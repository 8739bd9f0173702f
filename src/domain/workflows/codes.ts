// Code lists of the monitoring procedure (防返贫动态监测), with Chinese and English labels. Codes are
// readable words because they are stored inside event inputs (JSON), not in register columns.

import type { CodeOption } from './types.js';

/** Risk types (风险类型) of domain.md §6. */
export const RISK_TYPES: readonly CodeOption[] = Object.freeze([
  { code: 'illness', zh: '因病', en: 'illness' },
  { code: 'schooling', zh: '因学', en: 'schooling costs' },
  { code: 'disability', zh: '因残', en: 'disability' },
  { code: 'disaster', zh: '因灾', en: 'natural disaster' },
  { code: 'accident', zh: '因意外', en: 'accident' },
  { code: 'housing', zh: '因安全住房', en: 'unsafe housing' },
  { code: 'drinking_water', zh: '因安全饮水', en: 'unsafe drinking water' },
  { code: 'labour_shortage', zh: '缺劳动力', en: 'lack of labour' },
  { code: 'unstable_employment', zh: '因务工就业不稳', en: 'unstable work or employment' },
  { code: 'rigid_expense', zh: '大额刚性支出', en: 'large rigid expenses' },
  { code: 'income_drop', zh: '收入骤减', en: 'sharp drop in income' },
].map((c) => Object.freeze(c)));

/** How a case was discovered (发现方式), domain.md §6. */
export const DISCOVERY_SOURCES: readonly CodeOption[] = Object.freeze([
  { code: 'self_report', zh: '农户自主申报', en: 'self-report by the household' },
  { code: 'cadre_visit', zh: '干部走访排查', en: 'visit by cadres' },
  { code: 'department_screening', zh: '部门筛查预警', en: 'department screening and early warning' },
].map((c) => Object.freeze(c)));
