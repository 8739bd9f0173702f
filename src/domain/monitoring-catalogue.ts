// The catalogue of relapse-monitoring rules and of other departments' record kinds, with labels
// for user interfaces (API, CLI, web). The rules themselves are in monitoring-rules.ts.

import type { PolicyKey, Text } from './policy-types.js';

// --- department records ------------------------------------------------------------------------

/**
 * Kinds of other departments' records (数据比对). medical_cost raises large_medical_cost; disaster,
 * accident and dropout raise their own rules; dibao and tekun (民政 civil affairs lists) feed the
 * data-quality rule dq_assistance_not_listed; the others (MATCH_KINDS) raise department:<kind>.
 */
export const DEPARTMENT_KINDS = [
  'vehicle', 'housing', 'company', 'public_servant', 'medical_cost', 'disaster', 'accident', 'dropout', 'death', 'dibao', 'tekun',
] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];
/** Kinds whose mere presence is a match to review. */
export const MATCH_KINDS = ['vehicle', 'housing', 'company', 'public_servant', 'death'] as const satisfies readonly DepartmentKind[];
export type MatchKind = (typeof MATCH_KINDS)[number];
/**
 * Kinds that are events of a year: they count only in the year of their date, and a file row of
 * one of them needs the date. The other kinds are states (a vehicle, a 低保 entitlement, a death)
 * that count from their date on, or always when undated.
 */
export const YEAR_KINDS = ['medical_cost', 'disaster', 'accident', 'dropout'] as const satisfies readonly DepartmentKind[];
/** Civil-affairs assistance lists (民政): they raise nothing themselves, the data-quality rule reads them. */
export const ASSISTANCE_KINDS = ['dibao', 'tekun'] as const satisfies readonly DepartmentKind[];
export type AssistanceKind = (typeof ASSISTANCE_KINDS)[number];

export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, Text & { aliases: readonly string[] }> = {
  vehicle: { zh: '车辆', en: 'vehicle', aliases: ['机动车', '汽车', '车辆登记'] },
  housing: { zh: '商品房', en: 'commercial housing', aliases: ['房产', '购房', '商品住房', 'house'] },
  company: { zh: '工商注册', en: 'registered company', aliases: ['企业', '公司', '市场主体', '工商'] },
  public_servant: { zh: '财政供养人员', en: 'public servant', aliases: ['公职人员', '公务员', '财政供养', '公职人员家属'] },
  medical_cost: { zh: '医疗自付费用', en: 'medical out-of-pocket cost', aliases: ['医疗费用', '医疗支出', '自付费用', 'medical'] },
  disaster: { zh: '受灾', en: 'disaster', aliases: ['灾害', '自然灾害', '受灾户', '灾情', '因灾'] },
  accident: { zh: '意外事故', en: 'accident', aliases: ['意外', '意外伤害', '事故', '交通事故'] },
  dropout: { zh: '失辍学', en: 'school dropout', aliases: ['辍学', '失学', '失学辍学', '控辍保学'] },
  death: { zh: '死亡注销', en: 'death', aliases: ['死亡', '户籍注销', '死亡人员', '火化'] },
  dibao: { zh: '低保', en: 'minimum living allowance (dibao)', aliases: ['最低生活保障', '低保对象', '农村低保', '低保人员'] },
  tekun: { zh: '特困供养', en: 'extreme-poverty support (tekun)', aliases: ['特困', '特困人员', '特困供养人员', '五保', '五保户'] },
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

export type MonitoringRuleKey =
  | 'income_below_threshold' | 'income_drop' | 'exited_below_line'
  | 'unsafe_housing' | 'unsafe_water' | 'labour_loss' | 'out_of_school'
  | 'large_medical_cost' | 'disaster_reported' | 'accident_reported' | 'dropout_reported' | `department:${MatchKind}`
  | 'dq_illness_without_sick_member' | 'dq_assistance_not_listed' | 'dq_income_out_of_range' | 'dq_work_months' | 'dq_land_per_person'
  | 'dq_no_responsible_cadre' | 'dq_cadre_registered_poor';

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
const DQ = { zh: '数据质量：', en: 'Data quality: ' };
const DQ_NOTE = { zh: '（数据质量规则，domain.md §4：所有有当年年度记录的农户，核实后更正登记数据）', en: ' (a data-quality rule, domain.md §4: every household with a record that year; check and correct the register)' };

/**
 * Ages for the member rules. Compulsory schooling is 6–15 (domain/evaluate/checks.ts), counted on
 * 31 August of the year, the school-entry cut-off (a child 6 by 31 August starts school that
 * September). Working age is 16–59 (NBS 劳动年龄人口), counted on 31 December of the year.
 */
export const SCHOOL_AGE_ON = { month: 8, day: 31 } as const;
export const WORKING_AGE_MIN = 16;
export const WORKING_AGE_MAX = 59;

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
    key: 'unsafe_housing', source: 'register', riskType: 'housing',
    label: { zh: '住房不安全', en: 'Unsafe housing' },
    description: {
      zh: `当年年度记录的住房安全未达标：登记为住房安全无保障，或登记为危房（与户评估“住房安全有保障”同一判断）${NOT_POOR.zh}`,
      en: `The year's record fails safe housing: recorded as not secured, or as a dangerous house (the same check as the household evaluation's "safe housing secured")${NOT_POOR.en}`,
    },
    params: [],
  },
  {
    key: 'unsafe_water', source: 'register', riskType: 'drinking_water',
    label: { zh: '饮水不安全', en: 'Unsafe drinking water' },
    description: {
      zh: `当年年度记录的饮水安全未达标：登记为饮水安全无保障，或人均日供水量、取水往返时间超出标准（与户评估“饮水安全有保障”同一判断）${NOT_POOR.zh}`,
      en: `The year's record fails safe drinking water: recorded as not secured, or the water per person per day or the time to fetch it is outside the standard (the same check as the household evaluation's "safe drinking water secured")${NOT_POOR.en}`,
    },
    params: [],
  },
  {
    key: 'labour_loss', source: 'register', riskType: 'labour_shortage',
    label: { zh: '丧失劳动力（缺劳动力）', en: 'Loss of labour' },
    description: {
      zh: `家中有劳动年龄（${WORKING_AGE_MIN}–${WORKING_AGE_MAX} 周岁，按当年 12 月 31 日计）成员登记为“丧失劳动力”，且再无劳动年龄的普通或技能劳动力：家庭失去了挣钱的人。只有老人、儿童或本就“无劳动力”的成员不算（那不是新的风险）${NOT_POOR.zh}`,
      en: `A member of working age (${WORKING_AGE_MIN}–${WORKING_AGE_MAX} on 31 December of the year) is recorded as having lost the ability to work, and no member of working age with ordinary or skilled labour ability is left: the household has lost its earner. Households of only elderly people, children or members who never had labour ability are not flagged (that is not a new risk)${NOT_POOR.en}`,
    },
    params: [],
  },
  {
    key: 'out_of_school', source: 'register', riskType: 'schooling',
    label: { zh: '义务教育适龄儿童失学', en: 'Child of compulsory-school age not in school' },
    description: {
      zh: `成员按出生日期计当年 8 月 31 日（入学年龄截止日）为 6–15 周岁，在校生状况却为“非在校生”（失学辍学）${NOT_POOR.zh}`,
      en: `A member aged 6–15 on 31 August of the year (the school-entry cut-off), from the birth date, whose student status is "not in school" (out of school or dropped out)${NOT_POOR.en}`,
    },
    params: [],
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
  {
    key: 'disaster_reported', source: 'department', riskType: 'disaster',
    label: { zh: '部门报告受灾', en: 'Disaster reported' },
    description: {
      zh: '应急管理等部门当年的受灾记录中有家庭成员（按身份证号比对），不论是否在册贫困户',
      en: 'A member is in a department\'s disaster records of the year (emergency management; matched by ID number), whatever the household\'s status',
    },
    params: [],
  },
  {
    key: 'accident_reported', source: 'department', riskType: 'accident',
    label: { zh: '部门报告意外事故', en: 'Accident reported' },
    description: {
      zh: '公安、应急管理等部门当年的意外事故记录中有家庭成员（按身份证号比对），不论是否在册贫困户',
      en: 'A member is in a department\'s accident records of the year (police, emergency management; matched by ID number), whatever the household\'s status',
    },
    params: [],
  },
  {
    key: 'dropout_reported', source: 'department', riskType: 'schooling',
    label: { zh: '教育部门报告失辍学', en: 'School dropout reported' },
    description: {
      zh: '教育部门（控辍保学）当年的失辍学名单中有家庭成员（按身份证号比对），不论是否在册贫困户。学籍名单里“没有”某个孩子无法据此推断失学，所以只比对失辍学名单',
      en: 'A member is on the education bureau\'s dropout list of the year (matched by ID number), whatever the household\'s status. A child missing from an enrolment list proves nothing, so only dropout lists are matched',
    },
    params: [],
  },
  ...MATCH_KINDS.map((k): MonitoringRuleInfo => ({
    key: `department:${k}`, source: 'department', riskType: null, params: [],
    label: { zh: `数据比对：${DEPARTMENT_KIND_LABELS[k].zh}`, en: `Cross-check: ${DEPARTMENT_KIND_LABELS[k].en}` },
    description: {
      zh: `家庭成员的身份证号出现在其他部门的${DEPARTMENT_KIND_LABELS[k].zh}记录中，需入户核实`,
      en: `A member's ID number is in another department's ${DEPARTMENT_KIND_LABELS[k].en} records; check on a home visit`,
    },
  })),
  {
    key: 'dq_illness_without_sick_member', source: 'register', riskType: null,
    label: { zh: `${DQ.zh}因病致贫但无患病成员`, en: `${DQ.en}illness cause without a sick member` },
    description: {
      zh: `主要或其他致贫原因含“因病”，但每名成员都登记了健康状况且无人为长期慢性病或患有大病（有成员健康状况未填的不判断）${DQ_NOTE.zh}`,
      en: `The main or another cause of poverty is illness, but every member's health is recorded and none has a long-term chronic or serious illness (not judged while a member's health is empty)${DQ_NOTE.en}`,
    },
    params: [],
  },
  {
    key: 'dq_assistance_not_listed', source: 'department', riskType: null,
    label: { zh: `${DQ.zh}低保/特困户无享受成员`, en: `${DQ.en}dibao/tekun household with no member on the list` },
    description: {
      zh: `贫困户属性为低保（或特困供养）户，但民政部门的低保（特困）名单中没有该户任何成员。登记册没有成员级的低保字段，所以用民政名单比对；只在该旗县已导入过这类名单（至少一名在册人员在名单上）时判断${DQ_NOTE.zh}`,
      en: `The household attribute is dibao (or tekun), but none of its members is on the civil affairs dibao (tekun) list. The register has no per-member dibao field, so the civil affairs list is used; judged only where such a list has been loaded for the county (at least one registered person is on it)${DQ_NOTE.en}`,
    },
    params: [],
  },
  {
    key: 'dq_income_out_of_range', source: 'register', riskType: null,
    label: { zh: `${DQ.zh}人均纯收入异常`, en: `${DQ.en}implausible per-capita income` },
    description: {
      zh: `人均纯收入不高于下限（默认 0 元）或高于上限（默认 100000 元）${DQ_NOTE.zh}`,
      en: `Per-capita net income at or below the lower limit (default 0 yuan) or above the upper limit (default 100,000 yuan)${DQ_NOTE.en}`,
    },
    params: ['dq_income_min_yuan', 'dq_income_max_yuan'],
  },
  {
    key: 'dq_work_months', source: 'register', riskType: null,
    label: { zh: `${DQ.zh}务工时间超出 0–12 个月`, en: `${DQ.en}months worked outside 0–12` },
    description: {
      zh: `成员务工时间小于 0 或大于 12 个月。录入和导入已拒绝这样的值，本规则找出绕过校验写入的旧数据${DQ_NOTE.zh}`,
      en: `A member's months worked away are below 0 or above 12. Entry and import already refuse such values; this rule finds older rows written around the validation${DQ_NOTE.en}`,
    },
    params: [],
  },
  {
    key: 'dq_land_per_person', source: 'register', riskType: null,
    label: { zh: `${DQ.zh}人均耕地或林地过大`, en: `${DQ.en}too much land per person` },
    description: {
      zh: `耕地面积 ÷ 家庭人口高于上限（默认 50 亩），或林地面积 ÷ 家庭人口高于上限（默认 70 亩）${DQ_NOTE.zh}`,
      en: `Farmland ÷ household size above the limit (default 50 mu), or forest land ÷ household size above the limit (default 70 mu)${DQ_NOTE.en}`,
    },
    params: ['dq_farmland_mu_per_person_max', 'dq_forest_mu_per_person_max'],
  },
  {
    key: 'dq_no_responsible_cadre', source: 'register', riskType: null,
    label: { zh: `${DQ.zh}无帮扶责任人`, en: `${DQ.en}no responsible cadre` },
    description: {
      zh: `当年脱贫标志为未脱贫、已脱贫（享受政策）或返贫（0、1、3），但年底（当年未过完的按今天）没有在结对期内的帮扶责任人；已脱贫不再享受政策（4）的不判断。只在该旗县已录入过结对（至少一条）时判断，否则录入结对之前每户都会被标记${DQ_NOTE.zh}`,
      en: `Status 0, 1 or 3 that year (not out of poverty, out but still enjoying policies, or relapsed) but no responsible cadre paired with the household at the end of the year (today for the current year); status 4 (no longer enjoying policies) is not judged. Judged only where the county has recorded pairings (at least one), or every household would be flagged before the pairings are entered${DQ_NOTE.en}`,
    },
    params: [],
  },
  {
    key: 'dq_cadre_registered_poor', source: 'register', riskType: null,
    label: { zh: `${DQ.zh}帮扶干部是建档立卡人员`, en: `${DQ.en}cadre is registered poor` },
    description: {
      zh: `在岗帮扶干部的身份证号是当年脱贫标志为 0、1 或 3 的农户的成员（按身份证号比对，跨旗县）：帮扶干部不能是享受政策的建档立卡人员${DQ_NOTE.zh}`,
      en: `An active assistance cadre's ID number is a member of a household with status 0, 1 or 3 that year (matched by ID number, across counties): a cadre cannot be a registered poor person still enjoying policies${DQ_NOTE.en}`,
    },
    params: [],
  },
] satisfies MonitoringRuleInfo[]).map((r): MonitoringRuleInfo => Object.freeze(r)));

const ruleIndex = new Map(MONITORING_RULES.map((r) => [r.key as string, r]));

export function isMonitoringRule(s: string): s is MonitoringRuleKey {
  return ruleIndex.has(s);
}

/** The label of a rule key; the key itself for a rule no longer in the list. */
export function ruleLabel(key: string): Text {
  return ruleIndex.get(key)?.label ?? { zh: key, en: key };
}
