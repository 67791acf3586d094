import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMembershipEvent, validateMembershipMessage, type MembershipEvent } from '#roster/contracts';
import type { Stack } from '#roster/testkit';
import { randomProvisioning } from './support/random-provisioning.js';
import { eventually, readTopic } from './support/read-topic.js';
import { startStack } from './support/stack.js';

const SERVICES = ['scim-gateway', 'directory-projector', 'membership-projector', 'membership-subscriber-example'] as const;

async function directoryMembers(stack: Stack) {
  const { rows } = await stack.pool.query<{ m: string }>(
    `SELECT tailnet_id || '/' || group_id || '/' || user_id AS m FROM directory.group_members ORDER BY 1`,
  );
  return rows.map((row) => row.m);
}

async function subscriberMembers(stack: Stack) {
  const { rows } = await stack.pool
    .query<{ m: string }>(`SELECT tailnet_id || '/' || group_id || '/' || user_id AS m FROM membership_subscriber.group_members ORDER BY 1`)
    .catch(() => ({ rows: [] as { m: string }[] }));
  return rows.map((row) => row.m);
}

describe('membership feed: a public contract other teams can rebuild group membership from', () => {
  let stack: Stack;
  let counts: Record<string, number>;

  beforeAll(async () => {
    stack = await startStack('membership_feed', { SCIM_RATE_LIMIT_PER_SECOND: '100000', SCIM_RATE_LIMIT_BURST: '100000' }, [...SERVICES]);
    const first = await stack.createTailnet('feed-one');
    const second = await stack.createTailnet('feed-two');
    // Two tailnets provisioned at once: their events interleave on the log and on the feed.
    const [a, b] = await Promise.all([
      randomProvisioning(first.scim, { steps: 400, seed: 6, prefix: 'one' }),
      randomProvisioning(second.scim, { steps: 200, seed: 66, prefix: 'two' }),
    ]);
    counts = Object.fromEntries(Object.keys({ ...a, ...b }).map((key) => [key, (a[key] ?? 0) + (b[key] ?? 0)]));
    await stack.waitUntilApplied('directory');
    await stack.waitUntilApplied('membership');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lets the example subscriber rebuild exactly the directory’s group members from the topic alone', async () => {
    expect(counts['user deleted']).toBeGreaterThan(0);
    expect(counts['group deleted']).toBeGreaterThan(0);
    expect(counts['user suspended']).toBeGreaterThan(0);
    const expected = await directoryMembers(stack);
    expect(expected.length).toBeGreaterThan(20);
    const got = await eventually(() => subscriberMembers(stack), (members) => members.join() === expected.join());
    expect(got).toEqual(expected);
    const anomalies = await stack.pool.query('SELECT * FROM membership_subscriber.anomalies');
    expect(anomalies.rows).toEqual([]);
  });

  it('emits only events that validate against their JSON Schema, numbered 1, 2, 3… per group, counts that add up', async () => {
    const messages = await readTopic(stack.kafka, stack.topics.membership);
    expect(messages.length).toBeGreaterThan(100);
    const problems = messages.flatMap((message) => validateMembershipMessage(message).map((problem) => `${message.headers?.ce_id}: ${problem}`));
    expect(problems).toEqual([]);

    const byGroup = new Map<string, MembershipEvent[]>();
    const partitionOf = new Map<string, number>();
    for (const message of messages) {
      const event = decodeMembershipEvent(message);
      expect(message.key?.toString()).toBe(event.data.groupId);
      // Keyed by group: all of a group's events share one partition, so its order is Kafka's order.
      expect(partitionOf.get(event.data.groupId) ?? message.partition).toBe(message.partition);
      partitionOf.set(event.data.groupId, message.partition);
      byGroup.set(event.data.groupId, [...(byGroup.get(event.data.groupId) ?? []), event]);
    }
    const { rows: live } = await stack.pool.query<{ id: string; n: number }>(
      `SELECT g.id, count(m.user_id)::int AS n FROM directory.groups g LEFT JOIN directory.group_members m ON m.group_id = g.id GROUP BY g.id`,
    );
    const liveCount = new Map(live.map((row) => [row.id, row.n]));
    const types = new Set<string>();
    for (const [groupId, events] of byGroup) {
      expect(events.map((e) => e.data.sequence)).toEqual(events.map((_, i) => i + 1));
      const members = new Set<string>();
      for (const event of events) {
        types.add(event.type === 'MemberRemoved' ? `MemberRemoved/${event.data.reason}` : event.type);
        if (event.type === 'MemberAdded') members.add(event.data.userId);
        if (event.type === 'MemberRemoved') members.delete(event.data.userId);
        expect(event.data.memberCount, `${event.type} #${event.data.sequence}`).toBe(members.size);
      }
      const last = events[events.length - 1];
      if (last.type === 'GroupDeleted') expect(liveCount.has(groupId)).toBe(false);
      else expect(last.data.memberCount).toBe(liveCount.get(groupId) ?? 0);
    }
    expect([...types].sort()).toEqual(
      expect.arrayContaining(['GroupDeleted', 'GroupRenamed', 'MemberAdded', 'MemberRemoved/removed', 'UserSuspended', 'UserReactivated']),
    );
  });

  it('spells out the MemberRemoveds a user or group deletion implies, before the deletion itself', async () => {
    const events = (await readTopic(stack.kafka, stack.topics.membership)).map((message) => decodeMembershipEvent(message));
    const byCause = new Map<string, MembershipEvent[]>();
    for (const event of events) byCause.set(event.causationId, [...(byCause.get(event.causationId) ?? []), event]);
    const log = await stack.readLog();
    let checked = 0;
    for (const internal of log.filter((e) => e.type === 'GroupDeleted' || e.type === 'UserDeleted')) {
      const caused = (byCause.get(internal.id) ?? []).sort((a, b) => a.data.sequence - b.data.sequence);
      if (internal.type === 'GroupDeleted') {
        expect(caused.at(-1)?.type).toBe('GroupDeleted');
        expect(caused.slice(0, -1).every((e) => e.type === 'MemberRemoved' && e.data.reason === 'group-deleted')).toBe(true);
      } else {
        for (const event of caused.filter((e) => e.type === 'UserDeleted')) {
          const removal = caused.find((e) => e.data.groupId === event.data.groupId && e.data.sequence === event.data.sequence - 1);
          expect(removal).toMatchObject({ type: 'MemberRemoved', data: { reason: 'user-deleted', userId: internal.aggregateId } });
        }
      }
      checked += caused.length;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
