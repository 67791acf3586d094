import type pg from 'pg';
import type { Logger } from 'pino';

const RECONNECT_AFTER_MS = 500;

/**
 * A connection of its own that LISTENs on one channel and hands each notification's payload on. A lost
 * connection is replaced every half second until it works again; notifications sent meanwhile are lost, so
 * whoever relies on them needs a backstop (a poll, a timeout).
 */
export class NotificationListener {
  private client: pg.PoolClient | undefined;
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly logger: Logger,
    private readonly onPayload: (payload: string | undefined) => void,
  ) {}

  async start(): Promise<void> {
    const client = await this.pool.connect();
    client.on('notification', ({ payload }) => this.onPayload(payload));
    client.on('error', (error) => {
      this.logger.warn({ err: error, channel: this.channel }, 'notification listener lost its connection; reconnecting');
      this.client = undefined;
      client.release(true);
      this.reconnectLater();
    });
    try {
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      client.release(true);
      throw error;
    }
    // Stopped while connecting (a reconnect racing shutdown): holding the connection would keep the pool from ending.
    if (this.stopped) client.release(true);
    else this.client = client;
  }

  stop(): void {
    this.stopped = true;
    this.client?.release(true);
    this.client = undefined;
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    setTimeout(() => void this.start().catch(() => this.reconnectLater()), RECONNECT_AFTER_MS);
  }
}
