/**
 * The node read model, created in the current `search_path` (schema `nodes` when live, a fresh schema when
 * rebuilt). `owners` mirrors the users' states so that a node registered later knows its owner's.
 */
export async function createNodesTables(db: { query(text: string): Promise<unknown> }): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS owners (
      tailnet_id uuid NOT NULL,
      user_id uuid NOT NULL,
      user_name text NOT NULL,
      state text NOT NULL CHECK (state IN ('active', 'suspended', 'deleted')),
      since timestamptz NOT NULL,
      PRIMARY KEY (tailnet_id, user_id)
    )`);
  await db.query(`CREATE INDEX IF NOT EXISTS owners_user_name ON owners (tailnet_id, lower(user_name))`);
  await db.query(`
    CREATE TABLE IF NOT EXISTS nodes (
      tailnet_id uuid NOT NULL,
      id uuid NOT NULL,
      owner_user_id uuid,
      tags text[] NOT NULL,
      hostname text NOT NULL,
      ipv4 text NOT NULL,
      node_key text NOT NULL,
      key_expiry timestamptz NOT NULL,
      key_expiry_disabled boolean NOT NULL,
      key_expired boolean NOT NULL,
      access_state text NOT NULL CHECK (access_state IN ('active', 'key-expired', 'owner-suspended', 'owner-deleted')),
      access_since timestamptz NOT NULL,
      version integer NOT NULL,
      created_at timestamptz NOT NULL,
      last_modified timestamptz NOT NULL,
      PRIMARY KEY (tailnet_id, id)
    )`);
  await db.query(`CREATE INDEX IF NOT EXISTS nodes_owner ON nodes (tailnet_id, owner_user_id)`);
  await db.query(`CREATE INDEX IF NOT EXISTS nodes_access ON nodes (tailnet_id, access_state)`);
  // "expiring before" lists, per tailnet.
  await db.query(`CREATE INDEX IF NOT EXISTS nodes_expiry ON nodes (tailnet_id, key_expiry, id) WHERE NOT key_expiry_disabled`);
  // The sweeper's next-due lookup and its sweeps, across tailnets: only keys still waiting to expire.
  await db.query(`CREATE INDEX IF NOT EXISTS nodes_due ON nodes (key_expiry, tailnet_id, id) WHERE NOT key_expiry_disabled AND NOT key_expired`);
  await db.query(`
    CREATE TABLE IF NOT EXISTS node_history (
      tailnet_id uuid NOT NULL,
      node_id uuid NOT NULL,
      position bigint NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      time timestamptz NOT NULL,
      access_state text NOT NULL,
      detail json NOT NULL,
      actor json NOT NULL,
      PRIMARY KEY (tailnet_id, node_id, position)
    )`);
}
