import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { routingErrorOf } from '#roster/platform';
import { isAdminApiPath } from '../admin/admin-request.js';
import { SCIM_CONTENT_TYPE, scimErrorBody } from '../scim/scim-media.js';

/** Fastify's routing errors, in the error form of the API the path belongs to: the admin API's, or SCIM's. */
export function answerRoutingError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, detail, scimType } = routingErrorOf(error);
  if (isAdminApiPath(request.url)) return void reply.status(status).send({ message: detail });
  void reply.status(status).header('content-type', SCIM_CONTENT_TYPE).send(scimErrorBody(status, detail, scimType));
}
