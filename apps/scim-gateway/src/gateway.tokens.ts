/** Injection tokens of the gateway's infrastructure. */
export const LOGGER = Symbol('Logger');
export const KAFKA = Symbol('Kafka');
