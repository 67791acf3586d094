import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '#roster/platform';
import { PROJECTION_APPLIED_CHANNEL, READ_AWAITED_CHANNEL } from '#roster/projector';
import { migratedDatabase, type MigratedDatabase } from '#roster/testkit';
import { ReadFence, ReadModelBehindError } from './read-fence.js';

// Real PostgreSQL, a throwaway database with Roster's migrations.
const BACKSTOP_POLL_MS = 200;

let database: MigratedDatabase;
let pool: pg.Pool;
let fence: ReadFence;

beforeAll(async () => {
  database = await migratedDatabase('read_fence');
  pool = new pg.Pool({ ...database.connection, max: 4 });
  fence = new ReadFence(pool, createLogger('read-fence-spec', 'silent'));
  await fence.start();
});

afterEach(() => vi.restoreAllMocks());

afterAll(async () => {
  await fence?.stop();
  await pool?.end();
  await database?.drop();
});

async function setFence(projection: string, tailnetId: string, aggregateId: string) {
  await pool.query('INSERT INTO writes.read_fences (projection, tailnet_id, aggregate_id, version) VALUES ($1, $2, $3, 1)', [projection, tailnetId, aggregateId]);
}

/** What a projector's batch does: release the fences it applied, then tell the readers of its projection. */
async function release(projection: string, aggregateId: string) {
  await pool.query('DELETE FROM writes.read_fences WHERE projection = $1 AND aggregate_id = $2', [projection, aggregateId]);
  await notify(projection);
}

async function notify(projection: string) {
  await pool.query('SELECT pg_notify($1, $2)', [PROJECTION_APPLIED_CHANNEL, projection]);
}

/** How many times the fence re-checked whether the aggregates it waits for are still fenced. */
function recheckCounter() {
  const query = vi.spyOn(pool, 'query');
  return () => query.mock.calls.filter(([config]) => (config as { name?: string }).name === 'read-fences-still-set').length;
}

describe('ReadFence: a read waits for the writes of its tailnet, woken by its own projection', () => {
  it('answers at once when the tailnet has no write pending', async () => {
    const started = Date.now();
    await fence.waitForTailnet('directory', randomUUID(), 5_000);
    expect(Date.now() - started).toBeLessThan(BACKSTOP_POLL_MS);
  });

  it('returns once the projector releases the fence', async () => {
    const [tailnetId, aggregateId] = [randomUUID(), randomUUID()];
    await setFence('directory', tailnetId, aggregateId);
    const waited = fence.waitForTailnet('directory', tailnetId, 5_000);
    await sleep(30);
    await release('directory', aggregateId);
    await expect(waited).resolves.toBeUndefined();
  });

  it("re-checks on its projection's notification and not on another projection's", async () => {
    const [tailnetId, aggregateId] = [randomUUID(), randomUUID()];
    await setFence('directory', tailnetId, aggregateId);
    const rechecks = recheckCounter();
    const waited = fence.waitForTailnet('directory', tailnetId, 5_000);
    await sleep(30);
    // Well inside the backstop poll's 200 ms: only a notification can cause a re-check here.
    await notify('nodes');
    await sleep(60);
    expect(rechecks()).toBe(0);
    await notify('directory');
    await sleep(60);
    expect(rechecks()).toBe(1);
    await release('directory', aggregateId);
    await waited;
  });

  it('does not miss a release notified while its fence query was in flight', async () => {
    const [tailnetId, aggregateId] = [randomUUID(), randomUUID()];
    await setFence('directory', tailnetId, aggregateId);
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    let answered = 0;
    vi.spyOn(pool, 'query').mockImplementation((async (...args: unknown[]) => {
      const result = await query(...args);
      if ((args[0] as { name?: string }).name === 'read-fences-of-tailnet') {
        // The projector's batch commits and notifies after the read's snapshot, before the read starts waiting.
        await release('directory', aggregateId);
        await sleep(50);
        answered = Date.now();
      }
      return result;
    }) as never);
    await fence.waitForTailnet('directory', tailnetId, 5_000);
    // Left to the backstop poll, the wait would last 200 ms more.
    expect(Date.now() - answered).toBeLessThan(BACKSTOP_POLL_MS - 50);
  });

  it("tells its projection's projector, once, that a read is waiting, and only when one is", async () => {
    const listener = new pg.Client(database.connection);
    await listener.connect();
    const announced: string[] = [];
    listener.on('notification', ({ payload }) => announced.push(payload ?? ''));
    await listener.query(`LISTEN ${READ_AWAITED_CHANNEL}`);
    const [tailnetId, aggregateId] = [randomUUID(), randomUUID()];
    await fence.waitForTailnet('directory', tailnetId, 5_000);
    await setFence('directory', tailnetId, aggregateId);
    const waited = fence.waitForTailnet('directory', tailnetId, 5_000);
    await sleep(30);
    await notify('directory');
    await sleep(30);
    await release('directory', aggregateId);
    await waited;
    await sleep(30);
    await listener.end();
    expect(announced).toEqual(['directory']);
  });

  it('gives up with ReadModelBehindError when the fence outlives the allowed wait', async () => {
    const [tailnetId, aggregateId] = [randomUUID(), randomUUID()];
    await setFence('nodes', tailnetId, aggregateId);
    await expect(fence.waitForTailnet('nodes', tailnetId, 300)).rejects.toBeInstanceOf(ReadModelBehindError);
    await release('nodes', aggregateId);
  });

  it('reads rows and fences in one statement, and reads again after waiting', async () => {
    const [tailnetId, aggregateId] = [randomUUID(), randomUUID()];
    const rowsSql = 'SELECT $1::uuid AS tailnet_id, 1 AS ord';
    expect(await fence.queryAfterWrites('directory', tailnetId, 5_000, rowsSql, [tailnetId])).toHaveLength(1);
    await setFence('directory', tailnetId, aggregateId);
    const rechecks = recheckCounter();
    const read = fence.queryAfterWrites<{ tailnet_id: string }>('directory', tailnetId, 5_000, rowsSql, [tailnetId]);
    await sleep(30);
    await release('directory', aggregateId);
    expect((await read).map((row) => row.tailnet_id)).toEqual([tailnetId]);
    expect(rechecks()).toBe(1);
  });
});
