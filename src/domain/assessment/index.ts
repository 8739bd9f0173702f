// Third-party exit evaluation (issue 8), pure core: the published random stream (random.ts),
// stratified and two-stage sampling with design weights (sampling.ts), and the assessment rates
// with confidence intervals and inclusive-bar verdicts (estimates.ts). Formulas in each file.
export * from './random.js';
export * from './sampling.js';
export * from './estimates.js';
export * from './plan.js';
export * from './survey.js';
