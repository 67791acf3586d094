import { describe, expect, it } from 'vitest';
import { GroupNotFoundError } from './directory.errors.js';
import { changeGroup, changeGroupMembers, createGroup, deleteGroup, groupNameKey } from './group.js';

const causation = { actor: { kind: 'scim-token' as const, id: 'tok' }, correlationId: 'c1', time: '2026-11-23T05:00:00.000Z' };
const types = (events: { type: string; aggregateVersion: number }[]) => events.map((e) => [e.type, e.aggregateVersion]);

describe('groups', () => {
  const created = createGroup('t1', { displayName: 'Sales', externalId: 'ext-1', members: [] }, causation, 'g1');
  const current = { version: 1, state: created.state };

  it('records GroupCreated, then one GroupMemberAdded listing the initial members', () => {
    const withMembers = createGroup('t1', { displayName: 'Eng', externalId: null, members: ['u1', 'u2', 'u1'] }, causation, 'g2');
    expect(types(withMembers.events)).toEqual([
      ['GroupCreated', 1],
      ['GroupMemberAdded', 2],
    ]);
    expect(withMembers.events[1]).toMatchObject({ schemaVersion: 2, data: { groupId: 'g2', userIds: ['u1', 'u2'] } });
    expect(withMembers.state.members).toEqual(['u1', 'u2']);
  });

  it('records a rename with where it came from', () => {
    const renamed = changeGroup('t1', 'g1', current, { displayName: 'Sales EMEA', externalId: 'ext-1', members: [] }, causation);
    expect(types(renamed.events)).toEqual([['GroupRenamed', 2]]);
    expect(renamed.events[0].data).toEqual({ groupId: 'g1', from: 'Sales', to: 'Sales EMEA' });
  });

  it('records removals and additions as a replace of all members (Okta Push Now)', () => {
    const state = { ...current.state, members: ['u1', 'u2', 'u4'] };
    const target = { displayName: 'Sales', externalId: 'ext-1', members: ['u2', 'u3', 'u5'] };
    const change = changeGroup('t1', 'g1', { version: 3, state }, target, causation);
    expect(change.events.map((e) => [e.type, e.data.userIds, e.aggregateVersion])).toEqual([
      ['GroupMemberRemoved', ['u1', 'u4'], 4],
      ['GroupMemberAdded', ['u3', 'u5'], 5],
    ]);
    expect(change.added).toEqual(['u3', 'u5']);
  });

  it('records nothing for an unchanged group, and no removal for a member whose user is gone', () => {
    expect(changeGroup('t1', 'g1', current, { displayName: 'Sales', externalId: 'ext-1', members: [] }, causation).events).toEqual([]);
    const state = { ...current.state, members: ['u1', 'gone'] };
    const change = changeGroup('t1', 'g1', { version: 3, state }, { displayName: 'Sales', externalId: 'ext-1', members: ['u1'] }, causation, new Set(['gone']));
    expect(change.events).toEqual([]);
  });

  it('adds five thousand members in one change, as five events of at most a thousand members', () => {
    const members = Array.from({ length: 5000 }, (_, i) => `u${i}`);
    const change = changeGroup('t1', 'g1', current, { displayName: 'Sales', externalId: 'ext-1', members }, causation);
    expect(change.events.map((e) => (e.data.userIds as string[]).length)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(change.events.flatMap((e) => e.data.userIds)).toEqual(members);
    expect(change.events[4].aggregateVersion).toBe(6);
  });

  it('applies a named membership delta exactly as changeGroup applies the whole group it leads to', () => {
    const state = { ...current.state, members: ['u1', 'u2', 'u3', 'gone'] };
    const delta = { displayName: 'Sales', externalId: 'ext-1', added: ['u4', 'u2', 'u4', 'u1'], removed: ['u1', 'u3', 'gone', 'never'] };
    const byDelta = changeGroupMembers('t1', 'g1', { version: 3, state }, delta, causation, new Set(['gone']));
    const whole = changeGroup('t1', 'g1', { version: 3, state }, { displayName: 'Sales', externalId: 'ext-1', members: ['u2', 'u4', 'u1'] }, causation, new Set(['gone']));
    // u1 leaves and rejoins (to the end, without events); u2 is already in; gone leaves silently; never was never in.
    expect(byDelta.state.members).toEqual(['u2', 'u4', 'u1']);
    expect(byDelta.state.members).toEqual(whole.state.members);
    expect(byDelta.events.map((e) => [e.type, e.data.userIds, e.aggregateVersion])).toEqual([
      ['GroupMemberRemoved', ['u3'], 4],
      ['GroupMemberAdded', ['u4'], 5],
    ]);
    expect(byDelta.events.map((e) => [e.type, e.data])).toEqual(whole.events.map((e) => [e.type, e.data]));
    expect(byDelta.added).toEqual(['u4']);
  });

  it('records nothing for a delta that changes nothing, and renames with one', () => {
    const state = { ...current.state, members: ['u1'] };
    expect(changeGroupMembers('t1', 'g1', { version: 3, state }, { displayName: 'Sales', externalId: 'ext-1', added: ['u1'], removed: ['u9'] }, causation).events).toEqual([]);
    const renamed = changeGroupMembers('t1', 'g1', { version: 3, state }, { displayName: 'Sales 2', externalId: 'ext-1', added: [], removed: [] }, causation);
    expect(types(renamed.events)).toEqual([['GroupRenamed', 4]]);
    expect(renamed.state).toMatchObject({ displayName: 'Sales 2', members: ['u1'] });
  });

  it('deletes, after which the group cannot change', () => {
    const deleted = deleteGroup('t1', 'g1', current, causation);
    expect(types(deleted.events)).toEqual([['GroupDeleted', 2]]);
    expect(() => changeGroup('t1', 'g1', { version: 2, state: deleted.state }, { displayName: 'x', externalId: null, members: [] }, causation)).toThrow(
      GroupNotFoundError,
    );
  });

  it('compares names as the policy file sees them', () => {
    expect(groupNameKey('Sales Team')).toBe(groupNameKey('sales team'));
  });
});
