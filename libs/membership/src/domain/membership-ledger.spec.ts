import { describe, expect, it } from 'vitest';
import type { EventType, LoggedEvent } from '#roster/events';
import { MembershipLedger } from './membership-ledger.js';

const T = '00000000-0000-4000-8000-000000000001';
const G = '00000000-0000-4000-8000-0000000000a1';
const H = '00000000-0000-4000-8000-0000000000a2';
const [U1, U2] = ['00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000b2'];
let position = 0n;

function event(type: EventType, aggregateId: string, data: Record<string, unknown>): LoggedEvent {
  position++;
  return {
    id: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    tailnetId: T,
    aggregateType: type.startsWith('User') ? 'User' : 'Group',
    aggregateId,
    aggregateVersion: 1,
    time: '2026-11-23T06:00:00.000Z',
    actor: { kind: 'scim-token', id: 'token' },
    correlationId: 'c',
    data,
    position,
    partition: 0,
    offset: String(position),
  };
}

function feed(ledger: MembershipLedger, events: LoggedEvent[]) {
  return events.flatMap((e) => ledger.apply(e)).map((e) => [e.type, e.data.groupId === G ? 'G' : 'H', e.data.sequence, e.data.memberCount, (e.data as { reason?: string }).reason]);
}

describe('membership ledger: internal events to the public feed', () => {
  const setup = () => [
    event('UserCreated', U1, { userId: U1, userName: 'u1', active: true, attributes: {} }),
    event('UserCreated', U2, { userId: U2, userName: 'u2', active: true, attributes: {} }),
    event('GroupCreated', G, { groupId: G, displayName: 'g', externalId: null }),
    event('GroupCreated', H, { groupId: H, displayName: 'h', externalId: null }),
    event('GroupMemberAdded', G, { groupId: G, userIds: [U1, U2] }),
    event('GroupMemberAdded', H, { groupId: H, userIds: [U1] }),
  ];

  it('numbers each group separately and carries the member count after each member, one public event per member', () => {
    const ledger = new MembershipLedger();
    expect(feed(ledger, setup())).toEqual([
      ['MemberAdded', 'G', 1, 1, undefined],
      ['MemberAdded', 'G', 2, 2, undefined],
      ['MemberAdded', 'H', 1, 1, undefined],
    ]);
    // A second add of a member, or removal of a non-member, is no change and emits nothing.
    expect(feed(ledger, [event('GroupMemberAdded', G, { groupId: G, userIds: [U1] }), event('GroupMemberRemoved', H, { groupId: H, userIds: [U2] })])).toEqual([]);
  });

  it('fans a user event out to every group the user is in, in group id order', () => {
    const ledger = new MembershipLedger();
    feed(ledger, setup());
    expect(feed(ledger, [event('UserSuspended', U1, { userId: U1, userName: 'u1' })])).toEqual([
      ['UserSuspended', 'G', 3, 2, undefined],
      ['UserSuspended', 'H', 2, 1, undefined],
    ]);
    expect(feed(ledger, [event('UserDeleted', U1, { userId: U1, userName: 'u1' })])).toEqual([
      ['MemberRemoved', 'G', 4, 1, 'user-deleted'],
      ['UserDeleted', 'G', 5, 1, undefined],
      ['MemberRemoved', 'H', 3, 0, 'user-deleted'],
      ['UserDeleted', 'H', 4, 0, undefined],
    ]);
    expect([...ledger.deletedUsers]).toEqual([U1]);
  });

  it('spells out a group deletion as the removal of every member, then the deletion', () => {
    const ledger = new MembershipLedger();
    feed(ledger, setup());
    expect(feed(ledger, [event('GroupRenamed', G, { groupId: G, from: 'g', to: 'g2' }), event('GroupDeleted', G, { groupId: G, displayName: 'g2' })])).toEqual([
      ['GroupRenamed', 'G', 3, 2, undefined],
      ['MemberRemoved', 'G', 4, 1, 'group-deleted'],
      ['MemberRemoved', 'G', 5, 0, 'group-deleted'],
      ['GroupDeleted', 'G', 6, 0, undefined],
    ]);
    expect([...ledger.deletedGroups]).toEqual([G]);
    expect([...ledger.changedMemberships.values()].filter((present) => !present)).toHaveLength(2);
  });
});
