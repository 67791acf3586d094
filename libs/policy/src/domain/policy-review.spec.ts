import { describe, expect, it } from 'vitest';
import { World } from '#roster/acl';
import { reviewPolicy } from './policy-review.js';

function world(): World {
  const world = new World('example.com');
  world.upsertUser({ id: 'u1', email: 'alice@example.com' });
  world.upsertGroup({ id: 'g1', displayName: 'Engineering' });
  world.addMember('g1', 'u1');
  return world;
}

describe('reviewPolicy', () => {
  it('accepts a policy whose references resolve and whose tests pass', () => {
    const review = reviewPolicy(
      `{ "acls": [{ "action": "accept", "src": ["group:engineering@example.com"], "dst": ["10.0.0.1:22"] }],
         "tests": [{ "src": "alice@example.com", "accept": ["10.0.0.1:22"], "deny": ["10.0.0.1:80"] }] }`,
      world(),
    );
    expect(review).toEqual({ valid: true, summary: 'the policy is valid', errors: [], failedTests: [], warnings: [] });
  });

  it('reports a syntax error with its line and column', () => {
    const review = reviewPolicy('{\n  "acls": [\n    { "action": "accept" "src": ["*"] }\n  ]\n}', world());
    expect(review.valid).toBe(false);
    expect(review.errors[0]).toMatchObject({ line: 3, column: 26 });
    expect(review.summary).toMatch(/^policy rejected \(1 error\); first at line 3, column 26: syntax error/);
  });

  it('names every unknown group, tag, host and user at its place', () => {
    const review = reviewPolicy(
      `{ "acls": [{ "action": "accept", "src": ["group:eng@example.com", "bob@example.com"], "dst": ["tag:web:443", "intranet:80"] }] }`,
      world(),
    );
    expect(review.errors.map((error) => [error.place, error.message])).toEqual([
      ['acls[0].src[0]', 'acls[0].src[0]: group:eng@example.com matches no group synced from the identity provider'],
      ['acls[0].src[1]', 'acls[0].src[1]: user bob@example.com is not a user of this tailnet'],
      ['acls[0].dst[0]', 'acls[0].dst[0]: tag:web is not defined in tagOwners'],
      ['acls[0].dst[1]', 'acls[0].dst[1]: host "intranet" is not defined in hosts'],
    ]);
  });

  it('reports failing tests with the assertion that failed', () => {
    const review = reviewPolicy(
      `{ "acls": [{ "action": "accept", "src": ["alice@example.com"], "dst": ["10.0.0.1:22"] }],
         "tests": [{ "src": "alice@example.com", "accept": ["10.0.0.1:443"] }] }`,
      world(),
    );
    expect(review.errors).toEqual([]);
    expect(review.failedTests).toHaveLength(1);
    expect(review.failedTests[0]).toMatchObject({ place: 'tests[0].accept[0]', line: 2 });
    expect(review.summary).toMatch(/1 failing test/);
  });
});
