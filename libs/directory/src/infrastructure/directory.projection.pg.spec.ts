import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventTypes, upcastEventData, type LoggedEvent } from '#roster/events';
import { tailnetHistory } from '../../testing/provisioning-history.js';
import { DirectoryProjection } from './directory.projection.js';

// A batch is folded into its net effect before it is written. Applied event by event (batches of one) or in
// batches of any size, the same log must give the same read model, row for row. Real PostgreSQL
// (127.0.0.1:5432, user postgres, trust auth), throwaway database.
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const DATABASE = `roster_directory_projection_${randomUUID().replaceAll('-', '')}`;
let admin: pg.Client;
let pool: pg.Pool;

function history(): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  let position = 0n;
  for (let seed = 1; seed <= 3; seed++) {
    for (const { envelope, data } of tailnetHistory(randomUUID(), 1_500, seed)) {
      position++;
      const upcast = upcastEventData(envelope.type, envelope.schemaVersion, data);
      events.push({ ...envelope, data: upcast, position, partition: 0, offset: String(position) } as LoggedEvent);
    }
  }
  // Interleave the tailnets (as one partition of the log would) without reordering any tailnet's own events.
  return events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

async function project(schema: string, events: LoggedEvent[], batchSize: () => number) {
  const projection = new DirectoryProjection();
  // A connection of its own: named prepared statements are per connection and per projection.
  const pool = new pg.Pool({ ...SERVER, database: DATABASE, max: 1 });
  const client = await pool.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
    await projection.createTables(client);
    for (let start = 0; start < events.length; ) {
      const end = Math.min(events.length, start + batchSize());
      await client.query('BEGIN');
      await projection.apply(client, events.slice(start, end));
      await client.query('COMMIT');
      start = end;
    }
  } finally {
    client.release();
    await pool.end();
  }
}

async function checksums(schema: string) {
  const sums: Record<string, string> = {};
  for (const table of ['users', 'user_emails', 'groups', 'group_members']) {
    const { rows } = await pool.query(`SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM ${schema}.${table} t`);
    sums[table] = `${rows[0].n}:${rows[0].sum}`;
  }
  return sums;
}

beforeAll(async () => {
  admin = new pg.Client({ ...SERVER, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  pool = new pg.Pool({ ...SERVER, database: DATABASE, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
});

describe('directory projection: batches fold to what the events do one by one', () => {
  it('builds the same tables event by event, in random batches and in one batch', { timeout: 60_000 }, async () => {
    const events = history();
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(['UserCreated', 'UserUpdated', 'UserSuspended', 'UserReactivated', 'UserDeleted', 'GroupCreated', 'GroupRenamed', 'GroupMemberAdded', 'GroupMemberRemoved', 'GroupDeleted']),
    );
    await project('one_by_one', events, () => 1);
    let seed = 7;
    await project('random_batches', events, () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return 1 + (seed % 700);
    });
    await project('one_batch', events, () => events.length);
    const expected = await checksums('one_by_one');
    expect(Number(expected.group_members.split(':')[0])).toBeGreaterThan(1_000);
    expect(await checksums('random_batches')).toEqual(expected);
    expect(await checksums('one_batch')).toEqual(expected);
  });

  it('ends, within one batch, memberships added before a deletion but not those added after it', async () => {
    const tailnetId = randomUUID();
    const [user, leaver, group, other] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    let position = 0n;
    const event = (type: LoggedEvent['type'], aggregateId: string, aggregateVersion: number, data: Record<string, unknown>): LoggedEvent => {
      position++;
      return {
        id: randomUUID(), type, schemaVersion: EventTypes[type], tailnetId, aggregateType: type.startsWith('User') ? 'User' : 'Group', aggregateId, aggregateVersion,
        time: new Date(Date.UTC(2026, 0, 1, 0, 0, Number(position))).toISOString(), actor: { kind: 'system', id: 'test' }, correlationId: 'c',
        data, position, partition: 0, offset: String(position),
      };
    };
    const attributes = { userName: 'u@example.com', active: true, emails: [{ value: 'u@example.com', primary: true }] };
    const events = [
      event('UserCreated', user, 1, { userId: user, userName: 'u@example.com', active: true, attributes }),
      event('UserCreated', leaver, 1, { userId: leaver, userName: 'l@example.com', active: true, attributes: { ...attributes, userName: 'l@example.com' } }),
      event('GroupCreated', group, 1, { groupId: group, displayName: 'G', externalId: null }),
      event('GroupCreated', other, 1, { groupId: other, displayName: 'O', externalId: 'x' }),
      event('GroupMemberAdded', group, 2, { groupId: group, userIds: [user, leaver] }),
      event('GroupExternalIdChanged', other, 2, { groupId: other, externalId: null }),
      event('UserSuspended', user, 2, { userId: user, userName: 'u@example.com' }),
      event('GroupMemberAdded', other, 3, { groupId: other, userIds: [user, leaver] }),
      event('GroupMemberRemoved', group, 3, { groupId: group, userIds: [leaver] }),
      event('GroupDeleted', other, 4, { groupId: other, displayName: 'O' }),
      event('UserUpdated', user, 3, { userId: user, userName: 'v@example.com', changed: ['userName'], attributes: { ...attributes, userName: 'v@example.com', active: false } }),
    ];
    await project('edge_one_by_one', events, () => 1);
    await project('edge_one_batch', events, () => events.length);
    expect(await checksums('edge_one_batch')).toEqual(await checksums('edge_one_by_one'));
    const { rows } = await pool.query('SELECT user_name, active, version FROM edge_one_batch.users WHERE id = $1', [user]);
    expect(rows).toEqual([{ user_name: 'v@example.com', active: false, version: 3 }]);
    expect((await pool.query('SELECT group_id, user_id FROM edge_one_batch.group_members')).rows).toEqual([{ group_id: group, user_id: user }]);
  });
});
