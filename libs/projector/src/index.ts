export * from './checkpoint-store.js';
export * from './projection.js';
export * from './projector-runtime.js';
export * from './projector-http.module.js';
export * from './parallel-projector-runtime.js';
export * from './projector-service.js';
export * from './skipped-events.js';
