export * from './outbox-relay.js';
export * from './outbox-writer.js';
export * from './partition-for-key.js';
export * from './relay-wakeup.js';
