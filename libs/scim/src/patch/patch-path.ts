import type { Filter } from '../filter/filter-ast.js';
import { FilterParser } from '../filter/filter-parser.js';

/** `attrPath`, `attrPath[valFilter]` or `attrPath[valFilter].subAttr` (RFC 7644 §3.5.2, "PATH" ABNF). */
export interface PatchPath {
  readonly attributePath: string;
  readonly valueFilter?: Filter;
  readonly subAttribute?: string;
}

/** Parses a PATCH path with the filter grammar; malformed paths are 400 invalidPath naming position and token. */
export function parsePatchPath(text: string): PatchPath {
  const parser = new FilterParser(text, 'invalidPath');
  const attributePath = parser.parseAttributePath();
  const bracketed = parser.parseOptionalValueFilter();
  const subAttribute = bracketed ? parser.parseOptionalSubAttribute(bracketed.closingBracket) : undefined;
  parser.expectEnd();
  return {
    attributePath,
    ...(bracketed ? { valueFilter: bracketed.filter } : {}),
    ...(subAttribute === undefined ? {} : { subAttribute }),
  };
}
