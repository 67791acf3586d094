import { DataSource, type MigrationInterface } from 'typeorm';
import { ApiTokenEntity } from './entities/api-token.entity.js';
import { TailnetEntity } from './entities/tailnet.entity.js';

export type MigrationClass = new () => MigrationInterface;

export function createDataSource(databaseUrl: string, migrations: MigrationClass[] = []): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities: [TailnetEntity, ApiTokenEntity],
    migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    logging: false,
    extra: { max: 4 },
  });
}
