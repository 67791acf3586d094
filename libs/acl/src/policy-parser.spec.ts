import { describe, expect, it } from 'vitest';
import type { PolicyIssue } from './policy-issue.js';
import { parsePolicy } from './policy-parser.js';

function errorsOf(text: string): PolicyIssue[] {
  const result = parsePolicy(text);
  if (result.ok) throw new Error('expected the policy to be rejected');
  return [...result.errors];
}

function messagesOf(text: string): string[] {
  return errorsOf(text).map((error) => error.message);
}

const rule = (fields: string) => `{ "acls": [{ ${fields} }] }`;

describe('parsePolicy: HuJSON', () => {
  it('accepts comments and trailing commas', () => {
    const result = parsePolicy(`{
      // who may reach what
      "acls": [
        /* everyone, everywhere */ { "action": "accept", "src": ["*"], "dst": ["*:*"], },
      ],
    }`);
    expect(result.ok && result.policy.acls).toHaveLength(1);
  });

  it('reports a missing comma at its line and column', () => {
    const text = ['{', '  "acls": [', '    { "action": "accept" "src": ["*"], "dst": ["*:*"] }', '  ]', '}'].join('\n');
    expect(errorsOf(text)).toEqual([{ severity: 'error', place: '', line: 3, column: 26, message: 'syntax error: comma expected' }]);
  });

  it('counts lines across CRLF line endings', () => {
    const text = ['{', '  "acls": [', '    { "action": "accept", "src": ["*"] "dst": ["*:*"] }', '  ]', '}'].join('\r\n');
    expect(errorsOf(text)[0]).toMatchObject({ line: 3, column: 40, message: 'syntax error: comma expected' });
  });

  it('reports an unterminated document where it ends', () => {
    expect(errorsOf('{ "acls": [\n')).toContainEqual(expect.objectContaining({ line: 2, column: 1, message: 'syntax error: close bracket expected' }));
  });

  it('reports an empty file', () => {
    expect(errorsOf('')).toEqual([expect.objectContaining({ line: 1, column: 1, message: 'syntax error: value expected' })]);
  });

  it('reports a document that is not an object', () => {
    expect(messagesOf('[]')).toEqual(['the policy file must be a JSON object']);
  });
});

describe('parsePolicy: structure', () => {
  it('reports a port out of range with its place, value, line and column', () => {
    const text = `{
  "acls": [
    { "action": "accept", "src": ["*"], "dst": ["*:22"] },
    { "action": "accept", "src": ["*"], "dst": ["*:80"] },
    { "action": "accept", "src": ["*"], "dst": ["*:443"] },
    { "action": "accept", "src": ["*"], "dst": ["web:443", "web:99999"] },
  ],
}`;
    expect(errorsOf(text)).toEqual([
      { severity: 'error', place: 'acls[3].dst[1]', line: 6, column: 60, message: 'acls[3].dst[1]: "web:99999" — port out of range' },
    ]);
  });

  it.each([
    ['an unknown section, with a suggestion', '{ "acl": [] }', 'unknown key "acl" (did you mean "acls"?)'],
    ['an unknown section far from any', '{ "firewall": [] }', 'unknown key "firewall"'],
    ['a duplicated section, whatever its case', '{ "acls": [],\n "ACLS": [] }', 'acls: duplicate key "ACLS" (first given on line 1)'],
    ['a section of the wrong type', '{ "acls": {} }', 'acls: must be a list'],
    ['a rule that is not an object', '{ "acls": ["accept"] }', 'acls[0]: must be an object'],
    ['an unknown rule key', rule('"action": "accept", "src": ["*"], "dst": ["*:*"], "dest": []'), 'acls[0]: unknown key "dest" (did you mean "dst"?)'],
    ['an action other than accept', rule('"action": "deny", "src": ["*"], "dst": ["*:*"]'), 'acls[0].action: "deny" — the only action is "accept": whatever no rule accepts is denied'],
    ['a missing src', rule('"action": "accept", "dst": ["*:*"]'), 'acls[0]: missing "src"'],
    ['an empty dst', rule('"action": "accept", "src": ["*"], "dst": []'), 'acls[0].dst: must list at least one entry'],
    ['a non-string entry', rule('"action": "accept", "src": [42], "dst": ["*:*"]'), 'acls[0].src[0]: must be a string'],
    ['a destination without ports', rule('"action": "accept", "src": ["*"], "dst": ["tag:web"]'), 'acls[0].dst[0]: "tag:web" — a destination is written alias:ports'],
    ['a reversed port range', rule('"action": "accept", "src": ["*"], "dst": ["*:2000-1000"]'), 'acls[0].dst[0]: "*:2000-1000" — port range 2000-1000 ends before it starts'],
    ['an empty item in a port list', rule('"action": "accept", "src": ["*"], "dst": ["*:22,,80"]'), 'acls[0].dst[0]: "*:22,,80" — empty port in list'],
    ['a port that is not a number', rule('"action": "accept", "src": ["*"], "dst": ["*:ssh"]'), 'acls[0].dst[0]: "*:ssh" — "ssh" is not a port, a port range or *'],
    ['an unknown protocol', rule('"action": "accept", "src": ["*"], "dst": ["*:*"], "proto": "tcpp"'), 'acls[0].proto: "tcpp" — unknown protocol (a name such as tcp, udp, icmp, or a number 0–255)'],
    ['ports with a portless protocol', rule('"action": "accept", "src": ["*"], "dst": ["tag:web:22"], "proto": "icmp"'), 'acls[0].dst[0]: "tag:web:22" — proto icmp has no ports: write the destination with :*'],
    ['autogroup:self as a source', rule('"action": "accept", "src": ["autogroup:self"], "dst": ["*:*"]'), 'acls[0].src[0]: "autogroup:self" — autogroup:self is only allowed in dst'],
    ['an unknown autogroup', rule('"action": "accept", "src": ["autogroup:admin"], "dst": ["*:*"]'), 'acls[0].src[0]: "autogroup:admin" — unknown autogroup (supported: autogroup:member, autogroup:self, autogroup:tagged)'],
    ['a synced group name with an @', rule('"action": "accept", "src": ["group:r@d@example.com"], "dst": ["*:*"]'), 'acls[0].src[0]: "group:r@d@example.com" — synced group names cannot contain @ (the only @ separates the name from the domain)'],
    ['a bad tag name', rule('"action": "accept", "src": ["tag:9lives"], "dst": ["*:*"]'), 'acls[0].src[0]: "tag:9lives" — tag names start with a letter and contain only letters, digits and dashes'],
    ['a selector that is nothing', rule('"action": "accept", "src": ["web server"], "dst": ["*:*"]'), 'acls[0].src[0]: "web server" — not a user, group, tag, autogroup, host, IP address or CIDR'],
    ['brackets around a non-address', rule('"action": "accept", "src": ["*"], "dst": ["[web]:22"]'), 'acls[0].dst[0]: "[web]:22" — brackets enclose an IPv6 address or CIDR only'],
    ['a nested group', '{ "groups": { "group:a": ["alice@example.com", "group:b"] } }', 'groups["group:a"][1]: "group:b" — nested groups are not allowed: list the users themselves'],
    ['a synced group inside a policy group', '{ "groups": { "group:a": ["group:eng@example.com"] } }', 'groups["group:a"][0]: "group:eng@example.com" — nested groups are not allowed: list the users themselves'],
    ['a policy group named like a synced one', '{ "groups": { "group:a@example.com": [] } }', 'groups["group:a@example.com"]: "group:a@example.com" — groups defined in the policy file cannot contain @ (group:<name>@<domain> names a group synced from the identity provider)'],
    ['a group defined twice', '{ "groups": { "group:a": [], "group:a": [] } }', 'groups["group:a"]: "group:a" is defined twice'],
    ['a tagOwners key that is not a tag', '{ "tagOwners": { "web": [] } }', 'tagOwners["web"]: "web" — tagOwners keys are tags (tag:<name>)'],
    ['an IP as tag owner', '{ "tagOwners": { "tag:web": ["10.0.0.1"] } }', 'tagOwners["tag:web"][0]: "10.0.0.1" — tag owners are users, groups, autogroup:member or tags'],
    ['a host that is not an address', '{ "hosts": { "web": "300.1.1.1" } }', 'hosts["web"]: "300.1.1.1" — not an IP address or CIDR'],
    ['a host name that is an address', '{ "hosts": { "10.0.0.1": "10.0.0.1" } }', 'hosts["10.0.0.1"]: "10.0.0.1" — host names are letters, digits, dots, dashes and underscores'],
    ['a test without src', '{ "tests": [{ "accept": ["tag:web:80"] }] }', 'tests[0]: missing "src"'],
    ['a test source that is a group', '{ "tests": [{ "src": "group:eng", "accept": [] }] }', 'tests[0].src: "group:eng" — a test names one user, tag, host or IP address'],
    ['a test destination with two ports', '{ "tests": [{ "src": "alice@example.com", "accept": ["tag:web:80,443"] }] }', 'tests[0].accept[0]: "tag:web:80,443" — a test destination names exactly one port'],
    ['a test destination that is a CIDR', '{ "tests": [{ "src": "alice@example.com", "deny": ["10.0.0.0/8:22"] }] }', 'tests[0].deny[0]: "10.0.0.0/8:22" — a test names a single address, not a range'],
  ])('rejects %s', (_title, text, message) => {
    expect(messagesOf(text)).toEqual([message]);
  });

  it('reports every error, not just the first', () => {
    expect(messagesOf(rule('"action": "drop", "src": ["autogroup:self"], "dst": ["*:65536"]'))).toHaveLength(3);
  });
});

describe('parsePolicy: what it keeps', () => {
  it('matches keys case-insensitively and reads the legacy users and ports', () => {
    const result = parsePolicy('{ "ACLs": [{ "Action": "accept", "Users": ["*"], "Ports": ["*:22"] }], "TagOwners": {} }');
    expect(result.ok).toBe(true);
    expect(result.ok && result.policy.acls![0]).toMatchObject({ place: 'acls[0]', sources: [{ text: '*', place: 'acls[0].src[0]' }], destinations: [{ text: '*:22', ports: [{ first: 22, last: 22 }] }] });
  });

  it('keeps the Tailscale sections it does not evaluate, with a warning each', () => {
    const result = parsePolicy('{ "ssh": [], "nodeAttrs": [], "acls": [] }');
    expect(result).toMatchObject({
      ok: true,
      policy: { unevaluatedSections: ['ssh', 'nodeAttrs'] },
      warnings: [
        { severity: 'warning', place: 'ssh', line: 1, column: 10, message: 'ssh: kept, but not evaluated by Roster' },
        { severity: 'warning', place: 'nodeAttrs', message: 'nodeAttrs: kept, but not evaluated by Roster' },
      ],
    });
  });

  it('warns that grants without acls deny everything', () => {
    const result = parsePolicy('{ "grants": [] }');
    expect(result.warnings.map((warning) => warning.message)).toContain(
      'the policy has grants but no acls: Roster denies everything (fails closed)',
    );
  });

  it('tells "no acls" from "empty acls"', () => {
    const absent = parsePolicy('{}');
    const empty = parsePolicy('{ "acls": [] }');
    expect(absent.ok && absent.policy.acls).toBeUndefined();
    expect(empty.ok && empty.policy.acls).toEqual([]);
  });

  it('makes a rule with srcPosture fail closed, with a warning', () => {
    const result = parsePolicy(rule('"action": "accept", "src": ["*"], "dst": ["*:*"], "srcPosture": ["posture:latest"]'));
    expect(result.ok && result.policy.acls![0]!.failsClosed).toBe(true);
    expect(result.warnings.map((warning) => warning.message)).toEqual([
      'acls[0].srcPosture: not evaluated by Roster, so this rule matches nobody (fails closed)',
    ]);
  });

  it('reads protocols, defaults and tests', () => {
    const result = parsePolicy(`{
      "acls": [{ "action": "accept", "src": ["*"], "dst": ["*:*"] }, { "action": "accept", "src": ["*"], "proto": "UDP", "dst": ["*:53"] }],
      "tests": [{ "src": "alice@example.com", "proto": "udp", "accept": ["100.64.0.1:53"], "deny": ["tag:web:22"] }],
    }`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.acls!.map((acl) => [acl.protocols, acl.protocolText])).toEqual([
      [[6, 17, 1, 58], undefined],
      [[17], 'udp'],
    ]);
    expect(result.policy.tests[0]).toMatchObject({ protocol: 17, accept: [{ text: '100.64.0.1:53', ports: [{ first: 53, last: 53 }] }], deny: [{ text: 'tag:web:22' }] });
  });
});
