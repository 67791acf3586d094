import { beforeEach, describe, expect, it } from 'vitest';
import { compiled, exampleWorld, FIXTURE_TAG_OWNERS } from '../testing/tailnet-fixture.js';
import type { CompiledPolicy } from './compiled-policy.js';
import type { World } from './world.js';

const POLICY = `{ "groups": { "group:admins": ["alice@example.com"] }, ${FIXTURE_TAG_OWNERS}, "acls": [
  { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["tag:web:443"] },
  { "action": "accept", "src": ["group:admins"], "dst": ["tag:db:5432"] },
  { "action": "accept", "src": ["gina@example.com"], "dst": ["tag:ci:22"] },
  { "action": "accept", "src": ["tag:ci"], "dst": ["tag:db:6379"] },
] }`;

describe('world changes reach a compiled policy without recompiling it', () => {
  let world: World;
  let policy: CompiledPolicy;
  const frankToWeb = () => policy.check({ src: { node: 'frank-laptop' }, dst: { node: 'web-1' }, port: 443 });
  const aliceToWeb = () => policy.check({ src: { node: 'alice-laptop' }, dst: { node: 'web-1' }, port: 443 });

  beforeEach(() => {
    world = exampleWorld();
    policy = compiled(POLICY, world);
  });

  it('a member added to a synced group gains access, re-deriving only that user', () => {
    expect(frankToWeb().allowed).toBe(false);
    const before = policy.indexStats();
    world.addMember('g-eng', 'u-frank');
    expect(frankToWeb()).toEqual({ allowed: true, ruleIndex: 0, reason: 'acls[0] accepts' });
    expect(policy.indexStats()).toEqual({ usersIndexed: before.usersIndexed + 1, nodesIndexed: before.nodesIndexed + 1 });
  });

  it('compiling derives every user and node once; unrelated checks derive nothing more', () => {
    const stats = policy.indexStats();
    expect(stats).toEqual({ usersIndexed: 6, nodesIndexed: 12 });
    aliceToWeb();
    frankToWeb();
    expect(policy.indexStats()).toEqual(stats);
  });

  it('a member removed loses access', () => {
    world.removeMember('g-eng', 'u-alice');
    expect(aliceToWeb().allowed).toBe(false);
  });

  it('a renamed group fails closed, shows in the status, and the rest keeps applying', () => {
    world.upsertGroup({ id: 'g-eng', displayName: 'Platform' });
    expect(aliceToWeb()).toEqual({
      allowed: false,
      reason: 'no rule matched — acls[0] could apply but fails closed: group:engineering@example.com matches no group synced from the identity provider',
    });
    expect(policy.check({ src: { node: 'alice-laptop' }, dst: { node: 'db-1' }, port: 5432 }).allowed).toBe(true);
    expect(policy.status().unresolved).toEqual([
      expect.objectContaining({ reference: 'group:engineering@example.com', ruleIndex: 0, place: 'acls[0].src[0]' }),
      expect.objectContaining({ reference: 'group:engineering@example.com', place: 'tagOwners["tag:web"][0]' }),
    ]);
  });

  it('renaming the group back (in any case) restores access and clears the status', () => {
    world.upsertGroup({ id: 'g-eng', displayName: 'Platform' });
    aliceToWeb();
    world.upsertGroup({ id: 'g-eng', displayName: 'ENGINEERING' });
    expect(aliceToWeb().allowed).toBe(true);
    expect(policy.status().unresolved).toEqual([]);
  });

  it('a deleted group fails closed', () => {
    world.deleteGroup('g-eng');
    expect(aliceToWeb().allowed).toBe(false);
    expect(policy.status().unresolved.map((reference) => reference.place)).toContain('acls[0].src[0]');
  });

  it('a group created later under a referenced name starts matching', () => {
    world.upsertGroup({ id: 'g-eng', displayName: 'Platform' });
    world.upsertGroup({ id: 'g-eng-2', displayName: 'Engineering' });
    world.addMember('g-eng-2', 'u-frank');
    expect(frankToWeb().allowed).toBe(true);
    expect(aliceToWeb().allowed).toBe(false);
  });

  it('a user suspended after compiling loses access at once, and regains it when reactivated', () => {
    world.setUserState('u-alice', 'suspended');
    expect(aliceToWeb()).toEqual({ allowed: false, reason: 'source node alice-laptop: its owner alice@example.com is suspended' });
    world.setUserState('u-alice', 'active');
    expect(aliceToWeb().allowed).toBe(true);
  });

  it('a node whose key expires loses access', () => {
    world.setNodeAccess('alice-laptop', 'key-expired');
    expect(aliceToWeb()).toEqual({ allowed: false, reason: 'source node alice-laptop: its key has expired' });
  });

  it('a user and node the policy already names, created after compiling, are matched', () => {
    world.upsertUser({ id: 'u-gina', email: 'gina@example.com' });
    world.upsertNode({ id: 'gina-laptop', owner: 'u-gina', ipv4: '100.64.0.20' });
    expect(policy.check({ src: { node: 'gina-laptop' }, dst: { node: 'ci-1' }, port: 22 }).allowed).toBe(true);
  });

  it('a changed login is matched by its new name only', () => {
    world.upsertUser({ id: 'u-frank', email: 'gina@example.com' });
    expect(policy.check({ src: { node: 'frank-laptop' }, dst: { node: 'ci-1' }, port: 22 }).allowed).toBe(true);
  });

  it('a node tagged after compiling is matched as its tag, and no longer as its owner', () => {
    world.setNodeTags('bob-laptop', ['tag:ci']);
    expect(policy.check({ src: { node: 'bob-laptop' }, dst: { node: 'db-1' }, port: 6379 }).allowed).toBe(true);
    expect(policy.check({ src: { node: 'bob-laptop' }, dst: { node: 'web-1' }, port: 443 }).allowed).toBe(false);
  });

  it('a removed node is unknown', () => {
    world.removeNode('alice-laptop');
    expect(aliceToWeb()).toEqual({ allowed: false, reason: 'source node alice-laptop is unknown' });
  });
});
