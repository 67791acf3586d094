import type { PoolClient } from 'pg';
import type { LoggedEvent, UserAttributes } from '#roster/events';
import type { Projection } from '#roster/projector';
import { DirectoryBatch, type GroupChange, type MembershipChange, type UserChange } from './directory-batch.js';
import { createDirectoryTables } from './directory-tables.js';
import { USER_COLUMN_NAMES, userColumns, userEmails } from './user-columns.js';

const USER_COLUMNS = USER_COLUMN_NAMES.join(', ');
const userColumnArrays = (first: number) =>
  USER_COLUMN_NAMES.map((name, i) => `$${i + first}::${name === 'active' ? 'boolean' : 'text'}[]`).join(', ');
/** The stored resource: the attributes as sent, with `active` merged in when a (de)activation came after them. */
const RESOURCE = `CASE WHEN u.merge_active THEN (u.resource::jsonb || jsonb_build_object('active', u.active))::json ELSE u.resource END`;

/**
 * Builds the directory read model (users, groups, memberships) that answers SCIM reads. A batch is folded into
 * its net effect first (DirectoryBatch), then written with at most six set-based statements, so a rebuild
 * from the log goes at bulk-load speed rather than one round trip per event. Version guards keep every
 * statement a no-op for a batch applied twice.
 */
export class DirectoryProjection implements Projection {
  readonly name = 'directory';

  createTables(client: PoolClient): Promise<void> {
    return createDirectoryTables(client);
  }

  async apply(client: PoolClient, events: LoggedEvent[]): Promise<void> {
    const batch = new DirectoryBatch(events);
    if (batch.users.size === 0 && batch.groups.size === 0) return;
    const users = [...batch.users.values()];
    const groups = [...batch.groups.values()];
    await this.deleted(client, users.filter((u) => u.deleted), groups.filter((g) => g.deleted));
    await this.usersCreated(client, users.filter((u) => u.createdAt && !u.deleted));
    await this.usersReplaced(client, users.filter((u) => !u.createdAt && !u.deleted && u.attributes));
    await this.usersActivity(client, users.filter((u) => !u.createdAt && !u.deleted && !u.attributes && u.activeOverride !== undefined));
    await this.groupsWritten(client, groups.filter((g) => !g.deleted));
    await this.membershipsWritten(client, [...batch.memberships.values()]);
  }

  /** Deleted users and groups, with their emails and every stored membership. */
  private async deleted(client: PoolClient, users: UserChange[], groups: GroupChange[]) {
    if (users.length === 0 && groups.length === 0) return;
    await client.query({
      name: 'directory-deleted',
      text: `WITH gone_users AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS d(tailnet_id, id, version)),
                  gone_groups AS (SELECT * FROM unnest($4::uuid[], $5::uuid[], $6::int[]) AS d(tailnet_id, id, version)),
                  emails AS (DELETE FROM user_emails e USING gone_users d WHERE e.tailnet_id = d.tailnet_id AND e.user_id = d.id),
                  -- Two deletes, each by an index: one with OR scanned every membership of the database.
                  users_memberships AS (
                    DELETE FROM group_members m USING gone_users d WHERE m.tailnet_id = d.tailnet_id AND m.user_id = d.id),
                  groups_memberships AS (
                    DELETE FROM group_members m USING gone_groups d WHERE m.tailnet_id = d.tailnet_id AND m.group_id = d.id),
                  users_deleted AS (
                    DELETE FROM users u USING gone_users d WHERE u.tailnet_id = d.tailnet_id AND u.id = d.id AND u.version < d.version)
             DELETE FROM groups g USING gone_groups d WHERE g.tailnet_id = d.tailnet_id AND g.id = d.id AND g.version < d.version`,
      values: [
        users.map((u) => u.tailnetId),
        users.map((u) => u.userId),
        users.map((u) => u.version),
        groups.map((g) => g.tailnetId),
        groups.map((g) => g.groupId),
        groups.map((g) => g.version),
      ],
    });
  }

  /** Users the batch created, in their final state (a replayed creation finds its row and changes nothing). */
  private async usersCreated(client: PoolClient, users: UserChange[]) {
    if (users.length === 0) return;
    const rows = users.map((user) => finalUser(user));
    const emails = users.flatMap((user) => userEmails(user.attributes!).map((email) => ({ userId: user.userId, ...email })));
    const first = 14;
    await client.query({
      name: 'directory-users-created',
      text: `WITH inserted AS (
               INSERT INTO users (tailnet_id, id, resource, version, created_at, last_modified, ${USER_COLUMNS})
               SELECT u.tailnet_id, u.id, ${RESOURCE}, u.version, u.created_at, u.last_modified, ${USER_COLUMN_NAMES.map((name) => `u.${name}`).join(', ')}
                 FROM unnest($1::uuid[], $2::uuid[], $3::json[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::boolean[],
                             ${userColumnArrays(first)})
                      AS u(tailnet_id, id, resource, version, created_at, last_modified, merge_active, ${USER_COLUMNS})
               ON CONFLICT (tailnet_id, id) DO NOTHING
               RETURNING tailnet_id, id)
             INSERT INTO user_emails (tailnet_id, user_id, ordinal, value, type, "primary", display)
             SELECT i.tailnet_id, e.user_id, e.ordinal, e.value, e.type, e.is_primary, e.display
               FROM unnest($8::uuid[], $9::int[], $10::text[], $11::text[], $12::boolean[], $13::text[])
                    AS e(user_id, ordinal, value, type, is_primary, display)
               JOIN inserted i ON i.id = e.user_id`,
      values: [
        users.map((u) => u.tailnetId),
        users.map((u) => u.userId),
        users.map((u) => JSON.stringify(u.attributes)),
        users.map((u) => u.version),
        users.map((u) => u.createdAt),
        users.map((u) => u.lastModified),
        users.map((u) => u.activeOverride !== undefined),
        emails.map((email) => email.userId),
        ...emailArrays(emails),
        ...USER_COLUMN_NAMES.map((name) => rows.map((row) => row[name])),
      ],
    });
  }

  /**
   * Users whose attributes the batch replaced: every column, and their emails (only where the row changed), in
   * one statement. The emails are upserted by ordinal and only the surplus ones deleted, so no row is deleted and
   * re-inserted under the same key, which one statement could not do.
   */
  private async usersReplaced(client: PoolClient, users: UserChange[]) {
    if (users.length === 0) return;
    const rows = users.map((user) => finalUser(user));
    const emails = users.flatMap((user) => userEmails(user.attributes!).map((email) => ({ userId: user.userId, ...email })));
    const first = 13;
    await client.query({
      name: 'directory-users-replaced',
      text: `WITH replaced AS (
               UPDATE users t SET resource = ${RESOURCE}, version = u.version, last_modified = u.last_modified,
                      ${USER_COLUMN_NAMES.map((name) => `${name} = u.${name}`).join(', ')}
                 FROM unnest($1::uuid[], $2::uuid[], $3::json[], $4::int[], $5::timestamptz[], $6::boolean[], ${userColumnArrays(first)})
                      AS u(tailnet_id, id, resource, version, last_modified, merge_active, ${USER_COLUMNS})
                WHERE t.tailnet_id = u.tailnet_id AND t.id = u.id AND t.version < u.version
                RETURNING t.tailnet_id, t.id),
             emails AS (
               SELECT r.tailnet_id, e.* FROM unnest($7::uuid[], $8::int[], $9::text[], $10::text[], $11::boolean[], $12::text[])
                      AS e(user_id, ordinal, value, type, is_primary, display)
                 JOIN replaced r ON r.id = e.user_id),
             surplus AS (
               DELETE FROM user_emails x USING replaced r
                WHERE x.tailnet_id = r.tailnet_id AND x.user_id = r.id
                  AND NOT EXISTS (SELECT 1 FROM emails e WHERE e.user_id = x.user_id AND e.ordinal = x.ordinal))
             INSERT INTO user_emails (tailnet_id, user_id, ordinal, value, type, "primary", display)
             SELECT tailnet_id, user_id, ordinal, value, type, is_primary, display FROM emails
             ON CONFLICT (tailnet_id, user_id, ordinal) DO UPDATE
               SET value = EXCLUDED.value, type = EXCLUDED.type, "primary" = EXCLUDED."primary", display = EXCLUDED.display`,
      values: [
        users.map((u) => u.tailnetId),
        users.map((u) => u.userId),
        users.map((u) => JSON.stringify(u.attributes)),
        users.map((u) => u.version),
        users.map((u) => u.lastModified),
        users.map((u) => u.activeOverride !== undefined),
        emails.map((email) => email.userId),
        ...emailArrays(emails),
        ...USER_COLUMN_NAMES.map((name) => rows.map((row) => row[name])),
      ],
    });
  }

  /** Users the batch only suspended or reactivated. */
  private async usersActivity(client: PoolClient, users: UserChange[]) {
    if (users.length === 0) return;
    await client.query({
      name: 'directory-users-activity',
      text: `UPDATE users t SET active = u.active, version = u.version, last_modified = u.last_modified,
                    resource = (t.resource::jsonb || jsonb_build_object('active', u.active))::json
               FROM unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::int[], $5::timestamptz[]) AS u(tailnet_id, id, active, version, last_modified)
              WHERE t.tailnet_id = u.tailnet_id AND t.id = u.id AND t.version < u.version`,
      values: [
        users.map((u) => u.tailnetId),
        users.map((u) => u.userId),
        users.map((u) => u.activeOverride),
        users.map((u) => u.version),
        users.map((u) => u.lastModified),
      ],
    });
  }

  /** Groups created (final state) and groups renamed, re-identified or whose members changed (new version). */
  private async groupsWritten(client: PoolClient, groups: GroupChange[]) {
    if (groups.length === 0) return;
    await client.query({
      name: 'directory-groups-written',
      text: `WITH changes AS (
               SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::boolean[], $5::text[], $6::int[], $7::timestamptz[], $8::timestamptz[])
                 AS c(tailnet_id, id, display_name, external_id_changed, external_id, version, created_at, last_modified)),
             created AS (
               INSERT INTO groups (tailnet_id, id, display_name, external_id, version, created_at, last_modified)
               SELECT tailnet_id, id, display_name, external_id, version, created_at, last_modified FROM changes WHERE created_at IS NOT NULL
               ON CONFLICT (tailnet_id, id) DO NOTHING)
             UPDATE groups g SET display_name = coalesce(c.display_name, g.display_name),
                    external_id = CASE WHEN c.external_id_changed THEN c.external_id ELSE g.external_id END,
                    version = c.version, last_modified = c.last_modified
               FROM changes c
              WHERE c.created_at IS NULL AND g.tailnet_id = c.tailnet_id AND g.id = c.id AND g.version < c.version`,
      values: [
        groups.map((g) => g.tailnetId),
        groups.map((g) => g.groupId),
        groups.map((g) => g.displayName ?? null),
        groups.map((g) => g.externalIdChanged),
        groups.map((g) => g.externalId),
        groups.map((g) => g.version),
        groups.map((g) => g.createdAt ?? null),
        groups.map((g) => g.lastModified),
      ],
    });
  }

  /**
   * The batch's memberships as they stand after it. A membership of a group that exists nowhere (not stored, not
   * created by the batch) is dropped, as the group's own events would be.
   */
  private async membershipsWritten(client: PoolClient, memberships: MembershipChange[]) {
    if (memberships.length === 0) return;
    const added = memberships.filter((m) => m.present);
    const removed = memberships.filter((m) => !m.present);
    await client.query({
      name: 'directory-memberships-written',
      text: `WITH removed AS (
               DELETE FROM group_members m USING unnest($4::uuid[], $5::uuid[], $6::uuid[]) AS r(tailnet_id, group_id, user_id)
                WHERE m.tailnet_id = r.tailnet_id AND m.group_id = r.group_id AND m.user_id = r.user_id)
             INSERT INTO group_members (tailnet_id, group_id, user_id)
             SELECT a.tailnet_id, a.group_id, a.user_id FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS a(tailnet_id, group_id, user_id)
              WHERE EXISTS (SELECT 1 FROM groups g WHERE g.tailnet_id = a.tailnet_id AND g.id = a.group_id)
             ON CONFLICT DO NOTHING`,
      values: [
        added.map((m) => m.tailnetId),
        added.map((m) => m.groupId),
        added.map((m) => m.userId),
        removed.map((m) => m.tailnetId),
        removed.map((m) => m.groupId),
        removed.map((m) => m.userId),
      ],
    });
  }
}

/** The user's filterable columns after the batch: from its last attributes, `active` from a later (de)activation. */
function finalUser(user: UserChange) {
  const columns = userColumns(user.attributes as UserAttributes);
  return user.activeOverride === undefined ? columns : { ...columns, active: user.activeOverride };
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
