import { describe, expect, it } from 'vitest';
import { projectionTestDatabase } from '../../../projector/testing/projection-equivalence.js';
import { loggedHistories } from '../../../directory/testing/provisioning-history.js';
import { MembershipProjection } from './membership.projection.js';

const db = projectionTestDatabase();

describe('membership projection: batches give what the events do one by one', () => {
  it('keeps the same users, groups (with their feed sequences) and members in batches of any size', { timeout: 60_000 }, async () => {
    const events = loggedHistories(3, 1_500);
    await db.expectSameInAnyBatches('history', () => new MembershipProjection(), events, ['users', 'groups', 'members']);
    const { rows } = await db.pool.query(`SELECT count(*) FILTER (WHERE user_name LIKE 'renamed.%')::int AS renamed FROM history_one_batch.users`);
    expect(rows[0].renamed).toBeGreaterThan(0);
  });
});
