import type { Actor } from '#roster/events';

/** Provision a group from a SCIM `POST /Groups` body (Okta Group Push, Entra group provisioning). */
export class CreateGroupCommand {
  constructor(
    readonly tailnetId: string,
    readonly body: unknown,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
