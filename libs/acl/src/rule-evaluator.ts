import type { DestinationIndex } from './destination-index.js';
import { NO_IPV4 } from './ip-address.js';
import { protocolCarriesPorts } from './ip-protocol.js';
import type { PortIndex } from './port-index.js';
import { NO_OWNER, type Principal } from './principal.js';
import type { DestinationClause } from './rule-compiler.js';

/** What firstAcceptingRule returns when no rule accepts; above every rule index. */
export const NO_RULE = 0x7fffffff;

const ANY_PORT = -1;

/**
 * The hot path. It reads only the clauses the destination index files under this destination and
 * port, each list in rule order, and stops a list at its first accepting clause or at the best
 * rule found so far; each clause costs a few bit tests. Nothing is allocated.
 */
export class RuleEvaluator {
  constructor(private readonly destinations: DestinationIndex) {}

  /** The lowest index below `bound` of a rule that lets `source` reach `destination`, or `bound`. */
  firstAcceptingRule(source: Principal, destination: Principal, port: number, protocol: number, bound: number): number {
    const destinations = this.destinations;
    let best = this.scanIndex(destinations.general, source, destination, port, protocol, bound);
    if (destination.ownerKey !== NO_OWNER && destination.ownerKey === source.ownerKey) {
      best = this.scanIndex(destinations.ownNodes, source, destination, port, protocol, best);
    }
    const tagged = destination.tagged;
    const keys = tagged ? destination.tagIds : destination.atoms;
    for (let index = 0; index < keys.length; index++) {
      const filed = tagged ? destinations.forTag(keys[index]!) : destinations.forAtom(keys[index]!);
      if (filed !== undefined) best = this.scanIndex(filed, source, destination, port, protocol, best);
    }
    if (destination.ipv4 !== NO_IPV4) {
      const slash24 = destinations.forIpv4Slash24(destination.ipv4);
      if (slash24 !== undefined) best = this.scanIndex(slash24, source, destination, port, protocol, best);
      const slash16 = destinations.forIpv4Slash16(destination.ipv4);
      if (slash16 !== undefined) best = this.scanIndex(slash16, source, destination, port, protocol, best);
    }
    return best;
  }

  private scanIndex(index: PortIndex, source: Principal, destination: Principal, port: number, protocol: number, bound: number): number {
    if (!protocolCarriesPorts(protocol)) return scan(index.all, source, destination, ANY_PORT, protocol, bound);
    const narrow = scan(index.narrowAt(port), source, destination, ANY_PORT, protocol, bound);
    return scan(index.wide, source, destination, port, protocol, narrow);
  }
}

/** `port` is ANY_PORT when the list is known to cover the port, or the protocol has none. */
function scan(
  clauses: readonly DestinationClause[],
  source: Principal,
  destination: Principal,
  port: number,
  protocol: number,
  bound: number,
): number {
  for (let index = 0; index < clauses.length; index++) {
    const clause = clauses[index]!;
    if (clause.ruleIndex >= bound) return bound;
    if (port !== ANY_PORT && (port < clause.first || port > clause.last)) continue;
    if (clause.rule.protocols[protocol] === 0) continue;
    if (!destinationMatches(clause, source, destination)) continue;
    if (clause.rule.sources.matches(source)) return clause.ruleIndex;
  }
  return bound;
}

/** autogroup:self pairs a user-owned destination with a source of the same owner. */
export function destinationMatches(clause: DestinationClause, source: Principal, destination: Principal): boolean {
  if (clause.ownNodesOnly) return destination.ownerKey !== NO_OWNER && destination.ownerKey === source.ownerKey;
  return clause.destination.matches(destination);
}

/** Whether the clause's protocols and ports include this protocol and port (portless protocols ignore it). */
export function clauseCovers(clause: DestinationClause, port: number, protocol: number): boolean {
  if (clause.rule.protocols[protocol] === 0) return false;
  return !protocolCarriesPorts(protocol) || (port >= clause.first && port <= clause.last);
}
