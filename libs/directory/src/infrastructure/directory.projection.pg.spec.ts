import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventTypes, type LoggedEvent } from '#roster/events';
import { projectionTestDatabase } from '../../../projector/testing/projection-equivalence.js';
import { loggedHistories } from '../../testing/provisioning-history.js';
import { DirectoryProjection } from './directory.projection.js';

const TABLES = ['users', 'user_emails', 'groups', 'group_members'];
const db = projectionTestDatabase();
const project = (schema: string, events: LoggedEvent[], batchSize: () => number) => db.project(schema, new DirectoryProjection(), events, batchSize);
const checksums = (schema: string) => db.checksums(schema, TABLES);
const tailnetId = randomUUID();
let position = 0n;
const event = (type: LoggedEvent['type'], aggregateId: string, aggregateVersion: number, data: Record<string, unknown>): LoggedEvent => {
  position++;
  return {
    id: randomUUID(), type, schemaVersion: EventTypes[type], tailnetId, aggregateType: type.startsWith('User') ? 'User' : 'Group', aggregateId, aggregateVersion,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, Number(position))).toISOString(), actor: { kind: 'system', id: 'test' }, correlationId: 'c',
    data, position, partition: 0, offset: String(position),
  };
};

describe('directory projection: batches fold to what the events do one by one', () => {
  it('builds the same tables event by event, in random batches and in one batch', { timeout: 60_000 }, async () => {
    const events = loggedHistories(3, 1_500);
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(['UserCreated', 'UserUpdated', 'UserSuspended', 'UserReactivated', 'UserDeleted', 'GroupCreated', 'GroupRenamed', 'GroupMemberAdded', 'GroupMemberRemoved', 'GroupDeleted']),
    );
    const tables = await db.expectSameInAnyBatches('history', () => new DirectoryProjection(), events, TABLES);
    expect(Number(tables.group_members.split(':')[0])).toBeGreaterThan(1_000);
  });

  it('ends, within one batch, memberships added before a deletion but not those added after it', async () => {
    const [user, leaver, group, other] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const attributes = { userName: 'u@example.com', active: true, emails: [{ value: 'u@example.com', primary: true }] };
    const events = [
      event('UserCreated', user, 1, { userId: user, userName: 'u@example.com', active: true, attributes }),
      event('UserCreated', leaver, 1, { userId: leaver, userName: 'l@example.com', active: true, attributes: { ...attributes, userName: 'l@example.com' } }),
      event('GroupCreated', group, 1, { groupId: group, displayName: 'G', externalId: null }),
      event('GroupCreated', other, 1, { groupId: other, displayName: 'O', externalId: 'x' }),
      event('GroupMemberAdded', group, 2, { groupId: group, userIds: [user, leaver] }),
      event('GroupExternalIdChanged', other, 2, { groupId: other, externalId: null }),
      event('UserSuspended', user, 2, { userId: user, userName: 'u@example.com' }),
      event('GroupMemberAdded', other, 3, { groupId: other, userIds: [user, leaver] }),
      event('GroupMemberRemoved', group, 3, { groupId: group, userIds: [leaver] }),
      event('GroupDeleted', other, 4, { groupId: other, displayName: 'O' }),
      event('UserUpdated', user, 3, { userId: user, userName: 'v@example.com', changed: ['userName'], attributes: { ...attributes, userName: 'v@example.com', active: false } }),
    ];
    await project('edge_one_by_one', events, () => 1);
    await project('edge_one_batch', events, () => events.length);
    expect(await checksums('edge_one_batch')).toEqual(await checksums('edge_one_by_one'));
    const { rows } = await db.pool.query('SELECT user_name, active, version FROM edge_one_batch.users WHERE id = $1', [user]);
    expect(rows).toEqual([{ user_name: 'v@example.com', active: false, version: 3 }]);
    expect((await db.pool.query('SELECT group_id, user_id FROM edge_one_batch.group_members')).rows).toEqual([{ group_id: group, user_id: user }]);
  });

  it("keeps exactly the last attributes' emails as a user's emails grow, shrink and go", async () => {
    const user = randomUUID();
    const withEmails = (...values: string[]) => ({
      userName: 'e@example.com',
      active: true,
      emails: values.map((value, i) => ({ value, type: i === 0 ? 'work' : 'other', primary: i === 0 })),
    });
    const counts = [1, 3, 1, 0, 2];
    const events = counts.map((n, i) =>
      i === 0
        ? event('UserCreated', user, 1, { userId: user, userName: 'e@example.com', active: true, attributes: withEmails('a0@example.com') })
        : event('UserUpdated', user, i + 1, {
            userId: user,
            userName: 'e@example.com',
            changed: ['emails'],
            attributes: withEmails(...Array.from({ length: n }, (_, k) => `${String.fromCharCode(97 + i)}${k}@example.com`)),
          }),
    );
    const emailsOf = async (schema: string) =>
      (await db.pool.query(`SELECT ordinal, value, type, "primary" FROM ${schema}.user_emails WHERE user_id = $1 ORDER BY ordinal`, [user])).rows;
    const expected = [
      { ordinal: 0, value: 'e0@example.com', type: 'work', primary: true },
      { ordinal: 1, value: 'e1@example.com', type: 'other', primary: false },
    ];
    for (const [schema, size] of [['emails_one_by_one', 1], ['emails_in_pairs', 2], ['emails_one_batch', events.length]] as const) {
      await project(schema, events, () => size);
      expect(await emailsOf(schema)).toEqual(expected);
    }
    // Each intermediate state too: applied up to the shrink to none, nothing is left.
    await project('emails_until_none', events.slice(0, 4), () => 1);
    expect(await emailsOf('emails_until_none')).toEqual([]);
  });
});
