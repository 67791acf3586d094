import { contentHash } from './content-hash.js';
import { nodeHasAccess } from './endpoint-access.js';
import type { IdentityAtoms } from './identity-atoms.js';
import type { PolicyDefinitions } from './policy-definitions.js';
import type { SelectorSet } from './selector-set.js';
import type { World } from './world.js';
import type { WorldNode, WorldUser } from './world-records.js';

/** A list of source addresses with its fingerprint, so filters sharing a long list hash it once. */
export interface SourceList {
  readonly addresses: readonly string[];
  readonly fingerprint: string;
}

/**
 * The addresses a SelectorSet stands for right now: what a packet filter lists as sources.
 * Only nodes with access contribute; `*` stays `*`. A rule's sources are the same for every node
 * it reaches, so expansions are kept until the world next changes.
 */
export class SourceAddresses {
  private readonly expansions = new Map<SelectorSet, SourceList>();
  private expandedAt = -1;

  constructor(
    private readonly world: World,
    private readonly atoms: IdentityAtoms,
    private readonly definitions: PolicyDefinitions,
  ) {}

  of(set: SelectorSet): SourceList {
    if (this.expandedAt !== this.world.revision) {
      this.expansions.clear();
      this.expandedAt = this.world.revision;
    }
    let list = this.expansions.get(set);
    if (list === undefined) this.expansions.set(set, (list = sourceList(this.expand(set))));
    return list;
  }

  /** The addresses of the user's own nodes with access. */
  ofUser(user: WorldUser): SourceList {
    const addresses = new Set<string>();
    addUserNodes(addresses, user);
    return sourceList([...addresses].sort());
  }

  private expand(set: SelectorSet): string[] {
    if (set.matchesEverything) return ['*'];
    const addresses = new Set<string>();
    for (const atom of set.atoms.members()) for (const user of this.usersWith(atom)) addUserNodes(addresses, user);
    for (const tagId of set.tags.members()) {
      for (const node of this.world.nodesTagged(this.definitions.tagName(tagId))) addNode(addresses, node);
    }
    if (set.matchesAllTagged) for (const node of this.world.nodes()) if (node.owner === undefined) addNode(addresses, node);
    for (const prefix of set.prefixes) addresses.add(prefix.text);
    return [...addresses].sort();
  }

  private usersWith(atom: number): Iterable<WorldUser> {
    const meaning = this.atoms.meaningOf(atom);
    switch (meaning.kind) {
      case 'member':
        return this.world.users();
      case 'user': {
        const user = this.world.userByEmail(meaning.email);
        return user === undefined ? [] : [user];
      }
      case 'synced-group':
        return [...this.world.groupsNamed(meaning.name)].flatMap((group) => [...group.members]);
    }
  }
}

function sourceList(addresses: readonly string[]): SourceList {
  return { addresses, fingerprint: contentHash(addresses.join(',')) };
}

function addUserNodes(addresses: Set<string>, user: WorldUser): void {
  if (user.state !== 'active') return;
  for (const node of user.nodes) addNode(addresses, node);
}

function addNode(addresses: Set<string>, node: WorldNode): void {
  if (!nodeHasAccess(node)) return;
  addresses.add(node.ipv4Text);
  if (node.ipv6Text !== undefined) addresses.add(node.ipv6Text);
}
