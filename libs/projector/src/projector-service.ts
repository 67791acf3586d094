import { NestFactory } from '@nestjs/core';
import type { DynamicModule } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { MigrationInterface } from 'typeorm';
import { topicsFor, type Topics } from '#roster/events';
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
  routingErrorOf,
  yieldCpu,
  type ReadinessCheck,
  type RosterConfig,
} from '#roster/platform';
import { ProjectorHttpModule } from './projector-http.module.js';
import type { Projection } from './projection.js';
import { ProjectorRuntime, type ProjectorMetrics } from './projector-runtime.js';

export type ProjectorServiceContext = {
  config: RosterConfig;
  logger: Logger;
  metrics: RosterMetrics;
  pool: pg.Pool;
  kafka: Kafka;
  topics: Topics;
};

/** What a projector service adds to the common frame. */
export type ProjectorServiceParts = {
  projection: Projection;
  /** Its HTTP surface, given the standard readiness checks; health, readiness and metrics only when omitted. */
  httpModule?: (checks: ReadinessCheck[]) => DynamicModule;
  /** Wraps the runtime's metrics, e.g. to react to every applied batch. */
  projectorMetrics?: (standard: ProjectorMetrics) => ProjectorMetrics;
  /** Runs once the projection is consuming; `stop` runs first on shutdown. */
  start?: () => void | Promise<void>;
  stop?: () => Promise<void>;
};

export type ProjectorServiceOptions = {
  /** The service name: logs, metrics, the PostgreSQL application name and the Kafka client id. */
  name: string;
  defaultPort: number;
  /** The live projection's schema; its consumer group is `<namespace>roster-projector-<schema>`. */
  schema: string;
  /** Its linger after a busy batch (ProjectorRuntimeOptions.lingerMs) unless PROJECTOR_LINGER_MS says otherwise. */
  defaultLingerMs: number;
  /**
   * How far it yields the CPU on a shared host (see yieldCpu) unless CPU_NICENESS says otherwise: 0 for a
   * projection that requests wait on (SCIM reads, access checks), more for one that trails the log by design.
   */
  defaultNiceness: number;
  /** See ProjectorRuntimeOptions.busyBatchEvents. */
  busyBatchEvents?: number;
  migrations: (new () => MigrationInterface)[];
  build: (context: ProjectorServiceContext) => ProjectorServiceParts | Promise<ProjectorServiceParts>;
};

/**
 * The frame every projector service shares: configuration, migrations, pool and Kafka client, the live projection
 * on the projector runtime, `/healthz` `/readyz` (caught up) `/metrics`, and an orderly shutdown.
 */
export async function runProjectorService(options: ProjectorServiceOptions): Promise<void> {
  const { name, defaultPort, schema, defaultLingerMs, defaultNiceness, busyBatchEvents, migrations, build } = options;
  const config = loadConfig(process.env, defaultPort);
  const logger = createLogger(name, config.logLevel);
  logger.info(yieldCpu(config.cpuNiceness ?? defaultNiceness), 'cpu priority');
  const metrics = new RosterMetrics(name);
  await (await migrate(config.databaseUrl, migrations)).destroy();

  // One connection more than the work needs: the runtime listens on one for readers waiting on the projection.
  const pool = createPool(config.databaseUrl, 5, `roster-${name}`);
  const kafka = createKafka(config.kafka.brokers, `${config.kafka.clientId}-${name}`, logger);
  const topics = topicsFor(config.kafka.namespace);
  await ensureTopics(kafka, topics, config.kafka.eventsTopicPartitions);
  const parts = await build({ config, logger, metrics, pool, kafka, topics });
  const runtime = new ProjectorRuntime(pool, kafka, logger.child({ component: 'projector' }), (parts.projectorMetrics ?? ((m) => m))(metrics.projectorMetrics()), {
    projection: parts.projection,
    topic: topics.tailnetEvents,
    schema,
    groupId: `${config.kafka.namespace}roster-projector-${schema}`,
    live: true,
    lingerMs: config.projectorLingerMs ?? defaultLingerMs,
    busyBatchEvents,
  });

  const caughtUp: ReadinessCheck = {
    name: 'projection',
    check: async () => {
      const status = runtime.status();
      return { ...status, ready: status.state === 'running' && status.lag <= config.projectorReadyMaxLag };
    },
  };
  const checks = [postgresCheck(pool), kafkaCheck(kafka), caughtUp];
  const app = await NestFactory.create<NestFastifyApplication>(
    parts.httpModule ? parts.httpModule(checks) : ProjectorHttpModule.register(metrics, checks),
    // The projectors' APIs (the ACL checks) answer `{ "message": … }`, Fastify's routing errors included.
    new FastifyAdapter({
      frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
        const { status, detail } = routingErrorOf(error);
        void reply.status(status).send({ message: detail });
      },
    }),
    { logger: new NestPinoLogger(logger) },
  );
  await runtime.start();
  await parts.start?.();
  await app.listen(config.port, '0.0.0.0');
  logger.info({ port: config.port, schema }, `${name} running`);

  const shutdown = async () => {
    await parts.stop?.();
    await runtime.stop();
    await app.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

/** Runs a projector service as a process's main, exiting with the reason if it cannot start. */
export function mainProjectorService(options: ProjectorServiceOptions): void {
  runProjectorService(options).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
