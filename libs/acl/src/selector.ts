import { isSingleAddress, parseIpPrefix, type IpPrefix } from './ip-address.js';

export type AutogroupName = 'member' | 'self' | 'tagged';

/** One entry of a `src`, `dst`, group, tag-owner or test list, as the policy author wrote it. */
export type Selector =
  | { readonly kind: 'any' }
  | { readonly kind: 'user'; readonly email: string }
  /** A group defined in the policy file's `groups` section; `name` keeps its `group:` prefix. */
  | { readonly kind: 'policy-group'; readonly name: string }
  /** A group pushed by the identity provider: `group:<name>@<domain>`, both parts lowercased. */
  | { readonly kind: 'synced-group'; readonly name: string; readonly domain: string }
  | { readonly kind: 'autogroup'; readonly name: AutogroupName }
  /** `name` keeps its `tag:` prefix, as nodes carry it. */
  | { readonly kind: 'tag'; readonly name: string }
  | { readonly kind: 'host'; readonly name: string }
  | { readonly kind: 'address'; readonly prefix: IpPrefix };

/** Where a selector appears decides which kinds it may be. */
export type SelectorRole = 'src' | 'dst' | 'group-member' | 'tag-owner' | 'test-src' | 'test-dst';

export type SelectorParse = { ok: true; selector: Selector } | { ok: false; problem: string };

const TAG_NAME = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const POLICY_GROUP_NAME = /^group:[^\s@]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** `autogroup:members` is the name Tailscale used before `autogroup:member`; old policies still say it. */
const AUTOGROUPS: ReadonlyMap<string, AutogroupName> = new Map([
  ['autogroup:member', 'member'],
  ['autogroup:members', 'member'],
  ['autogroup:self', 'self'],
  ['autogroup:tagged', 'tagged'],
]);

const ALLOWED_KINDS: Readonly<Record<SelectorRole, ReadonlySet<string>>> = {
  src: new Set(['any', 'user', 'policy-group', 'synced-group', 'autogroup:member', 'autogroup:tagged', 'tag', 'host', 'address']),
  dst: new Set(['any', 'user', 'policy-group', 'synced-group', 'autogroup:member', 'autogroup:tagged', 'autogroup:self', 'tag', 'host', 'address']),
  'group-member': new Set(['user']),
  'tag-owner': new Set(['user', 'policy-group', 'synced-group', 'autogroup:member', 'tag']),
  'test-src': new Set(['user', 'tag', 'host', 'address']),
  'test-dst': new Set(['user', 'tag', 'host', 'address']),
};

export function parseSelector(text: string, role: SelectorRole): SelectorParse {
  const parsed = parseAnySelector(text);
  if (!parsed.ok) return parsed;
  const kind = kindKey(parsed.selector);
  if (!ALLOWED_KINDS[role].has(kind)) return { ok: false, problem: roleProblem(kind, role) };
  if (role.startsWith('test-') && parsed.selector.kind === 'address' && !isSingleAddress(parsed.selector.prefix)) {
    return { ok: false, problem: 'a test names a single address, not a range' };
  }
  return parsed;
}

/** How the selector reads in the policy file (synced groups in their lowercased form). */
export function selectorText(selector: Selector): string {
  switch (selector.kind) {
    case 'any':
      return '*';
    case 'user':
      return selector.email;
    case 'policy-group':
    case 'tag':
    case 'host':
      return selector.name;
    case 'synced-group':
      return `group:${selector.name}@${selector.domain}`;
    case 'autogroup':
      return `autogroup:${selector.name}`;
    case 'address':
      return selector.prefix.text;
  }
}

function parseAnySelector(text: string): SelectorParse {
  if (text === '*') return { ok: true, selector: { kind: 'any' } };
  if (text.startsWith('group:')) return parseGroup(text);
  if (text.startsWith('tag:')) {
    if (!TAG_NAME.test(text)) return { ok: false, problem: 'tag names start with a letter and contain only letters, digits and dashes' };
    return { ok: true, selector: { kind: 'tag', name: text } };
  }
  if (text.startsWith('autogroup:')) {
    const name = AUTOGROUPS.get(text);
    if (name === undefined) return { ok: false, problem: 'unknown autogroup (supported: autogroup:member, autogroup:self, autogroup:tagged)' };
    return { ok: true, selector: { kind: 'autogroup', name } };
  }
  if (text.includes('@')) {
    if (!EMAIL.test(text)) return { ok: false, problem: 'not a user login (name@domain)' };
    return { ok: true, selector: { kind: 'user', email: text.toLowerCase() } };
  }
  const prefix = parseIpPrefix(text);
  if (prefix !== undefined) return { ok: true, selector: { kind: 'address', prefix } };
  if (HOST_NAME.test(text) && !/^[\d.]+$/.test(text)) return { ok: true, selector: { kind: 'host', name: text } };
  return { ok: false, problem: 'not a user, group, tag, autogroup, host, IP address or CIDR' };
}

function parseGroup(text: string): SelectorParse {
  const at = text.indexOf('@');
  if (at === -1) {
    if (!POLICY_GROUP_NAME.test(text)) return { ok: false, problem: 'group names cannot be empty or contain spaces' };
    return { ok: true, selector: { kind: 'policy-group', name: text } };
  }
  if (text.indexOf('@', at + 1) !== -1) {
    return { ok: false, problem: 'synced group names cannot contain @ (the only @ separates the name from the domain)' };
  }
  const name = text.slice('group:'.length, at).toLowerCase();
  const domain = text.slice(at + 1).toLowerCase();
  if (name.trim() === '' || domain === '') return { ok: false, problem: 'a synced group is written group:<name>@<domain>' };
  return { ok: true, selector: { kind: 'synced-group', name, domain } };
}

function kindKey(selector: Selector): string {
  return selector.kind === 'autogroup' ? `autogroup:${selector.name}` : selector.kind;
}

function roleProblem(kind: string, role: SelectorRole): string {
  if (role === 'group-member') {
    return kind.endsWith('group') ? 'nested groups are not allowed: list the users themselves' : 'group members are user logins';
  }
  if (kind === 'autogroup:self') return 'autogroup:self is only allowed in dst';
  if (role === 'test-src' || role === 'test-dst') return 'a test names one user, tag, host or IP address';
  if (role === 'tag-owner') return 'tag owners are users, groups, autogroup:member or tags';
  return `${kind} is not allowed in ${role}`;
}
