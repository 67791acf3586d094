import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Control plane (tailnets, credentials) and the write side (aggregate state, uniqueness claims, the outbox).
 * Read models are not here: each projection owns its tables (see libs/projector) and rebuilds them from the log.
 * Columns that are only stored and handed back (aggregate state, event data) are `json`, not `jsonb`: nothing
 * queries inside them, and `json` costs far less to write and to read back verbatim.
 */
export class InitialSchema1732334400000 implements MigrationInterface {
  name = 'InitialSchema1732334400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE SCHEMA IF NOT EXISTS control`);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS writes`);
    await runner.query(`
      CREATE TABLE control.tailnets (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        domain text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE UNIQUE INDEX tailnets_name_key ON control.tailnets (lower(name))`);
    await runner.query(`
      CREATE TABLE control.api_tokens (
        id text PRIMARY KEY,
        tailnet_id uuid NOT NULL REFERENCES control.tailnets (id),
        kind text NOT NULL CHECK (kind IN ('scim', 'admin')),
        secret_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await runner.query(`CREATE INDEX api_tokens_tailnet ON control.api_tokens (tailnet_id, kind) WHERE revoked_at IS NULL`);

    await runner.query(`
      CREATE TABLE writes.aggregates (
        aggregate_id uuid PRIMARY KEY,
        tailnet_id uuid NOT NULL,
        aggregate_type text NOT NULL,
        version integer NOT NULL,
        state json NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One row per value that must be unique in a tailnet (scope `userName`, later `groupName`), claimed in the
    // same statement that saves the aggregate, so two concurrent creates cannot both win.
    await runner.query(`
      CREATE TABLE writes.unique_claims (
        tailnet_id uuid NOT NULL,
        scope text NOT NULL,
        key text NOT NULL,
        aggregate_id uuid NOT NULL,
        PRIMARY KEY (tailnet_id, scope, key)
      )`);
    await runner.query(`
      CREATE TABLE writes.outbox (
        seq bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        tailnet_id uuid NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id uuid NOT NULL,
        aggregate_version integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor json NOT NULL,
        correlation_id text NOT NULL,
        causation_id text,
        data json NOT NULL
      )`);
    // The last log position the relay handed out, and the batch it is sending (positions first…first+n-1, in seq
    // order), so a relay that takes over knows what may already be on Kafka. Only the relay leader updates it.
    await runner.query(`
      CREATE TABLE writes.relay_state (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        last_position bigint NOT NULL,
        inflight_seqs bigint[] NOT NULL DEFAULT '{}',
        inflight_first_position bigint
      )`);
    await runner.query(`INSERT INTO writes.relay_state (last_position) VALUES (0)`);
    await runner.query(`
      CREATE TABLE writes.read_fences (
        projection text NOT NULL,
        tailnet_id uuid NOT NULL,
        aggregate_id uuid NOT NULL,
        version integer NOT NULL,
        PRIMARY KEY (projection, tailnet_id, aggregate_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA writes CASCADE`);
    await runner.query(`DROP SCHEMA control CASCADE`);
  }
}
