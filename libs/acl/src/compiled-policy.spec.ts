import { describe, expect, it } from 'vitest';
import { compiled, FIXTURE_TAG_OWNERS } from '../testing/tailnet-fixture.js';
import type { AccessQuestion, Endpoint } from './access-question.js';

interface Question {
  readonly title: string;
  readonly ask: AccessQuestion;
  readonly allowed: boolean;
  readonly ruleIndex?: number;
  /** The whole reason (string) or a part of it (RegExp). */
  readonly reason?: string | RegExp;
}

interface PolicyCase {
  readonly title: string;
  readonly policy: string;
  readonly questions: readonly Question[];
}

const node = (id: string): Endpoint => ({ node: id });
const user = (id: string): Endpoint => ({ user: id });
const ip = (address: string): Endpoint => ({ ip: address });

function ask(src: Endpoint, dst: Endpoint, port: number, proto?: string | number): AccessQuestion {
  return proto === undefined ? { src, dst, port } : { src, dst, port, proto };
}

function allowed(title: string, question: AccessQuestion, ruleIndex: number): Question {
  return { title, ask: question, allowed: true, ruleIndex, reason: `acls[${ruleIndex}] accepts` };
}

function denied(title: string, question: AccessQuestion, reason: string | RegExp = 'no rule matched'): Question {
  return { title, ask: question, allowed: false, reason };
}

const POLICIES: readonly PolicyCase[] = [
  {
    title: 'no acls section: everything is allowed, as in Tailscale',
    policy: `{ ${FIXTURE_TAG_OWNERS} }`,
    questions: [
      { title: 'a member reaches a tagged node', ask: ask(node('alice-laptop'), node('db-1'), 5432), allowed: true, reason: 'the policy has no acls: everything is allowed' },
      { title: 'an outside address reaches a node', ask: ask(ip('203.0.113.9'), node('web-1'), 22), allowed: true },
      denied('a suspended owner\'s node still matches nothing', ask(node('carol-laptop'), node('web-1'), 443), 'source node carol-laptop: its owner carol@example.com is suspended'),
      denied('an expired node still matches nothing', ask(node('alice-phone'), node('alice-old'), 22), 'destination node alice-old: its key has expired'),
      denied('a deleted user matches nothing', ask(user('u-erin'), node('web-1'), 443), 'source user erin@example.com is deleted'),
    ],
  },
  {
    title: 'an explicit empty acls list: everything is denied',
    policy: '{ "acls": [] }',
    questions: [denied('even a member to a member', ask(node('alice-laptop'), node('bob-laptop'), 22), "the policy's acls list is empty: everything is denied")],
  },
  {
    title: 'grants without acls: Roster does not evaluate grants, so it fails closed',
    policy: '{ "grants": [{ "src": ["*"], "dst": ["*"], "ip": ["*"] }] }',
    questions: [denied('a member to a member', ask(node('alice-laptop'), node('bob-laptop'), 22), /grants but no acls.*fails closed/)],
  },
  {
    title: '* to *:*',
    policy: '{ "acls": [{ "action": "accept", "src": ["*"], "dst": ["*:*"] }] }',
    questions: [
      allowed('member to member', ask(node('alice-laptop'), node('bob-laptop'), 22), 0),
      allowed('* includes sources outside the tailnet', ask(ip('203.0.113.9'), node('web-1'), 8080), 0),
      allowed('* includes destinations outside the tailnet', ask(node('web-1'), ip('198.51.100.1'), 443), 0),
      denied('a node whose owner is deleted', ask(node('dave-laptop'), node('erin-laptop'), 22), 'destination node erin-laptop: its owner is deleted'),
      denied('a node whose owner is suspended, as destination', ask(node('alice-laptop'), node('carol-laptop'), 22), 'destination node carol-laptop: its owner carol@example.com is suspended'),
      denied('an unknown node', ask(node('nope'), node('web-1'), 22), 'source node nope is unknown'),
      denied('an unknown user', ask(user('u-nobody'), node('web-1'), 22), 'source user u-nobody is unknown'),
      denied('a port out of range', ask(node('alice-laptop'), node('web-1'), 70000), 'port 70000 is not between 0 and 65535'),
      denied('an unknown protocol', ask(node('alice-laptop'), node('web-1'), 22, 'bogus'), 'unknown protocol bogus'),
    ],
  },
  {
    title: 'users by login',
    policy: `{ "acls": [
      { "action": "accept", "src": ["alice@example.com"], "dst": ["bob@example.com:22"] },
      { "action": "accept", "src": ["DAVE@example.com"], "dst": ["alice@example.com:443"] },
    ] }`,
    questions: [
      allowed("alice's laptop to bob's", ask(node('alice-laptop'), node('bob-laptop'), 22), 0),
      allowed("alice's phone to bob's laptop", ask(node('alice-phone'), node('bob-laptop'), 22), 0),
      denied('not the other way round', ask(node('bob-laptop'), node('alice-laptop'), 22)),
      denied('not on another port', ask(node('alice-laptop'), node('bob-laptop'), 23)),
      allowed('a user as source is their identity; as destination, any of their nodes', ask(user('u-alice'), user('u-bob'), 22), 0),
      allowed('logins compare lowercased', ask(node('dave-laptop'), node('alice-laptop'), 443), 1),
      allowed('a user destination is reached through any active node', ask(node('dave-laptop'), user('u-alice'), 443), 1),
      denied('a tagged node is not its creator', ask(node('web-1'), node('bob-laptop'), 22)),
      denied('another user', ask(user('u-frank'), user('u-bob'), 22)),
      denied('a suspended destination user', ask(user('u-alice'), user('u-carol'), 22), 'destination user carol@example.com is suspended'),
    ],
  },
  {
    title: 'groups defined in the policy file',
    policy: `{ "groups": { "group:admins": ["alice@example.com", "carol@example.com"] }, ${FIXTURE_TAG_OWNERS},
      "acls": [{ "action": "accept", "src": ["group:admins"], "dst": ["tag:db:5432"] }] }`,
    questions: [
      allowed('a member of the group', ask(node('alice-laptop'), node('db-1'), 5432), 0),
      denied('someone outside it', ask(node('bob-laptop'), node('db-1'), 5432)),
      denied("a suspended member's node", ask(node('carol-laptop'), node('db-1'), 5432), 'source node carol-laptop: its owner carol@example.com is suspended'),
      denied('a suspended member', ask(user('u-carol'), node('db-1'), 5432), 'source user carol@example.com is suspended'),
    ],
  },
  {
    title: 'groups synced from the identity provider',
    policy: `{ ${FIXTURE_TAG_OWNERS}, "acls": [
      { "action": "accept", "src": ["group:Engineering@example.com"], "dst": ["tag:web:443"] },
      { "action": "accept", "src": ["group:sales team@EXAMPLE.com"], "dst": ["tag:web:443", "tag:db:5432"] },
      { "action": "accept", "src": ["group:ops@example.com"], "dst": ["tag:ci:22"] },
      { "action": "accept", "src": ["tag:ci"], "dst": ["group:engineering@example.com:22"] },
    ] }`,
    questions: [
      allowed('a member (the reference is lowercased)', ask(node('alice-laptop'), node('web-1'), 443), 0),
      allowed('another member', ask(node('bob-laptop'), node('web-1'), 443), 0),
      allowed('a group name with a space', ask(node('dave-laptop'), node('web-1'), 443), 1),
      allowed('its second destination', ask(node('dave-laptop'), node('db-1'), 5432), 1),
      denied('a non-member', ask(node('alice-laptop'), node('db-1'), 5432)),
      allowed('an active member of a group with a suspended member', ask(node('frank-laptop'), node('ci-1'), 22), 2),
      denied('the suspended member', ask(node('carol-laptop'), node('ci-1'), 22), /carol@example.com is suspended/),
      allowed("a group as destination: its members' nodes", ask(node('ci-1'), node('alice-phone'), 22), 3),
      denied("not a non-member's node", ask(node('ci-1'), node('dave-laptop'), 22)),
    ],
  },
  {
    title: 'autogroup:member',
    policy: `{ ${FIXTURE_TAG_OWNERS}, "acls": [
      { "action": "accept", "src": ["autogroup:member"], "dst": ["tag:web:80"] },
      { "action": "accept", "src": ["tag:ci"], "dst": ["autogroup:member:22"] },
    ] }`,
    questions: [
      allowed('any active user', ask(node('frank-laptop'), node('web-1'), 80), 0),
      denied('tagged nodes are not members', ask(node('ci-1'), node('web-1'), 80)),
      denied('suspended users are not', ask(node('carol-laptop'), node('web-1'), 80), /suspended/),
      denied('outside addresses are not', ask(ip('203.0.113.9'), node('web-1'), 80)),
      allowed("as destination: members' nodes", ask(node('ci-1'), node('dave-laptop'), 22), 1),
      denied('as destination: not tagged nodes', ask(node('ci-1'), node('db-1'), 22)),
    ],
  },
  {
    title: 'autogroup:self',
    policy: `{ "acls": [
      { "action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self:*"] },
      { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["autogroup:self:22"] },
    ] }`,
    questions: [
      allowed('a user to their own node', ask(node('alice-laptop'), node('alice-phone'), 22), 0),
      allowed('and back', ask(node('alice-phone'), node('alice-laptop'), 3389), 0),
      denied("not to someone else's node", ask(node('alice-laptop'), node('bob-laptop'), 22)),
      allowed('a user to themselves', ask(user('u-alice'), user('u-alice'), 22), 0),
      denied('a user to another user', ask(user('u-bob'), user('u-alice'), 22)),
      denied('not to their expired node', ask(node('alice-laptop'), node('alice-old'), 22), /alice-old: its key has expired/),
      denied('tagged nodes have no self', ask(node('web-1'), node('web-1'), 22)),
      allowed("a node's tailnet IP stands for the node", ask(ip('100.64.0.1'), node('alice-phone'), 22), 0),
    ],
  },
  {
    title: 'tags',
    policy: `{ ${FIXTURE_TAG_OWNERS}, "acls": [
      { "action": "accept", "src": ["tag:ci"], "dst": ["tag:web:443", "tag:db:5432"] },
      { "action": "accept", "src": ["alice@example.com"], "dst": ["tag:logging:514"] },
      { "action": "accept", "src": ["autogroup:tagged"], "dst": ["tag:web:9100"] },
    ] }`,
    questions: [
      allowed('tag to tag', ask(node('ci-1'), node('web-1'), 443), 0),
      allowed('tag to its other destination', ask(node('ci-1'), node('db-1'), 5432), 0),
      denied('not on another port', ask(node('ci-1'), node('db-1'), 443)),
      denied('a user is not a tag', ask(node('alice-laptop'), node('web-1'), 443)),
      denied('a tag missing from tagOwners matches nothing, and says so', ask(node('alice-laptop'), node('logger-1'), 514), 'no rule matched — acls[1] could apply but fails closed: tag:logging is not defined in tagOwners'),
      allowed('autogroup:tagged', ask(node('db-1'), node('web-1'), 9100), 2),
      allowed('autogroup:tagged includes tags the policy does not define', ask(node('logger-1'), node('web-1'), 9100), 2),
      denied('autogroup:tagged excludes users', ask(node('alice-laptop'), node('web-1'), 9100)),
    ],
  },
  {
    title: 'hosts, IPs and CIDRs, IPv4 and IPv6',
    policy: `{ "hosts": { "printer": "192.168.1.20", "corp": "10.0.0.0/8", "lab6": "fd00:1::/64", "web": "100.64.1.1" },
      "acls": [
        { "action": "accept", "src": ["*"], "dst": ["printer:631"] },
        { "action": "accept", "src": ["corp"], "dst": ["100.64.1.1:443"] },
        { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["[fd7a:115c:a1e0::101]:8443"] },
        { "action": "accept", "src": ["100.64.0.5"], "dst": ["fd7a:115c:a1e0::101:9000"] },
        { "action": "accept", "src": ["alice@example.com"], "dst": ["lab6:*"] },
        { "action": "accept", "src": ["fd7a:115c:a1e0::1/128"], "dst": ["web:22", "100.64.1.0/24:23"] },
      ] }`,
    questions: [
      allowed('a host alias for an address', ask(node('alice-laptop'), ip('192.168.1.20'), 631), 0),
      denied('the address next to it', ask(node('alice-laptop'), ip('192.168.1.21'), 631)),
      allowed('a host alias for a CIDR, as source', ask(ip('10.1.2.3'), node('web-1'), 443), 1),
      denied('an address outside that CIDR', ask(ip('11.1.2.3'), node('web-1'), 443)),
      allowed('a destination given by its IP', ask(ip('10.1.2.3'), ip('100.64.1.1'), 443), 1),
      allowed('a bracketed IPv6 destination', ask(node('alice-laptop'), ip('fd7a:115c:a1e0::101'), 8443), 2),
      allowed('a node matches an IP selector through its IPv6 address', ask(node('alice-laptop'), node('web-1'), 8443), 2),
      denied('but only for the rule\'s sources', ask(node('dave-laptop'), node('web-1'), 8443)),
      allowed('plain IPv6 splits at the last colon', ask(node('dave-laptop'), node('web-1'), 9000), 3),
      allowed("an IP source matches the node holding it", ask(ip('100.64.0.5'), node('web-1'), 9000), 3),
      allowed('an IPv6 CIDR host alias', ask(node('alice-phone'), ip('fd00:1::abcd'), 5000), 4),
      denied('outside the IPv6 CIDR', ask(node('alice-phone'), ip('fd00:2::1'), 5000)),
      allowed('an IPv6 source prefix matches a node by its IPv6 address', ask(node('alice-laptop'), node('web-1'), 22), 5),
      denied('a node without that IPv6 address', ask(node('alice-phone'), node('web-1'), 22)),
      allowed('an IPv4 CIDR destination', ask(node('alice-laptop'), node('db-1'), 23), 5),
      denied('not an address at all', ask(ip('not-an-ip'), node('web-1'), 22), 'source "not-an-ip" is not an IP address'),
    ],
  },
  {
    title: 'port forms',
    policy: `{ ${FIXTURE_TAG_OWNERS}, "acls": [
      { "action": "accept", "src": ["*"], "dst": ["tag:web:22"] },
      { "action": "accept", "src": ["*"], "dst": ["tag:web:80,443"] },
      { "action": "accept", "src": ["*"], "dst": ["tag:web:8000-8099"] },
      { "action": "accept", "src": ["*"], "dst": ["tag:web:3000,5000-5002"] },
      { "action": "accept", "src": ["*"], "dst": ["tag:db:*"] },
      { "action": "accept", "src": ["*"], "dst": ["tag:ci:1024-65535"] },
    ] }`,
    questions: [
      allowed('a single port', ask(node('alice-laptop'), node('web-1'), 22), 0),
      denied('the port after it', ask(node('alice-laptop'), node('web-1'), 23)),
      allowed('the first of a list', ask(node('alice-laptop'), node('web-1'), 80), 1),
      allowed('the last of a list', ask(node('alice-laptop'), node('web-1'), 443), 1),
      denied('between list items', ask(node('alice-laptop'), node('web-1'), 81)),
      allowed('the start of a range', ask(node('alice-laptop'), node('web-1'), 8000), 2),
      allowed('the end of a range', ask(node('alice-laptop'), node('web-1'), 8099), 2),
      denied('just before a range', ask(node('alice-laptop'), node('web-1'), 7999)),
      denied('just after a range', ask(node('alice-laptop'), node('web-1'), 8100)),
      allowed('a port of a mixed list', ask(node('alice-laptop'), node('web-1'), 3000), 3),
      allowed('a range of a mixed list', ask(node('alice-laptop'), node('web-1'), 5001), 3),
      denied('past the mixed range', ask(node('alice-laptop'), node('web-1'), 5003)),
      allowed('* covers port 0', ask(node('alice-laptop'), node('db-1'), 0), 4),
      allowed('* covers port 65535', ask(node('alice-laptop'), node('db-1'), 65535), 4),
      denied('below a wide range', ask(node('alice-laptop'), node('ci-1'), 1023)),
      allowed('the start of a wide range', ask(node('alice-laptop'), node('ci-1'), 1024), 5),
      allowed('the end of a wide range', ask(node('alice-laptop'), node('ci-1'), 65535), 5),
    ],
  },
  {
    title: 'protocols',
    policy: `{ ${FIXTURE_TAG_OWNERS}, "acls": [
      { "action": "accept", "src": ["*"], "proto": "udp", "dst": ["tag:web:53"] },
      { "action": "accept", "src": ["*"], "proto": "icmp", "dst": ["tag:db:*"] },
      { "action": "accept", "src": ["*"], "dst": ["tag:ci:443"] },
      { "action": "accept", "src": ["*"], "proto": "17", "dst": ["tag:ci:5353"] },
    ] }`,
    questions: [
      denied('a question without proto is TCP', ask(node('alice-laptop'), node('web-1'), 53)),
      allowed('udp by name', ask(node('alice-laptop'), node('web-1'), 53, 'udp'), 0),
      allowed('udp by number', ask(node('alice-laptop'), node('web-1'), 53, 17), 0),
      denied('icmp is not udp', ask(node('alice-laptop'), node('web-1'), 0, 'icmp')),
      allowed('icmp ignores the port', ask(node('alice-laptop'), node('db-1'), 0, 'icmp'), 1),
      denied('tcp where only icmp is allowed', ask(node('alice-laptop'), node('db-1'), 22)),
      allowed('no proto: tcp', ask(node('alice-laptop'), node('ci-1'), 443), 2),
      allowed('no proto: udp', ask(node('alice-laptop'), node('ci-1'), 443, 'UDP'), 2),
      allowed('no proto: icmp, whatever the port', ask(node('alice-laptop'), node('ci-1'), 7, 'icmp'), 2),
      allowed('no proto: ICMPv6', ask(node('alice-laptop'), node('ci-1'), 0, 'ipv6-icmp'), 2),
      denied('no proto: not gre', ask(node('alice-laptop'), node('ci-1'), 0, 'gre')),
      denied('no proto: not sctp', ask(node('alice-laptop'), node('ci-1'), 443, 'sctp')),
      allowed('a numeric proto in the policy', ask(node('alice-laptop'), node('ci-1'), 5353, 'udp'), 3),
      denied('that is not tcp', ask(node('alice-laptop'), node('ci-1'), 5353)),
    ],
  },
  {
    title: 'several rules accept: the lowest index is reported',
    policy: `{ ${FIXTURE_TAG_OWNERS}, "acls": [
      { "action": "accept", "src": ["bob@example.com"], "dst": ["tag:web:443"] },
      { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["tag:web:443"] },
      { "action": "accept", "src": ["*"], "dst": ["tag:web:*"] },
    ] }`,
    questions: [
      allowed('bob: rule 0', ask(node('bob-laptop'), node('web-1'), 443), 0),
      allowed('alice: rule 1', ask(node('alice-laptop'), node('web-1'), 443), 1),
      allowed('dave: rule 2', ask(node('dave-laptop'), node('web-1'), 443), 2),
    ],
  },
  {
    title: 'unknown references fail closed while the rest of the policy keeps applying',
    policy: `{ "groups": { "group:admins": ["alice@example.com"] }, ${FIXTURE_TAG_OWNERS}, "acls": [
      { "action": "accept", "src": ["group:eng-old@example.com"], "dst": ["tag:web:443"] },
      { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["tag:db:5432"] },
      { "action": "accept", "src": ["group:engineering@other.org"], "dst": ["tag:ci:22"] },
      { "action": "accept", "src": ["group:missing", "group:admins"], "dst": ["tag:web:80"] },
      { "action": "accept", "src": ["bob@example.com"], "dst": ["nowhere:22"] },
    ] }`,
    questions: [
      denied('an unknown synced group', ask(node('alice-laptop'), node('web-1'), 443), 'no rule matched — acls[0] could apply but fails closed: group:eng-old@example.com matches no group synced from the identity provider'),
      allowed('the rule next to it still applies', ask(node('alice-laptop'), node('db-1'), 5432), 1),
      denied("another tailnet's domain", ask(node('alice-laptop'), node('ci-1'), 22), /acls\[2\] could apply but fails closed: group:engineering@other.org names the domain other.org, but this tailnet's identity domain is example.com/),
      allowed('an unknown group beside a known one: the known one still matches', ask(node('alice-laptop'), node('web-1'), 80), 3),
      denied('and a non-member is told about the unknown one', ask(node('bob-laptop'), node('web-1'), 80), /acls\[3\] could apply but fails closed: group:missing is not defined in groups/),
      denied('an unknown host', ask(node('bob-laptop'), ip('100.64.1.1'), 22), /acls\[4\] could apply but fails closed: host "nowhere" is not defined in hosts/),
      denied('a tagged source is never blamed on a group', ask(node('ci-1'), node('web-1'), 443), 'no rule matched'),
    ],
  },
];

describe.each(POLICIES)('check: $title', ({ policy, questions }) => {
  const evaluator = compiled(policy);
  it.each(questions)('$title', ({ ask: question, allowed: isAllowed, ruleIndex, reason }) => {
    const result = evaluator.check(question);
    expect(result.allowed).toBe(isAllowed);
    expect(result.ruleIndex).toBe(ruleIndex);
    if (typeof reason === 'string') expect(result.reason).toBe(reason);
    if (reason instanceof RegExp) expect(result.reason).toMatch(reason);
  });
});

describe('status', () => {
  it('lists every reference that resolves to nothing, with its rule and place', () => {
    const evaluator = compiled(POLICIES.find((policy) => policy.title.startsWith('unknown references'))!.policy);
    expect(evaluator.status()).toEqual({
      mode: 'rules',
      unresolved: [
        expect.objectContaining({ reference: 'group:eng-old@example.com', kind: 'synced-group', ruleIndex: 0, place: 'acls[0].src[0]', line: 6 }),
        expect.objectContaining({ reference: 'group:engineering@other.org', kind: 'synced-group', ruleIndex: 2, place: 'acls[2].src[0]' }),
        expect.objectContaining({ reference: 'group:missing', kind: 'policy-group', ruleIndex: 3, place: 'acls[3].src[0]' }),
        expect.objectContaining({ reference: 'nowhere:22', kind: 'host', ruleIndex: 4, place: 'acls[4].dst[0]' }),
      ],
    });
  });

  it('lists unknown owners in tagOwners too', () => {
    const evaluator = compiled('{ "tagOwners": { "tag:web": ["group:gone@example.com"] }, "acls": [] }');
    expect(evaluator.status().unresolved).toEqual([
      expect.objectContaining({ reference: 'group:gone@example.com', place: 'tagOwners["tag:web"][0]', ruleIndex: undefined }),
    ]);
  });

  it('reports the mode', () => {
    expect(compiled('{}').status()).toEqual({ mode: 'allow-all', unresolved: [] });
    expect(compiled('{ "acls": [] }').status().mode).toBe('deny-all');
  });
});

describe('mayApplyTags: tag owners are checked when tags are set', () => {
  const evaluator = compiled(`{ ${FIXTURE_TAG_OWNERS} }`);

  it('lets an owner through a synced group and by login', () => {
    expect(evaluator.mayApplyTags({ user: 'u-alice' }, ['tag:web', 'tag:db'])).toEqual({ allowed: true, refused: [] });
  });

  it('refuses the tags the requester does not own', () => {
    expect(evaluator.mayApplyTags({ user: 'u-bob' }, ['tag:web', 'tag:db'])).toEqual({
      allowed: false,
      refused: [{ tag: 'tag:db', reason: 'not an owner of tag:db' }],
    });
  });

  it('lets a tagged node apply the tags its tags own', () => {
    expect(evaluator.mayApplyTags({ node: 'web-1' }, ['tag:ci'])).toEqual({ allowed: true, refused: [] });
    expect(evaluator.mayApplyTags({ node: 'db-1' }, ['tag:ci']).allowed).toBe(false);
  });

  it('refuses tags the policy does not define, and suspended users', () => {
    expect(evaluator.mayApplyTags({ user: 'u-alice' }, ['tag:logging']).refused).toEqual([
      { tag: 'tag:logging', reason: 'tag:logging is not defined in tagOwners' },
    ]);
    expect(evaluator.mayApplyTags({ user: 'u-carol' }, ['tag:web']).refused).toEqual([
      { tag: 'tag:web', reason: 'requesting user carol@example.com is suspended' },
    ]);
  });
});
