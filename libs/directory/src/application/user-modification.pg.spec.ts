import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Causation } from '#roster/events';
import { migratedDatabase, type MigratedDatabase } from '#roster/testkit';
import { AggregateStore } from '#roster/write-model';
import { UserNotFoundError } from '../domain/directory.errors.js';
import { createUser, deleteUser, updateUser, userNameClaim, type UserChange, type UserState } from '../domain/user.js';
import { modifyUser } from './user-modification.js';

// Two gateways (two AggregateStores, each remembering what it committed) on one real PostgreSQL database with
// Roster's migrations.
const causation: Causation = { actor: { kind: 'system', id: 'spec' }, correlationId: 'c', time: '2026-01-01T00:00:00.000Z' };

let database: MigratedDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await migratedDatabase('user_modification');
  pool = new pg.Pool({ ...database.connection, max: 4 });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

async function created(store: AggregateStore, title: string) {
  const tailnetId = randomUUID();
  const attributes = { userName: `${randomUUID()}@example.com`, title };
  const { state, events } = createUser(tailnetId, attributes, causation);
  const userId = events[0].aggregateId;
  await store.commit(pool, { aggregateId: userId, tailnetId, aggregateType: 'User', version: 1, state }, 0, events, { claim: userNameClaim(state.userName) });
  return { tailnetId, userId };
}

type Decide = (current: { version: number; state: UserState }) => UserChange;

const setAttribute = (tailnetId: string, userId: string, name: string, value: string): Decide => (current) =>
  updateUser(tailnetId, userId, current, { ...current.state.attributes, [name]: value }, causation);

/** A user gateway `a` created, then gateway `b` changed: what `a` remembers of it is stale. */
async function changedElsewhere(change: (tailnetId: string, userId: string) => Decide) {
  const [a, b] = [new AggregateStore(), new AggregateStore()];
  const { tailnetId, userId } = await created(a, 'Engineer');
  await modifyUser(pool, b, { tailnetId, userId }, change(tailnetId, userId));
  return { a, tailnetId, userId };
}

async function stored(userId: string) {
  const { rows } = await pool.query<{ version: number; state: UserState }>('SELECT version, state FROM writes.aggregates WHERE aggregate_id = $1', [userId]);
  return rows[0];
}

describe('modifyUser on the state a gateway last committed', () => {
  it('decides on what this gateway committed, without loading it', async () => {
    const gateway = new AggregateStore();
    const { tailnetId, userId } = await created(gateway, 'Engineer');
    const load = vi.spyOn(gateway, 'load');
    const modified = await modifyUser(pool, gateway, { tailnetId, userId }, setAttribute(tailnetId, userId, 'title', 'Lead'));
    expect(load).not.toHaveBeenCalled();
    expect(modified.version).toBe(2);
    expect((await stored(userId)).state.attributes.title).toBe('Lead');
  });

  it('decides again on the stored state when another gateway changed the user since', async () => {
    const { a, tailnetId, userId } = await changedElsewhere((t, u) => setAttribute(t, u, 'department', 'R&D'));
    const modified = await modifyUser(pool, a, { tailnetId, userId }, setAttribute(tailnetId, userId, 'title', 'Lead'));
    expect(modified.version).toBe(3);
    const { version, state } = await stored(userId);
    expect(version).toBe(3);
    expect(state.attributes).toMatchObject({ title: 'Lead', department: 'R&D' });
  });

  it('writes a change that the stale state would have taken for no change', async () => {
    const { a, tailnetId, userId } = await changedElsewhere((t, u) => setAttribute(t, u, 'title', 'Lead'));
    // On a's remembered state the title already is "Engineer"; the stored one says "Lead".
    const modified = await modifyUser(pool, a, { tailnetId, userId }, setAttribute(tailnetId, userId, 'title', 'Engineer'));
    expect(modified.version).toBe(3);
    expect((await stored(userId)).state.attributes.title).toBe('Engineer');
  });

  it('does not refuse on the stale state what the stored state allows', async () => {
    const { a, tailnetId, userId } = await changedElsewhere((t, u) => setAttribute(t, u, 'department', 'R&D'));
    const needsDepartment: Decide = (current) => {
      if (current.state.attributes.department === undefined) throw new Error('no department to rename');
      return setAttribute(tailnetId, userId, 'department', 'Research')(current);
    };
    await modifyUser(pool, a, { tailnetId, userId }, needsDepartment);
    expect((await stored(userId)).state.attributes.department).toBe('Research');
  });

  it('answers 404 for a user another gateway deleted since', async () => {
    const { a, tailnetId, userId } = await changedElsewhere((t, u) => (current) => deleteUser(t, u, current, causation));
    await expect(modifyUser(pool, a, { tailnetId, userId }, setAttribute(tailnetId, userId, 'title', 'Lead'))).rejects.toBeInstanceOf(UserNotFoundError);
  });

  it("never serves one tailnet's remembered user to a request of another", async () => {
    const gateway = new AggregateStore();
    const { tailnetId, userId } = await created(gateway, 'Engineer');
    const otherTailnet = randomUUID();
    await expect(modifyUser(pool, gateway, { tailnetId: otherTailnet, userId }, setAttribute(otherTailnet, userId, 'title', 'Lead'))).rejects.toBeInstanceOf(
      UserNotFoundError,
    );
    expect((await stored(userId)).state.attributes.title).toBe('Engineer');
    await modifyUser(pool, gateway, { tailnetId, userId }, setAttribute(tailnetId, userId, 'title', 'Lead'));
    expect((await stored(userId)).state.attributes.title).toBe('Lead');
  });

  it('moves the userName claim on a rename and gives it back on a delete', async () => {
    const gateway = new AggregateStore();
    const { tailnetId, userId } = await created(gateway, 'Engineer');
    const claimsOf = async () =>
      (await pool.query<{ key: string }>('SELECT key FROM writes.unique_claims WHERE aggregate_id = $1', [userId])).rows.map((row) => row.key);
    const renamed = `renamed.${randomUUID()}@example.com`;
    await modifyUser(pool, gateway, { tailnetId, userId }, setAttribute(tailnetId, userId, 'userName', renamed));
    expect(await claimsOf()).toEqual([renamed]);
    await modifyUser(pool, gateway, { tailnetId, userId }, (current) => deleteUser(tailnetId, userId, current, causation));
    expect(await claimsOf()).toEqual([]);
  });

  it('applies concurrent changes of one user in one gateway one after another, none lost or refused', async () => {
    const gateway = new AggregateStore();
    const { tailnetId, userId } = await created(gateway, 'Engineer');
    const departments = Array.from({ length: 12 }, (_, i) => `Team ${i}`);
    const results = await Promise.all(
      departments.map((department) => modifyUser(pool, gateway, { tailnetId, userId }, setAttribute(tailnetId, userId, 'department', department))),
    );
    expect(results.map((result) => result.version)).toEqual(departments.map((_, i) => i + 2));
    const { version, state } = await stored(userId);
    expect(version).toBe(13);
    expect(state.attributes.department).toBe('Team 11');
  });

  it('lets a failed change go without holding up the next one', async () => {
    const gateway = new AggregateStore();
    const { tailnetId, userId } = await created(gateway, 'Engineer');
    const refused = modifyUser(pool, gateway, { tailnetId, userId, ifMatchVersion: 7 }, setAttribute(tailnetId, userId, 'title', 'Lead'));
    const next = modifyUser(pool, gateway, { tailnetId, userId }, setAttribute(tailnetId, userId, 'title', 'Staff'));
    await expect(refused).rejects.toThrow();
    expect((await next).version).toBe(2);
  });
});
