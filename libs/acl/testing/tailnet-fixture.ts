import { compilePolicy, type CompiledPolicy } from '../src/compiled-policy.js';
import type { Policy } from '../src/policy.js';
import { parsePolicy } from '../src/policy-parser.js';
import { World } from '../src/world.js';

/**
 * A small tailnet with one of everything the evaluator distinguishes:
 * - alice (Engineering): alice-laptop 100.64.0.1 / fd7a:115c:a1e0::1, alice-phone 100.64.0.2,
 *   alice-old 100.64.0.9 (key expired)
 * - bob (Engineering): bob-laptop 100.64.0.3
 * - carol (Ops, suspended): carol-laptop 100.64.0.4
 * - dave (Sales Team): dave-laptop 100.64.0.5
 * - erin (deleted): erin-laptop 100.64.0.6 (owner deleted)
 * - frank (Ops, active): frank-laptop 100.64.0.7
 * - tagged: web-1 (tag:web) 100.64.1.1 / fd7a:115c:a1e0::101, db-1 (tag:db) 100.64.1.2,
 *   ci-1 (tag:ci) 100.64.1.3, logger-1 (tag:logging) 100.64.1.4
 */
export function exampleWorld(): World {
  const world = new World('example.com');
  world.upsertUser({ id: 'u-alice', email: 'alice@example.com' });
  world.upsertUser({ id: 'u-bob', email: 'bob@example.com' });
  world.upsertUser({ id: 'u-carol', email: 'carol@example.com', state: 'suspended' });
  world.upsertUser({ id: 'u-dave', email: 'Dave@Example.com' });
  world.upsertUser({ id: 'u-erin', email: 'erin@example.com', state: 'deleted' });
  world.upsertUser({ id: 'u-frank', email: 'frank@example.com' });

  world.upsertGroup({ id: 'g-eng', displayName: 'Engineering' });
  world.upsertGroup({ id: 'g-sales', displayName: 'Sales Team' });
  world.upsertGroup({ id: 'g-ops', displayName: 'Ops' });
  world.addMember('g-eng', 'u-alice');
  world.addMember('g-eng', 'u-bob');
  world.addMember('g-sales', 'u-dave');
  world.addMember('g-ops', 'u-carol');
  world.addMember('g-ops', 'u-frank');

  world.upsertNode({ id: 'alice-laptop', owner: 'u-alice', ipv4: '100.64.0.1', ipv6: 'fd7a:115c:a1e0::1' });
  world.upsertNode({ id: 'alice-phone', owner: 'u-alice', ipv4: '100.64.0.2' });
  world.upsertNode({ id: 'alice-old', owner: 'u-alice', ipv4: '100.64.0.9', access: 'key-expired' });
  world.upsertNode({ id: 'bob-laptop', owner: 'u-bob', ipv4: '100.64.0.3' });
  world.upsertNode({ id: 'carol-laptop', owner: 'u-carol', ipv4: '100.64.0.4' });
  world.upsertNode({ id: 'dave-laptop', owner: 'u-dave', ipv4: '100.64.0.5' });
  world.upsertNode({ id: 'erin-laptop', owner: 'u-erin', ipv4: '100.64.0.6', access: 'owner-deleted' });
  world.upsertNode({ id: 'frank-laptop', owner: 'u-frank', ipv4: '100.64.0.7' });
  world.upsertNode({ id: 'web-1', tags: ['tag:web'], ipv4: '100.64.1.1', ipv6: 'fd7a:115c:a1e0::101' });
  world.upsertNode({ id: 'db-1', tags: ['tag:db'], ipv4: '100.64.1.2' });
  world.upsertNode({ id: 'ci-1', tags: ['tag:ci'], ipv4: '100.64.1.3' });
  world.upsertNode({ id: 'logger-1', tags: ['tag:logging'], ipv4: '100.64.1.4' });
  return world;
}

/** The tagOwners every fixture policy shares (tag:logging is deliberately left out). */
export const FIXTURE_TAG_OWNERS = `"tagOwners": {
    "tag:web": ["group:engineering@example.com"],
    "tag:db": ["alice@example.com"],
    "tag:ci": ["tag:web"],
  }`;

export function parsed(text: string): Policy {
  const result = parsePolicy(text);
  if (!result.ok) throw new Error(`fixture policy does not parse:\n${result.errors.map((error) => error.message).join('\n')}`);
  return result.policy;
}

export function compiled(text: string, world: World = exampleWorld()): CompiledPolicy {
  return compilePolicy(parsed(text), world);
}
