import type { Actor } from '#roster/events';

/** Provision a user into a tailnet from a SCIM `POST /Users` body. */
export class CreateUserCommand {
  constructor(
    readonly tailnetId: string,
    readonly body: unknown,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}

export type CreatedUser = { userId: string; version: number; attributes: Record<string, unknown>; created: string };
