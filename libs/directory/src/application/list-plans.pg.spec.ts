import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '#roster/platform';
import { migratedDatabase, type MigratedDatabase } from '#roster/testkit';
import { AggregateStore, ReadFence } from '#roster/write-model';
import { ListGroupsHandler } from './list-groups/list-groups.handler.js';
import { ListGroupsQuery } from './list-groups/list-groups.query.js';
import { ListUsersHandler } from './list-users/list-users.handler.js';
import { ListUsersQuery } from './list-users/list-users.query.js';

// Which list queries run as named statements (see ReusedPlans), on the real PostgreSQL with Roster's migrations.
// The pool has one connection, so the statements it prepared can be read back from the same session.
const TAILNET = randomUUID();
const PEOPLE = Array.from({ length: 8 }, (_, index) => ({ id: randomUUID(), userName: `person.${index}@example.com` }));
const GROUPS = Array.from({ length: 8 }, (_, index) => ({ id: randomUUID(), displayName: `Sales ${index} (EMEA)`, externalId: `00g${index}` }));

let database: MigratedDatabase;
let pool: pg.Pool;
let users: ListUsersHandler;
let groups: ListGroupsHandler;

beforeAll(async () => {
  database = await migratedDatabase('list_plans');
  pool = new pg.Pool({ ...database.connection, max: 1 });
  const fence = new ReadFence(pool, createLogger('list-plans-spec', 'silent'));
  users = new ListUsersHandler(pool, 1_000, fence, new AggregateStore());
  groups = new ListGroupsHandler(pool, 1_000, fence, new AggregateStore());
  for (const [index, { id, userName }] of PEOPLE.entries()) {
    await pool.query(
      `INSERT INTO directory.users (tailnet_id, id, user_name, active, title, resource, version, created_at, last_modified)
       VALUES ($1, $2, $3, true, $4, $5, 1, now(), now())`,
      [TAILNET, id, userName, `Title ${index % 2}`, JSON.stringify({ userName })],
    );
    await pool.query('INSERT INTO directory.user_emails (tailnet_id, user_id, ordinal, value, type) VALUES ($1, $2, 0, $3, $4)', [TAILNET, id, userName, 'work']);
  }
  for (const { id, displayName, externalId } of GROUPS) {
    await pool.query(
      'INSERT INTO directory.groups (tailnet_id, id, display_name, external_id, version, created_at, last_modified) VALUES ($1, $2, $3, $4, 1, now(), now())',
      [TAILNET, id, displayName, externalId],
    );
  }
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const listUsers = (filter: string, sortBy?: string) => users.execute(new ListUsersQuery(TAILNET, filter, 1, 100, sortBy));
const listGroups = (filter: string) => groups.execute(new ListGroupsQuery(TAILNET, filter, 1, 100, true));

async function preparedMatching(fragment: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE $1', [`%${fragment}%`]);
  return rows[0].n;
}

describe('ListUsersHandler', () => {
  it("prepares Entra's email lookup once and answers each value from it, past PostgreSQL's switch to a generic plan", async () => {
    for (const { id, userName } of PEOPLE) {
      const page = await listUsers(`emails[type eq "work"].value eq "${userName.toUpperCase()}"`);
      expect(page.users.map((user) => user.id)).toEqual([id]);
      expect(page.totalResults).toBe(1);
    }
    expect(await preparedMatching('directory.user_emails')).toBe(1);
  });

  it('runs substring searches and unindexed equalities unprepared: their best plan depends on the value', async () => {
    expect((await listUsers('userName co "person.3"')).users.map((user) => user.id)).toEqual([PEOPLE[3].id]);
    expect((await listUsers('title eq "Title 1"')).totalResults).toBe(4);
    expect(await preparedMatching('LIKE')).toBe(0);
    expect(await preparedMatching('u.title')).toBe(0);
  });

  it('runs sorted pages unprepared, since a sort may be on any attribute', async () => {
    const page = await listUsers('externalId eq "none" or userName sw "person"', 'userName');
    expect(page.users.map((user) => user.id)).toEqual(PEOPLE.map((person) => person.id));
    expect((await listUsers('displayName eq "nobody"', 'title')).users).toEqual([]);
    expect(await preparedMatching('lower(u.display_name)')).toBe(0);
  });
});

describe('ListGroupsHandler', () => {
  it("prepares Okta's lookup by name (members included) once and answers each name from it", async () => {
    for (const { id, displayName } of GROUPS) {
      const page = await listGroups(`displayName eq "${displayName.toLowerCase()}"`);
      expect(page.groups.map((group) => [group.id, group.members])).toEqual([[id, []]]);
    }
    expect(await preparedMatching('lower(g.display_name) = lower($2)')).toBe(1);
  });

  it('runs a substring search unprepared', async () => {
    expect((await listGroups('displayName co "(emea)"')).totalResults).toBe(GROUPS.length);
    expect(await preparedMatching('LIKE')).toBe(0);
  });
});
