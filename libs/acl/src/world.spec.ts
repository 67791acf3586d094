import { describe, expect, it } from 'vitest';
import { exampleWorld } from '../testing/tailnet-fixture.js';
import { World } from './world.js';

describe('World', () => {
  it('names synced groups by their lowercased display name', () => {
    const world = exampleWorld();
    expect([...world.groupsNamed('sales team')].map((group) => group.id)).toEqual(['g-sales']);
    expect(world.userByEmail('DAVE@example.com')?.id).toBe('u-dave');
  });

  it('moves a renamed group to its new name and touches its members', () => {
    const world = exampleWorld();
    const alice = world.user('u-alice')!;
    const revision = alice.identityRevision;
    world.upsertGroup({ id: 'g-eng', displayName: 'Platform' });
    expect(world.groupsNamed('engineering').size).toBe(0);
    expect(world.groupsNamed('platform').size).toBe(1);
    expect(alice.identityRevision).toBeGreaterThan(revision);
  });

  it('keeps revisions still when the display name changes only in case', () => {
    const world = exampleWorld();
    const before = world.groupNamesRevision;
    world.upsertGroup({ id: 'g-eng', displayName: 'ENGINEERING' });
    expect(world.groupNamesRevision).toBe(before);
  });

  it('takes a removed user out of their groups, with their nodes', () => {
    const world = exampleWorld();
    world.removeUser('u-alice');
    expect(world.node('alice-laptop')).toBeUndefined();
    expect([...world.group('g-eng')!.members].map((member) => member.id)).toEqual(['u-bob']);
    expect(world.nodeByIpv4(0x64400001)).toBeUndefined();
  });

  it('gives a tagged node no owner', () => {
    const world = exampleWorld();
    world.setNodeTags('bob-laptop', ['tag:ci']);
    expect(world.node('bob-laptop')?.owner).toBeUndefined();
    expect(world.user('u-bob')!.nodes.size).toBe(0);
    expect([...world.nodesTagged('tag:ci')].map((node) => node.id)).toEqual(['ci-1', 'bob-laptop']);
  });

  it.each([
    ['a member for an unknown group', (world: World) => world.addMember('g-nope', 'u-alice'), 'unknown group g-nope'],
    ['a login already taken', (world: World) => world.upsertUser({ id: 'u-x', email: 'alice@example.com' }), 'user u-x: alice@example.com already belongs to user u-alice'],
    ['a group name with @', (world: World) => world.upsertGroup({ id: 'g-x', displayName: 'r@d' }), 'synced group "r@d": names cannot contain @'],
    ['a node with an owner and tags', (world: World) => world.upsertNode({ id: 'n', owner: 'u-alice', tags: ['tag:web'], ipv4: '100.64.9.9' }), 'node n: a tagged node belongs to its tags, not to user u-alice'],
    ['a node with neither', (world: World) => world.upsertNode({ id: 'n', ipv4: '100.64.9.9' }), 'node n: a node needs an owner or at least one tag'],
    ['an address outside the tailnet range', (world: World) => world.upsertNode({ id: 'n', owner: 'u-alice', ipv4: '10.0.0.1' }), 'node n: "10.0.0.1" is not a tailnet address in 100.64.0.0/10'],
    ['an address in use', (world: World) => world.upsertNode({ id: 'n', owner: 'u-alice', ipv4: '100.64.0.2' }), 'node n: address already used by node alice-phone'],
    ['an untagging without owner', (world: World) => world.setNodeTags('web-1', []), 'node web-1: an untagged node needs an owner (use upsertNode)'],
  ])('refuses %s', (_title, mutate, message) => {
    expect(() => mutate(exampleWorld())).toThrow(message);
  });
});
