import { ScimError } from '../errors/scim-error.js';
import type { AttributeDefinition } from '../schema/attribute-definition.js';
import { RESOURCE_TYPES, type ScimResourceType } from '../schema/resource-types.js';
import { isPlainObject, type ComplexValue } from './attribute-value-coercion.js';

/**
 * Attributes whose `type` names a slot that holds one value ("work" email, "mobile" phone). Entra ID requires
 * this and addresses values as `emails[type eq "work"]`. Roles and entitlements are left out: Entra sends several
 * roles with the same type.
 */
const ATTRIBUTES_WITH_UNIQUE_TYPES = new Set(['emails', 'phoneNumbers', 'ims', 'photos', 'addresses']);

/** Enforces, on a canonical resource, the per-value rules of multi-valued attributes (RFC 7643 §2.4). */
export function assertMultiValuedRules(resourceType: ScimResourceType, resource: ComplexValue): void {
  for (const attribute of RESOURCE_TYPES[resourceType].coreSchema.attributes) {
    const items = resource[attribute.name];
    if (!attribute.multiValued || !Array.isArray(items)) continue;
    assertAtMostOnePrimary(attribute, items);
    if (ATTRIBUTES_WITH_UNIQUE_TYPES.has(attribute.name)) assertUniqueTypes(attribute, items);
  }
}

function assertAtMostOnePrimary(attribute: AttributeDefinition, items: unknown[]): void {
  const primaryCount = items.filter((item) => isPlainObject(item) && item['primary'] === true).length;
  if (primaryCount > 1) {
    throw ScimError.invalidValue(
      `${attribute.name} has ${primaryCount} values marked primary; at most one value may have "primary": true.`,
    );
  }
}

function assertUniqueTypes(attribute: AttributeDefinition, items: unknown[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    const type = isPlainObject(item) ? item['type'] : undefined;
    if (typeof type !== 'string') continue;
    const key = type.toLowerCase();
    if (seen.has(key)) {
      throw ScimError.invalidValue(
        `${attribute.name} has more than one value with type "${type}"; each type may appear only once ` +
          `(for example only one "work" email).`,
      );
    }
    seen.add(key);
  }
}
