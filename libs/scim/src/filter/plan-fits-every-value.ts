import { ScimError } from '../errors/scim-error.js';
import { findSubAttribute } from '../schema/attribute-definition.js';
import type { AttributeTest, Filter } from './filter-ast.js';
import type { ColumnSpec, FilterMapping } from './filter-mapping.js';
import { resolveMappedAttribute } from './mapped-attribute.js';

/**
 * Whether one query plan serves a filter whatever values are bound, so that its compiled query may be prepared
 * once and reused: an `and` of equalities (`eq` with a non-null value), at least one of them on an indexed
 * attribute, whose index then drives every plan. The lookups Entra ID and Okta send are of this shape. `or`,
 * `not`, `ne`, ranges, `pr` and `co`/`sw`/`ew` are not: how many rows their values match decides the best plan.
 */
export function planFitsEveryValue(filter: Filter, mapping: FilterMapping): boolean {
  const terms = conjunctsOf(filter);
  return terms !== undefined && terms.every(isEquality) && terms.some((term) => isIndexed(term, mapping));
}

/** The terms of an `and` chain, or undefined when the filter is anything else at its top. */
function conjunctsOf(filter: Filter): Filter[] | undefined {
  if (filter.kind === 'not' || (filter.kind === 'logical' && filter.operator === 'or')) return undefined;
  if (filter.kind !== 'logical') return [filter];
  const left = conjunctsOf(filter.left);
  const right = conjunctsOf(filter.right);
  return left && right ? [...left, ...right] : undefined;
}

function isEquality(term: Filter): boolean {
  if (term.kind === 'valuePath') return conjunctsOf(term.filter)?.every(isEquality) ?? false;
  return term.kind === 'comparison' && term.operator === 'eq' && term.value !== null;
}

/** Whether an equality term compares an indexed column (for `emails[…]`, whether one of its terms does). */
function isIndexed(term: Filter, mapping: FilterMapping): boolean {
  if (term.kind === 'valuePath') {
    const target = resolveMappedAttribute(mapping, term.attributePath, ScimError.invalidFilter);
    if (target.kind !== 'children') return false;
    const isIndexedSubAttribute = (test: AttributeTest) => {
      const name = findSubAttribute(target.resolved.attribute, test.attributePath)?.name;
      return name !== undefined && isIndexedColumn(target.children.subAttributes[name]);
    };
    return (conjunctsOf(term.filter) ?? []).some((inner) => inner.kind === 'comparison' && isIndexedSubAttribute(inner));
  }
  if (term.kind !== 'comparison') return false;
  const target = resolveMappedAttribute(mapping, term.attributePath, ScimError.invalidFilter);
  return target.kind === 'column' ? isIndexedColumn(target.column) : isIndexedColumn(target.children.subAttributes[target.subAttributeName]);
}

function isIndexedColumn(column: ColumnSpec | undefined): boolean {
  return column?.indexed === true;
}
