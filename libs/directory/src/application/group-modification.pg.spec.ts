import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Causation } from '#roster/events';
import { migratedDatabase, type MigratedDatabase } from '#roster/testkit';
import { AggregateStore } from '#roster/write-model';
import { GroupNotFoundError, PreconditionFailedError } from '../domain/directory.errors.js';
import { createGroup, deleteGroup, groupNameClaim, type GroupState } from '../domain/group.js';
import { createUser, userNameClaim } from '../domain/user.js';
import { modifyGroup, type DecidedOn, type MembershipDelta } from './group-modification.js';

// Two gateways (two AggregateStores, each remembering what it committed) on one real PostgreSQL database with
// Roster's migrations.
const causation: Causation = { actor: { kind: 'system', id: 'spec' }, correlationId: 'c', time: '2026-01-01T00:00:00.000Z' };

let database: MigratedDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await migratedDatabase('group_modification');
  pool = new pg.Pool({ ...database.connection, max: 4 });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

async function users(store: AggregateStore, tailnetId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { state, events } = createUser(tailnetId, { userName: `${randomUUID()}@example.com` }, causation);
    const userId = events[0].aggregateId;
    await store.commit(pool, { aggregateId: userId, tailnetId, aggregateType: 'User', version: 1, state }, 0, events, { claim: userNameClaim(state.userName) });
    ids.push(userId);
  }
  return ids;
}

/** A group with no members, created through `store`, and users of its tailnet to add. */
async function created(store: AggregateStore, userCount = 4) {
  const tailnetId = randomUUID();
  const displayName = `Team ${randomUUID()}`;
  const { state, events } = createGroup(tailnetId, { displayName, externalId: null, members: [] }, causation);
  const groupId = events[0].aggregateId;
  await store.commit(pool, { aggregateId: groupId, tailnetId, aggregateType: 'Group', version: 1, state }, 0, events, { claim: groupNameClaim(displayName) });
  return { tailnetId, groupId, userIds: await users(store, tailnetId, userCount) };
}

/** A PATCH naming its members, as the handler hands it over: every named user is live. */
const members =
  (change: { added?: string[]; removed?: string[] }) =>
  ({ state }: DecidedOn): MembershipDelta => {
    const named = [...(change.added ?? []), ...(change.removed ?? [])];
    return { displayName: state.displayName, externalId: state.externalId, added: change.added ?? [], removed: change.removed ?? [], live: new Set(named) };
  };

async function stored(groupId: string) {
  const { rows } = await pool.query<{ version: number; state: GroupState }>('SELECT version, state FROM writes.aggregates WHERE aggregate_id = $1', [groupId]);
  return rows[0];
}

async function recorded(groupId: string) {
  const { rows } = await pool.query<{ type: string; aggregate_version: number; data: { userIds?: string[] } }>(
    'SELECT type, aggregate_version, data FROM writes.outbox WHERE aggregate_id = $1 ORDER BY aggregate_version',
    [groupId],
  );
  return rows.map((row) => ({ type: row.type, version: row.aggregate_version, userIds: row.data.userIds }));
}

describe('modifyGroup on the state a gateway last committed', () => {
  it('decides on what this gateway committed, without loading it or taking a lock', async () => {
    const gateway = new AggregateStore();
    const { tailnetId, groupId, userIds } = await created(gateway);
    const load = vi.spyOn(gateway, 'load');
    const modified = await modifyGroup(pool, gateway, { tailnetId, groupId }, causation, members({ added: userIds.slice(0, 2) }));
    expect(load).not.toHaveBeenCalled();
    expect(modified.version).toBe(2);
    expect((await stored(groupId)).state.members).toEqual(userIds.slice(0, 2));
  });

  it('decides again, under the lock, when another gateway changed the group since', async () => {
    const [a, b] = [new AggregateStore(), new AggregateStore()];
    const { tailnetId, groupId, userIds } = await created(a);
    await modifyGroup(pool, b, { tailnetId, groupId }, causation, members({ added: [userIds[0]] }));
    const load = vi.spyOn(a, 'load');
    const modified = await modifyGroup(pool, a, { tailnetId, groupId }, causation, members({ added: [userIds[1]] }));
    expect(load).toHaveBeenCalledWith(expect.anything(), tailnetId, groupId, { lock: true });
    expect(modified.version).toBe(3);
    expect(await stored(groupId)).toMatchObject({ version: 3, state: { members: [userIds[0], userIds[1]] } });
    expect(await recorded(groupId)).toEqual([
      { type: 'GroupCreated', version: 1, userIds: undefined },
      { type: 'GroupMemberAdded', version: 2, userIds: [userIds[0]] },
      { type: 'GroupMemberAdded', version: 3, userIds: [userIds[1]] },
    ]);
  });

  it('writes a change that the stale state would have taken for no change', async () => {
    const [a, b] = [new AggregateStore(), new AggregateStore()];
    const { tailnetId, groupId, userIds } = await created(a);
    await modifyGroup(pool, a, { tailnetId, groupId }, causation, members({ added: [userIds[0]] }));
    await modifyGroup(pool, b, { tailnetId, groupId }, causation, members({ removed: [userIds[0]] }));
    // On a's remembered state the user already is a member; the stored one says they left.
    const modified = await modifyGroup(pool, a, { tailnetId, groupId }, causation, members({ added: [userIds[0]] }));
    expect(modified.version).toBe(4);
    expect((await stored(groupId)).state.members).toEqual([userIds[0]]);
  });

  it('does not refuse on the stale state what the stored state allows', async () => {
    const [a, b] = [new AggregateStore(), new AggregateStore()];
    const { tailnetId, groupId, userIds } = await created(a);
    await modifyGroup(pool, b, { tailnetId, groupId }, causation, members({ added: [userIds[0]] }));
    // The client read version 2 (b's write); a remembers version 1.
    const modified = await modifyGroup(pool, a, { tailnetId, groupId, ifMatchVersion: 2 }, causation, members({ added: [userIds[1]] }));
    expect(modified.version).toBe(3);
    await expect(modifyGroup(pool, a, { tailnetId, groupId, ifMatchVersion: 2 }, causation, members({ added: [userIds[2]] }))).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect((await stored(groupId)).state.members).toEqual([userIds[0], userIds[1]]);
  });

  it('answers 404 for a group another gateway deleted since', async () => {
    const [a, b] = [new AggregateStore(), new AggregateStore()];
    const { tailnetId, groupId, userIds } = await created(a);
    await modifyGroup(pool, b, { tailnetId, groupId }, causation, (current) => deleteGroup(tailnetId, groupId, current, causation));
    await expect(modifyGroup(pool, a, { tailnetId, groupId }, causation, members({ added: [userIds[0]] }))).rejects.toBeInstanceOf(GroupNotFoundError);
    expect((await stored(groupId)).state.deleted).toBeDefined();
  });

  it("never serves one tailnet's remembered group to a request of another", async () => {
    const gateway = new AggregateStore();
    const { groupId, userIds } = await created(gateway);
    await expect(modifyGroup(pool, gateway, { tailnetId: randomUUID(), groupId }, causation, members({ added: [userIds[0]] }))).rejects.toBeInstanceOf(
      GroupNotFoundError,
    );
    expect(await stored(groupId)).toMatchObject({ version: 1, state: { members: [] } });
  });

  it('commits concurrent batches of one group in one gateway together, each answered with its own version', async () => {
    const gateway = new AggregateStore();
    const { tailnetId, groupId, userIds } = await created(gateway, 8);
    const results = await Promise.all(userIds.map((userId) => modifyGroup(pool, gateway, { tailnetId, groupId }, causation, members({ added: [userId] }))));
    expect(results.map((result) => result.version).sort((x, y) => x - y)).toEqual(userIds.map((_, i) => i + 2));
    expect(await stored(groupId)).toMatchObject({ version: 9, state: { members: userIds } });
    expect((await recorded(groupId)).map((event) => event.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('lets two gateways write one group at once: every batch applied once, none refused', async () => {
    const [a, b] = [new AggregateStore(), new AggregateStore()];
    const { tailnetId, groupId, userIds } = await created(a, 16);
    const results = await Promise.all(
      userIds.map((userId, i) => modifyGroup(pool, i % 2 === 0 ? a : b, { tailnetId, groupId }, causation, members({ added: [userId] }))),
    );
    expect(new Set(results.map((result) => result.version)).size).toBe(16);
    const { version, state } = await stored(groupId);
    expect(version).toBe(17);
    expect([...state.members].sort()).toEqual([...userIds].sort());
    const events = await recorded(groupId);
    expect(events.map((event) => event.version)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(events.flatMap((event) => event.userIds ?? []).sort()).toEqual([...userIds].sort());
  });
});
