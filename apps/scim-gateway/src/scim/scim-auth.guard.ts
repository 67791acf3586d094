import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TokenAuthenticator } from '#roster/tailnets';
import type { ScimRequest } from './scim-principal.js';
import { scimTokenOf } from './scim-token-of.js';

export class ScimUnauthorizedError extends Error {}

/** Authenticates a SCIM request by its tailnet's token (see scimTokenOf); the principal decides which tailnet it may touch. */
@Injectable()
export class ScimAuthGuard implements CanActivate {
  constructor(private readonly authenticator: TokenAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScimRequest>();
    const token = scimTokenOf(request.headers.authorization);
    const principal = token ? await this.authenticator.authenticate(token, 'scim') : null;
    if (!principal) throw new ScimUnauthorizedError('missing or invalid SCIM token');
    request.principal = principal;
    return true;
  }
}
