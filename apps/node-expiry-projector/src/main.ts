import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { topicsFor } from '#roster/events';
import { migrations } from '#roster/migrations';
import { KeyExpirySweeper, NODES_PROJECTION, NodeExpiryMetrics, NodesProjection } from '#roster/nodes';
import {
  createKafka,
  createLogger,
  createPool,
  ensureTopics,
  kafkaCheck,
  loadConfig,
  migrate,
  NestPinoLogger,
  offsetClock,
  postgresCheck,
  RosterMetrics,
} from '#roster/platform';
import { ProjectorHttpModule, ProjectorRuntime } from '#roster/projector';


/**
 * The node-key expiry projector: keeps every node's access state from user and node events, records the access
 * owners' suspensions take away and give back, and records key expiries when they fall due. Replicas are safe:
 * the log's partitions are shared out among them, and expiries are recorded once whichever sweeper gets there.
 */
async function bootstrap() {
  const config = loadConfig(process.env, 8082);
  const logger = createLogger('node-expiry-projector', config.logLevel);
  const metrics = new RosterMetrics('node-expiry-projector');
  await (await migrate(config.databaseUrl, migrations)).destroy();

  const pool = createPool(config.databaseUrl, 4, 'roster-node-expiry-projector');
  const kafka = createKafka(config.kafka.brokers, `${config.kafka.clientId}-node-expiry-projector`, logger);
  const topics = topicsFor(config.kafka.namespace);
  await ensureTopics(kafka, topics, config.kafka.eventsTopicPartitions);
  const sweeper = new KeyExpirySweeper(
    pool,
    offsetClock(config.clockOffsetMs),
    logger.child({ component: 'key-expiry-sweeper' }),
    new NodeExpiryMetrics(metrics.registry, pool),
    { batchSize: config.nodeExpirySweepBatch },
  );
  const runtime = new ProjectorRuntime(pool, kafka, logger.child({ component: 'projector' }), metrics.projectorMetrics(), {
    projection: new NodesProjection(() => sweeper.nodesChanged()),
    topic: topics.tailnetEvents,
    schema: NODES_PROJECTION,
    groupId: `${config.kafka.namespace}roster-projector-${NODES_PROJECTION}`,
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
  sweeper.start();
  await app.listen(config.port, '0.0.0.0');
  logger.info({ port: config.port, clockOffsetMs: config.clockOffsetMs }, 'node-key expiry projector running');

  const shutdown = async () => {
    await sweeper.stop();
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
