import type { IdentityAtoms } from './identity-atoms.js';
import type { PolicyDefinitions } from './policy-definitions.js';
import { identityPrincipal, nodePrincipal, type Principal } from './principal.js';
import type { WorldNode, WorldUser } from './world-records.js';

interface UserEntry {
  readonly user: WorldUser;
  readonly revision: number;
  readonly principal: Principal;
}

interface NodeEntry {
  readonly node: WorldNode;
  readonly revision: number;
  readonly ownerRevision: number;
  readonly principal: Principal;
}

/**
 * The principal of every user and node, rebuilt only when the world's revision numbers say the
 * record changed. This is how a membership change is applied incrementally: the world bumps the
 * one user's revision, and the next question about that user re-derives that user's atoms alone.
 */
export class PrincipalCache {
  private readonly users: (UserEntry | undefined)[] = [];
  private readonly nodes: (NodeEntry | undefined)[] = [];
  private usersIndexedCount = 0;
  private nodesIndexedCount = 0;

  constructor(
    private readonly atoms: IdentityAtoms,
    private readonly definitions: PolicyDefinitions,
  ) {}

  /** How many times a user's or a node's principal was derived: the work incremental updates cost. */
  get indexed(): { readonly users: number; readonly nodes: number } {
    return { users: this.usersIndexedCount, nodes: this.nodesIndexedCount };
  }

  forUser(user: WorldUser): Principal {
    const entry = this.users[user.slot];
    if (entry !== undefined && entry.user === user && entry.revision === user.identityRevision) return entry.principal;
    const principal = identityPrincipal(user.slot, this.atoms.atomsOfUser(user));
    this.users[user.slot] = { user, revision: user.identityRevision, principal };
    this.usersIndexedCount++;
    return principal;
  }

  forNode(node: WorldNode): Principal {
    const entry = this.nodes[node.slot];
    const owner = node.owner;
    if (
      entry !== undefined &&
      entry.node === node &&
      entry.revision === node.revision &&
      (owner === undefined || entry.ownerRevision === owner.identityRevision)
    ) {
      return entry.principal;
    }
    const principal = this.derive(node, owner);
    this.nodes[node.slot] = { node, revision: node.revision, ownerRevision: owner?.identityRevision ?? -1, principal };
    this.nodesIndexedCount++;
    return principal;
  }

  private derive(node: WorldNode, owner: WorldUser | undefined): Principal {
    const ownerPrincipal = owner === undefined ? undefined : this.forUser(owner);
    const tagIds: number[] = [];
    for (const tag of node.tags) {
      const tagId = this.definitions.tagId(tag);
      if (tagId !== undefined) tagIds.push(tagId);
    }
    return nodePrincipal(ownerPrincipal, Int32Array.from(tagIds), node.ipv4, node.ipv6);
  }
}
