// Synthetic register for the demo and benchmarks: pure, deterministic in (seed, people, counties).
// See docs/synthetic-data.md for every distribution assumed.
import type { HouseholdBundle } from '../register.js';
import { CountyExpander } from './household.js';
import { meetsExitRule, planRegister, ruralPeopleAt, type CountyPlan, type SynthCounty } from './plan.js';

export { Rng, Categorical, hash32 } from './prng.js';
export { personName, cadreName, type EthnicGroup } from './names.js';
export { IdSequencer, CountyExpander } from './household.js';
export {
  planCounty, planRegister, allocateCounties, apportion, meetsExitRule, poorPeopleAt, ruralPeopleAt, isPoorAt, yearIndex,
  type CountyPlan, type HouseholdPlan, type SynthCounty, type SynthVillage, type VillagePopulation,
} from './plan.js';
export * from './params.js';

/** The households of a planned county, in plan order, generated lazily (memory stays bounded). */
export function* expandCounty(seed: number, plan: CountyPlan): Generator<HouseholdBundle> {
  const x = new CountyExpander(seed, plan.county);
  for (const h of plan.households) yield x.expand(h);
}

/** Plans and expands everything at once; convenient for tests and small runs. */
export function generateRegister(opts: { seed: number; people: number; counties: readonly SynthCounty[] }): { plan: CountyPlan; households: HouseholdBundle[] }[] {
  return planRegister(opts.seed, opts.people, opts.counties).map((plan) => ({ plan, households: [...expandCounty(opts.seed, plan)] }));
}

/** One county with `people` registered people. */
export function generateCounty(opts: { seed: number; people: number; county: SynthCounty }): { plan: CountyPlan; households: HouseholdBundle[] } {
  const [g] = generateRegister({ seed: opts.seed, people: opts.people, counties: [opts.county] });
  if (!g) throw new Error(`county ${opts.county.code} has no villages`);
  return g;
}

/**
 * Incidence of generated households at a year-end, as the register will compute it: people
 * (that year's household size) in households with status '0' or '3', over the rural people.
 */
export function incidence(plan: CountyPlan, households: readonly HouseholdBundle[], year: number): { poor: number; rural: number; ok: boolean } {
  let poor = 0;
  for (const h of households) {
    const y = h.years.find((r) => r.year === year);
    if (y && (y.status === '0' || y.status === '3')) poor += y.householdSize;
  }
  const rural = ruralPeopleAt(plan.populations, year);
  return { poor, rural, ok: meetsExitRule(poor, rural) };
}

