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
  await client.query(
    `INSERT INTO writes.outbox (event_id, tailnet_id, type, schema_version, aggregate_type, aggregate_id,
                                aggregate_version, occurred_at, actor, correlation_id, causation_id, data)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::uuid[], $7::int[],
                          $8::timestamptz[], $9::json[], $10::text[], $11::text[], $12::json[])`,
    [
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
    ],
  );
  await client.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}
