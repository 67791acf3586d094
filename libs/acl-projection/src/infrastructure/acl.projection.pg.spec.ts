import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventTypes, type LoggedEvent } from '#roster/events';
import { projectionTestDatabase } from '../../../projector/testing/projection-equivalence.js';
import { loggedHistories } from '../../../directory/testing/provisioning-history.js';
import { AclProjection } from './acl.projection.js';

const TABLES = ['tailnets', 'users', 'groups', 'group_members', 'group_name_changes', 'nodes', 'policies'];
const db = projectionTestDatabase();

describe('ACL projection: batches give what the events do one by one', () => {
  it('builds the same tables event by event, in random batches and in one batch', { timeout: 60_000 }, async () => {
    const events = loggedHistories(3, 1_500);
    expect(events.some((e) => e.type === 'UserUpdated' && (e.data as { changed: string[] }).changed.includes('userName'))).toBe(true);
    const tables = await db.expectSameInAnyBatches('history', () => new AclProjection(undefined), events, TABLES);
    expect(Number(tables.group_members.split(':')[0])).toBeGreaterThan(1_000);
  });

  it('keeps the login a user had until an update changes userName or emails, and ends a deleted user’s memberships', async () => {
    const tailnetId = randomUUID();
    const [user, group] = [randomUUID(), randomUUID()];
    let position = 0n;
    const event = (type: LoggedEvent['type'], aggregateId: string, data: Record<string, unknown>): LoggedEvent => {
      position++;
      return {
        id: randomUUID(), type, schemaVersion: EventTypes[type], tailnetId, aggregateType: type.startsWith('User') ? 'User' : 'Group', aggregateId,
        aggregateVersion: Number(position), time: new Date(Date.UTC(2026, 0, 1, 0, 0, Number(position))).toISOString(),
        actor: { kind: 'system', id: 'test' }, correlationId: 'c', data, position, partition: 0, offset: String(position),
      };
    };
    const attributes = (userName: string, title: string) => ({ userName, title, emails: [{ value: userName, primary: true }] });
    const created = [
      event('UserCreated', user, { userId: user, userName: 'Ann@Example.com', active: true, attributes: attributes('Ann@Example.com', 'a') }),
      event('GroupCreated', group, { groupId: group, displayName: 'Eng', externalId: null }),
      event('GroupMemberAdded', group, { groupId: group, userIds: [user] }),
      event('UserUpdated', user, { userId: user, userName: 'Ann@Example.com', changed: ['title'], attributes: attributes('Ann@Example.com', 'b') }),
      event('UserSuspended', user, { userId: user, userName: 'Ann@Example.com' }),
      event('UserUpdated', user, { userId: user, userName: 'ann.b@example.com', changed: ['emails', 'userName'], attributes: attributes('ann.b@example.com', 'b') }),
    ];
    await db.expectSameInAnyBatches('edge', () => new AclProjection(undefined), created, TABLES);
    const users = await db.pool.query('SELECT login, state FROM edge_one_batch.users WHERE user_id = $1', [user]);
    expect(users.rows).toEqual([{ login: 'ann.b@example.com', state: 'suspended' }]);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM edge_one_batch.group_members')).rows).toEqual([{ n: 1 }]);

    const deleted = [...created, event('UserDeleted', user, { userId: user, userName: 'ann.b@example.com' })];
    await db.expectSameInAnyBatches('deleted', () => new AclProjection(undefined), deleted, TABLES);
    expect((await db.pool.query('SELECT state FROM deleted_one_batch.users')).rows).toEqual([{ state: 'deleted' }]);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM deleted_one_batch.group_members')).rows).toEqual([{ n: 0 }]);
  });
});
