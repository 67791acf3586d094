export * from './application/tailnet-acl.js';
export * from './application/tailnet-acls.js';
export * from './domain/acl-changes.js';
export * from './domain/acl-facts.js';
export * from './domain/unresolved-report.js';
export * from './infrastructure/acl-state-loader.js';
export * from './infrastructure/acl-tables.js';
export * from './infrastructure/acl.projection.js';
