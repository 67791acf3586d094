import { describe, expect, it } from 'vitest';
import { seededRandom } from '#roster/testkit';
import { changeGroupMembers, createGroup, type GroupChange, type GroupState } from './group.js';
import { GroupMemberIndex } from './group-member-index.js';

/** A change without its events' ids, which are random. */
const comparable = ({ state, events, added }: GroupChange) => ({ state, added, events: events.map(({ id: _random, ...event }) => event) });

const causation = { actor: { kind: 'scim-token' as const, id: 'tok' }, correlationId: 'c1', time: '2026-11-24T03:00:00.000Z' };

describe('GroupMemberIndex', () => {
  it('finds the members among some ids, once each, in the order of the list', () => {
    const index = new GroupMemberIndex(['u1', 'u2', 'u3', 'u4']);
    expect(index.membersAmong(['u4', 'x', 'u2', 'u4'])).toEqual(['u2', 'u4']);
    expect(index.has('u3')).toBe(true);
    expect(index.has('U3')).toBe(false);
  });

  it('follows a move: who left is out, who joined comes last, and it describes the new list only', () => {
    const before = ['u1', 'u2', 'u3'];
    const index = new GroupMemberIndex(before);
    const after = ['u1', 'u3', 'u9', 'u2'];
    index.moveTo(after, ['u2'], ['u9', 'u2']);
    expect(index.describes(after)).toBe(true);
    expect(index.describes(before)).toBe(false);
    expect(index.membersAmong(['u2', 'u9', 'u1', 'u3'])).toEqual(after);
  });
});

describe('changeGroupMembers with an index carried from change to change', () => {
  it('gives the same changes as with a fresh index each time, over random membership batches', () => {
    const random = seededRandom(20261124);
    const id = () => `u${Math.floor(random() * 60)}`;
    const ids = () => Array.from({ length: Math.floor(random() * 8) }, id);
    for (let run = 0; run < 200; run++) {
      const created = createGroup('t1', { displayName: 'Sales', externalId: null, members: ids() }, causation, 'g1');
      let carried = { version: 1, state: created.state as GroupState };
      let fresh = carried;
      const index = new GroupMemberIndex(carried.state.members);
      for (let step = 0; step < 20; step++) {
        const delta = { displayName: random() < 0.1 ? `Sales ${step}` : carried.state.displayName, externalId: null, added: ids(), removed: ids() };
        const gone = new Set(random() < 0.2 ? [id()] : []);
        const withIndex = changeGroupMembers('t1', 'g1', carried, delta, causation, gone, index);
        const withoutIndex = changeGroupMembers('t1', 'g1', fresh, delta, causation, gone);
        expect(comparable(withIndex)).toEqual(comparable(withoutIndex));
        carried = { version: carried.version + withIndex.events.length, state: withIndex.state };
        fresh = { version: fresh.version + withoutIndex.events.length, state: withoutIndex.state };
        expect(index.describes(carried.state.members)).toBe(true);
        expect(index.membersAmong([...carried.state.members].reverse())).toEqual(carried.state.members);
      }
    }
  });

  it('ignores an index of another list', () => {
    const state = createGroup('t1', { displayName: 'Sales', externalId: null, members: ['u1', 'u2'] }, causation, 'g1').state;
    const otherList = ['u1'];
    const stale = new GroupMemberIndex(otherList);
    const change = changeGroupMembers('t1', 'g1', { version: 2, state }, { displayName: 'Sales', externalId: null, added: ['u2', 'u3'], removed: ['u1'] }, causation, new Set(), stale);
    expect(change.state.members).toEqual(['u2', 'u3']);
    expect(change.events.map((event) => [event.type, event.data.userIds])).toEqual([
      ['GroupMemberRemoved', ['u1']],
      ['GroupMemberAdded', ['u3']],
    ]);
    expect(stale.describes(otherList)).toBe(true);
    expect(stale.has('u3')).toBe(false);
  });
});
