import { describe, expect, it } from 'vitest';
import { createUser, userNameKey } from './user.js';

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
