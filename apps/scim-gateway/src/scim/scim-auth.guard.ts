import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TokenAuthenticator } from '#roster/tailnets';
import type { ScimRequest } from './scim-principal.js';

export class ScimUnauthorizedError extends Error {}

/** Authenticates a SCIM request by its tailnet's bearer token; the principal decides which tailnet it may touch. */
@Injectable()
export class ScimAuthGuard implements CanActivate {
  constructor(private readonly authenticator: TokenAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScimRequest>();
    const header = request.headers.authorization ?? '';
    // Okta can be configured to send the bare token as the header value, without a scheme.
    const token = header.replace(/^Bearer\s+/i, '').trim();
    const principal = token ? await this.authenticator.authenticate(token, 'scim') : null;
    if (!principal) throw new ScimUnauthorizedError('missing or invalid bearer token');
    request.principal = principal;
    return true;
  }
}
