import { CompiledAccessPolicy } from './compiled-policy.js';
import type { PlacedSelector, Policy } from './policy.js';
import { PolicyDefinitions } from './policy-definitions.js';
import { policyError, type PolicyIssue } from './policy-issue.js';
import { runPolicyTests } from './policy-test-runner.js';
import { unresolvedProblem } from './reference-resolver.js';
import type { World } from './world.js';

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
export function validatePolicy(policy: Policy, world: World): PolicyValidation {
  const definitions = new PolicyDefinitions(policy);
  const errors = everyReference(policy).flatMap((reference) => {
    const problem = unresolvedProblem(reference.selector, definitions, world);
    return problem === undefined ? [] : [policyError(reference.place, reference, problem)];
  });
  const failedTests = runPolicyTests(policy.tests, new CompiledAccessPolicy(policy, world));
  return { valid: errors.length === 0 && failedTests.length === 0, errors, failedTests };
}

function everyReference(policy: Policy): PlacedSelector[] {
  return [
    ...policy.tagOwners.flatMap((ownership) => ownership.owners),
    ...(policy.acls ?? []).flatMap((rule) => [...rule.sources, ...rule.destinations]),
    ...policy.tests.flatMap((test) => [test.source, ...test.accept, ...test.deny]),
  ];
}
