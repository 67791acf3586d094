import type { ScimError, ScimErrorType } from '../errors/scim-error.js';
import { COMPARISON_OPERATORS, type ComparisonOperator, type Filter, type FilterValue } from './filter-ast.js';
import { syntaxError, tokenize, type Token, type TokenKind } from './filter-lexer.js';

const ATTRIBUTE_PATH = /^(?:urn:\S+:)?[A-Za-z$][\w$-]*(?:\.[A-Za-z$][\w$-]*)?$/i;
const SUB_ATTRIBUTE_NAME = /^[A-Za-z$][\w$-]*$/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const OPERATOR_LIST = `${COMPARISON_OPERATORS.join(', ')} or pr`;
// Limits far beyond what any IdP sends, so that a hostile filter cannot exhaust the stack of the recursive parser
// and compilers.
const MAX_NESTING = 32;
const MAX_ATTRIBUTE_EXPRESSIONS = 100;

/** Parses an RFC 7644 §3.4.2.2 filter; syntax errors are 400 invalidFilter naming the position and token. */
export function parseFilter(text: string): Filter {
  const parser = new FilterParser(text, 'invalidFilter');
  const filter = parser.parseFilterExpression();
  parser.expectEnd();
  return filter;
}

/**
 * A recursive-descent parser over the filter grammar, with `or` binding looser than `and`, which binds looser than
 * `not` and parentheses. Keywords and operators are case-insensitive. Also used for PATCH paths, which share the
 * attribute-path and value-filter syntax but report errors as invalidPath.
 */
export class FilterParser {
  private readonly tokens: Token[];
  private index = 0;
  private valuePathDepth = 0;
  private nesting = 0;
  private attributeExpressions = 0;

  constructor(
    source: string,
    private readonly errorType: ScimErrorType,
  ) {
    if (source.trim() === '') throw syntaxError(errorType, 'the expression is empty.');
    this.tokens = tokenize(source, errorType);
  }

  parseFilterExpression(): Filter {
    let left = this.parseConjunction();
    while (this.peekKeyword('or')) {
      this.next();
      left = { kind: 'logical', operator: 'or', left, right: this.parseConjunction() };
    }
    return left;
  }

  parseAttributePath(): string {
    const token = this.next();
    if (token.kind !== 'word' || !ATTRIBUTE_PATH.test(token.text)) {
      throw this.error(`expected an attribute path at position ${token.position}, found ${describe(token)}.`);
    }
    return token.text;
  }

  /** `[filter]`, if the next token opens one; returns the filter and the closing bracket. */
  parseOptionalValueFilter(): { filter: Filter; closingBracket: Token } | undefined {
    const opening = this.peek();
    if (opening.kind !== '[') return undefined;
    if (this.valuePathDepth > 0) {
      throw this.error(`value filters cannot be nested: unexpected "[" at position ${opening.position}.`);
    }
    this.next();
    this.valuePathDepth += 1;
    const filter = this.parseFilterExpression();
    this.valuePathDepth -= 1;
    const closingBracket = this.expect(']', `to close the "[" at position ${opening.position}`);
    return { filter, closingBracket };
  }

  /** The `.subAttribute` written directly after a value filter's `]`, if any. */
  parseOptionalSubAttribute(closingBracket: Token): string | undefined {
    const token = this.peek();
    if (token.kind !== 'word' || !token.text.startsWith('.') || token.position !== closingBracket.position + 1) {
      return undefined;
    }
    this.next();
    const name = token.text.slice(1);
    if (!SUB_ATTRIBUTE_NAME.test(name)) {
      throw this.error(`expected a sub-attribute name after "]." at position ${token.position + 1}, found "${name}".`);
    }
    return name;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') {
      throw this.error(`unexpected ${describe(token)} at position ${token.position}; expected "and", "or" or the end.`);
    }
  }

  private parseConjunction(): Filter {
    let left = this.parseUnary();
    while (this.peekKeyword('and')) {
      this.next();
      left = { kind: 'logical', operator: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Filter {
    const token = this.peek();
    if (token.kind === '(') return this.parseParenthesised();
    if (this.peekKeyword('not')) {
      this.next();
      if (this.peek().kind !== '(') {
        throw this.error(`"not" at position ${token.position} must be followed by a filter in parentheses.`);
      }
      return { kind: 'not', filter: this.parseParenthesised() };
    }
    if (token.kind === 'word') return this.parseAttributeExpression();
    throw this.error(`expected an attribute path, "(" or "not" at position ${token.position}, found ${describe(token)}.`);
  }

  private parseParenthesised(): Filter {
    const opening = this.next();
    if (++this.nesting > MAX_NESTING) {
      throw this.error(`parentheses are nested more than ${MAX_NESTING} deep at position ${opening.position}.`);
    }
    const filter = this.parseFilterExpression();
    this.expect(')', `to close the "(" at position ${opening.position}`);
    this.nesting -= 1;
    return filter;
  }

  private parseAttributeExpression(): Filter {
    const start = this.peek();
    if (++this.attributeExpressions > MAX_ATTRIBUTE_EXPRESSIONS) {
      throw this.error(`more than ${MAX_ATTRIBUTE_EXPRESSIONS} comparisons; the one at position ${start.position} is one too many.`);
    }
    const attributePath = this.parseAttributePath();
    const valueFilter = this.parseOptionalValueFilter();
    if (!valueFilter) return this.parseAssertion(attributePath);
    const subAttribute = this.parseOptionalSubAttribute(valueFilter.closingBracket);
    const filter: Filter = subAttribute
      ? { kind: 'logical', operator: 'and', left: valueFilter.filter, right: this.parseAssertion(subAttribute) }
      : valueFilter.filter;
    return { kind: 'valuePath', attributePath, filter };
  }

  private parseAssertion(attributePath: string): Filter {
    const token = this.next();
    const operator = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (operator === 'pr') return { kind: 'present', attributePath };
    if (isComparisonOperator(operator)) {
      return { kind: 'comparison', attributePath, operator, value: this.parseValue(token.text) };
    }
    throw this.error(
      `expected an operator (${OPERATOR_LIST}) after "${attributePath}" at position ${token.position}, found ${describe(token)}.`,
    );
  }

  /** Unquoted words other than true/false/null/numbers are taken as strings, as Microsoft's examples send them. */
  private parseValue(operator: string): FilterValue {
    const token = this.next();
    if (token.kind === 'string') return token.text;
    if (token.kind !== 'word') {
      throw this.error(`expected a value after "${operator}" at position ${token.position}, found ${describe(token)}.`);
    }
    const keyword = token.text.toLowerCase();
    if (keyword === 'true') return true;
    if (keyword === 'false') return false;
    if (keyword === 'null') return null;
    if (!JSON_NUMBER.test(token.text)) return token.text;
    const number = Number(token.text);
    if (!Number.isFinite(number)) throw this.error(`the number ${token.text} at position ${token.position} is out of range.`);
    return number;
  }

  private expect(kind: TokenKind, purpose: string): Token {
    const token = this.next();
    if (token.kind !== kind) {
      throw this.error(`expected "${kind}" ${purpose}, found ${describe(token)} at position ${token.position}.`);
    }
    return token;
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private error(detail: string): ScimError {
    return syntaxError(this.errorType, detail);
  }
}

function isComparisonOperator(text: string): text is ComparisonOperator {
  return (COMPARISON_OPERATORS as readonly string[]).includes(text);
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  return token.kind === 'string' ? JSON.stringify(token.text) : `"${token.text}"`;
}
