/** The directory context's ports are the shared ones. */
export { PG_POOL, READ_YOUR_WRITES_TIMEOUT_MS } from '#roster/platform';
