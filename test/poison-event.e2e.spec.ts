import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, UserCreatedData } from '#roster/events';
import { appendToOutbox, partitionForKey } from '#roster/outbox';
import { inTransaction } from '#roster/platform';
import { oktaUser, type Stack } from '#roster/testkit';
import { eventually, startStack } from './support/stack.js';

type Tailnet = Awaited<ReturnType<Stack['createTailnet']>>;
type ProjectionReadiness = { ready: boolean; checks: { name: string; details?: { state: string; stalledReason?: string; stalledOn?: Record<string, unknown> } }[] };

/**
 * An event on the log that a projection cannot apply: here a user whose title holds a NUL, which PostgreSQL cannot
 * store (the gateway refuses such text now; an older build did not). Recorded as a write would record it: in the
 * outbox, with a read-your-writes fence.
 */
async function recordUnappliableUser(stack: Stack, tailnet: Tailnet): Promise<EventEnvelope<UserCreatedData>> {
  const userId = randomUUID();
  const event: EventEnvelope<UserCreatedData> = {
    id: randomUUID(),
    type: 'UserCreated',
    schemaVersion: 1,
    tailnetId: tailnet.tailnetId,
    aggregateType: 'User',
    aggregateId: userId,
    aggregateVersion: 1,
    time: new Date().toISOString(),
    actor: { kind: 'scim-token', id: 'older-gateway' },
    correlationId: randomUUID(),
    data: { userId, userName: 'nul.title@example.com', active: true, attributes: { userName: 'nul.title@example.com', title: 'a\u0000b' } },
  };
  await inTransaction(stack.pool, async (client) => {
    await appendToOutbox(client, [event as unknown as EventEnvelope]);
    await client.query(`INSERT INTO writes.read_fences (projection, tailnet_id, aggregate_id, version) VALUES ('directory', $1, $2, 1)`, [
      tailnet.tailnetId,
      userId,
    ]);
  });
  return event;
}

/** The partition of the log that holds a tailnet's events. */
async function partitionOf(stack: Stack, tailnetId: string): Promise<number> {
  const admin = stack.kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(stack.topics.tailnetEvents).finally(() => admin.disconnect());
  return partitionForKey(stack.topics.tailnetEvents, tailnetId, offsets.length);
}

async function directoryReadiness(stack: Stack): Promise<ProjectionReadiness> {
  return (await fetch(`${stack.serviceUrl('directory-projector')}/readyz`)).json() as Promise<ProjectionReadiness>;
}

/** The directory projector's `roster_projector_stalled` gauge for one partition. */
async function stalledGauge(stack: Stack, partition: number): Promise<string | undefined> {
  const metrics = await (await fetch(`${stack.serviceUrl('directory-projector')}/metrics`)).text();
  return new RegExp(`^roster_projector_stalled\\{[^}]*partition="${partition}"[^}]*\\} (\\d+)$`, 'm').exec(metrics)?.[1];
}

const projectionCheck = (readiness: ProjectionReadiness) => readiness.checks.find((check) => check.name === 'projection')?.details;

describe('an event a projection cannot apply', () => {
  let stack: Stack;
  let tailnet: Tailnet;

  beforeAll(async () => {
    // Reads give up on a stalled projection after a second rather than five.
    stack = await startStack('poison', { READ_YOUR_WRITES_TIMEOUT_MS: '1000' });
    tailnet = await stack.createTailnet('poisoned');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('stalls only past the events before it, is named on /readyz, and is passed over by `roster projection skip`, replays too', async () => {
    // With the projector stopped, the three arrive in one batch: the runtime must still apply the one before.
    await stack.waitUntilAllApplied();
    await stack.stopService('directory-projector');
    const before = (await tailnet.scim.post('/Users', oktaUser('before.poison@example.com'))).body;
    // The next event to apply applies cleanly: a mistyped offset never skips it.
    const partition = await partitionOf(stack, tailnet.tailnetId);
    const { rows } = await stack.pool.query<{ next_offset: string }>(
      'SELECT next_offset FROM directory.projector_checkpoints WHERE topic = $1 AND partition = $2',
      [stack.topics.tailnetEvents, partition],
    );
    const healthy = await stack.cli(['projection', 'skip', 'directory', '--partition', String(partition), '--offset', rows[0].next_offset, '--reason', 'typo']);
    expect(healthy).toMatchObject({ code: 2, stderr: expect.stringContaining('without error') });
    const poison = await recordUnappliableUser(stack, tailnet);
    const after = (await tailnet.scim.post('/Users', oktaUser('after.poison@example.com'))).body;
    await stack.startService('directory-projector', { waitReady: false });
    await stack.waitUntil('directory-projector', 'healthz');

    const stalled = await eventually(
      () => directoryReadiness(stack),
      (readiness) => projectionCheck(readiness)?.stalledOn !== undefined,
    );
    expect(stalled.ready).toBe(false);
    const stalledOn = projectionCheck(stalled)!.stalledOn as { partition: number; offset: string; eventId: string; eventType: string; tailnetId: string };
    expect(stalledOn).toMatchObject({ eventId: poison.id, eventType: 'dev.roster.UserCreated.v1', tailnetId: tailnet.tailnetId });
    expect(projectionCheck(stalled)!.stalledReason).toMatch(/^cannot apply dev\.roster\.UserCreated\.v1 at partition \d+, offset \d+: .*/);
    const projected = async (userName: string) =>
      (await stack.pool.query('SELECT 1 FROM directory.users WHERE user_name = $1', [userName])).rowCount === 1;
    expect(await projected('before.poison@example.com')).toBe(true);
    expect(await projected('after.poison@example.com')).toBe(false);
    // A read behind the stuck event waits for it, then gives up with 503.
    expect((await tailnet.scim.get(`/Users/${after.id}`)).status).toBe(503);

    const { offset } = stalledOn;
    expect(stalledOn.partition).toBe(partition);
    expect(await stalledGauge(stack, partition)).toBe('1');
    const skip = (...args: string[]) => stack.cli(['projection', 'skip', ...args]);
    const wrongOffset = await skip('directory', '--partition', String(partition), '--offset', String(BigInt(offset) + 1n), '--reason', 'test');
    expect(wrongOffset).toMatchObject({ code: 2, stderr: expect.stringContaining(`is at partition ${partition}, offset ${offset}`) });
    const applied = await skip('directory', '--partition', String(partition), '--offset', String(BigInt(offset) - 1n), '--reason', 'test');
    expect(applied).toMatchObject({ code: 2, stderr: expect.stringContaining('has already applied') });
    expect(await skip('directroy', '--partition', '0', '--offset', '0', '--reason', 'test')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown projection') });
    expect(await skip('directory', '--partition', String(partition), '--offset', offset, '--reason', ' ')).toMatchObject({ code: 2 });

    const skipped = await skip('directory', '--partition', String(partition), '--offset', offset, '--reason', 'NUL in title (INC-42)', '--json');
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ projection: 'directory', eventId: poison.id, releasedReadFences: 1, failure: expect.stringMatching(/0x00/) });

    await eventually(() => directoryReadiness(stack), (readiness) => readiness.ready, 30_000);
    expect((await tailnet.scim.get(`/Users/${after.id}`)).status).toBe(200);
    expect((await tailnet.scim.get(`/Users/${before.id}`)).status).toBe(200);
    expect(await stalledGauge(stack, partition)).toBe('0');
    expect(await projected('nul.title@example.com')).toBe(false);

    const listed = await stack.cli(['projection', 'skipped', 'directory', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const [record] = JSON.parse(listed.stdout);
    expect(record).toMatchObject({ projection: 'directory', partition, offset, eventId: poison.id, reason: 'NUL in title (INC-42)' });
    // The message as it was on the log: a structured CloudEvent, the event's data inside it.
    expect(JSON.parse(record.value)).toMatchObject({ id: poison.id, type: 'dev.roster.UserCreated.v1', data: poison.data });

    // A rebuild from the log passes over the same event, and keeps what came after it.
    const replayed = await stack.cli(['replay', 'directory', '--json']);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(await projected('after.poison@example.com')).toBe(true);
    expect(await projected('nul.title@example.com')).toBe(false);
  });
});
