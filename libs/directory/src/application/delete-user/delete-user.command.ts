import type { Actor } from '#roster/events';
import type { UserTarget } from '../user-modification.js';

/** Hard-delete a user (`DELETE /Users/{id}`; Entra sends it about 30 days after a soft delete). */
export class DeleteUserCommand {
  constructor(
    readonly target: UserTarget,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
