/**
 * Events of the Node aggregate (a device of the tailnet). A node is owned either by one user or, when tagged, by its
 * tags; tagged nodes are unaffected by any user's state and have key expiry disabled unless it is enabled again.
 */

/** A device joined the tailnet with a node key. `keyExpiry` is when that key stops working (ISO 8601, UTC). */
export type NodeRegisteredData = {
  nodeId: string;
  /** The owning user, or null for a node owned by its tags. */
  ownerUserId: string | null;
  tags: string[];
  hostname: string;
  /** The node's tailnet address, from 100.64.0.0/10, unique within the tailnet. */
  ipv4: string;
  nodeKey: string;
  keyExpiry: string;
  keyExpiryDisabled: boolean;
};

/** The node re-authenticated: a new node key, valid until `keyExpiry`. */
export type NodeKeyRenewedData = { nodeId: string; nodeKey: string; keyExpiry: string };

/** An admin disabled key expiry for the node: its key no longer expires. */
export type NodeKeyExpiryDisabledData = { nodeId: string };

/** An admin enabled key expiry again: the key expires at `keyExpiry` (possibly already past). */
export type NodeKeyExpiryEnabledData = { nodeId: string; keyExpiry: string };

/**
 * The node's tags were set. Tagging a user's node hands its ownership to the tags (`ownerUserId` becomes null), as in
 * Tailscale.
 */
export type NodeTagsChangedData = { nodeId: string; from: string[]; to: string[]; ownerUserId: string | null };

export type NodeDeletedData = { nodeId: string; hostname: string };

/** The node's key reached its expiry: recorded once per key by the node-key expiry projector. */
export type NodeKeyExpiredData = { nodeId: string; keyExpiry: string };

export type NodeAccessReason = 'owner-suspended' | 'owner-deleted';

/**
 * The node lost access because of its owner (suspended or deleted by the IdP). Recorded by the node-key expiry
 * projector when it applies the owner's event (`causationId` is that event's id).
 */
export type NodeAccessRevokedData = { nodeId: string; ownerUserId: string; reason: NodeAccessReason };

/** The owner was reactivated and the node's key is still valid: the node has access again. */
export type NodeAccessRestoredData = { nodeId: string; ownerUserId: string; reason: 'owner-reactivated' };
