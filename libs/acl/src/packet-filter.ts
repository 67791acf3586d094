import { contentHash } from './content-hash.js';
import { nodeHasAccess } from './endpoint-access.js';
import type { PrincipalCache } from './principal-cache.js';
import type { PolicyMode } from './policy-mode.js';
import { ALL_PORTS } from './port-range.js';
import type { DestinationClause } from './rule-compiler.js';
import type { SourceAddresses, SourceList } from './source-addresses.js';
import type { WorldNode } from './world-records.js';

export interface PacketFilterPort {
  readonly ip: string;
  readonly first: number;
  readonly last: number;
  /** The rule's `proto`; absent means the default protocols (TCP, UDP, ICMP, ICMPv6). */
  readonly proto?: string;
}

export interface PacketFilterRule {
  /** Addresses (or `*`, or CIDRs) allowed to send to `ports`. */
  readonly srcIps: readonly string[];
  readonly ports: readonly PacketFilterPort[];
}

/** What a control plane pushes to one node: who may reach it, where. */
export interface PacketFilter {
  /** A fingerprint of `rules`: it changes exactly when their content does. */
  readonly version: string;
  readonly rules: readonly PacketFilterRule[];
}

export interface PacketFilterContext {
  readonly mode: PolicyMode;
  readonly clauses: readonly DestinationClause[];
  readonly principals: PrincipalCache;
  readonly sourceAddresses: SourceAddresses;
}

/** A node that is unknown or has lost access is sent a filter that lets nothing in. */
export function buildPacketFilter(node: WorldNode | undefined, context: PacketFilterContext): PacketFilter {
  const entries = node === undefined || !nodeHasAccess(node) ? [] : filterEntries(node, context);
  // Source lists can be long and are shared by many nodes: the version hashes their fingerprints.
  const version = contentHash(JSON.stringify(entries.map((entry) => [entry.sources.fingerprint, entry.ports])));
  return { version, rules: entries.map((entry) => ({ srcIps: entry.sources.addresses, ports: entry.ports })) };
}

interface FilterEntry {
  readonly sources: SourceList;
  readonly ports: readonly PacketFilterPort[];
}

function filterEntries(node: WorldNode, context: PacketFilterContext): FilterEntry[] {
  const addresses = node.ipv6Text === undefined ? [node.ipv4Text] : [node.ipv4Text, node.ipv6Text];
  if (context.mode === 'allow-all') return [{ sources: EVERYWHERE, ports: portsAt(addresses, ALL_PORTS.first, ALL_PORTS.last, undefined) }];
  if (context.mode === 'deny-all') return [];
  const destination = context.principals.forNode(node);
  const grouped = new Map<string, { sources: SourceList; ports: Map<string, PacketFilterPort> }>();
  for (const clause of context.clauses) {
    if (clause.ownNodesOnly ? destination.tagged : !clause.destination.matches(destination)) continue;
    const key = `${clause.ruleIndex}:${clause.ownNodesOnly}`;
    let entry = grouped.get(key);
    if (entry === undefined) {
      const sources = clause.ownNodesOnly ? ownerSources(node, clause, context) : context.sourceAddresses.of(clause.rule.sources);
      grouped.set(key, (entry = { sources, ports: new Map() }));
    }
    for (const port of portsAt(addresses, clause.first, clause.last, clause.rule.protocolText)) {
      entry.ports.set(`${port.ip} ${port.first}-${port.last}`, port);
    }
  }
  return [...grouped.values()]
    .filter((entry) => entry.sources.addresses.length > 0)
    .map((entry) => ({ sources: entry.sources, ports: [...entry.ports.values()] }));
}

/** autogroup:self lets the node's owner in from their own nodes, if the rule's src names the owner. */
function ownerSources(node: WorldNode, clause: DestinationClause, context: PacketFilterContext): SourceList {
  const owner = node.owner!;
  return clause.rule.sources.matches(context.principals.forUser(owner)) ? context.sourceAddresses.ofUser(owner) : NOWHERE;
}

function portsAt(addresses: readonly string[], first: number, last: number, proto: string | undefined): PacketFilterPort[] {
  return addresses.map((ip) => (proto === undefined ? { ip, first, last } : { ip, first, last, proto }));
}

const EVERYWHERE: SourceList = { addresses: ['*'], fingerprint: contentHash('*') };
const NOWHERE: SourceList = { addresses: [], fingerprint: contentHash('') };
