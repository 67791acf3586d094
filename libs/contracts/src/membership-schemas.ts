import { Ajv, type ValidateFunction } from 'ajv';
import type { IHeaders } from 'kafkajs';
import GroupDeleted from '../schemas/membership/GroupDeleted.v1.schema.json' with { type: 'json' };
import GroupRenamed from '../schemas/membership/GroupRenamed.v1.schema.json' with { type: 'json' };
import MemberAdded from '../schemas/membership/MemberAdded.v1.schema.json' with { type: 'json' };
import MemberRemoved from '../schemas/membership/MemberRemoved.v1.schema.json' with { type: 'json' };
import UserDeleted from '../schemas/membership/UserDeleted.v1.schema.json' with { type: 'json' };
import UserReactivated from '../schemas/membership/UserReactivated.v1.schema.json' with { type: 'json' };
import UserSuspended from '../schemas/membership/UserSuspended.v1.schema.json' with { type: 'json' };
import CloudEventsHeaders from '../schemas/membership/cloudevents-headers.v1.schema.json' with { type: 'json' };
import { membershipHeaders } from './membership-codec.js';
import { MembershipEventTypes, type MembershipEventType } from './membership-event.js';

/** The JSON Schema of each public event type's data, at its current version. */
export const membershipDataSchemas: Record<MembershipEventType, object> = {
  MemberAdded,
  MemberRemoved,
  GroupRenamed,
  GroupDeleted,
  UserSuspended,
  UserReactivated,
  UserDeleted,
};

export const membershipHeadersSchema: object = CloudEventsHeaders;

let compiled: { headers: ValidateFunction; data: Map<string, ValidateFunction> } | undefined;

function validators() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    compiled = {
      headers: ajv.compile(CloudEventsHeaders),
      data: new Map(Object.entries(membershipDataSchemas).map(([type, schema]) => [type, ajv.compile(schema)])),
    };
  }
  return compiled;
}

/**
 * Validates one Kafka message of the feed (headers and value) against the contract; returns the problems, empty
 * when it conforms. The schema is picked by the message's ce_type, and must match its ce_dataschema.
 */
export function validateMembershipMessage(message: { headers?: IHeaders; value: Buffer | string | null }): string[] {
  const { headers: validateHeaders, data } = validators();
  const headers = membershipHeaders(message.headers);
  const problems: string[] = [];
  if (!validateHeaders(headers)) problems.push(...(validateHeaders.errors ?? []).map((e) => `headers${e.instancePath} ${e.message}`));
  const match = /^dev\.roster\.membership\.([A-Za-z]+)\.v(\d+)$/.exec(headers.ce_type ?? '');
  const type = match?.[1] as MembershipEventType | undefined;
  if (!type || !Object.hasOwn(MembershipEventTypes, type) || Number(match![2]) !== MembershipEventTypes[type]) {
    return [...problems, `no schema for ce_type ${headers.ce_type}`];
  }
  const validateData = data.get(type)!;
  if (headers.ce_dataschema !== (membershipDataSchemas[type] as { $id: string }).$id) problems.push(`ce_dataschema does not name the ${type} schema`);
  let value: unknown;
  try {
    value = JSON.parse(message.value?.toString() ?? '');
  } catch {
    return [...problems, 'value is not JSON'];
  }
  if (!validateData(value)) problems.push(...(validateData.errors ?? []).map((e) => `data${e.instancePath} ${e.message}`));
  const facts = value as { groupId?: string; sequence?: number; tailnetId?: string };
  if (headers.ce_groupid !== facts.groupId || headers.ce_sequence !== String(facts.sequence) || headers.ce_tailnetid !== facts.tailnetId) {
    problems.push('headers disagree with data on tailnetId, groupId or sequence');
  }
  return problems;
}
