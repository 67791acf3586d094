import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import { topicsFor, type Topics } from '#roster/events';
import { migrations } from '#roster/migrations';
import { createKafka, createLogger, createPool, loadConfig, migrate } from '#roster/platform';

export type LogContext = {
  pool: pg.Pool;
  kafka: Kafka;
  topics: Topics;
  namespace: string;
  logger: Logger;
  partitions: number;
  /** For worker threads, which build their own clients. */
  connection: { databaseUrl: string; brokers: string[]; clientId: string; logLevel: string };
};

/** PostgreSQL and Kafka, configured from the environment like the services, for commands that read the log. */
export async function withLogContext<T>(work: (context: LogContext) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, 8080);
  // Progress goes to the terminal; the log only says what went wrong.
  const logger = createLogger('roster-cli', config.logLevel === 'info' ? 'warn' : config.logLevel);
  // Replays read which events to pass over (projector.skipped_events), which an older database may not have yet.
  await (await migrate(config.databaseUrl, migrations)).destroy();
  const pool = createPool(config.databaseUrl, 6, 'roster-cli');
  const kafka = createKafka(config.kafka.brokers, `${config.kafka.clientId}-cli`, logger);
  try {
    return await work({
      pool,
      kafka,
      topics: topicsFor(config.kafka.namespace),
      namespace: config.kafka.namespace,
      logger,
      partitions: config.kafka.eventsTopicPartitions,
      connection: { databaseUrl: config.databaseUrl, brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-cli`, logLevel: logger.level },
    });
  } finally {
    await pool.end();
  }
}
