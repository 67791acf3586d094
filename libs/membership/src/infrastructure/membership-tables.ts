/**
 * The membership projection's state: what it needs to spell out consequences (who is in each group, user names
 * and activity) and each group's sequence number. Lives in the projection's schema, so `roster replay` can
 * rebuild it beside the live one.
 */
export async function createMembershipTables(client: { query(text: string): Promise<unknown> }): Promise<void> {
  await client.query(`
    CREATE TABLE IF NOT EXISTS groups (
      tailnet_id uuid NOT NULL,
      id uuid NOT NULL,
      name text NOT NULL,
      sequence bigint NOT NULL,
      member_count integer NOT NULL,
      PRIMARY KEY (tailnet_id, id)
    );
    CREATE UNIQUE INDEX IF NOT EXISTS groups_id ON groups (id);

    CREATE TABLE IF NOT EXISTS users (
      tailnet_id uuid NOT NULL,
      id uuid NOT NULL,
      user_name text NOT NULL,
      active boolean NOT NULL,
      PRIMARY KEY (tailnet_id, id)
    );
    CREATE UNIQUE INDEX IF NOT EXISTS users_id ON users (id);

    CREATE TABLE IF NOT EXISTS members (
      tailnet_id uuid NOT NULL,
      group_id uuid NOT NULL,
      user_id uuid NOT NULL,
      PRIMARY KEY (tailnet_id, group_id, user_id)
    );
    CREATE INDEX IF NOT EXISTS members_group ON members (group_id);
    CREATE INDEX IF NOT EXISTS members_user ON members (user_id);
  `);
  await createMembershipOutbox(client);
}

/**
 * The public events waiting to be published. Outside the projection's schema on purpose: a replay swaps that
 * schema, and must neither lose events still waiting here nor publish a second copy of anything.
 */
export const MEMBERSHIP_OUTBOX = 'membership_feed.outbox';

export async function createMembershipOutbox(client: { query(text: string): Promise<unknown> }): Promise<void> {
  await client.query(`
    CREATE SCHEMA IF NOT EXISTS membership_feed;
    CREATE TABLE IF NOT EXISTS ${MEMBERSHIP_OUTBOX} (
      id bigserial PRIMARY KEY,
      group_id uuid NOT NULL,
      sequence bigint NOT NULL,
      event json NOT NULL,
      UNIQUE (group_id, sequence)
    );
  `);
}
