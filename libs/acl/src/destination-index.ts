import { PortIndex } from './port-index.js';
import type { DestinationClause } from './rule-compiler.js';

/**
 * Clauses filed by what their destination names, then by port, so a check reads only the clauses
 * that could name its destination:
 * - users (a login, a group, autogroup:member): under those identity atoms, read by the owner's atoms;
 * - tags: under the tag ids, read by a tagged node's tags;
 * - IPv4 CIDRs of /16 or longer (hosts, IPs): under their /24 or /16 block, read by the address's blocks;
 * - autogroup:self: apart, read only when source and destination have the same owner;
 * - the rest (`*`, autogroup:tagged, short or IPv6 prefixes): in the general index every check reads.
 */
export class DestinationIndex {
  readonly general: PortIndex;
  readonly ownNodes: PortIndex;
  private readonly byAtom: (PortIndex | undefined)[];
  private readonly byTag: (PortIndex | undefined)[];
  private readonly byIpv4Block: ReadonlyMap<number, PortIndex>;

  constructor(clauses: readonly DestinationClause[]) {
    const general: DestinationClause[] = [];
    const ownNodes: DestinationClause[] = [];
    const byAtom: DestinationClause[][] = [];
    const byTag: DestinationClause[][] = [];
    const byIpv4Block = new Map<number, DestinationClause[]>();
    for (const clause of clauses) {
      const destination = clause.destination;
      const block = ipv4BlockOf(clause);
      if (clause.ownNodesOnly) ownNodes.push(clause);
      else if (block !== undefined) fileUnder(byIpv4Block, block, clause);
      else if (destination.matchesEverything || destination.matchesAllTagged || destination.prefixes.length > 0) general.push(clause);
      else {
        for (const atom of destination.atoms.members()) (byAtom[atom] ??= []).push(clause);
        for (const tagId of destination.tags.members()) (byTag[tagId] ??= []).push(clause);
      }
    }
    this.general = new PortIndex(general);
    this.ownNodes = new PortIndex(ownNodes);
    this.byAtom = Array.from(byAtom, (filed) => (filed === undefined ? undefined : new PortIndex(filed)));
    this.byTag = Array.from(byTag, (filed) => (filed === undefined ? undefined : new PortIndex(filed)));
    this.byIpv4Block = new Map([...byIpv4Block].map(([block, filed]) => [block, new PortIndex(filed)]));
  }

  /** Clauses whose destination names users with this identity atom. */
  forAtom(atom: number): PortIndex | undefined {
    return this.byAtom[atom];
  }

  /** Clauses whose destination names this tag. */
  forTag(tagId: number): PortIndex | undefined {
    return this.byTag[tagId];
  }

  /** Clauses whose destination is a /24-or-longer prefix in this address's /24. */
  forIpv4Slash24(address: number): PortIndex | undefined {
    return this.byIpv4Block.get(slash24Block(address));
  }

  /** Clauses whose destination is a /16 to /23 prefix in this address's /16. */
  forIpv4Slash16(address: number): PortIndex | undefined {
    return this.byIpv4Block.get(slash16Block(address));
  }
}

function fileUnder(index: Map<number, DestinationClause[]>, key: number, clause: DestinationClause): void {
  const filed = index.get(key);
  if (filed === undefined) index.set(key, [clause]);
  else filed.push(clause);
}

/** The block a destination that is exactly one IPv4 prefix of /16 or longer is filed under. */
function ipv4BlockOf(clause: DestinationClause): number | undefined {
  const { destination } = clause;
  const [prefix] = destination.prefixes;
  if (destination.prefixes.length !== 1 || prefix === undefined || prefix.family !== 4 || prefix.bits < 16) return undefined;
  if (destination.matchesEverything || destination.matchesAllTagged || !destination.atoms.isEmpty || !destination.tags.isEmpty) return undefined;
  return prefix.bits >= 24 ? slash24Block(prefix.words[0]!) : slash16Block(prefix.words[0]!);
}

/** /24 and /16 blocks share one key space: /16 keys sit above every /24 key. */
function slash24Block(address: number): number {
  return address >>> 8;
}

function slash16Block(address: number): number {
  return 2 ** 24 + (address >>> 16);
}
