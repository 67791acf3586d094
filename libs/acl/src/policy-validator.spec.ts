import { describe, expect, it } from 'vitest';
import { exampleWorld, FIXTURE_TAG_OWNERS, parsed } from '../testing/tailnet-fixture.js';
import { validatePolicy } from './policy-validator.js';

describe('validatePolicy: references', () => {
  it('accepts a policy whose references all resolve', () => {
    const policy = parsed(`{ "groups": { "group:admins": ["alice@example.com"] }, "hosts": { "corp": "10.0.0.0/8" }, ${FIXTURE_TAG_OWNERS},
      "acls": [{ "action": "accept", "src": ["group:admins", "group:Sales Team@example.com", "corp"], "dst": ["tag:web:443"] }] }`);
    expect(validatePolicy(policy, exampleWorld())).toEqual({ valid: true, errors: [], failedTests: [] });
  });

  it('rejects every unknown group, synced group, domain, tag and host, each at its place', () => {
    const policy = parsed(`{
  "tagOwners": { "tag:web": ["group:ghosts"] },
  "acls": [
    { "action": "accept", "src": ["group:engineers@example.com", "group:eng@example.org"], "dst": ["tag:db:5432"] },
    { "action": "accept", "src": ["*"], "dst": ["intranet:80"] },
  ],
}`);
    expect(validatePolicy(policy, exampleWorld())).toEqual({
      valid: false,
      failedTests: [],
      errors: [
        { severity: 'error', place: 'tagOwners["tag:web"][0]', line: 2, column: 30, message: 'tagOwners["tag:web"][0]: group:ghosts is not defined in groups' },
        { severity: 'error', place: 'acls[0].src[0]', line: 4, column: 35, message: 'acls[0].src[0]: group:engineers@example.com matches no group synced from the identity provider' },
        {
          severity: 'error',
          place: 'acls[0].src[1]',
          line: 4,
          column: 66,
          message: "acls[0].src[1]: group:eng@example.org names the domain example.org, but this tailnet's identity domain is example.com",
        },
        { severity: 'error', place: 'acls[0].dst[0]', line: 4, column: 100, message: 'acls[0].dst[0]: tag:db is not defined in tagOwners' },
        { severity: 'error', place: 'acls[1].dst[0]', line: 5, column: 49, message: 'acls[1].dst[0]: host "intranet" is not defined in hosts' },
      ],
    });
  });

  it('checks the references of tests too', () => {
    const policy = parsed(`{ "acls": [], "tests": [{ "src": "tag:ghost", "deny": ["printer:631"] }] }`);
    const validation = validatePolicy(policy, exampleWorld());
    expect(validation.errors.map((error) => error.message)).toEqual([
      'tests[0].src: tag:ghost is not defined in tagOwners',
      'tests[0].deny[0]: host "printer" is not defined in hosts',
    ]);
    expect(validation.failedTests.map((failure) => failure.message)).toEqual(['tests[0].src: tag:ghost — tag:ghost is not defined in tagOwners']);
  });
});

describe('validatePolicy: the tests section', () => {
  const POLICY_HEAD = `"hosts": { "printer": "192.168.1.20", "lab": "10.0.0.0/8" }, ${FIXTURE_TAG_OWNERS}, "acls": [
    { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["tag:web:443"] },
    { "action": "accept", "src": ["tag:ci"], "dst": ["tag:db:5432", "printer:631"] },
    { "action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self:22"] },
    { "action": "accept", "src": ["*"], "proto": "udp", "dst": ["tag:web:53"] },
  ]`;

  it('passes when every assertion holds', () => {
    const policy = parsed(`{ ${POLICY_HEAD}, "tests": [
      { "src": "alice@example.com", "accept": ["tag:web:443", "alice@example.com:22"], "deny": ["tag:db:5432", "bob@example.com:22"] },
      { "src": "tag:ci", "accept": ["tag:db:5432", "printer:631", "192.168.1.20:631"], "deny": ["tag:web:443"] },
      { "src": "carol@example.com", "deny": ["tag:web:443"] },
      { "src": "100.64.0.1", "proto": "udp", "accept": ["tag:web:53"] },
      { "src": "newcomer@example.com", "accept": ["newcomer@example.com:22"], "deny": ["tag:web:443"] },
    ] }`);
    expect(validatePolicy(policy, exampleWorld())).toEqual({ valid: true, errors: [], failedTests: [] });
  });

  it('reports every failing assertion at the destination it names', () => {
    const policy = parsed(`{ ${POLICY_HEAD}, "tests": [
      { "src": "alice@example.com", "accept": ["tag:db:5432", "tag:web:443"] },
      { "src": "dave@example.com", "deny": ["tag:web:53"], "proto": "udp" },
      { "src": "tag:ci", "accept": ["lab:22"] },
    ] }`);
    const validation = validatePolicy(policy, exampleWorld());
    expect(validation.valid).toBe(false);
    expect(validation.errors).toEqual([]);
    expect(validation.failedTests).toEqual([
      expect.objectContaining({
        place: 'tests[0].accept[0]',
        line: 11,
        column: 48,
        message: 'tests[0].accept[0]: alice@example.com → tag:db:5432 expected accept, got deny (no rule matched)',
      }),
      expect.objectContaining({ message: 'tests[1].deny[0]: dave@example.com → tag:web:53 expected deny, got accept (acls[3] accepts)' }),
      expect.objectContaining({ message: 'tests[2].accept[0]: lab:22 — host "lab" is a range (10.0.0.0/8), not one address' }),
    ]);
  });

  it('reads group membership from the world, so a renamed group fails its tests', () => {
    const world = exampleWorld();
    const policy = parsed(`{ ${POLICY_HEAD}, "tests": [{ "src": "bob@example.com", "accept": ["tag:web:443"] }] }`);
    expect(validatePolicy(policy, world).valid).toBe(true);
    world.upsertGroup({ id: 'g-eng', displayName: 'Platform' });
    const validation = validatePolicy(policy, world);
    expect(validation.errors.map((error) => error.message)).toEqual([
      'tagOwners["tag:web"][0]: group:engineering@example.com matches no group synced from the identity provider',
      'acls[0].src[0]: group:engineering@example.com matches no group synced from the identity provider',
    ]);
    expect(validation.failedTests.map((failure) => failure.message)).toEqual([
      'tests[0].accept[0]: bob@example.com → tag:web:443 expected accept, got deny (no rule matched — acls[0] could apply but fails closed: group:engineering@example.com matches no group synced from the identity provider)',
    ]);
  });

  it('follows the allow-all and deny-all readings', () => {
    const test = '"tests": [{ "src": "alice@example.com", "accept": ["tag:web:443"] }]';
    expect(validatePolicy(parsed(`{ ${FIXTURE_TAG_OWNERS}, ${test} }`), exampleWorld()).valid).toBe(true);
    expect(validatePolicy(parsed(`{ ${FIXTURE_TAG_OWNERS}, "acls": [], ${test} }`), exampleWorld()).failedTests.map((failure) => failure.message)).toEqual([
      "tests[0].accept[0]: alice@example.com → tag:web:443 expected accept, got deny (the policy's acls list is empty: everything is denied)",
    ]);
  });
});

describe('validatePolicy: unknown users', () => {
  const policy = () =>
    parsed(`{ "groups": { "group:admins": ["alice@example.com", "mallory@example.com"] },
      "acls": [{ "action": "accept", "src": ["zoe@example.com"], "dst": ["DAVE@example.com:22"] }] }`);

  it('lets unknown logins through by default, since users may join later', () => {
    expect(validatePolicy(policy(), exampleWorld()).errors).toEqual([]);
  });

  it('rejects each unknown login at its place when asked to, case-insensitively', () => {
    expect(validatePolicy(policy(), exampleWorld(), { requireKnownUsers: true }).errors.map((error) => [error.message, error.line])).toEqual([
      ['groups["group:admins"][1]: user mallory@example.com is not a user of this tailnet', 1],
      ['acls[0].src[0]: user zoe@example.com is not a user of this tailnet', 2],
    ]);
  });
});
