// The policy parameters the project ships (domain.md §4–6), each with the document it comes from.
// "(weak)" marks values domain.md takes from reposts; null marks values it did not find (unknown),
// which the county office enters instead of the software guessing them. Loaded into every database
// by db/migrate.ts without overwriting a value someone set.
import type { PolicyKey } from './policy-types.js';
import type { PolicyRow } from './policy.js';
import { CALCULATOR_DEFAULT_ROWS } from './calculators/policy-catalogue.js';

export const PROJECT_DEFAULT_SOURCE = '项目默认值（非公开政策）/ project default, not published policy';
/** The data-quality limits (domain.md §4): seen in real register systems, not published policy. */
export const DATA_QUALITY_SOURCE = '项目默认值：各地扶贫信息系统数据质量校验中常见的限值（domain.md §4），非公开政策 / project default: the data-quality limits seen in real poverty-register systems (domain.md §4), not published policy';

const S = {
  povertyLine: '国家统计局农村贫困标准（2010年价格每人每年2300元）现价值，国家统计局发布（people.cn、cnhubei.com 转载）/ NBS rural poverty line (2,300 yuan at 2010 prices) at current prices, NBS releases (via people.cn, cnhubei.com)',
  povertyLine2019: '2019 年贫困标准现价值，据转载 (weak) / 2019 poverty line at current prices, from reposts (weak)',
  povertyLine2020: '2020 年贫困标准现价值约 4000 元，据转载 (weak) / 2020 poverty line at current prices, about 4,000 yuan, from reposts (weak)',
  povertyLineUnknown: '未找到公开数值（unknown），请按官方公布值录入 / published value not found (unknown); enter the official value',
  exitOpinion: '2016 年《关于建立贫困退出机制的意见》：贫困发生率降至 2% 以下（西部地区 3% 以下）（转载 99.wendadaohang.com/zd/WjtWWWvtjttv7WXOzOt.html）/ 2016 opinion on the poverty exit mechanism: incidence at or below 2% (3% in the west) (repost)',
  exitOpinionWest: '2016 年《关于建立贫困退出机制的意见》：西部地区贫困发生率降至 3% 以下；内蒙古属西部地区（转载 99.wendadaohang.com/zd/WjtWWWvtjttv7WXOzOt.html）/ 2016 exit opinion: 3% in the west; Inner Mongolia is western (repost)',
  assessment: '2017 年贫困县退出专项评估检查规则：错退率、漏评率不高于 2%，群众认可度不低于 90%（《瞭望》2017-11，m.dddjmc.com）/ 2017 county-exit assessment rules: wrong-exit and omission rates at most 2%, approval at least 90% (Liaowang 2017-11, m.dddjmc.com)',
  identificationNotice: '建档立卡识别程序（两公示一公告），每次公示不少于 7 天，据转载 (weak) / identification procedure (two notices and an announcement), each notice at least 7 days, from reposts (weak)',
  monitoring: '2020 年《关于建立防止返贫监测和帮扶机制的指导意见》（china-cer.com.cn/zhengcefagui/202006195993.html）/ 2020 guidance on the monitoring and assistance mechanism to prevent relapse into poverty',
  riskElimination: '风险消除规则：收入持续稳定超过监测范围原则上不少于 6 个月，且识别后不少于 6 个月（yjq.gov.cn、zongyang.gov.cn、hainan.gov.cn）/ risk elimination rules: income stably above the range for at least 6 months in principle, and at least 6 months after identification',
  thresholdNm: '内蒙古自治区监测收入标准未找到公开数值（unknown），请按自治区每年公布的标准录入 / Inner Mongolia\'s monitoring threshold was not found (unknown); enter the value the region publishes each year',
  thresholdGz: '贵州省 2023 年防返贫监测收入标准 7300 元（省级标准示例，见 domain.md §6）/ Guizhou 2023 monitoring threshold 7,300 yuan (an example of a province value)',
};

const row = (key: PolicyKey, year: number, region: string, value: number | null, source: string): PolicyRow => ({ key, year, region, value, source });

/** The values of domain.md with their sources; loaded into every database, never over a value someone set. */
export const DEFAULT_POLICY_ROWS: readonly PolicyRow[] = [
  row('poverty_line', 2011, '', 2536, S.povertyLine),
  row('poverty_line', 2012, '', 2625, S.povertyLine),
  row('poverty_line', 2013, '', 2736, S.povertyLine),
  row('poverty_line', 2014, '', 2800, S.povertyLine),
  row('poverty_line', 2015, '', 2855, S.povertyLine),
  row('poverty_line', 2016, '', 2952, S.povertyLine),
  row('poverty_line', 2017, '', null, S.povertyLineUnknown),
  row('poverty_line', 2018, '', null, S.povertyLineUnknown),
  row('poverty_line', 2019, '', 3218, S.povertyLine2019),
  row('poverty_line', 2020, '', 4000, S.povertyLine2020),
  row('village_exit_incidence_max_pct', 2016, '', 2, S.exitOpinion),
  row('village_exit_incidence_max_pct', 2016, '15', 3, S.exitOpinionWest),
  row('county_exit_incidence_max_pct', 2016, '', 2, S.exitOpinion),
  row('county_exit_incidence_max_pct', 2016, '15', 3, S.exitOpinionWest),
  row('wrong_exit_rate_max_pct', 2017, '', 2, S.assessment),
  row('omission_rate_max_pct', 2017, '', 2, S.assessment),
  row('approval_min_pct', 2017, '', 90, S.assessment),
  row('monitoring_income_threshold', 2021, '15', null, S.thresholdNm),
  row('monitoring_income_threshold', 2023, '52', 7300, S.thresholdGz),
  row('monitoring_income_line_multiple', 2020, '', 1.5, S.monitoring),
  row('identification_notice_days', 2014, '', 7, S.identificationNotice),
  row('exit_notice_days', 2014, '', 7, PROJECT_DEFAULT_SOURCE),
  row('monitoring_notice_days', 2020, '', 5, S.monitoring),
  row('monitoring_identification_working_days', 2020, '', 20, S.monitoring),
  row('risk_elimination_min_months', 2020, '', 6, S.riskElimination),
  row('exit_stable_years', 2014, '', 1, PROJECT_DEFAULT_SOURCE),
  row('income_drop_alert_pct', 2020, '', 30, PROJECT_DEFAULT_SOURCE),
  row('medical_oop_alert_yuan', 2020, '', 10000, PROJECT_DEFAULT_SOURCE),
  ...CALCULATOR_DEFAULT_ROWS, // the calculators' rows (domain.md §7): domain/calculators/policy-catalogue.ts
  row('dq_income_min_yuan', 2014, '', 0, DATA_QUALITY_SOURCE),
  row('dq_income_max_yuan', 2014, '', 100000, DATA_QUALITY_SOURCE),
  row('dq_farmland_mu_per_person_max', 2014, '', 50, DATA_QUALITY_SOURCE),
  row('dq_forest_mu_per_person_max', 2014, '', 70, DATA_QUALITY_SOURCE),
];
