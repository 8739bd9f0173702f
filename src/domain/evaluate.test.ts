// Evaluation with reasons: the seven household checks, the three decisions built on them, and the
// area bars on exact counts. Lookups are built here from small arrays of ResolvedParams; all people
// are synthetic.
import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { checkChar } from './idnumber.js';
import type { ParamLookup, PolicyKey, ResolvedParam } from './policy-types.js';
import type { HouseholdInput, MemberInput, YearInput } from './register.js';
import {
  CHECK_KEYS,
  WATER_MAX_FETCH_MINUTES,
  WATER_MIN_LITRES_PER_PERSON_DAY,
  clothingCheck,
  countyAssessment,
  countyExit,
  educationCheck,
  evaluateHouseholdYear,
  exitEligibility,
  foodCheck,
  housingCheck,
  identificationEligibility,
  incomeCheck,
  medicalCheck,
  monthsBetween,
  parseDate,
  riskElimination,
  villageExit,
  waterCheck,
  type Check,
  type CheckKey,
  type HouseholdYearInput,
  type MonitoringCaseInput,
  type YMD,
} from './evaluate.js';

// --- fixtures -----------------------------------------------------------------------------------

function p(key: PolicyKey, value: number | null, year = 2011, region = '', source = 'test'): ResolvedParam {
  return { key, value, year, region, source };
}

function lookupOf(rows: readonly ResolvedParam[]): ParamLookup {
  return (key) => rows.find((r) => r.key === key);
}

/** Test poverty lines (2016 and 2019 from domain.md §5; 2017 and 2018 are test values: domain.md has them unknown). */
const LINES: Record<number, number> = { 2016: 2952, 2017: 3000, 2018: 3100, 2019: 3218 };

const BASE_2019 = [p('poverty_line', 3218, 2019), p('exit_stable_years', 3), p('monitoring_income_line_multiple', 1.5, 2020), p('risk_elimination_min_months', 6, 2020)];
const L2019 = lookupOf(BASE_2019);
const forYear = (y: number): ParamLookup => lookupOf([p('poverty_line', LINES[y] ?? null, y)]);

function id(birth: string, sex: '1' | '2', seq = 1): string {
  const first17 = `150524${birth.replaceAll('-', '')}${String(seq * 2 + (sex === '1' ? 1 : 0)).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

const household: HouseholdInput = {
  householdNo: 'H0001',
  villageCode: '150524100201',
  groupName: null,
  attribute: '1',
  exitStatus: '0',
  mainCause: '01',
  otherCauses: [],
  identifiedOn: '2014-10-01',
  exitYear: null,
  phone: null,
  assistanceUnit: null,
  responsibleCadre: null,
  relocated: false,
};

function mem(o: Partial<MemberInput> & { birthDate: string }): MemberInput {
  return {
    name: '巴特尔',
    idNumber: id(o.birthDate, o.sex === '2' ? '2' : '1'),
    relation: '01',
    sex: '1',
    ethnicity: '02',
    education: '3',
    studentStatus: '0',
    health: '1',
    disabilityGrade: null,
    labourAbility: '1',
    workMonths: 6,
    medicalInsurance: true,
    criticalIllnessInsurance: true,
    pensionInsurance: true,
    phone: null,
    ...o,
  };
}

const HEAD = mem({ name: '巴特尔', birthDate: '1975-03-15' });
const CHILD = mem({ name: '其其格', sex: '2', relation: '04', birthDate: '2005-09-01', studentStatus: '3', labourAbility: null, education: '2' });

function yr(o: Partial<YearInput> = {}): YearInput {
  return {
    year: 2019,
    householdSize: 2,
    status: '1',
    wageIncome: 8000, // 8000 / 2 = 4000 per person
    productionIncome: 0,
    propertyIncome: 0,
    transferIncome: 0,
    productionCosts: 0,
    nonCountingIncome: 0,
    foodSecure: true,
    clothingSecure: true,
    educationSecure: true,
    medicalSecure: true,
    housingSecure: true,
    waterSecure: true,
    dangerousHouse: false,
    waterLitresPerDay: 40,
    waterFetchMinutes: 10,
    electricity: true,
    roadAccess: true,
    sanitaryToilet: true,
    farmlandMu: 10,
    forestMu: null,
    returnedFarmlandMu: null,
    pastureMu: null,
    note: null,
    ...o,
  };
}

const ASOF = '2019-12-31';
const ASOF_D = parseDate(ASOF) as YMD;

function input(o: Partial<HouseholdYearInput> = {}): HouseholdYearInput {
  return { household, members: [HEAD, CHILD], year: yr(), years: [yr({ year: 2017 }), yr({ year: 2018 })], asOf: ASOF, ...o };
}

function get(checks: readonly Check[], key: CheckKey): Check {
  const c = checks.find((x) => x.key === key);
  if (!c) throw new Error(key);
  return c;
}

// --- checks -------------------------------------------------------------------------------------

describe('income check', () => {
  it('passes at exactly the line: poor only when income < line (strict)', () => {
    const c = incomeCheck(yr({ householdSize: 1, wageIncome: 3218 }), L2019);
    expect(c.status).toBe('pass');
    expect(c.facts).toMatchObject({ year: 2019, perCapitaNetIncome: 3218, povertyLine: 3218, householdSize: 1 });
    expect(c.reason.zh).toContain('2019 年人均纯收入 3,218.00 元，不低于贫困线 3,218.00 元（poverty_line，2019 年起，全国），达标');
    expect(c.reason.zh).toContain('人均纯收入 < 贫困线为贫困（严格小于），≥ 贫困线为达标');
    expect(c.params).toEqual([p('poverty_line', 3218, 2019)]);
  });

  it('fails one fen below the line and says by how much', () => {
    const c = incomeCheck(yr({ householdSize: 1, wageIncome: 3217.99 }), L2019);
    expect(c.status).toBe('fail');
    expect(c.reason.zh).toContain('人均纯收入 3,217.99 元，低于贫困线 3,218.00 元');
    expect(c.reason.zh).toContain('差 0.01 元');
    expect(c.reason.en).toContain('below the poverty line of 3,218.00 yuan');
  });

  it('uses perCapitaNetIncome of domain/income.ts: costs subtracted, non-counting grants excluded, fen rounding', () => {
    // (10000 + 500 − 1000) / 3 = 3166.666… → 3166.67; the 50,000 non-counting grant is not counted
    const c = incomeCheck(yr({ householdSize: 3, wageIncome: 10000, transferIncome: 500, productionCosts: 1000, nonCountingIncome: 50000 }), L2019);
    expect(c.facts.perCapitaNetIncome).toBe(3166.67);
    expect(c.status).toBe('fail');
  });

  it('names the missing parameter and the year when no poverty line applies', () => {
    const c = incomeCheck(yr({ year: 2017 }), lookupOf([]));
    expect(c.status).toBe('unknown');
    expect(c.reason.zh).toBe('缺少参数 poverty_line（2017 年）：未设置，无法判断；请用 `jingzhun policy set` 设置');
    expect(c.reason.en).toBe('Missing parameter poverty_line (2017): not set, so this cannot be decided; set it with `jingzhun policy set`');
    expect(c.facts.povertyLine).toBeNull();
    expect(c.facts.perCapitaNetIncome).toBe(4000);
    expect(c.params).toEqual([]);
  });

  it('treats a known-but-unknown value (null) as missing, and records the row it found', () => {
    const row = p('poverty_line', null, 2017);
    const c = incomeCheck(yr({ year: 2017 }), lookupOf([row]));
    expect(c.status).toBe('unknown');
    expect(c.reason.zh).toContain('缺少参数 poverty_line（2017 年）：已登记但数值未知');
    expect(c.params).toEqual([row]);
  });

  it('is unknown when the household size makes income uncomputable', () => {
    const c = incomeCheck(yr({ householdSize: 0 }), L2019);
    expect(c.status).toBe('unknown');
    expect(c.reason.zh).toContain('2019 年人均纯收入无法计算：家庭人口数必须是正整数');
  });
});

describe('不愁吃 / 不愁穿', () => {
  it.each([
    ['food', foodCheck, 'foodSecure', '不愁吃'],
    ['clothing', clothingCheck, 'clothingSecure', '不愁穿'],
  ] as const)('%s: true passes, false fails, null is unknown', (key, fn, field, zh) => {
    const pass = fn(yr({ [field]: true }));
    const fail = fn(yr({ [field]: false }));
    const unknown = fn(yr({ [field]: null }));
    expect([pass.key, pass.status, fail.status, unknown.status]).toEqual([key, 'pass', 'fail', 'unknown']);
    expect(pass.reason.zh).toBe(`登记为${zh}`);
    expect(fail.reason.zh).toBe(`登记为未达到“${zh}”（${field} = 否）`);
    expect(unknown.reason.zh).toBe(`未登记是否${zh}（${field} 为空），请补录年度记录`);
    expect(fail.facts).toEqual({ [field]: false });
  });
});

describe('义务教育 check', () => {
  const masked = (m: MemberInput) => `${m.idNumber.slice(0, 4)}**********${m.idNumber.slice(-4)}`;

  it('passes when every member aged 6–15 is in school', () => {
    const c = educationCheck(yr(), [HEAD, CHILD], ASOF_D, ASOF);
    expect(c.status).toBe('pass');
    expect(c.reason.zh).toBe('登记为义务教育有保障；1 名 6–15 周岁适龄成员均在校（按 2019-12-31 计算年龄）');
    expect(c.facts).toMatchObject({ schoolAgeMembers: 1, membersNotInSchool: null, asOf: ASOF });
  });

  it('fails naming the child out of school, with the masked ID only', () => {
    const child = { ...CHILD, studentStatus: '0' };
    const c = educationCheck(yr(), [HEAD, child], ASOF_D, ASOF);
    expect(c.status).toBe('fail');
    expect(c.reason.zh).toContain(`其其格（${masked(child)}）于 2019-12-31 为 14 岁，属义务教育适龄（6–15 周岁），但在校生状况为“非在校生”`);
    expect(c.facts.membersNotInSchool).toBe(`其其格（${masked(child)}）`);
    expect(JSON.stringify(c)).not.toContain(child.idNumber);
  });

  it('counts ages 6 to 15 inclusive on asOf', () => {
    const at = (birthDate: string) => educationCheck(yr(), [mem({ name: '孩子', birthDate, studentStatus: '0' })], ASOF_D, ASOF);
    expect(at('2004-01-01').status).toBe('fail'); // 15 on 2019-12-31
    expect(at('2003-12-31').status).toBe('pass'); // turns 16 that day
    expect(at('2013-12-31').status).toBe('fail'); // turns 6 that day
    expect(at('2014-01-01').status).toBe('pass'); // 5
    expect(at('2014-01-01').reason.zh).toContain('家中无 6–15 周岁义务教育适龄成员');
  });

  it('is unknown when a school-age child has no student status, and fails on the household flag', () => {
    const c = educationCheck(yr(), [{ ...CHILD, studentStatus: null }], ASOF_D, ASOF);
    expect(c.status).toBe('unknown');
    expect(c.reason.zh).toContain('为 14 岁，属义务教育适龄，但在校生状况未登记');
    expect(educationCheck(yr({ educationSecure: false }), [HEAD], ASOF_D, ASOF).status).toBe('fail');
    const u = educationCheck(yr({ educationSecure: null }), [HEAD], ASOF_D, ASOF);
    expect(u.status).toBe('unknown');
    expect(u.reason.zh).toContain('未登记是否义务教育有保障');
  });

  it('a failing child outweighs an unknown flag', () => {
    const c = educationCheck(yr({ educationSecure: null }), [{ ...CHILD, studentStatus: '0' }], ASOF_D, ASOF);
    expect(c.status).toBe('fail');
    expect(c.reason.zh).not.toContain('未登记是否');
  });
});

describe('基本医疗 check', () => {
  it('passes when the flag is set and every member is insured', () => {
    const c = medicalCheck(yr(), [HEAD, CHILD]);
    expect(c.status).toBe('pass');
    expect(c.reason.zh).toBe('登记为基本医疗有保障，2 名成员均参加基本医疗保险');
  });

  it('fails naming the uninsured member; null insurance is unknown', () => {
    const c = medicalCheck(yr(), [HEAD, { ...CHILD, medicalInsurance: false }]);
    expect(c.status).toBe('fail');
    expect(c.reason.zh).toMatch(/^其其格（1505\*{10}\w{4}）未参加城乡居民基本医疗保险$/);
    const u = medicalCheck(yr(), [HEAD, { ...CHILD, medicalInsurance: null }]);
    expect(u.status).toBe('unknown');
    expect(u.reason.zh).toContain('未登记是否参加基本医疗保险');
    expect(u.facts.membersInsuranceUnknown).toMatch(/^其其格/);
    expect(medicalCheck(yr({ medicalSecure: false }), [HEAD]).status).toBe('fail');
  });
});

describe('住房安全 check', () => {
  it('fails on a dangerous house even when housing is marked secure', () => {
    const c = housingCheck(yr({ dangerousHouse: true }));
    expect(c.status).toBe('fail');
    expect(c.reason.zh).toBe('住房登记为危房（dangerousHouse = 是）');
    expect(housingCheck(yr()).reason.zh).toBe('登记为住房安全有保障，非危房');
    expect(housingCheck(yr({ housingSecure: null, dangerousHouse: null })).status).toBe('unknown');
    expect(housingCheck(yr({ dangerousHouse: null })).status).toBe('pass');
  });
});

describe('饮水安全 check', () => {
  it('uses the project defaults 20 L per person per day and 20 min, inclusive', () => {
    expect([WATER_MIN_LITRES_PER_PERSON_DAY, WATER_MAX_FETCH_MINUTES]).toEqual([20, 20]);
    expect(waterCheck(yr({ waterLitresPerDay: 20, waterFetchMinutes: 20 })).status).toBe('pass');
    const dry = waterCheck(yr({ waterLitresPerDay: 19 }));
    expect(dry.status).toBe('fail');
    expect(dry.reason.zh).toContain('人均日供水量 19 升，低于 20 升（项目默认值');
    const far = waterCheck(yr({ waterFetchMinutes: 21 }));
    expect(far.status).toBe('fail');
    expect(far.reason.zh).toContain('取水往返 21 分钟，超过 20 分钟');
    expect(far.facts).toMatchObject({ waterFetchMinutes: 21, maxFetchMinutes: 20 });
  });

  it('ignores measurements not recorded; the flag decides then', () => {
    expect(waterCheck(yr({ waterLitresPerDay: null, waterFetchMinutes: null })).reason.zh).toBe('登记为饮水安全有保障');
    expect(waterCheck(yr({ waterSecure: false })).status).toBe('fail');
    expect(waterCheck(yr({ waterSecure: null })).status).toBe('unknown');
  });
});

// --- the whole evaluation -----------------------------------------------------------------------

describe('evaluateHouseholdYear', () => {
  it('returns the seven checks, the income and every parameter used (deduplicated)', () => {
    const e = evaluateHouseholdYear(input(), L2019, forYear);
    expect(e.checks.map((c) => c.key)).toEqual([...CHECK_KEYS]);
    expect(e.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(e.perCapitaNetIncome).toBe(4000);
    expect(e.riskElimination).toBeNull();
    expect(e.params).toEqual([p('poverty_line', 3218, 2019), p('exit_stable_years', 3), p('poverty_line', 3000, 2017), p('poverty_line', 3100, 2018)]);
  });

  it('keeps the values it used when a parameter changes afterwards', () => {
    const rows = [p('poverty_line', 3218, 2019), p('exit_stable_years', 1)];
    const e = evaluateHouseholdYear(input(), lookupOf(rows), forYear);
    rows[0]!.value = 9999;
    expect(e.exit.params).toEqual([p('poverty_line', 3218, 2019), p('exit_stable_years', 1)]);
    expect(e.exit.eligible).toBe(true);
  });

  it('refuses an invalid asOf date', () => {
    expect(() => evaluateHouseholdYear(input({ asOf: '2019-02-30' }), L2019)).toThrow(ValidationError);
  });
});

describe('identification eligibility', () => {
  const decide = (o: Partial<YearInput>, members = [HEAD, CHILD]) => evaluateHouseholdYear(input({ year: yr(o), members }), L2019, forYear).identification;

  it('is eligible when income is below the line, and says so', () => {
    const d = decide({ wageIncome: 6000 });
    expect(d.eligible).toBe(true);
    expect(d.reasons[0]!.zh).toBe('符合识别条件：收入未达标（识别标准：人均纯收入低于贫困线，或“两不愁三保障”任一项未保障）');
    expect(d.reasons[1]!.zh).toContain('人均纯收入 3,000.00 元，低于贫困线 3,218.00 元');
    expect(d.params).toEqual([p('poverty_line', 3218, 2019)]);
  });

  it('is eligible on 两不愁三保障 alone, with income above the line', () => {
    const d = decide({ clothingSecure: false, dangerousHouse: true });
    expect(d.eligible).toBe(true);
    expect(d.reasons[0]!.zh).toContain('符合识别条件：不愁穿、住房安全有保障未达标');
    expect(d.checks.map((c) => c.key)).toEqual(['income', 'food', 'clothing', 'education', 'medical', 'housing']);
  });

  it('is not eligible when everything passes, and cannot decide when a check is unknown', () => {
    expect(decide({}).eligible).toBe(false);
    expect(decide({}).reasons[0]!.zh).toContain('不符合识别条件：收入不低于贫困线，“两不愁三保障”均有保障');
    const u = decide({ medicalSecure: null });
    expect(u.eligible).toBeNull();
    expect(u.reasons[0]!.zh).toContain('无法判断是否符合识别条件：基本医疗有保障情况未知');
    // a failure decides even when something else is unknown
    expect(decide({ medicalSecure: null, foodSecure: false }).eligible).toBe(true);
  });

  it('reports unsafe water without making the household eligible by it', () => {
    const d = decide({ waterSecure: false });
    expect(d.eligible).toBe(false);
    expect(d.reasons[1]!.zh).toContain('另：饮水安全未达标（不单独构成识别条件');
  });
});

describe('exit eligibility ("stably" above the line)', () => {
  it('is eligible when each of the last exit_stable_years records is at or above its year line and every check passes', () => {
    const d = evaluateHouseholdYear(input(), L2019, forYear).exit;
    expect(d.eligible).toBe(true);
    expect(d.reasons).toEqual([
      {
        zh: '符合脱贫退出条件：收入、不愁吃、不愁穿、义务教育有保障、基本医疗有保障、住房安全有保障、饮水安全有保障、收入稳定达到贫困线均满足',
        en: 'Meets the conditions for exit: Income, Enough food, Enough clothing, Compulsory education secured, Basic medical care secured, Safe housing secured, Safe drinking water secured, Income stably at or above the line all met',
      },
    ]);
    const r = d.rules[0]!;
    expect(r.key).toBe('stable_income');
    expect(r.facts).toEqual({ exitStableYears: 3, yearsLookedAt: '2017,2018,2019', income2017: 4000, povertyLine2017: 3000, income2018: 4000, povertyLine2018: 3100, income2019: 4000, povertyLine2019: 3218 });
    expect(r.reason.zh).toBe('收入稳定达标：“稳定”指截至 2019 年连续 3 个年度（2017、2018、2019）的人均纯收入均不低于当年贫困线（参数 exit_stable_years = 3）');
  });

  it('is not eligible when a year in the window has no record', () => {
    const d = evaluateHouseholdYear(input({ years: [yr({ year: 2017 }), yr({ year: 2016 })] }), L2019, forYear).exit;
    expect(d.eligible).toBe(false);
    expect(d.reasons[0]!.zh).toBe('不符合脱贫退出条件：收入稳定达到贫困线未满足');
    expect(d.reasons[1]!.zh).toContain('收入未稳定达标：缺少 2018 年的年度记录；“稳定”指截至 2019 年连续 3 个年度（2017、2018、2019）');
  });

  it('is not eligible when one year of the window was below that year\'s line', () => {
    const d = evaluateHouseholdYear(input({ years: [yr({ year: 2017 }), yr({ year: 2018, wageIncome: 6000 })] }), L2019, forYear).exit;
    expect(d.eligible).toBe(false);
    expect(d.rules[0]!.reason.zh).toContain('2018 年人均纯收入 3,000.00 元低于当年贫困线 3,100.00 元');
  });

  it('cannot decide without exit_stable_years or a past year\'s line, and names them', () => {
    const noN = evaluateHouseholdYear(input(), lookupOf([p('poverty_line', 3218, 2019)]), forYear).exit;
    expect(noN.eligible).toBeNull();
    expect(noN.reasons[1]!.zh).toBe('缺少参数 exit_stable_years（2019 年）：未设置，无法判断；请用 `jingzhun policy set` 设置');
    const noPast = evaluateHouseholdYear(input(), L2019).exit;
    expect(noPast.eligible).toBeNull();
    expect(noPast.reasons[1]!.zh).toContain('缺少参数 poverty_line（2017 年）');
    expect(noPast.reasons[1]!.zh).toContain('缺少参数 poverty_line（2018 年）');
  });

  it('a failing year decides even when another year\'s line is missing', () => {
    const partial = (y: number) => lookupOf(y === 2018 ? [p('poverty_line', 3100, 2018)] : []);
    const d = evaluateHouseholdYear(input({ years: [yr({ year: 2017 }), yr({ year: 2018, wageIncome: 6000 })] }), L2019, partial).exit;
    expect(d.eligible).toBe(false);
  });

  it('needs every check, drinking water included', () => {
    const d = evaluateHouseholdYear(input({ year: yr({ waterFetchMinutes: 45 }) }), L2019, forYear).exit;
    expect(d.eligible).toBe(false);
    expect(d.reasons[0]!.zh).toBe('不符合脱贫退出条件：饮水安全有保障未满足');
    expect(d.reasons[1]!.zh).toContain('取水往返 45 分钟');
  });

  it('looks at only the evaluated year when exit_stable_years is 1', () => {
    const d = exitEligibility({ checks: evaluateHouseholdYear(input(), L2019).checks, year: yr() }, lookupOf([p('poverty_line', 3218, 2019), p('exit_stable_years', 1)]));
    expect(d.eligible).toBe(true);
    expect(d.rules[0]!.facts.yearsLookedAt).toBe('2019');
  });
});

describe('risk elimination (防返贫)', () => {
  // 10000 / 2 = 5000 per person; 1.5 × 3218 = 4827
  const CASE: MonitoringCaseInput = { identifiedOn: '2019-06-30', monthsAboveThreshold: 6, measuresApplied: 1, rigidExpensesResolved: true };
  const decide = (o: { year?: Partial<YearInput>; case?: Partial<MonitoringCaseInput>; members?: MemberInput[]; lookup?: ParamLookup; asOf?: string } = {}) => {
    const year = yr({ wageIncome: 10000, ...o.year });
    const asOf = o.asOf ?? ASOF;
    const members = o.members ?? [HEAD, CHILD];
    const checks = evaluateHouseholdYear(input({ year, members, asOf }), L2019).checks;
    return riskElimination({ checks, year, members, asOf: parseDate(asOf) as YMD, asOfText: asOf, monitoringCase: { ...CASE, ...o.case } }, o.lookup ?? L2019);
  };
  const ruleOf = (d: ReturnType<typeof decide>, key: string) => d.rules.find((r) => r.key === key)!;

  it('is eligible when every rule passes, using multiple × line when no threshold is set', () => {
    const d = decide();
    expect(d.eligible).toBe(true);
    expect(d.checks.map((c) => c.key)).toEqual(['education', 'medical', 'housing', 'water']);
    expect(d.rules.map((r) => [r.key, r.status])).toEqual([
      ['monitoring_threshold', 'pass'],
      ['months_since_identification', 'pass'],
      ['months_above_threshold', 'pass'],
      ['measures_applied', 'pass'],
      ['rigid_expenses_resolved', 'pass'],
      ['labour_ability', 'pass'],
    ]);
    const t = ruleOf(d, 'monitoring_threshold');
    expect(t.facts).toMatchObject({ monitoringThreshold: 4827, thresholdSource: 'monitoring_income_line_multiple × poverty_line', monitoringIncomeLineMultiple: 1.5, povertyLine: 3218 });
    expect(t.reason.zh).toContain('不低于监测线 4,827.00 元（未设置 monitoring_income_threshold，按 monitoring_income_line_multiple 1.5 × 贫困线 3,218.00 元计算）');
    expect(ruleOf(d, 'months_since_identification').reason.zh).toBe('自 2019-06-30 识别至 2019-12-31 满 6 个月，已达到至少 6 个月（risk_elimination_min_months）');
    expect(d.params).toEqual([p('monitoring_income_line_multiple', 1.5, 2020), p('poverty_line', 3218, 2019), p('risk_elimination_min_months', 6, 2020)]);
  });

  it('uses the province threshold when set, and passes at exactly it', () => {
    const withT = (v: number) => lookupOf([p('monitoring_income_threshold', v, 2019, '15'), ...BASE_2019]);
    const d = decide({ lookup: withT(5200) });
    expect(d.eligible).toBe(false);
    const t = ruleOf(d, 'monitoring_threshold');
    expect(t.reason.zh).toContain('2019 年人均纯收入 5,000.00 元，低于监测线 5,200.00 元（monitoring_income_threshold，2019 年起，省级 15）');
    expect(t.params).toEqual([p('monitoring_income_threshold', 5200, 2019, '15')]);
    expect(decide({ lookup: withT(5000) }).eligible).toBe(true);
  });

  it('names both missing parameters when neither threshold nor multiple is set', () => {
    const d = decide({ lookup: lookupOf([p('poverty_line', 3218, 2019), p('risk_elimination_min_months', 6)]) });
    expect(d.eligible).toBeNull();
    const r = ruleOf(d, 'monitoring_threshold').reason.zh;
    expect(r).toContain('无法确定监测线：缺少参数 monitoring_income_threshold（2019 年）');
    expect(r).toContain('缺少参数 monitoring_income_line_multiple（2019 年）');
  });

  it('needs the minimum months since identification (calendar months, month-end aware)', () => {
    const d = decide({ case: { identifiedOn: '2019-07-01' } });
    expect(d.eligible).toBe(false);
    expect(ruleOf(d, 'months_since_identification').reason.zh).toBe('自 2019-07-01 识别至 2019-12-31 满 5 个月，未达到至少 6 个月（risk_elimination_min_months）');
    expect(decide({ case: { identifiedOn: '2019-08-31' }, asOf: '2020-02-29' }).eligible).toBe(true);
    expect(decide({ case: { identifiedOn: null } }).eligible).toBeNull();
  });

  it('needs income verified above the threshold for the minimum months', () => {
    expect(ruleOf(decide({ case: { monthsAboveThreshold: 5 } }), 'months_above_threshold').status).toBe('fail');
    const u = decide({ case: { monthsAboveThreshold: null } });
    expect(u.eligible).toBeNull();
    expect(u.reasons[1]!.zh).toContain('未核实收入稳定超过监测线的月数');
  });

  it('needs a measure applied, rigid expenses resolved, and 三保障 and water secured', () => {
    const none = decide({ case: { measuresApplied: 0 } });
    expect(none.eligible).toBe(false);
    expect(none.reasons[1]!.zh).toBe('尚未落实任何帮扶措施（至少需要 1 项）');
    expect(decide({ case: { rigidExpensesResolved: false } }).eligible).toBe(false);
    expect(decide({ case: { rigidExpensesResolved: null } }).eligible).toBeNull();
    const house = decide({ year: { dangerousHouse: true } });
    expect(house.eligible).toBe(false);
    expect(house.reasons[0]!.zh).toBe('不符合风险消除条件：住房安全有保障未满足');
    // 两不愁 is not part of this decision
    expect(decide({ year: { foodSecure: null } }).eligible).toBe(true);
  });

  it('keeps households with no labour ability marked', () => {
    const d = decide({ members: [{ ...HEAD, labourAbility: '3' }, { ...CHILD, labourAbility: '4' }] });
    expect(d.eligible).toBe(false);
    expect(d.reasons[0]!.zh).toBe('不符合风险消除条件：有劳动能力成员未满足');
    expect(d.reasons[1]!.zh).toBe('家中无劳动能力成员（均为丧失劳动力或无劳动力），按规定保持监测标记，不予风险消除');
    expect(decide({ members: [{ ...HEAD, labourAbility: null }, { ...CHILD, labourAbility: '4' }] }).eligible).toBeNull();
    expect(ruleOf(decide(), 'labour_ability').reason.zh).toMatch(/^有劳动能力成员：巴特尔（1505\*{10}\w{4}）普通劳动力$/);
  });

  it('cannot decide without risk_elimination_min_months', () => {
    const d = decide({ lookup: lookupOf([p('poverty_line', 3218, 2019), p('monitoring_income_line_multiple', 1.5)]) });
    expect(d.eligible).toBeNull();
    expect(d.reasons[1]!.zh).toBe('缺少参数 risk_elimination_min_months（2019 年）：未设置，无法判断；请用 `jingzhun policy set` 设置');
  });

  it('is part of the household evaluation when a monitoring case is given', () => {
    const e = evaluateHouseholdYear(input({ year: yr({ wageIncome: 10000 }), monitoringCase: CASE }), L2019, forYear);
    expect(e.riskElimination?.eligible).toBe(true);
    expect(e.params).toContainEqual(p('monitoring_income_line_multiple', 1.5, 2020));
    expect(e.params).toContainEqual(p('risk_elimination_min_months', 6, 2020));
  });
});

describe('dates', () => {
  const m = (a: string, b: string) => monthsBetween(parseDate(a)!, parseDate(b)!);
  it('counts completed calendar months', () => {
    expect(m('2020-01-15', '2020-07-15')).toBe(6);
    expect(m('2020-01-15', '2020-07-14')).toBe(5);
    expect(m('2020-01-31', '2020-02-29')).toBe(1);
    expect(m('2019-12-31', '2020-06-30')).toBe(6);
    expect(parseDate('2019-02-29')).toBeNull();
  });
});

// --- areas --------------------------------------------------------------------------------------

describe('village and county exit on exact counts (inclusive bars)', () => {
  const village3 = lookupOf([p('village_exit_incidence_max_pct', 3, 2016, '15')]);
  const county2 = lookupOf([p('county_exit_incidence_max_pct', 2, 2016)]);

  it('passes at exactly 3.00% of 100,000,000 and fails one person over, though both show 3.00%', () => {
    const at = villageExit({ poorPeople: 3_000_000, ruralPeople: 100_000_000 }, village3);
    expect(at.verdict).toBe('pass');
    const bar = at.bars[0]!;
    expect(bar).toMatchObject({ key: 'incidence', numerator: 3_000_000, denominator: 100_000_000, percent: 3, limitCount: 3_000_000, verdict: 'pass', comparison: 'at_most' });
    expect(bar.bar).toEqual(p('village_exit_incidence_max_pct', 3, 2016, '15'));
    expect(bar.reason.zh).toBe('贫困发生率 3.00%（贫困人口 3,000,000 / 农村人口 100,000,000），不高于上限 3%（含等于，village_exit_incidence_max_pct，2016 年起，省级 15）：至多允许 3,000,000 人，达标');
    const over = villageExit({ poorPeople: 3_000_001, ruralPeople: 100_000_000 }, village3);
    expect(over.verdict).toBe('fail');
    expect(over.bars[0]!.percent).toBe(3);
    expect(over.bars[0]!.reason.zh).toContain('高于上限 3%（village_exit_incidence_max_pct，2016 年起，省级 15）：至多允许 3,000,000 人，实际 3,000,001 人，超出 1 人，不达标');
    expect(over.reason.zh).toBe('贫困村出列：未通过，贫困发生率不达标（每项单独否决）');
    expect(villageExit({ poorPeople: 2_999_999, ruralPeople: 100_000_000 }, village3).verdict).toBe('pass');
  });

  it('county: passes at exactly 2.00%, fails one over', () => {
    expect(countyExit({ poorPeople: 2_000_000, ruralPeople: 100_000_000 }, county2).verdict).toBe('pass');
    expect(countyExit({ poorPeople: 2_000_001, ruralPeople: 100_000_000 }, county2).verdict).toBe('fail');
    const small = countyExit({ poorPeople: 2, ruralPeople: 100 }, county2);
    expect(small.reason.zh).toBe('贫困县摘帽：各项指标均达标');
    expect(small.params).toEqual([p('county_exit_incidence_max_pct', 2, 2016)]);
    expect(countyExit({ poorPeople: 3, ruralPeople: 100 }, county2).bars[0]!.reason.zh).toContain('至多允许 2 人，实际 3 人，超出 1 人，不达标');
  });

  it('compares decimal bars exactly where floating point would not', () => {
    const bar = (v: number) => lookupOf([p('village_exit_incidence_max_pct', v)]);
    expect(villageExit({ poorPeople: 25, ruralPeople: 1000 }, bar(2.5)).verdict).toBe('pass');
    expect(villageExit({ poorPeople: 26, ruralPeople: 1000 }, bar(2.5)).verdict).toBe('fail');
    // 7 / 1000 is exactly 0.7%, yet in floating point 7/1000 > 0.7/100
    expect(7 / 1000 <= 0.7 / 100).toBe(false);
    const exact = villageExit({ poorPeople: 7, ruralPeople: 1000 }, bar(0.7));
    expect(exact.verdict).toBe('pass');
    expect(exact.bars[0]!.limitCount).toBe(7);
    expect(villageExit({ poorPeople: 8, ruralPeople: 1000 }, bar(0.7)).verdict).toBe('fail');
  });

  it('is unknown on a zero population or a missing bar, and says which', () => {
    const zero = villageExit({ poorPeople: 0, ruralPeople: 0 }, village3);
    expect(zero.verdict).toBe('unknown');
    expect(zero.bars[0]!.percent).toBeNull();
    expect(zero.bars[0]!.reason.zh).toBe('贫困发生率无法计算：农村人口为 0，请先录入农村人口');
    const missing = villageExit({ poorPeople: 1, ruralPeople: 100, year: 2019 }, lookupOf([]));
    expect(missing.verdict).toBe('unknown');
    expect(missing.bars[0]!.bar).toBeNull();
    expect(missing.bars[0]!.reason.zh).toBe('贫困发生率（贫困人口 1 / 农村人口 100）：缺少参数 village_exit_incidence_max_pct（2019 年）：未设置，无法判断；请用 `jingzhun policy set` 设置');
    expect(villageExit({ poorPeople: 1, ruralPeople: 100 }, lookupOf([p('village_exit_incidence_max_pct', null)])).bars[0]!.reason.zh).toContain('已登记但数值未知');
  });

  it('rounds the displayed percent half up to 2 decimals without deciding by it', () => {
    const any = lookupOf([p('village_exit_incidence_max_pct', 100)]);
    const pct = (n: number, d: number) => villageExit({ poorPeople: n, ruralPeople: d }, any).bars[0]!.percent;
    expect([pct(1, 3), pct(2, 3), pct(1, 8), pct(1, 200), pct(1, 20000)]).toEqual([33.33, 66.67, 12.5, 0.5, 0.01]);
  });

  it('refuses impossible counts with the fields named', () => {
    const err = (() => {
      try {
        villageExit({ poorPeople: 101, ruralPeople: 100 }, village3);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]).toMatchObject({ field: 'poorPeople', zh: 'poorPeople（101）大于 ruralPeople（100），请核对人数' });
    expect(() => countyExit({ poorPeople: -1, ruralPeople: 100 }, county2)).toThrow(ValidationError);
    expect(() => countyExit({ poorPeople: 1.5, ruralPeople: 100 }, county2)).toThrow(ValidationError);
  });
});

describe('county assessment', () => {
  const bars = lookupOf([
    p('county_exit_incidence_max_pct', 3, 2016, '15'),
    p('wrong_exit_rate_max_pct', 2, 2017),
    p('omission_rate_max_pct', 2, 2017),
    p('approval_min_pct', 90, 2017),
  ]);
  const at = {
    incidence: { poor: 3_000_000, rural: 100_000_000 },
    wrongExits: { wrong: 2_000_000, sampledExited: 100_000_000 },
    omissions: { omitted: 20, sampledNonRegistered: 1000 },
    approval: { approving: 90_000_000, surveyed: 100_000_000 },
  };

  it('passes with every bar exactly at its boundary (3.00%, 2.00%, 2.00%, 90.00%)', () => {
    const a = countyAssessment(at, bars);
    expect(a.verdict).toBe('pass');
    expect(a.bars.map((b) => [b.key, b.percent, b.verdict])).toEqual([
      ['incidence', 3, 'pass'],
      ['wrong_exit_rate', 2, 'pass'],
      ['omission_rate', 2, 'pass'],
      ['approval', 90, 'pass'],
    ]);
    expect(a.bars[3]!.reason.zh).toBe('群众认可度 90.00%（认可户数 90,000,000 / 受访户数 100,000,000），不低于下限 90%（含等于，approval_min_pct，2017 年起，全国）：至少需要 90,000,000 户，达标');
    expect(a.params.map((x) => x.key)).toEqual(['county_exit_incidence_max_pct', 'wrong_exit_rate_max_pct', 'omission_rate_max_pct', 'approval_min_pct']);
  });

  it('each bar blocks on its own: one person or household past a bar fails the county', () => {
    const wrong = countyAssessment({ ...at, wrongExits: { wrong: 2_000_001, sampledExited: 100_000_000 } }, bars);
    expect(wrong.verdict).toBe('fail');
    expect(wrong.bars.map((b) => b.verdict)).toEqual(['pass', 'fail', 'pass', 'pass']);
    expect(wrong.reason.zh).toBe('贫困县退出评估：未通过，错退率不达标（每项单独否决）');
    const approval = countyAssessment({ ...at, approval: { approving: 89_999_999, surveyed: 100_000_000 } }, bars);
    expect(approval.verdict).toBe('fail');
    expect(approval.bars[3]!.percent).toBe(90);
    expect(approval.bars[3]!.reason.zh).toContain('低于下限 90%（approval_min_pct，2017 年起，全国）：至少需要 90,000,000 户，实际 89,999,999 户，差 1 户，不达标');
    expect(countyAssessment({ ...at, approval: { approving: 899, surveyed: 1000 } }, bars).verdict).toBe('fail');
    expect(countyAssessment({ ...at, omissions: { omitted: 21, sampledNonRegistered: 1000 } }, bars).bars[2]!.verdict).toBe('fail');
    expect(countyAssessment({ ...at, incidence: { poor: 3_000_001, rural: 100_000_000 } }, bars).bars[0]!.verdict).toBe('fail');
  });

  it('a failing bar decides over an unknown one; otherwise unknown', () => {
    const noSurvey = { ...at, approval: { approving: 0, surveyed: 0 } };
    expect(countyAssessment(noSurvey, bars).verdict).toBe('unknown');
    expect(countyAssessment(noSurvey, bars).reason.zh).toBe('贫困县退出评估：无法判断，群众认可度无法计算');
    expect(countyAssessment({ ...noSurvey, omissions: { omitted: 21, sampledNonRegistered: 1000 } }, bars).verdict).toBe('fail');
  });
});
