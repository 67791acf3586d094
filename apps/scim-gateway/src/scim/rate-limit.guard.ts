import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { ScimRequest } from './scim-principal.js';
import { RateLimitedError, TailnetRateLimiter } from './tailnet-rate-limiter.js';

/** Charges the request to its tailnet's bucket; list it after `ScimAuthGuard`, which sets the principal. */
@Injectable()
export class TailnetRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: TailnetRateLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<ScimRequest>().principal;
    // Failing loudly beats silently not limiting a route whose guards are listed in the wrong order.
    if (!principal) throw new Error('TailnetRateLimitGuard needs an authenticated principal: list it after ScimAuthGuard');
    const decision = this.limiter.take(principal.tailnetId);
    if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
    return true;
  }
}
