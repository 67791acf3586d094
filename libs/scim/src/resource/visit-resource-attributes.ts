import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';
import { resolveAttributePath, type ResolvedAttributePath } from '../schema/attribute-path-resolver.js';
import { findExtensionSchema, type ScimResourceType } from '../schema/resource-types.js';
import { isAbsentValue, isPlainObject, type ComplexValue } from './attribute-value-coercion.js';

/**
 * Walks the attributes of a resource body (or of a path-less PATCH value) and hands each known attribute, resolved
 * to its definition, to `visit`. Keys may be in any case, dotted (`name.givenName`), URN-qualified
 * (`urn:…:enterprise:2.0:User:employeeNumber`), or an extension URN holding an object of that extension's
 * attributes. `schemas` is skipped (it is recomputed) and unknown keys are ignored, because IdPs send attributes
 * and schema URNs (Microsoft's ADSCIM Group, the mistyped `…enterprise:2.0User`) that Roster does not model.
 */
export function visitResourceAttributes(
  resourceType: ScimResourceType,
  body: ComplexValue,
  visit: (resolved: ResolvedAttributePath, raw: unknown) => void,
): void {
  for (const [key, raw] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') continue;
    const extension = findExtensionSchema(resourceType, key);
    if (extension) {
      visitExtensionObject(resourceType, extension.id, raw, visit);
      continue;
    }
    const resolved = resolveAttributePath(resourceType, key);
    if (resolved) visit(resolved, raw);
  }
}

function visitExtensionObject(
  resourceType: ScimResourceType,
  extensionUrn: string,
  raw: unknown,
  visit: (resolved: ResolvedAttributePath, raw: unknown) => void,
): void {
  if (isAbsentValue(raw)) return;
  if (!isPlainObject(raw)) {
    throw ScimError.invalidValue(`"${extensionUrn}" must be an object of extension attributes, but got ${describeValue(raw)}.`);
  }
  for (const [key, value] of Object.entries(raw)) {
    const resolved = resolveAttributePath(resourceType, `${extensionUrn}:${key}`);
    if (resolved) visit(resolved, value);
  }
}
