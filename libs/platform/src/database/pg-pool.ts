import pg from 'pg';

// bigint columns (positions, offsets) come back as strings by default; keep them exact as strings and convert
// deliberately where needed, rather than losing precision to Number.
export function createPool(databaseUrl: string, max: number, applicationName: string): pg.Pool {
  // Idle connections stay open: each holds the prepared statements of the hot paths, and reconnecting costs more
  // than an idle backend does.
  return new pg.Pool({ connectionString: databaseUrl, max, application_name: applicationName, idleTimeoutMillis: 0 });
}

export function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransactionBegunBy(pool, (client) => client.query('BEGIN'), work);
}

/**
 * Like `inTransaction`, but `begin` opens the transaction (with whatever else it can send in the same round trip)
 * and hands what it read to `work`.
 */
export async function inTransactionBegunBy<B, T>(
  pool: pg.Pool,
  begin: (client: pg.PoolClient) => Promise<B>,
  work: (client: pg.PoolClient, begun: B) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    const result = await work(client, await begin(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}
