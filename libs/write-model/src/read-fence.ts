import type pg from 'pg';
import type { Logger } from 'pino';
import { NotificationListener, reusedPlans } from '#roster/platform';
import { PROJECTION_APPLIED_CHANNEL, READ_AWAITED_CHANNEL } from '#roster/projector';

/** The read model has not caught up with this tailnet's writes within the allowed wait. */
export class ReadModelBehindError extends Error {
  constructor(readonly projection: string, readonly waitedMs: number) {
    super(`the ${projection} read model is still applying recent writes (waited ${waitedMs} ms)`);
  }
}

/**
 * Read-your-writes for reads served from a projection. Every write leaves a fence (tailnet, aggregate, version) in
 * the same transaction; the live projector removes it in the transaction that applies the event. A read first
 * waits until its tailnet has no fence left, woken by that projector's NOTIFY, for at most `timeoutMs`. Fences live
 * in PostgreSQL, so this holds across gateway replicas, and reads of tailnets with no recent writes never wait.
 */
export class ReadFence {
  private readonly listener: NotificationListener;
  private readonly waiters = new Set<{ projection: string; wake: () => void }>();
  /** Notifications received per projection: a read compares it across its query to see one it was not yet waiting for. */
  private readonly notified = new Map<string, number>();

  constructor(
    private readonly pool: pg.Pool,
    logger: Logger,
  ) {
    this.listener = new NotificationListener(pool, PROJECTION_APPLIED_CHANNEL, logger, (projection) => this.wake(projection));
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  async stop(): Promise<void> {
    this.wake();
    this.listener.stop();
  }

  /**
   * Waits for the writes committed before the read began — not for later ones, or a tailnet under constant
   * writing (an IdP's sync cycle) would keep its readers waiting for ever.
   */
  async waitForTailnet(projection: string, tailnetId: string, timeoutMs: number): Promise<void> {
    const notifiedBefore = this.notificationsOf(projection);
    const fenced = await this.fencedAggregates(projection, tailnetId);
    await this.waitForPending(projection, tailnetId, fenced, notifiedBefore, timeoutMs);
  }

  /**
   * A read of rows from the projection, with read-your-writes in one round trip when no write is pending: the
   * tailnet's fences are read in the same statement, so in the same snapshot, as the rows. Only when some are
   * pending does it wait for those, then read again. `rowsSql` takes the tailnet id as $1 and must number its
   * rows in a column `ord` (the order they are returned in). `reusePlan` when one plan of `rowsSql` serves every
   * value bound (see ReusedPlans).
   */
  async queryAfterWrites<Row extends object>(
    projection: string,
    tailnetId: string,
    timeoutMs: number,
    rowsSql: string,
    params: unknown[],
    { reusePlan = false } = {},
  ): Promise<Row[]> {
    const statement = (text: string, values: unknown[]) => reusedPlans.statement(text, values, reusePlan);
    const notifiedBefore = this.notificationsOf(projection);
    const { rows } = await this.pool.query<Row & { pending_fences: string[]; ord: number | null }>(
      statement(
        `SELECT f.pending_fences, r.*
           FROM (SELECT coalesce(array_agg(aggregate_id), '{}') AS pending_fences FROM writes.read_fences
                  WHERE projection = $${params.length + 1} AND tailnet_id = $1) f
           LEFT JOIN LATERAL (${rowsSql}) r ON true
          ORDER BY r.ord`,
        [...params, projection],
      ),
    );
    const pending = rows[0].pending_fences;
    if (pending.length === 0) return rows.filter((row) => row.ord !== null);
    await this.waitForPending(projection, tailnetId, pending, notifiedBefore, timeoutMs);
    return (await this.pool.query<Row>(statement(rowsSql, params))).rows;
  }

  /**
   * `notifiedBefore` is the projection's notification count from before the query that found `fenced`: a batch
   * may release them and notify while that query is in flight, before this read waits, and such a notification
   * must send it straight back to check rather than to the backstop poll.
   */
  private async waitForPending(projection: string, tailnetId: string, fenced: string[], notifiedBefore: number, timeoutMs: number) {
    if (fenced.length === 0) return;
    await this.announceWaiting(projection);
    let pending = fenced;
    let notified = notifiedBefore;
    const deadline = Date.now() + timeoutMs;
    while (pending.length > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new ReadModelBehindError(projection, timeoutMs);
      // Poll as a backstop in case a notification is missed while the listener reconnects.
      if (this.notificationsOf(projection) === notified) await this.nextNotification(projection, Math.min(remaining, 200));
      notified = this.notificationsOf(projection);
      pending = await this.stillFenced(projection, tailnetId, pending);
    }
  }

  /** Tells the projector not to linger for fuller batches while this read waits (see AwaitedReads). */
  private async announceWaiting(projection: string): Promise<void> {
    await this.pool.query({ name: 'read-awaited', text: 'SELECT pg_notify($1, $2)', values: [READ_AWAITED_CHANNEL, projection] });
  }

  private async fencedAggregates(projection: string, tailnetId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ aggregate_id: string }>({
      name: 'read-fences-of-tailnet',
      text: 'SELECT aggregate_id FROM writes.read_fences WHERE projection = $1 AND tailnet_id = $2',
      values: [projection, tailnetId],
    });
    return rows.map((row) => row.aggregate_id);
  }

  /** A fence outlives the write that set it only while a later write of the same aggregate is also unapplied. */
  private async stillFenced(projection: string, tailnetId: string, aggregateIds: string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ aggregate_id: string }>({
      name: 'read-fences-still-set',
      text: `SELECT aggregate_id FROM writes.read_fences
              WHERE projection = $1 AND tailnet_id = $2 AND aggregate_id = ANY($3::uuid[])`,
      values: [projection, tailnetId, aggregateIds],
    });
    return rows.map((row) => row.aggregate_id);
  }

  private nextNotification(projection: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter = {
        projection,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, ms);
      this.waiters.add(waiter);
    });
  }

  private notificationsOf(projection: string): number {
    return this.notified.get(projection) ?? 0;
  }

  /** Wakes the readers waiting on `projection` (the notification's payload), or all of them. */
  private wake(projection?: string): void {
    if (projection !== undefined) this.notified.set(projection, this.notificationsOf(projection) + 1);
    for (const waiter of [...this.waiters]) if (projection === undefined || waiter.projection === projection) waiter.wake();
  }
}
