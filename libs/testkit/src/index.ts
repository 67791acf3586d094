export * from './ports.js';
export * from './scim-client.js';
export * from './stack.js';
export * from './drop-database.js';
export * from './seeded-random.js';
export * from './migrated-database.js';
