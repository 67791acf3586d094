// Types for the plain-JavaScript infra script, so TypeScript callers (the dev runner, the test set-up) stay checked.
export function ensureKafka(opts?: { preferContainers?: boolean; timeoutMs?: number }): Promise<{ brokers: string }>;
export function stopKafka(): Promise<void>;
export function ensurePostgres(opts?: { timeoutMs?: number }): Promise<{ databaseUrl: string }>;
export function ensureInfra(opts?: { preferContainers?: boolean; timeoutMs?: number }): Promise<{ brokers: string; databaseUrl: string }>;
export function downInfra(): Promise<void>;
