import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAdminApiPath } from '../admin/admin-request.js';
import { SCIM_CONTENT_TYPE, scimErrorBody } from '../scim/scim-media.js';

const ROUTING_ERRORS: Record<string, { status: number; detail: string; scimType?: string }> = {
  FST_ERR_BAD_URL: { status: 400, detail: 'the URL path is not validly percent-encoded', scimType: 'invalidSyntax' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, detail: 'a path segment is longer than any id' },
};

/**
 * Fastify's own routing errors, which come before Nest's exception filters see the request: a path that is not
 * validly percent-encoded, and a path segment over Fastify's length limit. Answered in the error form of the API
 * the path belongs to: the admin API's `{ "message": … }`, or else SCIM's error schema.
 */
export function answerRoutingError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, detail, scimType } = ROUTING_ERRORS[error.code] ?? { status: 500, detail: 'internal error' };
  if (isAdminApiPath(request.url)) return void reply.status(status).send({ message: detail });
  void reply.status(status).header('content-type', SCIM_CONTENT_TYPE).send(scimErrorBody(status, detail, scimType));
}
