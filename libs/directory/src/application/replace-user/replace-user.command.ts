import type { Actor } from '#roster/events';
import type { UserTarget } from '../user-modification.js';

/** Replace a user's attributes with a SCIM `PUT /Users/{id}` body (RFC 7644 §3.5.1): what is left out is cleared. */
export class ReplaceUserCommand {
  constructor(
    readonly target: UserTarget,
    readonly body: unknown,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
