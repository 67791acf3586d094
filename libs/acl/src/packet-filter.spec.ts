import { beforeEach, describe, expect, it } from 'vitest';
import { compiled, exampleWorld, FIXTURE_TAG_OWNERS } from '../testing/tailnet-fixture.js';
import type { CompiledPolicy } from './compiled-policy.js';
import type { World } from './world.js';

const POLICY = `{ ${FIXTURE_TAG_OWNERS}, "acls": [
  { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["tag:web:80,443"] },
  { "action": "accept", "src": ["tag:ci", "192.168.0.0/16"], "proto": "tcp", "dst": ["tag:web:8000-8099"] },
  { "action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self:*"] },
  { "action": "accept", "src": ["group:sales team@example.com"], "dst": ["tag:db:5432"] },
] }`;

describe('packetFilter', () => {
  let world: World;
  let policy: CompiledPolicy;

  beforeEach(() => {
    world = exampleWorld();
    policy = compiled(POLICY, world);
  });

  it("lists, per rule, the sources allowed in and the node's own addresses and ports", () => {
    expect(policy.packetFilter('web-1').rules).toEqual([
      {
        srcIps: ['100.64.0.1', '100.64.0.2', '100.64.0.3', 'fd7a:115c:a1e0::1'],
        ports: [
          { ip: '100.64.1.1', first: 80, last: 80 },
          { ip: 'fd7a:115c:a1e0::101', first: 80, last: 80 },
          { ip: '100.64.1.1', first: 443, last: 443 },
          { ip: 'fd7a:115c:a1e0::101', first: 443, last: 443 },
        ],
      },
      {
        srcIps: ['100.64.1.3', '192.168.0.0/16'],
        ports: [
          { ip: '100.64.1.1', first: 8000, last: 8099, proto: 'tcp' },
          { ip: 'fd7a:115c:a1e0::101', first: 8000, last: 8099, proto: 'tcp' },
        ],
      },
    ]);
  });

  it("lets a user's own active nodes into each of their nodes (autogroup:self)", () => {
    expect(policy.packetFilter('alice-phone').rules).toEqual([
      { srcIps: ['100.64.0.1', '100.64.0.2', 'fd7a:115c:a1e0::1'], ports: [{ ip: '100.64.0.2', first: 0, last: 65535 }] },
    ]);
  });

  it('lets nothing into a node without access, or an unknown node', () => {
    expect(policy.packetFilter('alice-old').rules).toEqual([]);
    expect(policy.packetFilter('carol-laptop').rules).toEqual([]);
    expect(policy.packetFilter('nope').rules).toEqual([]);
  });

  it('allows everything in when the policy has no acls, and nothing when they are empty', () => {
    expect(compiled('{}').packetFilter('db-1').rules).toEqual([{ srcIps: ['*'], ports: [{ ip: '100.64.1.2', first: 0, last: 65535 }] }]);
    expect(compiled('{ "acls": [] }').packetFilter('db-1').rules).toEqual([]);
  });

  describe('version', () => {
    it('stays the same when nothing the node receives changes', () => {
      const before = policy.packetFilter('web-1').version;
      world.addMember('g-sales', 'u-frank');
      world.setNodeAccess('db-1', 'key-expired');
      world.upsertUser({ id: 'u-gina', email: 'gina@example.com' });
      world.addMember('g-eng', 'u-gina');
      expect(policy.packetFilter('web-1').version).toBe(before);
    });

    it('changes when a source joins, and returns when it leaves', () => {
      const before = policy.packetFilter('web-1').version;
      world.addMember('g-eng', 'u-frank');
      const joined = policy.packetFilter('web-1');
      expect(joined.version).not.toBe(before);
      expect(joined.rules[0]!.srcIps).toContain('100.64.0.7');
      world.removeMember('g-eng', 'u-frank');
      expect(policy.packetFilter('web-1').version).toBe(before);
    });

    it('changes when a source loses access', () => {
      const before = policy.packetFilter('web-1').version;
      world.setUserState('u-bob', 'suspended');
      expect(policy.packetFilter('web-1').version).not.toBe(before);
    });

    it("changes when the node's own address changes", () => {
      const before = policy.packetFilter('db-1').version;
      world.upsertNode({ id: 'db-1', tags: ['tag:db'], ipv4: '100.64.1.99' });
      expect(policy.packetFilter('db-1').version).not.toBe(before);
    });

    it('is the same for the same content under another compilation', () => {
      expect(compiled(POLICY, world).packetFilter('web-1').version).toBe(policy.packetFilter('web-1').version);
    });
  });
});
