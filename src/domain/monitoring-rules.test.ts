import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_ROWS, lookupFor, type PolicyRow } from './policy.js';
import type { PolicyKey } from './policy-types.js';
import {
  MONITORING_RULES, evaluateMonitoring, findDepartmentKind, householdAlerts, isMonitoringRule, monitoringParams, ruleLabel,
  type DepartmentRecordFacts, type HouseholdFacts, type HouseholdScanInput, type MemberFacts, type PersonFacts, type YearFacts,
} from './monitoring-rules.js';
import { RISK_TYPES } from './workflows/codes.js';

const KULUN = '150524';
const r = (key: PolicyKey, year: number, region: string, value: number | null, source = `文件 ${key} / doc ${key}`): PolicyRow => ({ key, year, region, value, source });
const lookup = (year: number, extra: PolicyRow[] = [], area = KULUN) => lookupFor([...DEFAULT_POLICY_ROWS, ...extra], year, area);

const member: MemberFacts = { id: 11, name: '巴特尔', idNumber: '150524197003150031' };
const other: MemberFacts = { id: 12, name: '其木格', idNumber: '15052419720802002X' };
const y = (year: number, perCapitaIncome: number, status = '1', householdSize = 3): YearFacts => ({ year, status, householdSize, perCapitaIncome });
const dept = (kind: DepartmentRecordFacts['kind'], idNumber: string, extra: Partial<DepartmentRecordFacts> = {}): DepartmentRecordFacts => ({
  id: 1, batch: 7, kind, idNumber, name: '巴特尔', detail: null, amount: null, date: null, department: '市公安局交警支队', ...extra,
});
const input = (year: number, extra: Partial<HouseholdScanInput> = {}): HouseholdScanInput => ({ year, members: [member, other], ...extra });
const rules = (res: { alerts: { rule: string }[] }) => res.alerts.map((a) => a.rule).sort();

describe('rule list', () => {
  it('lists every rule once with labels and descriptions in both languages', () => {
    const keys = MONITORING_RULES.map((x) => x.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['income_below_threshold', 'income_drop', 'exited_below_line', 'large_medical_cost',
      'department:vehicle', 'department:housing', 'department:company', 'department:public_servant']));
    for (const x of MONITORING_RULES) {
      expect(x.label.zh.length).toBeGreaterThan(2);
      expect(x.description.en.length).toBeGreaterThan(20);
      expect(isMonitoringRule(x.key)).toBe(true);
    }
    expect(isMonitoringRule('department:medical_cost')).toBe(false);
    expect(ruleLabel('income_drop').zh).toBe('收入骤减');
  });

  it('reads department kinds by code, Chinese label or alias', () => {
    expect(findDepartmentKind('车辆')).toBe('vehicle');
    expect(findDepartmentKind(' Public_Servant ')).toBe('public_servant');
    expect(findDepartmentKind('商品房')).toBe('housing');
    expect(findDepartmentKind('医疗费用')).toBe('medical_cost');
    expect(findDepartmentKind('船')).toBeUndefined();
  });
});

describe('income_below_threshold', () => {
  it("falls back to 1.5 × the poverty line when Inner Mongolia's threshold is unknown, and says so", () => {
    const p = monitoringParams(lookup(2023), 2023);
    expect(p.threshold).toMatchObject({ fen: 600_000, basis: 'multiple' });
    const res = householdAlerts(input(2023, { record: y(2023, 5999.99) }), p);
    expect(rules(res)).toEqual(['income_below_threshold']);
    const a = res.alerts[0]!;
    expect(a.reason.zh).toContain('5,999.99 元，低于');
    expect(a.reason.zh).toContain('已登记但数值未知');
    expect(a.reason.zh).toContain('监测收入倍数 1.5 × 贫困线 4,000.00 元 = 6,000.00 元');
    expect(a.reason.en).toContain('the monitoring multiple 1.5 × the poverty line 4,000.00 yuan = 6,000.00 yuan');
    expect(a.params.map((x) => [x.key, x.region, x.value])).toEqual([
      ['monitoring_income_threshold', '15', null], ['monitoring_income_line_multiple', '', 1.5], ['poverty_line', '', 4000],
    ]);
    expect(a.facts).toMatchObject({ perCapitaIncome: 5999.99, threshold: 6000, thresholdBasis: 'multiple' });
  });

  it('is strict at the boundary: exactly the threshold raises nothing', () => {
    const p = monitoringParams(lookup(2023), 2023);
    expect(householdAlerts(input(2023, { record: y(2023, 6000) }), p).alerts).toEqual([]);
  });

  it("uses a county's own threshold when one is set, naming it with its source", () => {
    const l = lookup(2023, [r('monitoring_income_threshold', 2023, KULUN, 7300, '库伦旗 2023 年监测标准 / Kulun 2023 threshold')]);
    const res = evaluateMonitoring(input(2023, { record: y(2023, 7000) }), l);
    expect(rules(res)).toEqual(['income_below_threshold']);
    expect(res.alerts[0]!.reason.zh).toContain('防返贫监测收入标准 7,300.00 元（monitoring_income_threshold，2023 年起，县级 150524；来源：库伦旗 2023 年监测标准）');
    expect(res.alerts[0]!.reason.en).toContain('source: Kulun 2023 threshold');
    expect(res.alerts[0]!.facts.thresholdBasis).toBe('threshold');
  });

  it('does not alert the registered poor (status 0 or 3)', () => {
    const p = monitoringParams(lookup(2023), 2023);
    expect(householdAlerts(input(2023, { record: y(2023, 3000, '3') }), p).alerts).toEqual([]);
    expect(householdAlerts(input(2023, { record: y(2023, 3000, '0') }), p).alerts).toEqual([]);
  });

  it('never guesses: an unknown poverty line (2017) gives no alert and reports the missing parameters', () => {
    // 2017: the line is listed as unknown, and neither a threshold nor the multiple (from 2020) applies yet.
    const res = evaluateMonitoring(input(2017, { record: y(2017, 100) }), lookup(2017));
    expect(res.alerts).toEqual([]);
    expect(res.missing.map((m) => [m.key, m.rules])).toEqual([
      ['monitoring_income_threshold', ['income_below_threshold']],
      ['monitoring_income_line_multiple', ['income_below_threshold']],
      ['poverty_line', ['income_below_threshold', 'exited_below_line']],
    ]);
    expect(res.missing[2]!.reason.zh).toContain("缺少参数 poverty_line（2017 年）：已登记但数值未知");
    expect(res.missing[2]!.reason.en).toContain("Missing parameter poverty_line (2017)");
  });

  it('reports the threshold and the multiple when neither can be used', () => {
    const rows = DEFAULT_POLICY_ROWS.filter((x) => x.key !== 'monitoring_income_line_multiple');
    const res = householdAlerts(input(2023, { record: y(2023, 100, '4') }), monitoringParams(lookupFor(rows, 2023, KULUN), 2023));
    expect(rules(res)).toEqual(['exited_below_line']); // the poverty line itself is known
    expect(res.missing.map((m) => m.key)).toEqual(['monitoring_income_threshold', 'monitoring_income_line_multiple']);
  });
});

describe('income_drop', () => {
  const p = () => monitoringParams(lookup(2023), 2023);
  it('fires above the alert percentage and not at it', () => {
    // 10,000 → 6,999.99 is a drop of 30.0001%; 10,000 → 7,000 exactly 30%.
    const hit = householdAlerts(input(2023, { record: y(2023, 6999.99 + 1000), previous: y(2022, 11428.56) }), p());
    expect(rules(hit)).toEqual(['income_drop']);
    const a = hit.alerts[0]!;
    expect(a.reason.zh).toMatch(/由 2022 年的 11,428.56 元降至 2023 年的 7,999.99 元，下降 30.00%，超过收入骤减预警比例 30%（income_drop_alert_pct，2020 年起，全国；来源：项目默认值（非公开政策））/);
    expect(a.reason.en).toContain('source: project default, not published policy');
    expect(householdAlerts(input(2023, { record: y(2023, 7000), previous: y(2022, 10000) }), p()).alerts).toEqual([]);
    expect(rules(householdAlerts(input(2023, { record: y(2023, 6999.99), previous: y(2022, 10000) }), p()))).toEqual(['income_drop']);
  });

  it('needs the previous year and a positive previous income', () => {
    expect(householdAlerts(input(2023, { record: y(2023, 7000), previous: y(2021, 20000) }), p()).alerts).toEqual([]);
    expect(householdAlerts(input(2023, { record: y(2023, 6500), previous: y(2022, 0) }), p()).alerts).toEqual([]);
  });
});

describe('exited_below_line', () => {
  it('fires for an exited household below the line, alongside the threshold rule', () => {
    const res = evaluateMonitoring(input(2023, { record: y(2023, 3999.99, '4') }), lookup(2023));
    expect(rules(res)).toEqual(['exited_below_line', 'income_below_threshold']);
    const a = res.alerts.find((x) => x.rule === 'exited_below_line')!;
    expect(a.reason.zh).toContain('脱贫标志为“已脱贫(不再享受政策)”，但人均纯收入 3,999.99 元低于当年贫困线 4,000.00 元（poverty_line，2020 年起，全国；来源：2020 年贫困标准现价值约 4000 元');
    expect(a.facts).toMatchObject({ povertyLine: 4000, status: '4' });
  });

  it('does not fire at the line or for a household not yet out of poverty', () => {
    expect(rules(evaluateMonitoring(input(2023, { record: y(2023, 4000, '1') }), lookup(2023)))).toEqual(['income_below_threshold']);
    expect(evaluateMonitoring(input(2016, { record: y(2016, 1000, '0') }), lookup(2016)).alerts).toEqual([]);
  });
});

describe('department records', () => {
  it("raises department:<kind> for a member's ID number and masks it", () => {
    const res = evaluateMonitoring(input(2023, {
      departmentRecords: [
        dept('vehicle', member.idNumber, { detail: '蒙G·12345 轿车', amount: 120000, date: '2023-05-01' }),
        dept('vehicle', other.idNumber, { id: 2, detail: '农用三轮车' }),
        dept('company', '150524198001010017'), // not a member
        dept('housing', member.idNumber, { id: 3, date: '2024-01-02', department: '住建局' }), // after the year scanned
      ],
    }), lookup(2023));
    expect(rules(res)).toEqual(['department:vehicle']);
    const a = res.alerts[0]!;
    expect(a.facts.count).toBe(2);
    expect(a.reason.zh).toContain('巴特尔（1505**********0031），市公安局交警支队，详情：蒙G·12345 轿车，金额 120,000 元，日期 2023-05-01');
    expect(a.reason.en).toContain('Cross-check');
    expect(JSON.stringify(a)).not.toContain(member.idNumber);
  });

  it('adds up medical costs of the year and compares them with the alert line', () => {
    const costs = [
      dept('medical_cost', member.idNumber, { id: 5, amount: 6000, date: '2023-03-01', department: '医保局' }),
      dept('medical_cost', other.idNumber, { id: 6, amount: 4001, date: '2023-09-09', department: '医保局' }),
      dept('medical_cost', other.idNumber, { id: 7, amount: 90000, date: '2022-12-31', department: '医保局' }), // another year
    ];
    const res = evaluateMonitoring(input(2023, { departmentRecords: costs }), lookup(2023));
    expect(rules(res)).toEqual(['large_medical_cost']);
    expect(res.alerts[0]!.facts).toMatchObject({ total: 10001, count: 2, alertLine: 10000 });
    expect(res.alerts[0]!.reason.zh).toContain('医疗自付费用合计 10,001.00 元（2 条记录');
    expect(res.alerts[0]!.reason.zh).toContain('超过大额医疗支出预警线 10,000.00 元（medical_oop_alert_yuan');
    // Exactly the line is not above it.
    const at = evaluateMonitoring(input(2023, { departmentRecords: [{ ...costs[0]!, amount: 10000 }] }), lookup(2023));
    expect(at.alerts).toEqual([]);
  });

  it('a control household with nothing unusual raises nothing and misses nothing', () => {
    const res = evaluateMonitoring(input(2023, { record: y(2023, 9000), previous: y(2022, 8500) }), lookup(2023));
    expect(res).toEqual({ alerts: [], missing: [] });
  });
});

// --- the register's rules and the data-quality rules (monitoring-register.ts) ----------------------

const p2023 = () => monitoringParams(lookup(2023), 2023);
let nextMember = 100;
const person = (birthDate: string, extra: Partial<PersonFacts> = {}): PersonFacts => {
  nextMember += 1;
  return {
    id: nextMember, name: `成员${nextMember}`, idNumber: `150524${birthDate.replaceAll('-', '')}${String(nextMember).padStart(3, '0')}1`,
    birthDate, studentStatus: null, health: null, labourAbility: null, workMonths: null, ...extra,
  };
};
const hh = (members: PersonFacts[], extra: Partial<HouseholdFacts> = {}): HouseholdFacts => ({ attribute: '4', mainCause: '07', otherCauses: [], members, ...extra });
const rec = (extra: Partial<YearFacts> = {}, status = '1'): YearFacts => ({ ...y(2023, 9000, status, 2), ...extra });
const scan = (record: YearFacts, household: HouseholdFacts | null = null, params = p2023()) =>
  householdAlerts(input(2023, { record, household, members: household?.members ?? [] }), params);

describe('catalogue of the new rules', () => {
  it('gives the risk rules a risk type of the case workflow, and the data-quality rules none and a 数据质量 label', () => {
    const codes = new Set(RISK_TYPES.map((t) => t.code));
    const of = (k: string) => MONITORING_RULES.find((x) => x.key === k)!;
    expect(['unsafe_housing', 'unsafe_water', 'labour_loss', 'out_of_school', 'disaster_reported', 'accident_reported', 'dropout_reported'].map((k) => of(k).riskType))
      .toEqual(['housing', 'drinking_water', 'labour_shortage', 'schooling', 'disaster', 'accident', 'schooling']);
    for (const x of MONITORING_RULES) if (x.riskType !== null) expect(codes.has(x.riskType), x.key).toBe(true);
    const dq = MONITORING_RULES.filter((x) => x.key.startsWith('dq_'));
    expect(dq.map((x) => x.key)).toEqual(['dq_illness_without_sick_member', 'dq_assistance_not_listed', 'dq_income_out_of_range', 'dq_work_months', 'dq_land_per_person', 'dq_no_responsible_cadre', 'dq_cadre_registered_poor']);
    for (const x of dq) {
      expect(x.riskType).toBeNull();
      expect(x.label.zh.startsWith('数据质量：')).toBe(true);
      expect(x.label.en.startsWith('Data quality: ')).toBe(true);
    }
    expect(dq.filter((x) => x.source === 'department').map((x) => x.key)).toEqual(['dq_assistance_not_listed']);
    expect(of('dq_income_out_of_range').params).toEqual(['dq_income_min_yuan', 'dq_income_max_yuan']);
  });

  it('reads the new department kinds by Chinese name and alias', () => {
    expect(['受灾', '自然灾害', '意外事故', '交通事故', '失辍学', '辍学', '死亡注销', '死亡', '低保', '最低生活保障', '特困供养', '五保'].map(findDepartmentKind))
      .toEqual(['disaster', 'disaster', 'accident', 'accident', 'dropout', 'dropout', 'death', 'death', 'dibao', 'dibao', 'tekun', 'tekun']);
  });
});

describe('unsafe_housing and unsafe_water', () => {
  it('fires on the evaluation\'s own housing check: not secured, or a dangerous house whatever the flag', () => {
    const a = scan(rec({ housingSecure: false }));
    expect(rules(a)).toEqual(['unsafe_housing']);
    expect(a.alerts[0]!.reason.zh).toContain('2023 年年度记录住房安全未达标：登记为未达到“住房安全有保障”（housingSecure = 否）；请入户核实住房状况');
    expect(a.alerts[0]!.facts).toMatchObject({ housingSecure: false, dangerousHouse: null, status: '1' });
    const d = scan(rec({ housingSecure: true, dangerousHouse: true }));
    expect(rules(d)).toEqual(['unsafe_housing']);
    expect(d.alerts[0]!.reason.zh).toContain('住房登记为危房');
    expect(scan(rec({ housingSecure: true, dangerousHouse: false })).alerts).toEqual([]);
    expect(scan(rec({ housingSecure: null })).alerts).toEqual([]); // unknown is not a hit
  });

  it('fires on water below 20 L or above 20 minutes, not at the limits', () => {
    expect(rules(scan(rec({ waterSecure: true, waterLitresPerDay: 19 })))).toEqual(['unsafe_water']);
    expect(scan(rec({ waterSecure: true, waterLitresPerDay: 20, waterFetchMinutes: 20 })).alerts).toEqual([]);
    const far = scan(rec({ waterFetchMinutes: 21 }));
    expect(rules(far)).toEqual(['unsafe_water']);
    expect(far.alerts[0]!.reason.zh).toContain('取水往返 21 分钟，超过 20 分钟');
    expect(far.alerts[0]!.reason.en).toContain('start monitoring (unsafe drinking water)');
    expect(rules(scan(rec({ waterSecure: false })))).toEqual(['unsafe_water']);
  });

  it('leaves the registered poor to their assistance (status 0 or 3)', () => {
    expect(scan(rec({ housingSecure: false, waterSecure: false }, '0')).alerts).toEqual([]);
    expect(scan(rec({ dangerousHouse: true }, '3')).alerts).toEqual([]);
  });
});

describe('out_of_school', () => {
  it('fires for a child of 6–15 on 31 August whose status is 非在校生, at both age limits', () => {
    const six = person('2017-08-31', { studentStatus: '0' });
    const fifteen = person('2007-09-01', { studentStatus: '0' });
    const res = scan(rec(), hh([person('1985-01-01'), six, fifteen]));
    expect(rules(res)).toEqual(['out_of_school']);
    const a = res.alerts[0]!;
    expect(a.facts).toMatchObject({ asOf: '2023-08-31', children: [{ memberId: six.id, age: 6 }, { memberId: fifteen.id, age: 15 }] });
    expect(a.reason.zh).toContain(`${six.name}（1505**********${six.idNumber.slice(-4)}） 6 周岁`);
    expect(a.reason.zh).toContain('属义务教育适龄（6–15 周岁），在校生状况却为“非在校生”；请入户核实，属实的会同学校劝返复学');
    expect(JSON.stringify(a)).not.toContain(six.idNumber);
  });

  it('does not fire just outside the ages, for a child in school, or with the status empty', () => {
    expect(scan(rec(), hh([person('2017-09-01', { studentStatus: '0' }), person('2007-08-31', { studentStatus: '0' })])).alerts).toEqual([]);
    expect(scan(rec(), hh([person('2013-05-01', { studentStatus: '2' }), person('2012-05-01', { studentStatus: null })])).alerts).toEqual([]);
  });

  it('needs the full member list (never judges from the members a department record matched) and skips the registered poor', () => {
    const child = person('2013-05-01', { studentStatus: '0' });
    expect(scan(rec(), { ...hh([child]), members: undefined }).alerts).toEqual([]);
    expect(scan(rec({}, '0'), hh([child])).alerts).toEqual([]);
  });
});

describe('labour_loss', () => {
  it('fires when a working-age member lost labour ability and no working-age member can work', () => {
    const lost = person('1983-06-01', { labourAbility: '3', health: '3' });
    const res = scan(rec(), hh([lost, person('1985-02-02', { labourAbility: '4' }), person('1950-01-01', { labourAbility: '1' }), person('2015-01-01', { labourAbility: '4' })]));
    expect(rules(res)).toEqual(['labour_loss']);
    expect(res.alerts[0]!.facts).toMatchObject({ asOf: '2023-12-31', workingAgeMembers: 2, ableWorkingAgeMembers: 0, lost: [{ memberId: lost.id, age: 40 }] });
    expect(res.alerts[0]!.reason.zh).toContain('40 周岁为劳动年龄（16–59 周岁，按 2023-12-31 计），却登记为“丧失劳动力”，家中再无劳动年龄的普通或技能劳动力');
  });

  it('does not fire while a working-age member can work, outside working age, or with a labour ability unknown', () => {
    const lost = () => person('1983-06-01', { labourAbility: '3' });
    expect(scan(rec(), hh([lost(), person('2005-03-03', { labourAbility: '2' })])).alerts).toEqual([]);
    expect(scan(rec(), hh([person('1963-12-31', { labourAbility: '3' })])).alerts).toEqual([]); // 60 on 31 December
    expect(rules(scan(rec(), hh([person('1964-01-01', { labourAbility: '3' })])))).toEqual(['labour_loss']); // 59
    expect(scan(rec(), hh([lost(), person('1990-01-01', { labourAbility: null })])).alerts).toEqual([]);
    expect(scan(rec({}, '0'), hh([lost()])).alerts).toEqual([]);
  });
});

describe('dq_illness_without_sick_member', () => {
  it('fires on 因病 (main or other cause) when every member is recorded and none is sick, whatever the status', () => {
    const res = scan(rec({}, '0'), hh([person('1970-01-01', { health: '1' }), person('1972-01-01', { health: '4' })], { mainCause: '01' }));
    expect(rules(res)).toEqual(['dq_illness_without_sick_member']);
    expect(res.alerts[0]!.reason.zh).toMatch(/^数据质量：主要致贫原因为“因病”，但 2 名成员的健康状况为：.+ 健康、.+ 残疾，无人登记为长期慢性病或患有大病；请核实/);
    expect(res.alerts[0]!.params).toEqual([]);
    expect(rules(scan(rec(), hh([person('1970-01-01', { health: '1' })], { otherCauses: ['05', '01'] })))).toEqual(['dq_illness_without_sick_member']);
  });

  it('does not fire with a sick member, with a health status empty, or for another cause', () => {
    expect(scan(rec(), hh([person('1970-01-01', { health: '1' }), person('1972-01-01', { health: '2' })], { mainCause: '01' })).alerts).toEqual([]);
    expect(scan(rec(), hh([person('1970-01-01', { health: '1' }), person('1972-01-01', { health: null })], { mainCause: '01' })).alerts).toEqual([]);
    expect(scan(rec(), hh([person('1970-01-01', { health: '1' })], { mainCause: '02' })).alerts).toEqual([]);
  });
});

describe('dq_assistance_not_listed', () => {
  const list = (covered: boolean, listedMembers: number) => ({ covered, listedMembers });
  it('fires for a 低保 or 特困 household with nobody on the civil affairs list loaded for the county', () => {
    const res = scan(rec(), hh([], { attribute: '2', members: undefined, assistance: { dibao: list(true, 0) } }));
    expect(rules(res)).toEqual(['dq_assistance_not_listed']);
    expect(res.alerts[0]!.reason.zh).toContain('数据质量：贫困户属性为“低保贫困户”，但已导入的民政低保名单（截至 2023 年底）中没有该户任何成员');
    expect(rules(scan(rec(), hh([], { attribute: '6', assistance: { tekun: list(true, 0) } })))).toEqual(['dq_assistance_not_listed']);
  });

  it('does not fire with a member listed, without a list for the county, or for another attribute', () => {
    expect(scan(rec(), hh([], { attribute: '5', assistance: { dibao: list(true, 1) } })).alerts).toEqual([]);
    expect(scan(rec(), hh([], { attribute: '5', assistance: { dibao: list(false, 0) } })).alerts).toEqual([]);
    expect(scan(rec(), hh([], { attribute: '5' })).alerts).toEqual([]);
    expect(scan(rec(), hh([], { attribute: '1', assistance: { dibao: list(true, 0) } })).alerts).toEqual([]);
  });
});

describe('dq_income_out_of_range', () => {
  it('fires at or below 0 and above 100,000, not just inside, citing the limit and its source', () => {
    const at = (v: number) => rules(scan({ ...rec(), perCapitaIncome: v }, null, p2023()));
    expect([at(0), at(-5), at(0.01), at(100000), at(100000.01)]).toEqual([
      ['dq_income_out_of_range', 'exited_below_line', 'income_below_threshold'],
      ['dq_income_out_of_range', 'exited_below_line', 'income_below_threshold'],
      ['exited_below_line', 'income_below_threshold'],
      [],
      ['dq_income_out_of_range'],
    ]);
    const high = scan({ ...rec(), perCapitaIncome: 250000 }).alerts[0]!;
    expect(high.reason.zh).toContain('数据质量：2023 年人均纯收入 250,000.00 元，高于数据质量上限 100,000.00 元（dq_income_max_yuan，2014 年起，全国；来源：项目默认值：各地扶贫信息系统数据质量校验中常见的限值（domain.md §4）');
    expect(high.facts).toMatchObject({ side: 'high', limit: 100000 });
    expect(high.params.map((x) => [x.key, x.value])).toEqual([['dq_income_max_yuan', 100000]]);
    const low = scan({ ...rec(), perCapitaIncome: 0, status: '0' }).alerts;
    expect(low.map((x) => x.rule)).toEqual(['dq_income_out_of_range']); // the registered poor too
    expect(low[0]!.reason.zh).toContain('不高于数据质量下限 0.00 元');
  });

  it("uses a county's own limit, and reports a missing one instead of guessing", () => {
    const own = monitoringParams(lookup(2023, [r('dq_income_max_yuan', 2023, KULUN, 50000, '库伦旗数据核查口径 / Kulun check')]), 2023);
    expect(rules(scan({ ...rec(), perCapitaIncome: 60000 }, null, own))).toEqual(['dq_income_out_of_range']);
    const rows = DEFAULT_POLICY_ROWS.filter((x) => x.key !== 'dq_income_max_yuan');
    const res = scan({ ...rec(), perCapitaIncome: 250000 }, null, monitoringParams(lookupFor(rows, 2023, KULUN), 2023));
    expect(res.alerts).toEqual([]);
    expect(res.missing.map((m) => [m.key, m.rules])).toEqual([['dq_income_max_yuan', ['dq_income_out_of_range']]]);
    expect(res.missing[0]!.reason.zh).toContain('缺少参数 dq_income_max_yuan（2023 年）：未设置');
  });
});

describe('dq_work_months', () => {
  it('fires for months below 0 or above 12 (rows written around the validation), not for 0 or 12', () => {
    const res = scan(rec(), hh([person('1980-01-01', { workMonths: 13 }), person('1982-01-01', { workMonths: 12 }), person('1984-01-01', { workMonths: -1 })]));
    expect(rules(res)).toEqual(['dq_work_months']);
    expect(res.alerts[0]!.facts.members).toHaveLength(2);
    expect(res.alerts[0]!.reason.zh).toMatch(/数据质量：务工时间超出 0–12 个月：.+ 13 个月、.+ -1 个月；请按当年实际外出务工月数更正/);
    expect(scan(rec(), hh([person('1980-01-01', { workMonths: 0 }), person('1982-01-01', { workMonths: 12 })])).alerts).toEqual([]);
  });
});

describe('dq_land_per_person', () => {
  it('fires above 50 mu of farmland or 70 mu of forest per person, not at the limit', () => {
    expect(scan(rec({ farmlandMu: 100, forestMu: 140 })).alerts).toEqual([]); // exactly 50 and 70 per person for 2 people
    const res = scan(rec({ farmlandMu: 100.01, forestMu: 140.01 }));
    expect(rules(res)).toEqual(['dq_land_per_person']);
    expect(res.alerts[0]!.reason.zh).toContain('耕地 100.01 亩 ÷ 家庭人口 2 人 = 人均 50.01 亩，超过上限 50 亩/人（dq_farmland_mu_per_person_max');
    expect(res.alerts[0]!.reason.zh).toContain('；林地 140.01 亩 ÷ 家庭人口 2 人 = 人均 70.01 亩，超过上限 70 亩/人');
    expect(res.alerts[0]!.params.map((x) => x.key)).toEqual(['dq_farmland_mu_per_person_max', 'dq_forest_mu_per_person_max']);
    expect(rules(scan(rec({ forestMu: 140.01 })))).toEqual(['dq_land_per_person']);
  });

  it('reports the missing limit and still checks the other', () => {
    const rows = DEFAULT_POLICY_ROWS.filter((x) => x.key !== 'dq_farmland_mu_per_person_max');
    const res = scan(rec({ farmlandMu: 5000, forestMu: 141 }), null, monitoringParams(lookupFor(rows, 2023, KULUN), 2023));
    expect(res.alerts.map((a) => a.facts.over)).toEqual([['forest land']]);
    expect(res.missing.map((m) => [m.key, m.rules])).toEqual([['dq_farmland_mu_per_person_max', ['dq_land_per_person']]]);
  });
});

describe('disaster, accident, dropout and death records', () => {
  it('raises one alert per kind for records of the year, saying what to do', () => {
    const res = evaluateMonitoring(input(2023, {
      departmentRecords: [
        dept('disaster', member.idNumber, { id: 21, detail: '冰雹，玉米绝收 30 亩', amount: 24000, date: '2023-07-12', department: '旗应急管理局' }),
        dept('disaster', other.idNumber, { id: 22, date: '2022-07-12', department: '旗应急管理局' }), // another year
        dept('accident', other.idNumber, { id: 23, detail: '交通事故 重伤', date: '2023-03-02', department: '公安局' }),
        dept('dropout', other.idNumber, { id: 24, detail: '初二辍学', date: '2023-10-09', department: '旗教育局' }),
        dept('death', member.idNumber, { id: 25, date: '2023-01-20', department: '民政局' }),
        dept('dibao', member.idNumber, { id: 26, date: '2020-01-01', department: '民政局' }), // read by the data-quality rule only
      ],
    }), lookup(2023));
    expect(rules(res)).toEqual(['accident_reported', 'department:death', 'disaster_reported', 'dropout_reported']);
    const d = res.alerts.find((a) => a.rule === 'disaster_reported')!;
    expect(d.facts.count).toBe(1);
    expect(d.reason.zh).toContain('2023 年家庭成员出现在部门受灾记录中（巴特尔（1505**********0031），旗应急管理局，详情：冰雹，玉米绝收 30 亩，金额 24,000 元，日期 2023-07-12）；请入户核实受灾损失');
    expect(res.alerts.find((a) => a.rule === 'accident_reported')!.reason.en).toContain('start monitoring (accident)');
    expect(res.alerts.find((a) => a.rule === 'dropout_reported')!.reason.zh).toContain('劝返复学');
    expect(evaluateMonitoring(input(2024, { departmentRecords: [dept('disaster', member.idNumber, { date: '2023-07-12' })] }), lookup(2024)).alerts).toEqual([]);
  });
});
