import hdr from 'hdr-histogram-js';
import { OUTBOX_COLUMNS, outboxRowsFrom, outboxValues } from '#roster/outbox';
import { KeyExpirySweeper, randomTailnetAddress, registerNode, type NodeState } from '#roster/nodes';
import { createLogger, ManualClock } from '#roster/platform';
import { oktaUser, type Stack } from '#roster/testkit';
import type { EventEnvelope } from '#roster/events';
import { runLoad, type LoadResult } from './http-load.js';

const USERS = 20_000;
const NODES = 200_000;
const EXPIRING = 10_000;
const SUSPENDED_USERS = 40;
const NODES_OF_SUSPENDED = 50;
const SEED_CONCURRENCY = 32;
const FIXTURE_CHUNK = 5_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type NodesFigures = {
  seeding: { users: LoadResult; nodesSeconds: number; projectedSeconds: number };
  sweep: { recorded: number; seconds: number; projectedSeconds: number };
  suspension: { samples: number; p50Ms: number; p99Ms: number; maxMs: number };
  expiringBefore: { c1: LoadResult; c8: LoadResult };
};

/**
 * Issue 4's figures on a tailnet of 200,000 nodes across 20,000 users, with the services they involve running:
 * the sweep that records 10,000 newly expired keys, a 50-node user's suspension reaching the node list after the
 * SCIM 200, and `expiring before` lists.
 *
 * Users are provisioned through SCIM. The 200,000 registrations are a fixture: the same domain function and the
 * same write-side rows (aggregate, address claim, outbox event) as `POST /devices`, inserted 5,000 per statement,
 * then relayed to Kafka and projected by the real services; registering them one HTTP call at a time would take
 * most of the benchmark's budget.
 */
export async function runNodesBench(stack: Stack): Promise<NodesFigures> {
  const tailnet = await stack.createTailnet('nodes-bench');
  const { ids: users, load: userLoad } = await seedUsers(stack, tailnet.scim.baseUrl, tailnet.token);
  const now = Date.now();
  // Expiries: 10,000 inside one hour 90 days out, the rest spread from 91 to 180 days out.
  const window = now + 90 * DAY_MS;
  const fixtureStarted = process.hrtime.bigint();
  await seedNodes(stack, tailnet.tailnetId, users, (index) =>
    index < EXPIRING ? window + (index / EXPIRING) * HOUR_MS : now + 91 * DAY_MS + ((index - EXPIRING) / NODES) * 89 * DAY_MS,
  );
  const nodesSeconds = Number(process.hrtime.bigint() - fixtureStarted) / 1e9;
  await waitFor(stack, `SELECT count(*)::int AS n FROM nodes.nodes WHERE tailnet_id = $1`, [tailnet.tailnetId], NODES);
  const projectedSeconds = Number(process.hrtime.bigint() - fixtureStarted) / 1e9;
  await stack.pool.query('ANALYZE nodes.nodes');

  const sweeper = new KeyExpirySweeper(stack.pool, new ManualClock(new Date(window + HOUR_MS)), createLogger('bench', 'warn'), undefined, {
    batchSize: 2_000,
  });
  const sweepStarted = process.hrtime.bigint();
  const swept = await sweeper.sweep();
  await waitFor(stack, `SELECT count(*)::int AS n FROM nodes.nodes WHERE tailnet_id = $1 AND key_expired`, [tailnet.tailnetId], EXPIRING);
  const sweepProjected = Number(process.hrtime.bigint() - sweepStarted) / 1e9;

  const suspension = await measureSuspensions(tailnet.scim.baseUrl, tailnet.token, tailnet.admin.baseUrl, tailnet.adminApiKey, users);
  const listExpiring = (concurrency: number) => runLoad({
    baseUrl: tailnet.admin.baseUrl,
    concurrency,
    total: 2_000,
    request: (index) => ({
      method: 'GET',
      path: `/devices?limit=100&expiringBefore=${new Date(window + HOUR_MS + (index % 100) * DAY_MS * 0.8).toISOString()}`,
      headers: { authorization: `Bearer ${tailnet.adminApiKey}` },
    }),
    check: (status) => status === 200,
  });
  const expiringBefore = { c1: await listExpiring(1), c8: await listExpiring(8) };
  return {
    seeding: { users: userLoad, nodesSeconds, projectedSeconds },
    sweep: { recorded: swept.recorded, seconds: swept.seconds, projectedSeconds: sweepProjected },
    suspension,
    expiringBefore,
  };
}

async function seedUsers(stack: Stack, scimUrl: string, token: string) {
  const ids: string[] = [];
  const load = await runLoad({
    baseUrl: scimUrl,
    concurrency: SEED_CONCURRENCY,
    total: USERS,
    request: (index) => ({
      method: 'POST',
      path: '/Users',
      body: oktaUser(`device.owner.${index}@example.com`),
      headers: { authorization: `Bearer ${token}` },
    }),
    check: (status, body) => {
      if (status !== 201) return false;
      ids.push(JSON.parse(body).id);
      return true;
    },
  });
  if (load.errors > 0) throw new Error(`${load.errors} user creations failed`);
  await waitFor(stack, 'SELECT count(*)::int AS n FROM nodes.owners', [], USERS);
  return { ids, load };
}

/** Node i belongs to user i mod 20,000, except that the first users own 50 nodes each for the suspension samples. */
function ownerOf(users: string[], index: number): string {
  const reserved = SUSPENDED_USERS * NODES_OF_SUSPENDED;
  if (index >= NODES - reserved) return users[Math.floor((index - (NODES - reserved)) / NODES_OF_SUSPENDED)];
  return users[SUSPENDED_USERS + (index % (users.length - SUSPENDED_USERS))];
}

async function seedNodes(stack: Stack, tailnetId: string, users: string[], expiryOf: (index: number) => number) {
  const used = new Set<string>();
  for (let start = 0; start < NODES; start += FIXTURE_CHUNK) {
    const states: { id: string; state: NodeState }[] = [];
    const events: EventEnvelope[] = [];
    for (let index = start; index < Math.min(NODES, start + FIXTURE_CHUNK); index++) {
      let ipv4 = randomTailnetAddress();
      while (used.has(ipv4)) ipv4 = randomTailnetAddress();
      used.add(ipv4);
      // Registered 180 days before its expiry, so the key duration gives exactly the expiry wanted.
      const time = new Date(expiryOf(index) - 180 * DAY_MS).toISOString();
      const change = registerNode(
        tailnetId,
        { owner: { userId: ownerOf(users, index), active: true, deleted: false }, tags: [], hostname: `device-${index}`, ipv4, keyExpiryDays: 180 },
        { actor: { kind: 'admin-api-key', id: 'bench' }, correlationId: `bench-${index}`, time },
      );
      states.push({ id: change.events[0].aggregateId, state: change.state });
      events.push(...change.events);
    }
    await stack.pool.query(
      `WITH aggregates AS (
         INSERT INTO writes.aggregates (aggregate_id, tailnet_id, aggregate_type, version, state)
         SELECT id, $1, 'Node', 1, state FROM unnest($2::uuid[], $3::json[]) AS a(id, state)),
       claims AS (
         INSERT INTO writes.unique_claims (tailnet_id, scope, key, aggregate_id)
         SELECT $1, 'nodeIp', ip, id FROM unnest($2::uuid[], $4::text[]) AS c(id, ip))
       INSERT INTO writes.outbox (${OUTBOX_COLUMNS}) SELECT * FROM ${outboxRowsFrom(5)}`,
      [
        tailnetId,
        states.map((node) => node.id),
        states.map((node) => JSON.stringify(node.state)),
        states.map((node) => node.state.ipv4),
        ...outboxValues(events),
      ],
    );
    await stack.pool.query(`SELECT pg_notify('roster_outbox', '')`);
  }
}

/** Suspends users with 50 nodes each through SCIM and times the 200 → all 50 nodes listed as owner-suspended. */
async function measureSuspensions(scimUrl: string, token: string, adminUrl: string, adminKey: string, users: string[]) {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  for (let i = 0; i < SUSPENDED_USERS; i++) {
    const user = users[i];
    const response = await fetch(`${scimUrl}/Users/${user}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] }),
    });
    if (response.status !== 200) throw new Error(`suspension answered ${response.status}`);
    const answered = process.hrtime.bigint();
    for (;;) {
      const list = await fetch(`${adminUrl}/devices?user=${user}&state=owner-suspended&limit=${NODES_OF_SUSPENDED}`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      const { devices } = (await list.json()) as { devices: unknown[] };
      if (devices.length === NODES_OF_SUSPENDED) break;
      if (Number(process.hrtime.bigint() - answered) > 30e9) throw new Error('suspension not reflected within 30 s');
    }
    histogram.recordValue(Number((process.hrtime.bigint() - answered) / 1000n));
  }
  return {
    samples: SUSPENDED_USERS,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
    maxMs: histogram.maxValue / 1000,
  };
}

async function waitFor(stack: Stack, sql: string, values: unknown[], target: number, timeoutMs = 15 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await stack.pool.query<{ n: number }>(sql, values);
    if (rows[0].n >= target) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${target} after ${timeoutMs} ms: ${sql}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
