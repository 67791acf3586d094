import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The replay swap renames schemas under a projector that keeps running and a gateway that keeps reading, both
// with named prepared statements. This pins down the PostgreSQL behaviour the swap relies on, against a real
// server (127.0.0.1:5432, user postgres, trust auth) in a throwaway database.
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const DATABASE = `roster_schema_swap_${randomUUID().replaceAll('-', '')}`;

let admin: pg.Client;
const clients: pg.Client[] = [];
const connect = async () => {
  const client = new pg.Client({ ...SERVER, database: DATABASE });
  await client.connect();
  clients.push(client);
  return client;
};

beforeAll(async () => {
  admin = new pg.Client({ ...SERVER, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  const setup = await connect();
  await setup.query(`
    CREATE SCHEMA live; CREATE TABLE live.checkpoints (k int PRIMARY KEY, v int); INSERT INTO live.checkpoints VALUES (1, 1);
    CREATE SCHEMA live_replay; CREATE TABLE live_replay.checkpoints (k int PRIMARY KEY, v int); INSERT INTO live_replay.checkpoints VALUES (1, 100);`);
});

afterAll(async () => {
  for (const client of clients) await client.end();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
});

describe('swapping schemas under named prepared statements', () => {
  it('sends a statement blocked on the old table, and later ones, to the table swapped in', async () => {
    const projector = await connect();
    const reader = await connect();
    const swapper = await connect();
    const advance = { name: 'advance', text: 'UPDATE checkpoints SET v = v + 1 WHERE k = 1 RETURNING v' };
    const read = { name: 'read', text: 'SELECT v FROM live.checkpoints WHERE k = 1' };
    // Prepared and planned against the old schema first, as a running projector's and gateway's would be.
    await projector.query('BEGIN');
    await projector.query('SET LOCAL search_path TO live, public');
    expect((await projector.query(advance)).rows).toEqual([{ v: 2 }]);
    await projector.query('COMMIT');
    expect((await reader.query(read)).rows).toEqual([{ v: 2 }]);

    await swapper.query('BEGIN');
    await swapper.query('LOCK TABLE live.checkpoints IN EXCLUSIVE MODE');
    await projector.query('BEGIN');
    await projector.query('SET LOCAL search_path TO live, public');
    const blocked = projector.query(advance);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await swapper.query('ALTER SCHEMA live RENAME TO live_old');
    await swapper.query('ALTER SCHEMA live_replay RENAME TO live');
    await swapper.query('COMMIT');

    expect((await blocked).rows).toEqual([{ v: 101 }]);
    await projector.query('COMMIT');
    expect((await reader.query(read)).rows).toEqual([{ v: 101 }]);
    expect((await swapper.query('SELECT v FROM live_old.checkpoints')).rows).toEqual([{ v: 2 }]);
  });
});
