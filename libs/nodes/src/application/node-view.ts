import type { NodeAccessState } from '../domain/node-access.js';

/** A row of the node read model. */
export type NodeRow = {
  id: string;
  owner_user_id: string | null;
  owner_user_name: string | null;
  tags: string[];
  hostname: string;
  ipv4: string;
  node_key: string;
  key_expiry: Date;
  key_expiry_disabled: boolean;
  key_expired: boolean;
  access_state: NodeAccessState;
  access_since: Date;
  version: number;
  created_at: Date;
  last_modified: Date;
};

export const NODE_ROW_COLUMNS = `n.id, n.owner_user_id, o.user_name AS owner_user_name, n.tags, n.hostname, n.ipv4, n.node_key, n.key_expiry,
  n.key_expiry_disabled, n.key_expired, n.access_state, n.access_since, n.version, n.created_at, n.last_modified`;

export const NODE_ROW_SOURCE = `nodes.nodes n LEFT JOIN nodes.owners o ON o.tailnet_id = n.tailnet_id AND o.user_id = n.owner_user_id`;

/** A device as the admin API shows it, in the spirit of Tailscale's device resource. */
export type NodeView = {
  id: string;
  user: { id: string; userName: string | null } | null;
  tags: string[];
  hostname: string;
  addresses: string[];
  nodeKey: string;
  keyExpiry: string | null;
  keyExpiryDisabled: boolean;
  access: { state: NodeAccessState; since: string };
  created: string;
  lastModified: string;
  version: number;
};

export function toNodeView(row: NodeRow): NodeView {
  return {
    id: row.id,
    user: row.owner_user_id ? { id: row.owner_user_id, userName: row.owner_user_name } : null,
    tags: row.tags,
    hostname: row.hostname,
    addresses: [row.ipv4],
    nodeKey: row.node_key,
    // Tailscale shows no expiry for a key that does not expire.
    keyExpiry: row.key_expiry_disabled ? null : row.key_expiry.toISOString(),
    keyExpiryDisabled: row.key_expiry_disabled,
    access: { state: row.access_state, since: row.access_since.toISOString() },
    created: row.created_at.toISOString(),
    lastModified: row.last_modified.toISOString(),
    version: row.version,
  };
}
