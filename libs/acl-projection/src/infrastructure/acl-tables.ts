/**
 * The ACL projector's facts (schema `acl`): what its in-memory Worlds are rebuilt from at start-up, so a restart
 * reads a few tables instead of replaying the log. Compiled policies are not stored: compiling from the facts takes
 * well under a second even for a 100,000-node tailnet.
 */
export async function createAclTables(client: { query(text: string): Promise<unknown> }): Promise<void> {
  await client.query(`
    CREATE TABLE IF NOT EXISTS tailnets (
      tailnet_id uuid PRIMARY KEY,
      domain text
    );
    CREATE TABLE IF NOT EXISTS users (
      tailnet_id uuid NOT NULL,
      user_id uuid NOT NULL,
      login text NOT NULL,
      state text NOT NULL,
      PRIMARY KEY (tailnet_id, user_id)
    );
    CREATE TABLE IF NOT EXISTS groups (
      tailnet_id uuid NOT NULL,
      group_id uuid NOT NULL,
      display_name text NOT NULL,
      PRIMARY KEY (tailnet_id, group_id)
    );
    CREATE TABLE IF NOT EXISTS group_members (
      tailnet_id uuid NOT NULL,
      group_id uuid NOT NULL,
      user_id uuid NOT NULL,
      PRIMARY KEY (tailnet_id, group_id, user_id)
    );
    -- A deleted user's memberships are found by user.
    CREATE INDEX IF NOT EXISTS group_members_user ON group_members (tailnet_id, user_id);
    CREATE TABLE IF NOT EXISTS group_name_changes (
      tailnet_id uuid NOT NULL,
      position bigint NOT NULL,
      seq integer NOT NULL,
      group_id uuid NOT NULL,
      kind text NOT NULL,
      from_name text NOT NULL,
      to_name text,
      actor json NOT NULL,
      time timestamptz NOT NULL,
      PRIMARY KEY (tailnet_id, position, seq)
    );
    CREATE TABLE IF NOT EXISTS nodes (
      tailnet_id uuid NOT NULL,
      node_id text NOT NULL,
      owner_user_id uuid,
      tags text[] NOT NULL,
      ipv4 text NOT NULL,
      key_expired boolean NOT NULL,
      owner_access text,
      PRIMARY KEY (tailnet_id, node_id)
    );
    CREATE TABLE IF NOT EXISTS policies (
      tailnet_id uuid PRIMARY KEY,
      policy text NOT NULL,
      sha256 text NOT NULL,
      updated timestamptz NOT NULL
    );
  `);
}
