import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { NotificationListener } from './notification-listener.js';

// Real PostgreSQL (127.0.0.1:5432, user postgres, trust auth); LISTEN/NOTIFY needs no tables.
let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres', max: 3 });
});

afterAll(async () => {
  await pool?.end();
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe('NotificationListener', () => {
  it('hands on the payloads of its channel, and listens again after losing its connection', async () => {
    const channel = `spec_${randomUUID().slice(0, 8)}`;
    const received: (string | undefined)[] = [];
    const listener = new NotificationListener(pool, channel, createLogger('listener-spec', 'silent'), (payload) => received.push(payload));
    await listener.start();
    await pool.query('SELECT pg_notify($1, $2)', [channel, 'first']);
    await pool.query('SELECT pg_notify($1, $2)', ['some_other_channel', 'ignored']);
    await until(() => received.length === 1);

    const terminated = await pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1', [`LISTEN ${channel}`]);
    expect(terminated.rowCount).toBe(1);
    const deadline = Date.now() + 5_000;
    while (!received.includes('after reconnect') && Date.now() < deadline) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, 'after reconnect']);
      await sleep(100);
    }
    listener.stop();
    expect(received[0]).toBe('first');
    expect(received).toContain('after reconnect');
    expect(received).not.toContain('ignored');
  });

  it('gives its connection back when stopped while still connecting', async () => {
    const own = new pg.Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres', max: 1 });
    const listener = new NotificationListener(own, `spec_${randomUUID().slice(0, 8)}`, createLogger('listener-spec', 'silent'), () => undefined);
    const starting = listener.start();
    listener.stop();
    await starting;
    expect(own.totalCount - own.idleCount).toBe(0);
    await own.end();
  });
});
