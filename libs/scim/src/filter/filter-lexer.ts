import { ScimError, type ScimErrorType } from '../errors/scim-error.js';

export type TokenKind = 'word' | 'string' | '(' | ')' | '[' | ']' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token; for strings, the decoded value. */
  readonly text: string;
  /** Zero-based offset of the token's first character in the filter. */
  readonly position: number;
}

const PUNCTUATION = new Set(['(', ')', '[', ']']);
// Sticky patterns match at a given offset, so each token costs one regex match rather than one per character.
const WHITESPACE = /\s+/y;
const WORD = /[^\s()[\]"]+/y;

/**
 * Splits a filter or PATCH path into tokens. A word is any run of characters up to whitespace, a bracket, a
 * parenthesis or a quote: attribute paths (URNs included), keywords, numbers, and the unquoted values Microsoft's
 * examples send (`externalId eq jyoung`). Strings are JSON strings, escapes included.
 */
export function tokenize(source: string, errorType: ScimErrorType): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < source.length) {
    const character = source.charAt(position);
    if (PUNCTUATION.has(character)) {
      tokens.push({ kind: character as TokenKind, text: character, position });
      position += 1;
    } else if (character === '"') {
      const end = closingQuoteIndex(source, position, errorType);
      tokens.push({ kind: 'string', text: decodeJsonString(source.slice(position, end + 1), position, errorType), position });
      position = end + 1;
    } else if (matchesAt(WHITESPACE, source, position)) {
      position = WHITESPACE.lastIndex;
    } else {
      matchesAt(WORD, source, position);
      tokens.push({ kind: 'word', text: source.slice(position, WORD.lastIndex), position });
      position = WORD.lastIndex;
    }
  }
  tokens.push({ kind: 'end', text: '', position: source.length });
  return tokens;
}

function matchesAt(pattern: RegExp, source: string, position: number): boolean {
  pattern.lastIndex = position;
  return pattern.test(source);
}

function closingQuoteIndex(source: string, openingQuote: number, errorType: ScimErrorType): number {
  for (let index = openingQuote + 1; index < source.length; index += 1) {
    const character = source.charAt(index);
    if (character === '\\') index += 1;
    else if (character === '"') return index;
  }
  throw syntaxError(errorType, `the string starting at position ${openingQuote} is not closed with a double quote.`);
}

function decodeJsonString(literal: string, position: number, errorType: ScimErrorType): string {
  let decoded: string;
  try {
    decoded = JSON.parse(literal) as string;
  } catch {
    throw syntaxError(
      errorType,
      `the string ${literal} at position ${position} has an invalid escape sequence or control character; ` +
        'use JSON escapes such as \\" \\\\ \\n \\u00e9.',
    );
  }
  // No value stored can hold one (PostgreSQL keeps no NUL in text), and as a query parameter it would fail there.
  if (decoded.includes('\u0000')) throw syntaxError(errorType, `the string ${literal} at position ${position} holds a NUL character (\\u0000).`);
  // PostgreSQL would read half a surrogate pair as U+FFFD, so the filter would match values it does not name.
  if (!decoded.isWellFormed()) {
    throw syntaxError(errorType, `the string ${literal} at position ${position} holds half of a surrogate pair (\\ud800–\\udfff) alone.`);
  }
  return decoded;
}

/** Filters report syntax errors as invalidFilter, PATCH paths (which share the syntax) as invalidPath. */
export function syntaxError(errorType: ScimErrorType, detail: string): ScimError {
  return ScimError.of(errorType, `Invalid ${errorType === 'invalidFilter' ? 'filter' : 'path'}: ${detail}`);
}
