// Figures from one rollup row (sums kept per area and year, see db/schema/indicators.ts). The
// sums are additive, so a township's row is its villages' rows added up; the measures below are
// the same as the domain functions on the households behind the row (poverty.ts, mpi.ts), which
// test/indicators.test.ts checks on a generated county.
//
//   mean per-capita income  μ  = Σ size·y / Σ size
//   P0 = below / N, P1 = Σ size·g / N, P2 = Σ size·g² / N,  g = (z − max(y, 0)) / z,  N = people with a line
//   Watts = Σ size·ln(z/y) / N over 0 < y < z; undefined (null) when someone below the line has y ≤ 0
//   default MPI (dimensions.ts, weights × 24 are whole numbers): H = q / N_mpi,
//     A = Σ_poor size·c / q, M0 = H·A, h_j = u_j / N_mpi, h_j(k) = c_j / N_mpi, contribution w_j·h_j(k)
import { DEFAULT_DIMENSIONS, DEFAULT_MPI_K, type DefaultIndicator } from './dimensions.js';
import { K_EPSILON } from './mpi.js';

/** The default weights and k are multiples of 1/24, so scores are kept as whole numbers. */
export const SCORE_SCALE = 24;

export function scaledWeight(w: number): number {
  const s = Math.round(w * SCORE_SCALE);
  if (Math.abs(s - w * SCORE_SCALE) > 1e-9) throw new Error(`weight ${w} is not a multiple of 1/${SCORE_SCALE}`);
  return s;
}

/** Poor when the scaled score reaches ⌈24k − ε⌉ (scores are whole numbers; ε as in mpi.ts). */
export const SCALED_K = Math.ceil(DEFAULT_MPI_K * SCORE_SCALE - K_EPSILON);

/** One rollup row with its numbers parsed (numeric columns arrive as strings from PostgreSQL). */
export interface RollupSums {
  households: number;
  people: number;
  poorHouseholds: number;
  poorPeople: number;
  exitedHouseholds: number;
  exitedPeople: number;
  relapsedHouseholds: number;
  relapsedPeople: number;
  line: number | null;
  linePeople: number;
  incomeSum: number;
  wageSum: number;
  productionSum: number;
  propertySum: number;
  transferSum: number;
  costsSum: number;
  nonCountingSum: number;
  belowLinePeople: number;
  gap1Sum: number;
  gap2Sum: number;
  wattsSum: number;
  nonPositivePoorPeople: number;
  mpiPeople: number;
  mpiExcludedHouseholds: number;
  mpiPoorPeople: number;
  mpiScore24Sum: number;
  /** u_* and c_* by indicator key */
  deprived: Record<DefaultIndicator['key'], { uncensored: number; censored: number }>;
}

export interface RollupMpiIndicator {
  key: DefaultIndicator['key'];
  dimension: DefaultIndicator['dimension'];
  label: { zh: string; en: string };
  weight: number;
  uncensored: number;
  censored: number;
  contribution: number;
  share: number | null;
}

export interface RollupFigures {
  households: number;
  people: number;
  poorHouseholds: number;
  poorPeople: number;
  exitedHouseholds: number;
  exitedPeople: number;
  relapsedHouseholds: number;
  relapsedPeople: number;
  ruralPeople: number | null;
  /** 贫困发生率 = poorPeople / ruralPeople (the register's 脱贫标志), null without a population */
  incidence: number | null;
  line: number | null;
  /** income poverty among registered people, against the line */
  fgt: { population: number; poorPeople: number; p0: number; p1: number; p2: number; watts: number | null } | null;
  meanIncome: number | null;
  /** per person, yuan */
  composition: { wage: number; production: number; property: number; transfer: number; costs: number; nonCounting: number } | null;
  mpi: {
    k: number;
    population: number;
    excludedHouseholds: number;
    poorPeople: number;
    H: number;
    A: number;
    M0: number;
    indicators: RollupMpiIndicator[];
  } | null;
}

export function figuresOf(s: RollupSums, ruralPeople: number | null): RollupFigures {
  const N = s.linePeople;
  const fgt = N > 0
    ? { population: N, poorPeople: s.belowLinePeople, p0: s.belowLinePeople / N, p1: s.gap1Sum / N, p2: s.gap2Sum / N, watts: s.nonPositivePoorPeople > 0 ? null : s.wattsSum / N }
    : null;
  let mpiOut: RollupFigures['mpi'] = null;
  if (s.mpiPeople > 0) {
    const P = s.mpiPeople;
    const q = s.mpiPoorPeople;
    const H = q / P;
    const A = q > 0 ? s.mpiScore24Sum / SCORE_SCALE / q : 0;
    const M0 = s.mpiScore24Sum / SCORE_SCALE / P;
    mpiOut = {
      k: DEFAULT_MPI_K, population: P, excludedHouseholds: s.mpiExcludedHouseholds, poorPeople: q, H, A, M0,
      indicators: DEFAULT_DIMENSIONS.map((d) => {
        const c = s.deprived[d.key];
        const censored = c.censored / P;
        const contribution = d.weight * censored;
        return { key: d.key, dimension: d.dimension, label: d.label, weight: d.weight, uncensored: c.uncensored / P, censored, contribution, share: M0 > 0 ? contribution / M0 : null };
      }),
    };
  }
  const p = s.people;
  return {
    households: s.households, people: p, poorHouseholds: s.poorHouseholds, poorPeople: s.poorPeople,
    exitedHouseholds: s.exitedHouseholds, exitedPeople: s.exitedPeople, relapsedHouseholds: s.relapsedHouseholds, relapsedPeople: s.relapsedPeople,
    ruralPeople, incidence: ruralPeople ? s.poorPeople / ruralPeople : null,
    line: s.line,
    fgt,
    meanIncome: p > 0 ? s.incomeSum / p : null,
    composition: p > 0 ? { wage: s.wageSum / p, production: s.productionSum / p, property: s.propertySum / p, transfer: s.transferSum / p, costs: s.costsSum / p, nonCounting: s.nonCountingSum / p } : null,
    mpi: mpiOut,
  };
}
