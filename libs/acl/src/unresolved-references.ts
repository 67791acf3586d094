import type { PlacedSelector, Policy } from './policy.js';
import type { PolicyDefinitions } from './policy-definitions.js';
import { referenceKind, unresolvedProblem, type ReferenceKind } from './reference-resolver.js';
import type { World } from './world.js';

/** A reference in the policy that currently names nothing, so whatever uses it matches nobody. */
export interface UnresolvedReference {
  /** As written in the policy. */
  readonly reference: string;
  readonly kind: ReferenceKind;
  readonly place: string;
  readonly line: number;
  readonly column: number;
  /** The index in `acls` of the rule it sits in; undefined in tagOwners. */
  readonly ruleIndex: number | undefined;
  readonly problem: string;
}

interface Candidate {
  readonly selector: PlacedSelector;
  readonly kind: ReferenceKind;
  readonly ruleIndex: number | undefined;
}

/**
 * The references of the policy's rules and tag owners that resolve to nothing. Policy-file
 * references cannot change under a compiled policy, but synced groups can, so the list is
 * recomputed whenever the world's group names change, and only then.
 */
export class UnresolvedReferences {
  private readonly candidates: readonly Candidate[];
  private seenRevision = -1;
  private current: readonly UnresolvedReference[] = [];
  private problems = new Map<PlacedSelector, string>();

  constructor(
    policy: Policy,
    private readonly definitions: PolicyDefinitions,
    private readonly world: World,
  ) {
    this.candidates = referenceCandidates(policy);
  }

  list(): readonly UnresolvedReference[] {
    this.refresh();
    return this.current;
  }

  /** Why this reference names nothing, or undefined when it resolves. */
  problemOf(selector: PlacedSelector): string | undefined {
    this.refresh();
    return this.problems.get(selector);
  }

  private refresh(): void {
    if (this.seenRevision === this.world.groupNamesRevision) return;
    const problems = new Map<PlacedSelector, string>();
    const current: UnresolvedReference[] = [];
    for (const { selector, kind, ruleIndex } of this.candidates) {
      const problem = unresolvedProblem(selector.selector, this.definitions, this.world);
      if (problem === undefined) continue;
      problems.set(selector, problem);
      const { text: reference, place, line, column } = selector;
      current.push({ reference, kind, place, line, column, ruleIndex, problem });
    }
    this.problems = problems;
    this.current = current;
    this.seenRevision = this.world.groupNamesRevision;
  }
}

function referenceCandidates(policy: Policy): Candidate[] {
  const candidates: Candidate[] = [];
  const consider = (selector: PlacedSelector, ruleIndex: number | undefined) => {
    const kind = referenceKind(selector.selector);
    if (kind !== undefined) candidates.push({ selector, kind, ruleIndex });
  };
  for (const rule of policy.acls ?? []) {
    for (const source of rule.sources) consider(source, rule.index);
    for (const destination of rule.destinations) consider(destination, rule.index);
  }
  for (const ownership of policy.tagOwners) for (const owner of ownership.owners) consider(owner, undefined);
  return candidates;
}
