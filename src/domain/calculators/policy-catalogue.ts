// The calculators' policy parameters (domain.md §7): catalogue entries (names, units, descriptions)
// spread into domain/policy.ts, and the shipped rows spread into domain/policy-defaults.ts. Values
// domain.md marks unknown (the medical layers, the rangers' local pay, 公益林 compensation) ship as
// null with a source saying so; the calculators then name the missing parameter.
import type { PolicyKeyInfo, PolicyRow } from '../policy.js';
import type { CALCULATOR_POLICY_KEYS } from './keys.js';

type CalculatorKey = (typeof CALCULATOR_POLICY_KEYS)[number];
type Info = Omit<PolicyKeyInfo, 'key' | 'unitLabel' | 'integer' | 'min' | 'max' | 'projectDefault'> & { min?: number; projectDefault?: boolean };

const ALL = ['national', 'province', 'county'] as const;

const LAYER = {
  basic: { zh: '基本医疗保险', en: 'basic medical insurance' },
  critical: { zh: '大病保险（普通参保人）', en: 'critical-illness insurance (general insured)' },
  critical_poor: { zh: '大病保险（建档立卡贫困人口）', en: 'critical-illness insurance (registered poor people)' },
  assistance: { zh: '医疗救助（建档立卡贫困人口）', en: 'medical assistance (registered poor people)' },
} as const;

function medical(layer: keyof typeof LAYER): Record<'deductible' | 'ratio' | 'cap', Info> {
  const l = LAYER[layer];
  return {
    deductible: {
      name: { zh: `${l.zh}起付线`, en: `${l.en}: deductible` },
      unit: 'yuan',
      description: {
        zh: `${l.zh}的起付线：本层可报销基数中低于（本年尚未达到的）起付线的部分不予支付`,
        en: `Deductible of ${l.en}: the part of this layer's base below the deductible not yet met this year is not paid`,
      },
      levels: ALL,
    },
    ratio: {
      name: { zh: `${l.zh}报销比例`, en: `${l.en}: ratio` },
      unit: 'percent',
      description: {
        zh: `${l.zh}对起付线以上部分的支付比例`,
        en: `The share of ${l.en} pays of the base above the deductible`,
      },
      levels: ALL,
    },
    cap: {
      name: { zh: `${l.zh}年度封顶线`, en: `${l.en}: annual cap` },
      unit: 'yuan_per_year',
      description: {
        zh: `${l.zh}一年内最多支付的金额；本年已支付的部分从中扣除`,
        en: `The most ${l.en} pays in a year; what it already paid this year is deducted`,
      },
      levels: ALL,
    },
  };
}

const basic = medical('basic');
const critical = medical('critical');
const criticalPoor = medical('critical_poor');
const assistance = medical('assistance');

const perStudent = (zh: string, en: string, dzh: string, den: string): Info => ({
  name: { zh, en },
  unit: 'yuan_per_person_year',
  description: { zh: dzh, en: den },
  levels: ALL,
});

const installment = (programme: 'forest' | 'grass', year: number): Info => {
  const p = programme === 'forest' ? { zh: '退耕还林', en: 'Returning farmland to forest' } : { zh: '退耕还草', en: 'Returning farmland to grassland' };
  return {
    name: { zh: `${p.zh}第 ${year} 年补助（每亩）`, en: `${p.en}: payment in programme year ${year} (per mu)` },
    unit: 'yuan_per_mu',
    description: {
      zh: `${p.zh}地块在实施后第 ${year} 年发放的每亩补助；按地块退耕当年（第 1 年）的标准执行`,
      en: `${p.en}: the per-mu payment in the plot's programme year ${year}; the standard of the plot's first year applies`,
    },
    levels: ALL,
  };
};

export const CALCULATOR_POLICY_INFO: Record<CalculatorKey, Info> = {
  medical_basic_deductible_yuan: basic.deductible,
  medical_basic_ratio_pct: basic.ratio,
  medical_basic_cap_yuan: basic.cap,
  medical_critical_deductible_yuan: critical.deductible,
  medical_critical_ratio_pct: critical.ratio,
  medical_critical_cap_yuan: critical.cap,
  medical_critical_poor_deductible_yuan: criticalPoor.deductible,
  medical_critical_poor_ratio_pct: criticalPoor.ratio,
  medical_critical_poor_cap_yuan: criticalPoor.cap,
  medical_assistance_deductible_yuan: assistance.deductible,
  medical_assistance_ratio_pct: assistance.ratio,
  medical_assistance_cap_yuan: assistance.cap,
  education_boarding_primary_yuan: perStudent(
    '小学寄宿生生活补助', 'Boarding allowance, primary',
    '农村义务教育家庭经济困难寄宿生生活补助（小学），每生每年', 'Living allowance for boarders from poor families in rural compulsory education (primary), per student per year',
  ),
  education_boarding_lower_secondary_yuan: perStudent(
    '初中寄宿生生活补助', 'Boarding allowance, lower secondary',
    '农村义务教育家庭经济困难寄宿生生活补助（初中），每生每年', 'Living allowance for boarders from poor families in rural compulsory education (lower secondary), per student per year',
  ),
  education_nonboarder_share_pct: {
    name: { zh: '非寄宿生补助比例', en: 'Non-boarders: share of the boarding allowance' },
    unit: 'percent',
    description: { zh: '家庭经济困难非寄宿生按寄宿生生活补助标准的此比例发放', en: 'Non-boarding students from poor families receive this share of the boarding allowance' },
    levels: ALL,
  },
  education_upper_secondary_grant_yuan: perStudent(
    '普通高中国家助学金', 'Upper-secondary national grant',
    '普通高中家庭经济困难学生国家助学金，每生每年', 'National grant for upper-secondary students from poor families, per student per year',
  ),
  education_vocational_grant_yuan: perStudent(
    '中职国家助学金', 'Vocational-school national grant',
    '中等职业学校家庭经济困难学生国家助学金，每生每年', 'National grant for secondary vocational students from poor families, per student per year',
  ),
  education_yulu_yuan: perStudent(
    '雨露计划职业教育补助', '雨露计划 vocational aid',
    '雨露计划：建档立卡贫困家庭子女接受中、高等职业教育的补助，每生每年', '雨露计划: aid to children of registered poor households in secondary or higher vocational education, per student per year',
  ),
  ecology_forest_year1_yuan_per_mu: installment('forest', 1),
  ecology_forest_year3_yuan_per_mu: installment('forest', 3),
  ecology_forest_year5_yuan_per_mu: installment('forest', 5),
  ecology_grass_year1_yuan_per_mu: installment('grass', 1),
  ecology_grass_year3_yuan_per_mu: installment('grass', 3),
  ecology_ranger_wage_yuan: perStudent(
    '生态护林员劳务报酬', 'Ecological ranger pay',
    '生态护林员每人每年的劳务报酬（地方标准，低于中央测算数）；按在岗月数折算', 'Pay of one ecological ranger for a year (local rate, below the central sizing); prorated by months served',
  ),
  ecology_ranger_central_budget_yuan: perStudent(
    '生态护林员中央补助测算标准', 'Ecological ranger: central budget per ranger-year',
    '中央财政测算生态护林员补助资金的标准（每人每年），仅作对照', 'What the central budget allows per ranger-year, shown for comparison only',
  ),
  ecology_public_forest_yuan_per_mu: {
    name: { zh: '公益林生态效益补偿（每亩每年）', en: 'Public-welfare forest compensation (per mu per year)' },
    unit: 'yuan_per_mu_year',
    description: { zh: '公益林生态效益补偿发放到户的每亩年标准（地方确定）', en: 'The yearly per-mu compensation for public-welfare forest paid to households (set locally)' },
    levels: ALL,
  },
  solar_station_max_kw: {
    name: { zh: '村级光伏电站最大规模', en: 'Village solar station: maximum capacity' },
    unit: 'kilowatt',
    description: { zh: '村级光伏扶贫电站规模一般 300 千瓦左右，最大不超过此值', en: 'A village poverty-alleviation solar station is about 300 kW and at most this' },
    levels: ALL,
  },
};

const S = {
  medicalUnknown:
    '由各统筹地区规定，通辽市数值未找到（unknown）；请按本地基本医保、大病保险、医疗救助政策录入 / set by each pooling region; Tongliao\'s value was not found (unknown); enter the local basic insurance, critical-illness insurance and medical-assistance rules',
  boarding:
    '农村义务教育家庭经济困难寄宿生生活补助：小学每生每年 1000 元、初中 1250 元（2025 年前的标准，domain.md §7；本行自项目覆盖的 2014 年起适用）/ boarding living allowance for rural compulsory-education students from poor families: primary 1,000, lower secondary 1,250 yuan a year (the standard before 2025, domain.md §7; this row applies from 2014, the first year the project covers)',
  boarding2025:
    '2025 年起寄宿生生活补助提高为小学每生每年 1250 元、初中 1500 元（domain.md §7）/ from 2025 the boarding allowance is 1,250 yuan (primary) and 1,500 yuan (lower secondary) a year (domain.md §7)',
  nonboarder:
    '非寄宿生按寄宿生生活补助标准的 50% 发放（domain.md §7；未注明起始年度，本行自 2014 年起适用）/ non-boarders receive 50% of the boarding allowance (domain.md §7; no start year given, this row applies from 2014)',
  upper: '普通高中国家助学金约每生每年 2000 元，据转载 (weak) / upper-secondary national grant about 2,000 yuan a year, from reposts (weak)',
  vocational: '中职国家助学金约每生每年 2000 元，据转载 (weak) / secondary vocational national grant about 2,000 yuan a year, from reposts (weak)',
  yulu: '雨露计划职业教育补助，例如每生每年 3000 元（示例值，各省标准不同）(weak) / 雨露计划 vocational aid, e.g. 3,000 yuan a year (an example; provinces differ) (weak)',
  forest:
    '新一轮退耕还林（2014 年起）：每亩补助 1200 元，第一年 500 元、第三年 300 元、第五年 400 元（dbsqp.com，domain.md §7）/ new round of returning farmland to forest (from 2014): 1,200 yuan per mu, 500 in year 1, 300 in year 3, 400 in year 5 (dbsqp.com, domain.md §7)',
  grass:
    '新一轮退耕还草（2014 年起）：每亩补助 850 元，分两次发放 450 元、400 元（domain.md §7）；发放年度（第一年、第三年）domain.md 未注明，取自全国方案的转载 (weak) / returning farmland to grassland (from 2014): 850 yuan per mu paid as 450 and 400 (domain.md §7); the payment years (1 and 3) are not in domain.md but from reposts of the national programme (weak)',
  rangerBudget:
    '中央财政按每名生态护林员每年 1 万元测算补助资金（domain.md §7；本行自 2016 年选聘建档立卡贫困人口为生态护林员起适用）/ the central budget is sized at 10,000 yuan per ranger-year (domain.md §7; applies from 2016, when registered poor people were first hired as rangers)',
  rangerUnknown:
    '生态护林员劳务报酬由地方确定、低于中央测算标准；通辽市数值未找到（unknown），请按本地标准录入 / ranger pay is set locally, below the central sizing; Tongliao\'s rate was not found (unknown); enter the local rate',
  publicForest:
    '公益林生态效益补偿每亩标准由地方确定，数值未找到（unknown），请按本地标准录入 / the per-mu compensation for public-welfare forest is set locally; value not found (unknown); enter the local rate',
  solar:
    '村级光伏扶贫电站规模一般 300 千瓦左右、最大不超过 500 千瓦；收益按季度结算，用于公益岗位、小型公益事业、奖励补助（国开办发〔2017〕61号，news.solarbe.com 2018-01-04，domain.md §7）/ village stations are about 300 kW and at most 500 kW; revenue settled quarterly and spent on public-welfare jobs, small public works, rewards and subsidies (国开办发〔2017〕61号, domain.md §7)',
};

const row = (key: CalculatorKey, year: number, value: number | null, source: string): PolicyRow => ({ key, year, region: '', value, source });

/** The calculators' shipped rows (national); county offices set the unknowns and local values. */
export const CALCULATOR_DEFAULT_ROWS: readonly PolicyRow[] = [
  ...(['basic', 'critical', 'critical_poor', 'assistance'] as const).flatMap((l) =>
    (['deductible_yuan', 'ratio_pct', 'cap_yuan'] as const).map((p) => row(`medical_${l}_${p}` as CalculatorKey, 2014, null, S.medicalUnknown)),
  ),
  row('education_boarding_primary_yuan', 2014, 1000, S.boarding),
  row('education_boarding_lower_secondary_yuan', 2014, 1250, S.boarding),
  row('education_boarding_primary_yuan', 2025, 1250, S.boarding2025),
  row('education_boarding_lower_secondary_yuan', 2025, 1500, S.boarding2025),
  row('education_nonboarder_share_pct', 2014, 50, S.nonboarder),
  row('education_upper_secondary_grant_yuan', 2014, 2000, S.upper),
  row('education_vocational_grant_yuan', 2014, 2000, S.vocational),
  row('education_yulu_yuan', 2014, 3000, S.yulu),
  row('ecology_forest_year1_yuan_per_mu', 2014, 500, S.forest),
  row('ecology_forest_year3_yuan_per_mu', 2014, 300, S.forest),
  row('ecology_forest_year5_yuan_per_mu', 2014, 400, S.forest),
  row('ecology_grass_year1_yuan_per_mu', 2014, 450, S.grass),
  row('ecology_grass_year3_yuan_per_mu', 2014, 400, S.grass),
  row('ecology_ranger_wage_yuan', 2016, null, S.rangerUnknown),
  row('ecology_ranger_central_budget_yuan', 2016, 10000, S.rangerBudget),
  row('ecology_public_forest_yuan_per_mu', 2014, null, S.publicForest),
  row('solar_station_max_kw', 2017, 500, S.solar),
];
