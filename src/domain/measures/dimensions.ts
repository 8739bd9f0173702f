// The default Alkire–Foster dimension set for the register (默认多维贫困维度): 两不愁三保障, safe
// drinking water and income, as recorded in each household's yearly record. Four dimensions of
// equal weight (1/4 each), the weight split equally among a dimension's indicators:
//
//   dimension          indicator          deprived when                         weight
//   两不愁 (food, clothing)  food_secure        不愁吃 is recorded as not met (false)    1/8
//                       clothing_secure    不愁穿 not met                          1/8
//   三保障 (three guarantees) education_secure 义务教育有保障 not met                  1/12
//                       medical_secure     基本医疗有保障 not met                  1/12
//                       housing_secure     住房安全有保障 not met                  1/12
//   饮水安全 (water)      water_secure       饮水安全有保障 not met                  1/4
//   收入 (income)        income             人均纯收入 < the year's poverty line        1/4
//
// Poverty cut-off k = 1/3 (the global MPI's): a household is multidimensionally poor when its
// weighted deprivations reach a third, e.g. income and water, or both of 两不愁 and one of 三保障
// plus …; income alone (1/4) or all three guarantees alone (1/4) are not enough.
// The unit is the household; each counts with its household size (people), as the incidence does.
// A household whose record leaves any of the seven unknown (null), or whose year has no poverty
// line, is left out of that year's MPI (AF needs complete rows) and counted as such, so the
// coverage is visible beside every figure.
// Boolean indicators enter the generic mpi() as achievements 1 (met) / 0 (not met) with cut-off
// 1, so "deprived when value < cut-off" holds; income enters as per-capita income with the line
// as cut-off (cardinal, so M1 and M2 are defined only for sets that are all cardinal — this one
// is not, and they come back null).

import type { MpiIndicator } from './mpi.js';

export interface DefaultIndicator {
  key: 'food' | 'clothing' | 'education' | 'medical' | 'housing' | 'water' | 'income';
  /** the household_years column it reads */
  column: string;
  dimension: 'two_assurances' | 'three_guarantees' | 'water' | 'income';
  weight: number;
  label: { zh: string; en: string };
}

export const DEFAULT_MPI_K = 1 / 3;

export const DEFAULT_DIMENSIONS: readonly DefaultIndicator[] = [
  { key: 'food', column: 'food_secure', dimension: 'two_assurances', weight: 1 / 8, label: { zh: '不愁吃', en: 'enough food' } },
  { key: 'clothing', column: 'clothing_secure', dimension: 'two_assurances', weight: 1 / 8, label: { zh: '不愁穿', en: 'enough clothing' } },
  { key: 'education', column: 'education_secure', dimension: 'three_guarantees', weight: 1 / 12, label: { zh: '义务教育有保障', en: 'compulsory education assured' } },
  { key: 'medical', column: 'medical_secure', dimension: 'three_guarantees', weight: 1 / 12, label: { zh: '基本医疗有保障', en: 'basic medical care assured' } },
  { key: 'housing', column: 'housing_secure', dimension: 'three_guarantees', weight: 1 / 12, label: { zh: '住房安全有保障', en: 'safe housing assured' } },
  { key: 'water', column: 'water_secure', dimension: 'water', weight: 1 / 4, label: { zh: '饮水安全有保障', en: 'safe drinking water assured' } },
  { key: 'income', column: 'per_capita_income', dimension: 'income', weight: 1 / 4, label: { zh: '人均纯收入不低于贫困线', en: 'per-capita net income at or above the poverty line' } },
];

export const DIMENSION_LABELS: Record<DefaultIndicator['dimension'], { zh: string; en: string }> = {
  two_assurances: { zh: '两不愁', en: 'food and clothing' },
  three_guarantees: { zh: '三保障', en: 'education, health care and housing' },
  water: { zh: '饮水安全', en: 'drinking water' },
  income: { zh: '收入', en: 'income' },
};

/** One household-year as the default set reads it. */
export interface HouseholdYearAchievements {
  food: boolean | null;
  clothing: boolean | null;
  education: boolean | null;
  medical: boolean | null;
  housing: boolean | null;
  water: boolean | null;
  income: number | null;
}

/** The generic mpi() indicators for the default set and a year's poverty line. */
export function defaultMpiIndicators(line: number): MpiIndicator[] {
  return DEFAULT_DIMENSIONS.map((d) => ({ name: d.key, cutoff: d.key === 'income' ? line : 1, weight: d.weight }));
}

/** The achievement row for mpi(), or null when the household-year is incomplete (left out). */
export function defaultMpiRow(h: HouseholdYearAchievements): number[] | null {
  const row: number[] = [];
  for (const d of DEFAULT_DIMENSIONS) {
    const v = h[d.key];
    if (v === null || v === undefined) return null;
    row.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
  }
  return row;
}
