/** The records of a World as its readers see them, and what its mutators take. */
export type UserState = 'active' | 'suspended' | 'deleted';
export type NodeAccess = 'active' | 'key-expired' | 'owner-suspended' | 'owner-deleted';

export interface WorldUser {
  readonly id: string;
  /** Dense index for per-user caches; reused after the user is removed. */
  readonly slot: number;
  /** The login email, lowercased. */
  readonly email: string;
  readonly state: UserState;
  /** Changes whenever anything a policy can say about the user changes: email, groups, group names. */
  readonly identityRevision: number;
  readonly groups: ReadonlySet<WorldGroup>;
  readonly nodes: ReadonlySet<WorldNode>;
}

export interface WorldGroup {
  readonly id: string;
  readonly displayName: string;
  /** The lowercased display name: the `<name>` of `group:<name>@<domain>`. */
  readonly policyName: string;
  readonly members: ReadonlySet<WorldUser>;
}

export interface WorldNode {
  readonly id: string;
  readonly slot: number;
  /** Undefined for tagged nodes, which belong to their tags and to no user. */
  readonly owner: WorldUser | undefined;
  readonly tags: readonly string[];
  readonly ipv4: number;
  readonly ipv4Text: string;
  readonly ipv6: readonly number[] | undefined;
  readonly ipv6Text: string | undefined;
  readonly access: NodeAccess;
  /** Changes whenever the node's owner, tags or addresses change. */
  readonly revision: number;
}

export interface UserInput {
  readonly id: string;
  readonly email: string;
  /** Defaults to active for a new user; an existing user keeps their state. */
  readonly state?: UserState;
}

export interface GroupInput {
  readonly id: string;
  readonly displayName: string;
}

/** A node is owned by a user or carries tags, never both. */
export interface NodeInput {
  readonly id: string;
  readonly owner?: string;
  readonly tags?: readonly string[];
  /** A tailnet address in 100.64.0.0/10. */
  readonly ipv4: string;
  readonly ipv6?: string;
  /** Defaults to active for a new node; an existing node keeps its access. */
  readonly access?: NodeAccess;
}
