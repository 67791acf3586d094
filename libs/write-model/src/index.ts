export * from './aggregate-store.js';
export * from './read-fence.js';
