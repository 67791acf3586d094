import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AdminExceptionFilter } from '../admin/admin-exception.filter.js';
import { isAdminApiPath } from '../admin/admin-request.js';
import { LOGGER } from '../gateway.tokens.js';
import { ScimExceptionFilter } from '../scim/scim-exception.filter.js';

/**
 * The filter for errors no controller's own filter saw: those of Fastify's body parsing (invalid JSON, too large,
 * text PostgreSQL cannot keep) and of request hooks, raised before any handler runs. Each is answered in the error form of the API its path
 * belongs to, as the controllers' filters would answer it.
 */
@Catch()
export class EdgeExceptionFilter implements ExceptionFilter {
  private readonly scim: ScimExceptionFilter;
  private readonly admin: AdminExceptionFilter;

  constructor(@Inject(LOGGER) logger: Logger) {
    this.scim = new ScimExceptionFilter(logger);
    this.admin = new AdminExceptionFilter(logger);
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const { url } = host.switchToHttp().getRequest<FastifyRequest>();
    (isAdminApiPath(url) ? this.admin : this.scim).catch(error, host);
  }
}
