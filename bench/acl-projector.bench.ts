import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EventTypes, type Actor, type EventEnvelope, type EventType } from '#roster/events';
import { appendToOutbox } from '#roster/outbox';
import { oktaUser, ScimClient, seededRandom, type Stack } from '#roster/testkit';
import { runLoad, type LoadResult } from './http-load.js';
import { gcPauses, type GcPauses } from './process-pauses.js';

/**
 * The ACL projector against the tailnet: 20,000 users, 2,000 synced groups (5 per user), 100,000 nodes
 * (20 % tagged), 1,000 rules. The fixture is written as events into the outbox, so the real relay, Kafka and the
 * projector carry it (SCIM would take far too long for 222,000 changes); its policy is a PolicyUpdated event for
 * the same reason (the admin API would reject groups the directory does not have). The measured membership
 * changes go through SCIM: an Okta PATCH on a group created through SCIM, then the check API polled until it
 * answers the new way.
 */
// ACL_BENCH_SCALE=0.05 runs a twentieth of the tailnet, to try the benchmark out quickly.
const SCALE = Number(process.env.ACL_BENCH_SCALE ?? 1);
const USERS = Math.round(20_000 * SCALE);
const GROUPS = Math.round(2_000 * SCALE);
const GROUPS_PER_USER = 5;
const NODES = Math.round(100_000 * SCALE);
const TAGGED = Math.round(20_000 * SCALE);
const TAGS = 100;
const RULES = 1_000;
const HTTP_CHECKS = 20_000;
const MEMBERSHIP_CHANGES = 200;
const PORTS = [22, 80, 443, 5432, 6379, 8080];
const PROBE_HOST = '10.99.0.1';

export type AclProjectorBench = {
  tailnet: { users: number; groups: number; nodes: number; rules: number };
  seededEvents: number;
  seedSeconds: number;
  checkHttpC1: LoadResult;
  checkHttpC8: LoadResult;
  membership: {
    samples: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    /** SCIM response → the event read from Kafka by another consumer (the relay's part and Kafka's). */
    toKafkaP50Ms: number;
    toKafkaP99Ms: number;
    /** That read → the check API answering the new way (the projector's part, as near as a second reader tells). */
    afterKafkaP50Ms: number;
    afterKafkaP99Ms: number;
  };
  rssMiB: number;
  peakRssMiB: number;
  /** The projector's garbage collections over the whole run, from its /metrics. */
  gc: GcPauses;
  /** Cumulative counts of the measured membership events by their age when memory reflected them (le seconds). */
  eventAgeBuckets: Record<string, number>;
  restartReadySeconds: number;
  rssAfterRestartMiB: number;
};

export async function runAclProjectorBench(stack: Stack): Promise<AclProjectorBench> {
  const tailnet = await stack.createTailnet('acl-bench', 'example.com');
  const okta = new ScimClient(tailnet.scimUrl, tailnet.token, 'Okta SCIM Client 1.0.0');
  const probeUser = (await okta.post('/Users', oktaUser('probe.user@example.com'))).body.id as string;
  const probeGroup = (await okta.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Probe Team', members: [] })).body
    .id as string;

  const random = seededRandom(0xac1);
  const fixture = buildFixture(tailnet.tailnetId, random);
  const seedStart = performance.now();
  for (let start = 0; start < fixture.length; start += 5_000) {
    const client = await stack.pool.connect();
    try {
      await client.query('BEGIN');
      await appendToOutbox(client, fixture.slice(start, start + 5_000));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  // The policy is the fixture's last event, on the tailnet's one partition: once it is in the acl tables, so is the rest.
  for (const deadline = Date.now() + 1_200_000; ; await new Promise((resolve) => setTimeout(resolve, 200))) {
    const { rows } = await stack.pool.query('SELECT 1 FROM acl.policies WHERE tailnet_id = $1', [tailnet.tailnetId]).catch(() => ({ rows: [] }));
    if (rows.length > 0) break;
    if (Date.now() > deadline) throw new Error('the ACL projector did not apply the fixture within 20 minutes');
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;
  // The directory projector applies the same 222,000 events more slowly; measuring while it still works would
  // measure its CPU use, so wait for it too.
  await stack.waitUntilApplied('directory', 1_200_000);
  // The fixture left 222,000 dead outbox rows; the relay vacuums the outbox every 10 s in its publishing loop, and
  // the first such vacuum would otherwise land in the middle of the measured changes. SCIM traffic never piles up
  // that many at once.
  await stack.pool.query('VACUUM writes.outbox, writes.read_fences');

  const base = `${stack.serviceUrl('acl-projector')}/api/v2/tailnet/${tailnet.tailnetId}`;
  const headers = { authorization: `Bearer ${tailnet.adminApiKey}` };
  const checkPath = (index: number) => {
    const src = index % 10 === 0 ? `user${index % USERS}@example.com` : nodeId(pickWith(index * 7919, NODES));
    const dst = nodeId(pickWith(index * 104_729 + 1, NODES));
    return `/acl/check?src=${encodeURIComponent(src)}&dst=${dst}&port=${PORTS[index % PORTS.length]}`;
  };
  const ok = (status: number) => status === 200;
  await runLoad({ baseUrl: base, concurrency: 4, total: 2_000, request: (i) => ({ method: 'GET', path: checkPath(i), headers }), check: ok });
  const checkHttpC1 = await runLoad({ baseUrl: base, concurrency: 1, total: HTTP_CHECKS, request: (i) => ({ method: 'GET', path: checkPath(i), headers }), check: ok });
  const checkHttpC8 = await runLoad({ baseUrl: base, concurrency: 8, total: HTTP_CHECKS, request: (i) => ({ method: 'GET', path: checkPath(i), headers }), check: ok });

  let lastAnswer = '';
  const probeCheck = async () => {
    const response = await fetch(`${base}/acl/check?src=probe.user@example.com&dst=${PROBE_HOST}&port=22`, { headers });
    lastAnswer = `${response.status} ${await response.text()}`;
    return response.status === 200 && (JSON.parse(lastAnswer.slice(4)) as { allowed: boolean }).allowed;
  };
  const ageBefore = eventAges(await fetch(`${stack.serviceUrl('acl-projector')}/metrics`).then((r) => r.text()));
  // A second reader of the log, to split each sample into "until the event is on Kafka" and "after".
  const arrivals: number[] = [];
  const reader = stack.kafka.consumer({ groupId: `${stack.namespace}acl-bench-reader-${randomUUID()}`, maxWaitTimeInMs: 50 });
  await reader.connect();
  await reader.subscribe({ topic: stack.topics.tailnetEvents, fromBeginning: false });
  let readerReady: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => (readerReady = resolve));
  reader.on(reader.events.GROUP_JOIN, () => readerReady());
  await reader.run({
    eachMessage: async ({ message }) => {
      if (message.headers?.ce_subject?.toString() === probeGroup || message.value?.toString().includes(probeGroup)) arrivals.push(performance.now());
    },
  });
  await joined;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const toKafka: number[] = [];
  const afterKafka: number[] = [];
  const samples: number[] = [];
  for (let change = 0; change < MEMBERSHIP_CHANGES; change++) {
    const adding = change % 2 === 0;
    const operation = adding
      ? { op: 'add', path: 'members', value: [{ value: probeUser, display: 'probe.user@example.com' }] }
      : { op: 'remove', path: `members[value eq "${probeUser}"]` };
    const response = await okta.request('PATCH', `/Groups/${probeGroup}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [operation] });
    if (response.status >= 300) throw new Error(`SCIM PATCH failed: ${response.status} ${JSON.stringify(response.body)}`);
    const answered = performance.now();
    const deadline = answered + 10_000;
    while ((await probeCheck()) !== adding) {
      if (performance.now() > deadline) {
        const status = await fetch(`${base}/acl/status`, { headers }).then((r) => r.text());
        throw new Error(`membership change ${change} not reflected in the check API within 10 s: ${lastAnswer}; status ${status.slice(0, 2000)}`);
      }
    }
    const visible = performance.now();
    samples.push(visible - answered);
    for (const deadline = Date.now() + 2_000; arrivals.length <= change && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 5));
    if (arrivals.length > change) {
      toKafka.push(arrivals[change] - answered);
      afterKafka.push(visible - arrivals[change]);
    }
  }
  await reader.disconnect();
  for (const list of [samples, toKafka, afterKafka]) list.sort((a, b) => a - b);

  const metricsText = await fetch(`${stack.serviceUrl('acl-projector')}/metrics`).then((r) => r.text());
  const gc = gcPauses(metricsText);
  const ageAfter = eventAges(metricsText);
  // Per bucket, the membership events alone (the histogram also holds the fixture's).
  const eventAgeBuckets = Object.fromEntries([...ageAfter].map(([bound, count]) => [bound, count - (ageBefore.get(bound) ?? 0)]));
  const pid = stack.services.get('acl-projector')!.child.pid!;
  const { rssMiB, peakRssMiB } = memoryOf(pid);

  await stack.stopService('acl-projector');
  const restartStart = performance.now();
  await stack.startService('acl-projector');
  await stack.waitUntil('acl-projector', 'readyz', 600_000);
  const restartReadySeconds = (performance.now() - restartStart) / 1000;
  // The first check compiles the policy against the reloaded world; memory is measured after it.
  await probeCheck();
  const rssAfterRestartMiB = memoryOf(stack.services.get('acl-projector')!.child.pid!).rssMiB;

  return {
    tailnet: { users: USERS, groups: GROUPS, nodes: NODES, rules: RULES },
    seededEvents: fixture.length,
    seedSeconds,
    checkHttpC1,
    checkHttpC8,
    membership: {
      samples: samples.length,
      p50Ms: percentile(samples, 0.5),
      p99Ms: percentile(samples, 0.99),
      maxMs: samples[samples.length - 1],
      toKafkaP50Ms: percentile(toKafka, 0.5),
      toKafkaP99Ms: percentile(toKafka, 0.99),
      afterKafkaP50Ms: percentile(afterKafka, 0.5),
      afterKafkaP99Ms: percentile(afterKafka, 0.99),
    },
    rssMiB,
    peakRssMiB,
    gc,
    eventAgeBuckets,
    restartReadySeconds,
    rssAfterRestartMiB,
  };
}

function buildFixture(tailnetId: string, random: () => number): EventEnvelope[] {
  const actor: Actor = { kind: 'scim-token', id: 'bench', idp: 'okta' };
  const time = new Date().toISOString();
  const versions = new Map<string, number>();
  const event = (type: EventType, aggregateType: EventEnvelope['aggregateType'], aggregateId: string, data: Record<string, unknown>): EventEnvelope => {
    const version = (versions.get(aggregateId) ?? 0) + 1;
    versions.set(aggregateId, version);
    return { id: randomUUID(), type, schemaVersion: EventTypes[type], tailnetId, aggregateType, aggregateId, aggregateVersion: version, time, actor, correlationId: 'acl-bench', data };
  };
  const users = Array.from({ length: USERS }, () => randomUUID());
  const groups = Array.from({ length: GROUPS }, () => randomUUID());
  const events: EventEnvelope[] = [];
  users.forEach((userId, index) => {
    const userName = `user${index}@example.com`;
    const attributes = { userName, active: true, emails: [{ value: userName, primary: true, type: 'work' }], displayName: `User ${index}` };
    events.push(event('UserCreated', 'User', userId, { userId, userName, active: true, attributes }));
  });
  groups.forEach((groupId, index) => events.push(event('GroupCreated', 'Group', groupId, { groupId, displayName: `Team ${index}`, externalId: null })));
  users.forEach((userId) => {
    const joined = new Set<number>();
    while (joined.size < GROUPS_PER_USER) joined.add(pick(random, GROUPS));
    for (const group of joined) events.push(event('GroupMemberAdded', 'Group', groups[group], { groupId: groups[group], userIds: [userId] }));
  });
  for (let node = 0; node < NODES; node++) {
    const tagged = node < TAGGED;
    const id = nodeId(node);
    events.push(
      event('NodeRegistered', 'Node', id, {
        nodeId: id,
        ownerUserId: tagged ? null : users[pick(random, USERS)],
        tags: tagged ? [`tag:svc-${pick(random, TAGS)}`] : [],
        hostname: `host-${node}`,
        ipv4: `100.${64 + (node >>> 16)}.${(node >>> 8) & 255}.${node & 255}`,
        nodeKey: `nodekey:${node}`,
        keyExpiry: '2030-01-01T00:00:00.000Z',
        keyExpiryDisabled: tagged,
      }),
    );
  }
  const policy = policyText(random);
  events.push(event('PolicyUpdated', 'Policy', tailnetId, { policy, sha256: 'bench' }));
  return events;
}

function policyText(random: () => number): string {
  const tagOwners = Object.fromEntries(Array.from({ length: TAGS }, (_, tag) => [`tag:svc-${tag}`, [`group:team ${pick(random, GROUPS)}@example.com`]]));
  const source = () => {
    const draw = random();
    if (draw < 0.6) return `group:team ${pick(random, GROUPS)}@example.com`;
    if (draw < 0.75) return `user${pick(random, USERS)}@example.com`;
    if (draw < 0.9) return `tag:svc-${pick(random, TAGS)}`;
    return 'autogroup:member';
  };
  const destination = () => {
    const draw = random();
    const port = PORTS[pick(random, PORTS.length)];
    if (draw < 0.5) return `tag:svc-${pick(random, TAGS)}:${port}`;
    if (draw < 0.7) return `group:team ${pick(random, GROUPS)}@example.com:${port}`;
    if (draw < 0.8) return `autogroup:self:*`;
    if (draw < 0.95) return `100.${64 + pick(random, 2)}.${pick(random, 256)}.0/24:${port}`;
    return `10.${pick(random, 256)}.0.0/16:8000-9000`;
  };
  const acls = Array.from({ length: RULES - 1 }, () => ({
    action: 'accept',
    src: Array.from({ length: 1 + pick(random, 3) }, source),
    dst: Array.from({ length: 1 + pick(random, 3) }, destination),
  }));
  // The rule the measured membership changes flip: the SCIM-pushed group reaches the probe host.
  acls.push({ action: 'accept', src: ['group:probe team@example.com'], dst: [`${PROBE_HOST}:22`] });
  return `// generated ACL projector benchmark policy\n${JSON.stringify({ tagOwners, acls }, null, 2)}`;
}

/** Node ids are UUIDs, as the node registry's aggregates are; derived from the index so checks can name them. */
function nodeId(index: number): string {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

function eventAges(metrics: string): Map<string, number> {
  const buckets = new Map<string, number>();
  for (const match of metrics.matchAll(/^roster_acl_event_age_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\d+)$/gm)) buckets.set(match[1], Number(match[2]));
  return buckets;
}

function pickWith(seed: number, count: number): number {
  return Math.abs(Math.imul(seed, 2_654_435_761) >>> 0) % count;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function pick(random: () => number, count: number): number {
  return Math.floor(random() * count);
}
