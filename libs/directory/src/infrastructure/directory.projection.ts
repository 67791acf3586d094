import type { PoolClient } from 'pg';
import type { LoggedEvent, UserCreatedData } from '#roster/events';
import type { Projection } from '#roster/projector';
import { createDirectoryTables } from './directory-tables.js';
import { userColumns, userEmails } from './user-columns.js';

/** Builds the directory read model (users, groups, memberships) that answers SCIM reads. */
export class DirectoryProjection implements Projection {
  readonly name = 'directory';

  createTables(client: PoolClient): Promise<void> {
    return createDirectoryTables(client);
  }

  async apply(client: PoolClient, events: LoggedEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'UserCreated') await this.userCreated(client, event as LoggedEvent<UserCreatedData>);
    }
  }

  private async userCreated(client: PoolClient, event: LoggedEvent<UserCreatedData>) {
    const { userId, attributes } = event.data;
    const columns = userColumns(attributes);
    const names = Object.keys(columns);
    const inserted = await client.query(
      `INSERT INTO users (tailnet_id, id, resource, version, created_at, last_modified, ${names.join(', ')})
       VALUES ($1, $2, $3, $4, $5, $5, ${names.map((_, i) => `$${i + 6}`).join(', ')})
       ON CONFLICT (tailnet_id, id) DO NOTHING`,
      [event.tailnetId, userId, JSON.stringify(attributes), event.aggregateVersion, event.time, ...Object.values(columns)],
    );
    if (inserted.rowCount === 0) return;
    await replaceEmails(client, event.tailnetId, userId, userEmails(attributes));
  }
}

async function replaceEmails(client: PoolClient, tailnetId: string, userId: string, emails: ReturnType<typeof userEmails>) {
  await client.query('DELETE FROM user_emails WHERE tailnet_id = $1 AND user_id = $2', [tailnetId, userId]);
  if (emails.length === 0) return;
  await client.query(
    `INSERT INTO user_emails (tailnet_id, user_id, ordinal, value, type, "primary", display)
     SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[], $6::boolean[], $7::text[])`,
    [
      tailnetId,
      userId,
      emails.map((email) => email.ordinal),
      emails.map((email) => email.value),
      emails.map((email) => email.type),
      emails.map((email) => email.primary),
      emails.map((email) => email.display),
    ],
  );
}
