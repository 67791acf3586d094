import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RosterMetrics } from '../metrics/roster-metrics.js';
import { evaluateReadiness, READINESS_CHECKS, type ReadinessCheck } from './readiness.js';

/** Liveness, readiness and Prometheus metrics, the same on every service. */
@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    private readonly metrics: RosterMetrics,
  ) {}

  @Get('healthz')
  health() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res() reply: FastifyReply) {
    const readiness = await evaluateReadiness(this.checks);
    await reply.status(readiness.ready ? 200 : 503).send(readiness);
  }

  @Get('metrics')
  async prometheus(@Res() reply: FastifyReply) {
    const body = await this.metrics.registry.metrics();
    await reply.header('content-type', this.metrics.registry.contentType).send(body);
  }
}
