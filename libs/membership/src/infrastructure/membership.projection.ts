import type { PoolClient } from 'pg';
import type { MembershipEvent } from '#roster/contracts';
import { userUpdateChanged, type GroupMemberAddedData, type LoggedEvent, type UserUpdatedData } from '#roster/events';
import type { Projection, ProjectionContext } from '#roster/projector';
import { MembershipLedger } from '../domain/membership-ledger.js';
import { createMembershipTables, MEMBERSHIP_OUTBOX } from './membership-tables.js';

const USER_EVENTS = new Set(['UserSuspended', 'UserReactivated', 'UserDeleted', 'UserUpdated']);
const MEMBER_EVENTS = new Set(['GroupMemberAdded', 'GroupMemberRemoved']);

/** Users are kept with their userName and state only: a `UserUpdated` matters when it changes the userName. */
function concernsMembership(event: LoggedEvent): boolean {
  if (event.type === 'UserUpdated') return userUpdateChanged(event.data as UserUpdatedData, ['userName']);
  return event.aggregateType === 'User' || event.aggregateType === 'Group';
}

/**
 * Turns the internal log into the public membership feed. Each batch loads the state its events touch, derives
 * the public events (with their consequences, sequence numbers and member counts), saves the new state and —
 * live only — queues the public events in the outbox, all in the runtime's batch transaction with the checkpoint:
 * every internal event yields its public events exactly once.
 */
export class MembershipProjection implements Projection {
  readonly name = 'membership';

  createTables(client: PoolClient): Promise<void> {
    return createMembershipTables(client);
  }

  async apply(client: PoolClient, events: LoggedEvent[], { live }: ProjectionContext): Promise<void> {
    const relevant = events.filter(concernsMembership);
    if (relevant.length === 0) return;
    const ledger = await this.load(client, relevant);
    const emitted: MembershipEvent[] = [];
    for (const event of relevant) emitted.push(...ledger.apply(event));
    await this.save(client, ledger);
    if (live && emitted.length > 0) {
      await client.query({
        name: 'membership-outbox',
        text: `INSERT INTO ${MEMBERSHIP_OUTBOX} (group_id, sequence, event)
               SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::json[])`,
        values: [emitted.map((e) => e.data.groupId), emitted.map((e) => e.data.sequence), emitted.map((e) => JSON.stringify(e))],
      });
    }
  }

  /** Loads every row the batch's events can touch, in three statements whatever the batch's size. */
  private async load(client: PoolClient, events: LoggedEvent[]): Promise<MembershipLedger> {
    const userIds = new Set<string>();
    const fullUsers = new Set<string>();
    const groupIds = new Set<string>();
    const fullGroups = new Set<string>();
    const pairs: Array<[string, string]> = [];
    for (const event of events) {
      if (USER_EVENTS.has(event.type)) {
        userIds.add(event.aggregateId);
        if (event.type !== 'UserUpdated') fullUsers.add(event.aggregateId);
      } else if (MEMBER_EVENTS.has(event.type)) {
        const data = event.data as GroupMemberAddedData;
        groupIds.add(data.groupId);
        for (const userId of data.userIds) {
          userIds.add(userId);
          pairs.push([data.groupId, userId]);
        }
      } else if (event.aggregateType === 'Group') {
        groupIds.add(event.aggregateId);
        if (event.type === 'GroupDeleted') fullGroups.add(event.aggregateId);
      }
    }
    const ledger = new MembershipLedger();
    const { rows: memberships } = await client.query<{ group_id: string; user_id: string }>({
      name: 'membership-load-members',
      text: `SELECT group_id, user_id FROM members WHERE user_id = ANY($1::uuid[])
             UNION SELECT group_id, user_id FROM members WHERE group_id = ANY($2::uuid[])
             UNION SELECT m.group_id, m.user_id FROM members m JOIN unnest($3::uuid[], $4::uuid[]) AS p(g, u)
                     ON m.group_id = p.g AND m.user_id = p.u`,
      values: [[...fullUsers], [...fullGroups], pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    });
    for (const { group_id, user_id } of memberships) {
      ledger.loadMembership(group_id, user_id);
      groupIds.add(group_id);
      userIds.add(user_id);
    }
    const [groups, users] = await Promise.all([
      client.query<{ tailnet_id: string; id: string; name: string; sequence: string; member_count: number }>({
        name: 'membership-load-groups',
        text: 'SELECT tailnet_id, id, name, sequence, member_count FROM groups WHERE id = ANY($1::uuid[])',
        values: [[...groupIds]],
      }),
      client.query<{ tailnet_id: string; id: string; user_name: string; active: boolean }>({
        name: 'membership-load-users',
        text: 'SELECT tailnet_id, id, user_name, active FROM users WHERE id = ANY($1::uuid[])',
        values: [[...userIds]],
      }),
    ]);
    for (const row of groups.rows) {
      ledger.loadGroup({ tailnetId: row.tailnet_id, groupId: row.id, name: row.name, sequence: Number(row.sequence), memberCount: row.member_count });
    }
    for (const row of users.rows) ledger.loadUser({ tailnetId: row.tailnet_id, userId: row.id, userName: row.user_name, active: row.active });
    return ledger;
  }

  private async save(client: PoolClient, ledger: MembershipLedger): Promise<void> {
    const groups = [...ledger.changedGroups].map((id) => ledger.groups.get(id)!);
    const users = [...ledger.changedUsers].map((id) => ledger.users.get(id)!);
    const memberships = [...ledger.changedMemberships].map(([key, present]) => ({ key: key.split('/'), present }));
    const removed = memberships.filter((m) => !m.present).map((m) => m.key);
    const added = memberships.filter((m) => m.present).map((m) => m.key);
    // Memberships first: a deleted group's or user's rows go before the row they hang off.
    await client.query({
      name: 'membership-save',
      text: `WITH removed AS (
               DELETE FROM members m USING unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS r(t, g, u)
                WHERE m.tailnet_id = r.t AND m.group_id = r.g AND m.user_id = r.u),
             added AS (
               INSERT INTO members (tailnet_id, group_id, user_id) SELECT * FROM unnest($4::uuid[], $5::uuid[], $6::uuid[])
               ON CONFLICT DO NOTHING),
             groups_saved AS (
               INSERT INTO groups (tailnet_id, id, name, sequence, member_count)
               SELECT * FROM unnest($7::uuid[], $8::uuid[], $9::text[], $10::bigint[], $11::int[])
               ON CONFLICT (tailnet_id, id) DO UPDATE
                 SET name = EXCLUDED.name, sequence = EXCLUDED.sequence, member_count = EXCLUDED.member_count),
             groups_deleted AS (DELETE FROM groups WHERE id = ANY($12::uuid[])),
             users_saved AS (
               INSERT INTO users (tailnet_id, id, user_name, active)
               SELECT * FROM unnest($13::uuid[], $14::uuid[], $15::text[], $16::boolean[])
               ON CONFLICT (tailnet_id, id) DO UPDATE SET user_name = EXCLUDED.user_name, active = EXCLUDED.active)
             DELETE FROM users WHERE id = ANY($17::uuid[])`,
      values: [
        removed.map((k) => k[0]),
        removed.map((k) => k[1]),
        removed.map((k) => k[2]),
        added.map((k) => k[0]),
        added.map((k) => k[1]),
        added.map((k) => k[2]),
        groups.map((g) => g.tailnetId),
        groups.map((g) => g.groupId),
        groups.map((g) => g.name),
        groups.map((g) => g.sequence),
        groups.map((g) => g.memberCount),
        [...ledger.deletedGroups],
        users.map((u) => u.tailnetId),
        users.map((u) => u.userId),
        users.map((u) => u.userName),
        users.map((u) => u.active),
        [...ledger.deletedUsers],
      ],
    });
  }
}
