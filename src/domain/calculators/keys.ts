// The policy parameters the calculators read (domain.md §7). Kept in their own list, spread into
// POLICY_KEYS (domain/policy-types.ts), so the calculators' keys sit in one place. No imports: the
// key list is read while policy-types.ts itself loads.
export const CALCULATOR_POLICY_KEYS = [
  // Medical one-stop settlement (三重保障), applied in this order; each layer: deductible, ratio, annual cap.
  'medical_basic_deductible_yuan', // basic medical insurance (基本医保) 起付线, yuan
  'medical_basic_ratio_pct', // basic insurance reimbursement ratio above the deductible, %
  'medical_basic_cap_yuan', // basic insurance annual cap (年度最高支付限额), yuan
  'medical_critical_deductible_yuan', // critical-illness insurance (大病保险) 起付线, general insured
  'medical_critical_ratio_pct',
  'medical_critical_cap_yuan',
  'medical_critical_poor_deductible_yuan', // critical-illness insurance for registered poor people (倾斜政策)
  'medical_critical_poor_ratio_pct',
  'medical_critical_poor_cap_yuan',
  'medical_assistance_deductible_yuan', // medical assistance (医疗救助), registered poor people
  'medical_assistance_ratio_pct',
  'medical_assistance_cap_yuan',
  // Education aid per student and year.
  'education_boarding_primary_yuan', // boarding living allowance, primary (小学寄宿生生活补助)
  'education_boarding_lower_secondary_yuan', // idem, lower secondary (初中)
  'education_nonboarder_share_pct', // non-boarders get this % of the boarding allowance (50)
  'education_upper_secondary_grant_yuan', // 普通高中国家助学金 (about 2,000)
  'education_vocational_grant_yuan', // 中职国家助学金 (about 2,000)
  'education_yulu_yuan', // 雨露计划 vocational education aid (e.g. 3,000)
  // Ecology.
  'ecology_forest_year1_yuan_per_mu', // 退耕还林 1,200 yuan/mu paid 500 / 300 / 400 in programme years 1 / 3 / 5
  'ecology_forest_year3_yuan_per_mu',
  'ecology_forest_year5_yuan_per_mu',
  'ecology_grass_year1_yuan_per_mu', // 退耕还草 850 yuan/mu paid 450 / 400 in programme years 1 / 3
  'ecology_grass_year3_yuan_per_mu',
  'ecology_ranger_wage_yuan', // ecological ranger (生态护林员) local pay per ranger-year (unknown)
  'ecology_ranger_central_budget_yuan', // central budget per ranger-year (10,000)
  'ecology_public_forest_yuan_per_mu', // 公益林 compensation per mu and year (unknown, local)
  // Solar (国开办发〔2017〕61号).
  'solar_station_max_kw', // village station capacity, at most 500 kW
] as const;
