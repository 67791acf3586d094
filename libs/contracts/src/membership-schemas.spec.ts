import { describe, expect, it } from 'vitest';
import { decodeMembershipEvent, encodeMembershipEvent } from './membership-codec.js';
import type { MembershipEvent } from './membership-event.js';
import { membershipDataSchemas, validateMembershipMessage } from './membership-schemas.js';

const event: MembershipEvent = {
  type: 'MemberRemoved',
  time: '2026-11-23T06:00:00.000Z',
  causationId: '00000000-0000-4000-8000-0000000000c1',
  position: '42',
  data: {
    tailnetId: '00000000-0000-4000-8000-000000000001',
    groupId: '00000000-0000-4000-8000-0000000000a1',
    groupName: 'Engineering',
    sequence: 7,
    memberCount: 3,
    userId: '00000000-0000-4000-8000-0000000000b1',
    userName: 'alice@example.com',
    reason: 'group-deleted',
  },
};

describe('membership feed contract', () => {
  it('accepts what the codec writes, and reads it back', () => {
    const message = encodeMembershipEvent(event);
    expect(message.key).toBe(event.data.groupId);
    expect(validateMembershipMessage({ headers: message.headers, value: message.value as string })).toEqual([]);
    expect(decodeMembershipEvent({ headers: message.headers, value: Buffer.from(message.value as string) })).toEqual(event);
  });

  it('has a schema for every event type, each naming its type and version in $id', () => {
    for (const [type, schema] of Object.entries(membershipDataSchemas)) {
      expect((schema as { $id: string }).$id).toBe(`https://roster.dev/contracts/membership/${type}.v1.schema.json`);
    }
  });

  it('rejects a missing field, an unknown field, a wrong type, headers that disagree with the data, an unknown type', () => {
    const message = encodeMembershipEvent(event);
    const check = (data: unknown, headers = message.headers) => validateMembershipMessage({ headers, value: JSON.stringify(data) });
    const { memberCount: _omitted, ...withoutCount } = event.data;
    expect(check(withoutCount)).toContainEqual(expect.stringContaining("must have required property 'memberCount'"));
    expect(check({ ...event.data, internal: true })).toContainEqual(expect.stringContaining('must NOT have additional properties'));
    expect(check({ ...event.data, reason: 'vanished' })).toContainEqual(expect.stringContaining('data/reason must be equal to one of the allowed values'));
    expect(check({ ...event.data, sequence: 8 })).toContain('headers disagree with data on tailnetId, groupId or sequence');
    expect(check(event.data, { ...message.headers, ce_type: 'dev.roster.membership.MemberVanished.v1' })).toContain(
      'no schema for ce_type dev.roster.membership.MemberVanished.v1',
    );
    expect(check(event.data, { ...message.headers, ce_specversion: '0.3' })).toContainEqual(expect.stringContaining('headers/ce_specversion'));
  });
});
