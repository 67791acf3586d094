import { ScimError } from '../errors/scim-error.js';
import { findSubAttribute, type AttributeDefinition } from '../schema/attribute-definition.js';
import { resolveAttributePath } from '../schema/attribute-path-resolver.js';
import { comparisonOperand, isTextOperator, type Operand } from './comparison-operand.js';
import type { AttributeTest, ComparisonOperator, Filter, TextOperator, ValuePathFilter } from './filter-ast.js';
import type { ChildrenMapping, ColumnSpec, FilterMapping } from './filter-mapping.js';
import { likePattern } from './like-pattern.js';
import { childColumn, resolveMappedAttribute, type MappedAttribute } from './mapped-attribute.js';

export interface CompiledFilter {
  /** A boolean SQL expression using only `$n` placeholders for values. */
  readonly sql: string;
  readonly params: unknown[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SQL_OPERATORS: Readonly<Record<Exclude<ComparisonOperator, TextOperator>, string>> = {
  eq: '=',
  // RFC 7644 §3.4.2.2: a resource without the attribute matches "ne".
  ne: 'IS DISTINCT FROM',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

const PARAMETER_CASTS: Readonly<Record<ColumnSpec['type'], string>> = {
  string: '',
  boolean: '',
  uuid: '::uuid',
  dateTime: '::timestamptz',
  integer: '::bigint',
  decimal: '::numeric',
};

type Bind = (value: unknown) => string;

/** Where the attribute tests of a (sub-)filter are resolved: the resource's mapping, or one child table. */
interface Scope {
  test(filter: AttributeTest): string;
  valuePath(filter: ValuePathFilter): string;
}

/**
 * Compiles a parsed filter into a parameterised PostgreSQL boolean expression over the tables `mapping`
 * describes. Placeholders are numbered from `firstParamIndex`, so the expression can be embedded in a query that
 * already binds parameters. Values are never interpolated into the SQL text.
 */
export function compileFilter(filter: Filter, mapping: FilterMapping, firstParamIndex = 1): CompiledFilter {
  const params: unknown[] = [];
  const bind: Bind = (value) => {
    params.push(value);
    return `$${firstParamIndex + params.length - 1}`;
  };
  return { sql: compileNode(filter, resourceScope(mapping, bind)), params };
}

function compileNode(filter: Filter, scope: Scope): string {
  switch (filter.kind) {
    case 'logical':
      return `(${compileNode(filter.left, scope)} ${filter.operator.toUpperCase()} ${compileNode(filter.right, scope)})`;
    case 'not':
      // A NULL comparison would make NOT(...) NULL too; filters are two-valued, so a non-match must negate to a match.
      return `NOT COALESCE(${compileNode(filter.filter, scope)}, FALSE)`;
    case 'present':
    case 'comparison':
      return scope.test(filter);
    case 'valuePath':
      return scope.valuePath(filter);
  }
}

function resourceScope(mapping: FilterMapping, bind: Bind): Scope {
  return {
    test(filter) {
      const target = resolveMappedAttribute(mapping, filter.attributePath, ScimError.invalidFilter);
      if (target.kind === 'column') return columnTest(target.column, filter, target.resolved.canonicalPath, bind);
      const { children, subAttributeName, resolved } = target;
      if (filter.kind === 'present' && !target.subAttributeNamed) return exists(children);
      const column = childColumn(children, resolved.attributePath, subAttributeName, ScimError.invalidFilter);
      return exists(children, columnTest(column, filter, `${resolved.attributePath}.${subAttributeName}`, bind));
    },
    // emails[type eq "work" and value eq "x"]: one child row must satisfy the whole inner filter.
    valuePath(filter) {
      const target = childTableOf(mapping, filter.attributePath);
      const scope = childScope(target.children, target.resolved.attribute, target.resolved.attributePath, bind);
      return exists(target.children, compileNode(filter.filter, scope));
    },
  };
}

/** The child table whose rows a value filter `attribute[…]` ranges over. */
function childTableOf(mapping: FilterMapping, attributePath: string): MappedAttribute & { kind: 'children' } {
  const resolved = resolveAttributePath(mapping.resourceType, attributePath);
  const isMultiValued = resolved?.attribute.multiValued === true && resolved.subAttribute === undefined;
  const target = isMultiValued ? resolveMappedAttribute(mapping, attributePath, ScimError.invalidFilter) : undefined;
  if (target?.kind === 'children') return target;
  throw ScimError.invalidFilter(
    `"${attributePath}[…]" is not supported: value filters apply to multi-valued attributes such as emails or members.`,
  );
}

function childScope(children: ChildrenMapping, attribute: AttributeDefinition, attributePath: string, bind: Bind): Scope {
  return {
    test(filter) {
      const subAttribute = findSubAttribute(attribute, filter.attributePath);
      if (!subAttribute) {
        throw ScimError.invalidFilter(`"${filter.attributePath}" is not a sub-attribute of ${attributePath}.`);
      }
      const column = childColumn(children, attributePath, subAttribute.name, ScimError.invalidFilter);
      return columnTest(column, filter, `${attributePath}.${subAttribute.name}`, bind);
    },
    valuePath(filter) {
      throw ScimError.invalidFilter(`"${filter.attributePath}[…]" cannot appear inside the value filter of ${attributePath}.`);
    },
  };
}

function exists(children: ChildrenMapping, condition?: string): string {
  const where = condition === undefined ? `(${children.correlate})` : `(${children.correlate}) AND ${condition}`;
  return `EXISTS (SELECT 1 FROM ${children.from} WHERE ${where})`;
}

function columnTest(column: ColumnSpec, filter: AttributeTest, attributePath: string, bind: Bind): string {
  if (filter.kind === 'present') return `${column.sql} IS NOT NULL`;
  const operand = comparisonOperand(column.type, filter.operator, filter.value, attributePath);
  if (operand === null) return filter.operator === 'eq' ? `${column.sql} IS NULL` : `${column.sql} IS NOT NULL`;
  if (column.type === 'uuid') return uuidComparison(column, filter.operator, String(operand), bind);
  return comparison(column, filter.operator, operand, bind);
}

function comparison(column: ColumnSpec, operator: ComparisonOperator, operand: Operand, bind: Bind): string {
  const ignoresCase = column.type === 'string' && !column.caseExact;
  const left = ignoresCase ? `lower(${column.sql})` : column.sql;
  if (isTextOperator(operator)) {
    const pattern = bind(likePattern(operator, String(operand)));
    return `${left} LIKE ${ignoresCase ? `lower(${pattern})` : pattern} ESCAPE '\\'`;
  }
  const parameter = `${bind(operand)}${PARAMETER_CASTS[column.type]}`;
  return `${left} ${SQL_OPERATORS[operator]} ${ignoresCase ? `lower(${parameter})` : parameter}`;
}

/**
 * A uuid column compared with something that is not a UUID can never be equal (or ordered) to it, so the test is
 * constant instead of a cast that would make PostgreSQL fail the whole query. co/sw/ew compare the text form.
 */
function uuidComparison(column: ColumnSpec, operator: ComparisonOperator, operand: string, bind: Bind): string {
  if (isTextOperator(operator)) {
    return `${column.sql}::text LIKE ${bind(likePattern(operator, operand.toLowerCase()))} ESCAPE '\\'`;
  }
  if (!UUID.test(operand)) return operator === 'ne' ? 'TRUE' : 'FALSE';
  return comparison(column, operator, operand, bind);
}
