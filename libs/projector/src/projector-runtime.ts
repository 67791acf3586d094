import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import { decodeEvent, messageIdentity, type LoggedEvent } from '#roster/events';
import { inTransaction, inTransactionBegunBy } from '#roster/platform';
import { AwaitedReads } from './awaited-reads.js';
import { beginWithCheckpoint, CHECKPOINT_TABLE_DDL, readCheckpoints, type Checkpoint } from './checkpoint-store.js';
import { PROJECTION_APPLIED_CHANNEL, type Projection } from './projection.js';
import { readSkippedOffsets, type SkippedOffsets } from './skipped-events.js';

const LAG_REFRESH_MS = 2_000;
// Statistics must follow the read model as it grows, or the planner walks a 100,000-user table to find one user.
// Autovacuum would do it, but cannot be relied on (this machine's PostgreSQL runs with it off).
const VACUUM_AFTER_EVENTS = 5_000;
const VACUUM_AT_MOST_EVERY_MS = 30_000;

/** By default a batch at least this large, arriving with the projector caught up, means the log is busy (see `lingerMs`). */
const BUSY_BATCH_EVENTS = 8;

/** What rebuilds (`roster replay`, the replay benchmark) run with: one partition per consumer slot of a 6-partition log. */
export const REPLAY_PARTITIONS_CONCURRENTLY = 6;

export type ProjectorRuntimeOptions = {
  projection: Projection;
  topic: string;
  /** PostgreSQL schema holding the projection's tables and its checkpoints. */
  schema: string;
  groupId: string;
  /**
   * Only the live projection answers reads, so only it releases the gateway's read-your-writes fences and records
   * consequences of events on the log.
   */
  live: boolean;
  /**
   * Per partition, the offset to stop before (exclusive): the runtime applies nothing at or past it and pauses
   * the partition there until `limitTo` raises it. Partitions not listed are unbounded. A replay uses it to stop
   * at a point in time, and to never get ahead of the live projection it is about to replace.
   */
  limits?: Map<number, bigint>;
  /**
   * Partitions applied at once, each in its own transaction (default 1). A rebuild sets more, so PostgreSQL
   * applies one partition's batch while this process decodes the next; order within a partition is unchanged,
   * and partitions never share rows (a tailnet lives on one partition).
   */
  partitionsConsumedConcurrently?: number;
  /**
   * How long to wait before fetching again after a busy batch (default 0: never wait). Each batch costs a
   * fetch and a transaction whatever its size, so while the log is busy (an IdP's sync cycle) fewer, fuller
   * batches save this process, PostgreSQL and Kafka work, at the price of up to this much freshness. Catching up
   * is never delayed. A live projection does not linger while a reader waits on its read-your-writes fences, or
   * did within the last second (`AwaitedReads`): such a reader never waits for the linger.
   */
  lingerMs?: number;
  /**
   * How many events a batch that reached the end of the log must hold to count as busy (default 8). Below it,
   * the runtime fetches again at once, so a lone change is not delayed by the one before it.
   */
  busyBatchEvents?: number;
};

export type ProjectorMetrics = {
  applied(projection: string, count: number, seconds: number): void;
  lag(projection: string, partition: number, lag: number): void;
  /** Whether the partition is held up by an event the projection cannot apply (see `stalledOn`). */
  stalled(projection: string, partition: number, stalled: boolean): void;
};

/** For runtimes nobody scrapes: rebuilds and replays. */
export const NO_PROJECTOR_METRICS: ProjectorMetrics = { applied: () => undefined, lag: () => undefined, stalled: () => undefined };

export type ProjectorState = 'starting' | 'running' | 'reconnecting' | 'stalled' | 'stopped';

/** The event a stalled projection cannot apply, as `/readyz` reports it: where it is on the log and why it fails. */
export type StalledEvent = { partition: number; offset: string; eventType?: string; eventId?: string; tailnetId?: string; error: string };

type BatchOutcome =
  | { kind: 'applied'; events: LoggedEvent[]; started: bigint }
  | { kind: 'duplicate' }
  | { kind: 'gap'; expected: bigint };

function stallReason({ partition, offset, eventType, error }: StalledEvent): string {
  return `cannot apply ${eventType ?? 'the event'} at partition ${partition}, offset ${offset}: ${error}`;
}

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
  private stall: StalledEvent | undefined;
  private skipped: SkippedOffsets = new Map();
  private appliedSinceVacuum = 0;
  private vacuumedAt = 0;
  private vacuuming = false;
  private limits: Map<number, bigint> | undefined;
  private readonly paused = new Set<number>();
  private readonly pausedAt = new Map<number, bigint>();
  private awaitedReads: AwaitedReads | undefined;
  state: ProjectorState = 'starting';

  constructor(
    private readonly pool: pg.Pool,
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly metrics: ProjectorMetrics,
    private readonly options: ProjectorRuntimeOptions,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`invalid projection schema name ${options.schema}`);
    this.limits = options.limits ? new Map(options.limits) : undefined;
  }

  /** Replaces the stop offsets (see `limits`), resuming the partitions the new ones let go further. */
  limitTo(limits: Map<number, bigint> | undefined): void {
    this.limits = limits ? new Map(limits) : undefined;
    const resumed = [...this.paused].filter((partition) => {
      const limit = this.limits?.get(partition);
      return limit === undefined || limit > (this.pausedAt.get(partition) ?? 0n);
    });
    if (resumed.length === 0) return;
    for (const partition of resumed) this.paused.delete(partition);
    this.consumer?.resume([{ topic: this.options.topic, partitions: resumed }]);
  }

  /** The checkpoint (next offset to apply) of every partition the projection has seen. */
  checkpoints(): Promise<Map<number, bigint>> {
    return this.loadCheckpoints();
  }

  async start(): Promise<void> {
    await this.createTables();
    this.skipped = await readSkippedOffsets(this.pool, this.options.projection.name, this.options.topic);
    if (this.options.live && (this.options.lingerMs ?? 0) > 0) {
      this.awaitedReads = new AwaitedReads(this.pool, this.options.projection.name, this.logger);
      await this.awaitedReads.start();
    }
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 250,
      // A projector that dies without leaving the group holds its partitions until the session times out;
      // keep that short so a crashed replica's partitions move on within seconds, not kafkajs's default 30.
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      // Keep reconnecting through a Kafka outage of any length, checking every 2 s, rather than crash-looping.
      retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: Number.MAX_SAFE_INTEGER },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (this.state === 'reconnecting') this.state = 'running';
      void this.seekToCheckpoints(payload.memberAssignment[this.options.topic] ?? []);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // A stalled projection's consumer crashes on every retry of its event: stalledOn has said why, once.
      if (this.stall && payload.error.message === this.stall.error) return;
      this.state = 'reconnecting';
      this.logger.error({ err: payload.error, restart: payload.restart }, 'projector consumer crashed');
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.applyBatch(payload),
    });
    this.state = 'running';
    await this.refreshLag();
    this.lagTimer = setInterval(() => void this.refreshLag(), LAG_REFRESH_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.lagTimer);
    this.awaitedReads?.stop();
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
      ...(this.stall ? { stalledReason: stallReason(this.stall), stalledOn: this.stall } : {}),
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

  private async loadCheckpoints(): Promise<Map<number, bigint>> {
    return inTransaction(this.pool, async (client) => {
      await client.query(`SET LOCAL search_path TO ${this.options.schema}, public`);
      return readCheckpoints(client, this.options.topic);
    });
  }

  private async seekToCheckpoints(partitions: number[]): Promise<void> {
    try {
      const checkpoints = await this.loadCheckpoints();
      for (const partition of partitions) {
        const offset = checkpoints.get(partition);
        if (offset !== undefined) this.consumer?.seek({ topic: this.options.topic, partition, offset: offset.toString() });
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not seek to checkpoints; batches will realign themselves');
    }
  }

  private async applyBatch(payload: EachBatchPayload) {
    const { batch, isRunning, isStale } = payload;
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const { topic, partition } = batch;
    const limit = this.limits?.get(partition);
    const messages = limit === undefined ? batch.messages : batch.messages.filter((message) => BigInt(message.offset) < limit);
    if (messages.length < batch.messages.length) this.pauseAt(partition, limit!);
    if (messages.length === 0) return;
    // While stalled, an operator may have just told the projection to pass over the event it is stuck on.
    if (this.stall) this.skipped = await readSkippedOffsets(this.pool, this.options.projection.name, topic);
    const lag = await this.applyNamingFailures(payload, messages);
    if (lag < 0) return;
    const lingerMs = this.options.lingerMs ?? 0;
    const busy = lag === 0 && messages.length >= (this.options.busyBatchEvents ?? BUSY_BATCH_EVENTS);
    if (lingerMs > 0 && busy && isRunning()) await (this.awaitedReads ? this.awaitedReads.linger(lingerMs) : sleep(lingerMs));
  }

  /**
   * Applies the messages and acknowledges them to Kafka; if they fail to apply together, applies them one by one,
   * up to the one that fails alone. Only applying is retried so: Kafka's errors (a rebalance) are Kafka's to handle.
   */
  private async applyNamingFailures(payload: EachBatchPayload, messages: KafkaMessage[]): Promise<number> {
    const { partition } = payload.batch;
    let outcome: BatchOutcome;
    try {
      outcome = await this.applyInTransaction(payload.batch, messages);
    } catch (error) {
      if (messages.length === 1) throw this.stalledOn(partition, messages[0], error);
      let lag = -1;
      for (const message of messages) {
        const single = await this.applyInTransaction(payload.batch, [message]).catch((failure: unknown) => {
          throw this.stalledOn(partition, message, failure);
        });
        lag = await this.acknowledge(payload, [message], single);
        if (lag < 0) break;
      }
      return lag;
    }
    return this.acknowledge(payload, messages, outcome);
  }

  /** Applies messages in one transaction with their checkpoint. */
  private async applyInTransaction({ topic, partition }: EachBatchPayload['batch'], messages: KafkaMessage[]): Promise<BatchOutcome> {
    const skipped = this.skipped.get(partition);
    const started = process.hrtime.bigint();
    return this.inBatchTransaction(topic, partition, async (client, checkpoint): Promise<BatchOutcome> => {
      const fresh = messages.filter((message) => BigInt(message.offset) >= checkpoint.nextOffset);
      if (fresh.length === 0) return { kind: 'duplicate' };
      if (BigInt(fresh[0].offset) > checkpoint.nextOffset) return { kind: 'gap', expected: checkpoint.nextOffset };
      // Positions only grow along a partition; anything at or below the last applied one is a resent duplicate.
      const events = fresh
        .filter((message) => !skipped?.has(BigInt(message.offset)))
        .map((message) => decodeEvent(message, partition))
        .filter((event) => event.position > checkpoint.lastPosition);
      await this.options.projection.apply(client, events, { live: this.options.live });
      await this.completeBatch(client, topic, partition, {
        nextOffset: BigInt(fresh[fresh.length - 1].offset) + 1n,
        lastPosition: events.length > 0 ? events[events.length - 1].position : checkpoint.lastPosition,
        events,
      });
      return { kind: 'applied', events, started };
    });
  }

  /**
   * Tells Kafka the messages are done with, once applied. Returns the partition's lag after them, or -1 when they
   * started past the checkpoint (the consumer is sent back to it).
   */
  private async acknowledge(
    { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }: EachBatchPayload,
    messages: KafkaMessage[],
    outcome: BatchOutcome,
  ): Promise<number> {
    const { topic, partition } = batch;
    if (outcome.kind === 'gap') {
      this.logger.warn({ partition, expected: outcome.expected.toString() }, 'batch starts past the checkpoint; seeking back');
      this.consumer?.seek({ topic, partition, offset: outcome.expected.toString() });
      return -1;
    }
    // Before the Kafka offset commit: memory is what the check API answers from, and the commit only saves a hint.
    if (outcome.kind === 'applied') this.options.projection.committed?.(outcome.events);
    if (this.stall?.partition === partition) this.recover(this.stall);
    const lastOffset = messages[messages.length - 1].offset;
    resolveOffset(lastOffset);
    await commitOffsetsIfNecessary();
    await heartbeat();
    if (outcome.kind === 'applied') {
      this.metrics.applied(this.options.projection.name, outcome.events.length, Number(process.hrtime.bigint() - outcome.started) / 1e9);
      this.appliedSinceVacuum += outcome.events.length;
      void this.vacuumIfGrown();
    }
    const lag = Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(lastOffset) - 1n));
    this.lagByPartition.set(partition, lag);
    this.metrics.lag(this.options.projection.name, partition, lag);
    return lag;
  }

  /**
   * Records that the projection cannot get past one event, naming it so an operator can find it on the log and,
   * once they judge it cannot ever be applied, pass over it (`roster projection skip`). Kafka redelivers it, and
   * the runtime tries again, until it applies or is skipped.
   */
  private stalledOn(partition: number, message: KafkaMessage, error: unknown): unknown {
    const cause = error instanceof Error ? error.message : String(error);
    const { ceType, eventId, tailnetId } = messageIdentity(message);
    const stall: StalledEvent = { partition, offset: message.offset, eventType: ceType, eventId, tailnetId, error: cause };
    const repeated = this.stall?.partition === partition && this.stall.offset === message.offset && this.stall.error === cause;
    if (!repeated) {
      this.logger.error(
        { ...stall, err: error },
        `${this.options.projection.name} cannot apply the event at partition ${partition}, offset ${message.offset}; it will retry until the event applies or is skipped (roster projection skip)`,
      );
    }
    this.state = 'stalled';
    this.stall = stall;
    this.metrics.stalled(this.options.projection.name, partition, true);
    return error;
  }

  private recover(stall: StalledEvent): void {
    this.logger.info({ partition: stall.partition, offset: stall.offset }, `${this.options.projection.name} is past the event it was stalled on`);
    this.metrics.stalled(this.options.projection.name, stall.partition, false);
    this.stall = undefined;
    if (this.state === 'stalled') this.state = 'running';
  }

  /**
   * Runs `work` in a transaction opened, with the partition's checkpoint locked and read, in one round trip.
   * Not waiting for the WAL flush is safe here: a batch lost in a PostgreSQL crash loses its checkpoint with it,
   * and is applied again from Kafka. A projection's prepared statements are planned for each batch: the generic
   * plan PostgreSQL would otherwise keep for the connection is made while the tables are still small (a new
   * tailnet's first sync, a replay from zero) and went on scanning them whole as they grew — every directory
   * batch read all users until the next ANALYZE. Planning costs far less than that.
   */
  private inBatchTransaction<T>(topic: string, partition: number, work: (client: pg.PoolClient, checkpoint: Checkpoint) => Promise<T>): Promise<T> {
    const settings =
      `SET LOCAL search_path TO ${this.options.schema}, public; SET LOCAL synchronous_commit TO off; ` +
      'SET LOCAL plan_cache_mode TO force_custom_plan';
    return inTransactionBegunBy(this.pool, (client) => beginWithCheckpoint(client, settings, topic, partition), work);
  }

  /** Stops fetching a partition that reached its limit; the messages past it are fetched again on resume. */
  private pauseAt(partition: number, limit: bigint): void {
    if (this.paused.has(partition)) return;
    this.paused.add(partition);
    this.pausedAt.set(partition, limit);
    this.consumer?.pause([{ topic: this.options.topic, partitions: [partition] }]);
  }

  /**
   * Advances the checkpoint, releases the read-your-writes fences the batch satisfied (live projection only) and,
   * when it released any, wakes the readers waiting on this projection, in one statement. A batch that released
   * none has no reader to wake, and a NOTIFY is not free: PostgreSQL serialises the commits of notifying
   * transactions, and every listener receives it.
   */
  private async completeBatch(
    client: pg.PoolClient,
    topic: string,
    partition: number,
    { nextOffset, lastPosition, events }: { nextOffset: bigint; lastPosition: bigint; events: LoggedEvent[] },
  ): Promise<void> {
    const fences = this.options.live ? events : [];
    await client.query({
      name: 'checkpoint-advance',
      text: `WITH advanced AS (
         UPDATE projector_checkpoints SET next_offset = $3, last_position = $4, updated_at = now()
          WHERE topic = $1 AND partition = $2),
       released AS (
         DELETE FROM writes.read_fences f USING unnest($6::uuid[], $7::uuid[], $8::int[]) AS e(tailnet_id, aggregate_id, version)
          WHERE f.projection = $5 AND f.tailnet_id = e.tailnet_id AND f.aggregate_id = e.aggregate_id
            AND f.version <= e.version
          RETURNING 1)
       SELECT pg_notify($9, $5) WHERE EXISTS (SELECT 1 FROM released)`,
      values: [
        topic,
        partition,
        nextOffset.toString(),
        lastPosition.toString(),
        this.options.projection.name,
        fences.map((event) => event.tailnetId),
        fences.map((event) => event.aggregateId),
        fences.map((event) => event.aggregateVersion),
        PROJECTION_APPLIED_CHANNEL,
      ],
    });
  }

  /**
   * Vacuums the projection's tables and refreshes their planner statistics after enough change; never blocks the
   * consumer. Besides reclaiming updated rows, the vacuum keeps the visibility map current, without which
   * PostgreSQL cannot count a filter's matches (SCIM totalResults) from an index alone. Autovacuum would do the
   * same where it is on; where it is off (this project's own test machines), nothing else would.
   */
  private async vacuumIfGrown(): Promise<void> {
    const due = this.appliedSinceVacuum >= VACUUM_AFTER_EVENTS && Date.now() - this.vacuumedAt >= VACUUM_AT_MOST_EVERY_MS;
    if (!due || this.vacuuming) return;
    this.vacuuming = true;
    this.appliedSinceVacuum = 0;
    this.vacuumedAt = Date.now();
    try {
      const { rows } = await this.pool.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [
        this.options.schema,
      ]);
      for (const { tablename } of rows) await this.pool.query(`VACUUM (ANALYZE) ${this.options.schema}."${tablename}"`);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not vacuum the read model');
    } finally {
      this.vacuuming = false;
    }
  }

  /** Lag from PostgreSQL's checkpoints and Kafka's high watermarks, so it is right even before the first batch. */
  private async refreshLag(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      const checkpoints = await this.loadCheckpoints();
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
