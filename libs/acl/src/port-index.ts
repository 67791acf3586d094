import type { DestinationClause } from './rule-compiler.js';

/**
 * Clauses filed by destination port, so a check looks only at the clauses that can cover its port.
 * Narrow ranges are filed under each of their ports; ranges wider than WIDE_RANGE (`*`, 1024-65535)
 * sit in one list checked against every port. Every list keeps rule order.
 */
export class PortIndex {
  private readonly byPort = new Map<number, DestinationClause[]>();
  readonly wide: readonly DestinationClause[];

  /** `all` in rule order; protocols without ports (ICMP…) look at every clause. */
  constructor(readonly all: readonly DestinationClause[]) {
    const wide: DestinationClause[] = [];
    for (const clause of all) {
      if (clause.last - clause.first + 1 > WIDE_RANGE) {
        wide.push(clause);
        continue;
      }
      for (let port = clause.first; port <= clause.last; port++) {
        const filed = this.byPort.get(port);
        if (filed === undefined) this.byPort.set(port, [clause]);
        else filed.push(clause);
      }
    }
    this.wide = wide;
  }

  /** The clauses whose (narrow) ranges include `port`. */
  narrowAt(port: number): readonly DestinationClause[] {
    return this.byPort.get(port) ?? NO_CLAUSES;
  }
}

const WIDE_RANGE = 1024;
const NO_CLAUSES: readonly DestinationClause[] = [];
