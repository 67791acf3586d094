import { ScimError } from '../errors/scim-error.js';
import type { Filter } from '../filter/filter-ast.js';
import { compileValuePredicate, type ValuePredicate } from '../filter/value-filter-predicate.js';
import { findSubAttribute, type AttributeDefinition, type SchemaDefinition } from '../schema/attribute-definition.js';
import { resolveAttributePath, type ResolvedAttributePath } from '../schema/attribute-path-resolver.js';
import { findExtensionSchema, RESOURCE_TYPES, type ScimResourceType } from '../schema/resource-types.js';
import { parsePatchPath } from './patch-path.js';

export interface ValueSelection {
  readonly filter: Filter;
  readonly matches: ValuePredicate;
}

/** An attribute, optionally narrowed to the values a filter selects and to one sub-attribute. */
export interface AttributeTarget {
  readonly kind: 'attribute';
  readonly resolved: ResolvedAttributePath;
  readonly subAttribute?: AttributeDefinition;
  readonly selection?: ValueSelection;
  /** The path as the client wrote it, for error details. */
  readonly label: string;
}

/**
 * What one operation acts on: a whole extension (`urn:…:enterprise:2.0:User`), an attribute, or an attribute of
 * an extension Roster does not model (see isUnmodelledExtension).
 */
export type PatchTarget = { readonly kind: 'extension'; readonly schema: SchemaDefinition } | AttributeTarget | { readonly kind: 'unmodelled' };

const EXTENSION_URN_PREFIX = 'urn:ietf:params:scim:schemas:extension:';

export function resolvePatchTarget(resourceType: ScimResourceType, path: string): PatchTarget {
  const parsed = parsePatchPath(path);
  const extension = findExtensionSchema(resourceType, parsed.attributePath);
  if (extension && !parsed.valueFilter) return { kind: 'extension', schema: extension };
  const resolved = resolveAttributePath(resourceType, parsed.attributePath);
  if (!resolved) {
    if (isUnmodelledExtension(resourceType, parsed.attributePath)) return { kind: 'unmodelled' };
    throw ScimError.invalidPath(`"${path}" does not name an attribute of ${resourceType}: no attribute "${parsed.attributePath}".`);
  }
  if (!parsed.valueFilter) {
    return { kind: 'attribute', resolved, label: path, ...optionalSubAttribute(resolved.subAttribute) };
  }
  if (!resolved.attribute.multiValued || resolved.subAttribute) {
    throw ScimError.invalidPath(
      `"${path}": a value filter [...] can only follow a multi-valued attribute such as emails or members.`,
    );
  }
  const selection = { filter: parsed.valueFilter, matches: compileValuePredicate(parsed.valueFilter, resolved.attribute) };
  const subAttribute = parsed.subAttribute === undefined ? undefined : subAttributeOf(resolved.attribute, parsed.subAttribute, path);
  return { kind: 'attribute', resolved, label: path, selection, ...optionalSubAttribute(subAttribute) };
}

/**
 * A path into an extension schema Roster does not model, such as an Entra admin's custom mapping
 * (`urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:tag`). A body's attributes of such a schema
 * are dropped, so an operation on one is dropped too: refusing it would fail every update of the user, one op per
 * path in Entra's default dialect, and Entra quarantines an app that keeps failing. A misspelt attribute of a
 * schema Roster does model is still refused.
 */
function isUnmodelledExtension(resourceType: ScimResourceType, attributePath: string): boolean {
  const path = attributePath.toLowerCase();
  if (!path.startsWith(EXTENSION_URN_PREFIX)) return false;
  const { coreSchema, extensions } = RESOURCE_TYPES[resourceType];
  return ![coreSchema, ...extensions].some(({ id }) => path === id.toLowerCase() || path.startsWith(`${id.toLowerCase()}:`));
}

/** The target of one attribute of a path-less operation's value object. */
export function attributeTarget(resolved: ResolvedAttributePath): AttributeTarget {
  return { kind: 'attribute', resolved, label: resolved.canonicalPath, ...optionalSubAttribute(resolved.subAttribute) };
}

function subAttributeOf(attribute: AttributeDefinition, name: string, path: string): AttributeDefinition {
  const subAttribute = findSubAttribute(attribute, name);
  if (subAttribute) return subAttribute;
  throw ScimError.invalidPath(`"${path}": ${attribute.name} has no sub-attribute "${name}".`);
}

function optionalSubAttribute(subAttribute: AttributeDefinition | undefined): { subAttribute?: AttributeDefinition } {
  return subAttribute ? { subAttribute } : {};
}
