import { CompiledAccessPolicy } from './compiled-policy.js';
import type { PlacedSelector, Policy } from './policy.js';
import { PolicyDefinitions } from './policy-definitions.js';
import { policyError, type PolicyIssue } from './policy-issue.js';
import { runPolicyTests } from './policy-test-runner.js';
import { unresolvedProblem } from './reference-resolver.js';
import type { World } from './world.js';

export interface ValidationOptions {
  /**
   * Reject user logins that are not in the world. Off by default (users may join later, and `tests` may describe
   * them in advance); the admin API turns it on so that a mistyped login is caught like a mistyped group.
   */
  readonly requireKnownUsers?: boolean;
}

export interface PolicyValidation {
  /** True only when every reference resolves and every test passes. */
  readonly valid: boolean;
  /** References to groups, tags and hosts that do not exist, each at its place. */
  readonly errors: readonly PolicyIssue[];
  /** Failing `tests` assertions, each at the destination it names. */
  readonly failedTests: readonly PolicyIssue[];
}

/**
 * The check a policy write must pass. Unlike compilePolicy, which lets an unknown reference match
 * nobody (so a later IdP rename fails closed), a write naming an unknown group, tag or host is
 * rejected, so typos never ship.
 */
export function validatePolicy(policy: Policy, world: World, options: ValidationOptions = {}): PolicyValidation {
  const definitions = new PolicyDefinitions(policy);
  const references = options.requireKnownUsers ? [...policy.groups.flatMap((group) => group.members), ...everyReference(policy)] : everyReference(policy);
  const errors = references.flatMap((reference) => {
    const problem = unresolvedProblem(reference.selector, definitions, world) ?? (options.requireKnownUsers ? unknownUser(reference, world) : undefined);
    return problem === undefined ? [] : [policyError(reference.place, reference, problem)];
  });
  const failedTests = runPolicyTests(policy.tests, new CompiledAccessPolicy(policy, world));
  return { valid: errors.length === 0 && failedTests.length === 0, errors, failedTests };
}

function unknownUser({ selector }: PlacedSelector, world: World): string | undefined {
  if (selector.kind !== 'user' || world.userByEmail(selector.email) !== undefined) return undefined;
  return `user ${selector.email} is not a user of this tailnet`;
}

function everyReference(policy: Policy): PlacedSelector[] {
  return [
    ...policy.tagOwners.flatMap((ownership) => ownership.owners),
    ...(policy.acls ?? []).flatMap((rule) => [...rule.sources, ...rule.destinations]),
    ...policy.tests.flatMap((test) => [test.source, ...test.accept, ...test.deny]),
  ];
}
