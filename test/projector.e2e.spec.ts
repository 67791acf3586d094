import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '#roster/platform';
import { DirectoryProjection } from '#roster/directory';
import { NO_PROJECTOR_METRICS, ProjectorRuntime } from '#roster/projector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oktaUser, type Stack } from '#roster/testkit';
import { eventually, startStack } from './support/stack.js';


/** A checksum of every row of the read model's tables, optionally leaving some users out. */
async function tableChecksums(stack: Stack, schema: string, excludedUserIds: string[] = []) {
  const { rows } = await stack.pool.query<{ users: string; emails: string; n: string }>(
    `SELECT (SELECT md5(coalesce(string_agg(u::text, '|' ORDER BY u.tailnet_id, u.id), ''))
               FROM ${schema}.users u WHERE u.id <> ALL($1::uuid[])) AS users,
            (SELECT md5(coalesce(string_agg(e::text, '|' ORDER BY e.tailnet_id, e.user_id, e.ordinal), ''))
               FROM ${schema}.user_emails e WHERE e.user_id <> ALL($1::uuid[])) AS emails,
            (SELECT count(*) FROM ${schema}.users u WHERE u.id <> ALL($1::uuid[])) AS n`,
    [excludedUserIds],
  );
  return rows[0];
}

async function waitForUsers(stack: Stack, count: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await stack.pool.query<{ n: string }>('SELECT count(*) AS n FROM directory.users');
    if (Number(rows[0].n) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`read model did not reach ${count} users`);
}

describe('projector: exactly once in effect across crashes, redelivery and rebuilds', () => {
  let stack: Stack;
  let tailnet: Awaited<ReturnType<Stack['createTailnet']>>;
  const created: string[] = [];

  beforeAll(async () => {
    stack = await startStack('projector');
    tailnet = await stack.createTailnet('projected');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('applies every event once while the projector is killed and restarted mid-stream', async () => {
    const writer = (async () => {
      for (let i = 0; i < 300; i++) {
        const response = await tailnet.scim.request('POST', '/Users', oktaUser(`stream.${i}@example.com`));
        // Reads wait for the projector; writes never do, so they keep succeeding while it is down.
        expect(response.status).toBe(201);
        created.push(response.body.id);
      }
    })();
    // One crash (the group waits out the dead member's session) and one clean restart (it leaves at once).
    for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await stack.stopService('directory-projector', signal);
      await stack.startService('directory-projector');
    }
    await writer;
    await waitForUsers(stack, created.length);
    await stack.waitUntil('directory-projector', 'readyz');
    const { rows } = await stack.pool.query<{ id: string }>('SELECT id FROM directory.users WHERE tailnet_id = $1', [tailnet.tailnetId]);
    expect(rows.map((row) => row.id).sort()).toEqual([...created].sort());
    const emails = await stack.pool.query<{ n: string }>('SELECT count(*) AS n FROM directory.user_emails');
    expect(Number(emails.rows[0].n)).toBe(created.length);
  });

  it('ignores a full redelivery when Kafka forgets the consumer group offsets', async () => {
    const before = await tableChecksums(stack, 'directory');
    await stack.stopService('directory-projector');
    const admin = stack.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: `${stack.namespace}roster-projector-directory`, topic: stack.topics.tailnetEvents, earliest: true });
    await admin.disconnect();
    await stack.startService('directory-projector');
    await stack.waitUntil('directory-projector', 'readyz');
    // A write after the redelivery proves the projector went through the whole log and on past it.
    const marker = await tailnet.scim.post('/Users', oktaUser('after.redelivery@example.com'));
    expect((await tailnet.scim.get(`/Users/${marker.body.id}`)).status).toBe(200);
    expect(await tableChecksums(stack, 'directory', [marker.body.id])).toEqual(before);
  });

  it('lingers for fuller batches while nobody reads, and never keeps a waiting reader', async () => {
    const projected = async (userId: string) =>
      (await stack.pool.query('SELECT 1 FROM directory.users WHERE id = $1', [userId])).rowCount === 1;
    stack.setServiceEnv('directory-projector', { PROJECTOR_LINGER_MS: '1000' });
    await stack.stopService('directory-projector');
    await stack.startService('directory-projector');
    await stack.waitUntil('directory-projector', 'readyz');
    try {
      // Once this user's batch is applied, the projector waits a second before fetching again.
      const first = await tailnet.scim.post('/Users', oktaUser('linger.first@example.com'));
      await eventually(() => projected(first.body.id), Boolean);
      const second = await tailnet.scim.post('/Users', oktaUser('linger.second@example.com'));
      await sleep(300);
      expect(await projected(second.body.id)).toBe(false);
      // A read of it waits on its fence, which tells the projector to stop lingering.
      const started = Date.now();
      expect((await tailnet.scim.get(`/Users/${second.body.id}`)).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(400);
    } finally {
      stack.setServiceEnv('directory-projector', {});
      await stack.stopService('directory-projector');
      await stack.startService('directory-projector');
    }
  });

  it('equals a read model rebuilt from offset 0', async () => {
    const live = await tableChecksums(stack, 'directory');
    const rebuild = new ProjectorRuntime(stack.pool, stack.kafka, createLogger('rebuild', 'warn'), NO_PROJECTOR_METRICS, {
      projection: new DirectoryProjection(),
      topic: stack.topics.tailnetEvents,
      schema: 'directory_rebuild',
      groupId: `${stack.namespace}rebuild-${Date.now()}`,
      live: false,
    });
    await rebuild.start();
    try {
      const deadline = Date.now() + 60_000;
      while ((await tableChecksums(stack, 'directory_rebuild')).n !== live.n && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await rebuild.stop();
    }
    expect(await tableChecksums(stack, 'directory_rebuild')).toEqual(live);
  });
});
