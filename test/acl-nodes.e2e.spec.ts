import { createLogger, ManualClock } from '#roster/platform';
import { KeyExpirySweeper } from '#roster/nodes';
import { oktaUser, type Stack } from '#roster/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack } from './support/stack.js';

/** An API's JSON answer: its shape is what the assertions check. */
type Json = any;

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const DAY_MS = 86_400_000;

type Tailnet = Awaited<ReturnType<Stack['createTailnet']>>;
type Device = { id: string; addresses: string[] };

/** SSH to servers for the synced engineering group; everyone reaches their own devices; servers are owned by eng. */
const POLICY = `{
  "tagOwners": { "tag:server": ["group:engineering@example.com"] },
  "acls": [
    { "action": "accept", "src": ["group:engineering@example.com"], "dst": ["tag:server:22"] },
    { "action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self:*"] },
  ],
}`;

describe('ACL projector with devices: nodes, tags, owners and key expiry decide access', () => {
  let stack: Stack;
  let tailnet: Tailnet;
  const users: Record<string, string> = {};
  const devices: Record<string, Device> = {};

  const aclGet = async (path: string) => {
    const response = await fetch(`${stack.serviceUrl('acl-projector')}/api/v2/tailnet/${tailnet.tailnetId}${path}`, {
      headers: { authorization: `Bearer ${tailnet.adminApiKey}` },
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const check = (src: string, dst: string, port: number) => aclGet(`/acl/check?src=${src}&dst=${dst}&port=${port}&proto=tcp`).then((r) => r.body);
  const register = async (body: Record<string, unknown>) => {
    const response = await tailnet.admin.post('/devices', body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as Device;
  };
  const setActive = async (user: string, active: boolean) =>
    expect(
      (await tailnet.scim.request('PATCH', `/Users/${users[user]}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active } }] })).status,
    ).toBe(200);

  beforeAll(async () => {
    stack = await startStack('acl_nodes', {}, ['scim-gateway', 'directory-projector', 'node-expiry-projector', 'acl-projector']);
    tailnet = await stack.createTailnet('acl-nodes', 'example.com');
    for (const name of ['ada', 'bob']) users[name] = (await tailnet.scim.post('/Users', oktaUser(`${name}@example.com`))).body.id;
    const group = await tailnet.scim.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [] });
    await tailnet.scim.request('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: users.ada }] }],
    });
    const saved = await fetch(`${tailnet.admin.baseUrl}/acl`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tailnet.adminApiKey}`, 'content-type': 'application/hujson' },
      body: POLICY,
    });
    expect(saved.status, await saved.text()).toBe(200);
    devices.adaLaptop = await register({ user: users.ada, hostname: 'ada-laptop' });
    devices.adaPhone = await register({ user: users.ada, hostname: 'ada-phone' });
    devices.bobLaptop = await register({ user: users.bob, hostname: 'bob-laptop' });
    // Ada is in the group that owns tag:server, so she may bring up a server; Bob may not.
    devices.server = await register({ user: users.ada, tags: ['tag:server'], hostname: 'db-1' });
    expect((await tailnet.admin.post('/devices', { user: users.bob, tags: ['tag:server'], hostname: 'bob-db' })).status).toBe(403);
    await eventually(() => check(devices.adaLaptop.id, devices.server.id, 22), (result) => result.allowed === true);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('allows by group and tag, by autogroup:self, and denies the rest with a reason', async () => {
    expect(await check(devices.adaLaptop.id, devices.server.id, 22)).toMatchObject({ allowed: true, rule: 0 });
    expect(await check(devices.adaLaptop.id, devices.server.id, 80)).toMatchObject({ allowed: false, rule: null });
    expect(await check(devices.bobLaptop.id, devices.server.id, 22)).toMatchObject({ allowed: false });
    expect(await check(devices.adaLaptop.id, devices.adaPhone.id, 8080)).toMatchObject({ allowed: true, rule: 1 });
    expect(await check(devices.bobLaptop.id, devices.adaPhone.id, 8080)).toMatchObject({ allowed: false });
    // By address too: what a control plane sees on the wire.
    expect(await check(devices.adaLaptop.addresses[0], devices.server.addresses[0], 22)).toMatchObject({ allowed: true });
  });

  it("pushes the server a packet filter naming Ada's devices on port 22, versioned", async () => {
    const filter = await aclGet(`/devices/${devices.server.id}/packet-filter`);
    expect(filter.status).toBe(200);
    const sources = filter.body.rules.flatMap((rule: { srcIPs: string[] }) => rule.srcIPs);
    expect(sources).toEqual(expect.arrayContaining([expect.stringContaining(devices.adaLaptop.addresses[0])]));
    expect(sources.some((ip: string) => ip.includes(devices.bobLaptop.addresses[0]))).toBe(false);
    const ports = filter.body.rules.flatMap((rule: { dstPorts: { ports: { first: number; last: number } }[] }) => rule.dstPorts.map((port) => port.ports));
    expect(ports).toContainEqual({ first: 22, last: 22 });
    expect(filter.body.version).toEqual(expect.anything());
  });

  it("takes a suspended owner's devices out of every rule within a second, and gives them back", async () => {
    const before = (await aclGet(`/devices/${devices.server.id}/packet-filter`)).body.version;
    const started = Date.now();
    await setActive('ada', false);
    await eventually(() => check(devices.adaLaptop.id, devices.server.id, 22), (result) => result.allowed === false, 1_000, 10);
    expect(Date.now() - started).toBeLessThan(1_000);
    const filter = (await aclGet(`/devices/${devices.server.id}/packet-filter`)).body;
    expect(filter.version).not.toEqual(before);
    expect(JSON.stringify(filter.rules)).not.toContain(devices.adaLaptop.addresses[0]);
    // The tagged server belongs to its tag, not to Ada: it keeps its own access as a destination.
    expect((await check(devices.server.id, devices.server.id, 22)).reason ?? '').not.toMatch(/suspended/);

    await setActive('ada', true);
    await eventually(() => check(devices.adaLaptop.id, devices.server.id, 22), (result) => result.allowed === true, 2_000, 10);
  });

  it('denies a device whose key expired, and allows it again once it re-authenticates', async () => {
    const sweeper = new KeyExpirySweeper(stack.pool, new ManualClock(new Date(Date.now() + 200 * DAY_MS)), createLogger('e2e', 'warn'), undefined, {
      batchSize: 100,
    });
    expect((await sweeper.sweep()).recorded).toBe(3); // ada's laptop and phone, bob's laptop; the tagged server never expires
    await eventually(() => check(devices.adaLaptop.id, devices.server.id, 22), (result) => result.allowed === false, 2_000, 10);
    expect((await tailnet.admin.post(`/devices/${devices.adaLaptop.id}/reauthenticate`, {})).status).toBe(200);
    await eventually(() => check(devices.adaLaptop.id, devices.server.id, 22), (result) => result.allowed === true, 2_000, 10);
  });
});
