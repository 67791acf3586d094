import { describe, expect, it } from 'vitest';
import { projectionTestDatabase } from '../../../projector/testing/projection-equivalence.js';
import { loggedHistories } from '../../../directory/testing/provisioning-history.js';
import { NodesProjection } from './nodes.projection.js';

const db = projectionTestDatabase();

describe('node-key expiry projection: batches give what the events do one by one', () => {
  it('keeps the same owners event by event, in random batches and in one batch, renamed logins included', { timeout: 60_000 }, async () => {
    const events = loggedHistories(3, 1_500);
    await db.expectSameInAnyBatches('history', () => new NodesProjection(), events, ['owners', 'nodes', 'node_history']);
    const { rows } = await db.pool.query(`SELECT count(*) FILTER (WHERE user_name LIKE 'renamed.%')::int AS renamed, count(*)::int AS owners FROM history_one_batch.owners`);
    expect(rows[0].owners).toBeGreaterThan(1_000);
    expect(rows[0].renamed).toBeGreaterThan(0);
  });
});
