import type { PoolClient } from 'pg';
import type {
  GroupCreatedData,
  GroupExternalIdChangedData,
  GroupMemberAddedData,
  GroupMemberRemovedData,
  GroupRenamedData,
  LoggedEvent,
  UserCreatedData,
  UserDeletedData,
  UserUpdatedData,
} from '#roster/events';
import type { Projection } from '#roster/projector';
import { createDirectoryTables } from './directory-tables.js';
import { USER_COLUMN_NAMES, userColumns, userEmails } from './user-columns.js';

type Handler = (client: PoolClient, events: LoggedEvent[]) => Promise<void>;

/** Builds the directory read model (users, groups, memberships) that answers SCIM reads. */
export class DirectoryProjection implements Projection {
  readonly name = 'directory';

  private readonly handlers: Partial<Record<LoggedEvent['type'], Handler>> = {
    UserCreated: (client, events) => this.usersCreated(client, events as LoggedEvent<UserCreatedData>[]),
    UserUpdated: (client, events) => each(events as LoggedEvent<UserUpdatedData>[], (event) => this.userUpdated(client, event)),
    UserSuspended: (client, events) => each(events, (event) => this.userActivity(client, event, false)),
    UserReactivated: (client, events) => each(events, (event) => this.userActivity(client, event, true)),
    UserDeleted: (client, events) => each(events as LoggedEvent<UserDeletedData>[], (event) => this.userDeleted(client, event)),
    GroupCreated: (client, events) => each(events as LoggedEvent<GroupCreatedData>[], (event) => this.groupCreated(client, event)),
    GroupRenamed: (client, events) => each(events as LoggedEvent<GroupRenamedData>[], (event) => this.groupRenamed(client, event)),
    GroupExternalIdChanged: (client, events) =>
      each(events as LoggedEvent<GroupExternalIdChangedData>[], (event) => this.groupExternalIdChanged(client, event)),
    GroupMemberAdded: (client, events) => this.membersChanged(client, events as LoggedEvent<GroupMemberAddedData>[], 'added'),
    GroupMemberRemoved: (client, events) => this.membersChanged(client, events as LoggedEvent<GroupMemberRemovedData>[], 'removed'),
    GroupDeleted: (client, events) => each(events, (event) => this.groupDeleted(client, event)),
  };

  createTables(client: PoolClient): Promise<void> {
    return createDirectoryTables(client);
  }

  /** Applies the batch in order, one statement per run of consecutive events of the same type. */
  async apply(client: PoolClient, events: LoggedEvent[]): Promise<void> {
    let start = 0;
    while (start < events.length) {
      let end = start + 1;
      while (end < events.length && events[end].type === events[start].type) end++;
      await this.handlers[events[start].type]?.(client, events.slice(start, end));
      start = end;
    }
  }

  /** Inserts the users (a replayed creation finds its row and changes nothing) and the emails of the new ones. */
  private async usersCreated(client: PoolClient, events: LoggedEvent<UserCreatedData>[]) {
    const rows = events.map((event) => ({ event, columns: userColumns(event.data.attributes), emails: userEmails(event.data.attributes) }));
    const emails = rows.flatMap(({ event, emails }) => emails.map((email) => ({ userId: event.data.userId, ...email })));
    const columnArrays = USER_COLUMN_NAMES.map((name) => rows.map((row) => row.columns[name]));
    const first = 12;
    await client.query({
      name: 'directory-users-created',
      text: `WITH inserted AS (
               INSERT INTO users (tailnet_id, id, resource, version, created_at, last_modified, ${USER_COLUMN_NAMES.join(', ')})
               SELECT u.tailnet_id, u.id, u.resource, u.version, u.time, u.time, ${USER_COLUMN_NAMES.map((name) => `u.${name}`).join(', ')}
                 FROM unnest($1::uuid[], $2::uuid[], $3::json[], $4::int[], $5::timestamptz[],
                             ${USER_COLUMN_NAMES.map((name, i) => `$${i + first}::${name === 'active' ? 'boolean' : 'text'}[]`).join(', ')})
                      AS u(tailnet_id, id, resource, version, time, ${USER_COLUMN_NAMES.join(', ')})
               ON CONFLICT (tailnet_id, id) DO NOTHING
               RETURNING tailnet_id, id)
             INSERT INTO user_emails (tailnet_id, user_id, ordinal, value, type, "primary", display)
             SELECT i.tailnet_id, e.user_id, e.ordinal, e.value, e.type, e.is_primary, e.display
               FROM unnest($6::uuid[], $7::int[], $8::text[], $9::text[], $10::boolean[], $11::text[])
                    AS e(user_id, ordinal, value, type, is_primary, display)
               JOIN inserted i ON i.id = e.user_id`,
      values: [
        events.map((event) => event.tailnetId),
        events.map((event) => event.data.userId),
        events.map((event) => JSON.stringify(event.data.attributes)),
        events.map((event) => event.aggregateVersion),
        events.map((event) => event.time),
        emails.map((email) => email.userId),
        ...emailArrays(emails),
        ...columnArrays,
      ],
    });
  }

  /** Every change below is guarded by the row's version, so an event applied twice changes nothing the second time. */
  private async userUpdated(client: PoolClient, event: LoggedEvent<UserUpdatedData>) {
    const { userId, attributes } = event.data;
    const columns = userColumns(attributes);
    const first = 6;
    const { rowCount } = await client.query({
      name: 'directory-user-updated',
      text: `UPDATE users SET resource = $3, version = $4, last_modified = $5,
                    ${USER_COLUMN_NAMES.map((name, i) => `${name} = $${i + first}`).join(', ')}
              WHERE tailnet_id = $1 AND id = $2 AND version < $4`,
      values: [event.tailnetId, userId, JSON.stringify(attributes), event.aggregateVersion, event.time, ...Object.values(columns)],
    });
    if (rowCount === 0) return;
    // Two statements: a row deleted and re-inserted under the same key within one statement would collide.
    await client.query('DELETE FROM user_emails WHERE tailnet_id = $1 AND user_id = $2', [event.tailnetId, userId]);
    await client.query({
      name: 'directory-user-emails-inserted',
      text: `INSERT INTO user_emails (tailnet_id, user_id, ordinal, value, type, "primary", display)
             SELECT $1, $2, e.* FROM unnest($3::int[], $4::text[], $5::text[], $6::boolean[], $7::text[]) AS e`,
      values: [event.tailnetId, userId, ...emailArrays(userEmails(attributes))],
    });
  }

  private async userActivity(client: PoolClient, event: LoggedEvent, active: boolean) {
    await client.query({
      name: 'directory-user-activity',
      text: `UPDATE users SET active = $3, version = $4, last_modified = $5,
                    resource = (resource::jsonb || jsonb_build_object('active', $3::boolean))::json
              WHERE tailnet_id = $1 AND id = $2 AND version < $4`,
      values: [event.tailnetId, event.aggregateId, active, event.aggregateVersion, event.time],
    });
  }

  private async userDeleted(client: PoolClient, event: LoggedEvent<UserDeletedData>) {
    await client.query({
      name: 'directory-user-deleted',
      text: `WITH emails AS (DELETE FROM user_emails WHERE tailnet_id = $1 AND user_id = $2),
                  memberships AS (DELETE FROM group_members WHERE tailnet_id = $1 AND user_id = $2)
             DELETE FROM users WHERE tailnet_id = $1 AND id = $2 AND version < $3`,
      values: [event.tailnetId, event.data.userId, event.aggregateVersion],
    });
  }

  private async groupCreated(client: PoolClient, event: LoggedEvent<GroupCreatedData>) {
    const { groupId, displayName, externalId } = event.data;
    await client.query({
      name: 'directory-group-created',
      text: `INSERT INTO groups (tailnet_id, id, display_name, external_id, version, created_at, last_modified)
             VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (tailnet_id, id) DO NOTHING`,
      values: [event.tailnetId, groupId, displayName, externalId, event.aggregateVersion, event.time],
    });
  }

  private async groupRenamed(client: PoolClient, event: LoggedEvent<GroupRenamedData>) {
    await client.query({
      name: 'directory-group-renamed',
      text: `UPDATE groups SET display_name = $3, version = $4, last_modified = $5
              WHERE tailnet_id = $1 AND id = $2 AND version < $4`,
      values: [event.tailnetId, event.data.groupId, event.data.to, event.aggregateVersion, event.time],
    });
  }

  private async groupExternalIdChanged(client: PoolClient, event: LoggedEvent<GroupExternalIdChangedData>) {
    await client.query({
      name: 'directory-group-external-id',
      text: `UPDATE groups SET external_id = $3, version = $4, last_modified = $5
              WHERE tailnet_id = $1 AND id = $2 AND version < $4`,
      values: [event.tailnetId, event.data.groupId, event.data.externalId, event.aggregateVersion, event.time],
    });
  }

  /**
   * A run of member events (a 5,000-member PATCH arrives as one run) becomes one statement per group: the group's
   * version guard is checked against the run's first event, so a run applied twice changes nothing.
   */
  private async membersChanged(client: PoolClient, events: LoggedEvent<GroupMemberAddedData | GroupMemberRemovedData>[], change: 'added' | 'removed') {
    const byGroup = new Map<string, LoggedEvent<GroupMemberAddedData | GroupMemberRemovedData>[]>();
    for (const event of events) byGroup.set(event.data.groupId, [...(byGroup.get(event.data.groupId) ?? []), event]);
    for (const [groupId, run] of byGroup) {
      const first = run[0];
      const last = run[run.length - 1];
      const memberChange =
        change === 'added'
          ? `INSERT INTO group_members (tailnet_id, group_id, user_id)
             SELECT $1, $2, u FROM unnest($3::uuid[]) AS u WHERE EXISTS (SELECT 1 FROM guarded)
             ON CONFLICT DO NOTHING`
          : `DELETE FROM group_members m USING unnest($3::uuid[]) AS u
              WHERE EXISTS (SELECT 1 FROM guarded) AND m.tailnet_id = $1 AND m.group_id = $2 AND m.user_id = u`;
      await client.query({
        name: `directory-members-${change}`,
        text: `WITH guarded AS (
                 UPDATE groups SET version = $5, last_modified = $6
                  WHERE tailnet_id = $1 AND id = $2 AND version < $4 RETURNING 1)
               ${memberChange}`,
        values: [first.tailnetId, groupId, run.map((event) => event.data.userId), first.aggregateVersion, last.aggregateVersion, last.time],
      });
    }
  }

  private async groupDeleted(client: PoolClient, event: LoggedEvent) {
    await client.query({
      name: 'directory-group-deleted',
      text: `WITH members AS (DELETE FROM group_members WHERE tailnet_id = $1 AND group_id = $2)
             DELETE FROM groups WHERE tailnet_id = $1 AND id = $2 AND version < $3`,
      values: [event.tailnetId, event.aggregateId, event.aggregateVersion],
    });
  }
}


async function each<T>(events: T[], apply: (event: T) => Promise<void>): Promise<void> {
  for (const event of events) await apply(event);
}

function emailArrays(emails: ReturnType<typeof userEmails>) {
  return [
    emails.map((email) => email.ordinal),
    emails.map((email) => email.value),
    emails.map((email) => email.type),
    emails.map((email) => email.primary),
    emails.map((email) => email.display),
  ];
}