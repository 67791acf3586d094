import type { PoolClient } from 'pg';
import type { EventEnvelope } from '#roster/events';
import { appendToOutbox } from '#roster/outbox';

export type AggregateRecord<TState> = { aggregateId: string; tailnetId: string; version: number; state: TState };

/** The aggregate was changed by someone else since it was loaded. */
export class VersionConflictError extends Error {
  constructor(readonly aggregateId: string, readonly expectedVersion: number) {
    super(`aggregate ${aggregateId} is no longer at version ${expectedVersion}`);
  }
}

/** Projections whose reads promise read-your-writes; each write leaves a fence there until they catch up. */
export const FENCED_PROJECTIONS = ['directory'] as const;

/**
 * The write side: current aggregate state (a snapshot, so loading never replays history) and the events that
 * changed it, committed together with the outbox rows in the caller's transaction.
 */
export class AggregateStore {
  async load<TState>(client: PoolClient, tailnetId: string, aggregateId: string, forUpdate = false) {
    const { rows } = await client.query<{ version: number; state: TState }>(
      `SELECT version, state FROM writes.aggregates WHERE aggregate_id = $1 AND tailnet_id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [aggregateId, tailnetId],
    );
    if (rows.length === 0) return null;
    return { aggregateId, tailnetId, version: rows[0].version, state: rows[0].state } satisfies AggregateRecord<TState>;
  }

  /**
   * Saves the new state at `expectedVersion + events.length` (creating it when `expectedVersion` is 0), fails with
   * VersionConflictError if another writer got there first, and records the events for the relay.
   */
  async commit<TState>(
    client: PoolClient,
    record: AggregateRecord<TState> & { aggregateType: EventEnvelope['aggregateType'] },
    expectedVersion: number,
    events: EventEnvelope[],
  ): Promise<void> {
    if (expectedVersion === 0) {
      const inserted = await client.query(
        `INSERT INTO writes.aggregates (aggregate_id, tailnet_id, aggregate_type, version, state)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (aggregate_id) DO NOTHING`,
        [record.aggregateId, record.tailnetId, record.aggregateType, record.version, JSON.stringify(record.state)],
      );
      if (inserted.rowCount === 0) throw new VersionConflictError(record.aggregateId, expectedVersion);
    } else {
      const updated = await client.query(
        `UPDATE writes.aggregates SET version = $3, state = $4, updated_at = now()
          WHERE aggregate_id = $1 AND tailnet_id = $2 AND version = $5`,
        [record.aggregateId, record.tailnetId, record.version, JSON.stringify(record.state), expectedVersion],
      );
      if (updated.rowCount === 0) throw new VersionConflictError(record.aggregateId, expectedVersion);
    }
    await appendToOutbox(client, events);
    await setReadFences(client, record.tailnetId, record.aggregateId, record.version);
  }
}

async function setReadFences(client: PoolClient, tailnetId: string, aggregateId: string, version: number) {
  await client.query(
    `INSERT INTO writes.read_fences (projection, aggregate_id, tailnet_id, version)
     SELECT p, $2, $1, $3 FROM unnest($4::text[]) AS p
     ON CONFLICT (projection, aggregate_id) DO UPDATE SET version = GREATEST(writes.read_fences.version, EXCLUDED.version)`,
    [tailnetId, aggregateId, version, FENCED_PROJECTIONS],
  );
}
