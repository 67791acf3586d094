import type { Actor } from '#roster/events';

/** An admin removes a device from the tailnet; its address is free again. */
export class DeleteNodeCommand {
  constructor(
    readonly tailnetId: string,
    readonly nodeId: string,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
