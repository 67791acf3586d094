/** Injection tokens of the gateway's infrastructure. */
export const LOGGER = Symbol('Logger');
export const KAFKA = Symbol('Kafka');
/** Waits until the directory read model holds a tailnet's earlier writes: `(tailnetId) => Promise<void>`. */
export const DIRECTORY_CAUGHT_UP = Symbol('DirectoryCaughtUp');
