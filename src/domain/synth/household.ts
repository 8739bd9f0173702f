// The second pass: one planned household becomes a full HouseholdBundle (household, members,
// yearly records). Each household draws from its own stream keyed by (seed, county, index), so
// its content does not depend on chunking; only the ID sequence numbers depend on order, and
// households are always expanded in index order.
import type { HouseholdBundle, MemberInput, YearInput } from '../register.js';
import { cadreName } from './names.js';
import { ableToWork, age, disabilityGrade, ETHNICITY_CODE, isSchoolStudent, labour, members as makeMembers, type Person } from './people.js';
import { Rng } from './prng.js';
import { countyProfile, LAST_YEAR, MAIN_CAUSE_WEIGHTS, povertyLine, type CountyProfile } from './params.js';
import { checkChar } from '../idnumber.js';
import type { HouseholdPlan, SynthCounty } from './plan.js';

const CAUSES = Object.keys(MAIN_CAUSE_WEIGHTS);
const CN_DIGITS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/** ID sequence numbers, unique per (county, birth date, sex) within a run. */
export class IdSequencer {
  private readonly used = new Map<number, number>();

  constructor(readonly countyCode: string) {
    if (!/^\d{6}$/.test(countyCode)) throw new Error(`county code must be 6 digits: ${countyCode}`);
  }

  /** The 18-character ID for someone born on yyyymmdd with the given sex. */
  next(yyyymmdd: number, male: boolean): string {
    const key = yyyymmdd * 2 + (male ? 1 : 0);
    const n = this.used.get(key) ?? 0;
    if (n >= 499) throw new Error(`more than 499 people born on ${yyyymmdd} in ${this.countyCode}`);
    this.used.set(key, n + 1);
    // Start at a date-dependent offset so sequence numbers look less regular; odd = male.
    const k = (n + ((Math.imul(yyyymmdd, 0x9e3779b1) >>> 0) % 400)) % 499;
    const seq = male ? 2 * k + 1 : 2 * k + 2;
    const first17 = `${this.countyCode}${yyyymmdd}${String(seq).padStart(3, '0')}`;
    return first17 + checkChar(first17);
  }
}

interface VillageStaff {
  unit: string;
  cadres: string[];
  groups: number;
}

/** Per-county state of the expansion: ID sequences and each village's assistance unit and cadres. */
export class CountyExpander {
  readonly ids: IdSequencer;
  readonly profile: CountyProfile;
  private readonly staff = new Map<string, VillageStaff>();

  constructor(
    readonly seed: number,
    readonly county: SynthCounty,
  ) {
    this.ids = new IdSequencer(county.code);
    this.profile = countyProfile(county.code);
  }

  villageStaff(villageCode: string): VillageStaff {
    let s = this.staff.get(villageCode);
    if (!s) {
      const rng = new Rng([this.seed, 'village', villageCode]);
      const name = this.county.name;
      const units = [`${name}人民政府办公室`, `${name}农牧局`, `${name}教育局`, `${name}卫生健康委员会`, `${name}交通运输局`, `${name}水利局`, `${name}财政局`, `${name}林业和草原局`, `${name}人力资源和社会保障局`, `${name}供电分公司`, `${name}农村信用合作联社`, `通辽市${rng.pick(['发展和改革委员会', '民政局', '自然资源局', '住房和城乡建设局', '医疗保障局'])}`];
      const cadres = Array.from({ length: rng.int(3, 8) }, () => cadreName(rng, rng.chance(this.profile.mongolian) ? 'mongolian' : 'han'));
      s = { unit: rng.pick(units), cadres, groups: rng.int(3, 12) };
      this.staff.set(villageCode, s);
    }
    return s;
  }

  expand(plan: HouseholdPlan): HouseholdBundle {
    return expandHousehold(this, plan);
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

const CAUSE_WEIGHTS: readonly number[] = CAUSES.map((c) => MAIN_CAUSE_WEIGHTS[c] ?? 0);
const I_ILL = CAUSES.indexOf('01');
const I_DISABLED = CAUSES.indexOf('02');
const I_SCHOOL = CAUSES.indexOf('03');
const I_SKILLS = CAUSES.indexOf('07');
const I_LABOUR = CAUSES.indexOf('08');

/** Index drawn in proportion to `w` (all ≥ 0, some > 0). */
function drawIndex(rng: Rng, w: readonly number[]): number {
  let total = 0;
  for (const v of w) total += v;
  let x = rng.float() * total;
  for (let i = 0; i < w.length; i++) {
    x -= w[i] as number;
    if (x < 0) return i;
  }
  return w.length - 1;
}

/**
 * Makes `cause` true of the household: 因病 needs an ill member, 因残 a disabled one. The person
 * made ill or disabled is healthy (an adult, older for illness, where possible), so one cause
 * never undoes another; only the main cause, enforced first, may fall back to anyone. Returns
 * false when an other cause cannot be made true (the caller drops it).
 */
function enforceCause(rng: Rng, people: Person[], cause: string, isMain: boolean): boolean {
  if (cause !== '01' && cause !== '02') return true;
  if (cause === '01' && people.some((p) => p.health === '2' || p.health === '3')) return true;
  if (cause === '02' && people.some((p) => p.health === '4')) return true;
  const healthy = people.filter((p) => p.health === '1');
  const adults = healthy.filter((p) => age(p) >= 18);
  const older = adults.filter((p) => age(p) >= 40);
  const pool = cause === '01' && older.length ? older : adults.length ? adults : healthy.length ? healthy : isMain ? people : [];
  if (!pool.length) return false;
  const p = rng.pick(pool);
  if (cause === '01') {
    p.health = rng.chance(0.7) ? '2' : '3';
    p.disabilityGrade = null;
  } else {
    p.health = '4';
    p.disabilityGrade = disabilityGrade(rng);
  }
  return true;
}

/**
 * Main and other causes, only ones the household can have: 因学 needs a student, 缺劳力 a
 * household where at most a third can work, 缺技术 someone who can. Causes the members already
 * show (illness, disability, a student, little labour) are likelier.
 */
function chooseCauses(rng: Rng, people: Person[]): { main: string; others: string[] } {
  let able = 0;
  let student = false;
  let ill = false;
  let disabled = false;
  for (const p of people) {
    if (ableToWork(p)) able++;
    if (isSchoolStudent(p.studentStatus)) student = true;
    if (p.health === '2' || p.health === '3') ill = true;
    if (p.health === '4') disabled = true;
  }
  const w = CAUSE_WEIGHTS.slice();
  w[I_SCHOOL] = student ? (w[I_SCHOOL] as number) * 4 : 0;
  w[I_LABOUR] = able * 3 > people.length ? 0 : (w[I_LABOUR] as number) * 2;
  if (able === 0) w[I_SKILLS] = 0;
  if (ill) w[I_ILL] = (w[I_ILL] as number) * 1.3;
  if (disabled) w[I_DISABLED] = (w[I_DISABLED] as number) * 3;
  const mi = drawIndex(rng, w);
  const main = CAUSES[mi] as string;
  const x = rng.float();
  const extra = x < 0.45 ? 0 : x < 0.8 ? 1 : 2;
  const others: string[] = [];
  w[mi] = 0;
  for (let i = 0; i < extra && w.some((v) => v > 0); i++) {
    const oi = drawIndex(rng, w);
    others.push(CAUSES[oi] as string);
    w[oi] = 0;
  }
  others.sort();
  return { main, others };
}

/** 特困 for small households with no one able to work; 低保 likelier with illness, disability or no labour. */
function chooseAttribute(rng: Rng, people: Person[], causes: string[]): '1' | '2' | '3' {
  const noLabour = people.every((p) => p.labourAbility === '3' || p.labourAbility === '4');
  if (noLabour && people.length <= 2 && people.every((p) => age(p) >= 60 || p.health === '4' || p.health === '3') && rng.chance(0.3)) return '3';
  let p = 0.2;
  if (causes.includes('01') || causes.includes('02')) p += 0.2;
  if (noLabour) p += 0.25;
  return rng.chance(p) ? '2' : '1';
}

/** A 两不愁三保障 shortfall, visible in the years before `fixYear` (at the latest the exit year). */
type Deficit = number | null;

function deficit(rng: Rng, p: number, identYear: number, exitYear: number): Deficit {
  return exitYear > identYear && rng.chance(p) ? rng.int(identYear + 1, exitYear) : null;
}

/** Secure in `year`: no shortfall, or already fixed, or the household has exited. */
function secure(d: Deficit, year: number, exitYear: number): boolean {
  return d === null || year >= d || year >= exitYear;
}

function expandHousehold(x: CountyExpander, plan: HouseholdPlan): HouseholdBundle {
  const rng = new Rng([x.seed, 'household', x.county.code, plan.index]);
  const people = makeMembers(rng, plan.size, x.profile);
  const chosen = chooseCauses(rng, people);
  const main = chosen.main;
  enforceCause(rng, people, main, true);
  const others = chosen.others.filter((c) => enforceCause(rng, people, c, false));
  // Health may have changed: labour follows it.
  for (const p of people) {
    if (p.labourAbility !== '3' && (p.health === '3' || (p.health === '4' && (p.disabilityGrade === '1' || p.disabilityGrade === '2')))) {
      Object.assign(p, labour(rng, p));
    }
  }
  const attribute = chooseAttribute(rng, people, [main, ...others]);

  const memberRows: MemberInput[] = people.map((p) => {
    const date = p.birthYear * 10000 + p.birthMonth * 100 + p.birthDay;
    const a = age(p);
    const insured = rng.chance(0.995);
    return {
      name: p.name,
      idNumber: x.ids.next(date, p.male),
      relation: p.relation,
      sex: p.male ? '1' : '2',
      birthDate: `${p.birthYear}-${pad2(p.birthMonth)}-${pad2(p.birthDay)}`,
      ethnicity: ETHNICITY_CODE[p.group],
      education: p.education,
      studentStatus: p.studentStatus,
      health: p.health,
      disabilityGrade: p.disabilityGrade,
      labourAbility: p.labourAbility,
      workMonths: p.workMonths,
      medicalInsurance: insured,
      criticalIllnessInsurance: insured,
      pensionInsurance: a >= 16 && p.studentStatus === '0' ? rng.chance(0.92) : false,
      phone: null,
    };
  });

  const { years, relocated } = yearRecords(rng, x, plan, people, attribute, main);
  const last = years[years.length - 1];
  const staff = x.villageStaff(plan.villageCode);
  const identDay = plan.identYear === 2014 ? dayOfYear(rng, 91, 304) : dayOfYear(rng, 182, 354);
  const exited = last ? last.status === '1' || last.status === '4' : false;
  return {
    household: {
      householdNo: `${plan.villageCode}${String(plan.serial).padStart(4, '0')}`,
      villageCode: plan.villageCode,
      groupName: `${CN_DIGITS[rng.int(0, staff.groups - 1)]}组`,
      attribute: exited ? String(Number(attribute) + 3) : attribute,
      exitStatus: last?.status ?? '0',
      mainCause: main,
      otherCauses: others,
      identifiedOn: `${plan.identYear}-${identDay}`,
      exitYear: plan.exitYear,
      phone: null,
      assistanceUnit: staff.unit,
      responsibleCadre: rng.pick(staff.cadres),
      relocated,
    },
    members: memberRows,
    years,
  };
}

/** MM-DD of a day of a non-leap year between two day numbers (1-based). */
function dayOfYear(rng: Rng, from: number, to: number): string {
  let d = rng.int(from, to);
  const lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let m = 0;
  while (d > (lengths[m] as number)) d -= lengths[m++] as number;
  return `${pad2(m + 1)}-${pad2(d)}`;
}

function yearRecords(
  rng: Rng,
  x: CountyExpander,
  plan: HouseholdPlan,
  people: Person[],
  attribute: string,
  main: string,
): { years: YearInput[]; relocated: boolean } {
  const { identYear, exitYear, relapseYear, reExitYear } = plan;
  let ill = false;
  const births: number[] = [];
  // Students now, to count education grants in the years they study after 2020.
  const studentBirths: number[] = [];
  for (const p of people) {
    if (p.health === '2' || p.health === '3') ill = true;
    births.push(p.birthYear);
    if (isSchoolStudent(p.studentStatus)) studentBirths.push(p.birthYear);
  }
  const housing = deficit(rng, 0.3, identYear, exitYear);
  const relocated = housing !== null && rng.chance(0.1);
  const water = deficit(rng, main === '06' ? 0.8 : 0.18, identYear, exitYear);
  const medical = ill ? deficit(rng, 0.12, identYear, exitYear) : null;
  const education = deficit(rng, 0.05, identYear, exitYear);
  const food = deficit(rng, 0.02, identYear, exitYear);
  const road = deficit(rng, main === '10' ? 0.9 : 0.08, identYear, exitYear);
  const toiletYear = rng.chance(0.2) ? 2014 : rng.int(2016, 2030);
  const tapWater = rng.chance(0.6);

  let sizeAtIdent = 0;
  for (const b of births) if (b <= identYear) sizeAtIdent++;
  sizeAtIdent = Math.max(1, sizeAtIdent);
  const perPersonLand = main === '05' ? rng.uniform(0, 1.5) : rng.uniform(2, 10);
  const farmland = round2(Math.min(50 * sizeAtIdent, perPersonLand * sizeAtIdent));
  const forest = rng.chance(0.25) ? round2(rng.uniform(1, 20)) : 0;
  const returned = rng.chance(0.2) ? round2(rng.uniform(2, 15)) : 0;
  const pasture = rng.chance(x.profile.pastoral) ? round2(rng.uniform(10, 300)) : 0;

  const transferShare = attribute === '3' ? rng.uniform(0.75, 0.95) : attribute === '2' ? rng.uniform(0.35, 0.6) : rng.uniform(0.08, 0.25);
  const working = people.some((p) => p.workMonths > 0);
  const wageShare = working ? rng.uniform(0.3, 0.6) : rng.uniform(0, 0.1);
  const costRatio = rng.uniform(0.4, 0.9);
  // Income after exit: a level above the exit year's line, growing 7–13% a year.
  const exitLevel = povertyLine(exitYear) * rng.uniform(1.12, 1.6);
  const growth = rng.uniform(1.07, 1.13);

  const out: YearInput[] = [];
  for (let year = identYear; year <= LAST_YEAR; year++) {
    let size = 0;
    let compulsoryChild = false;
    let grants = 0;
    for (const b of births) {
      if (b > year) continue;
      size++;
      const a = year - b;
      if (a >= 6 && a <= 15) {
        compulsoryChild = true;
        grants += 1000;
      }
    }
    if (year >= 2021) for (const b of studentBirths) if (year - b > 15) grants += 2000;
    size = Math.max(1, size);
    const relapsed = relapseYear !== null && reExitYear !== null && year >= relapseYear && year < reExitYear;
    const poor = year < exitYear || relapsed;
    const line = povertyLine(year);
    // Whole yuan, strictly below the line while poor and above it after exit.
    const total = poor
      ? Math.floor(line * rng.uniform(0.45, 0.95) * size)
      : Math.ceil(Math.max(exitLevel * Math.pow(growth, year - exitYear), line * rng.uniform(1.06, 1.2)) * size);
    const transfer0 = Math.round(total * transferShare);
    const wage = Math.round((total - transfer0) * wageShare);
    const property = Math.round(total * (year >= 2017 ? rng.uniform(0.01, 0.06) : rng.uniform(0, 0.02)));
    const productionNet = Math.max(0, total - transfer0 - wage - property);
    const costs = Math.round(productionNet * costRatio);
    const production = productionNet + costs;
    const transfer = total - (wage + property + productionNet);
    const housingOk = secure(housing, year, exitYear);
    const waterOk = secure(water, year, exitYear);
    const foodOk = secure(food, year, exitYear);
    let nonCounting = grants;
    if (ill && rng.chance(0.5)) nonCounting += Math.round(rng.uniform(500, 15000));
    const rebuilt = housing !== null && year === housing;
    if (rebuilt) nonCounting += relocated ? 60000 : Math.round(rng.uniform(15000, 40000));
    out.push({
      year,
      householdSize: size,
      status: year < exitYear ? '0' : relapsed ? '3' : '1',
      wageIncome: wage,
      productionIncome: production,
      propertyIncome: property,
      transferIncome: transfer,
      productionCosts: costs,
      nonCountingIncome: nonCounting,
      foodSecure: foodOk,
      clothingSecure: foodOk,
      educationSecure: compulsoryChild ? secure(education, year, exitYear) : true,
      medicalSecure: secure(medical, year, exitYear),
      housingSecure: housingOk,
      waterSecure: waterOk,
      dangerousHouse: !housingOk,
      waterLitresPerDay: waterOk ? rng.int(40, 120) : rng.int(15, 34),
      waterFetchMinutes: waterOk ? (tapWater || year >= 2019 ? 0 : rng.int(5, 20)) : rng.int(31, 60),
      electricity: true,
      roadAccess: secure(road, year, exitYear),
      sanitaryToilet: year >= toiletYear,
      farmlandMu: farmland,
      forestMu: forest,
      returnedFarmlandMu: returned,
      pastureMu: pasture,
      note: rebuilt && relocated ? '易地扶贫搬迁' : null,
    });
  }
  return { years: out, relocated };
}

const round2 = (v: number) => Math.round(v * 100) / 100;
