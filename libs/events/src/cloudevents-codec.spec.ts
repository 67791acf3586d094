import { Kafka as CloudEventsKafka } from 'cloudevents';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent, messageIdentity, messagePosition, UndecodableEventError } from './cloudevents-codec.js';
import type { EventEnvelope } from './event-envelope.js';

const event: EventEnvelope = {
  id: '0b0f2c55-91a8-4a4e-9d7c-2f1f5f7b3b10',
  type: 'UserCreated',
  schemaVersion: 1,
  tailnetId: '6a3c1a0e-7e0b-4a53-8a53-0f3e9b0e5c11',
  aggregateType: 'User',
  aggregateId: '1d7f2a8e-3c4b-4a5d-9e6f-7a8b9c0d1e2f',
  aggregateVersion: 1,
  time: '2026-11-23T04:00:00.000Z',
  actor: { kind: 'scim-token', id: 'tok_1', idp: 'okta' },
  correlationId: 'corr-1',
  data: { userId: '1d7f2a8e-3c4b-4a5d-9e6f-7a8b9c0d1e2f', userName: 'ada@example.com' },
};

function asReceived(message: ReturnType<typeof encodeEvent>): KafkaMessage {
  const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))]));
  return {
    key: Buffer.from(String(message.key)),
    value: Buffer.from(String(message.value)),
    headers,
    offset: '42',
    timestamp: '0',
    attributes: 0,
  } as KafkaMessage;
}

/** A message as builds before structured mode wrote it: binary content mode, the attributes in headers. */
function binaryMode(envelope: EventEnvelope, position: bigint): ReturnType<typeof encodeEvent> {
  return {
    key: envelope.tailnetId,
    value: JSON.stringify(envelope.data),
    headers: {
      ce_specversion: '1.0',
      ce_id: envelope.id,
      ce_source: `/roster/tailnets/${envelope.tailnetId}`,
      ce_type: `dev.roster.${envelope.type}.v${envelope.schemaVersion}`,
      ce_time: envelope.time,
      ce_subject: `${envelope.aggregateType}/${envelope.aggregateId}`,
      'content-type': 'application/json',
      ce_tailnetid: envelope.tailnetId,
      ce_aggregatetype: envelope.aggregateType,
      ce_aggregateid: envelope.aggregateId,
      ce_aggregateversion: String(envelope.aggregateVersion),
      ce_actorkind: envelope.actor.kind,
      ce_actorid: envelope.actor.id,
      ...(envelope.actor.idp ? { ce_actoridp: envelope.actor.idp } : {}),
      ce_correlationid: envelope.correlationId,
      ce_causationid: 'cause-0',
      ce_position: position.toString(),
    },
  };
}

describe('CloudEvents codec', () => {
  it('round-trips an envelope with its log position', () => {
    const decoded = decodeEvent(asReceived(encodeEvent(event, JSON.stringify(event.data), 7n)), 3);
    expect(decoded).toEqual({ ...event, causationId: undefined, position: 7n, partition: 3, offset: '42' });
  });

  it('keys every event by tailnet so a tailnet stays on one partition', () => {
    expect(encodeEvent(event, JSON.stringify(event.data), 1n).key).toBe(event.tailnetId);
  });

  it('is readable by the CloudEvents SDK as a structured-mode Kafka event', () => {
    const message = encodeEvent({ ...event, causationId: 'cause-1' }, JSON.stringify(event.data), 9n);
    const received = CloudEventsKafka.toEvent({
      key: String(message.key),
      value: String(message.value),
      body: String(message.value),
      headers: message.headers as Record<string, string>,
    } as Parameters<typeof CloudEventsKafka.toEvent>[0]);
    const cloudEvent = Array.isArray(received) ? received[0] : received;
    expect(cloudEvent.type).toBe('dev.roster.UserCreated.v1');
    expect(cloudEvent.source).toBe(`/roster/tailnets/${event.tailnetId}`);
    expect(cloudEvent.id).toBe(event.id);
    expect(cloudEvent.datacontenttype).toBe('application/json');
    expect(cloudEvent['tailnetid']).toBe(event.tailnetId);
    expect(cloudEvent['causationid']).toBe('cause-1');
    expect(cloudEvent['position']).toBe('9');
    expect(cloudEvent.data).toEqual(event.data);
  });

  it('reads events that earlier builds wrote in binary mode, attributes in ce_* headers', () => {
    const decoded = decodeEvent(asReceived(binaryMode(event, 11n)), 2);
    expect(decoded).toEqual({ ...event, causationId: 'cause-0', position: 11n, partition: 2, offset: '42' });
    expect(messagePosition(asReceived(binaryMode(event, 11n)))).toBe(11n);
    expect(messageIdentity(asReceived(binaryMode(event, 11n)))).toEqual({
      eventId: event.id,
      ceType: 'dev.roster.UserCreated.v1',
      tailnetId: event.tailnetId,
      aggregateId: event.aggregateId,
      aggregateVersion: 1,
    });
  });

  it('names a structured event by its attributes, without its data', () => {
    const message = asReceived(encodeEvent(event, '"no object"', 3n));
    expect(messageIdentity(message)).toEqual({
      eventId: event.id,
      ceType: 'dev.roster.UserCreated.v1',
      tailnetId: event.tailnetId,
      aggregateId: event.aggregateId,
      aggregateVersion: 1,
    });
    expect(messagePosition(message)).toBe(3n);
    expect(() => decodeEvent(message, 0)).toThrow(new UndecodableEventError('the event data is not a JSON object'));
  });

  it('refuses a message that is no event, naming nothing', () => {
    const structured = (value: string) => ({ ...asReceived(encodeEvent(event, '{}', 1n)), value: Buffer.from(value) });
    for (const [value, reason] of [
      ['', 'empty message value'],
      ['{"id": ', 'the message value is not JSON'],
      ['["an array"]', 'the message value is not a JSON object'],
    ]) {
      expect(() => decodeEvent(structured(value), 0)).toThrow(new UndecodableEventError(reason));
      expect(messageIdentity(structured(value))).toEqual({});
    }
    const withoutId = JSON.parse(String(encodeEvent(event, '{}', 1n).value));
    delete withoutId.id;
    expect(() => decodeEvent(structured(JSON.stringify(withoutId)), 0)).toThrow(new UndecodableEventError('missing attribute id'));
  });

  it('refuses an event type this build does not know', () => {
    const message = asReceived(encodeEvent(event, JSON.stringify(event.data), 1n));
    message.value = Buffer.from(String(message.value).replace('dev.roster.UserCreated.v1', 'dev.roster.UserCreated.v99'));
    expect(() => decodeEvent(message, 0)).toThrow(UndecodableEventError);
    const binary = asReceived(binaryMode(event, 1n));
    binary.headers!.ce_type = Buffer.from('dev.roster.UserCreated.v99');
    expect(() => decodeEvent(binary, 0)).toThrow(UndecodableEventError);
  });

  it('hands readers a v1 membership event in the current shape, one user as a list of one', () => {
    const v1 = {
      ...event,
      type: 'GroupMemberAdded' as const,
      aggregateType: 'Group' as const,
      data: { groupId: 'c0ffee00-0000-4000-8000-000000000001', userId: event.aggregateId },
    };
    const decoded = decodeEvent(asReceived(encodeEvent(v1, JSON.stringify(v1.data), 5n)), 0);
    expect(decoded.schemaVersion).toBe(1);
    expect(decoded.data).toEqual({ groupId: 'c0ffee00-0000-4000-8000-000000000001', userIds: [event.aggregateId] });
  });

  it('passes current membership events through unchanged', () => {
    const v2 = {
      ...event,
      type: 'GroupMemberRemoved' as const,
      schemaVersion: 2,
      aggregateType: 'Group' as const,
      data: { groupId: 'c0ffee00-0000-4000-8000-000000000001', userIds: ['a', 'b'] },
    };
    expect(decodeEvent(asReceived(encodeEvent(v2, JSON.stringify(v2.data), 6n)), 0).data).toEqual(v2.data);
  });
});
