import type { Actor } from '#roster/events';

/** An admin disables (or re-enables) key expiry for one device. */
export class SetNodeKeyExpiryCommand {
  constructor(
    readonly tailnetId: string,
    readonly nodeId: string,
    readonly keyExpiryDisabled: boolean,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
