export * from './application/tailnet-policies.js';
export * from './domain/policy-document.js';
export * from './domain/policy-review.js';
export * from './domain/policy.errors.js';
export * from './infrastructure/directory-world.js';
export * from './application/policy-tag-permission.js';
