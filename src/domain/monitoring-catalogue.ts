// The catalogue of relapse-monitoring rules and of other departments' record kinds, with labels
// for user interfaces (API, CLI, web). The rules themselves are in monitoring-rules.ts.

import type { PolicyKey, Text } from './policy-types.js';

// --- department records ------------------------------------------------------------------------

/** Kinds of other departments' records (数据比对). medical_cost raises large_medical_cost; the others department:<kind>. */
export const DEPARTMENT_KINDS = ['vehicle', 'housing', 'company', 'public_servant', 'medical_cost'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];
/** Kinds whose mere presence is a match to review. */
export const MATCH_KINDS = ['vehicle', 'housing', 'company', 'public_servant'] as const satisfies readonly DepartmentKind[];
export type MatchKind = (typeof MATCH_KINDS)[number];

export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, Text & { aliases: readonly string[] }> = {
  vehicle: { zh: '车辆', en: 'vehicle', aliases: ['机动车', '汽车', '车辆登记'] },
  housing: { zh: '商品房', en: 'commercial housing', aliases: ['房产', '购房', '商品住房', 'house'] },
  company: { zh: '工商注册', en: 'registered company', aliases: ['企业', '公司', '市场主体', '工商'] },
  public_servant: { zh: '财政供养人员', en: 'public servant', aliases: ['公职人员', '公务员', '财政供养', '公职人员家属'] },
  medical_cost: { zh: '医疗自付费用', en: 'medical out-of-pocket cost', aliases: ['医疗费用', '医疗支出', '自付费用', 'medical'] },
};

function foldKind(s: string): string {
  return s.trim().toLowerCase().replace(/[\s_\-]+/g, '');
}
const kindIndex = new Map<string, DepartmentKind>();
for (const k of DEPARTMENT_KINDS) {
  const l = DEPARTMENT_KIND_LABELS[k];
  for (const name of [k, l.zh, l.en, ...l.aliases]) kindIndex.set(foldKind(name), k);
}

/** A kind by its code, Chinese or English label or a common alias (车辆, 商品房, 企业, 公职人员, 医疗费用 …). */
export function findDepartmentKind(s: string): DepartmentKind | undefined {
  return kindIndex.get(foldKind(s));
}

// --- the rules -----------------------------------------------------------------------------------

export type MonitoringRuleKey = 'income_below_threshold' | 'income_drop' | 'exited_below_line' | 'large_medical_cost' | `department:${MatchKind}`;

export interface MonitoringRuleInfo {
  key: MonitoringRuleKey;
  label: Text;
  description: Text;
  /** Where the signal comes from: the register's yearly records or other departments' records. */
  source: 'register' | 'department';
  /** The policy parameters it reads. */
  params: readonly PolicyKey[];
  /** The risk type (domain/workflows/codes.ts RISK_TYPES) a monitoring case opened from it would start with, if obvious. */
  riskType: string | null;
}

const NOT_POOR = { zh: '（只看当年不是未脱贫或返贫的农户：在册贫困户已在帮扶中）', en: ' (households not registered as poor that year, status not 0 or 3: the registered poor are already assisted)' };

export const MONITORING_RULES: readonly MonitoringRuleInfo[] = Object.freeze(([
  {
    key: 'income_below_threshold', source: 'register', riskType: 'income_drop',
    label: { zh: '收入低于监测标准', en: 'Income below the monitoring threshold' },
    description: {
      zh: `人均纯收入低于防返贫监测收入标准（本省当年标准；未设置时按监测收入倍数 × 贫困线）${NOT_POOR.zh}`,
      en: `Per-capita net income below the monitoring threshold (the province's value for the year; when none is set, the monitoring multiple × the poverty line)${NOT_POOR.en}`,
    },
    params: ['monitoring_income_threshold', 'monitoring_income_line_multiple', 'poverty_line'],
  },
  {
    key: 'income_drop', source: 'register', riskType: 'income_drop',
    label: { zh: '收入骤减', en: 'Sharp income drop' },
    description: {
      zh: `人均纯收入比上一年下降超过预警比例${NOT_POOR.zh}`,
      en: `Per-capita net income fell by more than the alert percentage from the previous year${NOT_POOR.en}`,
    },
    params: ['income_drop_alert_pct'],
  },
  {
    key: 'exited_below_line', source: 'register', riskType: null,
    label: { zh: '已脱贫户收入低于贫困线', en: 'Exited household below the poverty line' },
    description: {
      zh: '当年脱贫标志为已脱贫（1 或 4），但人均纯收入低于当年贫困线（数据质量规则）',
      en: 'Out of poverty that year (status 1 or 4) but per-capita net income below that year\'s poverty line (a data-quality rule)',
    },
    params: ['poverty_line'],
  },
  {
    key: 'large_medical_cost', source: 'department', riskType: 'illness',
    label: { zh: '大额医疗自付费用', en: 'Large medical out-of-pocket costs' },
    description: {
      zh: '医保部门记录的家庭成员当年医疗自付费用合计超过预警线',
      en: 'The household members\' medical out-of-pocket costs in the year, as recorded by the medical insurance office, add up to more than the alert line',
    },
    params: ['medical_oop_alert_yuan'],
  },
  ...MATCH_KINDS.map((k): MonitoringRuleInfo => ({
    key: `department:${k}`, source: 'department', riskType: null, params: [],
    label: { zh: `数据比对：${DEPARTMENT_KIND_LABELS[k].zh}`, en: `Cross-check: ${DEPARTMENT_KIND_LABELS[k].en}` },
    description: {
      zh: `家庭成员的身份证号出现在其他部门的${DEPARTMENT_KIND_LABELS[k].zh}记录中，需入户核实`,
      en: `A member's ID number is in another department's ${DEPARTMENT_KIND_LABELS[k].en} records; check on a home visit`,
    },
  })),
] satisfies MonitoringRuleInfo[]).map((r): MonitoringRuleInfo => Object.freeze(r)));

const ruleIndex = new Map(MONITORING_RULES.map((r) => [r.key as string, r]));

export function isMonitoringRule(s: string): s is MonitoringRuleKey {
  return ruleIndex.has(s);
}

/** The label of a rule key; the key itself for a rule no longer in the list. */
export function ruleLabel(key: string): Text {
  return ruleIndex.get(key)?.label ?? { zh: key, en: key };
}
