// Poverty and inequality measures: pure functions on plain arrays, usable on the register or on
// any survey table. Formulas are at the top of each file.
export { headcount, fgt, watts, meanIncome, medianIncome, type IncomeInput, type LineInput, type FgtInput, type Headcount, type Fgt } from './poverty.js';
export { gini } from './gini.js';
export { mpi, WEIGHT_SUM_TOLERANCE, K_EPSILON, type MpiIndicator, type MpiInput, type MpiResult, type MpiIndicatorResult, type MpiGroupResult } from './mpi.js';
export { MAX_ISSUES } from './check.js';
export { DEFAULT_DIMENSIONS, DEFAULT_MPI_K, DIMENSION_LABELS, defaultMpiIndicators, defaultMpiRow, type DefaultIndicator, type HouseholdYearAchievements } from './dimensions.js';
