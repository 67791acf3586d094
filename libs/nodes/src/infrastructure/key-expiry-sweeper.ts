import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { eventRecorder, type EventEnvelope, type NodeKeyExpiredData } from '#roster/events';
import { appendToOutbox } from '#roster/outbox';
import { inTransaction, type Clock } from '#roster/platform';
import type { NodeExpiryMetrics } from './node-expiry-metrics.js';

// Even with nothing due for months, look again now and then: a lost wake-up or a clock step costs at most this.
const MAX_SLEEP_MS = 60_000;
const REPLAN_DEBOUNCE_MS = 20;

type Due = { tailnet_id: string; id: string; key_expiry: Date };

export type SweepResult = { recorded: number; seconds: number };

/**
 * Records NodeKeyExpired for every key whose expiry has passed, driven by the next due time rather than a fixed
 * rescan: it sleeps until the earliest expiry in the read model (an index lookup), wakes early when the projection
 * applies node changes, and sweeps only the keys that are due.
 *
 * Exactly once: candidates come from the read model, but each is recorded by a guarded update of the node's own
 * aggregate (expiry passed, not yet recorded, not disabled, not deleted), whose row lock makes a second sweeper —
 * another replica, or this one restarted halfway — skip what the first recorded. Each chunk is one transaction.
 */
export class KeyExpirySweeper {
  private timer: NodeJS.Timeout | undefined;
  private replanTimer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  /** Everything due up to this instant has been recorded (or found already recorded). */
  private sweptUpTo = new Date(0);

  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: NodeExpiryMetrics | undefined,
    private readonly options: { batchSize: number; schema?: string },
  ) {}

  start(): void {
    this.stopped = false;
    this.nodesChanged();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.replanTimer);
    await this.running.catch(() => undefined);
  }

  /** The projection applied node changes: a new or renewed key may now be the next due, or already be due. */
  nodesChanged(): void {
    if (this.stopped) return;
    this.sweptUpTo = new Date(0);
    this.replanTimer ??= setTimeout(() => {
      this.replanTimer = undefined;
      this.schedule(() => this.sweepAndPlan());
    }, REPLAN_DEBOUNCE_MS);
  }

  /** Records every key due now; returns how many this call recorded (others may have been recorded by a peer). */
  async sweep(): Promise<SweepResult> {
    const started = process.hrtime.bigint();
    const now = this.clock.now();
    let recorded = 0;
    let after: Due | undefined;
    for (;;) {
      const due = await this.dueKeys(now, after);
      if (due.length === 0) break;
      recorded += await this.recordExpired(due.map((node) => node.id), now);
      after = due[due.length - 1];
    }
    this.sweptUpTo = now;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics?.sweepDuration.observe(seconds);
    this.metrics?.keysExpired.inc(recorded);
    if (recorded > 0) this.logger.info({ recorded, seconds }, 'recorded expired node keys');
    return { recorded, seconds };
  }

  private schedule(work: () => Promise<void>): void {
    this.running = this.running.then(work).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'node-key expiry sweep failed; retrying shortly');
      this.arm(1_000);
    });
  }

  private async sweepAndPlan(): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.timer);
    await this.sweep();
    const next = await this.nextDue();
    this.arm(next ? next.getTime() - this.clock.now().getTime() : MAX_SLEEP_MS);
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.schedule(() => this.sweepAndPlan()), Math.min(Math.max(delayMs, 0), MAX_SLEEP_MS));
  }

  private get table(): string {
    return `${this.options.schema ?? 'nodes'}.nodes`;
  }

  private async nextDue(): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ next: Date | null }>(
      `SELECT min(key_expiry) AS next FROM ${this.table} WHERE NOT key_expiry_disabled AND NOT key_expired AND key_expiry > $1`,
      [this.sweptUpTo],
    );
    return rows[0].next ?? undefined;
  }

  /** Due keys in (expiry, id) order, a page after `after`: the read model lags, so pages move on, not re-read. */
  private async dueKeys(now: Date, after: Due | undefined): Promise<Due[]> {
    const { rows } = await this.pool.query<Due>(
      `SELECT tailnet_id, id, key_expiry FROM ${this.table}
        WHERE NOT key_expiry_disabled AND NOT key_expired AND key_expiry <= $1
          AND (key_expiry, id) > ($2::timestamptz, $3::uuid)
        ORDER BY key_expiry, id LIMIT $4`,
      [now, after?.key_expiry ?? new Date(0), after?.id ?? '00000000-0000-0000-0000-000000000000', this.options.batchSize],
    );
    return rows;
  }

  private recordExpired(nodeIds: string[], now: Date): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ aggregate_id: string; tailnet_id: string; version: number; key_expiry: string }>(
        `WITH due AS (
           SELECT aggregate_id FROM writes.aggregates
            WHERE aggregate_id = ANY($1::uuid[]) AND aggregate_type = 'Node'
              AND NOT coalesce((state->>'deleted')::boolean, false)
              AND NOT (state->>'keyExpiryDisabled')::boolean
              AND NOT (state->>'keyExpired')::boolean
              AND (state->>'keyExpiry')::timestamptz <= $2
            ORDER BY aggregate_id FOR UPDATE)
         UPDATE writes.aggregates a
            SET version = a.version + 1, state = (a.state::jsonb || '{"keyExpired": true}'::jsonb)::json, updated_at = now()
           FROM due WHERE a.aggregate_id = due.aggregate_id
         RETURNING a.aggregate_id, a.tailnet_id, a.version, a.state->>'keyExpiry' AS key_expiry`,
        [nodeIds, now],
      );
      const causation = { actor: { kind: 'system' as const, id: 'node-key-expiry' }, correlationId: randomUUID(), time: now.toISOString() };
      const events: EventEnvelope[] = rows.map((row) =>
        eventRecorder({ tailnetId: row.tailnet_id, type: 'Node', id: row.aggregate_id }, row.version - 1, causation)<NodeKeyExpiredData>(
          'NodeKeyExpired',
          { nodeId: row.aggregate_id, keyExpiry: row.key_expiry },
        ),
      );
      await appendToOutbox(client, events);
      return events.length;
    });
  }
}
