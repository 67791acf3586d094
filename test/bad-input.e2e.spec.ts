import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oktaUser, seededRandom, type ScimClient, type Stack } from '#roster/testkit';
import { startStack } from './support/stack.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const REQUESTS_PER_KIND = 150;

type Random = () => number;
type Sent = { method: string; path: string; body?: unknown; headers?: Record<string, string> };

/**
 * Requests no IdP should send but a broken connector, a proxy or an attacker will: seeded, so a failure repeats.
 * Whatever arrives, the gateway must answer a SCIM error or a success, never a 5xx, and a refused write must
 * leave the resource as it was (RFC 7644 §3.5.2: a PATCH is applied whole or not at all).
 */
describe('bad input, at random', () => {
  let stack: Stack;
  let scim: ScimClient;
  let token: string;
  let userId: string;
  let groupId: string;

  beforeAll(async () => {
    stack = await startStack('bad_input', { SCIM_RATE_LIMIT_PER_SECOND: '100000', SCIM_RATE_LIMIT_BURST: '100000' });
    ({ scim, token } = await stack.createTailnet('bad-input'));
    userId = (await scim.post('/Users', oktaUser('fuzz.target@example.com'))).body.id;
    groupId = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Fuzz Target', members: [{ value: userId }] })).body.id;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const kinds: Record<string, (random: Random) => Sent> = {
    'a body that is not a SCIM resource': (random) => ({
      method: pick(random, ['POST', 'PUT', 'PATCH']),
      path: pick(random, ['/Users', `/Users/${userId}`, '/Groups', `/Groups/${groupId}`]),
      body: pick(random, RAW_BODIES),
    }),
    'a user with one attribute of the wrong shape': (random) => ({
      method: pick(random, ['POST', 'PUT']),
      path: pick(random, ['/Users', `/Users/${userId}`]),
      body: withWrongShape(random, { ...oktaUser('fuzz.target@example.com'), [ENTERPRISE]: { manager: { value: userId } } }),
    }),
    'a PATCH of a user with odd operations': (random) => ({ method: 'PATCH', path: `/Users/${userId}`, body: oddPatch(random, USER_PATHS) }),
    'a PATCH of a group with odd operations': (random) => ({ method: 'PATCH', path: `/Groups/${groupId}`, body: oddPatch(random, GROUP_PATHS) }),
    'a group with members of the wrong shape': (random) => ({
      method: pick(random, ['POST', 'PUT']),
      path: pick(random, ['/Groups', `/Groups/${groupId}`]),
      body: withWrongShape(random, { schemas: [GROUP], displayName: 'Fuzz Target', members: [{ value: userId }] }),
    }),
    'a filter that is not quite one': (random) => ({
      method: 'GET',
      path: `${pick(random, ['/Users', '/Groups'])}?filter=${encodeURIComponent(oddFilter(random))}`,
    }),
    'odd list parameters': (random) => ({ method: 'GET', path: `${pick(random, ['/Users', '/Groups'])}?${oddQuery(random)}` }),
    'odd ids and headers': (random) => ({
      method: pick(random, ['GET', 'PUT', 'PATCH', 'DELETE']),
      path: `${pick(random, ['/Users/', '/Groups/'])}${pick(random, ODD_IDS)}`,
      body: pick(random, [undefined, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'x' }] }]),
      headers: { 'if-match': pick(random, ODD_ETAGS), 'content-type': pick(random, ODD_CONTENT_TYPES) },
    }),
  };

  for (const [kind, generate] of Object.entries(kinds)) {
    it(`answers ${kind} with a SCIM error or a success, and a refused write changes nothing`, async () => {
      const random = seededRandom(hash(kind));
      const failures: string[] = [];
      for (let attempt = 0; attempt < REQUESTS_PER_KIND; attempt++) {
        const sent = generate(random);
        const writes = sent.method !== 'GET';
        const before = writes ? await snapshot() : undefined;
        const { status, text } = await send(sent);
        const shown = `${sent.method} ${sent.path.slice(0, 200)} ${JSON.stringify(sent.body)?.slice(0, 300)} ${JSON.stringify(sent.headers ?? {})} → ${status} ${text.slice(0, 300)}`;
        if (status >= 500) failures.push(shown);
        if (status >= 400 && status < 500 && !isScimError(text, status)) failures.push(`not a SCIM error: ${shown}`);
        if (writes && status >= 400 && (await snapshot()) !== before) failures.push(`changed by a refused write: ${shown}`);
        if (writes && status < 400) await restore();
      }
      expect(failures).toEqual([]);
    });
  }

  /** The target user and group as stored, meta.version included: any write shows. */
  async function snapshot(): Promise<string> {
    const [user, group] = await Promise.all([scim.get(`/Users/${userId}`), scim.get(`/Groups/${groupId}`)]);
    return JSON.stringify([user.status, user.body, group.status, group.body]);
  }

  /** Puts the targets back after a request that was accepted, so that later requests meet them as they were. */
  async function restore(): Promise<void> {
    if ((await scim.get(`/Users/${userId}`)).status === 404) {
      userId = (await scim.post('/Users', oktaUser(`fuzz.target.${Date.now()}@example.com`))).body.id;
    }
    const group = { schemas: [GROUP], displayName: 'Fuzz Target', members: [{ value: userId }] };
    if ((await scim.request('PUT', `/Groups/${groupId}`, group)).status === 404) groupId = (await scim.post('/Groups', group)).body.id;
  }

  async function send({ method, path, body, headers = {} }: Sent): Promise<{ status: number; text: string }> {
    const response = await fetch(`${scim.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', ...headers },
      body: body === undefined || method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }
});

function isScimError(text: string, status: number): boolean {
  try {
    const body = JSON.parse(text) as { schemas?: unknown; status?: unknown };
    return Array.isArray(body.schemas) && body.schemas.includes(ERROR) && body.status === String(status);
  } catch {
    return false;
  }
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function hash(text: string): number {
  let value = 2_166_136_261;
  for (const char of text) value = Math.imul(value ^ char.charCodeAt(0), 16_777_619);
  return value >>> 0;
}

const RAW_BODIES: unknown[] = [
  '',
  '{',
  'null',
  '[]',
  '"user"',
  '123',
  'true',
  '{"schemas":',
  '{"userName": "a@example.com",}',
  `${'['.repeat(3_000)}${']'.repeat(3_000)}`,
  `${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}`,
  '{"userName": "\\ud800@example.com", "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]}',
  '{"userName": 1e999}',
  '{"__proto__": {"admin": true}, "userName": "proto@example.com"}',
  '{"constructor": {"prototype": {"admin": true}}}',
  {},
  { schemas: 'urn:ietf:params:scim:schemas:core:2.0:User' },
  { schemas: [null], userName: 'a@example.com' },
  { schemas: [PATCH_OP] },
  { schemas: [PATCH_OP], Operations: {} },
  { schemas: [PATCH_OP], Operations: [null] },
  { schemas: [PATCH_OP], Operations: 'replace' },
  { Operations: [{ op: 'replace', value: {} }] },
];

/** Values of every JSON type and a few that stretch them. */
const ODD_VALUES: unknown[] = [
  null,
  true,
  'False',
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER * 10,
  '',
  ' ',
  'x'.repeat(5_000),
  '\u0000',
  'a@b',
  '@',
  'not-an-email',
  [],
  [null],
  [{}],
  [{ value: null }],
  [{ value: 5 }],
  [{ value: 'not-a-user' }],
  {},
  { value: {} },
  { '': 1 },
  { 'name.givenName': 'Dotted' },
  { [ENTERPRISE]: 'not an object' },
  { [`${ENTERPRISE}:manager`]: 5 },
];

/** A copy of `resource` with one attribute, or one sub-attribute, replaced by a value of another shape. */
function withWrongShape(random: Random, resource: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(resource) as Record<string, any>;
  const keys = [...Object.keys(copy), 'id', 'meta', 'groups', 'members', 'emails', 'name', 'phoneNumbers', 'addresses', 'roles'];
  const key = pick(random, keys);
  if (random() < 0.5 || copy[key] === null || typeof copy[key] !== 'object') {
    copy[key] = pick(random, ODD_VALUES);
  } else {
    const inner = Array.isArray(copy[key]) ? (copy[key][0] ?? {}) : copy[key];
    if (inner && typeof inner === 'object') inner[pick(random, [...Object.keys(inner), 'value', 'type', 'primary', '$ref'])] = pick(random, ODD_VALUES);
  }
  return copy;
}

const USER_PATHS = [
  undefined,
  '',
  'userName',
  'USERNAME',
  'active',
  'name.givenName',
  'name',
  'name.nonsense',
  'emails',
  'emails[type eq "work"].value',
  'emails[type eq "work" and primary eq true]',
  'emails[type eq "work"]',
  'emails[value eq "nobody@example.com"]',
  'emails[',
  'emails[type eq]',
  'emails[type eq "work"].',
  'emails].value',
  'addresses[type eq "work"].streetAddress',
  'phoneNumbers[type eq "mobile"].value',
  `${ENTERPRISE}:manager`,
  `${ENTERPRISE}:manager.value`,
  `${ENTERPRISE}:employeeNumber`,
  `${ENTERPRISE}:nonsense`,
  'urn:nonsense:attribute',
  'id',
  'meta.version',
  'groups',
  'members',
  'a..b',
  '.',
  '[]',
  'x'.repeat(2_000),
];

const GROUP_PATHS = [
  undefined,
  '',
  'members',
  'MEMBERS',
  'displayName',
  'externalId',
  'members[value eq "not-a-user"]',
  'members[value eq 5]',
  'members[value pr]',
  'members[type eq "User"]',
  'members[value eq "x"].value',
  'members[',
  'members]',
  'members.value',
  'id',
  'meta',
  'owners',
];

function oddPatch(random: Random, paths: readonly (string | undefined)[]): unknown {
  const operations = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
    const operation: Record<string, unknown> = {
      op: pick(random, ['add', 'Add', 'ADD', 'replace', 'Replace', 'remove', 'Remove', 'copy', 'move', '', null, 5]),
      value: pick(random, ODD_VALUES),
    };
    const path = pick(random, paths);
    if (path !== undefined) operation.path = path;
    if (random() < 0.2) delete operation.value;
    return operation;
  });
  return { schemas: pick(random, [[PATCH_OP], [PATCH_OP], [PATCH_OP], [], ['urn:nonsense'], undefined]), Operations: operations };
}

const FILTER_PIECES = [
  'userName',
  'displayName',
  'externalId',
  'emails',
  'emails[type eq "work"]',
  'emails[type eq "work"].value',
  'members[value eq "x"]',
  'name.givenName',
  'meta.lastModified',
  'meta.created',
  `${ENTERPRISE}:employeeNumber`,
  'nonsense',
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'pr',
  'gt',
  'ge',
  'lt',
  'le',
  'EQ',
  'and',
  'or',
  'not',
  '(',
  ')',
  '[',
  ']',
  '"x"',
  '"a@example.com"',
  '"2020-01-01T00:00:00Z"',
  '"not a date"',
  'true',
  'false',
  'null',
  '5',
  '-1.5e3',
  '"',
  '\\',
  "'",
  '%',
  '_',
];

function oddFilter(random: Random): string {
  const length = 1 + Math.floor(random() * 7);
  return Array.from({ length }, () => pick(random, FILTER_PIECES)).join(random() < 0.8 ? ' ' : '');
}

function oddQuery(random: Random): string {
  const values = ['', '-1', '0', '1', '1e3', 'abc', '99999999999999999999', '1.5', 'true', 'userName', 'name.givenName', 'emails.value', 'members', 'nonsense', 'ascending', 'descending', '%00'];
  const names = ['startIndex', 'count', 'sortBy', 'sortOrder', 'attributes', 'excludedAttributes', 'filter', 'unknown'];
  const length = 1 + Math.floor(random() * 4);
  return Array.from({ length }, () => `${pick(random, names)}=${encodeURIComponent(pick(random, values))}`).join('&');
}

const ODD_IDS = ['not-a-uuid', '%zz', '%E0%A4%A', '00000000-0000-0000-0000-000000000000', '%00', '..%2F..', 'x'.repeat(3_000), 'ID', '123', '%E2%82%AC', ''];
const ODD_ETAGS = ['*', 'W/"abc"', '"1"', 'W/"1"', 'W/"99999999999999999999"', 'W/"-1"', '"', 'W/', ''];
const ODD_CONTENT_TYPES = ['application/scim+json', 'application/json', 'text/plain', 'application/xml', 'application/scim+json; charset=latin1', 'multipart/form-data'];
