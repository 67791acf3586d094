import { runProjectorWorker } from '#roster/projector';
import { findProjection } from './projection-catalogue.js';

/** A replay's worker thread: one ProjectorRuntime of the catalogue's projection (see ParallelProjectorRuntime). */
await runProjectorWorker((name) => {
  const entry = findProjection(name);
  if (!entry) throw new Error(`no projection ${name} in the catalogue`);
  return entry.create();
});
