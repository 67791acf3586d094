import type { EventType } from './event-types.js';

/** Who caused an event: a tailnet's SCIM token (and the IdP behind it, when we can tell), an admin, or an operator. */
export type Actor = {
  kind: 'scim-token' | 'admin-api-key' | 'operator' | 'system';
  id: string;
  /** The identity provider, recognised from the User-Agent (`entra-id`, `okta`), when known. */
  idp?: string;
};

/**
 * One event on the log, version 1 of the envelope. Immutable once written. On Kafka it travels as a CloudEvent in
 * structured mode: one JSON value holding the envelope's fields as attributes and `data` (see cloudevents-codec).
 */
export type EventEnvelope<TData = Record<string, unknown>> = {
  /** Unique id of this event (UUID); consumers dedupe on it. */
  id: string;
  type: EventType;
  schemaVersion: number;
  tailnetId: string;
  aggregateType: 'Tailnet' | 'User' | 'Group' | 'Node' | 'Policy';
  aggregateId: string;
  /** Version of the aggregate after this event; 1 for the event that created it. */
  aggregateVersion: number;
  /** When the change was accepted (ISO 8601, UTC). */
  time: string;
  actor: Actor;
  correlationId: string;
  causationId?: string;
  data: TData;
};

/** An event as read back from the log, with where it sits there. */
export type LoggedEvent<TData = Record<string, unknown>> = EventEnvelope<TData> & {
  /** Global position assigned by the outbox relay; strictly increasing along every partition. */
  position: bigint;
  partition: number;
  offset: string;
};
