import type { ScimError } from '../errors/scim-error.js';
import { resolveAttributePath, type ResolvedAttributePath } from '../schema/attribute-path-resolver.js';
import type { ChildrenMapping, ColumnSpec, FilterMapping } from './filter-mapping.js';

export type MappedAttribute =
  | { readonly kind: 'column'; readonly column: ColumnSpec; readonly resolved: ResolvedAttributePath }
  | {
      readonly kind: 'children';
      readonly children: ChildrenMapping;
      /** The sub-attribute named in the path, or the mapping's default. */
      readonly subAttributeName: string;
      /** Whether the path named a sub-attribute (`emails.type`) rather than only the attribute (`emails`). */
      readonly subAttributeNamed: boolean;
      readonly resolved: ResolvedAttributePath;
    };

/**
 * Finds where the attribute a filter or sortBy names is stored. `fail` builds the caller's error (invalidFilter
 * for filters, invalidValue for sortBy) from an actionable detail.
 */
export function resolveMappedAttribute(
  mapping: FilterMapping,
  path: string,
  fail: (detail: string) => ScimError,
): MappedAttribute {
  const resolved = resolveAttributePath(mapping.resourceType, path);
  if (!resolved) throw fail(`"${path}" is not an attribute of ${mapping.resourceType}.`);
  const direct = mapping.attributes[resolved.canonicalPath];
  if (direct?.kind === 'column') return { kind: 'column', column: direct, resolved };
  if (direct?.kind === 'children') {
    return { kind: 'children', children: direct, subAttributeName: direct.defaultSubAttribute, subAttributeNamed: false, resolved };
  }
  const parent = resolved.subAttribute ? mapping.attributes[resolved.attributePath] : undefined;
  if (parent?.kind === 'children' && resolved.subAttribute) {
    return { kind: 'children', children: parent, subAttributeName: resolved.subAttribute.name, subAttributeNamed: true, resolved };
  }
  throw fail(`${resolved.canonicalPath} is not filterable or sortable in Roster; ${filterableList(mapping)}.`);
}

/** The column holding one sub-attribute of a child table, or the caller's error. */
export function childColumn(
  children: ChildrenMapping,
  attributePath: string,
  subAttributeName: string,
  fail: (detail: string) => ScimError,
): ColumnSpec {
  const column = children.subAttributes[subAttributeName];
  if (column) return column;
  const known = Object.keys(children.subAttributes).join(', ');
  throw fail(`${attributePath}.${subAttributeName} is not filterable or sortable in Roster; use ${attributePath}.{${known}}.`);
}

function filterableList(mapping: FilterMapping): string {
  return `the supported attributes are ${Object.keys(mapping.attributes).join(', ')}`;
}
