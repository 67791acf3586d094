import type { SourcePosition } from './source-position.js';

export type IssueSeverity = 'error' | 'warning';

/**
 * Something wrong (or worth knowing) about a policy, pinned to its place: `place` is the JSON path
 * (`acls[3].dst[1]`, empty for the document itself) and `message` repeats it so it reads on its own.
 */
export interface PolicyIssue extends SourcePosition {
  readonly severity: IssueSeverity;
  readonly place: string;
  readonly message: string;
}

export function policyError(place: string, position: SourcePosition, detail: string): PolicyIssue {
  return issue('error', place, position, detail);
}

export function policyWarning(place: string, position: SourcePosition, detail: string): PolicyIssue {
  return issue('warning', place, position, detail);
}

/** `"web:99999" — port out of range`: the offending text, quoted, then what is wrong with it. */
export function quotedProblem(text: string, problem: string): string {
  return `${JSON.stringify(text)} — ${problem}`;
}

function issue(severity: IssueSeverity, place: string, position: SourcePosition, detail: string): PolicyIssue {
  const message = place === '' ? detail : `${place}: ${detail}`;
  return { severity, place, line: position.line, column: position.column, message };
}
