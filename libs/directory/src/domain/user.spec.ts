import { describe, expect, it } from 'vitest';
import { UserNotFoundError } from './directory.errors.js';
import { createUser, deleteUser, updateUser, userNameKey } from './user.js';

const causation = { actor: { kind: 'scim-token' as const, id: 'tok' }, correlationId: 'c1', time: '2026-11-23T04:00:00.000Z' };

describe('createUser', () => {
  it('records one UserCreated at version 1 carrying the stored attributes', () => {
    const { state, events } = createUser('t1', { userName: 'ada@example.com', active: true }, causation, 'u1');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'UserCreated',
      schemaVersion: 1,
      tailnetId: 't1',
      aggregateId: 'u1',
      aggregateVersion: 1,
      correlationId: 'c1',
      data: { userId: 'u1', userName: 'ada@example.com', active: true },
    });
    expect(state.created).toBe(causation.time);
  });

  it('treats a user without `active` as active, as RFC 7643 leaves it to the provider', () => {
    expect(createUser('t1', { userName: 'a@example.com' }, causation).state.active).toBe(true);
    expect(createUser('t1', { userName: 'a@example.com', active: false }, causation).state.active).toBe(false);
  });
});

describe('userNameKey', () => {
  it('makes userName unique case-insensitively', () => {
    expect(userNameKey('Ada.Lovelace@Example.COM')).toBe(userNameKey('ada.lovelace@example.com'));
    expect(userNameKey('john.smith@example.com')).not.toBe(userNameKey('john-smith@example.com'));
  });
});

describe('updateUser', () => {
  const created = createUser('t1', { userName: 'ada@example.com', displayName: 'Ada', active: true }, causation, 'u1');
  const current = { version: 1, state: created.state };
  const later = { ...causation, time: '2026-11-23T05:00:00.000Z' };

  it('records nothing when nothing changed', () => {
    const change = updateUser('t1', 'u1', current, { userName: 'ada@example.com', displayName: 'Ada', active: true }, later);
    expect(change.events).toEqual([]);
    expect(change.state).toBe(current.state);
  });

  it('records UserUpdated with the changed attributes and the full new ones', () => {
    const change = updateUser('t1', 'u1', current, { userName: 'ada@example.com', displayName: 'Ada L.', title: 'Countess' }, later);
    expect(change.events.map((e) => [e.type, e.aggregateVersion])).toEqual([['UserUpdated', 2]]);
    expect(change.events[0].data).toMatchObject({ changed: ['displayName', 'title'], attributes: { displayName: 'Ada L.', active: true } });
    expect(change.state.lastModified).toBe(later.time);
  });

  it('records UserSuspended for active false and UserReactivated for active true, after any other change', () => {
    const suspended = updateUser('t1', 'u1', current, { userName: 'ada@example.com', displayName: 'Ada', active: false }, later);
    expect(suspended.events.map((e) => e.type)).toEqual(['UserSuspended']);
    expect(suspended.state.active).toBe(false);
    const both = updateUser('t1', 'u1', { version: 2, state: suspended.state }, { userName: 'ada@example.com', displayName: 'A', active: true }, later);
    expect(both.events.map((e) => [e.type, e.aggregateVersion])).toEqual([
      ['UserUpdated', 3],
      ['UserReactivated', 4],
    ]);
  });

  it('refuses to change a deleted user', () => {
    const deleted = deleteUser('t1', 'u1', current, later);
    expect(deleted.events.map((e) => [e.type, e.aggregateVersion])).toEqual([['UserDeleted', 2]]);
    expect(() => updateUser('t1', 'u1', { version: 2, state: deleted.state }, { userName: 'ada@example.com' }, later)).toThrow(UserNotFoundError);
  });
});
