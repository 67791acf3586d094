import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import {
  GroupNameTakenError,
  GroupNotFoundError,
  PreconditionFailedError,
  UnknownMemberError,
  UserNameTakenError,
  UserNotFoundError,
} from '#roster/directory';
import { ScimError } from '#roster/scim';
import { ReadModelBehindError, VersionConflictError } from '#roster/write-model';
import { LOGGER } from '../gateway.tokens.js';
import { TooDeeplyNestedError } from '../http/nesting-depth.js';
import { UnstorableTextError } from '../http/unstorable-text.js';
import { ScimUnauthorizedError } from './scim-auth.guard.js';
import type { ScimRequest } from './scim-principal.js';
import { SCIM_CONTENT_TYPE, scimErrorBody } from './scim-media.js';
import { RateLimitedError } from './tailnet-rate-limiter.js';

type Mapped = { status: number; detail: string; scimType?: string; headers?: Record<string, string> };

const RETRY_AFTER_SECONDS = '5';

/** The one place where errors become SCIM error responses (RFC 7644 §3.12). Bad input never becomes a 500. */
export function toScimError(error: unknown): Mapped | undefined {
  if (error instanceof ScimError) return { status: error.status, detail: error.detail, scimType: error.scimType };
  if (error instanceof ScimUnauthorizedError) {
    return { status: 401, detail: error.message, headers: { 'www-authenticate': 'Bearer realm="roster-scim"' } };
  }
  if (error instanceof RateLimitedError) {
    return { status: 429, detail: error.message, headers: { 'retry-after': String(error.retryAfterSeconds) } };
  }
  if (error instanceof UserNameTakenError) return { status: 409, detail: error.message, scimType: 'uniqueness' };
  if (error instanceof UserNotFoundError) return { status: 404, detail: `Resource ${error.userId} not found` };
  if (error instanceof GroupNameTakenError) return { status: 409, detail: error.message, scimType: 'uniqueness' };
  if (error instanceof GroupNotFoundError) return { status: 404, detail: `Resource ${error.groupId} not found` };
  if (error instanceof UnknownMemberError) return { status: 400, detail: error.message, scimType: 'invalidValue' };
  if (error instanceof PreconditionFailedError) return { status: 412, detail: error.message };
  if (error instanceof VersionConflictError) {
    return { status: 409, detail: 'the resource was changed by another request at the same time; retry' };
  }
  if (error instanceof ReadModelBehindError) {
    return { status: 503, detail: error.message, headers: { 'retry-after': RETRY_AFTER_SECONDS } };
  }
  if (isInfrastructureOutage(error)) {
    return {
      status: 503,
      detail: 'the directory store is unavailable; nothing was recorded, retry later',
      headers: { 'retry-after': RETRY_AFTER_SECONDS },
    };
  }
  // Nest wraps Fastify's own 4xx errors (body parsing, size limits) in an HttpException; judge them by the cause.
  const fastifyError = (error instanceof HttpException && error.cause ? error.cause : error) as {
    statusCode?: number;
    code?: string;
    message?: string;
  };
  if (fastifyError instanceof UnstorableTextError) return { status: 400, detail: fastifyError.message, scimType: 'invalidValue' };
  if (fastifyError instanceof TooDeeplyNestedError) return { status: 400, detail: fastifyError.message, scimType: 'invalidSyntax' };
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, detail: 'request body too large' };
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, detail: 'send application/scim+json or application/json' };
  }
  if (fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { status: 400, detail: 'the request body is not valid JSON', scimType: 'invalidSyntax' };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, detail: status === 404 ? 'no such endpoint' : error.message };
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { status: fastifyError.statusCode, detail: fastifyError.message ?? 'bad request' };
  }
  return undefined;
}

/** PostgreSQL unreachable or shutting down: the request was not applied, so the client may safely retry. */
function isInfrastructureOutage(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08006', '08001', '08003'].includes(code);
}

@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost) {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { correlationId } = http.getRequest<ScimRequest>();
    const known = toScimError(error);
    if (known && known.status >= 500) this.logger.warn({ err: error, status: known.status, correlationId }, 'request failed');
    const mapped = known ?? this.unexpected(error, correlationId);
    for (const [name, value] of Object.entries(mapped.headers ?? {})) void reply.header(name, value);
    void reply
      .status(mapped.status)
      .header('content-type', SCIM_CONTENT_TYPE)
      .send(scimErrorBody(mapped.status, mapped.detail, mapped.scimType));
  }

  private unexpected(error: unknown, correlationId: string | undefined): Mapped {
    this.logger.error({ err: error, correlationId }, 'unexpected error');
    return { status: 500, detail: 'internal error; see the gateway log for this correlation id' };
  }
}
