// The cheap first pass of the synthesiser: how many registered people each county and village
// gets, each household's size and its identification, exit and relapse years, and the rural
// population of every village by year. Everything the incidence rule depends on is decided
// here, so it can be checked (and enforced) before any member is generated.
import { Categorical, Rng } from './prng.js';
import {
  countyProfile, EMPTY_VILLAGE_SHARE, EXIT_SCHEDULES, FIRST_POPULATION_YEAR, HOUSEHOLD_SIZES, IDENTIFICATION_YEARS,
  LAST_YEAR, POOR_VILLAGE_WEIGHT, RELAPSE_SHARE, RURAL_DECLINE, RURAL_HOUSEHOLD_SIZE, VILLAGE_INCIDENCE, WEST_EXIT_PERCENT,
} from './params.js';

export interface SynthVillage {
  code: string;
  name: string;
}

export interface SynthCounty {
  code: string;
  name: string;
  villages: readonly SynthVillage[];
}

export interface HouseholdPlan {
  /** 0-based position within the county; with the seed it keys the household's own random stream. */
  index: number;
  villageCode: string;
  /** 1-based serial within the village (the last digits of household_no). */
  serial: number;
  /** Number of members (as of the snapshot year; earlier years count only those born by then). */
  size: number;
  identYear: number;
  exitYear: number;
  /** Year of falling back into poverty (status '3'), after 2020, or null. */
  relapseYear: number | null;
  /** First year out again after a relapse. */
  reExitYear: number | null;
}

export interface VillagePopulation {
  code: string;
  /** Poor village (贫困村) in this synthesis. */
  poorVillage: boolean;
  /** Rural people and households for FIRST_POPULATION_YEAR..LAST_YEAR (index 0 = 2013). */
  people: number[];
  households: number[];
}

export interface CountyPlan {
  county: SynthCounty;
  people: number;
  households: HouseholdPlan[];
  populations: VillagePopulation[];
  /** For national poverty counties: the year-end whose incidence must be ≤ 3%. */
  assessedYear?: number;
}

/** Is this a rural village-level unit? NBS urban–rural codes: 2xx/3xx 村委会, 5xx 类似村委会 (farms). */
function ruralKind(code: string): 'village' | 'farm' | 'urban' {
  if (code.length !== 12) return 'village';
  const d = code.charAt(9);
  return d === '2' || d === '3' ? 'village' : d === '5' ? 'farm' : 'urban';
}

/** Splits `total` in proportion to `weights`, by largest remainder (ties to the earlier index). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] as number) + 1;
    left--;
  }
  return out;
}

/** Registered people per county: the demo weights of params.ts, renormalised over the chosen counties. */
export function allocateCounties(people: number, counties: readonly SynthCounty[]): number[] {
  const usable = counties.map((c) => c.villages.length > 0);
  let weights = counties.map((c, i) => (usable[i] ? countyProfile(c.code).demoPeople : 0));
  if (!weights.some((w) => w > 0)) weights = usable.map((u) => (u ? 1 : 0));
  return apportion(people, weights);
}

const sizeDist = Categorical.of(HOUSEHOLD_SIZES);
const identDist = Categorical.of(IDENTIFICATION_YEARS);

function exitDist(assessedYear: number | undefined): Categorical<number> {
  const key = assessedYear === 2018 ? 'assessed2018' : assessedYear === 2019 ? 'assessed2019' : 'other';
  return Categorical.of(EXIT_SCHEDULES[key]);
}

function drawExit(rng: Rng, dist: Categorical<number>, identYear: number): number {
  for (let i = 0; i < 20; i++) {
    const y = dist.sample(rng);
    if (y >= identYear) return y;
  }
  return Math.max(identYear, 2020);
}

export const yearIndex = (year: number) => year - FIRST_POPULATION_YEAR;

/** People in households poor (status '0' or '3') at the end of `year`, counting full household sizes. */
export function poorPeopleAt(households: readonly HouseholdPlan[], year: number): number {
  let n = 0;
  for (const h of households) if (isPoorAt(h, year)) n += h.size;
  return n;
}

export function isPoorAt(h: HouseholdPlan, year: number): boolean {
  if (year < h.identYear) return false;
  if (year < h.exitYear) return true;
  return h.relapseYear !== null && h.reExitYear !== null && year >= h.relapseYear && year < h.reExitYear;
}

export function ruralPeopleAt(pops: readonly VillagePopulation[], year: number): number {
  const i = yearIndex(year);
  let n = 0;
  for (const p of pops) n += p.people[i] ?? 0;
  return n;
}

/** True when poor·100 ≤ 3·rural (exact integers: 3.00% passes). */
export function meetsExitRule(poor: number, rural: number): boolean {
  return poor * 100 <= WEST_EXIT_PERCENT * rural;
}

/**
 * Plans one county. `fallbackVillagePeople` sizes the villages of a county with no registered
 * people (their rural population still counts in the city's and province's totals).
 */
export function planCounty(seed: number, county: SynthCounty, people: number, fallbackVillagePeople = 800): CountyPlan {
  const rng = new Rng([seed, 'plan', county.code]);
  const profile = countyProfile(county.code);
  const assessedYear = profile.assessedYear;
  const kind = assessedYear ? 'poorCounty' : 'other';

  const sorted = [...county.villages].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  let rural = sorted.filter((v) => ruralKind(v.code) !== 'urban');
  if (!rural.length) rural = sorted;

  // Poor villages: a fixed share of the proper villages (not farms), chosen at random.
  const proper = rural.filter((v) => ruralKind(v.code) === 'village');
  const poorCount = Math.round(profile.poorVillageShare * proper.length);
  const poorSet = new Set(rng.shuffle(proper.map((v) => v.code)).slice(0, poorCount));

  const weights = rural.map((v) => {
    const poor = poorSet.has(v.code);
    if (!poor && rng.chance(EMPTY_VILLAGE_SHARE[kind])) return 0;
    const base = poor ? POOR_VILLAGE_WEIGHT[kind] : ruralKind(v.code) === 'farm' ? 0.3 : 1;
    return base * rng.lognormal(1, 0.5);
  });
  const perVillage = apportion(people, weights.some((w) => w > 0) ? weights : rural.map(() => 1));

  const exits = exitDist(assessedYear);
  const households: HouseholdPlan[] = [];
  rural.forEach((v, vi) => {
    let left = perVillage[vi] as number;
    let serial = 0;
    while (left > 0) {
      const size = Math.min(sizeDist.sample(rng), left);
      left -= size;
      const identYear = identDist.sample(rng);
      const exitYear = drawExit(rng, exits, identYear);
      let relapseYear: number | null = null;
      let reExitYear: number | null = null;
      if (rng.chance(RELAPSE_SHARE)) {
        relapseYear = rng.int(2021, 2023);
        reExitYear = relapseYear + rng.int(1, 2);
      }
      households.push({ index: households.length, villageCode: v.code, serial: ++serial, size, identYear, exitYear, relapseYear, reExitYear });
    }
  });

  // Rural population: registered people ÷ the village's incidence at identification.
  const years = LAST_YEAR - FIRST_POPULATION_YEAR + 1;
  const base = rural.map((v, vi) => {
    const registered = perVillage[vi] as number;
    if (!registered) return 0;
    const range = VILLAGE_INCIDENCE[kind][poorSet.has(v.code) ? 'poor' : 'other'];
    return Math.max(registered, Math.round(registered / rng.uniform(range[0], range[1])));
  });
  const nonEmpty = base.filter((b) => b > 0).sort((a, b) => a - b);
  const typical = nonEmpty[Math.floor(nonEmpty.length / 2)] ?? fallbackVillagePeople;
  const populations: VillagePopulation[] = rural.map((v, vi) => {
    const p2014 = (base[vi] as number) || Math.round(typical * rng.lognormal(1, 0.4));
    const decline = rng.uniform(RURAL_DECLINE[0], RURAL_DECLINE[1]);
    const hhSize = rng.uniform(RURAL_HOUSEHOLD_SIZE[0], RURAL_HOUSEHOLD_SIZE[1]);
    const peopleByYear: number[] = [];
    const householdsByYear: number[] = [];
    for (let i = 0; i < years; i++) {
      const n = Math.round(p2014 * Math.pow(1 - decline, FIRST_POPULATION_YEAR + i - 2014));
      peopleByYear.push(n);
      householdsByYear.push(n ? Math.min(n, Math.max(1, Math.round(n / hhSize))) : 0);
    }
    return { code: v.code, poorVillage: poorSet.has(v.code), people: peopleByYear, households: householdsByYear };
  });

  // Enforce the exit rule at the assessed year-end: bring forward the exits of households still
  // poor then, in random order, until poor·100 ≤ 3·rural. The generous schedule rarely needs it.
  if (assessedYear) {
    const ruralAt = ruralPeopleAt(populations, assessedYear);
    let poor = poorPeopleAt(households, assessedYear);
    if (!meetsExitRule(poor, ruralAt)) {
      const order = rng.shuffle(households.filter((h) => h.exitYear > assessedYear && h.identYear <= assessedYear));
      for (const h of order) {
        if (meetsExitRule(poor, ruralAt)) break;
        h.exitYear = rng.int(Math.max(h.identYear, assessedYear - 1), assessedYear);
        poor -= h.size;
      }
    }
  }

  return { county, people, households, populations, ...(assessedYear ? { assessedYear } : {}) };
}

/**
 * Plans every county: the people split by the demo weights, then each county on its own stream.
 * Counties given no people (e.g. the development zone) still get village populations, sized
 * like the median village of the others.
 */
export function planRegister(seed: number, people: number, counties: readonly SynthCounty[]): CountyPlan[] {
  const shares = allocateCounties(people, counties);
  const plans: (CountyPlan | undefined)[] = counties.map((c, i) => ((shares[i] as number) > 0 ? planCounty(seed, c, shares[i] as number) : undefined));
  const sizes = plans.flatMap((p) => p?.populations.map((v) => v.people[yearIndex(2014)] ?? 0) ?? []).sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)] ?? 800;
  return counties
    .map((c, i) => plans[i] ?? planCounty(seed, c, 0, median))
    .filter((p) => p.populations.length > 0);
}
