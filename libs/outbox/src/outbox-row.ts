import type { EventEnvelope } from '#roster/events';

export type OutboxRow = {
  seq: string;
  event_id: string;
  tailnet_id: string;
  type: EventEnvelope['type'];
  schema_version: number;
  aggregate_type: EventEnvelope['aggregateType'];
  aggregate_id: string;
  aggregate_version: number;
  occurred_at: Date;
  actor: EventEnvelope['actor'];
  correlation_id: string;
  causation_id: string | null;
  /** The event data as JSON text, passed through to Kafka without parsing it. */
  data: string;
  position: string;
};

export function toEventMetadata(row: OutboxRow): Omit<EventEnvelope, 'data'> {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    tailnetId: row.tailnet_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    aggregateVersion: row.aggregate_version,
    time: row.occurred_at.toISOString(),
    actor: row.actor,
    correlationId: row.correlation_id,
    causationId: row.causation_id ?? undefined,
  };
}
