import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DirectoryProjection } from '#roster/directory';
import { topicsFor } from '#roster/events';
import { migrations } from '#roster/migrations';
import {
  createKafka,
  createLogger,
  createPool,
  ensureTopics,
  kafkaCheck,
  loadConfig,
  migrate,
  NestPinoLogger,
  postgresCheck,
  RosterMetrics,
} from '#roster/platform';
import { ProjectorHttpModule, ProjectorRuntime } from '#roster/projector';

async function bootstrap() {
  const config = loadConfig(process.env, 8081);
  const logger = createLogger('directory-projector', config.logLevel);
  const metrics = new RosterMetrics('directory-projector');
  await (await migrate(config.databaseUrl, migrations)).destroy();

  const pool = createPool(config.databaseUrl, 4, 'roster-directory-projector');
  const kafka = createKafka(config.kafka.brokers, `${config.kafka.clientId}-directory-projector`, logger);
  const topics = topicsFor(config.kafka.namespace);
  await ensureTopics(kafka, topics, config.kafka.eventsTopicPartitions);
  const runtime = new ProjectorRuntime(pool, kafka, logger.child({ component: 'projector' }), metrics.projectorMetrics(), {
    projection: new DirectoryProjection(),
    topic: topics.tailnetEvents,
    schema: 'directory',
    groupId: `${config.kafka.namespace}roster-projector-directory`,
    live: true,
  });

  const caughtUp = {
    name: 'projection',
    check: async () => {
      const status = runtime.status();
      return { ...status, ready: status.state === 'running' && status.lag <= config.projectorReadyMaxLag };
    },
  };
  const app = await NestFactory.create<NestFastifyApplication>(
    ProjectorHttpModule.register(metrics, [postgresCheck(pool), kafkaCheck(kafka), caughtUp]),
    new FastifyAdapter(),
    { logger: new NestPinoLogger(logger) },
  );
  await runtime.start();
  await app.listen(config.port, '0.0.0.0');
  logger.info({ port: config.port }, 'directory projector running');

  const shutdown = async () => {
    await runtime.stop();
    await app.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
