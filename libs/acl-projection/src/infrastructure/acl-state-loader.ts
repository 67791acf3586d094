import type pg from 'pg';
import type { Actor } from '#roster/events';
import type { TailnetAcls } from '../application/tailnet-acls.js';
import type { UserFact } from '../domain/acl-facts.js';
import { NODE_COLUMNS, nodeFactOf } from './acl.projection.js';

/**
 * Rebuilds the in-memory state from the `acl` tables at start-up (before the consumer resumes from the checkpoint
 * those tables were committed with), so a restart costs a few table scans, not a replay of the log.
 */
export async function loadAclState(pool: pg.Pool, schema: string, memory: TailnetAcls): Promise<{ tailnets: number; users: number; nodes: number }> {
  const q = <R extends pg.QueryResultRow>(text: string) => pool.query<R>(text.replaceAll('acl.', `${schema}.`));
  const tailnets = await q<{ tailnet_id: string; domain: string | null }>('SELECT tailnet_id, domain FROM acl.tailnets');
  for (const row of tailnets.rows) memory.ensure(row.tailnet_id, row.domain);

  const users = await q<{ tailnet_id: string; user_id: string; login: string; state: UserFact['state'] }>(
    'SELECT tailnet_id, user_id, login, state FROM acl.users',
  );
  for (const row of users.rows) memory.applyChange(row.tailnet_id, { kind: 'user', fact: { userId: row.user_id, login: row.login, state: row.state } });

  const groups = await q<{ tailnet_id: string; group_id: string; display_name: string }>('SELECT tailnet_id, group_id, display_name FROM acl.groups');
  for (const row of groups.rows) memory.applyChange(row.tailnet_id, { kind: 'group', fact: { groupId: row.group_id, displayName: row.display_name } });

  const members = await q<{ tailnet_id: string; group_id: string; user_id: string }>('SELECT tailnet_id, group_id, user_id FROM acl.group_members');
  for (const row of members.rows) memory.applyChange(row.tailnet_id, { kind: 'member-added', membership: { groupId: row.group_id, userId: row.user_id } });

  const changes = await q<{ tailnet_id: string; group_id: string; kind: 'renamed' | 'deleted'; from_name: string; to_name: string | null; actor: Actor; time: Date }>(
    'SELECT tailnet_id, group_id, kind, from_name, to_name, actor, time FROM acl.group_name_changes ORDER BY position, seq',
  );
  for (const row of changes.rows) {
    const change = { groupId: row.group_id, kind: row.kind, from: row.from_name, to: row.to_name, actor: row.actor, time: row.time.toISOString() };
    memory.applyChange(row.tailnet_id, { kind: 'group-change', change });
  }

  const nodes = await q<Parameters<typeof nodeFactOf>[0] & { tailnet_id: string }>(`SELECT tailnet_id, ${NODE_COLUMNS} FROM acl.nodes`);
  for (const row of nodes.rows) memory.applyChange(row.tailnet_id, { kind: 'node', fact: nodeFactOf(row) });

  const policies = await q<{ tailnet_id: string; policy: string; sha256: string; updated: Date }>('SELECT tailnet_id, policy, sha256, updated FROM acl.policies');
  for (const row of policies.rows) memory.applyChange(row.tailnet_id, { kind: 'policy', fact: { policy: row.policy, sha256: row.sha256, updated: row.updated.toISOString() } });

  memory.warm();
  return { tailnets: tailnets.rows.length, users: users.rows.length, nodes: nodes.rows.length };
}
