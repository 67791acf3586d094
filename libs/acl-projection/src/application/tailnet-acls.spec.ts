import { describe, expect, it } from 'vitest';
import { EventTypes, type Actor, type EventType, type LoggedEvent } from '#roster/events';
import { TailnetAcls } from './tailnet-acls.js';

const T = '00000000-0000-4000-8000-000000000001';
const ALICE = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b0';
const ENG = '00000000-0000-4000-8000-0000000000e1';
const okta: Actor = { kind: 'scim-token', id: 'tok', idp: 'okta' };

let position = 0n;
function event(type: EventType, aggregateId: string, data: Record<string, unknown>, time = '2026-11-23T10:00:00.000Z'): LoggedEvent {
  position++;
  return {
    id: `e${position}`,
    type,
    schemaVersion: EventTypes[type],
    tailnetId: T,
    aggregateType: type.startsWith('User') ? 'User' : type.startsWith('Group') ? 'Group' : type.startsWith('Node') ? 'Node' : type === 'PolicyUpdated' ? 'Policy' : 'Tailnet',
    aggregateId,
    aggregateVersion: 1,
    time,
    actor: okta,
    correlationId: 'c',
    data,
    position,
    partition: 0,
    offset: String(position),
  };
}

const user = (userId: string, userName: string) =>
  event('UserCreated', userId, { userId, userName, active: true, attributes: { userName, emails: [{ value: userName, primary: true }] } });
const node = (nodeId: string, ownerUserId: string | null, ipv4: string, tags: string[] = []) =>
  event('NodeRegistered', nodeId, { nodeId, ownerUserId, tags, hostname: nodeId, ipv4, nodeKey: 'k', keyExpiry: '2027-01-01T00:00:00Z', keyExpiryDisabled: false });
const policy = (text: string) => event('PolicyUpdated', T, { policy: text, sha256: 'x' });

const RULES = `{
  "tagOwners": { "tag:web": ["group:engineering@example.com"] },
  "acls": [
    { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["10.1.0.1:22"] },
    { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["tag:web:443"] },
    { "action": "accept", "src": ["alice@example.com", "group:engineering@example.com"], "dst": ["10.1.0.2:80"] },
    { "action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self:*"] },
  ],
}`;

function tailnet() {
  const acls = new TailnetAcls();
  acls.applyEvents([
    event('TailnetCreated', T, { tailnetId: T, name: 't', domain: 'Example.com' }),
    user(ALICE, 'alice@example.com'),
    user(BOB, 'Bob@Example.com'),
    event('GroupCreated', ENG, { groupId: ENG, displayName: 'Engineering', externalId: null }),
    event('GroupMemberAdded', ENG, { groupId: ENG, userIds: [ALICE] }),
    event('GroupMemberAdded', ENG, { groupId: ENG, userIds: [BOB] }),
    node('alice-laptop', ALICE, '100.64.0.1'),
    node('bob-laptop', BOB, '100.64.0.2'),
    node('web-1', null, '100.64.1.1', ['tag:web']),
    policy(RULES),
  ]);
  return { acls, acl: acls.get(T)! };
}

const check = (acl: ReturnType<typeof tailnet>['acl'], src: object, dst: object, port: number) => acl.check({ src: src as never, dst: dst as never, port });

describe('TailnetAcls: the ACL state of a tailnet, from its events', () => {
  it('answers from the policy and the synced groups, by user, node and IP', () => {
    const { acl } = tailnet();
    expect(check(acl, { user: BOB }, { ip: '10.1.0.1' }, 22)).toMatchObject({ allowed: true, ruleIndex: 0 });
    expect(check(acl, { node: 'bob-laptop' }, { node: 'web-1' }, 443)).toMatchObject({ allowed: true, ruleIndex: 1 });
    expect(check(acl, { ip: '100.64.0.2' }, { ip: '100.64.1.1' }, 443)).toMatchObject({ allowed: true, ruleIndex: 1 });
    expect(check(acl, { user: BOB }, { ip: '10.1.0.1' }, 23)).toMatchObject({ allowed: false });
    expect(check(acl, { node: 'alice-laptop' }, { node: 'bob-laptop' }, 22)).toMatchObject({ allowed: false });
    expect(check(acl, { node: 'bob-laptop' }, { node: 'bob-laptop' }, 22)).toMatchObject({ allowed: true, ruleIndex: 3 });
  });

  it('allows everything before any policy is written (the default policy), and follows later policies', () => {
    const acls = new TailnetAcls();
    acls.applyEvents([event('TailnetCreated', T, { tailnetId: T, name: 't', domain: 'example.com' }), user(ALICE, 'alice@example.com')]);
    expect(acls.get(T)!.check({ src: { user: ALICE }, dst: { ip: '192.0.2.1' }, port: 1 })).toMatchObject({ allowed: true });
    acls.applyEvents([policy('{ "acls": [] }')]);
    expect(acls.get(T)!.check({ src: { user: ALICE }, dst: { ip: '192.0.2.1' }, port: 1 })).toMatchObject({ allowed: false });
    acls.applyEvents([policy('{ }')]);
    expect(acls.get(T)!.check({ src: { user: ALICE }, dst: { ip: '192.0.2.1' }, port: 1 })).toMatchObject({ allowed: true });
  });

  it('compiles a new policy when its batch is applied, not on the first check', () => {
    const { acls, acl } = tailnet();
    const before = acl.indexStats().compilations;
    acls.applyEvents([policy('{ "acls": [] }'), policy(RULES)]);
    expect(acl.indexStats().compilations).toBe(before + 1);
    expect(check(acl, { user: BOB }, { ip: '10.1.0.1' }, 22).allowed).toBe(true);
    expect(acl.indexStats().compilations).toBe(before + 1);
  });

  it('applies a membership change without recompiling: one user re-derived', () => {
    const { acls, acl } = tailnet();
    expect(check(acl, { user: BOB }, { ip: '10.1.0.1' }, 22).allowed).toBe(true);
    const before = acl.indexStats();
    acls.applyEvents([event('GroupMemberRemoved', ENG, { groupId: ENG, userIds: [BOB] })]);
    expect(check(acl, { user: BOB }, { ip: '10.1.0.1' }, 22)).toMatchObject({ allowed: false });
    expect(check(acl, { user: ALICE }, { ip: '10.1.0.1' }, 22)).toMatchObject({ allowed: true });
    const after = acl.indexStats();
    expect(after.compilations).toBe(before.compilations);
    expect(after.usersIndexed - before.usersIndexed).toBe(1);
  });

  it('makes suspended and deleted users match nothing, and reactivation restores them', () => {
    const { acls, acl } = tailnet();
    acls.applyEvents([event('UserSuspended', BOB, { userId: BOB, userName: 'bob@example.com' })]);
    expect(check(acl, { user: BOB }, { ip: '10.1.0.1' }, 22).allowed).toBe(false);
    expect(check(acl, { node: 'bob-laptop' }, { ip: '10.1.0.1' }, 22).allowed).toBe(false);
    acls.applyEvents([event('UserReactivated', BOB, { userId: BOB, userName: 'bob@example.com' })]);
    expect(check(acl, { node: 'bob-laptop' }, { ip: '10.1.0.1' }, 22).allowed).toBe(true);
    acls.applyEvents([event('UserDeleted', BOB, { userId: BOB, userName: 'bob@example.com' })]);
    expect(check(acl, { node: 'bob-laptop' }, { ip: '10.1.0.1' }, 22).allowed).toBe(false);
    expect(check(acl, { user: BOB }, { ip: '10.1.0.1' }, 22).allowed).toBe(false);
  });

  it('follows the node events: expiry, renewal, owner access, tags, deletion', () => {
    const { acls, acl } = tailnet();
    const reach = () => check(acl, { node: 'bob-laptop' }, { ip: '10.1.0.1' }, 22).allowed;
    acls.applyEvents([event('NodeKeyExpired', 'bob-laptop', { nodeId: 'bob-laptop', keyExpiry: '2026-11-23T00:00:00Z' })]);
    expect(reach()).toBe(false);
    acls.applyEvents([event('NodeKeyRenewed', 'bob-laptop', { nodeId: 'bob-laptop', nodeKey: 'k2', keyExpiry: '2027-06-01T00:00:00Z' })]);
    expect(reach()).toBe(true);
    acls.applyEvents([event('NodeKeyExpired', 'bob-laptop', { nodeId: 'bob-laptop', keyExpiry: '2027-06-01T00:00:00Z' })]);
    acls.applyEvents([event('NodeKeyExpiryDisabled', 'bob-laptop', { nodeId: 'bob-laptop' })]);
    expect(reach()).toBe(true);
    acls.applyEvents([event('NodeAccessRevoked', 'bob-laptop', { nodeId: 'bob-laptop', ownerUserId: BOB, reason: 'owner-suspended' })]);
    expect(reach()).toBe(false);
    acls.applyEvents([event('NodeAccessRestored', 'bob-laptop', { nodeId: 'bob-laptop', ownerUserId: BOB, reason: 'owner-reactivated' })]);
    expect(reach()).toBe(true);

    // Tagged, the node belongs to tag:web: it is now a destination of rule 1, and no longer Bob's.
    acls.applyEvents([event('NodeTagsChanged', 'bob-laptop', { nodeId: 'bob-laptop', from: [], to: ['tag:web'], ownerUserId: null })]);
    expect(check(acl, { user: ALICE }, { node: 'bob-laptop' }, 443)).toMatchObject({ allowed: true, ruleIndex: 1 });
    expect(reach()).toBe(false);
    acls.applyEvents([event('NodeDeleted', 'bob-laptop', { nodeId: 'bob-laptop', hostname: 'bob-laptop' })]);
    expect(check(acl, { user: ALICE }, { node: 'bob-laptop' }, 443)).toMatchObject({ allowed: false, reason: expect.stringMatching(/unknown/) });
  });

  it('gives each node its packet filter, with a version that changes only with it', () => {
    const { acls, acl } = tailnet();
    const first = acl.packetFilter('web-1');
    expect(first.rules).toEqual([{ srcIps: ['100.64.0.1', '100.64.0.2'], ports: [{ ip: '100.64.1.1', first: 443, last: 443 }] }]);
    expect(acl.packetFilter('web-1').version).toBe(first.version);
    acls.applyEvents([event('GroupMemberRemoved', ENG, { groupId: ENG, userIds: [BOB] })]);
    const second = acl.packetFilter('web-1');
    expect(second.rules[0].srcIps).toEqual(['100.64.0.1']);
    expect(second.version).not.toBe(first.version);
  });

  it('fails closed on a renamed group and says what happened, from the log', () => {
    const { acls, acl } = tailnet();
    expect(acl.status().unresolved).toEqual([]);
    acls.applyEvents([event('GroupRenamed', ENG, { groupId: ENG, from: 'Engineering', to: 'Platform Eng' }, '2026-11-23T11:00:00.000Z')]);
    expect(check(acl, { user: BOB }, { ip: '10.1.0.1' }, 22).allowed).toBe(false);
    // Rule 2 still names alice directly, so it keeps applying to her.
    expect(check(acl, { user: ALICE }, { ip: '10.1.0.2' }, 80)).toMatchObject({ allowed: true, ruleIndex: 2 });
    const status = acl.status();
    expect(status.unresolved).toEqual([
      expect.objectContaining({
        reference: 'group:engineering@example.com',
        kind: 'synced-group',
        rules: [0, 1, 2],
        history: { kind: 'renamed', from: 'Engineering', to: 'Platform Eng', by: 'Okta', time: '2026-11-23T11:00:00.000Z' },
      }),
    ]);
    expect(status.unresolved[0].places.map((place) => place.place)).toEqual(['acls[0].src[0]', 'acls[1].src[0]', 'acls[2].src[1]', 'tagOwners["tag:web"][0]']);
    expect(status.narrative).toEqual([
      '`group:engineering@example.com` was renamed to `group:platform eng@example.com` by Okta on 2026-11-23T11:00:00.000Z; 2 rules now match nobody',
    ]);
  });

  it('reports a deleted group the same way, and recovers when a group takes the name again', () => {
    const { acls, acl } = tailnet();
    acls.applyEvents([event('GroupDeleted', ENG, { groupId: ENG, displayName: 'Engineering' })]);
    expect(acl.status().narrative).toEqual([expect.stringMatching(/^`group:engineering@example.com` was deleted by Okta on .*; 2 rules now match nobody$/)]);
    const again = '00000000-0000-4000-8000-0000000000e2';
    acls.applyEvents([
      event('GroupCreated', again, { groupId: again, displayName: 'ENGINEERING', externalId: null }),
      event('GroupMemberAdded', again, { groupId: again, userIds: [BOB] }),
    ]);
    expect(acl.status().unresolved).toEqual([]);
    expect(check(acl, { user: BOB }, { ip: '10.1.0.1' }, 22).allowed).toBe(true);
  });

  it('keeps going when an event contradicts the tailnet (a member of an unknown group)', () => {
    const { acls, acl } = tailnet();
    acls.applyEvents([event('GroupMemberAdded', 'nope', { groupId: '00000000-0000-4000-8000-00000000dead', userIds: [BOB] }), event('GroupMemberRemoved', ENG, { groupId: ENG, userIds: [BOB] })]);
    expect(check(acl, { user: BOB }, { ip: '10.1.0.1' }, 22).allowed).toBe(false);
  });
});
