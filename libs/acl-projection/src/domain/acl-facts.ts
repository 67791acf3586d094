import type { NodeAccess, UserState } from '#roster/acl';
import type { Actor } from '#roster/events';

/**
 * What the ACL projector knows about a tailnet, as plain records: the facts it keeps in PostgreSQL and rebuilds its
 * in-memory World from. They follow the log, not the World's rules, so a fact the World cannot hold yet (a node
 * whose owner was deleted) is still kept.
 */
export type UserFact = { userId: string; login: string; state: UserState };

export type GroupFact = { groupId: string; displayName: string };

export type MembershipFact = { groupId: string; userId: string };

export type NodeFact = {
  nodeId: string;
  ownerUserId: string | null;
  tags: string[];
  ipv4: string;
  /** The current key reached its expiry (NodeKeyExpired) and has not been renewed or exempted since. */
  keyExpired: boolean;
  /** Why the node lost access through its owner (NodeAccessRevoked), until NodeAccessRestored. */
  ownerAccess: 'owner-suspended' | 'owner-deleted' | null;
};

export type PolicyFact = { policy: string; sha256: string; updated: string };

/** A rename or deletion of a synced group, kept so the policy status can say what happened to a name. */
export type GroupNameChange = {
  groupId: string;
  kind: 'renamed' | 'deleted';
  from: string;
  /** The new display name; null for a deletion. */
  to: string | null;
  actor: Actor;
  time: string;
};

/** A node's access as the evaluator sees it: an expired key wins over the owner's state. */
export function nodeAccessOf(node: NodeFact): NodeAccess {
  if (node.keyExpired) return 'key-expired';
  return node.ownerAccess ?? 'active';
}
