import type { Actor } from '#roster/events';

/** The device re-authenticates (Tailscale: `tailscale up --force-reauth`): a new node key with a fresh expiry. */
export class RenewNodeKeyCommand {
  constructor(
    readonly tailnetId: string,
    readonly nodeId: string,
    readonly nodeKey: string | undefined,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}
