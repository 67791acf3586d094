import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureKafka, stopKafka } from '../deploy/local/infra.mjs';
import { oktaUser, type Stack } from '#roster/testkit';
import { startStack } from './support/stack.js';

/**
 * An acknowledged write is never lost: with Kafka down the gateway still answers 201 (the event is committed to
 * the PostgreSQL outbox in the same transaction as the state change), and the relay delivers it exactly once when
 * Kafka is back — even if the gateway is SIGKILLed in between.
 */
describe('durability of acknowledged writes', () => {
  let stack: Stack;
  let tailnet: Awaited<ReturnType<Stack['createTailnet']>>;

  beforeAll(async () => {
    stack = await startStack('durability');
    tailnet = await stack.createTailnet('durable');
  });
  afterAll(async () => {
    await ensureKafka();
    await stack?.stop();
  });

  it.runIf(inject('kafkaControllable'))('accepts a write while Kafka is down and delivers it exactly once after a SIGKILL and Kafka restart', async () => {
    await stopKafka();
    const created = await tailnet.scim.post('/Users', oktaUser('offline.user@example.com'));
    expect(created.status).toBe(201);
    expect(created.elapsedMs).toBeLessThan(30_000);

    await stack.stopService('scim-gateway', 'SIGKILL');
    await ensureKafka();
    await stack.startService('scim-gateway');

    const log = await stack.waitForLog((events) => events.some((event) => event.aggregateId === created.body.id), 60_000);
    expect(log.filter((event) => event.aggregateId === created.body.id)).toHaveLength(1);
    await stack.waitUntil('directory-projector', 'readyz');
    const found = await tailnet.scim.filterUsers('userName eq "offline.user@example.com"');
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.totalResults).toBe(1);
  });

  it('loses and duplicates nothing when the gateway is SIGKILLed in the middle of a burst of writes', async () => {
    const acknowledged: string[] = [];
    let serial = 0;
    let killed = false;
    // Eight writers keep creating users; the gateway is SIGKILLed once 150 have been acknowledged, with requests
    // in flight and the relay in the middle of its work.
    const writer = async () => {
      while (!killed) {
        const response = await tailnet.scim.post('/Users', oktaUser(`burst.${serial++}@example.com`)).catch(() => undefined);
        if (response?.status === 201) acknowledged.push(response.body.id);
        if (acknowledged.length >= 150 && !killed) {
          killed = true;
          await stack.stopService('scim-gateway', 'SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    await stack.startService('scim-gateway');

    const log = await stack.waitForLog((events) => acknowledged.every((id) => events.some((e) => e.aggregateId === id)), 60_000);
    const created = log.filter((event) => event.type === 'UserCreated' && String(event.data.userName).startsWith('burst.'));
    // Every acknowledged user is there once; a request cut off before its answer may or may not have committed.
    expect(new Set(created.map((event) => event.id)).size).toBe(created.length);
    expect(new Set(created.map((event) => event.aggregateId)).size).toBe(created.length);
    for (const id of acknowledged) expect(created.filter((event) => event.aggregateId === id)).toHaveLength(1);
    const positions = log.map((event) => event.position);
    expect(new Set(positions.map(String)).size).toBe(positions.length);
  });

  it('keeps log positions growing even if the relay counter goes back (a restored database), so no event is dropped', async () => {
    const before = await stack.readLog();
    const highest = before.reduce((max, event) => (event.position > max ? event.position : max), 0n);
    await stack.stopService('scim-gateway');
    await stack.pool.query('UPDATE writes.relay_state SET last_position = 0');
    await stack.startService('scim-gateway');

    const created = await tailnet.scim.post('/Users', oktaUser('after.restore@example.com'));
    expect(created.status).toBe(201);
    const log = await stack.waitForLog((events) => events.some((event) => event.aggregateId === created.body.id));
    expect(log.find((event) => event.aggregateId === created.body.id)!.position).toBeGreaterThan(highest);
    expect((await tailnet.scim.filterUsers('userName eq "after.restore@example.com"')).body.totalResults).toBe(1);
  });
});
