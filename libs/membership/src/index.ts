export * from './domain/membership-ledger.js';
export * from './infrastructure/membership-publisher.js';
export * from './infrastructure/membership-tables.js';
export * from './infrastructure/membership.projection.js';
