import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { decodeEvent, topicsFor, type LoggedEvent } from '#roster/events';
import { findRepoRoot, SERVICE_NODE_FLAGS } from '#roster/platform';
import { dropDatabase } from './drop-database.js';
import { freePort } from './ports.js';
import { ScimClient } from './scim-client.js';

export type Infra = { databaseUrl: string; brokers: string };

const root = findRepoRoot(import.meta.dirname);

/** A deployable service: the name of its folder under `apps/`. */
export type ServiceName = 'scim-gateway' | 'directory-projector' | 'node-expiry-projector' | 'acl-projector' | 'membership-projector' | 'membership-subscriber-example';

const DEFAULT_SERVICES: ServiceName[] = ['scim-gateway', 'directory-projector'];

/** The projection (its schema) each projector service keeps. */
const PROJECTIONS: Partial<Record<ServiceName, string>> = {
  'directory-projector': 'directory',
  'node-expiry-projector': 'nodes',
  'acl-projector': 'acl',
  'membership-projector': 'membership',
};

/** Every deployable Roster service (the subscriber example is a downstream team's, not ours). */
export const ROSTER_SERVICES: ServiceName[] = ['scim-gateway', 'directory-projector', 'node-expiry-projector', 'acl-projector', 'membership-projector'];

type RunningService = { child: ChildProcess; port: number; output: string[] };

/**
 * One isolated Roster stack on shared real infrastructure: its own database and its own topic namespace, with
 * the real service binaries (from `npm run build`) as child processes, so tests can SIGKILL and restart them and
 * benchmarks measure what production runs.
 */
export class Stack {
  readonly services = new Map<ServiceName, RunningService>();
  private readonly serviceEnv = new Map<ServiceName, NodeJS.ProcessEnv>();
  readonly kafka: Kafka;
  readonly topics: ReturnType<typeof topicsFor>;
  readonly pool: pg.Pool;

  private constructor(
    readonly databaseUrl: string,
    readonly brokers: string,
    readonly namespace: string,
    readonly ports: Map<ServiceName, number>,
    private readonly extraEnv: NodeJS.ProcessEnv,
  ) {
    this.kafka = new Kafka({ clientId: 'roster-testkit', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    this.topics = topicsFor(namespace);
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  }

  /**
   * `env` is merged last into the environment of every service and CLI run, e.g. to lower a limit for a test.
   * `services` are started in order (the gateway first: it applies the migrations).
   */
  static async start(name: string, infra: Infra, env: NodeJS.ProcessEnv = {}, services = DEFAULT_SERVICES): Promise<Stack> {
    if (!existsSync(join(root, 'dist/apps/scim-gateway/src/main.js'))) {
      throw new Error('dist/ is missing: run `npm run build` first (npm test and npm run bench do)');
    }
    const suffix = randomBytes(4).toString('hex');
    const url = new URL(infra.databaseUrl);
    url.pathname = `/roster_${name.replace(/\W/g, '_')}_${suffix}`;
    const ports = new Map<ServiceName, number>([['scim-gateway', await freePort()]]);
    const stack = new Stack(url.toString(), infra.brokers, `${name}-${suffix}.`, ports, env);
    for (const service of services) await stack.startService(service);
    return stack;
  }

  env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DATABASE_URL: this.databaseUrl,
      KAFKA_BROKERS: this.brokers,
      KAFKA_TOPIC_NAMESPACE: this.namespace,
      PUBLIC_URL: this.gatewayUrl,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      // Ready means caught up with what has reached Kafka (see waitUntilApplied for everything written).
      PROJECTOR_READY_MAX_LAG: '0',
      ...this.extraEnv,
    };
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.ports.get('scim-gateway')}`;
  }

  get scimUrl(): string {
    return `${this.gatewayUrl}/scim/v2`;
  }

  /** Extra environment for one service from its next start on (replacing any set before), e.g. a moved clock. */
  setServiceEnv(name: ServiceName, env: NodeJS.ProcessEnv): void {
    this.serviceEnv.set(name, env);
  }

  /** The service's base URL (its port is chosen when it first starts and kept across restarts). */
  serviceUrl(name: ServiceName): string {
    const port = this.ports.get(name);
    if (port === undefined) throw new Error(`${name} has not been started in this stack`);
    return `http://127.0.0.1:${port}`;
  }

  async startService(name: ServiceName, { waitReady = true } = {}): Promise<void> {
    const port = this.ports.get(name) ?? (await freePort());
    this.ports.set(name, port);
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(root, `dist/apps/${name}/src/main.js`)], {
      cwd: root,
      env: { ...this.env(), ...this.serviceEnv.get(name), PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.services.set(name, { child, port, output });
    if (waitReady) await this.waitUntil(name, 'healthz');
  }

  /** Waits until the service answers 200 on the given probe (`healthz` = up; `readyz` = dependencies reachable, caught up). */
  async waitUntil(name: ServiceName, probe: 'healthz' | 'readyz', timeoutMs = 60_000): Promise<void> {
    const service = this.services.get(name)!;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (service.child.exitCode !== null || service.child.signalCode !== null) {
        throw new Error(`${name} exited during start-up:\n${service.output.join('')}`);
      }
      try {
        const response = await fetch(`http://127.0.0.1:${service.port}/${probe}`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${name} did not pass /${probe} in ${timeoutMs} ms:\n${service.output.join('')}`);
  }

  /** Started and not exited since (a stopped service stays in `services`, to be started again on its port). */
  isRunning(name: ServiceName): boolean {
    const service = this.services.get(name);
    return service !== undefined && service.child.exitCode === null && service.child.signalCode === null;
  }

  async stopService(name: ServiceName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const service = this.services.get(name);
    if (!service || !this.isRunning(name)) return;
    const exited = new Promise((resolve) => service.child.once('exit', resolve));
    service.child.kill(signal);
    await exited;
  }

  async cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { cwd: root, env: this.env() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  /**
   * Creates a tailnet with the real CLI and returns a SCIM client holding its token and an admin API client
   * (base `/api/v2/tailnet/<id>`) holding its admin API key.
   */
  async createTailnet(name: string, domain = 'example.com') {
    const result = await this.cli(['tailnet', 'create', name, '--domain', domain, '--json']);
    if (result.code !== 0) throw new Error(`roster tailnet create failed: ${result.stderr}`);
    const created = JSON.parse(result.stdout) as { tailnetId: string; scimUrl: string; token: string; adminApiKey: string };
    return {
      ...created,
      scim: new ScimClient(created.scimUrl, created.token),
      admin: new ScimClient(`${this.gatewayUrl}/api/v2/tailnet/${created.tailnetId}`, created.adminApiKey, 'roster-e2e', 'application/json'),
    };
  }

  /** Every event currently on the tailnet-events topic, read from offset 0 up to the high watermark. */
  async readLog(): Promise<LoggedEvent[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(this.topics.tailnetEvents);
    await admin.disconnect();
    const remaining = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
    const events: LoggedEvent[] = [];
    if (remaining.size === 0) return events;
    const consumer = this.kafka.consumer({ groupId: `roster-testkit-reader-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topics.tailnetEvents, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out reading the log')), 30_000);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          events.push(decodeEvent(message, partition));
          if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    return events.sort((a, b) => (a.position < b.position ? -1 : 1));
  }

  /**
   * Waits until the projection `schema` has applied every event written so far: the outbox relay has sent them all
   * (it delivers after the 2xx) and the projection's checkpoints have reached the log's end. `/readyz` cannot
   * promise that: its lag compares with what has reached Kafka, refreshed every 2 s.
   */
  async waitUntilApplied(schema: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (;;) {
        const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM writes.outbox');
        const ends = rows[0].n === 0 ? await admin.fetchTopicOffsets(this.topics.tailnetEvents) : [];
        const applied = await this.pool
          .query<{ partition: number; next_offset: string }>(
            `SELECT partition, next_offset FROM ${schema}.projector_checkpoints WHERE topic = $1`,
            [this.topics.tailnetEvents],
          )
          .then(({ rows: checkpoints }) => new Map(checkpoints.map((row) => [row.partition, BigInt(row.next_offset)])))
          .catch(() => new Map<number, bigint>());
        const caughtUp = ends.length > 0 && ends.every((end) => BigInt(end.high) === 0n || (applied.get(end.partition) ?? 0n) >= BigInt(end.high));
        if (caughtUp) return;
        if (Date.now() > deadline) throw new Error(`projection ${schema} did not apply the log within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** `waitUntilApplied` for the projection of every running projector service. */
  async waitUntilAllApplied(timeoutMs = 60_000): Promise<void> {
    for (const [service, schema] of Object.entries(PROJECTIONS) as [ServiceName, string][]) {
      if (this.isRunning(service)) await this.waitUntilApplied(schema, timeoutMs);
    }
  }

  /** Waits until `predicate` holds for the log (the relay delivers asynchronously after the 2xx). */
  async waitForLog(predicate: (events: LoggedEvent[]) => boolean, timeoutMs = 30_000): Promise<LoggedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const events = await this.readLog().catch(() => []);
      if (predicate(events)) return events;
      if (Date.now() > deadline) throw new Error(`log condition not met in ${timeoutMs} ms (${events.length} events)`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async stop(): Promise<void> {
    for (const name of this.services.keys()) await this.stopService(name);
    await this.pool.end();
    const admin = this.kafka.admin();
    await admin.connect().catch(() => undefined);
    await admin.deleteTopics({ topics: Object.values(this.topics) }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    const url = new URL(this.databaseUrl);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await dropDatabase(client, name).catch(() => undefined);
    await client.end();
  }
}
