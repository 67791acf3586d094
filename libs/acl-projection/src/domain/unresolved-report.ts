import type { Actor } from '#roster/events';
import type { AclRule, PolicyStatus, UnresolvedReference } from '#roster/acl';
import type { GroupNameChange } from './acl-facts.js';

/** One reference of the policy that names nothing now, with every rule it sits in and what the log says happened. */
export type UnresolvedEntry = {
  reference: string;
  kind: UnresolvedReference['kind'];
  problem: string;
  /** Indexes in `acls`; empty when the reference sits only in tagOwners. */
  rules: number[];
  places: { place: string; line: number; column: number }[];
  /** What happened to the name, from the log, when it used to name a synced group. */
  history: { kind: GroupNameChange['kind']; from: string; to: string | null; by: string; time: string } | null;
  narrative: string;
};

export type StatusReport = {
  mode: PolicyStatus['mode'];
  unresolved: UnresolvedEntry[];
  /** One sentence per unresolved reference, for humans. */
  narrative: string[];
};

const IDP_NAMES: Record<string, string> = { okta: 'Okta', 'entra-id': 'Entra ID' };

/**
 * Groups the evaluator's unresolved references by reference, and explains each: a synced group name that the log
 * shows was renamed or deleted gets "`group:eng@example.com` was renamed to `group:engineering@example.com` by Okta
 * on …; 3 rules now match nobody". A rule "matches nobody" when all of its sources or all of its destinations are
 * unresolved; a rule that still has other live selectors keeps applying to them.
 */
export function unresolvedReport(
  status: PolicyStatus,
  rules: readonly AclRule[],
  changes: readonly GroupNameChange[],
  domain: string,
): StatusReport {
  const byReference = new Map<string, UnresolvedReference[]>();
  for (const reference of status.unresolved) {
    const key = reference.reference.toLowerCase();
    byReference.set(key, [...(byReference.get(key) ?? []), reference]);
  }
  const unresolvedPlaces = new Set(status.unresolved.map((reference) => reference.place));
  const dead = new Set(rules.filter((rule) => matchesNobody(rule, unresolvedPlaces)).map((rule) => rule.index));
  const unresolved = [...byReference.values()].map((references) => {
    const first = references[0];
    const ruleIndexes = [...new Set(references.flatMap((reference) => (reference.ruleIndex === undefined ? [] : [reference.ruleIndex])))].sort((a, b) => a - b);
    const history = first.kind === 'synced-group' ? lastChangeOf(first.reference, changes, domain) : null;
    const deadCount = ruleIndexes.filter((index) => dead.has(index)).length;
    return {
      reference: first.reference,
      kind: first.kind,
      problem: first.problem,
      rules: ruleIndexes,
      places: references.map(({ place, line, column }) => ({ place, line, column })),
      history,
      narrative: narrativeOf(first, history, ruleIndexes.length, deadCount, domain),
    };
  });
  return { mode: status.mode, unresolved, narrative: unresolved.map((entry) => entry.narrative) };
}

function matchesNobody(rule: AclRule, unresolvedPlaces: ReadonlySet<string>): boolean {
  const allUnresolved = (selectors: readonly { place: string }[]) => selectors.length > 0 && selectors.every((selector) => unresolvedPlaces.has(selector.place));
  return rule.failsClosed || allUnresolved(rule.sources) || allUnresolved(rule.destinations);
}

/** The latest rename away from, or deletion of, the name this `group:<name>@<domain>` reference uses. */
function lastChangeOf(reference: string, changes: readonly GroupNameChange[], domain: string): UnresolvedEntry['history'] {
  const match = /^group:(.+)@([^@]+)$/i.exec(reference);
  if (!match || match[2].toLowerCase() !== domain) return null;
  const name = match[1].toLowerCase();
  for (let i = changes.length - 1; i >= 0; i--) {
    const change = changes[i];
    if (change.from.toLowerCase() !== name) continue;
    return { kind: change.kind, from: change.from, to: change.to, by: actorName(change.actor), time: change.time };
  }
  return null;
}

function narrativeOf(reference: UnresolvedReference, history: UnresolvedEntry['history'], rules: number, dead: number, domain: string): string {
  const what = `\`${reference.reference}\``;
  const happened =
    history === null
      ? `${what}: ${reference.problem}`
      : history.kind === 'renamed'
        ? `${what} was renamed to \`group:${history.to!.toLowerCase()}@${domain}\` by ${history.by} on ${history.time}`
        : `${what} was deleted by ${history.by} on ${history.time}`;
  if (rules === 0) return `${happened}; tag owners naming it own nothing`;
  const consequence =
    dead > 0
      ? `${dead} rule${dead === 1 ? '' : 's'} now match${dead === 1 ? 'es' : ''} nobody`
      : `${rules} rule${rules === 1 ? '' : 's'} no longer match${rules === 1 ? 'es' : ''} anyone through it`;
  return `${happened}; ${consequence}`;
}

function actorName(actor: Actor): string {
  if (actor.idp) return IDP_NAMES[actor.idp] ?? actor.idp;
  if (actor.kind === 'scim-token') return 'the identity provider';
  if (actor.kind === 'admin-api-key') return 'an admin';
  return actor.kind === 'operator' ? 'an operator' : 'Roster';
}
