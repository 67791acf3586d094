import { resolveAttributePath } from '../schema/attribute-path-resolver.js';
import type { ScimResourceType } from '../schema/resource-types.js';
import type { Filter } from './filter-ast.js';

/**
 * The value when `filter` is nothing but `<attribute> eq "<string>"` (any letter case, URN-qualified or not), as
 * IdPs send when they look a resource up by its unique key before creating it; undefined for any other filter.
 */
export function exactMatchOf(filter: Filter, resourceType: ScimResourceType, canonicalPath: string): string | undefined {
  if (filter.kind !== 'comparison' || filter.operator !== 'eq' || typeof filter.value !== 'string') return undefined;
  return resolveAttributePath(resourceType, filter.attributePath)?.canonicalPath === canonicalPath ? filter.value : undefined;
}
