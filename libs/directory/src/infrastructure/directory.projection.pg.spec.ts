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
    const tailnetId = randomUUID();
    const [user, leaver, group, other] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    let position = 0n;
    const event = (type: LoggedEvent['type'], aggregateId: string, aggregateVersion: number, data: Record<string, unknown>): LoggedEvent => {
      position++;
      return {
        id: randomUUID(), type, schemaVersion: EventTypes[type], tailnetId, aggregateType: type.startsWith('User') ? 'User' : 'Group', aggregateId, aggregateVersion,
        time: new Date(Date.UTC(2026, 0, 1, 0, 0, Number(position))).toISOString(), actor: { kind: 'system', id: 'test' }, correlationId: 'c',
        data, position, partition: 0, offset: String(position),
      };
    };
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
});
