import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { EventTypes, isKnownEventType, type EventType } from './event-types.js';
import type { Actor, EventEnvelope, LoggedEvent } from './event-envelope.js';
import { upcastEventData } from './upcast-event-data.js';

const TYPE_PREFIX = 'dev.roster.';

export function cloudEventType(type: EventType, schemaVersion: number): string {
  return `${TYPE_PREFIX}${type}.v${schemaVersion}`;
}

/**
 * Encodes an event as a CloudEvents 1.0 Kafka message in binary content mode: attributes in `ce_*` headers, the
 * data as the JSON value (passed as text, so the relay forwards what PostgreSQL holds without re-encoding it). Extension attribute names are lowercase alphanumerics, as the spec requires.
 */
export function encodeEvent(event: Omit<EventEnvelope, 'data'>, dataJson: string, position: bigint): Message {
  const headers: IHeaders = {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_source: `/roster/tailnets/${event.tailnetId}`,
    ce_type: cloudEventType(event.type, event.schemaVersion),
    ce_time: event.time,
    ce_subject: `${event.aggregateType}/${event.aggregateId}`,
    'content-type': 'application/json',
    ce_tailnetid: event.tailnetId,
    ce_aggregatetype: event.aggregateType,
    ce_aggregateid: event.aggregateId,
    ce_aggregateversion: String(event.aggregateVersion),
    ce_actorkind: event.actor.kind,
    ce_actorid: event.actor.id,
    ce_correlationid: event.correlationId,
    ce_position: position.toString(),
  };
  if (event.actor.idp) headers.ce_actoridp = event.actor.idp;
  if (event.causationId) headers.ce_causationid = event.causationId;
  return { key: event.tailnetId, value: dataJson, headers };
}

export class UndecodableEventError extends Error {}

/**
 * What a message's headers say it is, read without decoding it: enough to name an event that cannot be decoded or
 * applied (a stalled projection, `roster projection skip`). Any attribute may be missing from a malformed message.
 */
export type MessageIdentity = { eventId?: string; ceType?: string; tailnetId?: string; aggregateId?: string; aggregateVersion?: number };

export function messageIdentity(message: Pick<KafkaMessage, 'headers'>): MessageIdentity {
  const version = Number(header(message.headers, 'ce_aggregateversion'));
  return {
    eventId: header(message.headers, 'ce_id'),
    ceType: header(message.headers, 'ce_type'),
    tailnetId: header(message.headers, 'ce_tailnetid'),
    aggregateId: header(message.headers, 'ce_aggregateid'),
    aggregateVersion: Number.isInteger(version) ? version : undefined,
  };
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0]?.toString() : value.toString();
}

function requiredHeader(headers: IHeaders | undefined, name: string): string {
  const value = header(headers, name);
  if (value === undefined) throw new UndecodableEventError(`missing header ${name}`);
  return value;
}

function parseType(ceType: string): { type: EventType; schemaVersion: number } {
  const match = /^dev\.roster\.([A-Za-z]+)\.v(\d+)$/.exec(ceType);
  if (!match || !isKnownEventType(match[1])) throw new UndecodableEventError(`unknown event type ${ceType}`);
  const schemaVersion = Number(match[2]);
  if (schemaVersion > EventTypes[match[1]]) {
    throw new UndecodableEventError(`${ceType} is newer than this build understands (v${EventTypes[match[1]]})`);
  }
  return { type: match[1], schemaVersion };
}

export function decodeEvent(message: KafkaMessage, partition: number): LoggedEvent {
  const headers = message.headers;
  const { type, schemaVersion } = parseType(requiredHeader(headers, 'ce_type'));
  const actor: Actor = {
    kind: requiredHeader(headers, 'ce_actorkind') as Actor['kind'],
    id: requiredHeader(headers, 'ce_actorid'),
  };
  const idp = header(headers, 'ce_actoridp');
  if (idp) actor.idp = idp;
  if (!message.value) throw new UndecodableEventError('empty message value');
  return {
    id: requiredHeader(headers, 'ce_id'),
    type,
    schemaVersion,
    tailnetId: requiredHeader(headers, 'ce_tailnetid'),
    aggregateType: requiredHeader(headers, 'ce_aggregatetype') as EventEnvelope['aggregateType'],
    aggregateId: requiredHeader(headers, 'ce_aggregateid'),
    aggregateVersion: Number(requiredHeader(headers, 'ce_aggregateversion')),
    time: requiredHeader(headers, 'ce_time'),
    actor,
    correlationId: requiredHeader(headers, 'ce_correlationid'),
    causationId: header(headers, 'ce_causationid'),
    data: upcastEventData(type, schemaVersion, JSON.parse(message.value.toString()) as Record<string, unknown>),
    position: BigInt(requiredHeader(headers, 'ce_position')),
    partition,
    offset: message.offset,
  };
}
