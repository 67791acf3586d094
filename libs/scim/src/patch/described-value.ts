import type { Filter } from '../filter/filter-ast.js';
import type { ComplexValue } from '../resource/attribute-value-coercion.js';
import { findSubAttribute, type AttributeDefinition } from '../schema/attribute-definition.js';

/**
 * The value a filter fully describes, if it is a conjunction of `eq` tests: `type eq "work" and primary eq true`
 * describes `{type: "work", primary: true}`. Entra ID sets a user's first work email with
 * `add emails[type eq "work"].value`, expecting that value to be created.
 */
export function describedValue(filter: Filter, attribute: AttributeDefinition): ComplexValue | undefined {
  if (filter.kind === 'logical' && filter.operator === 'and') {
    const left = describedValue(filter.left, attribute);
    const right = describedValue(filter.right, attribute);
    return left && right ? { ...left, ...right } : undefined;
  }
  if (filter.kind !== 'comparison' || filter.operator !== 'eq' || filter.value === null) return undefined;
  const subAttribute = findSubAttribute(attribute, filter.attributePath);
  return subAttribute ? { [subAttribute.name]: filter.value } : undefined;
}
