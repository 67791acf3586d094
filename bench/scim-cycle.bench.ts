import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import hdr, { type Histogram } from 'hdr-histogram-js';
import type { ServiceName, Stack } from '#roster/testkit';
import { LoadClient, runLoad, type BenchRequest, type LoadResult } from './http-load.js';
import { pausesBetween, scrapeServices, type ServicePauses } from './process-pauses.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const MICROSOFT_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTRA_USER_AGENT = 'Azure Active Directory SCIM client';

/** How big a cycle is: its users, and its groups, each of which gets `users / groups` of them. */
type CycleShape = { users: number; groups: number };

const MEASURED: CycleShape = { users: 5_000, groups: 100 };
const MEMBER_BATCH = 100;
const CONCURRENCY = 8;
const SEEDED_USERS = 100_000;
const SEED_CONCURRENCY = 32;
const FILTERS_PER_ATTRIBUTE = 500;
export const FILTER_FIRST_USES = 50;
const CATCH_UP_TIMEOUT_MS = 10 * 60_000;
/** The measured cycle's shape at a tenth of the size: every request kind runs, with a 500-member group. */
const WARM_UP: CycleShape = { users: 500, groups: 10 };
/** Longer than the membership feed publisher's poll, so the warm-up's feed is out before the measured cycle. */
const WARM_UP_DRAIN_MS = 1_500;
const ALL_STAFF = 'All Staff (EMEA) [core]';

// No 'John' here, so that `userName sw "john.smith"` can only match the hard name below.
const GIVEN_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Amelia', 'Oliver', 'Ava', 'Elijah', 'Sophia', 'Mateo',
  'Isabella', 'Lucas', 'Mia', 'Levi', 'Harper', 'Ezra', 'Evelyn', 'Asher', 'Luna', 'James',
  'Priya', 'Arjun', 'Aisha', 'Omar', 'Yuki', 'Hiroshi', 'Chen', 'Mei', 'Lars', 'Ingrid',
  'Siobhan', 'Declan', 'Fatima', 'Kwame', 'Zanele', 'Diego', 'Lucia', 'Mateus', 'Ana', 'Tomasz',
];
const FAMILY_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Mueller', 'Schmidt', 'Kowalski', 'Nowak', 'Tanaka', 'Suzuki', 'Okafor', 'Mensah', 'Haddad', 'Larsen',
];
const MIDDLE_INITIALS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LANGUAGES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP', 'pt-BR', 'pl-PL'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Legal', 'Support', 'Operations', 'HR', 'Research', 'IT'];
const REGIONS = ['EMEA', 'AMER', 'APAC', 'LATAM'];
const GROUP_TAGS = ['core', 'contractors', 'on-call', 'leads', 'interns'];

type Person = {
  userName: string;
  externalId: string;
  givenName: string;
  familyName: string;
  displayName: string;
  preferredLanguage: string;
  employeeNumber: string;
  department: string;
};

type Expectation = (status: number, body: string) => boolean;
type Call<Kind extends string> = (kind: Kind, spec: BenchRequest, expected: Expectation) => Promise<{ ok: boolean; body: string }>;
type Tally = { histogram: Histogram; count: number; errors: number };

export type FilterRow = LoadResult & { matches: string };
/** A filter's timed requests, and the slowest of its first uses, which ran just before them in the same stream. */
export type FilterFigures = FilterRow & { firstUseMaxMs: number };

export type ProvisioningCycleFigures = {
  phases: Record<string, LoadResult>;
  overall: { operations: number; errors: number; seconds: number; perSecond: number };
  /**
   * CPU per SCIM operation (ms), by process: each running Roster service, this load generator, PostgreSQL and
   * Kafka when they run on this machine, and the rest of the machine (from /proc/stat).
   */
  cpuMsPerOperation: Record<string, number>;
  gatewayCoresUsed: number;
  /** The share of all cores' time the hypervisor ran something else while this machine wanted to run (steal). */
  stolenShare: number;
  /** Each Roster service's garbage collections and event-loop lateness during the cycle. */
  pauses: Record<string, ServicePauses>;
};

export type ScimCycleFigures = ProvisioningCycleFigures & {
  /** The same cycle again, on a new tailnet, once every service but `scimServices` has been stopped. */
  scimServicesOnly: ProvisioningCycleFigures;
  seeding: LoadResult & { catchUpSeconds: number; settledSeconds: number };
  /** Each filter at concurrency 8 (the workload's), then one at a time: latency without queueing behind others. */
  filters: Record<string, FilterFigures>;
  filtersOneAtATime: Record<string, FilterRow>;
  /** GET /ServiceProviderConfig, authenticated but reading nothing: the latency floor under the figures above. */
  floor: { oneAtATime: LoadResult; concurrency8: LoadResult };
};

/**
 * A full Entra ID provisioning cycle against the real stack (users: filter → create → patch; groups: lookup →
 * create → members in batches, including one 5,000-member group; 10% deactivated; 5% deleted), the gateway's CPU per
 * operation, and filter latency on every Entra attribute with 100,000 users in the tailnet.
 */
export async function runScimCycleBench(stack: Stack, scimServices: ServiceName[]): Promise<ScimCycleFigures> {
  const cycle = await runProvisioningCycle(stack, 'bench-entra-cycle');
  const { seeding, filters, filtersOneAtATime, floor } = await runFilterBench(stack);
  for (const service of stack.services.keys()) if (!scimServices.includes(service)) await stack.stopService(service);
  const scimServicesOnly = await runProvisioningCycle(stack, 'bench-entra-cycle-scim-services');
  return { ...cycle, scimServicesOnly, seeding, filters, filtersOneAtATime, floor };
}

export async function runProvisioningCycle(stack: Stack, tailnetName: string): Promise<ProvisioningCycleFigures> {
  await warmUp(stack, `${tailnetName}-warm-up`);
  const tailnet = await stack.createTailnet(tailnetName);
  const headers = entraHeaders(tailnet.token);
  const client = await openConnections(tailnet.scimUrl, headers);
  const metricsBefore = await scrapeServices(stack);
  collectLoadGeneratorGarbage();
  const cpuBefore = cpuSnapshot();
  const started = process.hrtime.bigint();
  const phases = await provisionTailnet(client, headers, MEASURED);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuMs = cpuSpentSince(cpuBefore, stack);
  const ticks = machineTicks();
  await client.close();
  const pauses = pausesBetween(metricsBefore, await scrapeServices(stack));
  const operations = Object.values(phases).reduce((sum, phase) => sum + phase.count, 0);
  const errors = Object.values(phases).reduce((sum, phase) => sum + phase.errors, 0);
  return {
    phases,
    overall: { operations, errors, seconds, perSecond: operations / seconds },
    cpuMsPerOperation: Object.fromEntries(Object.entries(cpuMs).map(([process, ms]) => [process, ms / operations])),
    gatewayCoresUsed: cpuMs['scim-gateway'] / 1000 / seconds,
    stolenShare: (ticks.stealMs - cpuBefore.machine.stealMs) / (ticks.allMs - cpuBefore.machine.allMs),
    pauses,
  };
}

/** Connections to a tailnet's SCIM URL, opened before anything is timed, as an IdP keeps its own alive. */
async function openConnections(scimUrl: string, headers: Record<string, string>): Promise<LoadClient> {
  const client = new LoadClient(scimUrl, CONCURRENCY);
  await client.connect(CONCURRENCY, { method: 'GET', path: '/ServiceProviderConfig', headers });
  return client;
}

/** Entra's whole cycle on one tailnet: each user looked up, created and updated; groups; 10% disabled; 5% deleted. */
async function provisionTailnet(client: LoadClient, headers: Record<string, string>, shape: CycleShape): Promise<Record<string, LoadResult>> {
  const people = Array.from({ length: shape.users }, (_, index) => HARD_NAMED_PEOPLE[index] ?? generatedPerson(index));
  const userIds: (string | undefined)[] = new Array(shape.users);
  const users = await runSequences({
    client,
    total: shape.users,
    kinds: ['filter', 'create', 'patch'],
    sequence: async (index, call) => {
      userIds[index] = await provisionUser(call, headers, people[index], index);
    },
  });
  const hardNames = await checkHardNames(client, headers);
  const { groups, allStaff } = await provisionGroups(client, headers, userIds, shape);
  const deactivate = await patchUsers(client, headers, userIds.filter((_, index) => index % 10 === 1), deactivation());
  const remove = await deleteUsers(client, headers, userIds.filter((_, index) => index % 20 === 2));
  return {
    'users: filter userName eq (0 found)': users.filter,
    'users: create': users.create,
    'users: patch (Entra default dialect)': users.patch,
    'users: hard-name filters': hardNames.check,
    'groups: filter displayName eq (0 found)': groups.filter,
    'groups: create': groups.create,
    [`groups: add ${shape.users / shape.groups} members`]: groups.members,
    [`"${ALL_STAFF}": add ${MEMBER_BATCH} members (→ ${shape.users})`]: allStaff,
    'users: deactivate 10%': deactivate,
    'users: delete 5%': remove,
  };
}

/**
 * The whole cycle at a tenth of the size on a tailnet of its own, unmeasured, so that every process has compiled
 * the paths of every request kind, as in services that have been running (a Kafka broker just started spent three
 * times the CPU per operation in its first cycle; a gateway's first batches of a big group took twice as long as
 * its later ones), and the projectors have applied it all before the measured cycle starts.
 */
async function warmUp(stack: Stack, tailnetName: string) {
  const tailnet = await stack.createTailnet(tailnetName);
  const headers = entraHeaders(tailnet.token);
  const client = await openConnections(tailnet.scimUrl, headers);
  const phases = await provisionTailnet(client, headers, WARM_UP).finally(() => client.close());
  const failed = Object.entries(phases).filter(([, phase]) => phase.errors > 0);
  if (failed.length > 0) throw new Error(`the warm-up cycle failed: ${failed.map(([name, phase]) => `${name} (${phase.errors} errors)`).join(', ')}`);
  await stack.waitUntilAllApplied(CATCH_UP_TIMEOUT_MS);
  await sleep(WARM_UP_DRAIN_MS);
}

/** Entra's sequence for a user it has not seen: look it up by its matching attribute, create it, then update it. */
async function provisionUser(call: Call<'filter' | 'create' | 'patch'>, headers: Record<string, string>, person: Person, index: number) {
  await call('filter', { method: 'GET', path: usersFiltered(`userName eq "${person.userName}"`), headers }, listing(0));
  const created = await call('create', { method: 'POST', path: '/Users', body: entraUser(person), headers }, statusIs(201));
  if (!created.ok) return undefined;
  const id = JSON.parse(created.body).id as string;
  await call('patch', { method: 'PATCH', path: `/Users/${id}`, body: entraUserUpdate(person, index), headers }, statusIs(200));
  return id;
}

/** The names most likely to trip a filter implementation: `.` must not act as a wildcard, `'` and `+` must survive. */
async function checkHardNames(client: LoadClient, headers: Record<string, string>) {
  const checks: [filter: string, userName: string][] = [
    ['userName eq "john.smith@example.com"', 'john.smith@example.com'],
    ['userName eq "john-smith@example.com"', 'john-smith@example.com'],
    [`userName eq "o'brien+test@example.com"`, "o'brien+test@example.com"],
    ['userName eq "a.b.c+d@example.com"', 'a.b.c+d@example.com'],
    ['userName sw "john.smith"', 'john.smith@example.com'],
  ];
  return runSequences({
    client,
    total: checks.length,
    concurrency: 1,
    kinds: ['check'],
    sequence: async (index, call) => {
      const [filter, userName] = checks[index];
      await call('check', { method: 'GET', path: usersFiltered(filter), headers }, onlyUser(userName));
    },
  });
}

async function provisionGroups(client: LoadClient, headers: Record<string, string>, userIds: (string | undefined)[], shape: CycleShape) {
  const membersPerGroup = shape.users / shape.groups;
  let allStaffId: string | undefined;
  const groups = await runSequences({
    client,
    total: shape.groups + 1,
    kinds: ['filter', 'create', 'members'],
    sequence: async (index, call) => {
      const displayName = index === shape.groups ? ALL_STAFF : groupName(index);
      const groupId = await createGroup(call, headers, displayName);
      if (!groupId) return;
      if (index === shape.groups) {
        allStaffId = groupId;
        return;
      }
      const members = liveIds(userIds.slice(index * membersPerGroup, (index + 1) * membersPerGroup));
      await call('members', { method: 'PATCH', path: `/Groups/${groupId}`, body: memberAddition(members), headers }, statusIs(204));
    },
  });
  // Entra pushes a big group's members in batches; here eight batches are in flight at once on the same group.
  const everyone = liveIds(userIds);
  const batches = Math.ceil(everyone.length / MEMBER_BATCH);
  const allStaff = allStaffId
    ? await runLoad({
        client,
        concurrency: CONCURRENCY,
        total: batches,
        request: (batch) => ({
          method: 'PATCH',
          path: `/Groups/${allStaffId}`,
          body: memberAddition(everyone.slice(batch * MEMBER_BATCH, (batch + 1) * MEMBER_BATCH)),
          headers,
        }),
        check: statusIs(204),
      })
    : failedPhase(batches);
  return { groups, allStaff };
}

async function createGroup(call: Call<'filter' | 'create' | 'members'>, headers: Record<string, string>, displayName: string) {
  const lookup = `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`;
  await call('filter', { method: 'GET', path: lookup, headers }, listing(0));
  const created = await call('create', { method: 'POST', path: '/Groups', body: entraGroup(displayName), headers }, statusIs(201));
  return created.ok ? (JSON.parse(created.body).id as string) : undefined;
}

function patchUsers(client: LoadClient, headers: Record<string, string>, ids: (string | undefined)[], body: unknown) {
  const targets = liveIds(ids);
  return runLoad({
    client,
    concurrency: CONCURRENCY,
    total: targets.length,
    request: (index) => ({ method: 'PATCH', path: `/Users/${targets[index]}`, body, headers }),
    check: statusIs(200),
  });
}

function deleteUsers(client: LoadClient, headers: Record<string, string>, ids: (string | undefined)[]) {
  const targets = liveIds(ids);
  return runLoad({
    client,
    concurrency: CONCURRENCY,
    total: targets.length,
    request: (index) => ({ method: 'DELETE', path: `/Users/${targets[index]}`, headers }),
    check: statusIs(204),
  });
}

/**
 * Seeds 100,000 users into a tailnet of their own, waits until the directory has projected all of them, then
 * times filters on every attribute the Entra gallery app lists as filterable, as Entra sends them (no `count`).
 * At concurrency 8, each attribute's stream of requests starts with FILTER_FIRST_USES on other people that are
 * not in its figures but for their slowest: the first use of a statement on each of the gateway's PostgreSQL
 * connections parses and plans it, a cost a running gateway pays once per connection, not on every lookup; and
 * eight requests sent at the same instant queue behind each other, as an IdP's running stream does not.
 */
async function runFilterBench(stack: Stack) {
  const tailnet = await stack.createTailnet('bench-entra-100k');
  const headers = entraHeaders(tailnet.token);
  const people = Array.from({ length: SEEDED_USERS }, (_, index) => generatedPerson(index));
  const seeded = await runLoad({
    baseUrl: tailnet.scimUrl,
    concurrency: SEED_CONCURRENCY,
    total: people.length,
    request: (index) => ({ method: 'POST', path: '/Users', body: entraUser(people[index]), headers }),
    check: statusIs(201),
  });
  const catchUpSeconds = await waitUntilFindable(tailnet.scimUrl, headers, people[people.length - 1].userName);
  const settledSeconds = await waitUntilProjectorsSettle(stack);

  const client = await openConnections(tailnet.scimUrl, headers);
  try {
    const filters: Record<string, FilterFigures> = {};
    const filtersOneAtATime: Record<string, FilterRow> = {};
    for (const [attribute, filterOf] of Object.entries(ENTRA_FILTERS)) {
      // Every seeded value is distinct per attribute except where names, languages or full names repeat, so the
      // expected count of a filter is how many people produce the same filter.
      const matchesOf = countBy(people, filterOf);
      const timed = sampleOf(people, FILTERS_PER_ATTRIBUTE, 0);
      const firstUses = sampleOf(people, FILTER_FIRST_USES, 1);
      const { first, check } = await timeFilter(client, headers, { firstUses, timed }, filterOf, matchesOf, CONCURRENCY);
      filters[attribute] = { ...check, firstUseMaxMs: first.maxMs };
      filtersOneAtATime[attribute] = (await timeFilter(client, headers, { firstUses: [], timed }, filterOf, matchesOf, 1)).check;
    }
    const floor = { oneAtATime: await timeNoWork(client, headers, 1), concurrency8: await timeNoWork(client, headers, CONCURRENCY) };
    return { seeding: { ...seeded, catchUpSeconds, settledSeconds }, filters, filtersOneAtATime, floor };
  } finally {
    await client.close();
  }
}

/** `count` people spread across the whole tailnet; another `offset` picks others. */
function sampleOf(people: Person[], count: number, offset: number): Person[] {
  return Array.from({ length: count }, (_, index) => people[(index * 7_919 + offset) % people.length]);
}

/**
 * Waits until every running projector has applied the seeding, so that filters are timed on a settled machine
 * rather than beside projectors working off 100,000 creates. Returns the seconds waited.
 */
async function waitUntilProjectorsSettle(stack: Stack): Promise<number> {
  const started = Date.now();
  await stack.waitUntilAllApplied(CATCH_UP_TIMEOUT_MS);
  return (Date.now() - started) / 1000;
}

/** A request the gateway answers from memory (the token's row is cached): HTTP, auth and the machine, nothing else. */
function timeNoWork(client: LoadClient, headers: Record<string, string>, concurrency: number) {
  return runLoad({
    client,
    concurrency,
    total: FILTERS_PER_ATTRIBUTE,
    request: () => ({ method: 'GET', path: '/ServiceProviderConfig', headers }),
    check: statusIs(200),
  });
}

/** The filterable attributes of the Entra gallery app's user mapping, each as a filter for one person's value. */
const ENTRA_FILTERS: Record<string, (person: Person) => string> = {
  userName: (person) => `userName eq "${person.userName}"`,
  externalId: (person) => `externalId eq "${person.externalId}"`,
  'emails[type eq "work"].value': (person) => `emails[type eq "work"].value eq "${person.userName}"`,
  displayName: (person) => `displayName eq "${person.displayName}"`,
  'name.givenName': (person) => `name.givenName eq "${person.givenName}"`,
  'name.familyName': (person) => `name.familyName eq "${person.familyName}"`,
  'name.formatted': (person) => `name.formatted eq "${person.displayName}"`,
  preferredLanguage: (person) => `preferredLanguage eq "${person.preferredLanguage}"`,
  'active eq true and userName': (person) => `active eq true and userName eq "${person.userName}"`,
};

/**
 * Times one attribute's filter for each of `timed`, after its first uses on `firstUses` in the same stream of
 * requests; each must find exactly as many users as `matchesOf` says. Rates are over the whole stream.
 */
async function timeFilter(
  client: LoadClient,
  headers: Record<string, string>,
  people: { firstUses: Person[]; timed: Person[] },
  filterOf: (person: Person) => string,
  matchesOf: Map<string, number>,
  concurrency: number,
) {
  const stream = [...people.firstUses, ...people.timed];
  const expected = stream.map((person) => matchesOf.get(filterOf(person))!);
  const timedMatches = expected.slice(people.firstUses.length);
  const fewest = Math.min(...timedMatches);
  const most = Math.max(...timedMatches);
  collectLoadGeneratorGarbage();
  const { first, check } = await runSequences({
    client,
    total: stream.length,
    concurrency,
    kinds: ['first', 'check'],
    sequence: async (index, call) => {
      const kind = index < people.firstUses.length ? 'first' : 'check';
      await call(kind, { method: 'GET', path: usersFiltered(filterOf(stream[index])), headers }, listing(expected[index]));
    },
  });
  const matches = fewest === most ? String(fewest) : `${fewest}–${most}`;
  return { first, check: { ...check, matches } };
}

/**
 * A full collection in this process before a timed run, when node runs with --expose-gc (`npm run bench` does):
 * the load generator holds thousands of people (100,000 for the filters) and what it expects of them, and a
 * collection of its own during a run stops the clock of every request in flight (one young-generation collection
 * during a tenth of a second's filter run took 8 ms).
 */
function collectLoadGeneratorGarbage() {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Polls a filter for the last seeded user: reads wait for the projector, and answer 503 while it is far behind. */
async function waitUntilFindable(scimUrl: string, headers: Record<string, string>, userName: string) {
  const client = new LoadClient(scimUrl, 1);
  const started = Date.now();
  try {
    while (Date.now() - started < CATCH_UP_TIMEOUT_MS) {
      const found = await client.send({ method: 'GET', path: usersFiltered(`userName eq "${userName}"`), headers });
      if (listing(1)(found.status, found.body)) return (Date.now() - started) / 1000;
      await sleep(250);
    }
  } finally {
    await client.close();
  }
  throw new Error(`${userName} was not findable ${CATCH_UP_TIMEOUT_MS / 1000} s after seeding`);
}

/**
 * Like `runLoad`, but each index runs its own sequence of requests (Entra's filter → create → patch for one user),
 * `concurrency` sequences at a time over keep-alive connections. Each request kind gets its own row; its rate is
 * its count over the whole run's wall time, since the kinds run interleaved.
 */
async function runSequences<Kind extends string>(options: {
  client: LoadClient;
  total: number;
  concurrency?: number;
  kinds: Kind[];
  sequence: (index: number, call: Call<Kind>) => Promise<void>;
}): Promise<Record<Kind, LoadResult>> {
  const { client, total, sequence, concurrency = CONCURRENCY } = options;
  const tallies = new Map(options.kinds.map((kind) => [kind, newTally()]));
  const call: Call<Kind> = async (kind, spec, expected) => {
    const tally = tallies.get(kind)!;
    const t0 = process.hrtime.bigint();
    const { status, body } = await client.send(spec);
    tally.histogram.recordValue(Number((process.hrtime.bigint() - t0) / 1000n));
    tally.count++;
    const ok = expected(status, body);
    if (!ok) tally.errors++;
    return { ok, body };
  };
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) await sequence(next++, call);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Object.fromEntries([...tallies].map(([kind, tally]) => [kind, resultOf(tally, seconds)])) as Record<Kind, LoadResult>;
}

function newTally(): Tally {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  return { histogram, count: 0, errors: 0 };
}

function resultOf({ histogram, count, errors }: Tally, seconds: number): LoadResult {
  return {
    count,
    errors,
    seconds,
    perSecond: count / seconds,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
    maxMs: histogram.maxValue / 1000,
  };
}

/** A phase that could not run because what it works on was never created: every one of its requests is an error. */
function failedPhase(count: number): LoadResult {
  return { count, errors: count, seconds: 0, perSecond: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
}

type CpuSnapshot = { processes: Map<number, ProcessCpu>; loadGenerator: NodeJS.CpuUsage; machine: MachineTicks };
type ProcessCpu = { command: string; ms: number };

/** Processes by the name a reader of the figures knows them by; the rest of the machine is summed as one. */
const KNOWN_COMMANDS: Record<string, string> = { postgres: 'PostgreSQL', java: 'Kafka (JVM)' };

function cpuSnapshot(): CpuSnapshot {
  return { processes: processCpu(), loadGenerator: process.cpuUsage(), machine: machineTicks() };
}

/**
 * CPU ms since `before`: per Roster service, this load generator, PostgreSQL and Kafka where they run on this
 * machine (a process that exited in between is not counted), and the rest of the machine.
 */
function cpuSpentSince(before: CpuSnapshot, stack: Stack): Record<string, number> {
  const serviceByPid = new Map([...stack.services].map(([name, service]) => [service.child.pid!, name as string]));
  const spent: Record<string, number> = Object.fromEntries([...stack.services.keys()].map((name) => [name, 0]));
  for (const [pid, { command, ms }] of processCpu()) {
    const label = serviceByPid.get(pid) ?? KNOWN_COMMANDS[command];
    if (label === undefined || pid === process.pid) continue;
    spent[label] = (spent[label] ?? 0) + ms - (before.processes.get(pid)?.ms ?? 0);
  }
  const loadGenerator = process.cpuUsage(before.loadGenerator);
  spent['load generator'] = (loadGenerator.user + loadGenerator.system) / 1000;
  const accounted = Object.values(spent).reduce((sum, ms) => sum + ms, 0);
  spent['rest of the machine'] = Math.max(0, machineTicks().busyMs - before.machine.busyMs - accounted);
  return spent;
}

function processCpu(): Map<number, ProcessCpu> {
  const processes = new Map<number, ProcessCpu>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      processes.set(Number(entry), readProcessCpu(Number(entry)));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return processes;
}

/** Command name and utime + stime from /proc/<pid>/stat (fields 2, 14 and 15), in ms at 100 clock ticks per second. */
function readProcessCpu(pid: number): ProcessCpu {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces, so count fields from after its closing parenthesis (field 3 on).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ms: (Number(fields[14 - 3]) + Number(fields[15 - 3])) * 10 };
}

type MachineTicks = { busyMs: number; stealMs: number; allMs: number };

/**
 * All cores' time from /proc/stat, in ms at 100 clock ticks per second: busy (every field but idle, iowait and
 * steal), stolen by the hypervisor, and in all.
 */
function machineTicks(): MachineTicks {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks;
  const busy = user + nice + system + irq + softirq;
  return { busyMs: busy * 10, stealMs: steal * 10, allMs: (busy + idle + iowait + steal) * 10 };
}

const HARD_NAMED_PEOPLE: Person[] = [
  ["o'brien+test@example.com", 'Siobhán', "O'Brien"],
  ['john.smith@example.com', 'John', 'Smith'],
  ['john-smith@example.com', 'John', 'Smith'],
  ['a.b.c+d@example.com', 'Ab', 'Cd'],
].map(([userName, givenName, familyName], index) => ({
  userName,
  externalId: randomUUID(),
  givenName,
  familyName,
  displayName: `${givenName} ${familyName}`,
  preferredLanguage: 'en-IE',
  employeeNumber: String(index),
  department: 'Engineering',
}));

/**
 * Unique userName, email and externalId; given and family names repeat as they do in a real directory, and a
 * middle initial makes full names nearly unique (each recurs once every 52,000 people).
 */
function generatedPerson(index: number): Person {
  const givenName = GIVEN_NAMES[index % GIVEN_NAMES.length];
  const familyName = FAMILY_NAMES[Math.floor(index / GIVEN_NAMES.length) % FAMILY_NAMES.length];
  const initial = MIDDLE_INITIALS[Math.floor(index / (GIVEN_NAMES.length * FAMILY_NAMES.length)) % MIDDLE_INITIALS.length];
  return {
    userName: `${givenName}.${familyName}.${index}@example.com`.toLowerCase(),
    externalId: randomUUID(),
    givenName,
    familyName,
    displayName: `${givenName} ${initial}. ${familyName}`,
    preferredLanguage: LANGUAGES[Math.floor(index / 7) % LANGUAGES.length],
    employeeNumber: String(100_000 + index),
    department: DEPARTMENTS[index % DEPARTMENTS.length],
  };
}

/** Entra's POST /Users body (idp-dialects.md §1.3), including the explicit nulls it is known to send. */
function entraUser(person: Person) {
  return {
    schemas: [CORE_USER, ENTERPRISE],
    externalId: person.externalId,
    userName: person.userName,
    active: true,
    displayName: person.displayName,
    preferredLanguage: person.preferredLanguage,
    emails: [{ primary: true, type: 'work', value: person.userName }],
    meta: { resourceType: 'User' },
    name: { formatted: person.displayName, familyName: person.familyName, givenName: person.givenName },
    roles: [],
    title: null,
    [ENTERPRISE]: { employeeNumber: person.employeeNumber, department: person.department, manager: null },
  };
}

/** An attribute change in Entra's default dialect: capitalised ops, one `Replace` per path. */
function entraUserUpdate(person: Person, index: number) {
  const preferredGivenName = GIVEN_NAMES[(index + 1) % GIVEN_NAMES.length];
  return {
    schemas: [PATCH_OP],
    Operations: [
      { op: 'Replace', path: 'name.givenName', value: preferredGivenName },
      { op: 'Replace', path: 'displayName', value: `${preferredGivenName} ${person.familyName}` },
      { op: 'Replace', path: `${ENTERPRISE}:department`, value: DEPARTMENTS[(index + 1) % DEPARTMENTS.length] },
    ],
  };
}

/** Entra's default-dialect disable: `active` as the string "False". */
function deactivation() {
  return { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };
}

function entraGroup(displayName: string) {
  return { schemas: [CORE_GROUP, MICROSOFT_GROUP], externalId: randomUUID(), displayName, meta: { resourceType: 'Group' } };
}

function memberAddition(userIds: string[]) {
  return { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: userIds.map((value) => ({ $ref: null, value })) }] };
}

/** Group names with parentheses and brackets, as real directories have them ("Sales 3 (APAC) [leads]"). */
function groupName(index: number) {
  const department = DEPARTMENTS[index % DEPARTMENTS.length];
  return `${department} ${index} (${REGIONS[index % REGIONS.length]}) [${GROUP_TAGS[index % GROUP_TAGS.length]}]`;
}

function entraHeaders(token: string) {
  return { authorization: `Bearer ${token}`, 'user-agent': ENTRA_USER_AGENT };
}

function usersFiltered(filter: string) {
  return `/Users?filter=${encodeURIComponent(filter)}`;
}

function liveIds(ids: (string | undefined)[]): string[] {
  return ids.filter((id): id is string => id !== undefined);
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const value = key(item);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

function statusIs(expected: number): Expectation {
  return (status) => status === expected;
}

/** A ListResponse with exactly `total` results. */
function listing(total: number): Expectation {
  return (status, body) => status === 200 && parsed(body)?.totalResults === total;
}

/** A ListResponse holding exactly the one user named `userName`. */
function onlyUser(userName: string): Expectation {
  return (status, body) => {
    const list = parsed(body);
    return status === 200 && list?.totalResults === 1 && list.Resources?.[0]?.userName === userName;
  };
}

function parsed(body: string): { totalResults?: number; Resources?: { userName?: string }[] } | undefined {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
