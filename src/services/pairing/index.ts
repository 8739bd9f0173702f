// Who helps whom (issue 5): units, cadres, work teams, pairings, flags, household plans, visits.
export * from './units.js';
export * from './teams.js';
export * from './pairings.js';
export * from './flags.js';
export * from './plans.js';
export * from './visits.js';
