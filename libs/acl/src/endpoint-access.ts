import type { NodeAccess, WorldNode, WorldUser } from './world-records.js';

const NODE_ACCESS_PROBLEMS: Readonly<Record<Exclude<NodeAccess, 'active'>, string>> = {
  'key-expired': 'its key has expired',
  'owner-suspended': 'its owner is suspended',
  'owner-deleted': 'its owner is deleted',
};

/** Suspended and deleted users match nothing anywhere: why this one does not, or undefined. */
export function userAccessProblem(user: WorldUser): string | undefined {
  return user.state === 'active' ? undefined : `${user.email} is ${user.state}`;
}

/** Nodes with an expired key, or whose owner lost access, match nothing anywhere. */
export function nodeAccessProblem(node: WorldNode): string | undefined {
  if (node.access !== 'active') return NODE_ACCESS_PROBLEMS[node.access];
  if (node.owner !== undefined && node.owner.state !== 'active') return `its owner ${node.owner.email} is ${node.owner.state}`;
  return undefined;
}

export function nodeHasAccess(node: WorldNode): boolean {
  return nodeAccessProblem(node) === undefined;
}
