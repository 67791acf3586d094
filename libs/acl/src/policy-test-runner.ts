import type { CheckResult } from './access-question.js';
import type { PlacedDestination, PolicyTest } from './policy.js';
import { policyError, type PolicyIssue } from './policy-issue.js';
import type { Principal } from './principal.js';
import type { Selector } from './selector.js';

export interface PolicyTestEvaluator {
  testPrincipal(selector: Selector): Principal | string;
  decide(source: Principal, destination: Principal, port: number, protocol: number): CheckResult;
}

/** Runs the `tests` section; every failing assertion becomes an issue at the destination it names. */
export function runPolicyTests(tests: readonly PolicyTest[], evaluator: PolicyTestEvaluator): PolicyIssue[] {
  return tests.flatMap((test) => {
    const source = evaluator.testPrincipal(test.source.selector);
    if (typeof source === 'string') return [policyError(test.source.place, test.source, `${test.source.text} — ${source}`)];
    return [
      ...test.accept.flatMap((destination) => assertion(test, source, destination, true, evaluator)),
      ...test.deny.flatMap((destination) => assertion(test, source, destination, false, evaluator)),
    ];
  });
}

function assertion(
  test: PolicyTest,
  source: Principal,
  destination: PlacedDestination,
  expectAccept: boolean,
  evaluator: PolicyTestEvaluator,
): PolicyIssue[] {
  const target = evaluator.testPrincipal(destination.selector);
  if (typeof target === 'string') return [policyError(destination.place, destination, `${destination.text} — ${target}`)];
  const result = evaluator.decide(source, target, destination.ports[0]!.first, test.protocol);
  if (result.allowed === expectAccept) return [];
  const expected = expectAccept ? 'accept' : 'deny';
  const got = result.allowed ? 'accept' : 'deny';
  return [policyError(destination.place, destination, `${test.source.text} → ${destination.text} expected ${expected}, got ${got} (${result.reason})`)];
}
