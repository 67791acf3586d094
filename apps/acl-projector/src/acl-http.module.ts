import { Module } from '@nestjs/common';
import type pg from 'pg';
import type { Logger } from 'pino';
import { TailnetAcls } from '#roster/acl-projection';
import { HealthController, PG_POOL, READINESS_CHECKS, RosterMetrics, type ReadinessCheck } from '#roster/platform';
import { AdminKeyGuard, TokenAuthenticator } from '#roster/tailnets';
import { AclController } from './acl.controller.js';
import { AclExceptionFilter } from './acl-exception.filter.js';
import { ACL_LOGGER } from './acl.tokens.js';

export type AclHttpContext = { metrics: RosterMetrics; checks: ReadinessCheck[]; acls: TailnetAcls; pool: pg.Pool; logger: Logger };

/** The ACL projector's HTTP surface: the check, packet-filter and status API, plus health, readiness and metrics. */
@Module({})
export class AclHttpModule {
  static register({ metrics, checks, acls, pool, logger }: AclHttpContext) {
    return {
      module: AclHttpModule,
      controllers: [AclController, HealthController],
      providers: [
        { provide: RosterMetrics, useValue: metrics },
        { provide: READINESS_CHECKS, useValue: checks },
        { provide: TailnetAcls, useValue: acls },
        { provide: PG_POOL, useValue: pool },
        { provide: ACL_LOGGER, useValue: logger },
        { provide: TokenAuthenticator, useValue: new TokenAuthenticator(pool) },
        AdminKeyGuard,
        AclExceptionFilter,
      ],
    };
  }
}
