import type { IpPrefix } from './ip-address.js';
import type { PortRange } from './port-range.js';
import type { Selector } from './selector.js';
import type { SourcePosition } from './source-position.js';

/** Where something sits in the policy file: its JSON path and its line and column. */
export interface Placed extends SourcePosition {
  readonly place: string;
}

export interface PlacedSelector extends Placed {
  /** Exactly as written, for messages. */
  readonly text: string;
  readonly selector: Selector;
}

export interface PlacedDestination extends PlacedSelector {
  readonly ports: readonly PortRange[];
}

export interface PolicyGroup extends Placed {
  /** With its `group:` prefix. */
  readonly name: string;
  readonly members: readonly PlacedSelector[];
}

export interface TagOwnership extends Placed {
  /** With its `tag:` prefix. */
  readonly tag: string;
  readonly owners: readonly PlacedSelector[];
}

export interface HostAlias extends Placed {
  readonly name: string;
  readonly prefix: IpPrefix;
}

export interface AclRule extends Placed {
  readonly index: number;
  readonly sources: readonly PlacedSelector[];
  readonly destinations: readonly PlacedDestination[];
  /** IANA numbers; the defaults when the rule has no `proto`. */
  readonly protocols: readonly number[];
  /** The `proto` as written, absent when the rule has none. */
  readonly protocolText: string | undefined;
  /** The rule carries conditions Roster does not evaluate (`srcPosture`), so it matches nobody. */
  readonly failsClosed: boolean;
}

export interface PolicyTest extends Placed {
  readonly index: number;
  readonly source: PlacedSelector;
  readonly protocol: number;
  readonly accept: readonly PlacedDestination[];
  readonly deny: readonly PlacedDestination[];
}

/** A parsed tailnet policy file: only the sections Roster evaluates, with every entry's place. */
export interface Policy {
  readonly groups: readonly PolicyGroup[];
  readonly tagOwners: readonly TagOwnership[];
  readonly hosts: readonly HostAlias[];
  /** Undefined when the file has no `acls` key at all, which is not the same as `"acls": []`. */
  readonly acls: readonly AclRule[] | undefined;
  readonly tests: readonly PolicyTest[];
  /** Sections that are kept in the file but not evaluated here (`grants`, `ssh`, …). */
  readonly unevaluatedSections: readonly string[];
}
