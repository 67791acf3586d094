import { ScimError } from '../errors/scim-error.js';
import type { ChildrenMapping, ColumnSpec, FilterMapping } from './filter-mapping.js';
import { childColumn, resolveMappedAttribute } from './mapped-attribute.js';

/**
 * The SQL expression to ORDER BY for a `sortBy` attribute (RFC 7644 §3.4.2.3), or 400 invalidValue. Strings that
 * are not caseExact sort by lower(…), matching how they compare. A multi-valued attribute sorts by its primary
 * value, else its smallest one, as the RFC asks.
 */
export function sortExpression(sortBy: string, mapping: FilterMapping): string {
  const fail = (detail: string) => ScimError.invalidValue(`Cannot sort by "${sortBy}": ${detail}`);
  const target = resolveMappedAttribute(mapping, sortBy, fail);
  if (target.kind === 'column') return sortableValue(target.column);
  const column = childColumn(target.children, target.resolved.attributePath, target.subAttributeName, fail);
  return primaryChildValue(target.children, column);
}

function sortableValue(column: ColumnSpec): string {
  return column.type === 'string' && !column.caseExact ? `lower(${column.sql})` : column.sql;
}

function primaryChildValue(children: ChildrenMapping, column: ColumnSpec): string {
  const value = sortableValue(column);
  const primary = children.subAttributes['primary'];
  const order = primary ? `${primary.sql} DESC NULLS LAST, ${value}` : value;
  return `(SELECT ${value} FROM ${children.from} WHERE (${children.correlate}) ORDER BY ${order} LIMIT 1)`;
}
