import type { IdentityAtoms } from './identity-atoms.js';
import { isSingleAddress } from './ip-address.js';
import type { PolicyDefinitions } from './policy-definitions.js';
import { addressPrincipal, identityPrincipal, NO_OWNER, tagPrincipal, type Principal } from './principal.js';
import type { PrincipalCache } from './principal-cache.js';
import type { Selector } from './selector.js';
import type { World } from './world.js';

/**
 * The hypothetical endpoints of the `tests` section. Tests assert what the policy means, not what
 * today's devices and account states are: a user is their identity (and group memberships) whether
 * or not they are suspended or have a device, even if the world does not know them yet; a tag is
 * a node carrying just that tag; a host or IP is that bare address.
 */
export class TestPrincipals {
  private readonly unknownUsers = new Map<string, number>();

  constructor(
    private readonly world: World,
    private readonly atoms: IdentityAtoms,
    private readonly definitions: PolicyDefinitions,
    private readonly principals: PrincipalCache,
  ) {}

  /** The principal a test names, or why it cannot stand for one. */
  principalFor(selector: Selector): Principal | string {
    switch (selector.kind) {
      case 'user': {
        const user = this.world.userByEmail(selector.email);
        if (user !== undefined) return this.principals.forUser(user);
        return identityPrincipal(this.unknownUserKey(selector.email), this.atoms.atomsOfUnknownUser(selector.email));
      }
      case 'tag': {
        const tagId = this.definitions.tagId(selector.name);
        return tagId === undefined ? `${selector.name} is not defined in tagOwners` : tagPrincipal(Int32Array.of(tagId));
      }
      case 'host': {
        const host = this.definitions.host(selector.name);
        if (host === undefined) return `host "${selector.name}" is not defined in hosts`;
        return isSingleAddress(host.prefix) ? addressPrincipal(host.prefix) : `host "${selector.name}" is a range (${host.prefix.text}), not one address`;
      }
      case 'address':
        return addressPrincipal(selector.prefix);
      default:
        return 'a test names one user, tag, host or IP address';
    }
  }

  /** Users the world does not know get keys below NO_OWNER, one per login, so autogroup:self still pairs them. */
  private unknownUserKey(email: string): number {
    let key = this.unknownUsers.get(email);
    if (key === undefined) this.unknownUsers.set(email, (key = NO_OWNER - 1 - this.unknownUsers.size));
    return key;
  }
}
