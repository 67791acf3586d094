import { describe, expect, it } from 'vitest';
import { parseDestination } from './destination.js';
import { parseSelector, selectorText, type SelectorRole } from './selector.js';

describe('parseSelector', () => {
  it.each([
    ['*', { kind: 'any' }],
    ['Alice@Example.com', { kind: 'user', email: 'alice@example.com' }],
    ['alice@github', { kind: 'user', email: 'alice@github' }],
    ['group:eng', { kind: 'policy-group', name: 'group:eng' }],
    ['group:Sales Team@Example.com', { kind: 'synced-group', name: 'sales team', domain: 'example.com' }],
    ['autogroup:member', { kind: 'autogroup', name: 'member' }],
    ['autogroup:members', { kind: 'autogroup', name: 'member' }],
    ['autogroup:tagged', { kind: 'autogroup', name: 'tagged' }],
    ['tag:web-1', { kind: 'tag', name: 'tag:web-1' }],
    ['printer', { kind: 'host', name: 'printer' }],
    ['db.internal', { kind: 'host', name: 'db.internal' }],
  ])('reads %s', (text, selector) => {
    expect(parseSelector(text, 'src')).toEqual({ ok: true, selector });
  });

  it.each([
    ['100.64.0.1', '100.64.0.1', 32],
    ['10.1.2.3/8', '10.0.0.0/8', 8],
    ['0.0.0.0/0', '0.0.0.0/0', 0],
    ['fd7a:115c:a1e0:0:0:0:0:1', 'fd7a:115c:a1e0::1', 128],
    ['fd7a:115c:a1e0::/48', 'fd7a:115c:a1e0::/48', 48],
  ])('reads the address %s as %s', (text, canonical, bits) => {
    expect(parseSelector(text, 'src')).toEqual({ ok: true, selector: { kind: 'address', prefix: expect.objectContaining({ text: canonical, bits }) } });
  });

  it.each<[string, SelectorRole, string]>([
    ['autogroup:self', 'src', 'autogroup:self is only allowed in dst'],
    ['*', 'group-member', 'group members are user logins'],
    ['tag:web', 'group-member', 'group members are user logins'],
    ['group:eng', 'group-member', 'nested groups are not allowed: list the users themselves'],
    ['autogroup:tagged', 'tag-owner', 'tag owners are users, groups, autogroup:member or tags'],
    ['*', 'test-src', 'a test names one user, tag, host or IP address'],
    ['10.0.0.0/8', 'test-dst', 'a test names a single address, not a range'],
    ['group:', 'src', 'group names cannot be empty or contain spaces'],
    ['group:my team', 'src', 'group names cannot be empty or contain spaces'],
    ['group:@example.com', 'src', 'a synced group is written group:<name>@<domain>'],
    ['al ice@example.com', 'src', 'not a user login (name@domain)'],
    ['300.1.1.1', 'src', 'not a user, group, tag, autogroup, host, IP address or CIDR'],
    ['10.0.0.0/33', 'src', 'not a user, group, tag, autogroup, host, IP address or CIDR'],
  ])('rejects %s in %s', (text, role, problem) => {
    expect(parseSelector(text, role)).toEqual({ ok: false, problem });
  });

  it('writes synced groups back in their lowercased form', () => {
    const parsed = parseSelector('group:Sales Team@Example.com', 'src');
    expect(parsed.ok && selectorText(parsed.selector)).toBe('group:sales team@example.com');
  });
});

describe('parseDestination', () => {
  it.each([
    ['tag:web:443', 'tag:web', [{ first: 443, last: 443 }]],
    ['*:*', '*', [{ first: 0, last: 65535 }]],
    ['autogroup:self:22,80', 'autogroup:self', [{ first: 22, last: 22 }, { first: 80, last: 80 }]],
    ['group:sales team@example.com:1000-2000', 'group:sales team@example.com', [{ first: 1000, last: 2000 }]],
    ['alice@example.com:22', 'alice@example.com', [{ first: 22, last: 22 }]],
    ['100.64.0.0/10:443', '100.64.0.0/10', [{ first: 443, last: 443 }]],
    ['[fd7a::1]:443', 'fd7a::1', [{ first: 443, last: 443 }]],
    ['fd7a::1:443', 'fd7a::1', [{ first: 443, last: 443 }]],
    ['[fd7a::/48]:*', 'fd7a::/48', [{ first: 0, last: 65535 }]],
  ])('splits %s at the last colon', (text, alias, ports) => {
    const parsed = parseDestination(text, 'dst');
    expect(parsed.ok && { alias: selectorText(parsed.destination.selector), ports: parsed.destination.ports }).toEqual({ alias, ports });
  });

  it.each([
    ['tag:web', 'a destination is written alias:ports'],
    ['alice@example.com', 'a destination is written alias:ports'],
    ['[fd7a::1:443', 'brackets enclose an IPv6 address or CIDR only'],
    ['[printer]:631', 'brackets enclose an IPv6 address or CIDR only'],
    ['web:99999', 'port out of range'],
  ])('rejects %s', (text, problem) => {
    expect(parseDestination(text, 'dst')).toEqual({ ok: false, problem });
  });
});
