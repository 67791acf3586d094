/** Business failures of the node registry, mapped to admin API responses in one place at the edge. */
export class NodeNotFoundError extends Error {
  constructor(readonly nodeId: string) {
    super(`device ${nodeId} not found`);
  }
}

/** The request names a user who is not (or no longer) a user of this tailnet. */
export class UnknownOwnerError extends Error {
  constructor(readonly userRef: string) {
    super(`no user "${userRef}" in this tailnet`);
  }
}

/** The owner may not (re-)authenticate: the IdP suspended or deleted them. */
export class OwnerLacksAccessError extends Error {
  constructor(
    readonly ownerUserId: string,
    readonly reason: 'owner-suspended' | 'owner-deleted',
    action: string,
  ) {
    super(
      reason === 'owner-suspended'
        ? `cannot ${action}: the device's owner (user ${ownerUserId}) is suspended by the identity provider; reactivate the user in the IdP first`
        : `cannot ${action}: the device's owner (user ${ownerUserId}) was deleted`,
    );
  }
}

/** The input breaks a rule of the registry (a malformed tag, hostname or node key); the message says which. */
export class InvalidNodeInputError extends Error {}

/** Every candidate address drawn for a new node was taken (the tailnet's address space is nearly full). */
export class AddressSpaceExhaustedError extends Error {
  constructor() {
    super('could not allocate a free tailnet address in 100.64.0.0/10');
  }
}

/** The tags may not be applied: not defined in the policy's tagOwners, or the requesting user does not own them. */
export class TagsNotPermittedError extends Error {
  constructor(readonly refused: readonly { tag: string; reason: string }[]) {
    super(`tags not permitted: ${refused.map(({ tag, reason }) => `${tag} (${reason})`).join('; ')}`);
  }
}
