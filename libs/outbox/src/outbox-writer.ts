import type { EventEnvelope } from '#roster/events';

export const OUTBOX_CHANNEL = 'roster_outbox';

/** Anything that runs SQL inside the caller's transaction: a pg client, or a TypeORM entity manager. */
export type SqlExecutor = { query(text: string, params?: unknown[]): Promise<unknown> };

/**
 * Appends events to the outbox inside the caller's transaction, so they become durable exactly when the state
 * change that produced them commits. The relay is woken by a notification that PostgreSQL delivers on commit.
 */
export async function appendToOutbox(client: SqlExecutor, events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  await client.query(`INSERT INTO writes.outbox (${OUTBOX_COLUMNS}) SELECT * FROM ${outboxRowsFrom(1)}`, outboxValues(events));
  await client.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}

export const OUTBOX_COLUMNS =
  'event_id, tailnet_id, type, schema_version, aggregate_type, aggregate_id, aggregate_version, occurred_at, actor, correlation_id, causation_id, data';

/** `unnest(...)` over the twelve parameters from `$first` on that `outboxValues` fills, one row per event. */
export function outboxRowsFrom(first: number): string {
  const types = ['uuid', 'uuid', 'text', 'int', 'text', 'uuid', 'int', 'timestamptz', 'json', 'text', 'text', 'json'];
  return `unnest(${types.map((type, i) => `$${first + i}::${type}[]`).join(', ')})`;
}

/** The events as twelve column arrays, in the order of OUTBOX_COLUMNS. */
export function outboxValues(events: EventEnvelope[]): unknown[][] {
  return [
    events.map((e) => e.id),
    events.map((e) => e.tailnetId),
    events.map((e) => e.type),
    events.map((e) => e.schemaVersion),
    events.map((e) => e.aggregateType),
    events.map((e) => e.aggregateId),
    events.map((e) => e.aggregateVersion),
    events.map((e) => e.time),
    events.map((e) => JSON.stringify(e.actor)),
    events.map((e) => e.correlationId),
    events.map((e) => e.causationId ?? null),
    events.map((e) => JSON.stringify(e.data)),
  ];
}
