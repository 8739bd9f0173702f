// Assistance code lists (issue 5, domain.md §1 and §3): the channels through which Tongliao lifted
// households out of poverty, the built-in measure types of each channel, fund sources, and the
// kinds used by units, work teams, projects and assets. Labels are Chinese first, English second.
//
// Where a measure's money goes in the yearly income record (domain.md §3):
//   wage | production | property | transfer  count toward per-capita net income;
//   non_counting  is recorded but not counted (education grants, medical reimbursements,
//                 relocation and housing subsidies);
//   none          has no money income of its own (a cow granted, insemination, training,
//                 enrolment): its value is what it cost, and the income it brings comes later.

import type { Text } from '../policy-types.js';

export const CHANNELS = [
  'cattle', 'mongolian_medicine', 'tourism', 'solar_wind', 'ecommerce', 'ecology', 'education', 'health',
  'social_security', 'employment', 'relocation', 'housing', 'leadership',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, Text> = {
  cattle: { zh: '黄牛产业', en: 'Cattle industry' },
  mongolian_medicine: { zh: '蒙医药', en: 'Mongolian medicine' },
  tourism: { zh: '乡村旅游', en: 'Rural tourism' },
  solar_wind: { zh: '光伏/风电', en: 'Solar and wind' },
  ecommerce: { zh: '电子商务', en: 'E-commerce' },
  ecology: { zh: '生态扶贫', en: 'Ecology' },
  education: { zh: '教育扶贫', en: 'Education' },
  health: { zh: '健康扶贫', en: 'Health' },
  social_security: { zh: '社会保障兜底', en: 'Social security' },
  employment: { zh: '就业和培训', en: 'Employment and training' },
  relocation: { zh: '易地扶贫搬迁', en: 'Relocation' },
  housing: { zh: '危房改造', en: 'Housing renovation' },
  leadership: { zh: '能人带动', en: 'Capable-person leadership' },
};

export const INCOME_COMPONENTS = ['wage', 'production', 'property', 'transfer', 'non_counting', 'none'] as const;
export type IncomeComponent = (typeof INCOME_COMPONENTS)[number];

export const INCOME_COMPONENT_LABELS: Record<IncomeComponent, Text> = {
  wage: { zh: '工资性收入', en: 'Wage income' },
  production: { zh: '生产经营性收入', en: 'Production and business income' },
  property: { zh: '财产性收入', en: 'Property income' },
  transfer: { zh: '转移性收入（计入）', en: 'Transfer income (counted)' },
  non_counting: { zh: '不计入收入的补助', en: 'Not counted as income' },
  none: { zh: '非现金（无直接收入）', en: 'In kind (no money income)' },
};

export interface MeasureTypeDef {
  code: string;
  channel: Channel;
  name: Text;
  unit: Text;
  /** household: given to the household; member: given to one member (a student, a patient, a worker). */
  target: 'household' | 'member';
  incomeComponent: IncomeComponent;
}

const T = (code: string, channel: Channel, zh: string, en: string, unitZh: string, unitEn: string, target: 'household' | 'member', incomeComponent: IncomeComponent): MeasureTypeDef => ({
  code, channel, name: { zh, en }, unit: { zh: unitZh, en: unitEn }, target, incomeComponent,
});

/** The built-in measure types; a county adds its own (code prefixed with its county code). */
export const BUILTIN_MEASURE_TYPES: readonly MeasureTypeDef[] = [
  T('cattle_cow_granted', 'cattle', '基础母牛（无偿扶持）', 'Breeding cow granted', '头', 'head', 'household', 'none'),
  T('cattle_cow_financed', 'cattle', '基础母牛（贷款/贴息购买）', 'Breeding cow financed (loan or interest subsidy)', '头', 'head', 'household', 'none'),
  T('cattle_insemination', 'cattle', '黄牛改良冻精配种', 'Improved-breed insemination', '头次', 'head', 'household', 'none'),
  T('cattle_coop_member', 'cattle', '加入养牛合作社', 'Cattle cooperative membership', '户', 'household', 'household', 'none'),
  T('cattle_coop_dividend', 'cattle', '合作社/托养分红', 'Cooperative or custody dividend', '元', 'yuan', 'household', 'property'),
  T('cattle_sales_income', 'cattle', '出售肉牛/犊牛收入', 'Cattle and calf sales', '头', 'head', 'household', 'production'),
  T('medicine_planting', 'mongolian_medicine', '蒙中药材种植', 'Mongolian medicinal herb planting', '亩', 'mu', 'household', 'production'),
  T('medicine_job', 'mongolian_medicine', '蒙医药企业/基地务工', 'Job at a Mongolian-medicine base or enterprise', '月', 'months', 'member', 'wage'),
  T('medicine_dividend', 'mongolian_medicine', '蒙医药企业分红', 'Mongolian-medicine enterprise dividend', '元', 'yuan', 'household', 'property'),
  T('tourism_job', 'tourism', '景区带村就业', 'Job at a scenic spot linked to the village', '月', 'months', 'member', 'wage'),
  T('tourism_sales', 'tourism', '旅游产品销售/农家乐经营', 'Tourism sales or farm-stay business', '元', 'yuan', 'household', 'production'),
  T('solar_job', 'solar_wind', '光伏收益公益岗位工资', 'Public-welfare job paid from solar income', '月', 'months', 'member', 'wage'),
  T('solar_reward', 'solar_wind', '光伏收益奖励补助', 'Reward or subsidy from solar income', '元', 'yuan', 'household', 'transfer'),
  T('wind_dividend', 'solar_wind', '风电收益分配', 'Wind-power income share', '元', 'yuan', 'household', 'property'),
  T('ecommerce_sales', 'ecommerce', '电商销售（消费扶贫）', 'Online sales of own products (consumption assistance)', '元', 'yuan', 'household', 'production'),
  T('ecommerce_training', 'ecommerce', '电商培训', 'E-commerce training', '人次', 'persons', 'member', 'none'),
  T('ecology_forest_comp', 'ecology', '公益林补偿', 'Public-welfare forest compensation', '亩', 'mu', 'household', 'transfer'),
  T('ecology_returned_farmland', 'ecology', '退耕还林补助', 'Returning farmland to forest payment', '亩', 'mu', 'household', 'transfer'),
  T('ecology_grassland', 'ecology', '草原生态补奖', 'Grassland ecological subsidy and reward', '亩', 'mu', 'household', 'transfer'),
  T('ecology_ranger', 'ecology', '生态护林员工资', 'Ecological ranger wage', '月', 'months', 'member', 'wage'),
  T('education_grant', 'education', '学生资助（按学段）', 'Student grant by school stage', '学年', 'school years', 'member', 'non_counting'),
  T('education_boarding', 'education', '寄宿生生活补助', 'Boarding living allowance', '学年', 'school years', 'member', 'non_counting'),
  T('education_yulu', 'education', '雨露计划', 'Yulu vocational aid', '学年', 'school years', 'member', 'non_counting'),
  T('education_dropout_followup', 'education', '控辍保学劝返', 'Dropout follow-up (returned to school)', '人次', 'persons', 'member', 'none'),
  T('health_insurance_subsidy', 'health', '参保资助', 'Medical insurance premium paid', '人', 'persons', 'member', 'non_counting'),
  T('health_chronic_service', 'health', '慢病家庭签约服务', 'Chronic-disease home service', '人', 'persons', 'member', 'none'),
  T('health_settlement', 'health', '一站式结算报销', 'One-stop settlement reimbursement', '元', 'yuan', 'member', 'non_counting'),
  T('social_dibao', 'social_security', '低保金', 'Minimum living allowance (低保)', '元', 'yuan', 'household', 'transfer'),
  T('social_tekun', 'social_security', '特困供养金', 'Support for people in extreme hardship (特困)', '元', 'yuan', 'household', 'transfer'),
  T('social_pension', 'social_security', '养老金', 'Pension', '元', 'yuan', 'member', 'transfer'),
  T('social_disability', 'social_security', '残疾人两项补贴', 'Disability allowances', '元', 'yuan', 'member', 'transfer'),
  T('employment_job', 'employment', '转移就业/稳岗', 'Job placement', '月', 'months', 'member', 'wage'),
  T('employment_public_job', 'employment', '公益岗位', 'Public-welfare job', '月', 'months', 'member', 'wage'),
  T('employment_training', 'employment', '技能培训', 'Skills training', '人次', 'persons', 'member', 'none'),
  T('relocation_subsidy', 'relocation', '易地搬迁补助', 'Relocation subsidy', '人', 'persons', 'household', 'non_counting'),
  T('housing_renovation', 'housing', '危房改造补助', 'Dangerous-house renovation subsidy', '户', 'household', 'household', 'non_counting'),
  T('leadership_coop_link', 'leadership', '能人/合作社带动', 'Brought along by a capable person or cooperative', '户', 'household', 'household', 'none'),
  T('leadership_dividend', 'leadership', '带动分红/收购', 'Dividend or purchase by the leader or cooperative', '元', 'yuan', 'household', 'property'),
];

export const FUND_SOURCES = ['central', 'province', 'city', 'county', 'east_west', 'paired_assist', 'social', 'credit', 'enterprise', 'other'] as const;
export type FundSource = (typeof FUND_SOURCES)[number];

export const FUND_SOURCE_LABELS: Record<FundSource, Text> = {
  central: { zh: '中央财政专项扶贫（衔接）资金', en: 'Central special poverty-alleviation funds' },
  province: { zh: '自治区财政资金', en: 'Autonomous-region funds' },
  city: { zh: '市级财政资金', en: 'City funds' },
  county: { zh: '旗县财政资金', en: 'County funds' },
  east_west: { zh: '东西部扶贫协作资金', en: 'East–west cooperation funds' },
  paired_assist: { zh: '定点帮扶资金', en: 'Paired (designated) assistance funds' },
  social: { zh: '社会捐赠', en: 'Social donations' },
  credit: { zh: '扶贫小额信贷', en: 'Poverty-alleviation microcredit' },
  enterprise: { zh: '企业自筹', en: 'Enterprise own funds' },
  other: { zh: '其他', en: 'Other' },
};

export const PROJECT_STATUSES = ['planned', 'approved', 'in_progress', 'completed', 'cancelled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const PROJECT_STATUS_LABELS: Record<ProjectStatus, Text> = {
  planned: { zh: '入库', en: 'In the library' },
  approved: { zh: '已批复', en: 'Approved' },
  in_progress: { zh: '实施中', en: 'In progress' },
  completed: { zh: '已完工', en: 'Completed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

/** 利益联结 kinds: how a project's benefit reaches a household. */
export const LINK_KINDS = ['dividend', 'job', 'land_rent', 'purchase', 'grant', 'custody', 'other'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
export const LINK_KIND_LABELS: Record<LinkKind, Text> = {
  dividend: { zh: '入股分红', en: 'Dividend' },
  job: { zh: '务工就业', en: 'Job' },
  land_rent: { zh: '土地流转租金', en: 'Land rent' },
  purchase: { zh: '订单收购', en: 'Purchase by order' },
  grant: { zh: '直接扶持', en: 'Direct grant' },
  custody: { zh: '托养托管', en: 'Custody of livestock' },
  other: { zh: '其他', en: 'Other' },
};

export const UNIT_KINDS = ['party_gov', 'institution', 'soe', 'private', 'social', 'east_west', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_KIND_LABELS: Record<UnitKind, Text> = {
  party_gov: { zh: '党政机关', en: 'Party or government body' },
  institution: { zh: '事业单位', en: 'Public institution' },
  soe: { zh: '国有企业', en: 'State-owned enterprise' },
  private: { zh: '民营企业', en: 'Private enterprise' },
  social: { zh: '社会组织', en: 'Social organisation' },
  east_west: { zh: '东西部协作单位', en: 'East–west cooperation partner' },
  other: { zh: '其他', en: 'Other' },
};

export const UNIT_LEVELS = ['central', 'province', 'city', 'county', 'township'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];
export const UNIT_LEVEL_LABELS: Record<UnitLevel, Text> = {
  central: { zh: '中央', en: 'Central' },
  province: { zh: '自治区', en: 'Autonomous region' },
  city: { zh: '市级', en: 'City' },
  county: { zh: '旗县级', en: 'County' },
  township: { zh: '苏木乡镇级', en: 'Township' },
};

export const TEAM_ROLES = ['first_secretary', 'leader', 'member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
export const TEAM_ROLE_LABELS: Record<TeamRole, Text> = {
  first_secretary: { zh: '第一书记', en: 'First secretary' },
  leader: { zh: '工作队长', en: 'Team leader' },
  member: { zh: '队员', en: 'Member' },
};

export const VISIT_KINDS = ['home', 'phone', 'meeting'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];
export const VISIT_KIND_LABELS: Record<VisitKind, Text> = {
  home: { zh: '入户走访', en: 'Home visit' },
  phone: { zh: '电话回访', en: 'Phone call' },
  meeting: { zh: '集中座谈', en: 'Group meeting' },
};

export const ASSET_KINDS = ['solar_station', 'cattle_barn', 'greenhouse', 'processing', 'tourism', 'other'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];
export const ASSET_KIND_LABELS: Record<AssetKind, Text & { unitZh: string; unitEn: string }> = {
  solar_station: { zh: '村级光伏电站', en: 'Village solar station', unitZh: '千瓦', unitEn: 'kW' },
  cattle_barn: { zh: '标准化牛舍', en: 'Cattle barn', unitZh: '头', unitEn: 'head' },
  greenhouse: { zh: '温室大棚', en: 'Greenhouse', unitZh: '平方米', unitEn: 'm²' },
  processing: { zh: '加工厂房', en: 'Processing workshop', unitZh: '平方米', unitEn: 'm²' },
  tourism: { zh: '旅游设施', en: 'Tourism facility', unitZh: '平方米', unitEn: 'm²' },
  other: { zh: '其他', en: 'Other', unitZh: '', unitEn: '' },
};

export function isOneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v);
}
