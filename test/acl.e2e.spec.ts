import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oktaUser, ScimClient, Stack } from '#roster/testkit';

/** An API's JSON answer: its shape is what the assertions check. */
type Json = any;

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

type Tailnet = Awaited<ReturnType<Stack['createTailnet']>>;

/** The policy a rule on the pushed group allows access to a host with, plus a test that documents the intent. */
const POLICY = `// Engineering reaches the build host over SSH.
{
  "hosts": { "build": "10.20.0.5" },
  "acls": [
    { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["build:22"] },
    { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["10.20.0.6:443"] },
  ],
  "tests": [
    { "src": "alice@example.com", "accept": ["build:22"], "deny": ["build:80"] },
  ],
}
`;

describe('ACL projector: policy on synced groups, fail closed, answered from memory', () => {
  let stack: Stack;
  let tailnet: Tailnet;
  let okta: ScimClient;
  let groupId: string;
  const users: Record<string, string> = {};

  const adminFetch = (path: string, init: RequestInit = {}, key = tailnet.adminApiKey, base = stack.gatewayUrl) =>
    fetch(`${base}/api/v2/tailnet/${tailnet.tailnetId}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) } });
  const postPolicy = (text: string, headers: Record<string, string> = {}, path = '/acl') =>
    adminFetch(path, { method: 'POST', body: text, headers: { 'content-type': 'application/hujson', ...headers } });
  const check = async (src: string, dst: string, port: number, key = tailnet.adminApiKey) => {
    const response = await adminFetch(`/acl/check?src=${encodeURIComponent(src)}&dst=${encodeURIComponent(dst)}&port=${port}`, {}, key, stack.serviceUrl('acl-projector'));
    return { status: response.status, body: (await response.json()) as Json };
  };
  const status = async () => (await adminFetch('/acl/status', {}, tailnet.adminApiKey, stack.serviceUrl('acl-projector'))).json() as Promise<Json>;
  const until = async <T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    stack = await Stack.start('e2e_acl', { databaseUrl: inject('databaseUrl'), brokers: inject('kafkaBrokers') }, {}, [
      'scim-gateway',
      'directory-projector',
      'acl-projector',
    ]);
    tailnet = await stack.createTailnet('acl', 'example.com');
    okta = new ScimClient(tailnet.scimUrl, tailnet.token, 'Okta SCIM Client 1.0.0');
    for (const name of ['alice', 'bob', 'carol']) users[name] = (await okta.post('/Users', oktaUser(`${name}@example.com`))).body.id;
    // Okta Group Push: push the empty group, then add its members with the read-only id in the body.
    const pushed = await okta.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [] });
    expect(pushed.status).toBe(201);
    groupId = pushed.body.id;
    const added = await okta.request(
      'PATCH',
      `/Groups/${groupId}`,
      patch({ op: 'add', path: 'members', value: [{ value: users.alice, display: 'alice@example.com' }, { value: users.bob, display: 'bob@example.com' }] }),
    );
    expect([200, 204]).toContain(added.status);
    await stack.waitUntilApplied('acl');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves the default policy, then accepts a HuJSON policy on the pushed group verbatim, with ETag and If-Match', async () => {
    const initial = await adminFetch('/acl');
    expect(initial.status).toBe(200);
    const etag = initial.headers.get('etag')!;
    expect(await initial.text()).toContain('"acls"');

    const saved = await postPolicy(POLICY, { 'if-match': etag });
    expect(saved.status).toBe(200);
    const newEtag = saved.headers.get('etag');
    expect(newEtag).not.toBe(etag);

    const read = await adminFetch('/acl');
    expect(await read.text()).toBe(POLICY);
    expect(read.headers.get('etag')).toBe(newEtag);
    const asJson = await adminFetch('/acl', { headers: { accept: 'application/json' } });
    expect(((await asJson.json()) as Json).hosts).toEqual({ build: '10.20.0.5' });

    const stale = await postPolicy(POLICY.replace('443', '8443'), { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect((await adminFetch('/acl').then((r) => r.text()))).toBe(POLICY);

    // application/json and text/plain bodies are policy text too.
    expect((await postPolicy(POLICY, { 'content-type': 'text/plain' })).status).toBe(200);
    expect((await postPolicy(POLICY, { 'content-type': 'application/json' })).status).toBe(200);
    const log = await stack.waitForLog((events) => events.filter((e) => e.type === 'PolicyUpdated').length >= 3);
    const updates = log.filter((e) => e.type === 'PolicyUpdated');
    expect(updates.map((e) => [e.aggregateType, e.aggregateId, e.aggregateVersion, e.data.policy])).toEqual([
      ['Policy', tailnet.tailnetId, 1, POLICY],
      ['Policy', tailnet.tailnetId, 2, POLICY],
      ['Policy', tailnet.tailnetId, 3, POLICY],
    ]);
  });

  it('answers checks from the policy: the group reaches the host, others do not', async () => {
    const alice = await until(() => check('alice@example.com', '10.20.0.5', 22), (r) => r.body.allowed === true);
    expect(alice).toEqual({ status: 200, body: { allowed: true, rule: 0, reason: 'acls[0] accepts' } });
    expect((await check('bob@example.com', '10.20.0.6', 443)).body).toMatchObject({ allowed: true, rule: 1 });
    expect((await check('carol@example.com', '10.20.0.5', 22)).body).toMatchObject({ allowed: false, rule: null });
    expect((await check('alice@example.com', '10.20.0.5', 80)).body).toMatchObject({ allowed: false, rule: null });
    expect((await check('alice@example.com', '10.20.0.5', 'x' as unknown as number)).status).toBe(400);
    const unroutable = await adminFetch('/devices/%zz/packet-filter', {}, tailnet.adminApiKey, stack.serviceUrl('acl-projector'));
    expect([unroutable.status, await unroutable.json()]).toEqual([400, { message: 'the URL path is not validly percent-encoded' }]);
  });

  it('denies a member removed through SCIM within a second', async () => {
    expect((await check('bob@example.com', '10.20.0.5', 22)).body.allowed).toBe(true);
    const removed = await okta.request('PATCH', `/Groups/${groupId}`, patch({ op: 'remove', path: `members[value eq "${users.bob}"]` }));
    expect([200, 204]).toContain(removed.status);
    const after = performance.now();
    const denied = await until(() => check('bob@example.com', '10.20.0.5', 22), (r) => r.body.allowed === false, 5_000);
    const elapsed = performance.now() - after;
    console.log(`membership removal reflected in the check API ${elapsed.toFixed(0)} ms after the SCIM response`);
    expect(denied.body.allowed).toBe(false);
    expect(elapsed).toBeLessThan(1_000);
    expect((await check('alice@example.com', '10.20.0.5', 22)).body.allowed).toBe(true);
  });

  it('rejects a policy with a failing test, with the assertion, and saves nothing', async () => {
    const failing = POLICY.replace('"deny": ["build:80"]', '"deny": ["build:22"]');
    const response = await postPolicy(failing);
    expect(response.status).toBe(400);
    const body = (await response.json()) as Json;
    expect(body.message).toMatch(/1 failing test/);
    expect(body.details.failedTests).toEqual([expect.objectContaining({ place: 'tests[0].deny[0]', line: 9 })]);
    expect(body.details.failedTests[0].message).toMatch(/build:22/);
    expect(await adminFetch('/acl').then((r) => r.text())).toBe(POLICY);
    const withNul = await postPolicy(`${POLICY}\u0000`);
    expect(withNul.status).toBe(400);
    expect(((await withNul.json()) as Json).message).toMatch(/NUL/);
    expect(await adminFetch('/acl').then((r) => r.text())).toBe(POLICY);

    const validated = await postPolicy(failing, {}, '/acl/validate');
    expect(validated.status).toBe(200);
    expect((await validated.json()) as Json).toMatchObject({ valid: false, errors: [], failedTests: [expect.objectContaining({ place: 'tests[0].deny[0]' })] });
    expect(await postPolicy(POLICY, {}, '/acl/validate').then((r) => r.json() as Promise<Json>)).toMatchObject({ valid: true });
  });

  it('rejects a policy naming an unknown group, tag, host or user, each with its place; and a syntax error with line and column', async () => {
    const unknown = `{
  "acls": [
    { "action": "accept", "src": ["group:engineers@example.com", "zed@example.com"], "dst": ["tag:db:5432", "printer:631"] },
  ],
}`;
    const response = await postPolicy(unknown);
    expect(response.status).toBe(400);
    const { details } = (await response.json()) as Json;
    expect(details.errors.map((e: { place: string; line: number; column: number }) => [e.place, e.line, e.column])).toEqual([
      ['acls[0].src[0]', 3, 35],
      ['acls[0].src[1]', 3, 66],
      ['acls[0].dst[0]', 3, 94],
      ['acls[0].dst[1]', 3, 109],
    ]);
    expect(details.errors[0].message).toMatch(/group:engineers@example.com matches no group/);

    const broken = await postPolicy('{\n  "acls": [\n    { "action": "accept" "src": ["*"] }\n  ]\n}');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as Json).details.errors[0]).toMatchObject({ line: 3, column: 26 });
  });

  it("answers another tailnet's key with 404 on the check API and the policy API", async () => {
    const other = await stack.createTailnet('acl-other', 'other.example');
    expect((await check('alice@example.com', '10.20.0.5', 22, other.adminApiKey)).status).toBe(404);
    expect((await adminFetch('/acl', {}, other.adminApiKey)).status).toBe(404);
    expect((await check('alice@example.com', '10.20.0.5', 22, tailnet.token)).status).toBe(401);
    const device = await adminFetch('/devices/00000000-0000-4000-8000-000000000001/packet-filter', {}, tailnet.adminApiKey, stack.serviceUrl('acl-projector'));
    expect(device.status).toBe(404);
  });

  it('fails closed when the IdP renames the group, and the status names the reference and what happened', async () => {
    const renamed = await okta.request('PATCH', `/Groups/${groupId}`, patch({ op: 'replace', value: { id: groupId, displayName: 'Platform' } }));
    expect([200, 204]).toContain(renamed.status);
    const denied = await until(() => check('alice@example.com', '10.20.0.5', 22), (r) => r.body.allowed === false);
    expect(denied.body).toMatchObject({ allowed: false, rule: null, reason: expect.stringMatching(/group:engineering@example.com/) });
    const report = await status();
    expect(report.unresolved).toEqual([
      expect.objectContaining({ reference: 'group:engineering@example.com', kind: 'synced-group', rules: [0, 1], history: expect.objectContaining({ kind: 'renamed', to: 'Platform', by: 'Okta' }) }),
    ]);
    expect(report.narrative).toEqual([
      expect.stringMatching(/^`group:engineering@example.com` was renamed to `group:platform@example.com` by Okta on \d{4}-.*; 2 rules now match nobody$/),
    ]);
  });

  it('gives the same answers after a restart, from its tables', async () => {
    const before = [await check('alice@example.com', '10.20.0.5', 22), await check('carol@example.com', '10.20.0.6', 443), await status()];
    await stack.stopService('acl-projector');
    await stack.startService('acl-projector');
    await stack.waitUntil('acl-projector', 'readyz');
    const after = [await check('alice@example.com', '10.20.0.5', 22), await check('carol@example.com', '10.20.0.6', 443), await status()];
    expect(after).toEqual(before);
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM acl.group_members');
    expect(rows[0].n).toBe(1);
  });
});
