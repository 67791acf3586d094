import type { Kafka, Producer } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import { encodeMembershipEvent, type MembershipEvent } from '#roster/contracts';
import { MEMBERSHIP_OUTBOX } from './membership-tables.js';

const BATCH = 1_000;
// The projector nudges the publisher after every batch it applies; polling is only the backstop for rows left
// by a crash or by another replica, and each poll is a transaction.
const IDLE_POLL_MS = 1_000;
const MAX_BACKOFF_MS = 5_000;

export type MembershipPublisherMetrics = { published(count: number): void; failed(): void };

/**
 * Publishes the membership outbox to the public topic, oldest first. Rows stay locked (FOR UPDATE) while their
 * batch is sent, so a second replica waits rather than publishing the same rows out of order; they are deleted
 * only once Kafka has acknowledged the batch. The producer is idempotent (no duplicates from its own retries);
 * a crash between the acknowledgement and the delete sends the batch again, which is why the feed is at least
 * once and subscribers dedupe on (groupId, sequence).
 */
export class MembershipPublisher {
  private running = false;
  private loop: Promise<void> | undefined;
  private producer: Producer | undefined;
  private wake: (() => void) | undefined;
  private nudged = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly logger: Logger,
    private readonly metrics: MembershipPublisherMetrics,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.producer?.disconnect().catch(() => undefined);
  }

  /** Something was queued: publish now rather than at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    let backoff = 200;
    while (this.running) {
      try {
        const sent = await this.publishBatch();
        backoff = 200;
        // A nudge that came while the batch was being sent found no sleeper to wake.
        if (sent < BATCH && !this.nudged) await this.sleep(IDLE_POLL_MS);
      } catch (error) {
        this.metrics.failed();
        this.logger.warn({ err: error }, 'membership feed publish failed; retrying');
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private async publishBatch(): Promise<number> {
    this.nudged = false;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; event: MembershipEvent }>({
        name: 'membership-outbox-next',
        text: `SELECT id, event FROM ${MEMBERSHIP_OUTBOX} ORDER BY id LIMIT ${BATCH} FOR UPDATE`,
      });
      if (rows.length > 0) {
        const producer = await this.connectedProducer();
        await producer.send({ topic: this.topic, acks: -1, messages: rows.map((row) => encodeMembershipEvent(row.event)) });
        await client.query({
          name: 'membership-outbox-sent',
          text: `DELETE FROM ${MEMBERSHIP_OUTBOX} WHERE id = ANY($1::bigint[])`,
          values: [rows.map((row) => row.id)],
        });
      }
      await client.query('COMMIT');
      if (rows.length > 0) this.metrics.published(rows.length);
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
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

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
