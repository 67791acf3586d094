import { IdentityAtoms, MEMBER_ATOM } from './identity-atoms.js';
import type { PolicyDefinitions } from './policy-definitions.js';
import type { Selector } from './selector.js';
import { SelectorSet } from './selector-set.js';

/**
 * Turns selectors into SelectorSets. References that resolve to nothing add nothing, so they
 * match nobody while the rest of their list keeps working. Synced groups are compiled by name,
 * not by the group they name today: a group renamed back, or created later, starts matching.
 */
export class SelectorCompiler {
  constructor(
    private readonly definitions: PolicyDefinitions,
    private readonly atoms: IdentityAtoms,
    private readonly domain: string,
  ) {}

  compile(selectors: readonly Selector[]): SelectorSet {
    const set = new SelectorSet();
    for (const selector of selectors) this.add(set, selector);
    return set;
  }

  private add(set: SelectorSet, selector: Selector): void {
    switch (selector.kind) {
      case 'any':
        set.matchesEverything = true;
        return;
      case 'user':
        set.atoms.add(this.atoms.internEmail(selector.email));
        return;
      case 'policy-group':
        for (const member of this.definitions.group(selector.name)?.members ?? []) this.add(set, member.selector);
        return;
      case 'synced-group':
        if (selector.domain === this.domain) set.atoms.add(this.atoms.internGroupName(selector.name));
        return;
      case 'autogroup':
        if (selector.name === 'member') set.atoms.add(MEMBER_ATOM);
        if (selector.name === 'tagged') set.matchesAllTagged = true;
        return;
      case 'tag': {
        const tagId = this.definitions.tagId(selector.name);
        if (tagId !== undefined) set.tags.add(tagId);
        return;
      }
      case 'host': {
        const host = this.definitions.host(selector.name);
        if (host !== undefined) set.prefixes.push(host.prefix);
        return;
      }
      case 'address':
        set.prefixes.push(selector.prefix);
        return;
    }
  }
}
