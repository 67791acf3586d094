import { ScimError } from '../errors/scim-error.js';
import { isPlainObject } from '../resource/attribute-value-coercion.js';
import { findSubAttribute, type AttributeDefinition } from '../schema/attribute-definition.js';
import { comparisonOperand, type ComparableType, type Operand } from './comparison-operand.js';
import type { ComparisonFilter, ComparisonOperator, Filter } from './filter-ast.js';

export type ValuePredicate = (item: unknown) => boolean;

/**
 * Compiles the filter inside `attribute[…]` into a predicate over one value of that multi-valued attribute, with
 * the same rules as the SQL compiler: sub-attribute names resolved case-insensitively, strings compared
 * case-insensitively unless the sub-attribute is caseExact, and an absent value matching `ne` (RFC 7644 §3.4.2.2).
 * Compiling up front rejects a bad filter even when the attribute has no values, and keeps evaluation cheap.
 */
export function compileValuePredicate(filter: Filter, attribute: AttributeDefinition): ValuePredicate {
  switch (filter.kind) {
    case 'logical': {
      const left = compileValuePredicate(filter.left, attribute);
      const right = compileValuePredicate(filter.right, attribute);
      return filter.operator === 'and' ? (item) => left(item) && right(item) : (item) => left(item) || right(item);
    }
    case 'not': {
      const inner = compileValuePredicate(filter.filter, attribute);
      return (item) => !inner(item);
    }
    case 'present': {
      const subAttribute = subAttributeOf(attribute, filter.attributePath);
      return (item) => subValue(item, subAttribute) !== undefined;
    }
    case 'comparison':
      return compileComparison(filter, attribute);
    case 'valuePath':
      throw ScimError.invalidFilter(
        `"${filter.attributePath}[…]" cannot appear inside the value filter of ${attribute.name}; value filters do not nest.`,
      );
  }
}

function compileComparison(filter: ComparisonFilter, attribute: AttributeDefinition): ValuePredicate {
  const subAttribute = subAttributeOf(attribute, filter.attributePath);
  const path = `${attribute.name}.${subAttribute.name}`;
  const operand = comparisonOperand(comparableType(subAttribute, path), filter.operator, filter.value, path);
  if (operand === null) {
    return filter.operator === 'eq'
      ? (item) => subValue(item, subAttribute) === undefined
      : (item) => subValue(item, subAttribute) !== undefined;
  }
  const normalise = normaliserFor(subAttribute);
  const expected = normalise(operand);
  return (item) => {
    const actual = subValue(item, subAttribute);
    if (actual === undefined) return filter.operator === 'ne';
    return compare(normalise(actual as Operand), filter.operator, expected);
  };
}

function subAttributeOf(attribute: AttributeDefinition, name: string): AttributeDefinition {
  const subAttribute = findSubAttribute(attribute, name);
  if (subAttribute) return subAttribute;
  const known = (attribute.subAttributes ?? []).map((candidate) => candidate.name).join(', ');
  throw ScimError.invalidFilter(`"${name}" is not a sub-attribute of ${attribute.name}; use one of ${known}.`);
}

function comparableType(subAttribute: AttributeDefinition, path: string): ComparableType {
  switch (subAttribute.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return 'string';
    case 'complex':
      throw ScimError.invalidFilter(`${path} is complex and cannot be compared with a value.`);
    default:
      return subAttribute.type;
  }
}

function subValue(item: unknown, subAttribute: AttributeDefinition): unknown {
  return isPlainObject(item) ? item[subAttribute.name] : undefined;
}

/** Maps both sides to a form where JavaScript's operators give SCIM's answer. */
function normaliserFor(subAttribute: AttributeDefinition): (value: Operand) => Operand {
  if (subAttribute.type === 'dateTime') return (value) => Date.parse(String(value));
  if (subAttribute.type === 'boolean' || subAttribute.type === 'integer' || subAttribute.type === 'decimal') {
    return (value) => value;
  }
  return subAttribute.caseExact ? (value) => String(value) : (value) => String(value).toLowerCase();
}

function compare(actual: Operand, operator: ComparisonOperator, expected: Operand): boolean {
  switch (operator) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'co':
      return String(actual).includes(String(expected));
    case 'sw':
      return String(actual).startsWith(String(expected));
    case 'ew':
      return String(actual).endsWith(String(expected));
    case 'gt':
      return actual > expected;
    case 'ge':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'le':
      return actual <= expected;
  }
}
