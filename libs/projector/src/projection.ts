import type { PoolClient } from 'pg';
import type { LoggedEvent } from '#roster/events';

/**
 * A read model built from the log. The runtime hands it each batch inside the transaction that also advances the
 * checkpoint, with `search_path` set to the projection's schema, so tables are named unqualified and the same
 * projection can be rebuilt into a fresh schema.
 */
export interface Projection {
  readonly name: string;
  /** Creates the projection's tables (idempotently) in the current `search_path`. */
  createTables(client: PoolClient): Promise<void>;
  /** Applies events in log order. Events of types it does not care about are ignored. */
  apply(client: PoolClient, events: LoggedEvent[], context: ProjectionContext): Promise<void>;
  /**
   * Called with a batch's events once its transaction has committed, for projections that also keep the read model
   * in memory: memory then only ever holds what PostgreSQL holds, so a failed batch never leaves it ahead.
   */
  committed?(events: LoggedEvent[]): void;
}

export type ProjectionContext = {
  /**
   * True for the projection that serves reads. Only it may record consequences on the log (through the outbox, in
   * the batch's transaction, so exactly once); a rebuild or a replay must never record them a second time.
   */
  live: boolean;
};

export const PROJECTION_APPLIED_CHANNEL = 'roster_projection_applied';
/** A reader is waiting on a projection's read-your-writes fences (payload: the projection's name). */
export const READ_AWAITED_CHANNEL = 'roster_read_awaited';
