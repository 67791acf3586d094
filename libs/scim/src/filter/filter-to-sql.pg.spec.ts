import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DIRECTORY_GROUP_FILTER_MAPPING, DIRECTORY_USER_FILTER_MAPPING } from './directory-filter-mapping.js';
import { parseFilter } from './filter-parser.js';
import { compileFilter } from './filter-to-sql.js';
import { sortExpression } from './sort-by.js';

// Runs compiled filters against a real PostgreSQL (127.0.0.1:5432, user postgres, trust auth) in a throwaway database.
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const DATABASE = `roster_scim_filter_${randomUUID().replaceAll('-', '')}`;
const TAILNET = randomUUID();
const OTHER_TAILNET = randomUUID();
const [ALICE, JOHN_DOT, JOHN_DASH, JOHN_X, PERCENT] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const SCHEMA = `
  CREATE SCHEMA directory;
  CREATE TABLE directory.users (
    tailnet_id uuid NOT NULL, id uuid NOT NULL, user_name text NOT NULL, external_id text, active boolean,
    display_name text, nick_name text, title text, user_type text, preferred_language text, locale text,
    timezone text, given_name text, family_name text, formatted_name text, middle_name text, employee_number text,
    department text, organization text, division text, cost_center text, manager_id text,
    created_at timestamptz NOT NULL, last_modified timestamptz NOT NULL, version integer NOT NULL,
    PRIMARY KEY (tailnet_id, id));
  CREATE TABLE directory.user_emails (
    tailnet_id uuid NOT NULL, user_id uuid NOT NULL, value text NOT NULL, type text, "primary" boolean, display text);
  CREATE TABLE directory.groups (
    tailnet_id uuid NOT NULL, id uuid NOT NULL, display_name text NOT NULL, external_id text,
    created_at timestamptz NOT NULL, last_modified timestamptz NOT NULL, version integer NOT NULL);
  CREATE TABLE directory.group_members (tailnet_id uuid NOT NULL, group_id uuid NOT NULL, user_id uuid NOT NULL);
  CREATE INDEX users_user_name_lower ON directory.users (tailnet_id, lower(user_name));
`;

let admin: pg.Client;
let client: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ ...SERVER, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  client = new pg.Client({ ...SERVER, database: DATABASE });
  await client.connect();
  await client.query(SCHEMA);
  await insertFixtures();
});

afterAll(async () => {
  await client?.end();
  await admin?.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin?.end();
});

async function insertFixtures(): Promise<void> {
  const user = (id: string, userName: string, title: string | null, active: boolean, created: string, extra: (string | null)[] = []) =>
    client.query(
      `INSERT INTO directory.users (tailnet_id, id, user_name, title, active, created_at, last_modified, version,
         employee_number, manager_id, given_name)
       VALUES ($1, $2, $3, $4, $5, $6, $6, 1, $7, $8, $9)`,
      [TAILNET, id, userName, title, active, created, extra[0] ?? null, extra[1] ?? null, extra[2] ?? null],
    );
  await user(ALICE, 'Alice@Example.com', 'Manager', true, '2024-01-01T00:00:00Z', ['701984', null, 'alice']);
  await user(JOHN_DOT, 'john.smith@x.com', null, true, '2024-02-01T00:00:00Z', [null, ALICE, 'Bob']);
  await user(JOHN_DASH, 'john-smith@x.com', 'Engineer', false, '2024-03-01T00:00:00Z', [null, null, 'carol']);
  await user(JOHN_X, 'john_smith@x.com', null, true, '2024-04-01T00:00:00Z');
  await user(PERCENT, 'percent@x.com', 'Engineer', true, '2024-05-01T00:00:00Z', ['100%']);
  await client.query(
    `INSERT INTO directory.users (tailnet_id, id, user_name, active, created_at, last_modified, version)
     VALUES ($1, $2, 'alice@example.com', true, now(), now(), 1)`,
    [OTHER_TAILNET, randomUUID()],
  );
  const email = (userId: string, value: string, type: string, primary: boolean) =>
    client.query(`INSERT INTO directory.user_emails VALUES ($1, $2, $3, $4, $5, NULL)`, [TAILNET, userId, value, type, primary]);
  await email(ALICE, 'alice@example.com', 'work', true);
  await email(ALICE, 'babs@home.example', 'home', false);
  await email(JOHN_DOT, 'jsmith@home.example', 'home', false);
  await email(JOHN_DOT, 'john.smith@x.com', 'work', true);
  await email(JOHN_DASH, 'zz@x.com', 'work', true);
  const group = randomUUID();
  await client.query(
    `INSERT INTO directory.groups VALUES ($1, $2, 'Sales Team', 'ext-1', now(), now(), 1), ($1, $3, 'Engineering', NULL, now(), now(), 1)`,
    [TAILNET, group, randomUUID()],
  );
  await client.query(`INSERT INTO directory.group_members VALUES ($1, $2, $3)`, [TAILNET, group, ALICE]);
}

/** Matching user names in code-unit order, so results do not depend on the database's collation. */
async function userNames(filter: string): Promise<string[]> {
  return (await queryUserNames(filter, 'u.user_name')).sort();
}

async function queryUserNames(filter: string, orderBy: string): Promise<string[]> {
  const compiled = compileFilter(parseFilter(filter), DIRECTORY_USER_FILTER_MAPPING, 2);
  const result = await client.query<{ user_name: string }>(
    `SELECT u.user_name FROM directory.users u WHERE u.tailnet_id = $1 AND ${compiled.sql} ORDER BY ${orderBy}`,
    [TAILNET, ...compiled.params],
  );
  return result.rows.map((row) => row.user_name);
}

async function groupNames(filter: string): Promise<string[]> {
  const compiled = compileFilter(parseFilter(filter), DIRECTORY_GROUP_FILTER_MAPPING, 2);
  const result = await client.query<{ display_name: string }>(
    `SELECT g.display_name FROM directory.groups g WHERE g.tailnet_id = $1 AND ${compiled.sql} ORDER BY g.display_name`,
    [TAILNET, ...compiled.params],
  );
  return result.rows.map((row) => row.display_name);
}

describe('compiled filters on PostgreSQL', () => {
  it('matches userName case-insensitively within the tailnet', async () => {
    expect(await userNames('userName eq "ALICE@example.COM"')).toEqual(['Alice@Example.com']);
  });

  it('never lets john.smith match john-smith or john_smith', async () => {
    expect(await userNames('userName sw "john.smith"')).toEqual(['john.smith@x.com']);
    expect(await userNames('userName eq "john.smith@x.com"')).toEqual(['john.smith@x.com']);
    expect(await userNames('userName sw "john_"')).toEqual(['john_smith@x.com']);
    expect(await userNames(`${ENTERPRISE}:employeeNumber co "0%"`)).toEqual(['percent@x.com']);
  });

  it('makes ne and not match users without the attribute', async () => {
    expect(await userNames('title ne "manager"')).toEqual(['john-smith@x.com', 'john.smith@x.com', 'john_smith@x.com', 'percent@x.com']);
    expect(await userNames('not (title eq "Manager")')).toEqual(await userNames('title ne "Manager"'));
    expect(await userNames('title eq null')).toEqual(['john.smith@x.com', 'john_smith@x.com']);
  });

  it('keeps both conditions of a value path on the same email', async () => {
    expect(await userNames('emails[type eq "work"].value eq "JOHN.SMITH@x.com"')).toEqual(['john.smith@x.com']);
    expect(await userNames('emails[type eq "home"].value eq "john.smith@x.com"')).toEqual([]);
    expect(await userNames('emails[type eq "work" and primary eq true]')).toEqual(['Alice@Example.com', 'john-smith@x.com', 'john.smith@x.com']);
    expect(await userNames('emails co "home.example"')).toEqual(['Alice@Example.com', 'john.smith@x.com']);
    expect(await userNames('not (emails pr)')).toEqual(['john_smith@x.com', 'percent@x.com']);
  });

  it('compares booleans, dates, ids and managers', async () => {
    expect(await userNames('active eq "False"')).toEqual(['john-smith@x.com']);
    expect(await userNames('meta.created ge "2024-04-01T00:00:00Z"')).toEqual(['john_smith@x.com', 'percent@x.com']);
    expect(await userNames('meta.created lt "2024-01-01T01:00:00+01:00"')).toEqual([]);
    expect(await userNames(`id eq "${ALICE.toUpperCase()}"`)).toEqual(['Alice@Example.com']);
    expect(await userNames('id eq "5171a35d82074e068ce2"')).toEqual([]);
    expect(await userNames(`id eq "${JOHN_DOT}" and manager eq "${ALICE}"`)).toEqual(['john.smith@x.com']);
    expect(await userNames(`${ENTERPRISE}:employeeNumber eq 701984`)).toEqual(['Alice@Example.com']);
  });

  it('filters groups by name, by member and by a member\'s display (its userName)', async () => {
    expect(await groupNames('displayName eq "sales team"')).toEqual(['Sales Team']);
    expect(await groupNames(`members[value eq "${ALICE}"]`)).toEqual(['Sales Team']);
    // A member's display is its user's userName, compared as userName is: ignoring case.
    expect(await groupNames('members.display eq "alice@example.com"')).toEqual(['Sales Team']);
    expect(await groupNames('members eq "not-a-uuid" or externalId pr')).toEqual(['Sales Team']);
    expect(await groupNames('not (members pr)')).toEqual(['Engineering']);
  });

  it('sorts by a case-insensitive column and by the primary email', async () => {
    const byGivenName = sortExpression('name.givenName', DIRECTORY_USER_FILTER_MAPPING);
    expect(await queryUserNames('name.givenName pr', `${byGivenName} COLLATE "C"`)).toEqual([
      'Alice@Example.com',
      'john.smith@x.com',
      'john-smith@x.com',
    ]);
    const byEmail = sortExpression('emails', DIRECTORY_USER_FILTER_MAPPING);
    expect(await queryUserNames('emails pr', `${byEmail} COLLATE "C"`)).toEqual([
      'Alice@Example.com',
      'john.smith@x.com',
      'john-smith@x.com',
    ]);
  });
});
