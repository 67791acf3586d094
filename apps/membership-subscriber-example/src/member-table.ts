import type pg from 'pg';
import type { MembershipEvent } from '#roster/contracts';

/** The subscriber's own copy of group membership, built from the public topic and nothing else. */
export async function createMemberTables(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`
    CREATE SCHEMA IF NOT EXISTS ${schema};
    CREATE TABLE IF NOT EXISTS ${schema}.groups (
      group_id uuid PRIMARY KEY,
      tailnet_id uuid NOT NULL,
      name text NOT NULL,
      last_sequence bigint NOT NULL,
      member_count integer NOT NULL,
      deleted boolean NOT NULL DEFAULT false
    );
    CREATE TABLE IF NOT EXISTS ${schema}.group_members (
      tailnet_id uuid NOT NULL,
      group_id uuid NOT NULL,
      user_id uuid NOT NULL,
      user_name text NOT NULL,
      PRIMARY KEY (tailnet_id, group_id, user_id)
    );
    -- What a careful subscriber alerts on: a sequence jump (an event it never saw) or a count it cannot reproduce.
    CREATE TABLE IF NOT EXISTS ${schema}.anomalies (
      group_id uuid NOT NULL,
      sequence bigint NOT NULL,
      kind text NOT NULL,
      detail text NOT NULL,
      seen_at timestamptz NOT NULL DEFAULT now()
    );
  `);
}

export type Outcome = 'applied' | 'duplicate' | 'applied-after-gap';

/**
 * Applies one event: skips it if its (group, sequence) was already seen (the feed is at least once), records a
 * gap if the sequence jumps, and checks the group's member count against the one the event carries.
 */
export async function applyMembershipEvent(client: pg.PoolClient, schema: string, event: MembershipEvent): Promise<Outcome> {
  const { groupId, tailnetId, sequence, groupName, memberCount } = event.data;
  const { rows } = await client.query<{ last_sequence: string }>(`SELECT last_sequence FROM ${schema}.groups WHERE group_id = $1 FOR UPDATE`, [groupId]);
  const last = rows.length > 0 ? Number(rows[0].last_sequence) : 0;
  if (sequence <= last) return 'duplicate';
  let outcome: Outcome = 'applied';
  if (sequence > last + 1) {
    outcome = 'applied-after-gap';
    await client.query(`INSERT INTO ${schema}.anomalies (group_id, sequence, kind, detail) VALUES ($1, $2, 'gap', $3)`, [
      groupId,
      sequence,
      `expected sequence ${last + 1}, got ${sequence}`,
    ]);
  }
  switch (event.type) {
    case 'MemberAdded':
      await client.query(
        `INSERT INTO ${schema}.group_members (tailnet_id, group_id, user_id, user_name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tailnet_id, group_id, user_id) DO UPDATE SET user_name = EXCLUDED.user_name`,
        [tailnetId, groupId, event.data.userId, event.data.userName],
      );
      break;
    case 'MemberRemoved':
      await client.query(`DELETE FROM ${schema}.group_members WHERE tailnet_id = $1 AND group_id = $2 AND user_id = $3`, [tailnetId, groupId, event.data.userId]);
      break;
    case 'GroupDeleted':
      await client.query(`DELETE FROM ${schema}.group_members WHERE tailnet_id = $1 AND group_id = $2`, [tailnetId, groupId]);
      break;
    default:
      break;
  }
  await client.query(
    `INSERT INTO ${schema}.groups (group_id, tailnet_id, name, last_sequence, member_count, deleted) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (group_id) DO UPDATE SET name = $3, last_sequence = $4, member_count = $5, deleted = $6`,
    [groupId, tailnetId, groupName, sequence, memberCount, event.type === 'GroupDeleted'],
  );
  if (outcome === 'applied') {
    const { rows: counted } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.group_members WHERE group_id = $1`, [groupId]);
    if (counted[0].n !== memberCount) {
      await client.query(`INSERT INTO ${schema}.anomalies (group_id, sequence, kind, detail) VALUES ($1, $2, 'count', $3)`, [
        groupId,
        sequence,
        `event says ${memberCount} members, table holds ${counted[0].n}`,
      ]);
    }
  }
  return outcome;
}
