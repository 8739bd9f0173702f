import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_ROWS, lookupFor, type PolicyRow } from './policy.js';
import type { PolicyKey } from './policy-types.js';
import {
  MONITORING_RULES, evaluateMonitoring, findDepartmentKind, householdAlerts, isMonitoringRule, monitoringParams, ruleLabel,
  type DepartmentRecordFacts, type HouseholdScanInput, type MemberFacts, type YearFacts,
} from './monitoring-rules.js';

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
