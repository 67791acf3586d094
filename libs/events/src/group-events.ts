/** A group was created (Okta Group Push, Entra group provisioning). Members arrive as GroupMemberAdded. */
export type GroupCreatedData = { groupId: string; displayName: string; externalId: string | null };

/**
 * The group's displayName changed. Policies name synced groups by their lowercased name, so rules that named
 * `from` stop matching: the ACL projector reports them.
 */
export type GroupRenamedData = { groupId: string; from: string; to: string };

export type GroupExternalIdChangedData = { groupId: string; externalId: string | null };

export type GroupMemberAddedData = { groupId: string; userId: string };

export type GroupMemberRemovedData = { groupId: string; userId: string };

/** The group was deleted; its memberships end with it. */
export type GroupDeletedData = { groupId: string; displayName: string };
