import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '#roster/platform';
import { AwaitedReads } from './awaited-reads.js';
import { READ_AWAITED_CHANNEL } from './projection.js';

// Real PostgreSQL (127.0.0.1:5432, user postgres, trust auth); LISTEN/NOTIFY needs no tables.
const LINGER_MS = 400;

let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres', max: 3 });
});

afterAll(async () => {
  await pool?.end();
});

/** A listener for a projection of its own, so tests never see each other's notifications. */
async function listening(): Promise<{ reads: AwaitedReads; projection: string }> {
  const projection = `projection_${randomUUID().slice(0, 8)}`;
  const reads = new AwaitedReads(pool, projection, createLogger('awaited-reads-spec', 'silent'));
  await reads.start();
  return { reads, projection };
}

async function readerWaits(projection: string): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [READ_AWAITED_CHANNEL, projection]);
  // The notification travels over the listener's own connection.
  await sleep(50);
}

async function timed(work: Promise<void>): Promise<number> {
  const started = Date.now();
  await work;
  return Date.now() - started;
}

describe('AwaitedReads: a projection lingers only while no reader waits for it', () => {
  it('lingers the full time when nobody waits', async () => {
    const { reads } = await listening();
    expect(await timed(reads.linger(LINGER_MS))).toBeGreaterThanOrEqual(LINGER_MS - 5);
    reads.stop();
  });

  it('stops lingering as soon as a reader starts waiting', async () => {
    const { reads, projection } = await listening();
    const lingered = timed(reads.linger(LINGER_MS));
    await sleep(50);
    await pool.query('SELECT pg_notify($1, $2)', [READ_AWAITED_CHANNEL, projection]);
    expect(await lingered).toBeLessThan(LINGER_MS / 2);
    reads.stop();
  });

  it('does not linger at all just after a reader waited', async () => {
    const { reads, projection } = await listening();
    await readerWaits(projection);
    expect(await timed(reads.linger(LINGER_MS))).toBeLessThan(LINGER_MS / 2);
    reads.stop();
  });

  it('ignores readers of other projections', async () => {
    const { reads } = await listening();
    await readerWaits('another_projection');
    expect(await timed(reads.linger(LINGER_MS))).toBeGreaterThanOrEqual(LINGER_MS - 5);
    reads.stop();
  });

  it('lets a stopping runtime go at once', async () => {
    const { reads } = await listening();
    const lingered = timed(reads.linger(LINGER_MS));
    await sleep(20);
    reads.stop();
    expect(await lingered).toBeLessThan(LINGER_MS / 2);
  });
});
