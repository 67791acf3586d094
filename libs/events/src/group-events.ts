/** A group was created (Okta Group Push, Entra group provisioning). Members arrive as GroupMemberAdded. */
export type GroupCreatedData = { groupId: string; displayName: string; externalId: string | null };

/**
 * The group's displayName changed. Policies name synced groups by their lowercased name, so rules that named
 * `from` stop matching: the ACL projector reports them.
 */
export type GroupRenamedData = { groupId: string; from: string; to: string };

export type GroupExternalIdChangedData = { groupId: string; externalId: string | null };

/**
 * Users joined the group (v2: a list, where v1 named one user per event). One membership change is one event,
 * so a 5,000-member PATCH costs the log five events rather than 5,000; lists are capped at
 * MEMBERS_PER_EVENT so every record stays far below Kafka's message size limit.
 */
export type GroupMemberAddedData = { groupId: string; userIds: string[] };

/** Users left the group (v2: a list, as GroupMemberAdded). */
export type GroupMemberRemovedData = { groupId: string; userIds: string[] };

export const MEMBERS_PER_EVENT = 1_000;

/** The group was deleted; its memberships end with it. */
export type GroupDeletedData = { groupId: string; displayName: string };
