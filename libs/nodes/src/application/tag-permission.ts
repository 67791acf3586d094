/** Who applies tags: a user authenticating a device that advertises them, or an admin API key. */
export type TagRequester = { userId: string } | { adminKey: true };

/**
 * The port through which the registry asks the tailnet's policy whether tags may be applied (Tailscale's
 * `tagOwners`). Throws TagsNotPermittedError naming each refused tag and why.
 */
export interface TagPermission {
  assertMayApply(tailnetId: string, requester: TagRequester, tags: readonly string[]): Promise<void>;
}

export const TAG_PERMISSION = Symbol('TagPermission');
