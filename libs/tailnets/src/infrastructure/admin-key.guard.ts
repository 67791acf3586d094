import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { isRosterId } from '#roster/events';
import { PG_POOL } from '#roster/platform';
import { TokenAuthenticator, type Principal } from '../application/token-authenticator.js';
import { AdminKeyRejectedError, ForeignTailnetError } from '../domain/admin-key.errors.js';

export type AdminRequest = FastifyRequest & { principal?: Principal; correlationId?: string };

/**
 * Authenticates the admin API (`/api/v2/tailnet/{tailnet}/…`, on the gateway and on the ACL projector) by the
 * tailnet's admin API key — a SCIM token is refused — and checks that `{tailnet}` is that key's tailnet: its id,
 * its name, or `-` (the key's own, as in Tailscale's API).
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(
    private readonly authenticator: TokenAuthenticator,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const token = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
    const principal = token ? await this.authenticator.authenticate(token, 'admin') : null;
    if (!principal) throw new AdminKeyRejectedError();
    const tailnetRef = (request.params as { tailnet?: string }).tailnet ?? '-';
    if (!(await this.names(principal.tailnetId, tailnetRef))) throw new ForeignTailnetError(tailnetRef);
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
