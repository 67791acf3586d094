import type { Actor } from '#roster/events';

/** An admin sets a device's tags (Tailscale's `POST /device/{id}/tags`). */
export class SetNodeTagsCommand {
  constructor(
    readonly tailnetId: string,
    readonly nodeId: string,
    readonly tags: string[],
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
