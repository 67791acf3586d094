import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { isMembershipEventType, MembershipEventTypes, type MembershipEvent, type MembershipEventType } from './membership-event.js';

const TYPE_PREFIX = 'dev.roster.membership.';
const SCHEMA_BASE = 'https://roster.dev/contracts/membership';

export function membershipCloudEventType(type: MembershipEventType): string {
  return `${TYPE_PREFIX}${type}.v${MembershipEventTypes[type]}`;
}

export function membershipDataSchema(type: MembershipEventType): string {
  return `${SCHEMA_BASE}/${type}.v${MembershipEventTypes[type]}.schema.json`;
}

/**
 * A membership event as a CloudEvents 1.0 Kafka message in binary content mode, keyed by group id. The id is
 * `<groupId>:<sequence>`, so a redelivered event carries the same id as the first copy.
 */
export function encodeMembershipEvent(event: MembershipEvent): Message {
  const { tailnetId, groupId, sequence } = event.data;
  const headers: IHeaders = {
    ce_specversion: '1.0',
    ce_id: `${groupId}:${sequence}`,
    ce_source: `/roster/tailnets/${tailnetId}`,
    ce_type: membershipCloudEventType(event.type),
    ce_time: event.time,
    ce_subject: `groups/${groupId}`,
    ce_dataschema: membershipDataSchema(event.type),
    'content-type': 'application/json',
    ce_tailnetid: tailnetId,
    ce_groupid: groupId,
    ce_sequence: String(sequence),
    ce_causationid: event.causationId,
    ce_position: event.position,
  };
  return { key: groupId, value: JSON.stringify(event.data), headers };
}

export class UndecodableMembershipEventError extends Error {}

export function membershipHeaders(headers: IHeaders | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    flat[name] = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
  }
  return flat;
}

/** Reads a message of the feed back; a type this build does not know (a newer major version) is an error. */
export function decodeMembershipEvent(message: Pick<KafkaMessage, 'headers' | 'value'>): MembershipEvent {
  const headers = membershipHeaders(message.headers);
  const match = /^dev\.roster\.membership\.([A-Za-z]+)\.v(\d+)$/.exec(headers.ce_type ?? '');
  if (!match || !isMembershipEventType(match[1]) || Number(match[2]) !== MembershipEventTypes[match[1]]) {
    throw new UndecodableMembershipEventError(`unknown membership event type ${headers.ce_type}`);
  }
  if (!message.value) throw new UndecodableMembershipEventError('empty message value');
  return {
    type: match[1],
    time: headers.ce_time,
    causationId: headers.ce_causationid,
    position: headers.ce_position,
    data: JSON.parse(message.value.toString()),
  } as MembershipEvent;
}
