export * from './cloudevents-codec.js';
export * from './event-envelope.js';
export * from './event-types.js';
export * from './group-events.js';
export * from './topics.js';
export * from './user-events.js';
export * from './identifiers.js';
