import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReusedPlans } from './reused-plans.js';

// Real PostgreSQL (127.0.0.1:5432, user postgres, trust auth); the statements need no tables.
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
});

describe('ReusedPlans', () => {
  it('names one text the same every time, and different texts differently', () => {
    const plans = new ReusedPlans(10);
    const first = plans.statement('SELECT $1::int AS n', [1]);
    expect(first.name).toMatch(/^plan-/);
    expect(plans.statement('SELECT $1::int AS n', [2])).toEqual({ name: first.name, text: 'SELECT $1::int AS n', values: [2] });
    expect(plans.statement('SELECT $1::int + 1 AS n', [1]).name).not.toBe(first.name);
  });

  it('leaves a text unnamed when its plan is not reusable', () => {
    const plans = new ReusedPlans(10);
    expect(plans.statement('SELECT $1::text LIKE $2', ['a', '%a%'], false)).toEqual({ text: 'SELECT $1::text LIKE $2', values: ['a', '%a%'] });
  });

  it('gives names to its first `capacity` texts only, and keeps them', () => {
    const plans = new ReusedPlans(2);
    const named = [plans.statement('SELECT 1', []), plans.statement('SELECT 2', [])];
    expect(plans.statement('SELECT 3', [])).toEqual({ text: 'SELECT 3', values: [] });
    expect(plans.statement('SELECT 1', []).name).toBe(named[0].name);
    expect(plans.statement('SELECT 2', []).name).toBe(named[1].name);
  });

  it('has a connection prepare a named text once and run it with each value bound', async () => {
    const plans = new ReusedPlans(10);
    const text = 'SELECT $1::int * 2 AS doubled';
    const results = [];
    for (const n of [1, 2, 3]) results.push((await client.query<{ doubled: number }>(plans.statement(text, [n]))).rows[0].doubled);
    expect(results).toEqual([2, 4, 6]);
    const { rows } = await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text]);
    expect(rows).toEqual([{ name: plans.statement(text, []).name }]);
  });
});
