import { parsePolicy, validatePolicy, type PolicyIssue, type World } from '#roster/acl';

/** One problem of a policy as the admin API reports it: where it is and what is wrong there. */
export type PolicyProblem = { place: string; line: number; column: number; message: string };

/** The verdict on a policy text: `errors` (syntax, structure, unknown references), failing `tests`, warnings. */
export type PolicyReview = {
  valid: boolean;
  summary: string;
  errors: PolicyProblem[];
  failedTests: PolicyProblem[];
  warnings: PolicyProblem[];
};

/**
 * Parses and validates a policy text against the tailnet as it is now. Writes are stricter than compilation: an
 * unknown group, tag, host or user is an error here (so typos never ship), while a compiled policy lets a reference
 * that disappears later match nobody.
 */
export function reviewPolicy(text: string, world: World): PolicyReview {
  const parsed = parsePolicy(text);
  if (!parsed.ok) return review(parsed.errors, [], parsed.warnings);
  const validation = validatePolicy(parsed.policy, world, { requireKnownUsers: true });
  return review(validation.errors, validation.failedTests, parsed.warnings);
}

function review(errors: readonly PolicyIssue[], failedTests: readonly PolicyIssue[], warnings: readonly PolicyIssue[]): PolicyReview {
  const valid = errors.length === 0 && failedTests.length === 0;
  return { valid, summary: summaryOf(errors, failedTests), errors: errors.map(problem), failedTests: failedTests.map(problem), warnings: warnings.map(problem) };
}

function summaryOf(errors: readonly PolicyIssue[], failedTests: readonly PolicyIssue[]): string {
  if (errors.length === 0 && failedTests.length === 0) return 'the policy is valid';
  const first = errors[0] ?? failedTests[0];
  const parts = [
    errors.length > 0 ? `${errors.length} error${errors.length === 1 ? '' : 's'}` : '',
    failedTests.length > 0 ? `${failedTests.length} failing test${failedTests.length === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return `policy rejected (${parts.join(', ')}); first at line ${first.line}, column ${first.column}: ${first.message}`;
}

function problem({ place, line, column, message }: PolicyIssue): PolicyProblem {
  return { place, line, column, message };
}
