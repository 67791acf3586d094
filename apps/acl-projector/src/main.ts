import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Histogram } from 'prom-client';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AclProjection, createAclTables, loadAclState, TailnetAcls } from '#roster/acl-projection';
import { topicsFor } from '#roster/events';
import { migrations } from '#roster/migrations';
import {
  createKafka,
  createLogger,
  createPool,
  ensureTopics,
  inTransaction,
  kafkaCheck,
  loadConfig,
  migrate,
  NestPinoLogger,
  postgresCheck,
  RosterMetrics,
} from '#roster/platform';
import { ProjectorRuntime } from '#roster/projector';
import { AclHttpModule } from './acl-http.module.js';

const SCHEMA = 'acl';

async function bootstrap() {
  const config = loadConfig(process.env, 8083);
  const logger = createLogger('acl-projector', config.logLevel);
  const metrics = new RosterMetrics('acl-projector');
  await (await migrate(config.databaseUrl, migrations)).destroy();

  const pool = createPool(config.databaseUrl, 4, 'roster-acl-projector');
  const kafka = createKafka(config.kafka.brokers, `${config.kafka.clientId}-acl-projector`, logger);
  const topics = topicsFor(config.kafka.namespace);
  await ensureTopics(kafka, topics, config.kafka.eventsTopicPartitions);

  // Memory first, from the tables, then the log from the checkpoint those tables were committed with.
  const acls = new TailnetAcls(logger.child({ component: 'acl-state' }));
  await inTransaction(pool, async (client) => {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`SET LOCAL search_path TO ${SCHEMA}, public`);
    await createAclTables(client);
  });
  const started = performance.now();
  const loaded = await loadAclState(pool, SCHEMA, acls);
  logger.info({ ...loaded, ms: Math.round(performance.now() - started) }, 'ACL state loaded');

  // From the command that recorded an event to checks seeing it: the check API's freshness.
  const eventAge = new Histogram({
    name: 'roster_acl_event_age_seconds',
    help: 'Time from an event being recorded to the ACL state in memory reflecting it',
    buckets: [0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1, 5, 60],
    registers: [metrics.registry],
  });
  const runtime = new ProjectorRuntime(pool, kafka, logger.child({ component: 'projector' }), metrics.projectorMetrics(), {
    projection: new AclProjection(acls, (events) => {
      const now = Date.now();
      for (const event of events) eventAge.observe((now - Date.parse(event.time)) / 1000);
    }),
    topic: topics.tailnetEvents,
    schema: SCHEMA,
    groupId: `${config.kafka.namespace}roster-projector-acl`,
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
    AclHttpModule.register({ metrics, checks: [postgresCheck(pool), kafkaCheck(kafka), caughtUp], acls, pool, logger }),
    new FastifyAdapter(),
    { logger: new NestPinoLogger(logger) },
  );
  await runtime.start();
  await app.listen(config.port, '0.0.0.0');
  logger.info({ port: config.port }, 'acl projector running');

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
