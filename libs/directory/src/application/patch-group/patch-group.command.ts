import type { Actor } from '#roster/events';
import type { GroupTargetRef } from '../group-modification.js';

/** Apply a SCIM `PATCH /Groups/{id}`: renames, member adds and removals, all or nothing. */
export class PatchGroupCommand {
  constructor(
    readonly target: GroupTargetRef,
    readonly body: unknown,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
