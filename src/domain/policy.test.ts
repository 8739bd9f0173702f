import { describe, expect, it } from 'vitest';
import {
  DATA_QUALITY_SOURCE,
  DEFAULT_POLICY_ROWS,
  POLICY_CATALOGUE,
  PROJECT_DEFAULT_SOURCE,
  lookupFor,
  policyKeyInfo,
  regionsFor,
  resolveParam,
  validatePolicyChange,
  type PolicyRow,
} from './policy.js';
import { POLICY_KEYS, type PolicyKey } from './policy-types.js';

const r = (key: PolicyKey, year: number, region: string, value: number | null, source = `src ${key} ${year} ${region}`): PolicyRow => ({ key, year, region, value, source });

const valid = { key: 'poverty_line', year: 2021, region: '150524', value: 4100, source: '某文件 2021' };

describe('catalogue', () => {
  it('describes every key once, in POLICY_KEYS order, in both languages', () => {
    expect(POLICY_CATALOGUE.map((c) => c.key)).toEqual([...POLICY_KEYS]);
    for (const c of POLICY_CATALOGUE) {
      expect(c.name.zh.length, c.key).toBeGreaterThan(1);
      expect(c.name.en.length, c.key).toBeGreaterThan(1);
      expect(c.description.zh.length, c.key).toBeGreaterThan(5);
      expect(c.description.en.length, c.key).toBeGreaterThan(5);
      expect(c.levels.length, c.key).toBeGreaterThan(0);
    }
  });

  it('caps percentages at 100, makes days/months/years whole, and marks project defaults', () => {
    expect(policyKeyInfo('approval_min_pct')).toMatchObject({ unit: 'percent', max: 100, integer: false });
    expect(policyKeyInfo('poverty_line').max).toBeUndefined();
    expect(policyKeyInfo('monitoring_notice_days')).toMatchObject({ integer: true, unitLabel: { zh: '天', en: 'days' } });
    expect(policyKeyInfo('exit_stable_years')).toMatchObject({ integer: true, min: 1, projectDefault: true });
    expect(policyKeyInfo('exit_stable_years').description.en).toContain("last N consecutive yearly records");
    expect(POLICY_CATALOGUE.filter((c) => c.projectDefault).map((c) => c.key).sort()).toEqual([
      'dq_farmland_mu_per_person_max', 'dq_forest_mu_per_person_max', 'dq_income_max_yuan', 'dq_income_min_yuan',
      'exit_notice_days', 'exit_stable_years', 'income_drop_alert_pct', 'medical_oop_alert_yuan',
    ]);
    expect(policyKeyInfo('dq_farmland_mu_per_person_max')).toMatchObject({ unit: 'mu_per_person', unitLabel: { zh: '亩/人', en: 'mu per person' }, min: 1 });
    expect(policyKeyInfo('monitoring_income_threshold').levels).toEqual(['province', 'county']);
  });
});

describe('shipped defaults', () => {
  it('has a row for every key, each one valid and unique by (key, year, region)', () => {
    expect(new Set(DEFAULT_POLICY_ROWS.map((d) => d.key))).toEqual(new Set(POLICY_KEYS));
    const ids = DEFAULT_POLICY_ROWS.map((d) => `${d.key}|${d.year}|${d.region}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of DEFAULT_POLICY_ROWS) expect(validatePolicyChange({ ...d }).issues, `${d.key} ${d.year}`).toEqual([]);
  });

  it('ships the poverty line of domain.md §5 with 2017 and 2018 unknown and 2019/2020 weak', () => {
    const line = Object.fromEntries(DEFAULT_POLICY_ROWS.filter((d) => d.key === 'poverty_line').map((d) => [d.year, d.value]));
    expect(line).toEqual({ 2011: 2536, 2012: 2625, 2013: 2736, 2014: 2800, 2015: 2855, 2016: 2952, 2017: null, 2018: null, 2019: 3218, 2020: 4000 });
    const weak = DEFAULT_POLICY_ROWS.filter((d) => d.source.includes('(weak)')).map((d) => `${d.key} ${d.year}`);
    expect(weak.sort()).toEqual([
      // the calculators' weak rows (domain/calculators/policy-catalogue.ts): "about"/"e.g." values and the grassland payment years
      'ecology_grass_year1_yuan_per_mu 2014', 'ecology_grass_year3_yuan_per_mu 2014',
      'education_upper_secondary_grant_yuan 2014', 'education_vocational_grant_yuan 2014', 'education_yulu_yuan 2014',
      'identification_notice_days 2014', 'poverty_line 2019', 'poverty_line 2020',
    ]);
    for (const d of DEFAULT_POLICY_ROWS.filter((x) => x.value === null)) expect(d.source).toContain('unknown');
  });

  it('ships 2% nationally and 3% for Inner Mongolia, the assessment bars, notices and project defaults', () => {
    const at = (key: PolicyKey, year: number, area: string) => resolveParam(DEFAULT_POLICY_ROWS, key, year, area)?.value;
    expect(at('village_exit_incidence_max_pct', 2020, '150524100001')).toBe(3);
    expect(at('county_exit_incidence_max_pct', 2019, '150522')).toBe(3);
    expect(at('county_exit_incidence_max_pct', 2019, '520102')).toBe(2);
    expect(at('county_exit_incidence_max_pct', 2015, '150522')).toBeUndefined();
    expect([at('wrong_exit_rate_max_pct', 2020, ''), at('omission_rate_max_pct', 2020, ''), at('approval_min_pct', 2020, '')]).toEqual([2, 2, 90]);
    expect([at('identification_notice_days', 2016, ''), at('monitoring_notice_days', 2022, ''), at('monitoring_identification_working_days', 2022, '')]).toEqual([7, 5, 20]);
    expect([at('risk_elimination_min_months', 2022, ''), at('monitoring_income_line_multiple', 2022, '')]).toEqual([6, 1.5]);
    expect([at('exit_notice_days', 2016, ''), at('exit_stable_years', 2016, ''), at('income_drop_alert_pct', 2022, ''), at('medical_oop_alert_yuan', 2022, '')]).toEqual([7, 1, 30, 10000]);
    for (const k of ['exit_notice_days', 'exit_stable_years', 'income_drop_alert_pct', 'medical_oop_alert_yuan'] as const) {
      expect(DEFAULT_POLICY_ROWS.find((d) => d.key === k)!.source).toBe(PROJECT_DEFAULT_SOURCE);
    }
    // The data-quality limits of domain.md §4, sourced as limits seen in real systems.
    expect([at('dq_income_min_yuan', 2023, '150524'), at('dq_income_max_yuan', 2023, '150524'), at('dq_farmland_mu_per_person_max', 2023, ''), at('dq_forest_mu_per_person_max', 2016, '')])
      .toEqual([0, 100000, 50, 70]);
    for (const k of ['dq_income_min_yuan', 'dq_income_max_yuan', 'dq_farmland_mu_per_person_max', 'dq_forest_mu_per_person_max'] as const) {
      expect(DEFAULT_POLICY_ROWS.find((d) => d.key === k)!.source).toBe(DATA_QUALITY_SOURCE);
    }
    expect(DATA_QUALITY_SOURCE).toContain('domain.md §4');
    // Monitoring threshold: unknown for Inner Mongolia from 2021, 7,300 in Guizhou 2023, no national row.
    expect(resolveParam(DEFAULT_POLICY_ROWS, 'monitoring_income_threshold', 2024, '150524')).toMatchObject({ value: null, year: 2021, region: '15' });
    expect(at('monitoring_income_threshold', 2023, '520102')).toBe(7300);
    expect(at('monitoring_income_threshold', 2022, '520102')).toBeUndefined();
    expect(at('monitoring_income_threshold', 2023, '440103')).toBeUndefined();
  });
});

describe('resolveParam', () => {
  const rows = [
    r('poverty_line', 2014, '', 2800),
    r('poverty_line', 2016, '', 2952),
    r('poverty_line', 2015, '15', 2900),
    r('poverty_line', 2018, '150524', 3300),
    r('poverty_line', 2019, '', null),
    r('approval_min_pct', 2017, '', 90),
  ];

  it('orders regions county, province, national from a code of any length', () => {
    expect(regionsFor('150524100001')).toEqual(['150524', '15', '']);
    expect(regionsFor('1505')).toEqual(['15', '']);
    expect(regionsFor('15')).toEqual(['15', '']);
    expect(regionsFor('')).toEqual(['']);
    expect(regionsFor('*')).toEqual(['']);
  });

  it('takes the most specific region that has a row in force, then its latest year ≤ the year asked', () => {
    // County row from 2018 wins for 2018 and later, even over a newer national row.
    expect(resolveParam(rows, 'poverty_line', 2018, '150524100001')).toEqual({ key: 'poverty_line', value: 3300, year: 2018, region: '150524', source: 'src poverty_line 2018 150524' });
    expect(resolveParam(rows, 'poverty_line', 2025, '150524')).toMatchObject({ value: 3300, region: '150524' });
    // Before the county row applies, the province row does; province 2015 beats national 2016.
    expect(resolveParam(rows, 'poverty_line', 2017, '150524')).toMatchObject({ value: 2900, year: 2015, region: '15' });
    expect(resolveParam(rows, 'poverty_line', 2017, '150521')).toMatchObject({ value: 2900, region: '15' });
    // Before the province row, national.
    expect(resolveParam(rows, 'poverty_line', 2014, '150524')).toMatchObject({ value: 2800, year: 2014, region: '' });
    // Another province: national; latest year ≤ asked; exact year boundary included.
    expect(resolveParam(rows, 'poverty_line', 2015, '520102')).toMatchObject({ value: 2800, year: 2014 });
    expect(resolveParam(rows, 'poverty_line', 2016, '520102')).toMatchObject({ value: 2952, year: 2016 });
    // Nothing before the first row, and nothing for a key without rows.
    expect(resolveParam(rows, 'poverty_line', 2013, '520102')).toBeUndefined();
    expect(resolveParam(rows, 'omission_rate_max_pct', 2020, '520102')).toBeUndefined();
  });

  it('keeps an unknown (null) value unknown instead of falling back to an older value', () => {
    expect(resolveParam(rows, 'poverty_line', 2019, '520102')).toEqual({ key: 'poverty_line', value: null, year: 2019, region: '', source: 'src poverty_line 2019 ' });
    expect(resolveParam(rows, 'poverty_line', 2023, '44')).toMatchObject({ value: null, year: 2019 });
    // A null at the county level hides the province and national values too.
    const withNull = [...rows, r('poverty_line', 2020, '150524', null)];
    expect(resolveParam(withNull, 'poverty_line', 2021, '150524001')).toMatchObject({ value: null, region: '150524', year: 2020 });
  });

  it('lookupFor binds the year and area', () => {
    const look = lookupFor(rows, 2017, '150524100001');
    expect(look('poverty_line')).toMatchObject({ value: 2900, region: '15' });
    expect(look('approval_min_pct')).toMatchObject({ value: 90, region: '' });
    expect(look('exit_notice_days')).toBeUndefined();
    expect(lookupFor(rows, 2018, '150524')('poverty_line')?.value).toBe(3300);
  });
});

describe('validatePolicyChange', () => {
  it('accepts a good change and normalises region and note', () => {
    expect(validatePolicyChange(valid)).toEqual({ value: { ...valid, note: null }, issues: [] });
    expect(validatePolicyChange({ ...valid, region: undefined, value: null, note: ' 待核实 ' }).value).toMatchObject({ region: '', value: null, note: '待核实' });
  });

  it('reports every bad field with its value, in both languages', () => {
    const v = validatePolicyChange({ key: 'povety_line', year: 1977, region: '1505', value: -1, source: '  ' });
    expect(v.value).toBeUndefined();
    expect(v.issues.map((i) => i.field)).toEqual(['key', 'year', 'region', 'value', 'source']);
    const [key, year, region, value, source] = v.issues;
    expect(key).toMatchObject({ value: 'povety_line' });
    expect(key!.zh).toContain('没有参数 povety_line');
    expect(key!.en).toContain('poverty_line');
    expect(year).toMatchObject({ value: '1977', en: 'The year must be a whole number from 1978 to 2100' });
    expect(region!.en).toBe('The region must be empty (national), a 2-digit province code or a 6-digit county code');
    expect(value).toMatchObject({ value: '-1', zh: '数值不能小于 0' });
    expect(source!.zh).toMatch(/^缺少来源/);
  });

  it('checks the boundaries of years, percentages and whole units', () => {
    expect(validatePolicyChange({ ...valid, year: 1978 }).issues).toEqual([]);
    expect(validatePolicyChange({ ...valid, year: 2100 }).issues).toEqual([]);
    expect(validatePolicyChange({ ...valid, year: 2101 }).issues.map((i) => i.field)).toEqual(['year']);
    expect(validatePolicyChange({ ...valid, year: 2020.5 }).issues.map((i) => i.field)).toEqual(['year']);
    const pct = { ...valid, key: 'approval_min_pct' };
    expect(validatePolicyChange({ ...pct, value: 100 }).issues).toEqual([]);
    expect(validatePolicyChange({ ...pct, value: 0 }).issues).toEqual([]);
    expect(validatePolicyChange({ ...pct, value: 100.01 }).issues[0]).toMatchObject({ field: 'value', en: 'approval_min_pct is a percentage and cannot exceed 100' });
    expect(validatePolicyChange({ ...valid, key: 'exit_notice_days', value: 7.5 }).issues[0]!.zh).toBe('exit_notice_days 的单位是天，应为整数');
    expect(validatePolicyChange({ ...valid, key: 'exit_stable_years', value: 0 }).issues[0]).toMatchObject({ field: 'value', en: 'The value cannot be below 1' });
    expect(validatePolicyChange({ ...valid, value: Number.POSITIVE_INFINITY }).issues.map((i) => i.field)).toEqual(['value']);
    expect(validatePolicyChange({ ...valid, value: '4100' }).issues.map((i) => i.field)).toEqual(['value']);
  });

  it('needs the value stated, null meaning unknown', () => {
    const { value: _v, ...noValue } = valid;
    expect(validatePolicyChange(noValue).issues[0]!.en).toMatch(/^The value is required; when it is unknown/);
    expect(validatePolicyChange({ ...valid, value: null }).issues).toEqual([]);
  });

  it('checks regions: province codes must exist and each key allows only its levels', () => {
    expect(validatePolicyChange({ ...valid, region: '15' }).issues).toEqual([]);
    expect(validatePolicyChange({ ...valid, region: '99' }).issues[0]).toMatchObject({ field: 'region', value: '99' });
    expect(validatePolicyChange({ ...valid, region: 15 }).issues.map((i) => i.field)).toEqual(['region']);
    const national = validatePolicyChange({ ...valid, key: 'monitoring_income_threshold', region: '' });
    expect(national.issues[0]!.zh).toBe('参数 monitoring_income_threshold 不能按全国设置；可用：省级、县级');
  });
});
