import type { Actor } from '#roster/events';
import type { UserTarget } from '../user-modification.js';

/** Apply a SCIM `PATCH /Users/{id}` request (RFC 7644 §3.5.2, in either Entra dialect or Okta's). */
export class PatchUserCommand {
  constructor(
    readonly target: UserTarget,
    readonly body: unknown,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
