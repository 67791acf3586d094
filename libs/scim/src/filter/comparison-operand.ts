import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';
import { isIsoDateTime } from '../schema/date-time-format.js';
import type { ComparisonOperator, FilterValue, TextOperator } from './filter-ast.js';

/** The value types a filter can compare; `uuid` exists only in SQL mappings (ids stored as PostgreSQL uuid). */
export type ComparableType = 'string' | 'boolean' | 'dateTime' | 'integer' | 'decimal' | 'uuid';

export type Operand = string | number | boolean;

const TEXT_OPERATORS: ReadonlySet<ComparisonOperator> = new Set<TextOperator>(['co', 'sw', 'ew']);
const ORDERING_OPERATORS: ReadonlySet<ComparisonOperator> = new Set(['gt', 'ge', 'lt', 'le']);

export function isTextOperator(operator: ComparisonOperator): operator is TextOperator {
  return TEXT_OPERATORS.has(operator);
}

/**
 * Checks that `operator` applies to an attribute of `type` (RFC 7644 §3.4.2.2: co/sw/ew compare strings, booleans
 * have no order) and converts the filter value to that type, or null for `eq null` / `ne null`. Filters compare
 * in the attribute's own terms, so a mismatch is the client's error (400 invalidFilter), never a database error.
 */
export function comparisonOperand(
  type: ComparableType,
  operator: ComparisonOperator,
  value: FilterValue,
  attributePath: string,
): Operand | null {
  if (value === null) return nullOperand(operator, attributePath);
  assertOperatorApplies(type, operator, attributePath);
  switch (type) {
    case 'string':
    case 'uuid':
      return stringOperand(value, operator, attributePath);
    case 'boolean':
      return booleanOperand(value, attributePath);
    case 'dateTime':
      return dateTimeOperand(value, attributePath);
    case 'integer':
      return numberOperand(value, attributePath, Number.isSafeInteger, 'an integer');
    case 'decimal':
      return numberOperand(value, attributePath, Number.isFinite, 'a number');
  }
}

function nullOperand(operator: ComparisonOperator, attributePath: string): null {
  if (operator === 'eq' || operator === 'ne') return null;
  throw ScimError.invalidFilter(`"${attributePath} ${operator} null" is not meaningful; null can only be compared with eq or ne.`);
}

function assertOperatorApplies(type: ComparableType, operator: ComparisonOperator, attributePath: string): void {
  const isText = type === 'string' || type === 'uuid';
  if (TEXT_OPERATORS.has(operator) && !isText) {
    throw ScimError.invalidFilter(`"${operator}" compares strings, but ${attributePath} is a ${type}.`);
  }
  if (ORDERING_OPERATORS.has(operator) && type === 'boolean') {
    throw ScimError.invalidFilter(`${attributePath} is a boolean, which has no order; use eq or ne instead of "${operator}".`);
  }
}

/** Unquoted numbers (Microsoft's `employeeNumber eq 42`) compare as the digits written. */
function stringOperand(value: string | number | boolean, operator: ComparisonOperator, attributePath: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw ScimError.invalidFilter(`${attributePath} is a string; "${operator}" needs a string such as "${value}" in quotes, not ${value}.`);
}

/** Entra ID writes booleans as "True"/"False"; those strings are accepted as well. */
function booleanOperand(value: string | number | boolean, attributePath: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw ScimError.invalidFilter(`${attributePath} is a boolean; compare it with true or false, not ${describeValue(value)}.`);
}

function dateTimeOperand(value: string | number | boolean, attributePath: string): string {
  if (typeof value === 'string' && isIsoDateTime(value)) return value;
  throw ScimError.invalidFilter(
    `${attributePath} is a dateTime; compare it with an ISO 8601 timestamp such as "2024-05-13T04:42:34Z", not ${describeValue(value)}.`,
  );
}

function numberOperand(
  value: string | number | boolean,
  attributePath: string,
  isValid: (value: number) => boolean,
  expected: string,
): number {
  if (typeof value === 'number' && isValid(value)) return value;
  throw ScimError.invalidFilter(`${attributePath} must be compared with ${expected}, not ${describeValue(value)}.`);
}
