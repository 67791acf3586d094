import type { AttributeDefinition } from '../schema/attribute-definition.js';
import type { ResolvedAttributePath } from '../schema/attribute-path-resolver.js';
import { isPlainObject, type ComplexValue } from './attribute-value-coercion.js';

/** Reads the whole value of the attribute `resolved` names (its sub-attribute, if any, is the caller's business). */
export function readAttribute(resource: ComplexValue, resolved: ResolvedAttributePath): unknown {
  const container = resolved.isExtension ? resource[resolved.schema.id] : resource;
  return isPlainObject(container) ? container[resolved.attribute.name] : undefined;
}

/**
 * Sets (or, for undefined, removes) the whole value of an attribute. Extension attributes live in an object under
 * the extension's URN, which is created on demand and dropped once empty so that `schemas` can be derived from the
 * keys present.
 */
export function writeAttribute(resource: ComplexValue, resolved: ResolvedAttributePath, value: unknown): void {
  if (!resolved.isExtension) {
    assignOrDelete(resource, resolved.attribute.name, value);
    return;
  }
  const extensionUrn = resolved.schema.id;
  const extension = isPlainObject(resource[extensionUrn]) ? { ...resource[extensionUrn] } : {};
  assignOrDelete(extension, resolved.attribute.name, value);
  assignOrDelete(resource, extensionUrn, Object.keys(extension).length > 0 ? extension : undefined);
}

/** Sets or removes one sub-attribute of a single-valued complex attribute, dropping the attribute once empty. */
export function writeSubAttribute(
  resource: ComplexValue,
  resolved: ResolvedAttributePath & { readonly subAttribute: AttributeDefinition },
  value: unknown,
): void {
  const current = readAttribute(resource, resolved);
  const next: ComplexValue = isPlainObject(current) ? { ...current } : {};
  assignOrDelete(next, resolved.subAttribute.name, value);
  writeAttribute(resource, resolved, Object.keys(next).length > 0 ? next : undefined);
}

function assignOrDelete(target: ComplexValue, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
