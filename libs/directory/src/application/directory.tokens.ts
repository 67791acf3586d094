/** Injection tokens of the directory context's ports. */
export const PG_POOL = Symbol('PgPool');
export const READ_YOUR_WRITES_TIMEOUT_MS = Symbol('ReadYourWritesTimeoutMs');
