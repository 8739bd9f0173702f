// The synthetic register against its contract: deterministic, valid IDs, consistent members,
// causes and yearly records, and every national poverty county under 3% incidence in its
// assessed year. Runs on Tongliao's real villages (data/areas-tongliao.csv).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { crossCheckId, parseIdNumber } from '../idnumber.js';
import { isCode } from '../codes.js';
import { perCapitaNetIncome } from '../income.js';
import type { HouseholdBundle, MemberInput } from '../register.js';
import { validateBundle, validateHouseholdFields, validateMemberFields, validateYearFields } from '../validate.js';
import {
  COUNTY_PROFILES, generateCounty, generateRegister, incidence, LAST_YEAR, planRegister, povertyLine, SNAPSHOT_YEAR,
  type CountyPlan, type SynthCounty,
} from './index.js';

const rows = parse(readFileSync(new URL('../../../data/areas-tongliao.csv', import.meta.url)), { columns: true }) as Record<string, string>[];
const tongliao: SynthCounty[] = rows
  .filter((r) => r.level === '3')
  .map((c) => ({
    code: c.code!,
    name: c.name!,
    villages: rows.filter((r) => r.level === '5' && r.code!.startsWith(c.code!)).map((v) => ({ code: v.code!, name: v.name! })),
  }));
const kulun = tongliao.find((c) => c.code === '150524')!;

const age = (m: MemberInput) => SNAPSHOT_YEAR - Number(m.birthDate.slice(0, 4));
const TODAY = new Date(2026, 0, 1);

/** Collects rule breaches in hot loops (vitest's expect is too slow for a million checks). */
function checker() {
  const problems: string[] = [];
  return {
    ok(cond: boolean, what: () => string) {
      if (!cond && problems.length < 20) problems.push(what());
    },
    done() {
      expect(problems).toEqual([]);
    },
  };
}

let register: { plan: CountyPlan; households: HouseholdBundle[] }[];
let all: HouseholdBundle[];

beforeAll(() => {
  register = generateRegister({ seed: 2014, people: 60_000, counties: tongliao });
  all = register.flatMap((c) => c.households);
});

describe('determinism', () => {
  it('gives identical output for the same arguments and different output for another seed', () => {
    const a = JSON.stringify(generateCounty({ seed: 99, people: 3_000, county: kulun }));
    const b = JSON.stringify(generateCounty({ seed: 99, people: 3_000, county: kulun }));
    const c = JSON.stringify(generateCounty({ seed: 100, people: 3_000, county: kulun }));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('gives a county the same households whatever the order of the county list', () => {
    const forward = generateRegister({ seed: 5, people: 20_000, counties: tongliao });
    const backward = generateRegister({ seed: 5, people: 20_000, counties: [...tongliao].reverse() });
    const k1 = forward.find((c) => c.plan.county.code === '150524')!;
    const k2 = backward.find((c) => c.plan.county.code === '150524')!;
    expect(JSON.stringify(k2.households)).toBe(JSON.stringify(k1.households));
  });
});

describe('scale and spread', () => {
  it('places exactly the people asked for, mostly in the national poverty counties', () => {
    const people = all.reduce((n, h) => n + h.members.length, 0);
    expect(people).toBe(60_000);
    const poorCounties = register.filter((c) => c.plan.assessedYear).reduce((n, c) => n + c.plan.people, 0);
    expect(poorCounties / people).toBeGreaterThan(0.7);
    expect(register.find((c) => c.plan.county.code === '150571')?.plan.people ?? 0).toBe(0);
    // Kulun's share matches its real 26,276 of 225,000.
    expect(register.find((c) => c.plan.county.code === '150524')!.plan.people).toBe(Math.round((60_000 * 26_276) / 225_000));
  });

  it('has a mean household size near 2.9 and sizes 1–7', () => {
    const mean = 60_000 / all.length;
    expect(mean).toBeGreaterThan(2.8);
    expect(mean).toBeLessThan(3.0);
    expect(all.filter((h) => h.members.length < 1 || h.members.length > 7)).toEqual([]);
  });

  it('leaves some villages without registered households and puts households only in rural villages', () => {
    for (const c of register) {
      const used = new Set(c.households.map((h) => h.household.villageCode));
      if (c.plan.people > 1_000) expect(used.size).toBeLessThan(c.plan.county.villages.length);
      for (const v of used) expect(['2', '3', '5']).toContain(v.charAt(9));
    }
  });

  it('numbers households by village, uniquely', () => {
    const c = checker();
    const seen = new Set<string>();
    for (const h of all) {
      const no = h.household.householdNo;
      c.ok(no.startsWith(h.household.villageCode) && /^\d{16}$/.test(no) && !seen.has(no), () => no);
      seen.add(no);
    }
    c.done();
  });
});

describe('members', () => {
  it('have valid, unique ID numbers with the county code, sex and birth date', () => {
    const c = checker();
    const seen = new Set<string>();
    for (const h of all) {
      for (const m of h.members) {
        const r = parseIdNumber(m.idNumber, { today: TODAY });
        if (!r.ok) {
          c.ok(false, () => `${m.idNumber}: ${r.problem.en}`);
          continue;
        }
        c.ok(r.id.value === m.idNumber, () => `${m.idNumber} not normalised`);
        c.ok(r.id.areaCode === h.household.villageCode.slice(0, 6), () => `${m.idNumber} area`);
        c.ok(crossCheckId(r.id, { sex: m.sex, birthDate: m.birthDate }).length === 0, () => `${m.idNumber} sex/birth`);
        c.ok(!seen.has(m.idNumber), () => `${m.idNumber} twice`);
        seen.add(m.idNumber);
      }
    }
    c.done();
  });

  it('pass the register validation rules', () => {
    for (const h of all.slice(0, 1_000)) {
      expect(validateHouseholdFields(h.household as never).issues ?? []).toEqual([]);
      for (const m of h.members) expect(validateMemberFields(m as never).issues ?? []).toEqual([]);
      for (const y of h.years) expect(validateYearFields(y as never).issues ?? []).toEqual([]);
      expect(validateBundle(h)).toEqual([]);
    }
  });

  it('use codes from the code lists', () => {
    const c = checker();
    for (const h of all) {
      for (const m of h.members) {
        const bad = (['relation', 'ethnicity', 'education', 'studentStatus', 'health', 'labourAbility'] as const).filter((k) => !isCode(k, m[k] ?? ''));
        c.ok(!bad.length, () => `${m.idNumber}: ${bad.join(',')}`);
        c.ok(m.disabilityGrade === null ? m.health !== '4' : m.health === '4' && isCode('disabilityGrade', m.disabilityGrade), () => `${m.idNumber} grade`);
        c.ok(m.workMonths !== null && m.workMonths >= 0 && m.workMonths <= 12, () => `${m.idNumber} months`);
      }
      c.ok(isCode('attribute', h.household.attribute), () => `${h.household.householdNo} attribute`);
    }
    c.done();
  });

  it('have relations, sexes and ages that fit together', () => {
    const c = checker();
    const male: Record<string, string> = { '03': '1', '04': '2', '05': '2', '06': '1', '07': '1', '08': '2', '09': '1', '10': '2' };
    for (const h of all) {
      const [head, ...rest] = h.members;
      const no = h.household.householdNo;
      c.ok(head!.relation === '01' && age(head!) >= 18, () => `${no} head`);
      c.ok(!rest.some((m) => m.relation === '01'), () => `${no} two heads`);
      c.ok(rest.filter((m) => m.relation === '02').length <= 1, () => `${no} two spouses`);
      for (const m of rest) {
        const gap = age(head!) - age(m);
        const what = () => `${no} ${m.relation} sex ${m.sex} gap ${gap}`;
        if (male[m.relation]) c.ok(m.sex === male[m.relation], what);
        if (m.relation === '02') c.ok(m.sex !== head!.sex && Math.abs(gap) <= 15, what);
        if (m.relation === '03' || m.relation === '04') c.ok(gap >= 18 && gap <= 50, what);
        if (m.relation === '07' || m.relation === '08') c.ok(gap >= 36, what);
        if (m.relation === '09' || m.relation === '10') c.ok(-gap >= 18, what);
        c.ok(age(m) >= 1 && age(m) <= 100, what);
      }
    }
    c.done();
  });

  it('have education, schooling and labour consistent with age', () => {
    const c = checker();
    for (const h of all) {
      for (const m of h.members) {
        const a = age(m);
        const s = Number(m.studentStatus);
        const what = () => `${m.idNumber} age ${a} student ${s} education ${m.education} labour ${m.labourAbility} health ${m.health}`;
        if (a <= 5) c.ok(m.education === '7', what);
        if (m.education === '7') c.ok(a <= 6, what);
        if (s === 2) c.ok(m.education === '2', what);
        if (s >= 2 && s <= 5) c.ok(a <= 16, what);
        if (s >= 3 && s <= 5) c.ok(m.education === '3', what);
        if (s >= 6 && s <= 8) c.ok(m.education === '4', what);
        if (s >= 10) c.ok(m.education === '6', what);
        if (s >= 1) c.ok(a <= 23, what);
        if (a >= 7 && a <= 14) c.ok(s >= 2, what);
        if (a < 16 || s !== 0) c.ok(m.labourAbility === '4', what);
        if (m.health === '3') c.ok(m.labourAbility === '3' || m.labourAbility === '4', what);
        if (m.labourAbility === '3' || m.labourAbility === '4') c.ok(m.workMonths === 0, what);
      }
    }
    c.done();
  });

  it('include Mongolian members, mostly with Mongolian names', () => {
    const mongol = all.flatMap((h) => h.members).filter((m) => m.ethnicity === '02');
    const share = mongol.length / 60_000;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.75);
    const mongolianChars = /[巴乌额朝苏宝孟那达格毕阿吉特哈满胡敖其萨娜托斯塔高图诺查]/;
    expect(mongol.filter((m) => mongolianChars.test(m.name)).length / mongol.length).toBeGreaterThan(0.9);
    expect(new Set(all.flatMap((h) => h.members.map((m) => m.ethnicity)))).toEqual(new Set(['01', '02', '03', '10', '11']));
  });
});

describe('households', () => {
  it('have causes their members explain', () => {
    const c = checker();
    for (const h of all) {
      const causes = [h.household.mainCause!, ...h.household.otherCauses];
      const what = () => `${h.household.householdNo} ${causes.join(',')} ${h.members.map((m) => `${m.health}/${m.studentStatus}`).join(' ')}`;
      c.ok(new Set(causes).size === causes.length && causes.every((x) => isCode('cause', x)), what);
      if (causes.includes('01')) c.ok(h.members.some((m) => m.health === '2' || m.health === '3'), what);
      if (causes.includes('02')) c.ok(h.members.some((m) => m.health === '4'), what);
      if (causes.includes('03')) c.ok(h.members.some((m) => Number(m.studentStatus) >= 2), what);
    }
    c.done();
    const share = (c: string) => all.filter((h) => h.household.mainCause === c).length / all.length;
    expect(share('01')).toBeGreaterThan(0.3);
    expect(share('01')).toBeLessThan(0.5);
    expect(share('03')).toBeGreaterThan(0.02);
  });

  it('are 一般/低保/特困 in plausible shares, 特困 small and without labour', () => {
    const share = (a: string) => all.filter((h) => h.household.attribute === a).length / all.length;
    // Everyone has exited by 2025, so attributes are the 脱贫户 variants (4/5/6).
    expect(share('4')).toBeGreaterThan(0.5);
    expect(share('5')).toBeGreaterThan(0.2);
    expect(share('6')).toBeGreaterThan(0.01);
    expect(share('6')).toBeLessThan(0.1);
    for (const h of all.filter((x) => x.household.attribute === '6')) {
      expect(h.members.length).toBeLessThanOrEqual(2);
      for (const m of h.members) expect(['3', '4']).toContain(m.labourAbility);
    }
  });

  it('were identified mostly in 2014, exited by 2020, and ~0.5% fell back after 2020', () => {
    const ident = (y: string) => all.filter((h) => h.household.identifiedOn!.startsWith(y)).length / all.length;
    expect(ident('2014')).toBeGreaterThan(0.8);
    expect(ident('2015') + ident('2016')).toBeGreaterThan(0.05);
    const c = checker();
    for (const h of all) {
      const { exitYear, identifiedOn, exitStatus } = h.household;
      c.ok(exitYear! <= 2020 && exitYear! >= Number(identifiedOn!.slice(0, 4)) && exitStatus === '1', () => JSON.stringify(h.household));
    }
    c.done();
    const relapsed = all.filter((h) => h.years.some((y) => y.status === '3'));
    expect(relapsed.length / all.length).toBeGreaterThan(0.002);
    expect(relapsed.length / all.length).toBeLessThan(0.01);
    for (const h of relapsed) {
      const first = h.years.find((y) => y.status === '3')!;
      expect(first.year).toBeGreaterThan(2020);
      expect(h.years.at(-1)!.status).toBe('1');
    }
  });

  it('have a yearly record for every year from identification to 2025, with status, income and 两不愁三保障 in step', () => {
    const c = checker();
    let failingBeforeExit = 0;
    for (const h of all) {
      const no = h.household.householdNo;
      const ident = Number(h.household.identifiedOn!.slice(0, 4));
      const years = h.years.map((y) => y.year).join(',');
      c.ok(years === Array.from({ length: LAST_YEAR - ident + 1 }, (_, i) => ident + i).join(','), () => `${no} years ${years}`);
      const births = h.members.map((m) => Number(m.birthDate.slice(0, 4)));
      for (const y of h.years) {
        const what = () => `${no} ${JSON.stringify(y)}`;
        const pc = perCapitaNetIncome(
          { wage: y.wageIncome, production: y.productionIncome, property: y.propertyIncome, transfer: y.transferIncome, productionCosts: y.productionCosts },
          y.householdSize,
        );
        const line = povertyLine(y.year);
        const flags = [y.foodSecure, y.clothingSecure, y.educationSecure, y.medicalSecure, y.housingSecure, y.waterSecure];
        c.ok(y.householdSize === births.filter((b) => b <= y.year).length, what);
        c.ok([y.wageIncome, y.productionIncome, y.propertyIncome, y.transferIncome, y.productionCosts, y.nonCountingIncome].every((v) => v >= 0), what);
        if (y.year < h.household.exitYear!) {
          c.ok(y.status === '0' && pc < line, what);
          if (flags.includes(false)) failingBeforeExit++;
        } else {
          c.ok(y.status === '1' ? pc > line : y.status === '3' && pc < line, what);
          c.ok(flags.every((f) => f === true) && y.dangerousHouse === false, what);
        }
      }
    }
    c.done();
    expect(failingBeforeExit).toBeGreaterThan(all.length * 0.1);
  });
});

describe('the exit rule', () => {
  it('brings every national poverty county to ≤ 3% incidence at its assessed year-end, and everyone out by 2020', () => {
    for (const { plan, households } of register) {
      const assessed = COUNTY_PROFILES[plan.county.code]?.assessedYear;
      if (assessed) {
        const r = incidence(plan, households, assessed);
        expect(r.poor * 100, `${plan.county.code} in ${assessed}`).toBeLessThanOrEqual(3 * r.rural);
        // …and above it before: poverty counties start high.
        const start = incidence(plan, households, 2014);
        expect(start.poor / start.rural).toBeGreaterThan(0.08);
      }
      expect(incidence(plan, households, 2020).poor).toBe(0);
    }
  });

  it('holds for small and odd runs too', () => {
    for (const [people, seed] of [
      [50, 1],
      [777, 2],
      [5_000, 3],
    ] as const) {
      for (const code of ['150521', '150522', '150524', '150525']) {
        const county = tongliao.find((c) => c.code === code)!;
        const { plan, households } = generateCounty({ seed, people, county });
        const r = incidence(plan, households, plan.assessedYear!);
        expect(r.poor * 100, `${code} ${people} ${seed}`).toBeLessThanOrEqual(3 * r.rural);
        expect(households.reduce((n, h) => n + h.members.length, 0)).toBe(people);
      }
    }
  });

  it('synthesises rural population consistent with the register, declining slowly', () => {
    const plans = planRegister(2014, 60_000, tongliao);
    for (const p of plans) {
      for (const v of p.populations) {
        v.people.forEach((n, i) => {
          expect(v.households[i]!).toBeLessThanOrEqual(n);
          if (i) expect(n).toBeLessThanOrEqual(v.people[i - 1]!);
        });
        const registered = p.households.filter((h) => h.villageCode === v.code).reduce((n, h) => n + h.size, 0);
        expect(v.people.at(-1)!).toBeGreaterThanOrEqual(registered);
      }
      const rural2014 = p.populations.reduce((n, v) => n + v.people[1]!, 0);
      expect(rural2014).toBeGreaterThan(0);
      if (p.people) {
        const share = p.people / rural2014;
        if (p.assessedYear) expect(share).toBeGreaterThan(0.1);
        else expect(share).toBeLessThan(0.1);
      }
    }
    // The development zone has no registered people but still has rural population.
    expect(plans.find((p) => p.county.code === '150571')!.populations.length).toBeGreaterThan(0);
  });
});
