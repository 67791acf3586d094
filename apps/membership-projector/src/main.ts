import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Counter } from 'prom-client';
import { topicsFor } from '#roster/events';
import { MembershipProjection, MembershipPublisher } from '#roster/membership';
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

/** Feeds the public membership topic from the internal log: projection + outbox in one process. */
async function bootstrap() {
  const config = loadConfig(process.env, 8084);
  const logger = createLogger('membership-projector', config.logLevel);
  const metrics = new RosterMetrics('membership-projector');
  await (await migrate(config.databaseUrl, migrations)).destroy();

  const pool = createPool(config.databaseUrl, 4, 'roster-membership-projector');
  const kafka = createKafka(config.kafka.brokers, `${config.kafka.clientId}-membership-projector`, logger);
  const topics = topicsFor(config.kafka.namespace);
  await ensureTopics(kafka, topics, config.kafka.eventsTopicPartitions);

  const published = new Counter({ name: 'roster_membership_events_published_total', help: 'Public membership events sent', registers: [metrics.registry] });
  const failures = new Counter({ name: 'roster_membership_publish_failures_total', help: 'Membership publish batches retried', registers: [metrics.registry] });
  const publisher = new MembershipPublisher(pool, kafka, topics.membership, logger.child({ component: 'membership-publisher' }), {
    published: (count) => published.inc(count),
    failed: () => failures.inc(),
  });
  const projectorMetrics = metrics.projectorMetrics();
  const runtime = new ProjectorRuntime(
    pool,
    kafka,
    logger.child({ component: 'projector' }),
    {
      ...projectorMetrics,
      applied: (projection, count, seconds) => {
        projectorMetrics.applied(projection, count, seconds);
        publisher.nudge();
      },
    },
    {
      projection: new MembershipProjection(),
      topic: topics.tailnetEvents,
      schema: 'membership',
      groupId: `${config.kafka.namespace}roster-projector-membership`,
      live: true,
    },
  );

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
  publisher.start();
  await app.listen(config.port, '0.0.0.0');
  logger.info({ port: config.port, topic: topics.membership }, 'membership projector running');

  const shutdown = async () => {
    await runtime.stop();
    await publisher.stop();
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
