import type { Policy } from './policy.js';

/**
 * Tailscale's reading of a policy as a whole: with neither `acls` nor `grants` everything is
 * allowed; an explicit empty `acls` denies everything; otherwise what no rule accepts is denied.
 * Roster does not evaluate `grants`, so a policy with grants and no acls denies everything
 * (fails closed) rather than allowing what the grants would not.
 */
export type PolicyMode = 'allow-all' | 'deny-all' | 'rules';

export function policyMode(policy: Policy): PolicyMode {
  if (policy.acls === undefined) return policy.unevaluatedSections.includes('grants') ? 'deny-all' : 'allow-all';
  return policy.acls.length === 0 ? 'deny-all' : 'rules';
}

export function modeExplanation(policy: Policy): string {
  if (policy.acls === undefined) {
    return policy.unevaluatedSections.includes('grants')
      ? 'the policy has grants but no acls, and Roster does not evaluate grants: everything is denied (fails closed)'
      : 'the policy has no acls: everything is allowed';
  }
  return 'the policy\'s acls list is empty: everything is denied';
}
