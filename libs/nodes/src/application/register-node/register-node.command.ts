import type { Actor } from '#roster/events';

/** A device joins the tailnet, for a user (by id or userName) or with tags. */
export class RegisterNodeCommand {
  constructor(
    readonly tailnetId: string,
    readonly input: { user?: string; tags: string[]; hostname: string; nodeKey?: string },
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
