// Assessment and supervision (issue 8): evaluation plans, the frozen sample, questionnaires and
// their import, discrepancies, results, closing with correction cases.
export * from './access.js';
export * from './plans.js';
export * from './draw.js';
export * from './sample.js';
export * from './surveys.js';
export * from './imports.js';
export * from './results.js';
export * from './close.js';
