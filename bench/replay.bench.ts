import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Message } from 'kafkajs';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { DirectoryProjection } from '#roster/directory';
import { encodeEvent } from '#roster/events';
import { migrations } from '#roster/migrations';
import { ensureTopics, migrate } from '#roster/platform';
import { ParallelProjectorRuntime, REPLAY_PARTITIONS_CONCURRENTLY } from '#roster/projector';
import { DEFAULT_REPLAY_WORKERS } from '../apps/cli/src/replay/replay-projection.js';
import { Stack, type Infra } from '#roster/testkit';
import { tailnetHistory } from '../libs/directory/testing/provisioning-history.js';

const TOTAL_EVENTS = 1_000_000;
const TAILNETS = 24;
const PARTITIONS = 6;
const SCHEMA = 'directory_bench';

export type ReplayFigures = {
  events: number;
  mix: Record<string, number>;
  produce: { seconds: number; perSecond: number };
  kafkaConsume: { seconds: number; perSecond: number };
  rebuild: { seconds: number; perSecond: number; workers: number };
  copy: { rows: number; seconds: number; rowsPerSecond: number; eventsPerSecondEquivalent: number; tables: Record<string, number> };
};

/**
 * Section `replay`: rebuild the directory projection from 1,000,000 events with the production ProjectorRuntime,
 * and beside it, in the same run, the rate at which kafkajs alone consumes the same topic and at which
 * PostgreSQL alone ingests the rows the rebuild produced (COPY into identical tables, indexes included).
 */
export async function runReplayBench(infra: Infra): Promise<ReplayFigures> {
  const stack = await Stack.start('bench_replay', infra, {}, []);
  try {
    await (await migrate(stack.databaseUrl, migrations)).destroy();
    await ensureTopics(stack.kafka, stack.topics, PARTITIONS);
    const topic = stack.topics.tailnetEvents;

    const mix: Record<string, number> = {};
    const producer = stack.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const produceStarted = performance.now();
    let position = 0n;
    const pending: Message[] = [];
    let pendingBytes = 0;
    // One request per send, kept under the broker's message.max.bytes (1 MiB); sequential, so each tailnet's
    // events reach its partition in order.
    const flush = async () => {
      if (pending.length === 0) return;
      pendingBytes = 0;
      await producer.send({ topic, acks: 1, messages: pending.splice(0) });
    };
    for (let t = 0; t < TAILNETS; t++) {
      for (const { envelope, data } of tailnetHistory(randomUUID(), TOTAL_EVENTS / TAILNETS, t + 1)) {
        mix[envelope.type] = (mix[envelope.type] ?? 0) + 1;
        const message = encodeEvent(envelope, JSON.stringify(data), ++position);
        pending.push(message);
        pendingBytes += (message.value as string).length + 450;
        if (pendingBytes >= 700_000) await flush();
      }
    }
    await flush();
    await producer.disconnect();
    const produceSeconds = (performance.now() - produceStarted) / 1000;
    const events = Number(position);

    const kafkaConsume = await rawConsume(stack, topic, events);
    const rebuild = await rebuildDirectory(stack, topic, events);
    const copy = await copyRows(stack, events);
    return {
      events,
      mix,
      produce: { seconds: produceSeconds, perSecond: events / produceSeconds },
      kafkaConsume,
      rebuild,
      copy,
    };
  } finally {
    await stack.stop();
  }
}

/** kafkajs alone: fetch every message of the topic and do nothing with it. */
async function rawConsume(stack: Stack, topic: string, events: number) {
  const consumer = stack.kafka.consumer({ groupId: `${stack.namespace}bench-raw`, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let started = 0;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        if (started === 0) started = performance.now();
        seen += batch.messages.length;
        if (seen >= events) resolve(performance.now());
      },
    });
  });
  const subscribed = performance.now();
  const finished = await done;
  await consumer.disconnect();
  // From joining the group, like the rebuild below (which pays for the same join).
  const seconds = (finished - subscribed) / 1000;
  return { seconds, perSecond: events / seconds };
}

/** The rebuild as `roster replay` runs it: its worker threads, each a ProjectorRuntime, into a fresh schema. */
async function rebuildDirectory(stack: Stack, topic: string, events: number) {
  const runtime = new ParallelProjectorRuntime(
    stack.pool,
    new URL('../apps/cli/src/replay/replay-worker.js', import.meta.url),
    DEFAULT_REPLAY_WORKERS,
    new DirectoryProjection(),
    { databaseUrl: stack.databaseUrl, brokers: stack.brokers.split(','), clientId: 'bench-replay', logLevel: 'error' },
    {
      projection: new DirectoryProjection(),
      topic,
      schema: SCHEMA,
      groupId: `${stack.namespace}bench-rebuild`,
      live: false,
      partitionsConsumedConcurrently: REPLAY_PARTITIONS_CONCURRENTLY,
    },
  );
  const started = performance.now();
  await runtime.start();
  for (;;) {
    let applied = 0n;
    for (const offset of (await runtime.checkpoints()).values()) applied += offset;
    if (Number(applied) >= events) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  await runtime.stop();
  return { seconds, perSecond: events / seconds, workers: DEFAULT_REPLAY_WORKERS };
}

/** PostgreSQL alone: COPY the rebuilt rows (exported first, untimed) into identical, indexed, empty tables. */
async function copyRows(stack: Stack, events: number) {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'projector_checkpoints' ORDER BY 1`,
      [SCHEMA],
    );
    const exported = new Map<string, Buffer>();
    for (const { tablename } of tables) {
      const chunks: Buffer[] = [];
      const stream = client.query(copyStreams.to(`COPY ${SCHEMA}.${tablename} TO STDOUT`));
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      exported.set(tablename, Buffer.concat(chunks));
    }
    await client.query(`CREATE SCHEMA directory_copy`);
    await client.query(`SET search_path TO directory_copy`);
    await new DirectoryProjection().createTables(client as unknown as pg.PoolClient);
    await client.query(`SET synchronous_commit TO off`);
    const counts: Record<string, number> = {};
    let rows = 0;
    const started = performance.now();
    await client.query('BEGIN');
    for (const [table, data] of exported) {
      await pipeline(Readable.from([data]), client.query(copyStreams.from(`COPY directory_copy.${table} FROM STDIN`)));
    }
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    for (const table of exported.keys()) {
      const { rows: n } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM directory_copy.${table}`);
      counts[table] = n[0].n;
      rows += n[0].n;
    }
    return { rows, seconds, rowsPerSecond: rows / seconds, eventsPerSecondEquivalent: events / seconds, tables: counts };
  } finally {
    await client.end();
  }
}
