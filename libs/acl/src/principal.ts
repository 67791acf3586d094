import { NO_IPV4, type IpAddress } from './ip-address.js';

/**
 * A source or destination reduced to what selectors test: whose it is (identity atoms), which
 * tags it carries, and its addresses. Users, nodes, bare IPs and the hypothetical endpoints of
 * the `tests` section all become principals, so one evaluator answers them all.
 */
export interface Principal {
  /** The owning user, compared for autogroup:self; NO_OWNER for tagged nodes and bare addresses. */
  readonly ownerKey: number;
  readonly atoms: Int32Array;
  readonly tagged: boolean;
  /** The node's tags that the policy defines, as tag ids. */
  readonly tagIds: Int32Array;
  readonly ipv4: number;
  readonly ipv6: readonly number[] | undefined;
}

export const NO_OWNER = -1;

const NO_ATOMS = new Int32Array(0);

export function addressPrincipal(address: Pick<IpAddress, 'family' | 'words'>): Principal {
  return {
    ownerKey: NO_OWNER,
    atoms: NO_ATOMS,
    tagged: false,
    tagIds: NO_ATOMS,
    ipv4: address.family === 4 ? address.words[0]! : NO_IPV4,
    ipv6: address.family === 6 ? address.words : undefined,
  };
}

export function identityPrincipal(ownerKey: number, atoms: Int32Array): Principal {
  return { ownerKey, atoms, tagged: false, tagIds: NO_ATOMS, ipv4: NO_IPV4, ipv6: undefined };
}

export function tagPrincipal(tagIds: Int32Array): Principal {
  return { ownerKey: NO_OWNER, atoms: NO_ATOMS, tagged: true, tagIds, ipv4: NO_IPV4, ipv6: undefined };
}

/** A node is its owner's identity at its own addresses, or, when tagged (ownerless), its tags there. */
export function nodePrincipal(owner: Principal | undefined, tagIds: Int32Array, ipv4: number, ipv6: readonly number[] | undefined): Principal {
  if (owner === undefined) return { ownerKey: NO_OWNER, atoms: NO_ATOMS, tagged: true, tagIds, ipv4, ipv6 };
  return { ownerKey: owner.ownerKey, atoms: owner.atoms, tagged: false, tagIds: NO_ATOMS, ipv4, ipv6 };
}
