import { pathToFileURL } from 'node:url';
import type { AccessQuestion } from '../src/access-question.js';
import { compilePolicy } from '../src/compiled-policy.js';
import { formatIpv4 } from '../src/ip-address.js';
import { parsePolicy } from '../src/policy-parser.js';
import { World } from '../src/world.js';

/**
 * The benchmark: a tailnet of 20,000 users, 2,000 synced groups, 100,000 nodes and a
 * 1,000-rule policy, generated from a seeded PRNG so every run measures the same tailnet.
 * Targets: full compile ≤ 1 s, check p99 ≤ 20 µs in-process, memory ≤ 1 GiB.
 */
const USERS = 20_000;
const GROUPS = 2_000;
const NODES = 100_000;
const TAGGED_NODES = 20_000;
const TAGS = 100;
const RULES = 1_000;
const POLICY_GROUPS = 50;
const HOSTS = 50;
const GROUPS_PER_USER = 5;
const CHECKS = 200_000;
const BATCH = 16;
const MEMBERSHIP_CHANGES = 1_000;
const PACKET_FILTERS = 200;
const COMMON_PORTS = [22, 80, 443, 5432, 6379, 8080, 3306, 9090, 53, 3389];
const FIRST_NODE_ADDRESS = (100 << 24) + (64 << 16) + 1;

export async function runAclBench(): Promise<Record<string, number | string>> {
  const random = mulberry32(0x5eed);
  const world = buildWorld(random);
  const policyText = buildPolicyText(random);

  const parseStart = process.hrtime.bigint();
  const parsedPolicy = parsePolicy(policyText);
  const parseMs = elapsedMs(parseStart);
  if (!parsedPolicy.ok) throw new Error(parsedPolicy.errors.map((error) => error.message).join('\n'));

  const compileStart = process.hrtime.bigint();
  const policy = compilePolicy(parsedPolicy.policy, world);
  const compileMs = elapsedMs(compileStart);

  const questions = buildQuestions(random, CHECKS);
  let allowed = 0;
  for (const question of questions.slice(0, 20_000)) if (policy.check(question).allowed) allowed++; // warm-up: let the JIT settle
  allowed = 0;

  const batchMeans: number[] = [];
  for (let start = 0; start + BATCH <= questions.length; start += BATCH) {
    const batchStart = process.hrtime.bigint();
    for (let index = start; index < start + BATCH; index++) if (policy.check(questions[index]!).allowed) allowed++;
    batchMeans.push(Number(process.hrtime.bigint() - batchStart) / BATCH);
  }

  const timerOverhead = timerOverheadNs();
  const singles: number[] = [];
  for (const question of questions) {
    const checkStart = process.hrtime.bigint();
    policy.check(question);
    singles.push(Math.max(0, Number(process.hrtime.bigint() - checkStart) - timerOverhead));
  }

  const membershipMs = measureMembershipChanges(random, world, policy);
  const firstFilterStart = process.hrtime.bigint();
  const filter = policy.packetFilter('node-99999');
  const packetFilterFirstMs = elapsedMs(firstFilterStart);
  const nextFiltersStart = process.hrtime.bigint();
  for (let node = 0; node < PACKET_FILTERS; node++) policy.packetFilter(`node-${pick(random, NODES)}`);
  const packetFilterNextMs = elapsedMs(nextFiltersStart) / PACKET_FILTERS;

  (globalThis as { gc?: () => void }).gc?.();
  const heapUsedMiB = process.memoryUsage().heapUsed / 2 ** 20;

  return {
    users: USERS,
    groups: GROUPS,
    nodes: NODES,
    rules: RULES,
    checks: CHECKS,
    allowedShare: round(allowed / (batchMeans.length * BATCH), 3),
    parseMs: round(parseMs, 1),
    compileMs: round(compileMs, 1),
    checkP50Us: round(percentile(batchMeans, 0.5) / 1000, 2),
    checkP99Us: round(percentile(batchMeans, 0.99) / 1000, 2),
    checkSingleP50Us: round(percentile(singles, 0.5) / 1000, 2),
    checkSingleP99Us: round(percentile(singles, 0.99) / 1000, 2),
    checkSingleMaxUs: round(percentile(singles, 1) / 1000, 1),
    membershipChangeUs: round((membershipMs * 1000) / MEMBERSHIP_CHANGES, 2),
    packetFilterRules: filter.rules.length,
    packetFilterFirstMs: round(packetFilterFirstMs, 1),
    packetFilterNextMs: round(packetFilterNextMs, 2),
    heapUsedMiB: round(heapUsedMiB, 1),
    gcBeforeHeap: (globalThis as { gc?: unknown }).gc === undefined ? 'no (run node with --expose-gc)' : 'yes',
  };
}

function buildWorld(random: () => number): World {
  const world = new World('example.com');
  for (let user = 0; user < USERS; user++) {
    world.upsertUser({ id: `user-${user}`, email: `user${user}@example.com`, state: random() < 0.01 ? 'suspended' : 'active' });
  }
  for (let group = 0; group < GROUPS; group++) world.upsertGroup({ id: `group-${group}`, displayName: `Team ${group}` });
  for (let user = 0; user < USERS; user++) {
    for (let membership = 0; membership < GROUPS_PER_USER; membership++) world.addMember(`group-${pick(random, GROUPS)}`, `user-${user}`);
  }
  for (let node = 0; node < NODES; node++) {
    const address = formatIpv4(FIRST_NODE_ADDRESS + node);
    const ipv6 = node % 2 === 0 ? `fd7a:115c:a1e0::${(node >>> 16).toString(16)}:${(node & 0xffff).toString(16)}` : undefined;
    const access = random() < 0.01 ? 'key-expired' : 'active';
    const ownership =
      node < TAGGED_NODES
        ? { tags: random() < 0.2 ? [`tag:svc-${pick(random, TAGS)}`, `tag:svc-${pick(random, TAGS)}`] : [`tag:svc-${pick(random, TAGS)}`] }
        : { owner: `user-${pick(random, USERS)}` };
    world.upsertNode({ id: `node-${node}`, ipv4: address, ipv6, access, ...ownership });
  }
  return world;
}

function buildPolicyText(random: () => number): string {
  const groups = Object.fromEntries(
    Array.from({ length: POLICY_GROUPS }, (_, group) => [
      `group:policy-${group}`,
      Array.from({ length: 20 }, () => `user${pick(random, USERS)}@example.com`),
    ]),
  );
  const tagOwners = Object.fromEntries(Array.from({ length: TAGS }, (_, tag) => [`tag:svc-${tag}`, [syncedGroup(random)]]));
  const hosts = Object.fromEntries(Array.from({ length: HOSTS }, (_, host) => [`net-${host}`, `10.${host}.0.0/16`]));
  const acls = Array.from({ length: RULES - 1 }, () => {
    const rule: Record<string, unknown> = {
      action: 'accept',
      src: Array.from({ length: 1 + pick(random, 3) }, () => sourceSelector(random)),
      dst: Array.from({ length: 1 + pick(random, 3) }, () => `${destinationAlias(random)}:${portSpec(random)}`),
    };
    const protocolDraw = random();
    if (protocolDraw < 0.07) rule.proto = 'tcp';
    else if (protocolDraw < 0.1) rule.proto = 'udp';
    return rule;
  });
  // The last rule names a renamed IdP group: the benchmark also pays for the fail-closed bookkeeping.
  acls.push({ action: 'accept', src: ['group:renamed team@example.com'], dst: ['tag:svc-1:443'] });
  return `// generated benchmark policy\n${JSON.stringify({ groups, tagOwners, hosts, acls }, null, 2)}`;
}

function sourceSelector(random: () => number): string {
  const draw = random();
  if (draw < 0.55) return syncedGroup(random);
  if (draw < 0.7) return `group:policy-${pick(random, POLICY_GROUPS)}`;
  if (draw < 0.8) return `user${pick(random, USERS)}@example.com`;
  if (draw < 0.9) return `tag:svc-${pick(random, TAGS)}`;
  if (draw < 0.93) return 'autogroup:member';
  if (draw < 0.95) return 'autogroup:tagged';
  return `net-${pick(random, HOSTS)}`;
}

function destinationAlias(random: () => number): string {
  const draw = random();
  if (draw < 0.45) return `tag:svc-${pick(random, TAGS)}`;
  if (draw < 0.6) return syncedGroup(random);
  if (draw < 0.73) return `group:policy-${pick(random, POLICY_GROUPS)}`;
  if (draw < 0.83) return `net-${pick(random, HOSTS)}`;
  if (draw < 0.88) return `user${pick(random, USERS)}@example.com`;
  if (draw < 0.93) return 'autogroup:self';
  if (draw < 0.98) return `100.64.${pick(random, 256)}.0/24`;
  return '*';
}

function portSpec(random: () => number): string {
  const draw = random();
  if (draw < 0.6) return String(commonOrRandomPort(random));
  if (draw < 0.8) return [commonOrRandomPort(random), commonOrRandomPort(random), commonOrRandomPort(random)].join(',');
  if (draw < 0.92) {
    const first = 1024 + pick(random, 50_000);
    return `${first}-${first + 10 + pick(random, 990)}`;
  }
  if (draw < 0.97) return '8000-20000';
  return '*';
}

function commonOrRandomPort(random: () => number): number {
  return random() < 0.7 ? COMMON_PORTS[pick(random, COMMON_PORTS.length)]! : 1 + pick(random, 65535);
}

function buildQuestions(random: () => number, count: number): AccessQuestion[] {
  return Array.from({ length: count }, () => {
    const src = random() < 0.1 ? { user: `user-${pick(random, USERS)}` } : { node: `node-${pick(random, NODES)}` };
    const dst = { node: `node-${pick(random, NODES)}` };
    return { src, dst, port: random() < 0.8 ? COMMON_PORTS[pick(random, COMMON_PORTS.length)]! : 1 + pick(random, 65535) };
  });
}

/** A membership change and the first check that depends on it: the full cost of applying it. */
function measureMembershipChanges(random: () => number, world: World, policy: ReturnType<typeof compilePolicy>): number {
  const start = process.hrtime.bigint();
  for (let change = 0; change < MEMBERSHIP_CHANGES; change++) {
    const user = `user-${pick(random, USERS)}`;
    world.addMember(`group-${pick(random, GROUPS)}`, user);
    policy.check({ src: { user }, dst: { node: `node-${pick(random, NODES)}` }, port: 443 });
  }
  return elapsedMs(start);
}

function syncedGroup(random: () => number): string {
  return `group:team ${pick(random, GROUPS)}@example.com`;
}

function timerOverheadNs(): number {
  const samples: number[] = [];
  for (let sample = 0; sample < 10_000; sample++) {
    const start = process.hrtime.bigint();
    samples.push(Number(process.hrtime.bigint() - start));
  }
  return percentile(samples, 0.5);
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(random: () => number, count: number): number {
  return Math.floor(random() * count);
}

function percentile(values: number[], fraction: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runAclBench();
  for (const [name, value] of Object.entries(results)) console.log(`${name.padEnd(20)} ${value}`);
}
