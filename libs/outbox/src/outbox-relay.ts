import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import { encodeEvent, type Topics } from '#roster/events';
import { ensureTopics } from '#roster/platform';
import { readLastPositions } from './log-tail-reader.js';
import { OUTBOX_CHANNEL } from './outbox-writer.js';
import { toEventMetadata, type OutboxRow } from './outbox-row.js';
import { partitionForKey } from './partition-for-key.js';

const RELAY_LOCK = 7_319_002;
const IDLE_POLL_MS = 1_000;
// Like Kafka's linger.ms: after a small batch, wait this long so the next one carries more events. Under load
// this turns one PostgreSQL round trip and one Kafka send per event into one per batch.
const LINGER_MS = 3;
// Every outbox row is inserted, updated once and deleted, and every write leaves a read fence that a projector
// deletes: queue tables that bloat fast. The leader vacuums them itself rather than trust autovacuum's settings.
const VACUUM_EVERY_MS = 10_000;
const MAX_BACKOFF_MS = 5_000;

export type OutboxRelayOptions = { topics: Topics; batchSize: number; partitions: number };

export type OutboxRelayMetrics = {
  published(count: number, seconds: number): void;
  failed(): void;
};

/**
 * Moves committed events from the PostgreSQL outbox to the Kafka log, in order, exactly once.
 *
 * - One relay at a time: the leader holds a session advisory lock, and does all its work on that same connection,
 *   so losing the connection also stops it.
 * - Order: rows get a global position, in commit-visibility order, before they are sent; messages carry it.
 * - Exactly once: a batch is one idempotent `send` (kafkajs may lose messages with concurrent sends), recorded as
 *   in flight before it goes. After any failure, or on taking over, the relay reads the last position on each
 *   partition the in-flight batch touched, deletes the rows Kafka already has, and sends the rest again.
 */
export class OutboxRelay {
  private running = false;
  private leader: pg.PoolClient | undefined;
  private producer: Producer | undefined;
  private wakeSleeper: (() => void) | undefined;
  private notified = false;
  private loop: Promise<void> | undefined;
  private lastVacuum = Date.now();

  constructor(
    private readonly pool: pg.Pool,
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly metrics: OutboxRelayMetrics,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeSleeper?.();
    this.wakeSleeper = undefined;
    await this.loop;
  }

  isLeader(): boolean {
    return this.leader !== undefined;
  }

  /** New rows were committed: look at the outbox now rather than at the next poll. */
  nudge(): void {
    this.notified = true;
    this.wakeSleeper?.();
  }

  private async run(): Promise<void> {
    let backoff = 200;
    while (this.running) {
      try {
        if (!this.leader) {
          await this.becomeLeader();
          if (!this.leader) {
            await this.sleep(2_000);
            continue;
          }
          await ensureTopics(this.kafka, this.options.topics, this.options.partitions);
          await this.recover();
        }
        const published = await this.publishNextBatch();
        backoff = 200;
        await this.vacuumQueueTables();
        if (published === 0) await this.sleep(IDLE_POLL_MS);
        if (published < this.options.batchSize) await delay(LINGER_MS);
      } catch (error) {
        this.metrics.failed();
        this.logger.warn({ err: error }, 'outbox relay: batch failed; will recover and retry');
        await this.resetAfterFailure();
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    await this.resetAfterFailure();
  }

  private async becomeLeader(): Promise<void> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK]);
      if (!rows[0].locked) {
        client.release();
        return;
      }
      client.on('notification', () => this.nudge());
      client.on('error', (error) => this.logger.warn({ err: error }, 'outbox relay: leader connection error'));
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.leader = client;
      this.logger.info('outbox relay: this process is the leader');
    } catch (error) {
      client.release(true);
      throw error;
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  /**
   * After a failure or a takeover: of the batch that was in flight, deletes the rows Kafka already has (position at
   * or below the last position on their partition) and forgets the rest's positions, so they are sent again.
   * Also moves the position counter past everything on the log: consumers drop positions they have already seen,
   * so a counter that went back (a restored or recreated database) would make them drop new events silently.
   */
  private async recover(): Promise<void> {
    const leader = this.leader!;
    const { rows } = await leader.query<{ seq: string; tailnet_id: string; position: string }>(
      `SELECT o.seq, o.tailnet_id, r.inflight_first_position + f.index - 1 AS position
         FROM writes.relay_state r, unnest(r.inflight_seqs) WITH ORDINALITY AS f(seq, index)
         JOIN writes.outbox o ON o.seq = f.seq`,
    );
    const partitions = Array.from({ length: this.options.partitions }, (_, partition) => partition);
    const tails = await readLastPositions(this.kafka, this.options.topics.tailnetEvents, partitions);
    const delivered = rows
      .filter((row) => BigInt(row.position) <= (tails.get(this.partitionOf(row.tailnet_id)) ?? 0n))
      .map((row) => row.seq);
    await this.completeBatch(delivered);
    const highest = [...tails.values()].reduce((max, position) => (position > max ? position : max), 0n);
    await leader.query('UPDATE writes.relay_state SET last_position = GREATEST(last_position, $1::bigint)', [highest.toString()]);
    if (delivered.length > 0) this.logger.info({ delivered: delivered.length }, 'outbox relay: recovered rows already on the log');
  }

  private async publishNextBatch(): Promise<number> {
    this.notified = false;
    const rows = await this.takeNextBatch();
    if (rows.length === 0) return 0;
    const started = process.hrtime.bigint();
    const producer = await this.connectedProducer();
    await producer.send({
      topic: this.options.topics.tailnetEvents,
      acks: -1,
      messages: rows.map((row) => ({
        ...encodeEvent(toEventMetadata(row), row.data, BigInt(row.position)),
        partition: this.partitionOf(row.tailnet_id),
      })),
    });
    await this.completeBatch(rows.map((row) => row.seq));
    this.metrics.published(rows.length, Number(process.hrtime.bigint() - started) / 1e9);
    return rows.length;
  }

  /**
   * Takes the next committed rows in `seq` order and gives them consecutive log positions, recording the batch as
   * in flight, in one statement. `seq` order among visible rows respects causality: a transaction that started
   * after another committed is always seen after it. Positions only grow; a batch abandoned by a crash leaves a
   * gap, never a repeat.
   */
  private async takeNextBatch(): Promise<OutboxRow[]> {
    const { rows } = await this.leader!.query<OutboxRow>({
      name: 'outbox-take-batch',
      text: `WITH picked AS (
               SELECT seq, event_id, tailnet_id, type, schema_version, aggregate_type, aggregate_id, aggregate_version,
                      occurred_at, actor, correlation_id, causation_id, data::text AS data
                 FROM writes.outbox ORDER BY seq LIMIT $1),
             batch AS (SELECT count(*) AS n, array_agg(seq ORDER BY seq) AS seqs FROM picked),
             started AS (
               UPDATE writes.relay_state
                  SET last_position = last_position + batch.n, inflight_seqs = batch.seqs,
                      inflight_first_position = last_position + 1
                 FROM batch WHERE batch.n > 0
               RETURNING inflight_first_position)
             SELECT picked.*, (SELECT inflight_first_position FROM started) + row_number() OVER (ORDER BY seq) - 1 AS position
               FROM picked ORDER BY seq`,
      values: [this.options.batchSize],
    });
    return rows;
  }

  /** Deletes delivered rows and closes the in-flight batch, together. */
  private async completeBatch(seqs: string[]): Promise<void> {
    await this.leader!.query({
      name: 'outbox-complete-batch',
      text: `WITH delivered AS (DELETE FROM writes.outbox WHERE seq = ANY($1::bigint[]))
             UPDATE writes.relay_state SET inflight_seqs = '{}', inflight_first_position = NULL`,
      values: [seqs],
    });
  }

  private async vacuumQueueTables(): Promise<void> {
    if (Date.now() - this.lastVacuum < VACUUM_EVERY_MS) return;
    this.lastVacuum = Date.now();
    await this.leader!.query('VACUUM writes.outbox, writes.read_fences');
  }

  private partitionOf(tailnetId: string): number {
    return partitionForKey(this.options.topics.tailnetEvents, tailnetId, this.options.partitions);
  }

  private async resetAfterFailure(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
    const leader = this.leader;
    this.leader = undefined;
    if (leader) {
      // Dropping the connection releases the advisory lock, so a healthy replica can take over.
      leader.release(true);
    }
  }

  /** Waits for `ms`, or less if a commit notification arrives (or arrived since the last look at the outbox). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.notified || !this.running) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = done;
    });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
