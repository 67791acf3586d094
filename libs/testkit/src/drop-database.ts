import type pg from 'pg';

/**
 * Drops a throwaway test database once the connections to it are gone. A pg Pool's `end()` resolves before its
 * connections have closed; dropping WITH (FORCE) at that moment terminates them on the server, and the pool
 * re-emits that as an `error` event nobody listens to any more — an uncaught exception in whatever test runs
 * next. So wait for them to leave (they take milliseconds) and force only what is still there after 5 s.
 */
export async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
    if (rows[0].n === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
