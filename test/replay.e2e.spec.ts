import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMembershipEvent, validateMembershipMessage } from '#roster/contracts';
import { oktaUser, type Stack } from '#roster/testkit';
import { randomProvisioning } from './support/random-provisioning.js';
import { readTopic } from './support/read-topic.js';
import { startStack } from './support/stack.js';

const SERVICES = ['scim-gateway', 'directory-projector', 'membership-projector', 'node-expiry-projector', 'acl-projector'] as const;
const PROJECTIONS = ['directory', 'membership', 'nodes', 'acl'];
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
type Tailnet = Awaited<ReturnType<Stack['createTailnet']>>;

/** Devices and a policy, so the node and ACL projections have state: owners suspended and deleted, a tagged server. */
async function provisionDevices(tailnet: Tailnet, prefix: string) {
  const policy = `{ "tagOwners": { "tag:server": [] }, "acls": [{ "action": "accept", "src": ["autogroup:member"], "dst": ["tag:server:22"] }] }`;
  const saved = await fetch(`${tailnet.admin.baseUrl}/acl`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tailnet.adminApiKey}`, 'content-type': 'application/hujson' },
    body: policy,
  });
  expect(saved.status, await saved.text()).toBe(200);
  const owners: string[] = [];
  for (let i = 0; i < 4; i++) {
    const user = await tailnet.scim.post('/Users', oktaUser(`${prefix}.device.owner${i}@example.com`));
    owners.push(user.body.id);
    for (const hostname of ['laptop', 'phone']) {
      expect((await tailnet.admin.post('/devices', { user: user.body.id, hostname: `${prefix}-${i}-${hostname}` })).status).toBe(201);
    }
  }
  expect((await tailnet.admin.post('/devices', { tags: ['tag:server'], hostname: `${prefix}-server` })).status).toBe(201);
  const deactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] };
  expect((await tailnet.scim.request('PATCH', `/Users/${owners[0]}`, deactivate)).status).toBe(200);
  expect((await tailnet.scim.request('DELETE', `/Users/${owners[1]}`)).status).toBe(204);
}

/** One checksum per state table of a schema (its checkpoints are bookkeeping and left out). */
async function checksums(stack: Stack, schema: string): Promise<Record<string, string>> {
  const { rows: tables } = await stack.pool.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'projector_checkpoints' ORDER BY 1`,
    [schema],
  );
  const sums: Record<string, string> = {};
  for (const { tablename } of tables) {
    const { rows } = await stack.pool.query<{ sum: string; n: string }>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum, count(*) AS n FROM "${schema}"."${tablename}" t`,
    );
    sums[tablename] = `${rows[0].n}:${rows[0].sum}`;
  }
  return sums;
}

async function replayedSoFar(stack: Stack, schema: string): Promise<number> {
  const { rows } = await stack.pool
    .query<{ n: string }>(`SELECT coalesce(sum(next_offset), 0) AS n FROM "${schema}".projector_checkpoints`)
    .catch(() => ({ rows: [{ n: '0' }] }));
  return Number(rows[0].n);
}

async function caughtUp(stack: Stack) {
  for (const service of SERVICES.slice(1)) await stack.waitUntil(service, 'readyz');
}

describe('roster replay: rebuild any projection beside the live one while it serves, then swap', () => {
  let stack: Stack;
  let writer: Promise<unknown>;
  const before: Record<string, Record<string, string>> = {};
  let pointInTime = '';

  beforeAll(async () => {
    stack = await startStack('replay', { SCIM_RATE_LIMIT_PER_SECOND: '100000', SCIM_RATE_LIMIT_BURST: '100000' }, [...SERVICES]);
    const first = await stack.createTailnet('replay-one');
    await randomProvisioning(first.scim, { steps: 500, seed: 11, prefix: 'one' });
    await provisionDevices(first, 'one');
    await caughtUp(stack);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await caughtUp(stack);
    for (const schema of PROJECTIONS) before[schema] = await checksums(stack, schema);
    pointInTime = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await stack.createTailnet('replay-two');
    // Writes go on through every replay below.
    writer = Promise.all([randomProvisioning(second.scim, { steps: 700, seed: 12, prefix: 'two' }), provisionDevices(second, 'two')]);
  });
  afterAll(async () => {
    await writer?.catch(() => undefined);
    await stack?.stop();
  });

  it('refuses a second replay of the same projection, survives being killed halfway, resumes and swaps', async () => {
    const child = spawn(process.execPath, ['dist/apps/cli/src/main.js', 'replay', 'directory', '--max-rate', '500'], { env: stack.env() });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    while ((await replayedSoFar(stack, 'directory_replay')) < 600) {
      expect(child.exitCode, output).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const second = await stack.cli(['replay', 'directory']);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('another replay of directory is running');
    child.kill('SIGKILL');
    await exited;
    const halfway = await replayedSoFar(stack, 'directory_replay');

    const resumed = await stack.cli(['replay', 'directory', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const [result] = JSON.parse(resumed.stdout);
    expect(result).toMatchObject({ projection: 'directory', mode: 'swapped', schema: 'directory', oldSchema: 'directory_old' });
    expect(result.resumedFromEvents).toBeGreaterThanOrEqual(halfway);
    expect(result.tables.map((t: { table: string }) => t.table)).toEqual(['group_members', 'groups', 'user_emails', 'users']);

    const again = await stack.cli(['replay', 'directory']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('roster replay drop-old directory');
  });

  it('swaps the membership projection too, without losing or repeating a public event', async () => {
    const swapped = await stack.cli(['replay', 'membership', '--json']);
    expect(swapped.code, swapped.stderr).toBe(0);
    expect(JSON.parse(swapped.stdout)[0]).toMatchObject({ mode: 'swapped', oldSchema: 'membership_old' });
  });

  it('swaps the node and ACL projections, whose services keep answering from the swapped-in copies', async () => {
    for (const projection of ['nodes', 'acl']) {
      const swapped = await stack.cli(['replay', projection, '--workers', '1', '--json']);
      expect(swapped.code, swapped.stderr).toBe(0);
      expect(JSON.parse(swapped.stdout)[0]).toMatchObject({ mode: 'swapped', schema: projection, oldSchema: `${projection}_old` });
    }
    const tailnet = await stack.createTailnet('after-node-swap');
    const owner = await tailnet.scim.post('/Users', oktaUser('after.node.swap@example.com'));
    const device = await tailnet.admin.post('/devices', { user: owner.body.id, hostname: 'after-swap' });
    expect(device.status).toBe(201);
    expect((await tailnet.admin.get(`/devices/${device.body.id}`)).body.access.state).toBe('active');
    const check = await fetch(
      `${stack.serviceUrl('acl-projector')}/api/v2/tailnet/-/acl/check?src=${device.body.id}&dst=${device.body.addresses[0]}&port=22`,
      { headers: { authorization: `Bearer ${tailnet.adminApiKey}` } },
    );
    expect(check.status).toBe(200);
  });

  it('keeps serving from the swapped-in copies: reads see new writes, and the state equals a fresh rebuild', async () => {
    await writer;
    const tailnet = await stack.createTailnet('after-swap');
    const created = await tailnet.scim.post('/Users', oktaUser('after.swap@example.com'));
    expect(created.status).toBe(201);
    // The gateway reads directory.* and waits for the live projector's read fence: both must follow the swap.
    const read = await tailnet.scim.get(`/Users/${created.body.id}`);
    expect(read.status).toBe(200);
    await caughtUp(stack);

    const dryRun = await stack.cli(['replay', 'all', '--dry-run', '--json']);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const results = JSON.parse(dryRun.stdout) as Array<{ projection: string; mode: string; tables: Array<{ added: number; changed: number; removed: number; rows: number }> }>;
    expect(results.map((r) => [r.projection, r.mode])).toEqual(PROJECTIONS.map((projection) => [projection, 'dry-run']));
    for (const result of results) {
      expect(result.tables.length).toBeGreaterThan(0);
      for (const table of result.tables) expect(table).toMatchObject({ added: 0, changed: 0, removed: 0 });
    }
    for (const projection of PROJECTIONS) expect(await checksums(stack, `${projection}_replay`)).toEqual(await checksums(stack, projection));

    const feed = await readTopic(stack.kafka, stack.topics.membership);
    expect(feed.flatMap((message) => validateMembershipMessage(message))).toEqual([]);
    const sequences = new Map<string, number[]>();
    for (const message of feed) {
      const { data } = decodeMembershipEvent(message);
      sequences.set(data.groupId, [...(sequences.get(data.groupId) ?? []), data.sequence]);
    }
    for (const seen of sequences.values()) expect(seen).toEqual(seen.map((_, i) => i + 1));
  });

  it('rebuilds the state as of a past time into its own schema, equal to what was live then', async () => {
    const asOf = await stack.cli(['replay', 'all', '--until', pointInTime, '--json']);
    expect(asOf.code, asOf.stderr).toBe(0);
    const results = JSON.parse(asOf.stdout) as Array<{ projection: string; mode: string; schema: string }>;
    for (const result of results) {
      expect(result.mode).toBe('until');
      expect(result.schema).toMatch(new RegExp(`^${result.projection}_asof_t\\d+$`));
      expect(await checksums(stack, result.schema)).toEqual(before[result.projection]);
    }
  });

  it('drops the replaced copies on request', async () => {
    const dropped = await stack.cli(['replay', 'drop-old', 'all', '--json']);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(JSON.parse(dropped.stdout)).toEqual(PROJECTIONS.map((projection) => ({ projection, dropped: `${projection}_old` })));
    const { rows } = await stack.pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE '%\\_old'`);
    expect(rows).toEqual([]);
  });
});
