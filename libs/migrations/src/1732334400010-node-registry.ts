import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createNodesTables } from '#roster/nodes';
import { CHECKPOINT_TABLE_DDL } from '#roster/projector';

/**
 * The tailnet's default key duration (Tailscale: 180 days, 1–180) and the live node read model in schema `nodes`,
 * created with the projection's own DDL, as for the directory.
 */
export class NodeRegistry1732334400010 implements MigrationInterface {
  name = 'NodeRegistry1732334400010';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE control.tailnets
      ADD COLUMN devices_key_duration_days integer NOT NULL DEFAULT 180 CHECK (devices_key_duration_days BETWEEN 1 AND 180)`);
    await runner.query('CREATE SCHEMA IF NOT EXISTS nodes');
    await runner.query('SET LOCAL search_path TO nodes, public');
    await runner.query(CHECKPOINT_TABLE_DDL);
    await createNodesTables(runner);
    await runner.query('SET LOCAL search_path TO public');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP SCHEMA nodes CASCADE');
    await runner.query('ALTER TABLE control.tailnets DROP COLUMN devices_key_duration_days');
  }
}
