/**
 * The keys a policy file, an ACL rule and a test may have.
 *
 * Keys match case-insensitively because Tailscale decodes the file with Go's encoding/json, which
 * does, and its older documentation writes `ACLs`, `Groups` and `TagOwners`. The legacy rule keys
 * `users` and `ports` still mean `src` and `dst`.
 *
 * Unknown keys are errors, so a typo such as `"acl"` never ships a policy that silently allows
 * everything. Keys Tailscale has but Roster does not evaluate are kept with a warning instead of
 * rejected, so a tailnet's existing policy file can be stored unchanged.
 */
export interface FieldCatalogue {
  /** Lowercased key → the canonical name of a field Roster evaluates. */
  readonly evaluated: ReadonlyMap<string, string>;
  /** Lowercased key → the canonical name of a field Tailscale has and Roster keeps unevaluated. */
  readonly unevaluated: ReadonlyMap<string, string>;
}

export const POLICY_SECTIONS: FieldCatalogue = catalogue(
  ['groups', 'tagOwners', 'hosts', 'acls', 'tests'],
  [
    'grants',
    'ssh',
    'sshTests',
    'nodeAttrs',
    'autoApprovers',
    'derpMap',
    'postures',
    'defaultSrcPosture',
    'ipsets',
    'disableIPv4',
    'OneCGNATRoute',
    'randomizeClientPort',
  ],
);

export const ACL_RULE_FIELDS: FieldCatalogue = catalogue(['action', 'src', 'dst', 'proto'], ['srcPosture'], {
  users: 'src',
  ports: 'dst',
});

export const TEST_FIELDS: FieldCatalogue = catalogue(['src', 'proto', 'accept', 'deny'], ['srcPostureAttrs']);

/** The known spelling closest to an unknown key, when it is close enough to be a typo. */
export function closestField(key: string, fields: FieldCatalogue): string | undefined {
  const lowered = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const [spelling, canonical] of [...fields.evaluated, ...fields.unevaluated]) {
    const distance = editDistance(lowered, spelling);
    if (distance < bestDistance) {
      best = canonical;
      bestDistance = distance;
    }
  }
  return best;
}

function catalogue(evaluated: string[], unevaluated: string[], aliases: Record<string, string> = {}): FieldCatalogue {
  const byLowercase = (names: string[]) => new Map(names.map((name) => [name.toLowerCase(), name]));
  return {
    evaluated: new Map([...byLowercase(evaluated), ...Object.entries(aliases)]),
    unevaluated: byLowercase(unevaluated),
  };
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
