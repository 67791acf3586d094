import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import type { LoggedEvent } from '#roster/events';
import { dropDatabase } from '#roster/testkit';
import type { Projection, ProjectionContext } from '../src/projection.js';

// A projection may fold a batch into its net effect, skip what does not concern it and write set-based: applied
// event by event or in batches of any size, the same log must give the same tables, row for row. Real
// PostgreSQL (127.0.0.1:5432, user postgres, trust auth), one throwaway database per suite.
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };

export class ProjectionTestDatabase {
  readonly name = `roster_projection_${randomUUID().replaceAll('-', '')}`;
  private admin: pg.Client | undefined;
  pool!: pg.Pool;

  async create(): Promise<void> {
    this.admin = new pg.Client({ ...SERVER, database: 'postgres' });
    await this.admin.connect();
    await this.admin.query(`CREATE DATABASE ${this.name}`);
    this.pool = new pg.Pool({ ...SERVER, database: this.name, max: 2 });
  }

  async drop(): Promise<void> {
    await this.pool?.end();
    if (!this.admin) return;
    await dropDatabase(this.admin, this.name);
    await this.admin.end();
  }

  /** Creates `schema`, then applies `events` in batches of `batchSize()` events, one transaction each. */
  async project(schema: string, projection: Projection, events: LoggedEvent[], batchSize: () => number, context: ProjectionContext = { live: false }) {
    // A connection of its own: named prepared statements are per connection and per projection.
    const pool = new pg.Pool({ ...SERVER, database: this.name, max: 1 });
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
      await projection.createTables(client);
      for (let start = 0; start < events.length; ) {
        const end = Math.min(events.length, start + batchSize());
        await client.query('BEGIN');
        await projection.apply(client, events.slice(start, end), context);
        await client.query('COMMIT');
        start = end;
      }
    } finally {
      client.release();
      await pool.end();
    }
  }

  /** Row count and a digest of every row of each table, to compare two schemas. */
  async checksums(schema: string, tables: string[]): Promise<Record<string, string>> {
    const sums: Record<string, string> = {};
    for (const table of tables) {
      const { rows } = await this.pool.query(`SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM ${schema}.${table} t`);
      sums[table] = `${rows[0].n}:${rows[0].sum}`;
    }
    return sums;
  }

  /**
   * Projects `events` one by one, in seeded random batches of up to 700 and in one batch, into three schemas
   * named after `prefix`; returns the three checksums of `tables`, one-by-one first.
   */
  async projectThreeWays(prefix: string, newProjection: () => Projection, events: LoggedEvent[], tables: string[], context?: ProjectionContext) {
    await this.project(`${prefix}_one_by_one`, newProjection(), events, () => 1, context);
    let seed = 7;
    await this.project(`${prefix}_random_batches`, newProjection(), events, () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return 1 + (seed % 700);
    }, context);
    await this.project(`${prefix}_one_batch`, newProjection(), events, () => events.length, context);
    return Promise.all(['one_by_one', 'random_batches', 'one_batch'].map((way) => this.checksums(`${prefix}_${way}`, tables)));
  }

  /** `projectThreeWays`, expecting the same tables all three ways; returns their checksums. */
  async expectSameInAnyBatches(prefix: string, newProjection: () => Projection, events: LoggedEvent[], tables: string[], context?: ProjectionContext) {
    const [oneByOne, randomBatches, oneBatch] = await this.projectThreeWays(prefix, newProjection, events, tables, context);
    expect(randomBatches).toEqual(oneByOne);
    expect(oneBatch).toEqual(oneByOne);
    return oneByOne;
  }
}

/** A ProjectionTestDatabase created before the suite's tests run and dropped after them. */
export function projectionTestDatabase(): ProjectionTestDatabase {
  const db = new ProjectionTestDatabase();
  beforeAll(() => db.create());
  afterAll(() => db.drop());
  return db;
}
