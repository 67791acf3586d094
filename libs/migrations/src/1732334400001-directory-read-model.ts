import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createDirectoryTables } from '#roster/directory';
import { CHECKPOINT_TABLE_DDL } from '#roster/projector';

/**
 * The live directory read model, in schema `directory`. The projection's own DDL is used, the same a rebuild into
 * a fresh schema uses, so the two never drift apart.
 */
export class DirectoryReadModel1732334400001 implements MigrationInterface {
  name = 'DirectoryReadModel1732334400001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE SCHEMA IF NOT EXISTS directory');
    await runner.query('SET LOCAL search_path TO directory, public');
    await runner.query(CHECKPOINT_TABLE_DDL);
    await createDirectoryTables(runner);
    await runner.query('SET LOCAL search_path TO public');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP SCHEMA directory CASCADE');
  }
}
