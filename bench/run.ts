import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findRepoRoot } from '#roster/platform';
import { ROSTER_SERVICES, Stack, type Infra, type ServiceName } from '#roster/testkit';
import { runAclBench } from '../libs/acl/bench/acl.bench.js';
import { runAclProjectorBench } from './acl-projector.bench.js';
import { runPatchBench } from '../libs/scim/bench/patch.bench.js';
import { runFoundationBench } from './foundation.bench.js';
import { runNodesBench } from './nodes.bench.js';
import { fixed, row } from './report.js';
import { runReplayBench } from './replay.bench.js';
import { FILTER_FIRST_USES, runProvisioningCycle, runScimCycleBench, type FilterFigures, type FilterRow, type ProvisioningCycleFigures } from './scim-cycle.bench.js';

/**
 * `npm run bench [-- <section> …]`: starts the infrastructure, runs every benchmark section (or the named ones),
 * prints the figures. Each section starts the stacks it needs.
 */
type Section = (infra: Infra) => Promise<void>;

const sections: Record<string, Section> = {
  scim: scimSections,
  'scim-cycle': scimCycleSection,
  nodes: nodesSection,
  patch: async () => {
    console.log('\nSCIM PATCH on large groups (libs/scim, in-process)');
    console.table(runPatchBench());
  },
  acl: async () => {
    console.log('\nACL evaluator (libs/acl, in-process): 20,000 users, 2,000 groups, 100,000 nodes, 1,000 rules');
    console.table(await runAclBench());
    console.log('Targets: compile ≤ 1 s, check p99 ≤ 20 µs, heap ≤ 1 GiB');
  },
  'acl-projector': aclProjectorSection,
  replay: async (infra) => {
    const figures = await runReplayBench(infra);
    console.log(
      `\nReplay (issue 6): rebuild the directory projection from ${figures.events.toLocaleString('en')} events ` +
        `(a fixture written straight to a bench topic with encodeEvent, not through SCIM; ${fixed(figures.produce.seconds)} s to produce)`,
    );
    console.log(`Event mix: ${Object.entries(figures.mix).map(([type, n]) => `${type} ${n}`).join(', ')}`);
    const ratio = (rate: number) => `${fixed((100 * figures.rebuild.perSecond) / rate)} %`;
    console.table({
      [`rebuild (roster replay: ${figures.rebuild.workers} worker threads × ProjectorRuntime)`]: { seconds: Number(fixed(figures.rebuild.seconds, 2)), 'events/s': Math.round(figures.rebuild.perSecond), 'rebuild as % of this': '' },
      'kafkajs alone (1 consumer, no work)': { seconds: Number(fixed(figures.kafkaConsume.seconds, 2)), 'events/s': Math.round(figures.kafkaConsume.perSecond), 'rebuild as % of this': ratio(figures.kafkaConsume.perSecond) },
      [`PostgreSQL COPY of the same ${figures.copy.rows.toLocaleString('en')} rows`]: { seconds: Number(fixed(figures.copy.seconds, 2)), 'events/s': Math.round(figures.copy.eventsPerSecondEquivalent), 'rebuild as % of this': ratio(figures.copy.eventsPerSecondEquivalent) },
    });
    console.log(`COPY: ${Math.round(figures.copy.rowsPerSecond)} rows/s (${Object.entries(figures.copy.tables).map(([t, n]) => `${t} ${n}`).join(', ')})`);
    console.log('Target: rebuild ≤ 30 s (≥ 33,000 events/s)');
  },
};

/** A benchmark drives one tailnet far harder than an IdP would, so the per-tailnet rate limit is lifted. */
function benchStack(name: string, infra: Infra, services?: ServiceName[]): Promise<Stack> {
  return Stack.start(name, infra, { SCIM_RATE_LIMIT_PER_SECOND: '1000000', SCIM_RATE_LIMIT_BURST: '1000000' }, services);
}

async function aclProjectorSection(infra: Infra) {
  const stack = await benchStack('bench_acl', infra, ['scim-gateway', 'directory-projector', 'acl-projector']);
  try {
    const result = await runAclProjectorBench(stack);
    const { users, groups, nodes, rules } = result.tailnet;
    console.log(`\nACL projector (real stack): ${users} users, ${groups} groups, ${nodes} nodes, ${rules} rules`);
    console.log(
      `Fixture: ${result.seededEvents} events written into the outbox (not through SCIM) and carried by the relay, Kafka and the ` +
        `projector in ${fixed(result.seedSeconds)} s; the measured membership changes go through SCIM`,
    );
    console.table({ 'check over HTTP, concurrency 1': row(result.checkHttpC1), 'check over HTTP, concurrency 8': row(result.checkHttpC8) });
    console.log(
      `Membership change (Okta PATCH) → check API answers the new way: p50 ${fixed(result.membership.p50Ms, 2)} ms, ` +
        `p99 ${fixed(result.membership.p99Ms, 2)} ms, max ${fixed(result.membership.maxMs, 2)} ms (${result.membership.samples} samples, after the SCIM response)`,
    );
    console.log(
      `Projector memory: RSS ${fixed(result.rssMiB)} MiB (peak ${fixed(result.peakRssMiB)} MiB); after a restart from its tables: ` +
        `ready in ${fixed(result.restartReadySeconds, 2)} s, RSS ${fixed(result.rssAfterRestartMiB)} MiB`,
    );
    console.log(
      `Projector GC over the run: ${Object.entries(result.gc)
        .map(([kind, { count, seconds }]) => `${kind} ${count}× (${fixed(seconds * 1000, 0)} ms in all)`)
        .join(', ')}`,
    );
    const m = result.membership;
    console.log(
      `  split by a second reader of the log: SCIM response → on Kafka p50 ${fixed(m.toKafkaP50Ms, 2)} ms, p99 ${fixed(m.toKafkaP99Ms, 2)} ms; ` +
        `on Kafka → check API p50 ${fixed(m.afterKafkaP50Ms, 2)} ms, p99 ${fixed(m.afterKafkaP99Ms, 2)} ms`,
    );
    console.log(
      `  recorded → in the projector's memory, cumulative by seconds: ${Object.entries(result.eventAgeBuckets)
        .filter(([bound]) => Number(bound) <= 0.2)
        .map(([bound, count]) => `≤${bound}: ${count}`)
        .join(', ')}`,
    );
    console.log('Targets: check over HTTP p99 ≤ 2 ms, membership change ≤ 50 ms p99, RSS ≤ 1 GiB (compile and in-process check: section acl)');
  } finally {
    await stack.stop();
  }
}

async function scimSections(infra: Infra) {
  const stack = await benchStack('bench', infra, SCIM_SERVICES);
  try {
    await stack.waitUntil('directory-projector', 'readyz');
    const foundation = await runFoundationBench(stack);
    console.log('\nFoundation (issue 2): SCIM POST /Users with gateway, outbox relay, Kafka and directory projector on this machine');
    console.table({
      'create, concurrency 1': row(foundation.createC1),
      'create, concurrency 32': row(foundation.createC32),
    });
    console.log(
      `201 → visible through a userName filter: p50 ${fixed(foundation.visibleP50Ms, 2)} ms, p99 ${fixed(foundation.visibleP99Ms, 2)} ms (${foundation.visibleSamples} samples)`,
    );
    console.log('Targets: ≥ 500 creates/s at concurrency 32, p99 create ≤ 50 ms, p99 visible ≤ 100 ms');

    // The other projectors join now, and catch up on the foundation's events before the cycle starts.
    const others = ROSTER_SERVICES.filter((service) => !SCIM_SERVICES.includes(service));
    for (const service of others) await stack.startService(service);
    for (const service of others) await stack.waitUntil(service, 'readyz', 5 * 60_000);
    const cycle = await runScimCycleBench(stack, SCIM_SERVICES);
    printCycle('all five Roster services running', cycle);
    printCycle('only the services a SCIM request involves running (gateway, directory projector)', cycle.scimServicesOnly);
    console.log(
      `Seeded ${cycle.seeding.count} users at concurrency 32 in ${fixed(cycle.seeding.seconds)} s (${Math.round(cycle.seeding.perSecond)}/s, ` +
        `${cycle.seeding.errors} errors); all findable ${fixed(cycle.seeding.catchUpSeconds)} s later; every projector caught up within ` +
        `${fixed(cycle.seeding.settledSeconds)} s more, and the filters below were timed from then on`,
    );
    for (const [label, filters] of [['concurrency 8', cycle.filters], ['one at a time', cycle.filtersOneAtATime]] as const) {
      console.log(`Filters with 100,000 users in the tailnet, as Entra sends them (no count; a page holds at most 200), ${label}`);
      console.table(Object.fromEntries(Object.entries(filters).map(([attribute, result]) => [attribute, { matches: result.matches, ...row(result), ...firstUses(result) }])));
    }
    console.log(
      `At concurrency 8 each filter's stream began with ${FILTER_FIRST_USES} lookups of other users, left out of its figures: ` +
        '"first uses" is their slowest (the first use of a statement on each of the gateway\'s PostgreSQL connections parses ' +
        'and plans it, and eight requests sent at once queue behind each other). Connections to the gateway are opened ' +
        'before timing, as an IdP keeps its own alive',
    );
    console.log('The floor under every latency above: GET /ServiceProviderConfig, authenticated, reading nothing from PostgreSQL');
    console.table({ 'one at a time': row(cycle.floor.oneAtATime), 'concurrency 8': row(cycle.floor.concurrency8) });
    console.log('Targets: ≥ 1,000 SCIM operations/s overall, p99 ≤ 35 ms for every phase, 0 errors, filter p99 ≤ 5 ms at 100,000 users');
  } finally {
    await stack.stop();
  }
}

/** The provisioning cycle alone, all five services running: the `scim` section's first cycle, in a minute. */
async function scimCycleSection(infra: Infra) {
  const stack = await benchStack('bench_cycle', infra, ROSTER_SERVICES);
  try {
    for (const service of ROSTER_SERVICES) await stack.waitUntil(service, 'readyz');
    printCycle('all five Roster services running', await runProvisioningCycle(stack, 'bench-entra-cycle'));
  } finally {
    await stack.stop();
  }
}

/** The SCIM gateway and the projector its reads (and read-your-writes) depend on. */
const SCIM_SERVICES: ServiceName[] = ['scim-gateway', 'directory-projector'];

function printCycle(services: string, cycle: ProvisioningCycleFigures) {
  console.log(`\nEntra provisioning cycle: 5,000 users, 100 groups + one 5,000-member group, concurrency 8, ${services}`);
  console.table(Object.fromEntries(Object.entries(cycle.phases).map(([phase, result]) => [phase, row(result)])));
  console.log(
    `Overall: ${cycle.overall.operations} SCIM operations in ${fixed(cycle.overall.seconds, 2)} s = ${Math.round(cycle.overall.perSecond)} ops/s, ` +
      `errors ${cycle.overall.errors}; the gateway kept ${fixed(cycle.gatewayCoresUsed, 2)} cores busy; ` +
      `the hypervisor took ${fixed(100 * cycle.stolenShare)} % of the cores' time (steal)`,
  );
  console.log(
    `CPU per operation: ${Object.entries(cycle.cpuMsPerOperation)
      .map(([process, ms]) => `${process} ${fixed(ms, 3)} ms`)
      .join(', ')}`,
  );
  console.log('Pauses during the cycle: garbage collection, and how late each event loop ran a 10 ms timer');
  console.table(
    Object.fromEntries(
      Object.entries(cycle.pauses).map(([service, { gc, eventLoopLateMaxMs, eventLoopLateP99Ms }]) => {
        const collections = Object.values(gc);
        return [
          service,
          {
            'GC count': collections.reduce((sum, kind) => sum + kind.count, 0),
            'GC ms': Math.round(1000 * collections.reduce((sum, kind) => sum + kind.seconds, 0)),
            'GC > 10 ms': collections.reduce((sum, kind) => sum + kind.overTenMs, 0),
            'loop late p99 ms': Number(fixed(eventLoopLateP99Ms, 1)),
            'loop late max ms': Number(fixed(eventLoopLateMaxMs, 1)),
          },
        ];
      }),
    ),
  );
}

async function nodesSection(infra: Infra) {
  const stack = await benchStack('bench_nodes', infra, ['scim-gateway', 'directory-projector', 'node-expiry-projector']);
  try {
    const figures = await runNodesBench(stack);
    console.log('\nNode registry (issue 4): 200,000 nodes across 20,000 users; gateway, directory and node-expiry projectors running');
    console.log(
      `Seeded ${figures.seeding.users.count} users through SCIM (${Math.round(figures.seeding.users.perSecond)}/s); 200,000 node registrations ` +
        `written as a fixture in ${fixed(figures.seeding.nodesSeconds)} s and projected after ${fixed(figures.seeding.projectedSeconds)} s`,
    );
    console.table({
      'expiry sweep (10,000 keys due)': {
        recorded: figures.sweep.recorded,
        seconds: Number(fixed(figures.sweep.seconds, 3)),
        'in the node list after s': Number(fixed(figures.sweep.projectedSeconds, 2)),
      },
    });
    console.log(
      `Suspend a 50-node user (SCIM 200 → all 50 listed owner-suspended), ${figures.suspension.samples} users: ` +
        `p50 ${fixed(figures.suspension.p50Ms, 1)} ms, p99 ${fixed(figures.suspension.p99Ms, 1)} ms, max ${fixed(figures.suspension.maxMs, 1)} ms`,
    );
    console.table({
      'GET devices?expiringBefore (100 per page), concurrency 1': row(figures.expiringBefore.c1),
      'GET devices?expiringBefore (100 per page), concurrency 8': row(figures.expiringBefore.c8),
    });
    console.log('Targets: sweep ≤ 2 s; suspension reflected ≤ 200 ms p99; expiring-before list ≤ 20 ms p99');
  } finally {
    await stack.stop();
  }
}

function firstUses(result: FilterRow | FilterFigures) {
  return 'firstUseMaxMs' in result ? { 'first uses, max ms': Number(fixed(result.firstUseMaxMs, 2)) } : {};
}

/** Sections that repeat part of another, run only when named. */
const ON_REQUEST_ONLY = new Set(['scim-cycle']);

async function main() {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !Object.hasOwn(sections, name));
  if (unknown.length > 0) throw new Error(`unknown bench section(s) ${unknown.join(', ')}; choose from ${Object.keys(sections).join(', ')}`);
  const infra = await import(pathToFileURL(join(findRepoRoot(import.meta.dirname), 'deploy/local/infra.mjs')).href);
  const { brokers, databaseUrl } = await infra.ensureInfra();
  for (const [name, run] of Object.entries(sections)) {
    const runs = requested.length === 0 ? !ON_REQUEST_ONLY.has(name) : requested.includes(name);
    if (runs) await run({ databaseUrl, brokers });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
