// Supervision scorecards (考核评分, issue 8): pure indicators, composite, ranking, periods and the
// timing rules; the service gathers the counts (services/supervision/).
export * from './indicators.js';
export * from './periods.js';
export * from './register.js';
export * from './timing.js';
