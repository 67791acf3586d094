import { Bitset } from './bitset.js';
import { NO_IPV4, prefixContainsIpv4, prefixContainsIpv6, type IpPrefix } from './ip-address.js';
import type { Principal } from './principal.js';

/**
 * A compiled list of selectors (a rule's `src`, one `dst` entry, a tag's owners). An empty set
 * matches nobody, which is how unknown references fail closed.
 */
export class SelectorSet {
  matchesEverything = false;
  matchesAllTagged = false;
  readonly atoms = new Bitset();
  readonly tags = new Bitset();
  readonly prefixes: IpPrefix[] = [];

  matches(principal: Principal): boolean {
    if (this.matchesEverything) return true;
    if (!this.atoms.isEmpty && this.matchesAtoms(principal.atoms)) return true;
    if (principal.tagged && this.matchesTags(principal.tagIds)) return true;
    return this.prefixes.length > 0 && this.matchesAddress(principal);
  }

  private matchesAtoms(atoms: Int32Array): boolean {
    for (let index = 0; index < atoms.length; index++) if (this.atoms.has(atoms[index]!)) return true;
    return false;
  }

  private matchesTags(tagIds: Int32Array): boolean {
    if (this.matchesAllTagged) return true;
    if (this.tags.isEmpty) return false;
    for (let index = 0; index < tagIds.length; index++) if (this.tags.has(tagIds[index]!)) return true;
    return false;
  }

  private matchesAddress(principal: Principal): boolean {
    for (const prefix of this.prefixes) {
      if (principal.ipv4 !== NO_IPV4 && prefixContainsIpv4(prefix, principal.ipv4)) return true;
      if (principal.ipv6 !== undefined && prefixContainsIpv6(prefix, principal.ipv6)) return true;
    }
    return false;
  }
}
