import { createLogger, ManualClock } from '#roster/platform';
import { KeyExpirySweeper, NodesProjection } from '#roster/nodes';
import { NO_PROJECTOR_METRICS, ProjectorRuntime } from '#roster/projector';
import { oktaUser, type ScimClient, type Stack } from '#roster/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack } from './support/stack.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const DAY_MS = 86_400_000;
const SERVICES = ['scim-gateway', 'directory-projector', 'node-expiry-projector'] as const;
const quiet = createLogger('nodes-e2e', 'warn');

type Tailnet = Awaited<ReturnType<Stack['createTailnet']>>;
type Device = { id: string; user: { id: string } | null; access: { state: string; since: string }; keyExpiry: string | null; tags: string[] };

const activeOp = (active: boolean) => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active } }] });

async function createUser(tailnet: Tailnet, userName: string): Promise<string> {
  const response = await tailnet.scim.post('/Users', oktaUser(userName));
  expect(response.status).toBe(201);
  return response.body.id;
}

async function register(admin: ScimClient, body: Record<string, unknown>): Promise<Device> {
  const response = await admin.post('/devices', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function devicesOf(admin: ScimClient, query: string): Promise<Device[]> {
  const response = await admin.get(`/devices?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.devices;
}

async function nodeEvents(stack: Stack, type: string) {
  return (await stack.readLog()).filter((event) => event.type === type);
}

/** A per-table checksum of the node read model in `schema`. */
async function nodeTables(stack: Stack, schema: string) {
  const { rows } = await stack.pool.query(
    `SELECT (SELECT md5(coalesce(string_agg(n::text, '|' ORDER BY n.tailnet_id, n.id), '')) FROM ${schema}.nodes n) AS nodes,
            (SELECT md5(coalesce(string_agg(o::text, '|' ORDER BY o.tailnet_id, o.user_id), '')) FROM ${schema}.owners o) AS owners,
            (SELECT md5(coalesce(string_agg(h::text, '|' ORDER BY h.tailnet_id, h.node_id, h.position), '')) FROM ${schema}.node_history h) AS history,
            (SELECT count(*) FROM ${schema}.node_history) AS n`,
  );
  return rows[0];
}

describe('node registry and node-key expiry: devices lose access exactly when they should', () => {
  let stack: Stack;
  let tailnet: Tailnet;
  let ada: string;
  let bob: string;
  let adaNodes: Device[];
  let bobNode: Device;
  let server: Device;

  beforeAll(async () => {
    stack = await startStack('nodes', {}, [...SERVICES]);
    tailnet = await stack.createTailnet('devices');
    ada = await createUser(tailnet, 'ada.lovelace@example.com');
    bob = await createUser(tailnet, 'bob.kahn@example.com');
    const policy = `{
      // Who may apply which tags: checked whenever tags are set.
      "groups": { "group:ops": ["ada.lovelace@example.com"] },
      "tagOwners": { "tag:server": ["group:ops"], "tag:ci": ["group:ops"], "tag:build": ["group:ops"] },
    }`;
    const saved = await fetch(`${tailnet.admin.baseUrl}/acl`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tailnet.adminApiKey}`, 'content-type': 'application/hujson' },
      body: policy,
    });
    expect(saved.status, await saved.text()).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('registers user and tagged nodes with unique tailnet addresses and the tailnet key duration', async () => {
    const before = Date.now();
    adaNodes = [];
    for (const hostname of ['ada-laptop', 'ada-phone', 'ada-desktop']) adaNodes.push(await register(tailnet.admin, { user: ada, hostname }));
    bobNode = await register(tailnet.admin, { user: 'Bob.Kahn@example.com', hostname: 'bob-laptop' });
    server = await register(tailnet.admin, { tags: ['tag:server'], hostname: 'db-1' });

    for (const node of [...adaNodes, bobNode]) {
      expect(node.access.state).toBe('active');
      const expiry = Date.parse(node.keyExpiry!);
      expect(expiry).toBeGreaterThanOrEqual(before + 180 * DAY_MS - 1000);
      expect(expiry).toBeLessThanOrEqual(Date.now() + 180 * DAY_MS + 1000);
    }
    expect(bobNode.user).toMatchObject({ id: bob, userName: 'bob.kahn@example.com' });
    // Tagged nodes belong to their tags and their keys do not expire, as in Tailscale.
    expect(server).toMatchObject({ user: null, tags: ['tag:server'], keyExpiry: null, keyExpiryDisabled: true, access: { state: 'active' } });
    const addresses = [...adaNodes, bobNode, server].map((node: Device & { addresses?: string[] }) => node.addresses![0]);
    expect(new Set(addresses).size).toBe(5);
    for (const address of addresses) {
      const [a, b] = address.split('.').map(Number);
      expect(a).toBe(100);
      expect(b).toBeGreaterThanOrEqual(64);
      expect(b).toBeLessThanOrEqual(127);
    }
    const registered = await nodeEvents(stack, 'NodeRegistered');
    expect(registered).toHaveLength(5);
    expect(registered[0].actor.kind).toBe('admin-api-key');
  });

  it('keeps the admin API to admin keys of the tailnet, and bad input to clear 4xx answers', async () => {
    const other = await stack.createTailnet('elsewhere');
    const scimTokenOnAdmin = await fetch(`${stack.gatewayUrl}/api/v2/tailnet/${tailnet.tailnetId}/devices`, {
      headers: { authorization: `Bearer ${tailnet.token}` },
    });
    expect(scimTokenOnAdmin.status).toBe(401);
    const foreign = await fetch(`${stack.gatewayUrl}/api/v2/tailnet/${tailnet.tailnetId}/devices/${server.id}`, {
      headers: { authorization: `Bearer ${other.adminApiKey}` },
    });
    expect(foreign.status).toBe(404);
    expect((await other.admin.get(`/devices/${server.id}`)).status).toBe(404);
    const dash = await fetch(`${stack.gatewayUrl}/api/v2/tailnet/-/devices`, { headers: { authorization: `Bearer ${tailnet.adminApiKey}` } });
    expect(((await dash.json()) as { devices: Device[] }).devices).toHaveLength(5);
    const byName = await fetch(`${stack.gatewayUrl}/api/v2/tailnet/devices/devices?limit=1`, { headers: { authorization: `Bearer ${tailnet.adminApiKey}` } });
    expect(byName.status).toBe(200);

    const bad = [
      { hostname: 'neither' },
      { tags: ['server'], hostname: 'untyped-tag' },
      { user: 'nobody@example.com', hostname: 'ghost' },
      { user: ada, hostname: 'k', nodeKey: 'not-a-key' },
      { user: ada, hostname: 'x', unexpected: true },
      { user: ada, hostname: 'nul\u0000host' },
    ];
    for (const body of bad) {
      const response = await tailnet.admin.post('/devices', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.message).toEqual(expect.any(String));
    }
    const admin = (path: string, init: RequestInit = {}) =>
      fetch(`${stack.gatewayUrl}/api/v2/tailnet/${tailnet.tailnetId}${path}`, { ...init, headers: { authorization: `Bearer ${tailnet.adminApiKey}`, ...init.headers } });
    const notJson = await admin('/devices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect([notJson.status, await notJson.json()]).toEqual([400, { message: 'the request body is not valid JSON' }]);
    const deep = await admin('/devices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"hostname":${'['.repeat(10_000)}${']'.repeat(10_000)}}` });
    expect([deep.status, await deep.json()]).toEqual([400, { message: 'the request body nests objects and arrays more than 32 levels deep' }]);
    const longId = await admin(`/devices/${'x'.repeat(3_000)}`);
    expect([longId.status, await longId.json()]).toEqual([414, { message: 'a path segment is longer than any id' }]);
    const nulUser = await admin('/devices?user=%00');
    expect([nulUser.status, await nulUser.json()]).toEqual([400, { message: 'the URL cannot contain a NUL character (%00)' }]);
    expect((await tailnet.admin.get('/devices?state=sleeping')).status).toBe(400);

    // Tags must be defined in tagOwners, and a user advertising them must own them.
    const undefinedTag = await tailnet.admin.post('/devices', { tags: ['tag:nowhere'], hostname: 'stray' });
    expect(undefinedTag.status).toBe(403);
    expect(undefinedTag.body.message).toMatch(/tag:nowhere.*tagOwners/);
    const notOwner = await tailnet.admin.post('/devices', { user: bob, tags: ['tag:server'], hostname: 'bob-server' });
    expect(notOwner.status).toBe(403);
    expect(notOwner.body.details.refused).toEqual([{ tag: 'tag:server', reason: expect.stringMatching(/not an owner/) }]);
    const owned = await register(tailnet.admin, { user: ada, tags: ['tag:server'], hostname: 'ada-server' });
    expect(owned).toMatchObject({ user: null, tags: ['tag:server'], keyExpiryDisabled: true });
    expect((await tailnet.admin.post(`/devices/${owned.id}/tags`, { tags: ['tag:nowhere'] })).status).toBe(403);
    expect((await tailnet.admin.get('/devices/not-a-uuid')).status).toBe(404);
    expect((await tailnet.admin.request('PATCH', '/settings', { devicesKeyDurationDays: 181 })).status).toBe(400);
  });

  it("revokes a suspended user's nodes within a second of Okta's deactivation, leaves tagged nodes alone, and restores them", async () => {
    const suspendedAt = Date.now();
    expect((await tailnet.scim.request('PATCH', `/Users/${ada}`, activeOp(false))).status).toBe(200);
    const revoked = await eventually(
      () => devicesOf(tailnet.admin, `user=${ada}`),
      (nodes) => nodes.every((node) => node.access.state === 'owner-suspended'),
      1_000,
      10,
    );
    expect(Date.now() - suspendedAt).toBeLessThan(1_000);
    expect(revoked).toHaveLength(3);
    expect((await tailnet.admin.get(`/devices/${server.id}`)).body.access.state).toBe('active');
    expect((await tailnet.admin.get(`/devices/${bobNode.id}`)).body.access.state).toBe('active');

    const suspension = (await stack.readLog()).find((event) => event.type === 'UserSuspended' && event.aggregateId === ada)!;
    const revocations = await eventually(() => nodeEvents(stack, 'NodeAccessRevoked'), (events) => events.length === 3);
    expect(revocations.map((event) => event.aggregateId).sort()).toEqual(adaNodes.map((node) => node.id).sort());
    for (const event of revocations) {
      expect(event.data).toMatchObject({ ownerUserId: ada, reason: 'owner-suspended' });
      expect(event.causationId).toBe(suspension.id);
      expect(event.actor).toMatchObject({ kind: 'scim-token', idp: 'okta' });
    }

    // A suspended user can neither re-authenticate a device nor add one.
    const reauth = await tailnet.admin.post(`/devices/${adaNodes[0].id}/reauthenticate`, {});
    expect(reauth.status).toBe(403);
    expect(reauth.body.message).toMatch(/suspended/);
    expect((await tailnet.admin.post('/devices', { user: ada, hostname: 'ada-new' })).status).toBe(403);

    expect((await tailnet.scim.request('PATCH', `/Users/${ada}`, activeOp(true))).status).toBe(200);
    await eventually(
      () => devicesOf(tailnet.admin, `user=${ada}`),
      (nodes) => nodes.every((node) => node.access.state === 'active'),
      1_000,
      10,
    );
    const restorations = await eventually(() => nodeEvents(stack, 'NodeAccessRestored'), (events) => events.length === 3);
    expect(restorations.every((event) => event.data.reason === 'owner-reactivated')).toBe(true);

    const history = (await tailnet.admin.get(`/devices/${adaNodes[0].id}/history`)).body.history;
    expect(history.map((entry: { event: string; access: string }) => [entry.event, entry.access])).toEqual([
      ['NodeRegistered', 'active'],
      ['NodeAccessRevoked', 'owner-suspended'],
      ['NodeAccessRestored', 'active'],
    ]);
    expect(history[1]).toMatchObject({ detail: { reason: 'owner-suspended' }, actor: { idp: 'okta' } });
  });

  it("revokes on Entra ID's deactivation (Replace active \"False\") and on a hard delete", async () => {
    const entra = tailnet.scim;
    const disabled = await entra.request('PATCH', `/Users/${bob}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(disabled.status).toBe(200);
    await eventually(() => devicesOf(tailnet.admin, `user=${bob}`), (nodes) => nodes[0]?.access.state === 'owner-suspended', 1_000, 10);

    const carol = await createUser(tailnet, 'carol.shaw@example.com');
    const carolNode = await register(tailnet.admin, { user: carol, hostname: 'carol-laptop' });
    expect((await tailnet.scim.request('DELETE', `/Users/${carol}`)).status).toBe(204);
    await eventually(() => tailnet.admin.get(`/devices/${carolNode.id}`), (response) => response.body.access?.state === 'owner-deleted', 1_000, 10);
    const revoked = (await nodeEvents(stack, 'NodeAccessRevoked')).filter((event) => event.aggregateId === carolNode.id);
    expect(revoked.map((event) => event.data.reason)).toEqual(['owner-deleted']);
    expect((await tailnet.admin.post(`/devices/${carolNode.id}/reauthenticate`, {})).status).toBe(403);
    expect((await devicesOf(tailnet.admin, 'state=owner-deleted')).map((node) => node.id)).toEqual([carolNode.id]);
    expect((await devicesOf(tailnet.admin, 'state=owner-suspended')).map((node) => node.id)).toEqual([bobNode.id]);
  });

  it('records each expired key exactly once when the clock moves past it, also across a restart mid-sweep', async () => {
    const many = await createUser(tailnet, 'many.devices@example.com');
    for (let i = 0; i < 200; i++) await register(tailnet.admin, { user: many, hostname: `fleet-${i}` });
    const expiring = (await devicesOf(tailnet.admin, `expiringBefore=${new Date(Date.now() + 365 * DAY_MS).toISOString()}`)).length;
    expect(expiring).toBe(205); // ada ×3, bob, carol (deleted owner, key still expires), 200 fleet; not the tagged server
    await eventually(async () => (await fetch(`${stack.serviceUrl('node-expiry-projector')}/readyz`)).status, (status) => status === 200);

    // Restart the projector with its clock 181 days ahead and small sweep chunks, and kill it while it sweeps.
    await stack.stopService('node-expiry-projector');
    stack.setServiceEnv('node-expiry-projector', { CLOCK_OFFSET_MS: String(181 * DAY_MS), NODE_EXPIRY_SWEEP_BATCH: '5' });
    await stack.startService('node-expiry-projector');
    const recordedAtKill = await eventually(
      async () => Number((await stack.pool.query(`SELECT count(*) AS n FROM writes.aggregates WHERE aggregate_type = 'Node' AND (state->>'keyExpired')::boolean`)).rows[0].n),
      (n) => n > 0,
      30_000,
      2,
    );
    await stack.stopService('node-expiry-projector', 'SIGKILL');
    expect(recordedAtKill).toBeLessThan(expiring);
    await stack.startService('node-expiry-projector');

    const expired = await eventually(() => nodeEvents(stack, 'NodeKeyExpired'), (events) => events.length >= expiring, 30_000, 100);
    // Give a duplicate every chance to appear: a second restart sweeps again.
    await stack.stopService('node-expiry-projector');
    await stack.startService('node-expiry-projector');
    await stack.waitUntil('node-expiry-projector', 'readyz');
    const finalExpired = await nodeEvents(stack, 'NodeKeyExpired');
    expect(finalExpired).toHaveLength(expiring);
    expect(new Set(finalExpired.map((event) => event.aggregateId)).size).toBe(expiring);
    expect(expired.every((event) => event.actor.kind === 'system')).toBe(true);

    await eventually(() => devicesOf(tailnet.admin, `user=${many}&limit=500`), (nodes) => nodes.every((node) => node.access.state === 'key-expired'));
    // The owner's state outranks the key's: bob stays suspended, carol deleted; the tagged server never expires.
    expect((await tailnet.admin.get(`/devices/${bobNode.id}`)).body.access.state).toBe('owner-suspended');
    expect((await tailnet.admin.get(`/devices/${server.id}`)).body.access.state).toBe('active');
    const adaHistory = (await tailnet.admin.get(`/devices/${adaNodes[1].id}/history`)).body.history;
    expect(adaHistory.at(-1)).toMatchObject({ event: 'NodeKeyExpired', access: 'key-expired' });

    // Back to the real clock: re-authenticating gives a fresh key and access again; reactivating bob does not,
    // since his key ran out while he was suspended.
    await stack.stopService('node-expiry-projector');
    stack.setServiceEnv('node-expiry-projector', {});
    await stack.startService('node-expiry-projector');
    const renewed = await tailnet.admin.post(`/devices/${adaNodes[1].id}/reauthenticate`, {});
    expect(renewed.status).toBe(200);
    expect(renewed.body.access.state).toBe('active');
    expect(Date.parse(renewed.body.keyExpiry)).toBeGreaterThan(Date.now() + 179 * DAY_MS);
    expect((await tailnet.scim.request('PATCH', `/Users/${bob}`, activeOp(true))).status).toBe(200);
    await eventually(() => tailnet.admin.get(`/devices/${bobNode.id}`), (response) => response.body.access.state === 'key-expired', 2_000, 10);
    expect((await nodeEvents(stack, 'NodeAccessRestored')).filter((event) => event.aggregateId === bobNode.id)).toHaveLength(0);
  });

  it('records a key expiry once when two sweepers (two replicas) race for it', async () => {
    const racer = await createUser(tailnet, 'racer@example.com');
    const nodes: Device[] = [];
    for (let i = 0; i < 40; i++) nodes.push(await register(tailnet.admin, { user: racer, hostname: `race-${i}` }));
    await eventually(() => devicesOf(tailnet.admin, `user=${racer}`), (listed) => listed.length === nodes.length);
    const before = (await nodeEvents(stack, 'NodeKeyExpired')).length;
    const clock = new ManualClock(new Date(Date.now() + 200 * DAY_MS));
    const { rows } = await stack.pool.query(
      `SELECT count(*)::int AS n FROM writes.aggregates WHERE aggregate_type = 'Node' AND NOT (state->>'keyExpired')::boolean
          AND NOT (state->>'keyExpiryDisabled')::boolean AND NOT coalesce((state->>'deleted')::boolean, false)`,
    );
    const due = rows[0].n;
    expect(due).toBeGreaterThanOrEqual(nodes.length);
    const sweepers = [1, 2].map(() => new KeyExpirySweeper(stack.pool, clock, quiet, undefined, { batchSize: 3 }));
    const results = await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
    expect(results[0].recorded + results[1].recorded).toBe(due);
    const after = await eventually(() => nodeEvents(stack, 'NodeKeyExpired'), (events) => events.length >= before + due);
    expect(after).toHaveLength(before + due);
    expect((await Promise.all(sweepers.map((sweeper) => sweeper.sweep()))).map((result) => result.recorded)).toEqual([0, 0]);
  });

  it('disables and enables key expiry, tags a node, deletes one, and lists by expiry', async () => {
    const dave = await createUser(tailnet, 'dave@example.com');
    const laptop = await register(tailnet.admin, { user: dave, hostname: 'dave-laptop' });
    const disabled = await tailnet.admin.post(`/devices/${laptop.id}/key`, { keyExpiryDisabled: true });
    expect(disabled.body).toMatchObject({ keyExpiryDisabled: true, keyExpiry: null });
    const soon = `expiringBefore=${new Date(Date.now() + 365 * DAY_MS).toISOString()}`;
    expect((await devicesOf(tailnet.admin, soon)).some((node) => node.id === laptop.id)).toBe(false);
    const enabled = await tailnet.admin.post(`/devices/${laptop.id}/key`, { keyExpiryDisabled: false });
    expect(enabled.body.keyExpiry).toBe(laptop.keyExpiry);
    const listed = await devicesOf(tailnet.admin, soon);
    expect(listed.some((node) => node.id === laptop.id)).toBe(true);
    const expiries = listed.map((node) => Date.parse(node.keyExpiry!));
    expect(expiries).toEqual([...expiries].sort((a, b) => a - b));

    const tagged = await tailnet.admin.post(`/devices/${laptop.id}/tags`, { tags: ['tag:ci', 'tag:build'] });
    expect(tagged.body).toMatchObject({ user: null, tags: ['tag:build', 'tag:ci'], keyExpiryDisabled: true });
    expect((await tailnet.admin.post(`/devices/${laptop.id}/tags`, { tags: [] })).status).toBe(400);
    // Now owned by its tags, the node ignores its former owner's suspension.
    expect((await tailnet.scim.request('PATCH', `/Users/${dave}`, activeOp(false))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await tailnet.admin.get(`/devices/${laptop.id}`)).body.access.state).toBe('active');

    expect((await tailnet.admin.request('DELETE', `/devices/${laptop.id}`)).status).toBe(204);
    expect((await tailnet.admin.get(`/devices/${laptop.id}`)).status).toBe(404);
    expect((await tailnet.admin.request('DELETE', `/devices/${laptop.id}`)).status).toBe(404);
    const history = (await tailnet.admin.get(`/devices/${laptop.id}/history`)).body.history;
    expect(history.map((entry: { event: string }) => entry.event)).toEqual([
      'NodeRegistered',
      'NodeKeyExpiryDisabled',
      'NodeKeyExpiryEnabled',
      'NodeTagsChanged',
      'NodeKeyExpiryDisabled',
      'NodeDeleted',
    ]);

    expect((await tailnet.admin.request('PATCH', '/settings', { devicesKeyDurationDays: 7 })).body).toEqual({ devicesKeyDurationDays: 7 });
    const shortLived = await register(tailnet.admin, { user: 'ada.lovelace@example.com', hostname: 'short' });
    expect(Math.abs(Date.parse(shortLived.keyExpiry!) - Date.now() - 7 * DAY_MS)).toBeLessThan(5_000);
  });

  it('rebuilds from offset 0 into the same tables, recording nothing on the log', async () => {
    await stack.waitUntilApplied('nodes');
    const live = await nodeTables(stack, 'nodes');
    const logBefore = (await stack.readLog()).length;
    const rebuild = new ProjectorRuntime(stack.pool, stack.kafka, quiet, NO_PROJECTOR_METRICS, {
      projection: new NodesProjection(),
      topic: stack.topics.tailnetEvents,
      schema: 'nodes_rebuild',
      groupId: `${stack.namespace}nodes-rebuild-${Date.now()}`,
      live: false,
    });
    await rebuild.start();
    try {
      await eventually(() => nodeTables(stack, 'nodes_rebuild'), (tables) => tables.n === live.n, 60_000, 200);
    } finally {
      await rebuild.stop();
    }
    expect(await nodeTables(stack, 'nodes_rebuild')).toEqual(live);
    expect((await stack.readLog()).length).toBe(logBefore);
  });
});
