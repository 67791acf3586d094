export * from './membership-codec.js';
export * from './membership-event.js';
export * from './membership-schemas.js';
