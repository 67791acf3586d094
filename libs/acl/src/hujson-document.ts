import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { policyError, type PolicyIssue } from './policy-issue.js';
import { LineIndex } from './source-position.js';

/** The syntax tree of a HuJSON text (JSON with comments and trailing commas), or its syntax errors. */
export interface HujsonDocument {
  readonly root: Node | undefined;
  readonly syntaxErrors: readonly PolicyIssue[];
  readonly lines: LineIndex;
}

export function parseHujson(text: string): HujsonDocument {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const lines = new LineIndex(text);
  const syntaxErrors = errors.map((error) =>
    policyError('', lines.positionAt(error.offset), `syntax error: ${describeParseError(error)}`),
  );
  return { root, syntaxErrors, lines };
}

/** `CommaExpected` → `comma expected`. */
function describeParseError(error: ParseError): string {
  return printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/** The plain JSON value of a HuJSON text that parses (comments and trailing commas dropped), for JSON-only clients. */
export function hujsonValue(text: string): unknown {
  const document = parseHujson(text);
  if (document.root === undefined || document.syntaxErrors.length > 0) throw new Error('not valid HuJSON');
  return getNodeValue(document.root);
}
