import type { Actor } from '#roster/events';
import type { GroupTargetRef } from '../group-modification.js';

/** Delete a group (Okta "unlink and delete in the app", Entra group deprovisioning). Its users stay. */
export class DeleteGroupCommand {
  constructor(
    readonly target: GroupTargetRef,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
