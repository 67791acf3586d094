import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { isRosterId } from '#roster/events';
import { TokenAuthenticator, type Principal } from '#roster/tailnets';
import { ACL_POOL } from './acl.tokens.js';

export type AclRequest = FastifyRequest & { principal?: Principal };

export class AclUnauthorizedError extends Error {}

/** The path names a tailnet the key does not belong to: 404, so other tailnets stay invisible. */
export class UnknownTailnetError extends Error {
  constructor(tailnetRef: string) {
    super(`tailnet "${tailnetRef}" not found`);
  }
}

/**
 * The admin API key of the tailnet in the path (its id, its name, or `-` for the key's own), as the gateway's admin
 * API checks it: the check API tells who may reach what, which is the admin's to know.
 */
@Injectable()
export class AclAuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: TokenAuthenticator,
    @Inject(ACL_POOL) private readonly pool: pg.Pool,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AclRequest>();
    const token = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
    const principal = token ? await this.authenticator.authenticate(token, 'admin') : null;
    if (!principal) throw new AclUnauthorizedError('missing or invalid admin API key');
    const tailnetRef = (request.params as { tailnet?: string }).tailnet ?? '-';
    if (!(await this.names(principal.tailnetId, tailnetRef))) throw new UnknownTailnetError(tailnetRef);
    request.principal = principal;
    return true;
  }

  private async names(tailnetId: string, tailnetRef: string): Promise<boolean> {
    if (tailnetRef === '-' || tailnetRef === tailnetId) return true;
    if (isRosterId(tailnetRef)) return false;
    const { rows } = await this.pool.query('SELECT 1 FROM control.tailnets WHERE id = $1 AND lower(name) = lower($2)', [tailnetId, tailnetRef]);
    return rows.length > 0;
  }
}
