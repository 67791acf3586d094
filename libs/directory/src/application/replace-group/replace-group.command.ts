import type { Actor } from '#roster/events';
import type { GroupTargetRef } from '../group-modification.js';

/** Replace a group with a SCIM `PUT /Groups/{id}` body (Okta AIW apps rename and set members this way). */
export class ReplaceGroupCommand {
  constructor(
    readonly target: GroupTargetRef,
    readonly body: unknown,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
