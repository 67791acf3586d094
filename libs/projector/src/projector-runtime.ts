import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import { decodeEvent, type LoggedEvent } from '#roster/events';
import { inTransaction } from '#roster/platform';
import { CHECKPOINT_TABLE_DDL, lockCheckpoint, readCheckpoints, saveCheckpoint } from './checkpoint-store.js';
import { PROJECTION_APPLIED_CHANNEL, type Projection } from './projection.js';

const LAG_REFRESH_MS = 2_000;

export type ProjectorRuntimeOptions = {
  projection: Projection;
  topic: string;
  /** PostgreSQL schema holding the projection's tables and its checkpoints. */
  schema: string;
  groupId: string;
  /** Only the live projection answers reads, so only it releases the gateway's read-your-writes fences. */
  releasesReadFences: boolean;
};

export type ProjectorMetrics = {
  applied(projection: string, count: number, seconds: number): void;
  lag(projection: string, partition: number, lag: number): void;
};

export type ProjectorState = 'starting' | 'running' | 'stalled' | 'stopped';

/**
 * Runs one projection from the log. Each batch is applied in one PostgreSQL transaction together with the
 * partition's checkpoint (next offset and last log position), so a redelivered, replayed or duplicated event
 * changes nothing and a restart resumes exactly where the last commit left off. The checkpoint in PostgreSQL is
 * the one that counts: Kafka's committed offsets are only a hint (kafkajs drops uncommitted ones on rebalance,
 * and Kafka forgets an empty group's offsets after a while).
 */
export class ProjectorRuntime {
  private consumer: Consumer | undefined;
  private lagByPartition = new Map<number, number>();
  private lagTimer: NodeJS.Timeout | undefined;
  private stalledReason: string | undefined;
  state: ProjectorState = 'starting';

  constructor(
    private readonly pool: pg.Pool,
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly metrics: ProjectorMetrics,
    private readonly options: ProjectorRuntimeOptions,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`invalid projection schema name ${options.schema}`);
  }

  async start(): Promise<void> {
    await this.createTables();
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 250,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      void this.seekToCheckpoints(payload.memberAssignment[this.options.topic] ?? []);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.logger.error({ err: payload.error, restart: payload.restart }, 'projector consumer crashed');
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.applyBatch(payload),
    });
    this.state = 'running';
    await this.refreshLag();
    this.lagTimer = setInterval(() => void this.refreshLag(), LAG_REFRESH_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.lagTimer);
    await this.consumer?.disconnect();
    this.state = 'stopped';
  }

  totalLag(): number {
    let total = 0;
    for (const lag of this.lagByPartition.values()) total += lag;
    return total;
  }

  status() {
    return {
      projection: this.options.projection.name,
      state: this.state,
      lag: this.totalLag(),
      ...(this.stalledReason ? { stalledReason: this.stalledReason } : {}),
    };
  }

  private async createTables(): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.options.schema}`);
      await client.query(`SET LOCAL search_path TO ${this.options.schema}, public`);
      await client.query(CHECKPOINT_TABLE_DDL);
      await this.options.projection.createTables(client);
    });
  }

  private async seekToCheckpoints(partitions: number[]): Promise<void> {
    try {
      const client = await this.pool.connect();
      let checkpoints: Map<number, bigint>;
      try {
        await client.query(`SET search_path TO ${this.options.schema}, public`);
        checkpoints = await readCheckpoints(client, this.options.topic);
        await client.query('RESET search_path');
      } finally {
        client.release();
      }
      for (const partition of partitions) {
        const offset = checkpoints.get(partition);
        if (offset !== undefined) this.consumer?.seek({ topic: this.options.topic, partition, offset: offset.toString() });
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not seek to checkpoints; batches will realign themselves');
    }
  }

  private async applyBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload) {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const { topic, partition } = batch;
    const started = process.hrtime.bigint();
    const outcome = await inTransaction(this.pool, async (client) => {
      await client.query(`SET LOCAL search_path TO ${this.options.schema}, public`);
      const checkpoint = await lockCheckpoint(client, topic, partition);
      const fresh = batch.messages.filter((message) => BigInt(message.offset) >= checkpoint.nextOffset);
      if (fresh.length === 0) return { kind: 'duplicate' as const };
      if (BigInt(fresh[0].offset) > checkpoint.nextOffset) return { kind: 'gap' as const, expected: checkpoint.nextOffset };
      // Positions only grow along a partition; anything at or below the last applied one is a resent duplicate.
      const events = fresh
        .map((message) => decodeEvent(message, partition))
        .filter((event) => event.position > checkpoint.lastPosition);
      await this.options.projection.apply(client, events);
      if (this.options.releasesReadFences) await releaseReadFences(client, this.options.projection.name, events);
      const lastPosition = events.length > 0 ? events[events.length - 1].position : checkpoint.lastPosition;
      await saveCheckpoint(client, topic, partition, {
        nextOffset: BigInt(fresh[fresh.length - 1].offset) + 1n,
        lastPosition,
      });
      await client.query('SELECT pg_notify($1, $2)', [PROJECTION_APPLIED_CHANNEL, this.options.projection.name]);
      return { kind: 'applied' as const, count: events.length };
    }).catch((error: unknown) => {
      this.state = 'stalled';
      this.stalledReason = error instanceof Error ? error.message : String(error);
      throw error;
    });

    if (outcome.kind === 'gap') {
      this.logger.warn({ partition, expected: outcome.expected.toString() }, 'batch starts past the checkpoint; seeking back');
      this.consumer?.seek({ topic, partition, offset: outcome.expected.toString() });
      return;
    }
    if (this.state === 'stalled') {
      this.state = 'running';
      this.stalledReason = undefined;
    }
    const lastOffset = batch.messages[batch.messages.length - 1].offset;
    resolveOffset(lastOffset);
    await commitOffsetsIfNecessary();
    await heartbeat();
    if (outcome.kind === 'applied') {
      this.metrics.applied(this.options.projection.name, outcome.count, Number(process.hrtime.bigint() - started) / 1e9);
    }
    const lag = Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(lastOffset) - 1n));
    this.lagByPartition.set(partition, lag);
    this.metrics.lag(this.options.projection.name, partition, lag);
  }

  /** Lag from PostgreSQL's checkpoints and Kafka's high watermarks, so it is right even before the first batch. */
  private async refreshLag(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      const client = await this.pool.connect();
      let checkpoints: Map<number, bigint>;
      try {
        await client.query(`SET search_path TO ${this.options.schema}, public`);
        checkpoints = await readCheckpoints(client, this.options.topic);
        await client.query('RESET search_path');
      } finally {
        client.release();
      }
      for (const { partition, high } of offsets) {
        const lag = Math.max(0, Number(BigInt(high) - (checkpoints.get(partition) ?? 0n)));
        this.lagByPartition.set(partition, lag);
        this.metrics.lag(this.options.projection.name, partition, lag);
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'lag refresh failed');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

async function releaseReadFences(client: pg.PoolClient, projection: string, events: LoggedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `DELETE FROM writes.read_fences f
      USING unnest($2::uuid[], $3::int[]) AS e(aggregate_id, version)
      WHERE f.projection = $1 AND f.aggregate_id = e.aggregate_id AND f.version <= e.version`,
    [projection, events.map((event) => event.aggregateId), events.map((event) => event.aggregateVersion)],
  );
}
