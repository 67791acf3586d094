import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import {
  CreateGroupHandler,
  CreateUserHandler,
  DeleteGroupHandler,
  GetGroupHandler,
  ListGroupsHandler,
  PatchGroupHandler,
  ReplaceGroupHandler,
  DeleteUserHandler,
  GetUserHandler,
  ListUsersHandler,
  PatchUserHandler,
  ReplaceUserHandler,
  PG_POOL,
  READ_YOUR_WRITES_TIMEOUT_MS,
} from '#roster/directory';
import { topicsFor } from '#roster/events';
import { OutboxRelay, RelayWakeup } from '#roster/outbox';
import {
  createKafka,
  createPool,
  HealthController,
  kafkaCheck,
  postgresCheck,
  READINESS_CHECKS,
  ROSTER_CONFIG,
  RosterMetrics,
  type RosterConfig,
} from '#roster/platform';
import {
  DeleteNodeHandler,
  GetNodeHandler,
  GetNodeHistoryHandler,
  GetTailnetSettingsHandler,
  ListNodesHandler,
  RegisterNodeHandler,
  RenewNodeKeyHandler,
  SetNodeKeyExpiryHandler,
  SetNodeTagsHandler,
  TAG_PERMISSION,
  UpdateTailnetSettingsHandler,
} from '#roster/nodes';
import { PolicyTagPermission, TailnetPolicies } from '#roster/policy';
import { AdminKeyGuard, TokenAuthenticator } from '#roster/tailnets';
import { AggregateStore, ReadFence } from '#roster/write-model';
import { DevicesController } from './admin/devices.controller.js';
import { SettingsController } from './admin/settings.controller.js';
import { PolicyController } from './admin/policy.controller.js';
import { DIRECTORY_CAUGHT_UP, KAFKA, LOGGER } from './gateway.tokens.js';
import { DiscoveryController } from './scim/discovery.controller.js';
import { TailnetRateLimitGuard } from './scim/rate-limit.guard.js';
import { ScimAuthGuard } from './scim/scim-auth.guard.js';
import { TailnetRateLimiter } from './scim/tailnet-rate-limiter.js';
import { GroupsController } from './scim/groups.controller.js';
import { UsersController } from './scim/users.controller.js';
import { EdgeExceptionFilter } from './http/edge-exception.filter.js';

export type GatewayContext = { config: RosterConfig; logger: Logger; metrics: RosterMetrics };

/**
 * Connections the gateway keeps for good, on top of DATABASE_POOL_SIZE for requests: the read-your-writes listener
 * and, in the replica leading the outbox relay, the relay's session. Counted within the pool, a pool of two served
 * no request at all.
 */
function heldSessions(config: RosterConfig): number {
  return 1 + (config.outboxRelay.enabled ? 1 : 0);
}

@Module({})
export class GatewayModule implements OnModuleInit, OnApplicationShutdown {
  static register({ config, logger, metrics }: GatewayContext) {
    return {
      module: GatewayModule,
      imports: [CqrsModule.forRoot()],
      controllers: [UsersController, GroupsController, DiscoveryController, DevicesController, SettingsController, PolicyController, HealthController],
      providers: [
        { provide: ROSTER_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: RosterMetrics, useValue: metrics },
        { provide: READ_YOUR_WRITES_TIMEOUT_MS, useValue: config.readYourWritesTimeoutMs },
        { provide: PG_POOL, useFactory: () => createPool(config.databaseUrl, config.databasePoolSize + heldSessions(config), 'roster-scim-gateway') },
        { provide: KAFKA, useFactory: () => createKafka(config.kafka.brokers, `${config.kafka.clientId}-gateway`, logger) },
        {
          provide: TokenAuthenticator,
          inject: [PG_POOL],
          useFactory: (pool: pg.Pool) => new TokenAuthenticator(pool),
        },
        {
          provide: RelayWakeup,
          inject: [OutboxRelay, PG_POOL],
          useFactory: (relay: OutboxRelay, pool: pg.Pool) => new RelayWakeup(relay, pool, logger),
        },
        {
          provide: AggregateStore,
          inject: [RelayWakeup],
          useFactory: (wakeup: RelayWakeup) => new AggregateStore(() => wakeup.signal()),
        },
        {
          provide: ReadFence,
          inject: [PG_POOL],
          useFactory: (pool: pg.Pool) => new ReadFence(pool, logger),
        },
        {
          provide: OutboxRelay,
          inject: [PG_POOL, KAFKA],
          useFactory: (pool: pg.Pool, kafka: Kafka) =>
            new OutboxRelay(pool, kafka, logger.child({ component: 'outbox-relay' }), metrics.relayMetrics(), {
              topics: topicsFor(config.kafka.namespace),
              batchSize: config.outboxRelay.batchSize,
              partitions: config.kafka.eventsTopicPartitions,
            }),
        },
        {
          provide: READINESS_CHECKS,
          inject: [PG_POOL, KAFKA],
          useFactory: (pool: pg.Pool, kafka: Kafka) => [postgresCheck(pool), kafkaCheck(kafka)],
        },
        {
          provide: DIRECTORY_CAUGHT_UP,
          inject: [ReadFence],
          useFactory: (fence: ReadFence) => (tailnetId: string) => fence.waitForTailnet('directory', tailnetId, config.readYourWritesTimeoutMs),
        },
        {
          provide: TailnetPolicies,
          inject: [PG_POOL, AggregateStore, DIRECTORY_CAUGHT_UP],
          useFactory: (pool: pg.Pool, store: AggregateStore, caughtUp: (tailnetId: string) => Promise<void>) => new TailnetPolicies(pool, store, caughtUp),
        },
        {
          provide: TAG_PERMISSION,
          inject: [PG_POOL, TailnetPolicies, DIRECTORY_CAUGHT_UP],
          useFactory: (pool: pg.Pool, policies: TailnetPolicies, caughtUp: (tailnetId: string) => Promise<void>) =>
            new PolicyTagPermission(pool, policies, caughtUp),
        },
        ScimAuthGuard,
        AdminKeyGuard,
        { provide: TailnetRateLimiter, useValue: new TailnetRateLimiter(config.scimRateLimit) },
        TailnetRateLimitGuard,
        CreateUserHandler,
        ReplaceUserHandler,
        PatchUserHandler,
        DeleteUserHandler,
        GetUserHandler,
        ListUsersHandler,
        CreateGroupHandler,
        ReplaceGroupHandler,
        PatchGroupHandler,
        DeleteGroupHandler,
        GetGroupHandler,
        ListGroupsHandler,
        RegisterNodeHandler,
        RenewNodeKeyHandler,
        SetNodeKeyExpiryHandler,
        SetNodeTagsHandler,
        DeleteNodeHandler,
        ListNodesHandler,
        GetNodeHandler,
        GetNodeHistoryHandler,
        GetTailnetSettingsHandler,
        UpdateTailnetSettingsHandler,
        { provide: APP_FILTER, useClass: EdgeExceptionFilter },
      ],
    };
  }

  constructor(
    @Inject(ROSTER_CONFIG) private readonly config: RosterConfig,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly relay: OutboxRelay,
    private readonly fence: ReadFence,
    private readonly metrics: RosterMetrics,
  ) {}

  async onModuleInit() {
    await this.fence.start();
    if (this.config.outboxRelay.enabled) this.relay.start();
    this.metrics.trackOutboxBacklog(async () => {
      const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM writes.outbox');
      return Number(rows[0].n);
    });
  }

  async onApplicationShutdown() {
    await this.relay.stop();
    await this.fence.stop();
    await this.pool.end();
  }
}
