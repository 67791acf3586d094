import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import {
  AddressSpaceExhaustedError,
  InvalidNodeInputError,
  NodeNotFoundError,
  OwnerLacksAccessError,
  TagsNotPermittedError,
  UnknownOwnerError,
} from '#roster/nodes';
import { AdminKeyRejectedError, ForeignTailnetError } from '#roster/tailnets';
import { LOGGER } from '../gateway.tokens.js';
import { toScimError } from '../scim/scim-exception.filter.js';
import type { ScimRequest } from '../scim/scim-principal.js';
import { PolicyBodyError, PolicyPreconditionFailedError, PolicyRejectedError } from '#roster/policy';
import { InvalidAdminRequestError } from './admin-request-body.js';

export type AdminErrorResponse = { status: number; message: string; headers?: Record<string, string>; details?: unknown };

/**
 * The one place where errors become admin API responses: `{ "message": … }` as in Tailscale's API, plus `details`
 * where there is more to say. Protocol-level failures (body too large, store down, rate limit) map as for SCIM.
 */
export function toAdminError(error: unknown): AdminErrorResponse | undefined {
  if (error instanceof AdminKeyRejectedError) {
    return { status: 401, message: error.message, headers: { 'www-authenticate': 'Bearer realm="roster-admin"' } };
  }
  if (error instanceof ForeignTailnetError) return { status: 404, message: error.message };
  if (error instanceof InvalidAdminRequestError) return { status: 400, message: error.message };
  if (error instanceof NodeNotFoundError) return { status: 404, message: error.message };
  if (error instanceof UnknownOwnerError || error instanceof InvalidNodeInputError) return { status: 400, message: error.message };
  if (error instanceof OwnerLacksAccessError) return { status: 403, message: error.message, details: { reason: error.reason, user: error.ownerUserId } };
  if (error instanceof AddressSpaceExhaustedError) return { status: 409, message: error.message };
  if (error instanceof TagsNotPermittedError) return { status: 403, message: error.message, details: { refused: error.refused } };
  if (error instanceof PolicyBodyError) return { status: 400, message: error.message };
  if (error instanceof PolicyRejectedError) {
    const { errors, failedTests, warnings } = error.review;
    return { status: 400, message: error.message, details: { errors, failedTests, warnings } };
  }
  if (error instanceof PolicyPreconditionFailedError) return { status: 412, message: error.message, headers: { etag: error.currentEtag } };
  const generic = toScimError(error);
  return generic && { status: generic.status, message: generic.detail, headers: generic.headers };
}

@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost) {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { correlationId } = http.getRequest<ScimRequest>();
    const known = toAdminError(error);
    if (!known) this.logger.error({ err: error, correlationId }, 'unexpected error');
    else if (known.status >= 500) this.logger.warn({ err: error, status: known.status, correlationId }, 'request failed');
    const mapped = known ?? { status: 500, message: 'internal error; see the gateway log for this correlation id' };
    for (const [name, value] of Object.entries(mapped.headers ?? {})) void reply.header(name, value);
    void reply.status(mapped.status).send({ message: mapped.message, ...(mapped.details === undefined ? {} : { details: mapped.details }) });
  }
}
