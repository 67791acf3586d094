import type { DataSource } from 'typeorm';
import { createDataSource, type MigrationClass } from './data-source.js';
import { ensureDatabase } from './ensure-database.js';

const MIGRATION_LOCK = 7_319_001;

/**
 * Creates the database if needed and applies pending migrations. Every service calls this at start-up; an advisory
 * lock makes concurrent starts take turns instead of racing on the same DDL.
 */
export async function migrate(databaseUrl: string, migrations: MigrationClass[]): Promise<DataSource> {
  await ensureDatabase(databaseUrl);
  const dataSource = createDataSource(databaseUrl, migrations);
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}
