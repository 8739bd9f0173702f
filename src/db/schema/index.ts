export * from './areas.js';
export * from './registry.js';
export * from './accounts.js';
export * from './audit.js';
export * from './imports.js';
export * from './policy.js';
export * from './cases.js';
export * from './assistance.js';
