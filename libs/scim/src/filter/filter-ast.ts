/** The abstract syntax of an RFC 7644 §3.4.2.2 filter. Attribute paths are kept as written; resolving them
 *  against a schema (case, URN qualification) is the job of whoever evaluates or compiles the filter. */
export type ComparisonOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type TextOperator = 'co' | 'sw' | 'ew';

export type FilterValue = string | number | boolean | null;

export interface ComparisonFilter {
  readonly kind: 'comparison';
  readonly attributePath: string;
  readonly operator: ComparisonOperator;
  readonly value: FilterValue;
}

export interface PresentFilter {
  readonly kind: 'present';
  readonly attributePath: string;
}

export interface LogicalFilter {
  readonly kind: 'logical';
  readonly operator: 'and' | 'or';
  readonly left: Filter;
  readonly right: Filter;
}

export interface NotFilter {
  readonly kind: 'not';
  readonly filter: Filter;
}

/**
 * `emails[type eq "work"]`: some value of a multi-valued attribute satisfies `filter`, whose paths are relative to
 * that value. `emails[type eq "work"].value eq "x"` is parsed as `emails[type eq "work" and value eq "x"]`, which
 * keeps both conditions on the same email.
 */
export type AttributeTest = ComparisonFilter | PresentFilter;

export interface ValuePathFilter {
  readonly kind: 'valuePath';
  readonly attributePath: string;
  readonly filter: Filter;
}

export type Filter = ComparisonFilter | PresentFilter | LogicalFilter | NotFilter | ValuePathFilter;

export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
