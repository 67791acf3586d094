import type { Kafka, Producer } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import { encodeEvent, type Topics } from '#roster/events';
import { ensureTopics } from '#roster/platform';
import { readLastPositions } from './log-tail-reader.js';
import { OUTBOX_CHANNEL } from './outbox-writer.js';
import { toEnvelope, type OutboxRow } from './outbox-row.js';
import { partitionForKey } from './partition-for-key.js';

const RELAY_LOCK = 7_319_002;
const IDLE_POLL_MS = 1_000;
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
 * - Exactly once: a batch is one idempotent `send` (kafkajs may lose messages with concurrent sends). After any
 *   failure, or on taking over, the relay reads the last position on each partition it may have written to and
 *   deletes the rows Kafka already has before sending the rest again.
 */
export class OutboxRelay {
  private running = false;
  private leader: pg.PoolClient | undefined;
  private producer: Producer | undefined;
  private wake: (() => void) | undefined;
  private notified = false;
  private loop: Promise<void> | undefined;
  private healthy = false;

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
    this.wake?.();
    this.wake = undefined;
    await this.loop;
  }

  /** False while the relay is the leader and cannot reach Kafka; true when idle, caught up or a follower. */
  isHealthy(): boolean {
    return this.healthy || !this.leader;
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
        this.healthy = true;
        backoff = 200;
        if (published === 0) await this.sleep(IDLE_POLL_MS);
      } catch (error) {
        this.healthy = false;
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
      client.on('notification', () => {
        this.notified = true;
        this.wake?.();
      });
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
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  /** Deletes the rows that an earlier, interrupted attempt did deliver, judged by the last position on each partition. */
  private async recover(): Promise<void> {
    const leader = this.leader!;
    const { rows } = await leader.query<{ partition: number; max: string }>(
      `SELECT partition, max(position) AS max FROM writes.outbox WHERE position IS NOT NULL GROUP BY partition`,
    );
    if (rows.length === 0) return;
    const tails = await readLastPositions(this.kafka, this.options.topics.tailnetEvents, rows.map((row) => row.partition));
    let delivered = 0;
    for (const [partition, tail] of tails) {
      const result = await leader.query(
        `DELETE FROM writes.outbox WHERE partition = $1 AND position IS NOT NULL AND position <= $2`,
        [partition, tail.toString()],
      );
      delivered += result.rowCount ?? 0;
    }
    if (delivered > 0) this.logger.info({ delivered }, 'outbox relay: recovered rows already on the log');
  }

  private async publishNextBatch(): Promise<number> {
    const leader = this.leader!;
    this.notified = false;
    const { rows } = await leader.query<OutboxRow>(
      `SELECT * FROM writes.outbox ORDER BY position NULLS LAST, seq LIMIT $1`,
      [this.options.batchSize],
    );
    if (rows.length === 0) return 0;
    await this.assignPositions(rows);
    const started = process.hrtime.bigint();
    const producer = await this.connectedProducer();
    await producer.send({
      topic: this.options.topics.tailnetEvents,
      acks: -1,
      messages: rows.map((row) => ({ ...encodeEvent(toEnvelope(row), BigInt(row.position!)), partition: row.partition! })),
    });
    await leader.query('DELETE FROM writes.outbox WHERE seq = ANY($1::bigint[])', [rows.map((row) => row.seq)]);
    this.metrics.published(rows.length, Number(process.hrtime.bigint() - started) / 1e9);
    return rows.length;
  }

  /**
   * Rows keep a position once given one, so a retry resends them under the same position and recovery can tell
   * whether Kafka already has them. Positions follow the order rows became visible, which respects causality:
   * a transaction that started after another committed is always seen after it.
   */
  private async assignPositions(rows: OutboxRow[]): Promise<void> {
    const fresh = rows.filter((row) => row.position === null);
    if (fresh.length === 0) return;
    const { rows: positions } = await this.leader!.query<{ position: string }>(
      `SELECT nextval('writes.log_position')::text AS position FROM generate_series(1, $1)`,
      [fresh.length],
    );
    const ordered = positions.map((p) => BigInt(p.position)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    fresh.forEach((row, index) => {
      row.position = ordered[index].toString();
      row.partition = partitionForKey(this.options.topics.tailnetEvents, row.tailnet_id, this.options.partitions);
    });
    await this.leader!.query(
      `UPDATE writes.outbox o SET position = u.position, partition = u.partition
         FROM unnest($1::bigint[], $2::bigint[], $3::int[]) AS u(seq, position, partition)
        WHERE o.seq = u.seq`,
      [fresh.map((row) => row.seq), fresh.map((row) => row.position), fresh.map((row) => row.partition)],
    );
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
      this.wake = done;
    });
  }
}
