import { randomUUID } from 'node:crypto';
import type { Actor, EventEnvelope } from './event-envelope.js';
import { EventTypes, type EventType } from './event-types.js';

/** Who and what caused a change, and when it was accepted: shared by every event one command records. */
export type Causation = { actor: Actor; correlationId: string; time: string; causationId?: string };

export type EventRecorder = <TData extends Record<string, unknown>>(type: EventType, data: TData) => EventEnvelope<TData>;

/**
 * Records events of one aggregate at consecutive versions after `fromVersion`, each at the current schema version
 * of its type, all with the same causation.
 */
export function eventRecorder(
  aggregate: { tailnetId: string; type: EventEnvelope['aggregateType']; id: string },
  fromVersion: number,
  causation: Causation,
): EventRecorder {
  let version = fromVersion;
  return (type, data) => ({
    id: randomUUID(),
    type,
    schemaVersion: EventTypes[type],
    tailnetId: aggregate.tailnetId,
    aggregateType: aggregate.type,
    aggregateId: aggregate.id,
    aggregateVersion: ++version,
    time: causation.time,
    actor: causation.actor,
    correlationId: causation.correlationId,
    ...(causation.causationId ? { causationId: causation.causationId } : {}),
    data,
  });
}
