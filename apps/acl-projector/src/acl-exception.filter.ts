import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { AdminKeyRejectedError, ForeignTailnetError } from '#roster/tailnets';
import { ACL_LOGGER } from './acl.tokens.js';
import { InvalidCheckQueryError } from './check-query.js';

export class DeviceNotFoundError extends Error {
  constructor(nodeId: string) {
    super(`device ${nodeId} not found`);
  }
}

/** The one place the ACL projector's errors become responses: `{ "message": … }`, as the admin API answers. */
export function toAclError(error: unknown): { status: number; message: string; headers?: Record<string, string> } | undefined {
  if (error instanceof AdminKeyRejectedError) return { status: 401, message: error.message, headers: { 'www-authenticate': 'Bearer realm="roster-admin"' } };
  if (error instanceof ForeignTailnetError || error instanceof DeviceNotFoundError) return { status: 404, message: error.message };
  if (error instanceof InvalidCheckQueryError) return { status: 400, message: error.message };
  if (error instanceof HttpException) return { status: error.getStatus(), message: error.message };
  return undefined;
}

@Catch()
export class AclExceptionFilter implements ExceptionFilter {
  constructor(@Inject(ACL_LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const known = toAclError(error);
    if (!known) this.logger.error({ err: error }, 'unexpected error');
    const mapped = known ?? { status: 500, message: 'internal error; see the acl-projector log' };
    for (const [name, value] of Object.entries(mapped.headers ?? {})) void reply.header(name, value);
    void reply.status(mapped.status).send({ message: mapped.message });
  }
}
