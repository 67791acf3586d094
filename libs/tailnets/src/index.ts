export * from './application/tailnet.service.js';
export * from './application/token-authenticator.js';
export * from './domain/api-token.js';
export * from './domain/tailnet.js';
export * from './domain/admin-key.errors.js';
export * from './infrastructure/admin-key.guard.js';
