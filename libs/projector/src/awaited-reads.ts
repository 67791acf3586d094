import type pg from 'pg';
import type { Logger } from 'pino';
import { NotificationListener } from '#roster/platform';
import { READ_AWAITED_CHANNEL } from './projection.js';

/**
 * A reader that waits on one projection's read-your-writes fences has said so this recently: the projection
 * then fetches again at once after each batch instead of lingering. A read waits a few milliseconds; one second
 * covers the writes that reader's client makes next (Entra ID reads back what it just wrote).
 */
const AWAITED_RECENTLY_MS = 1_000;

/**
 * Listens for readers waiting on a projection (`READ_AWAITED_CHANNEL`, payload: the projection's name), so that
 * its runtime lingers for fuller batches only while nobody waits for it. Without its connection it lingers as
 * configured: readers then wait at most the linger, never lose their answer.
 */
export class AwaitedReads {
  private readonly listener: NotificationListener;
  private awaitedAt = Number.NEGATIVE_INFINITY;
  private wakeSleeper: (() => void) | undefined;
  private stopped = false;

  constructor(pool: pg.Pool, projection: string, logger: Logger) {
    this.listener = new NotificationListener(pool, READ_AWAITED_CHANNEL, logger, (payload) => {
      if (payload === projection) this.awaited();
    });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): void {
    this.stopped = true;
    this.wakeSleeper?.();
    this.listener.stop();
  }

  /** Waits `ms`, unless a reader waits on the projection now or did so recently. */
  async linger(ms: number): Promise<void> {
    if (this.stopped || Date.now() - this.awaitedAt < AWAITED_RECENTLY_MS) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(wake, ms);
      function wake() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = wake;
    });
    this.wakeSleeper = undefined;
  }

  private awaited(): void {
    this.awaitedAt = Date.now();
    this.wakeSleeper?.();
  }
}
