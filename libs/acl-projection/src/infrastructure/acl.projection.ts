import type { PoolClient } from 'pg';
import type { GroupMemberAddedData, LoggedEvent } from '#roster/events';
import type { Projection } from '#roster/projector';
import { aclChangesOf, membershipsOf, subjectOf, type AclChange } from '../domain/acl-changes.js';
import type { MembershipFact, NodeFact, UserFact } from '../domain/acl-facts.js';
import type { TailnetAcls } from '../application/tailnet-acls.js';
import { createAclTables } from './acl-tables.js';

/**
 * Keeps the ACL facts in PostgreSQL, in the batch's transaction, and hands each committed batch to the in-memory
 * TailnetAcls. Every event becomes a list of AclChanges (domain/acl-changes.ts) applied to both, so the tables and
 * memory cannot disagree on what an event means. The runtime's checkpoint makes each event apply exactly once.
 */
export class AclProjection implements Projection {
  readonly name = 'acl';

  /**
   * `memory` is what the check API answers from; a rebuild (`roster replay`) has none and keeps only the tables.
   * `applied` is told of each batch once checks see it (for the freshness metric).
   */
  constructor(
    private readonly memory: TailnetAcls | undefined,
    private readonly applied: (events: LoggedEvent[]) => void = () => undefined,
  ) {}

  createTables(client: PoolClient): Promise<void> {
    return createAclTables(client);
  }

  async apply(client: PoolClient, events: LoggedEvent[]): Promise<void> {
    const users = new Map<string, PendingUser>();
    let start = 0;
    while (start < events.length) {
      // A run of membership events (Entra's batches of one big group) is one statement.
      const type = events[start].type;
      let end = start + 1;
      if (type === 'GroupMemberAdded' || type === 'GroupMemberRemoved') {
        while (end < events.length && events[end].type === type && events[end].tailnetId === events[start].tailnetId) end++;
        const run = events.slice(start, end);
        const memberships = run.flatMap((event) => membershipsOf(event.data as GroupMemberAddedData));
        await this.usersWritten(client, users);
        await this.membersChanged(client, events[start].tailnetId, memberships, type === 'GroupMemberAdded');
      } else {
        await this.applyOne(client, events[start], users);
      }
      start = end;
    }
    await this.usersWritten(client, users);
  }

  committed(events: LoggedEvent[]): void {
    if (!this.memory) return;
    this.memory.applyEvents(events);
    this.applied(events);
  }

  /**
   * User facts are held in `users` until something else is written, then saved in one statement: a sync cycle's
   * run of new users costs one round trip, not one each. Later events of the batch read them from there.
   */
  private async applyOne(client: PoolClient, event: LoggedEvent, users: Map<string, PendingUser>): Promise<void> {
    const subject = subjectOf(event);
    const current =
      subject === undefined
        ? undefined
        : (subject.kind === 'user' ? users.get(subject.id)?.fact : undefined) ?? (await this.currentFact(client, event.tailnetId, subject.kind, subject.id));
    let seq = 0;
    for (const change of aclChangesOf(event, current)) {
      if (change.kind === 'user') {
        users.set(change.fact.userId, { tailnetId: event.tailnetId, fact: change.fact });
      } else {
        await this.usersWritten(client, users);
        await this.write(client, event, change, seq);
      }
      seq++;
    }
  }

  private async currentFact(client: PoolClient, tailnetId: string, kind: 'user' | 'node', id: string): Promise<UserFact | NodeFact | undefined> {
    if (kind === 'user') {
      const { rows } = await client.query<{ login: string; state: UserFact['state'] }>({
        name: 'acl-user',
        text: 'SELECT login, state FROM users WHERE tailnet_id = $1 AND user_id = $2',
        values: [tailnetId, id],
      });
      return rows[0] && { userId: id, login: rows[0].login, state: rows[0].state };
    }
    const { rows } = await client.query<NodeRow>({ name: 'acl-node', text: `SELECT ${NODE_COLUMNS} FROM nodes WHERE tailnet_id = $1 AND node_id = $2`, values: [tailnetId, id] });
    return rows[0] && nodeFactOf(rows[0]);
  }

  /** Saves the pending user facts (a deleted user's memberships go with them) and empties `users`. */
  private async usersWritten(client: PoolClient, users: Map<string, PendingUser>): Promise<void> {
    if (users.size === 0) return;
    const pending = [...users.values()];
    users.clear();
    await client.query({
      name: 'acl-users-upsert',
      text: `INSERT INTO users (tailnet_id, user_id, login, state)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])
             ON CONFLICT (tailnet_id, user_id) DO UPDATE SET login = EXCLUDED.login, state = EXCLUDED.state`,
      values: [
        pending.map((user) => user.tailnetId),
        pending.map((user) => user.fact.userId),
        pending.map((user) => user.fact.login),
        pending.map((user) => user.fact.state),
      ],
    });
    // Apart, and only when someone left: joined into the upsert, the planner scanned every membership of the
    // tailnet on each batch of creations.
    const deleted = pending.filter((user) => user.fact.state === 'deleted');
    if (deleted.length === 0) return;
    await client.query({
      name: 'acl-deleted-users-memberships',
      text: `DELETE FROM group_members m USING unnest($1::uuid[], $2::uuid[]) AS d(tailnet_id, user_id)
              WHERE m.tailnet_id = d.tailnet_id AND m.user_id = d.user_id`,
      values: [deleted.map((user) => user.tailnetId), deleted.map((user) => user.fact.userId)],
    });
  }

  private async write(client: PoolClient, event: LoggedEvent, change: Exclude<AclChange, { kind: 'user' }>, seq: number): Promise<void> {
    const tailnetId = event.tailnetId;
    switch (change.kind) {
      case 'tailnet':
        await client.query('INSERT INTO tailnets (tailnet_id, domain) VALUES ($1, $2) ON CONFLICT (tailnet_id) DO UPDATE SET domain = EXCLUDED.domain', [tailnetId, change.domain]);
        return;
      case 'group':
        await client.query({
          name: 'acl-group-upsert',
          text: `INSERT INTO groups (tailnet_id, group_id, display_name) VALUES ($1, $2, $3)
                 ON CONFLICT (tailnet_id, group_id) DO UPDATE SET display_name = EXCLUDED.display_name`,
          values: [tailnetId, change.fact.groupId, change.fact.displayName],
        });
        return;
      case 'group-change': {
        const { groupId, kind, from, to, actor, time } = change.change;
        await client.query({
          name: 'acl-group-change',
          text: `WITH gone AS (DELETE FROM groups WHERE tailnet_id = $1 AND group_id = $4 AND $5 = 'deleted'),
                      members AS (DELETE FROM group_members WHERE tailnet_id = $1 AND group_id = $4 AND $5 = 'deleted')
                 INSERT INTO group_name_changes (tailnet_id, position, seq, group_id, kind, from_name, to_name, actor, time)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          values: [tailnetId, event.position.toString(), seq, groupId, kind, from, to, JSON.stringify(actor), time],
        });
        return;
      }
      case 'member-added':
      case 'member-removed':
        await this.membersChanged(client, tailnetId, [change.membership], change.kind === 'member-added');
        return;
      case 'node': {
        const node = change.fact;
        await client.query({
          name: 'acl-node-upsert',
          text: `INSERT INTO nodes (tailnet_id, node_id, owner_user_id, tags, ipv4, key_expired, owner_access)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (tailnet_id, node_id) DO UPDATE SET owner_user_id = EXCLUDED.owner_user_id, tags = EXCLUDED.tags,
                   ipv4 = EXCLUDED.ipv4, key_expired = EXCLUDED.key_expired, owner_access = EXCLUDED.owner_access`,
          values: [tailnetId, node.nodeId, node.ownerUserId, node.tags, node.ipv4, node.keyExpired, node.ownerAccess],
        });
        return;
      }
      case 'node-removed':
        await client.query('DELETE FROM nodes WHERE tailnet_id = $1 AND node_id = $2', [tailnetId, change.nodeId]);
        return;
      case 'policy':
        await client.query({
          name: 'acl-policy-upsert',
          text: `INSERT INTO policies (tailnet_id, policy, sha256, updated) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (tailnet_id) DO UPDATE SET policy = EXCLUDED.policy, sha256 = EXCLUDED.sha256, updated = EXCLUDED.updated`,
          values: [tailnetId, change.fact.policy, change.fact.sha256, change.fact.updated],
        });
        return;
    }
  }

  private async membersChanged(client: PoolClient, tailnetId: string, memberships: MembershipFact[], added: boolean): Promise<void> {
    await client.query({
      name: added ? 'acl-members-added' : 'acl-members-removed',
      text: added
        ? `INSERT INTO group_members (tailnet_id, group_id, user_id) SELECT $1, g, u FROM unnest($2::uuid[], $3::uuid[]) AS m(g, u)
           ON CONFLICT DO NOTHING`
        : `DELETE FROM group_members m USING unnest($2::uuid[], $3::uuid[]) AS r(g, u)
            WHERE m.tailnet_id = $1 AND m.group_id = r.g AND m.user_id = r.u`,
      values: [tailnetId, memberships.map((member) => member.groupId), memberships.map((member) => member.userId)],
    });
  }
}

/** A user fact not yet saved, by user id: the last one of a batch wins, as the events would have it. */
type PendingUser = { tailnetId: string; fact: UserFact };

type NodeRow = { node_id: string; owner_user_id: string | null; tags: string[]; ipv4: string; key_expired: boolean; owner_access: NodeFact['ownerAccess'] };

export const NODE_COLUMNS = 'node_id, owner_user_id, tags, ipv4, key_expired, owner_access';

export function nodeFactOf(row: NodeRow): NodeFact {
  return { nodeId: row.node_id, ownerUserId: row.owner_user_id, tags: row.tags, ipv4: row.ipv4, keyExpired: row.key_expired, ownerAccess: row.owner_access };
}
