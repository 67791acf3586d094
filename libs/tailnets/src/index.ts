export * from './application/tailnet.service.js';
export * from './application/token-authenticator.js';
export * from './domain/api-token.js';
export * from './domain/tailnet.js';
