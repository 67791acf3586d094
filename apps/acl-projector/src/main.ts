import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
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

  const runtime = new ProjectorRuntime(pool, kafka, logger.child({ component: 'projector' }), metrics.projectorMetrics(), {
    projection: new AclProjection(acls),
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
