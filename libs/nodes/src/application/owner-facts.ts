import { isRosterId } from '#roster/events';
import type { Queryable } from '#roster/write-model';
import { UnknownOwnerError } from '../domain/node.errors.js';
import type { OwnerFacts } from '../domain/node.js';

/**
 * What the write side knows of a user, by id or by userName (the login, case-insensitive as SCIM matches it).
 * Read from the users' own aggregates, not a read model, so a suspension committed a moment ago already counts.
 */
export async function loadOwnerFacts(db: Queryable, tailnetId: string, userRef: string): Promise<OwnerFacts> {
  const byId = isRosterId(userRef);
  const { rows } = await db.query<{ aggregate_id: string; active: boolean; deleted: boolean }>(
    `SELECT a.aggregate_id, coalesce((a.state->>'active')::boolean, false) AS active, coalesce((a.state->>'deleted')::boolean, false) AS deleted
       FROM writes.aggregates a
      WHERE a.tailnet_id = $1 AND a.aggregate_type = 'User'
        AND a.aggregate_id = ${byId ? '$2::uuid' : `(SELECT aggregate_id FROM writes.unique_claims WHERE tailnet_id = $1 AND scope = 'userName' AND key = lower($2))`}`,
    [tailnetId, userRef],
  );
  if (rows.length === 0) throw new UnknownOwnerError(userRef);
  return { userId: rows[0].aggregate_id, active: rows[0].active, deleted: rows[0].deleted };
}
