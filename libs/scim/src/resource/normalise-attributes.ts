import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';
import type { ResolvedAttributePath } from '../schema/attribute-path-resolver.js';
import { isResourceId } from '../schema/common-attributes.js';
import { RESOURCE_TYPES, type ScimResourceType } from '../schema/resource-types.js';
import { readAttribute, writeAttribute, writeSubAttribute } from './attribute-location.js';
import {
  coerceAttributeValue,
  coerceSingleValue,
  isAbsentValue,
  isPlainObject,
  isStoredSubAttribute,
  type ComplexValue,
} from './attribute-value-coercion.js';
import { visitResourceAttributes } from './visit-resource-attributes.js';

/** `create` is a POST body, `replace` a PUT body for the resource with that `id`. */
export type NormaliseOptions = { mode: 'create' } | { mode: 'replace'; id: string };

/**
 * Turns a resource body into its canonical attributes, without `schemas`, `id` or `meta` (the server owns those).
 * Read-only attributes are ignored as RFC 7644 §3.5.1 asks, except an `id` that names a different resource than
 * the one being replaced: that is a client addressing the wrong resource, and applying it would overwrite one
 * user with another's data.
 */
export function normaliseAttributes(
  resourceType: ScimResourceType,
  body: unknown,
  options: NormaliseOptions,
): ComplexValue {
  if (!isPlainObject(body)) {
    throw ScimError.invalidSyntax(`The request body must be a JSON object holding a ${resourceType}, but got ${describeValue(body)}.`);
  }
  const resource: ComplexValue = {};
  visitResourceAttributes(resourceType, body, (resolved, raw) => {
    if (isResourceId(resolved)) assertIdMatches(raw, options);
    else if (isClientWritable(resolved)) assignAttribute(resource, resolved, raw);
  });
  return resource;
}

/** Prefixes `schemas`, listing the core schema and each extension whose attributes are present. */
export function withSchemas(resourceType: ScimResourceType, attributes: ComplexValue): ComplexValue {
  const { coreSchema, extensions } = RESOURCE_TYPES[resourceType];
  const presentExtensions = extensions.filter((extension) => attributes[extension.id] !== undefined);
  return { schemas: [coreSchema.id, ...presentExtensions.map((extension) => extension.id)], ...attributes };
}

function assertIdMatches(raw: unknown, options: NormaliseOptions): void {
  if (options.mode === 'replace' && !isAbsentValue(raw) && raw !== options.id) {
    throw ScimError.mutability(
      `The body's id ${describeValue(raw)} does not match the resource being replaced ("${options.id}"); ` +
        'id is assigned by the server and cannot be changed.',
    );
  }
}

/** Password is writeOnly and dropped: Roster authenticates through SSO and never stores secrets. */
function isClientWritable(resolved: ResolvedAttributePath): boolean {
  const { attribute, subAttribute } = resolved;
  if (attribute.mutability === 'readOnly' || attribute.mutability === 'writeOnly') return false;
  return subAttribute === undefined || isStoredSubAttribute(subAttribute);
}

function assignAttribute(resource: ComplexValue, resolved: ResolvedAttributePath, raw: unknown): void {
  const { attribute, subAttribute, canonicalPath } = resolved;
  if (subAttribute) {
    // A dotted key such as "name.givenName"; "emails.value" names every email at once and has no meaning here.
    if (!attribute.multiValued) {
      writeSubAttribute(resource, { ...resolved, subAttribute }, coerceSingleValue(subAttribute, raw, canonicalPath));
    }
    return;
  }
  const value = coerceAttributeValue(attribute, raw, canonicalPath);
  const current = readAttribute(resource, resolved);
  const mergesWithDottedKeys = isPlainObject(value) && isPlainObject(current);
  writeAttribute(resource, resolved, mergesWithDottedKeys ? { ...current, ...value } : value);
}
