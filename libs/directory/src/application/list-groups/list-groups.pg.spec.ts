import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '#roster/migrations';
import { createLogger, migrate } from '#roster/platform';
import { dropDatabase } from '#roster/testkit';
import { AggregateStore, ReadFence } from '#roster/write-model';
import { ListGroupsHandler } from './list-groups.handler.js';
import { ListGroupsQuery } from './list-groups.query.js';

// Real PostgreSQL (127.0.0.1:5432, user postgres, trust auth), a throwaway database with Roster's migrations. The
// pool has one connection, so the statements it prepared can be read back from the same session.
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const DATABASE = `roster_list_groups_${randomUUID().replaceAll('-', '')}`;
const TAILNET = randomUUID();
const GROUPS = Array.from({ length: 8 }, (_, index) => ({ id: randomUUID(), displayName: `Sales ${index} (EMEA)`, externalId: `00g${index}` }));

let admin: pg.Client;
let pool: pg.Pool;
let handler: ListGroupsHandler;

beforeAll(async () => {
  await (await migrate(`postgres://postgres@127.0.0.1:5432/${DATABASE}`, migrations)).destroy();
  admin = new pg.Client({ ...SERVER, database: 'postgres' });
  await admin.connect();
  pool = new pg.Pool({ ...SERVER, database: DATABASE, max: 1 });
  handler = new ListGroupsHandler(pool, 1_000, new ReadFence(pool, createLogger('list-groups-spec', 'silent')), new AggregateStore());
  for (const { id, displayName, externalId } of GROUPS) {
    await pool.query(
      'INSERT INTO directory.groups (tailnet_id, id, display_name, external_id, version, created_at, last_modified) VALUES ($1, $2, $3, $4, 1, now(), now())',
      [TAILNET, id, displayName, externalId],
    );
  }
});

afterAll(async () => {
  await pool?.end();
  await dropDatabase(admin, DATABASE);
  await admin?.end();
});

const list = (filter: string) => handler.execute(new ListGroupsQuery(TAILNET, filter, 1, 100, true));

async function preparedMatching(fragment: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE $1', [`%${fragment}%`]);
  return rows[0].n;
}

describe('ListGroupsHandler', () => {
  it("prepares Okta's lookup by name (members included) once and answers each name from it", async () => {
    for (const { id, displayName } of GROUPS) {
      const page = await list(`displayName eq "${displayName.toLowerCase()}"`);
      expect(page.groups.map((group) => [group.id, group.members])).toEqual([[id, []]]);
    }
    expect(await preparedMatching('lower(g.display_name) = lower($2)')).toBe(1);
  });

  it('runs a substring search unprepared', async () => {
    expect((await list('displayName co "(emea)"')).totalResults).toBe(GROUPS.length);
    expect(await preparedMatching('LIKE')).toBe(0);
  });
});
