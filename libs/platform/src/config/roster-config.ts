import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const portFromEnv = z.coerce.number().int().min(1).max(65535);

const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/roster'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'expected host:port[,host:port…]')
    .default('127.0.0.1:19092'),
  KAFKA_CLIENT_ID: z.string().min(1).default('roster'),
  KAFKA_TOPIC_NAMESPACE: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  EVENTS_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(6),
  PORT: portFromEnv.optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OUTBOX_RELAY_ENABLED: booleanFromEnv.default(true),
  OUTBOX_RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  READ_YOUR_WRITES_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  PROJECTOR_READY_MAX_LAG: z.coerce.number().int().min(0).default(1_000),
  PROJECTOR_LINGER_MS: z.coerce.number().int().min(0).max(1_000).optional(),
  SCIM_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  SCIM_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).default(200),
  SCIM_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(400),
  NODE_EXPIRY_SWEEP_BATCH: z.coerce.number().int().min(1).max(50_000).default(2_000),
  CLOCK_OFFSET_MS: z.coerce.number().int().default(0),
  CPU_NICENESS: z.coerce.number().int().min(0).max(19).optional(),
});

export type RosterConfig = {
  databaseUrl: string;
  databasePoolSize: number;
  kafka: { brokers: string[]; clientId: string; namespace: string; eventsTopicPartitions: number };
  port: number;
  publicUrl: string;
  /** Where IdPs are pointed: the SCIM 2.0 base URL every tailnet shares (the token picks the tailnet). */
  scimBaseUrl: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  outboxRelay: { enabled: boolean; batchSize: number };
  readYourWritesTimeoutMs: number;
  projectorReadyMaxLag: number;
  /** Overrides the projector service's own linger after a busy batch (ProjectorRuntimeOptions.lingerMs). */
  projectorLingerMs: number | undefined;
  scimMaxBodyBytes: number;
  scimRateLimit: { perSecond: number; burst: number };
  /** Keys recorded as expired per transaction by the node-key expiry sweeper. */
  nodeExpirySweepBatch: number;
  /**
   * Shifts the service's clock (the node-key expiry sweeper's "now") by this many milliseconds. For end-to-end
   * tests and drills that must see keys expire without waiting months; 0 in production.
   */
  clockOffsetMs: number;
  /** Overrides the service's own CPU niceness (see yieldCpu); a service never raises its priority. */
  cpuNiceness: number | undefined;
};

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/**
 * Reads every setting once, at start-up, and reports every bad variable at once so an operator fixes them in
 * one go rather than one restart per typo.
 */
export function loadConfig(env: NodeJS.ProcessEnv, defaultPort: number): RosterConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`),
    );
  }
  const values = parsed.data;
  const port = values.PORT ?? defaultPort;
  const publicUrl = (values.PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  return {
    databaseUrl: values.DATABASE_URL,
    databasePoolSize: values.DATABASE_POOL_SIZE,
    kafka: {
      brokers: values.KAFKA_BROKERS.split(','),
      clientId: values.KAFKA_CLIENT_ID,
      namespace: values.KAFKA_TOPIC_NAMESPACE,
      eventsTopicPartitions: values.EVENTS_TOPIC_PARTITIONS,
    },
    port,
    publicUrl,
    scimBaseUrl: `${publicUrl}/scim/v2`,
    logLevel: values.LOG_LEVEL,
    outboxRelay: { enabled: values.OUTBOX_RELAY_ENABLED, batchSize: values.OUTBOX_RELAY_BATCH_SIZE },
    readYourWritesTimeoutMs: values.READ_YOUR_WRITES_TIMEOUT_MS,
    projectorReadyMaxLag: values.PROJECTOR_READY_MAX_LAG,
    projectorLingerMs: values.PROJECTOR_LINGER_MS,
    scimMaxBodyBytes: values.SCIM_MAX_BODY_BYTES,
    scimRateLimit: { perSecond: values.SCIM_RATE_LIMIT_PER_SECOND, burst: values.SCIM_RATE_LIMIT_BURST },
    nodeExpirySweepBatch: values.NODE_EXPIRY_SWEEP_BATCH,
    clockOffsetMs: values.CLOCK_OFFSET_MS,
    cpuNiceness: values.CPU_NICENESS,
  };
}

export const ROSTER_CONFIG = Symbol('RosterConfig');
