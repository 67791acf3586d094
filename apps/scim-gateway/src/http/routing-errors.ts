import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { routingErrorOf } from '#roster/platform';
import { edgeErrorBody } from './edge-error-body.js';

/** Fastify's routing errors, in the error form of the API the path belongs to: the admin API's, or SCIM's. */
export function answerRoutingError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, detail, scimType } = routingErrorOf(error);
  const { contentType, body } = edgeErrorBody(request.url, status, detail, scimType);
  void reply.status(status).header('content-type', contentType).send(body);
}
