import { Partitioners, type Kafka, type Producer } from 'kafkajs';
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
// Like Kafka's linger.ms: after a small batch, wait this long so the next one carries more events. Under load
// this turns one PostgreSQL round trip and one Kafka send per event into one per batch.
const LINGER_MS = 3;
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
  private wakeSleeper: (() => void) | undefined;
  private notified = false;
  /** Whether rows with positions but not yet confirmed on the log may exist (after a failure or a takeover). */
  private leftovers = true;
  private loop: Promise<void> | undefined;

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

  /** Deletes the rows that an earlier, interrupted attempt did deliver, judged by the last position on each partition. */
  private async recover(): Promise<void> {
    const leader = this.leader!;
    const { rows } = await leader.query<{ seq: string; tailnet_id: string; position: string }>(
      'SELECT seq, tailnet_id, position FROM writes.outbox WHERE position IS NOT NULL',
    );
    this.leftovers = rows.length > 0;
    if (rows.length === 0) return;
    const partitionOf = (row: { tailnet_id: string }) => this.partitionOf(row.tailnet_id);
    const tails = await readLastPositions(this.kafka, this.options.topics.tailnetEvents, [...new Set(rows.map(partitionOf))]);
    const delivered = rows.filter((row) => BigInt(row.position) <= (tails.get(partitionOf(row)) ?? 0n)).map((row) => row.seq);
    if (delivered.length === 0) return;
    await leader.query('DELETE FROM writes.outbox WHERE seq = ANY($1::bigint[])', [delivered]);
    this.logger.info({ delivered: delivered.length }, 'outbox relay: recovered rows already on the log');
  }

  private async publishNextBatch(): Promise<number> {
    this.notified = false;
    const rows = (this.leftovers && (await this.positionedRows())) || (await this.assignPositions());
    if (rows.length === 0) return 0;
    const started = process.hrtime.bigint();
    const producer = await this.connectedProducer();
    await producer.send({
      topic: this.options.topics.tailnetEvents,
      acks: -1,
      messages: rows.map((row) => ({
        ...encodeEvent(toEnvelope(row), BigInt(row.position!)),
        partition: this.partitionOf(row.tailnet_id),
      })),
    });
    await this.leader!.query('DELETE FROM writes.outbox WHERE seq = ANY($1::bigint[])', [rows.map((row) => row.seq)]);
    this.metrics.published(rows.length, Number(process.hrtime.bigint() - started) / 1e9);
    return rows.length;
  }

  /** Rows an interrupted attempt gave positions to: they go out first, under the same positions. */
  private async positionedRows(): Promise<OutboxRow[] | undefined> {
    const { rows } = await this.leader!.query<OutboxRow>(
      'SELECT * FROM writes.outbox WHERE position IS NOT NULL ORDER BY position LIMIT $1',
      [this.options.batchSize],
    );
    if (rows.length === 0) this.leftovers = false;
    return rows.length > 0 ? rows : undefined;
  }

  /**
   * Gives the next committed rows their log positions and returns them, in one statement. Rows are taken in
   * `seq` order among those visible, which respects causality: a transaction that started after another
   * committed is always seen after it. A row keeps its position once given one, so a retry resends it under the
   * same position and recovery can tell whether Kafka already has it.
   */
  private async assignPositions(): Promise<OutboxRow[]> {
    const { rows } = await this.leader!.query<OutboxRow>({
      name: 'outbox-assign-positions',
      text: `WITH picked AS (
         SELECT seq FROM writes.outbox WHERE position IS NULL ORDER BY seq LIMIT $1 FOR UPDATE),
       counted AS (SELECT count(*) AS n FROM picked),
       counter AS (
         UPDATE writes.relay_state SET last_position = last_position + (SELECT n FROM counted)
          WHERE (SELECT n FROM counted) > 0 RETURNING last_position),
       numbered AS (
         SELECT seq, (SELECT last_position FROM counter) - (SELECT n FROM counted) + row_number() OVER (ORDER BY seq) AS position
           FROM picked)
       UPDATE writes.outbox o SET position = numbered.position FROM numbered WHERE o.seq = numbered.seq
       RETURNING o.*`,
      values: [this.options.batchSize],
    });
    return rows.sort((a, b) => (BigInt(a.position!) < BigInt(b.position!) ? -1 : 1));
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
