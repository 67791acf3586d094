import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createDirectoryTables, PAGED_DIRECTORY_INDEXES, SUPERSEDED_DIRECTORY_INDEXES } from '#roster/directory';

/**
 * The live directory read model gets the paged filter indexes of the current DDL (see directory-tables.ts) and
 * loses the ones they replace; a rebuild into a fresh schema gets the same from the DDL alone.
 */
export class DirectoryPagedIndexes1732334400011 implements MigrationInterface {
  name = 'DirectoryPagedIndexes1732334400011';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('SET LOCAL search_path TO directory, public');
    await createDirectoryTables(runner);
    for (const index of SUPERSEDED_DIRECTORY_INDEXES) await runner.query(`DROP INDEX IF EXISTS directory.${index}`);
    await runner.query('SET LOCAL search_path TO public');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE INDEX IF NOT EXISTS users_user_name ON directory.users (tailnet_id, lower(user_name));
      CREATE INDEX IF NOT EXISTS users_external_id ON directory.users (tailnet_id, external_id);
      CREATE INDEX IF NOT EXISTS users_display_name ON directory.users (tailnet_id, lower(display_name));
      CREATE INDEX IF NOT EXISTS users_given_name ON directory.users (tailnet_id, lower(given_name));
      CREATE INDEX IF NOT EXISTS users_family_name ON directory.users (tailnet_id, lower(family_name));
      CREATE INDEX IF NOT EXISTS users_formatted_name ON directory.users (tailnet_id, lower(formatted_name));
      CREATE INDEX IF NOT EXISTS users_preferred_language ON directory.users (tailnet_id, lower(preferred_language));
    `);
    for (const index of PAGED_DIRECTORY_INDEXES) await runner.query(`DROP INDEX IF EXISTS directory.${index}`);
  }
}
