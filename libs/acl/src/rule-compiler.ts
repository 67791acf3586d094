import type { AclRule, PlacedSelector } from './policy.js';
import { referenceKind } from './reference-resolver.js';
import type { SelectorCompiler } from './selector-compiler.js';
import type { SelectorSet } from './selector-set.js';

export interface CompiledRule {
  readonly index: number;
  readonly place: string;
  readonly sources: SelectorSet;
  /** 256 flags indexed by IANA protocol number. */
  readonly protocols: Uint8Array;
  readonly protocolText: string | undefined;
  /** The `src` entries that name a group, tag or host, which may resolve to nothing. */
  readonly sourceReferences: readonly PlacedSelector[];
}

/** One `dst` entry with one of its port ranges: the unit the port index files. */
export interface DestinationClause {
  readonly rule: CompiledRule;
  readonly ruleIndex: number;
  readonly destination: SelectorSet;
  /** autogroup:self: the source user's own (untagged) nodes. */
  readonly ownNodesOnly: boolean;
  readonly first: number;
  readonly last: number;
  /** The `dst` entry when it names a group, tag or host, which may resolve to nothing. */
  readonly reference: PlacedSelector | undefined;
}

export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  /** In rule order, so the first clause that accepts names the lowest accepting rule. */
  readonly clauses: readonly DestinationClause[];
}

export function compileRules(acls: readonly AclRule[], compiler: SelectorCompiler): CompiledRules {
  const rules: CompiledRule[] = [];
  const clauses: DestinationClause[] = [];
  for (const acl of acls) {
    const rule: CompiledRule = {
      index: acl.index,
      place: acl.place,
      sources: compiler.compile(acl.failsClosed ? [] : acl.sources.map((source) => source.selector)),
      protocols: protocolFlags(acl.protocols),
      protocolText: acl.protocolText,
      sourceReferences: acl.sources.filter((source) => referenceKind(source.selector) !== undefined),
    };
    rules.push(rule);
    for (const entry of acl.destinations) {
      const ownNodesOnly = entry.selector.kind === 'autogroup' && entry.selector.name === 'self';
      const destination = compiler.compile(ownNodesOnly ? [] : [entry.selector]);
      const reference = referenceKind(entry.selector) === undefined ? undefined : entry;
      for (const { first, last } of entry.ports) {
        clauses.push({ rule, ruleIndex: rule.index, destination, ownNodesOnly, first, last, reference });
      }
    }
  }
  return { rules, clauses };
}

function protocolFlags(protocols: readonly number[]): Uint8Array {
  const flags = new Uint8Array(256);
  for (const protocol of protocols) flags[protocol] = 1;
  return flags;
}
