import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrations } from '#roster/migrations';
import { migrate } from '#roster/platform';
import { dropDatabase } from './drop-database.js';

/** The local PostgreSQL of this machine and of CI: 127.0.0.1:5432, user postgres, trust auth. */
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };

export type MigratedDatabase = {
  /** Connection settings for pg.Client / pg.Pool, to spread into their own options. */
  connection: pg.ClientConfig;
  drop: () => Promise<void>;
};

/**
 * A throwaway database with Roster's migrations applied, for a `*.pg.spec.ts` that tests SQL against the real
 * PostgreSQL. `drop` it after the spec, once its own connections have ended.
 */
export async function migratedDatabase(purpose: string): Promise<MigratedDatabase> {
  const database = `roster_${purpose}_${randomUUID().replaceAll('-', '')}`;
  await (await migrate(`postgres://${SERVER.user}@${SERVER.host}:${SERVER.port}/${database}`, migrations)).destroy();
  return {
    connection: { ...SERVER, database },
    drop: async () => {
      const admin = new pg.Client({ ...SERVER, database: 'postgres' });
      await admin.connect();
      try {
        await dropDatabase(admin, database);
      } finally {
        await admin.end();
      }
    },
  };
}
