import { denial, type CheckResult } from './access-question.js';
import { NO_IPV4 } from './ip-address.js';
import type { PlacedSelector } from './policy.js';
import type { Principal } from './principal.js';
import type { DestinationClause } from './rule-compiler.js';
import { clauseCovers, destinationMatches } from './rule-evaluator.js';
import type { UnresolvedReference, UnresolvedReferences } from './unresolved-references.js';

const NO_RULE_MATCHED = denial('no rule matched');

/**
 * Says why nothing accepted. A plain "no rule matched" is an intended deny; but when a rule
 * covering the port would apply if a reference it names existed (an IdP group renamed, a tag
 * dropped from tagOwners), the admin needs to hear that the rule failed closed, and why.
 */
export class DenialExplainer {
  private readonly clausesWithReferences: readonly DestinationClause[];
  private blockedFor: readonly UnresolvedReference[] = [];
  private blocked: readonly DestinationClause[] = [];

  constructor(
    clauses: readonly DestinationClause[],
    private readonly unresolved: UnresolvedReferences,
  ) {
    this.clausesWithReferences = clauses.filter((clause) => clause.reference !== undefined || clause.rule.sourceReferences.length > 0);
  }

  explain(source: Principal, destination: Principal, port: number, protocol: number): CheckResult {
    const blocked: string[] = [];
    for (const clause of this.clausesNamingUnresolved()) {
      if (!clauseCovers(clause, port, protocol)) continue;
      const sourceProblems = this.problemsFor(clause.rule.sourceReferences, source);
      const destinationProblems = clause.reference === undefined ? [] : this.problemsFor([clause.reference], destination);
      if (sourceProblems.length + destinationProblems.length === 0) continue;
      const sourceCould = sourceProblems.length > 0 || clause.rule.sources.matches(source);
      const destinationCould = destinationProblems.length > 0 || destinationMatches(clause, source, destination);
      if (sourceCould && destinationCould) {
        blocked.push(`${clause.rule.place} could apply but fails closed: ${[...sourceProblems, ...destinationProblems].join('; ')}`);
      }
    }
    return blocked.length === 0 ? NO_RULE_MATCHED : denial(`no rule matched — ${[...new Set(blocked)].join(' | ')}`);
  }

  /** The clauses naming an unresolved reference; recomputed only when the unresolved list is. */
  private clausesNamingUnresolved(): readonly DestinationClause[] {
    const unresolved = this.unresolved.list();
    if (unresolved === this.blockedFor) return this.blocked;
    const isUnresolved = (reference: PlacedSelector) => this.unresolved.problemOf(reference) !== undefined;
    this.blocked = this.clausesWithReferences.filter(
      (clause) => (clause.reference !== undefined && isUnresolved(clause.reference)) || clause.rule.sourceReferences.some(isUnresolved),
    );
    this.blockedFor = unresolved;
    return this.blocked;
  }

  /** The problems of the unresolved references among `references` that could have named this principal. */
  private problemsFor(references: readonly PlacedSelector[], principal: Principal): string[] {
    const problems: string[] = [];
    for (const reference of references) {
      const problem = this.unresolved.problemOf(reference);
      if (problem !== undefined && couldName(reference, principal)) problems.push(problem);
    }
    return problems;
  }
}

/** A group names users, a tag tagged nodes, a host addresses: a reference cannot be blamed for a principal of another kind. */
function couldName(reference: PlacedSelector, principal: Principal): boolean {
  switch (reference.selector.kind) {
    case 'tag':
      return principal.tagged;
    case 'host':
      return principal.ipv4 !== NO_IPV4 || principal.ipv6 !== undefined;
    default:
      return principal.atoms.length > 0;
  }
}
