import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { requestContext, type RosterMetrics } from '#roster/platform';

const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Gives every request a correlation id (the caller's, or a new one), echoes it back, makes it visible to every log
 * line the request causes, and records rate and latency per route.
 */
export function observeRequests(fastify: FastifyInstance, metrics: RosterMetrics): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const incoming = request.headers[CORRELATION_HEADER] ?? request.headers['x-request-id'];
    const correlationId = typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    (request as { correlationId?: string }).correlationId = correlationId;
    void reply.header(CORRELATION_HEADER, correlationId);
    requestContext.enterWith({ correlationId });
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route };
    metrics.httpRequests.inc({ ...labels, status: String(reply.statusCode) });
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
}
