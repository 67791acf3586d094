/** Injection tokens of ports shared by every bounded context. */
export const PG_POOL = Symbol('PgPool');
/** How long a read waits for the caller's earlier writes to reach the read model before answering 503. */
export const READ_YOUR_WRITES_TIMEOUT_MS = Symbol('ReadYourWritesTimeoutMs');
