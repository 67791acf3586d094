import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '#roster/migrations';
import { createLogger, migrate } from '#roster/platform';
import { dropDatabase } from '#roster/testkit';
import { AggregateStore, ReadFence } from '#roster/write-model';
import { ListUsersHandler } from './list-users.handler.js';
import { ListUsersQuery } from './list-users.query.js';

// Real PostgreSQL (127.0.0.1:5432, user postgres, trust auth), a throwaway database with Roster's migrations. The
// pool has one connection, so the statements it prepared can be read back from the same session.
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const DATABASE = `roster_list_users_${randomUUID().replaceAll('-', '')}`;
const TAILNET = randomUUID();
const PEOPLE = Array.from({ length: 8 }, (_, index) => ({ id: randomUUID(), userName: `person.${index}@example.com` }));

let admin: pg.Client;
let pool: pg.Pool;
let handler: ListUsersHandler;

beforeAll(async () => {
  await (await migrate(`postgres://postgres@127.0.0.1:5432/${DATABASE}`, migrations)).destroy();
  admin = new pg.Client({ ...SERVER, database: 'postgres' });
  await admin.connect();
  pool = new pg.Pool({ ...SERVER, database: DATABASE, max: 1 });
  handler = new ListUsersHandler(pool, 1_000, new ReadFence(pool, createLogger('list-users-spec', 'silent')), new AggregateStore());
  for (const [index, { id, userName }] of PEOPLE.entries()) {
    await pool.query(
      `INSERT INTO directory.users (tailnet_id, id, user_name, active, title, resource, version, created_at, last_modified)
       VALUES ($1, $2, $3, true, $4, $5, 1, now(), now())`,
      [TAILNET, id, userName, `Title ${index % 2}`, JSON.stringify({ userName })],
    );
    await pool.query('INSERT INTO directory.user_emails (tailnet_id, user_id, ordinal, value, type) VALUES ($1, $2, 0, $3, $4)', [TAILNET, id, userName, 'work']);
  }
});

afterAll(async () => {
  await pool?.end();
  await dropDatabase(admin, DATABASE);
  await admin?.end();
});

const list = (filter: string, sortBy?: string) => handler.execute(new ListUsersQuery(TAILNET, filter, 1, 100, sortBy));

async function preparedMatching(fragment: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE $1', [`%${fragment}%`]);
  return rows[0].n;
}

describe('ListUsersHandler', () => {
  it("prepares Entra's email lookup once and answers each value from it, past PostgreSQL's switch to a generic plan", async () => {
    for (const { id, userName } of PEOPLE) {
      const page = await list(`emails[type eq "work"].value eq "${userName.toUpperCase()}"`);
      expect(page.users.map((user) => user.id)).toEqual([id]);
      expect(page.totalResults).toBe(1);
    }
    expect(await preparedMatching('directory.user_emails')).toBe(1);
  });

  it('runs substring searches and unindexed equalities unprepared: their best plan depends on the value', async () => {
    expect((await list('userName co "person.3"')).users.map((user) => user.id)).toEqual([PEOPLE[3].id]);
    expect((await list('title eq "Title 1"')).totalResults).toBe(4);
    expect(await preparedMatching('LIKE')).toBe(0);
    expect(await preparedMatching('u.title')).toBe(0);
  });

  it('runs sorted pages unprepared, since a sort may be on any attribute', async () => {
    const page = await list('externalId eq "none" or userName sw "person"', 'userName');
    expect(page.users.map((user) => user.id)).toEqual(PEOPLE.map((person) => person.id));
    expect((await list('displayName eq "nobody"', 'title')).users).toEqual([]);
    expect(await preparedMatching('display_name')).toBe(0);
  });
});
