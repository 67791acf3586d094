import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, DIRECTORY_GROUP_FILTER_MAPPING, DIRECTORY_USER_FILTER_MAPPING, parseFilter, sortExpression, type ColumnSpec, type FilterMapping } from '#roster/scim';
import { migratedDatabase, type MigratedDatabase } from '#roster/testkit';

// The directory tables as Roster's migrations leave them, in a throwaway database on the real PostgreSQL.
let database: MigratedDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await migratedDatabase('directory_tables');
  client = new pg.Client({ ...database.connection, options: '-c search_path=directory' });
  await client.connect();
  await insertDistinctValues();
  // The plan PostgreSQL settles on for a prepared lookup.
  await client.query('SET plan_cache_mode = force_generic_plan');
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

/** 5,000 users and groups of one tailnet, each with values of its own, as statistics of a real directory. */
async function insertDistinctValues(): Promise<void> {
  await client.query(`
    INSERT INTO users (tailnet_id, id, user_name, external_id, active, display_name, title, preferred_language, given_name,
                       family_name, formatted_name, resource, version, created_at, last_modified)
    SELECT t, gen_random_uuid(), 'user' || n || '@example.com', 'ext' || n, true, 'User ' || n, 'Title ' || (n % 50),
           'lang' || (n % 40), 'Given' || n, 'Family' || n, 'Full ' || n, '{}', 1, now(), now()
      FROM generate_series(1, 5000) n, (SELECT gen_random_uuid() AS t) tailnet;
    INSERT INTO user_emails (tailnet_id, user_id, ordinal, value, type) SELECT tailnet_id, id, 0, user_name, 'work' FROM users;
    INSERT INTO groups (tailnet_id, id, display_name, external_id, version, created_at, last_modified)
    SELECT tailnet_id, gen_random_uuid(), 'Group ' || user_name, 'g' || external_id, 1, now(), now() FROM users;
    INSERT INTO group_members (tailnet_id, group_id, user_id)
    SELECT g.tailnet_id, g.id, u.id FROM groups g JOIN users u ON u.tailnet_id = g.tailnet_id AND 'g' || u.external_id = g.external_id;
    ANALYZE;
  `);
}

/** Every `attribute eq` the mapping declares indexed, with the column the index must be searched on. */
function indexedLookups(mapping: FilterMapping): { path: string; column: string; uuid: boolean }[] {
  return Object.entries(mapping.attributes).flatMap(([path, attribute]) => {
    const columns = attribute.kind === 'column' ? [['', attribute] as const] : Object.entries(attribute.subAttributes).map(([name, column]) => [`.${name}`, column] as const);
    return columns
      .filter(([, column]) => column.indexed)
      .map(([suffix, column]) => ({ path: `${path}${suffix}`, column: column.sql.split('.')[1], uuid: column.type === 'uuid' }));
  });
}

/** The generic plan of the list query a handler runs for `<path> eq "<value>"` (the alias is the mapping's). */
async function genericPlan(from: string, mapping: FilterMapping, path: string, value: string): Promise<string> {
  const alias = from.split(' ')[1];
  const where = compileFilter(parseFilter(`${path} eq "${value}"`), mapping, 2);
  const statement = `lookup_${randomUUID().replaceAll('-', '')}`;
  await client.query(
    `PREPARE ${statement} AS SELECT ${alias}.id FROM ${from} WHERE ${alias}.tailnet_id = $1::uuid AND (${where.sql})
      ORDER BY ${alias}.created_at, ${alias}.id LIMIT 100`,
  );
  const literals = [randomUUID(), ...where.params].map((param) => client.escapeLiteral(String(param)));
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${statement}(${literals.join(', ')})`);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

const indexConditions = (plan: string) => plan.split('\n').filter((line) => line.includes('Index Cond:'));

describe('the directory tables index what the filter mappings say they do', () => {
  const cases = [
    { resource: 'users', from: 'directory.users u', mapping: DIRECTORY_USER_FILTER_MAPPING },
    { resource: 'groups', from: 'directory.groups g', mapping: DIRECTORY_GROUP_FILTER_MAPPING },
  ];
  for (const { resource, from, mapping } of cases) {
    it.each(indexedLookups(mapping))(`${resource}: a prepared "$path eq" searches an index on $column`, async ({ path, column, uuid }) => {
      const plan = await genericPlan(from, mapping, path, uuid ? randomUUID() : 'Value');
      expect(indexConditions(plan).some((line) => new RegExp(`\\b${column}\\b`).test(line)), plan).toBe(true);
    });
  }

  it('finds an unindexed attribute by scanning, which is why it is not marked', async () => {
    const plan = await genericPlan('directory.users u', DIRECTORY_USER_FILTER_MAPPING, 'title', 'Lead');
    expect(plan).toMatch(/Filter: .*title/);
    expect(indexConditions(plan).some((line) => line.includes('title'))).toBe(false);
  });
});

/** Every path a mapping names, a sub-attribute's both as `attr.sub` and inside a value path, with its column. */
function everyMappedPath(mapping: FilterMapping): { filterPaths: string[]; column: ColumnSpec; sortable: string }[] {
  return Object.entries(mapping.attributes).flatMap(([path, attribute]) =>
    attribute.kind === 'column'
      ? [{ filterPaths: [path], column: attribute, sortable: path }]
      : Object.entries(attribute.subAttributes).map(([name, column]) => ({ filterPaths: [`${path}.${name}`, `${path}[${name} pr]`], column, sortable: `${path}.${name}` })),
  );
}

const SAMPLE_VALUES: Record<ColumnSpec['type'], string> = {
  string: '"Value"',
  boolean: 'true',
  dateTime: '"2020-01-01T00:00:00Z"',
  integer: '1',
  decimal: '1.5',
  uuid: `"${randomUUID()}"`,
};

describe('every attribute the filter mappings name is a column PostgreSQL has', () => {
  const cases = [
    { resource: 'users', from: 'directory.users u', mapping: DIRECTORY_USER_FILTER_MAPPING },
    { resource: 'groups', from: 'directory.groups g', mapping: DIRECTORY_GROUP_FILTER_MAPPING },
  ];
  for (const { resource, from, mapping } of cases) {
    const alias = from.split(' ')[1];
    it.each(everyMappedPath(mapping))(`${resource}: $sortable filters and sorts`, async ({ filterPaths, column, sortable }) => {
      const filters = [
        ...filterPaths.flatMap((path) => (path.includes('[') ? [path] : [`${path} pr`, `${path} eq ${SAMPLE_VALUES[column.type]}`])),
        ...(column.type === 'string' ? [`${filterPaths[0]} co "Val"`] : []),
      ];
      for (const filter of filters) {
        const where = compileFilter(parseFilter(filter), mapping, 2);
        await expect(client.query(`SELECT count(*) FROM ${from} WHERE ${alias}.tailnet_id = $1 AND (${where.sql})`, [randomUUID(), ...where.params]), filter).resolves.toBeDefined();
      }
      const order = sortExpression(sortable, mapping);
      await expect(client.query(`SELECT ${alias}.id FROM ${from} WHERE ${alias}.tailnet_id = $1 ORDER BY ${order} LIMIT 1`, [randomUUID()]), sortable).resolves.toBeDefined();
    });
  }
});
