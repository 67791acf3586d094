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
    const emails = userEmails(attributes);
    const first = 11;
    await client.query({
      name: 'directory-user-created',
      text: `WITH inserted AS (
         INSERT INTO users (tailnet_id, id, resource, version, created_at, last_modified, ${names.join(', ')})
         VALUES ($1, $2, $3, $4, $5, $5, ${names.map((_, i) => `$${i + first}`).join(', ')})
         ON CONFLICT (tailnet_id, id) DO NOTHING
         RETURNING 1)
       INSERT INTO user_emails (tailnet_id, user_id, ordinal, value, type, "primary", display)
       SELECT $1, $2, e.* FROM unnest($6::int[], $7::text[], $8::text[], $9::boolean[], $10::text[]) AS e
        WHERE EXISTS (SELECT 1 FROM inserted)`,
      values: [
        event.tailnetId,
        userId,
        JSON.stringify(attributes),
        event.aggregateVersion,
        event.time,
        emails.map((email) => email.ordinal),
        emails.map((email) => email.value),
        emails.map((email) => email.type),
        emails.map((email) => email.primary),
        emails.map((email) => email.display),
        ...Object.values(columns),
      ],
    });
  }
}
