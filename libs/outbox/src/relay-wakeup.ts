import type pg from 'pg';
import type { Logger } from 'pino';
import type { OutboxRelay } from './outbox-relay.js';
import { OUTBOX_CHANNEL } from './outbox-writer.js';

const NOTIFY_COALESCE_MS = 5;

/**
 * Tells the relay leader that new outbox rows were committed. In the leader's own process that is a function
 * call; otherwise one NOTIFY, sent on its own after the commits of the last few milliseconds, wakes the leader
 * in another replica (which also polls every second, so a lost wake-up only delays).
 */
export class RelayWakeup {
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  signal(): void {
    if (this.relay.isLeader()) return this.relay.nudge();
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      this.pool.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`).catch((error: unknown) => {
        this.logger.debug({ err: error }, 'could not notify the outbox relay; it will poll');
      });
    }, NOTIFY_COALESCE_MS);
  }
}
