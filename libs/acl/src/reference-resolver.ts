import type { PolicyDefinitions } from './policy-definitions.js';
import type { Selector } from './selector.js';
import type { World } from './world.js';

export type ReferenceKind = 'policy-group' | 'synced-group' | 'tag' | 'host';

/** Selectors that name something defined elsewhere, and so may name something that does not exist. */
export function referenceKind(selector: Selector): ReferenceKind | undefined {
  switch (selector.kind) {
    case 'policy-group':
    case 'synced-group':
    case 'tag':
    case 'host':
      return selector.kind;
    default:
      return undefined;
  }
}

/**
 * Why a selector names nothing, or undefined when it resolves. Synced groups resolve against the
 * world as it is now: an IdP rename or delete makes a reference that resolved yesterday fail today.
 */
export function unresolvedProblem(selector: Selector, definitions: PolicyDefinitions, world: World): string | undefined {
  switch (selector.kind) {
    case 'policy-group':
      return definitions.group(selector.name) === undefined ? `${selector.name} is not defined in groups` : undefined;
    case 'synced-group':
      return syncedGroupProblem(selector.name, selector.domain, world);
    case 'tag':
      return definitions.tagOwnership(selector.name) === undefined ? `${selector.name} is not defined in tagOwners` : undefined;
    case 'host':
      return definitions.host(selector.name) === undefined ? `host "${selector.name}" is not defined in hosts` : undefined;
    default:
      return undefined;
  }
}

function syncedGroupProblem(name: string, domain: string, world: World): string | undefined {
  const reference = `group:${name}@${domain}`;
  if (domain !== world.domain) return `${reference} names the domain ${domain}, but this tailnet's identity domain is ${world.domain}`;
  if (world.groupsNamed(name).size === 0) return `${reference} matches no group synced from the identity provider`;
  return undefined;
}
