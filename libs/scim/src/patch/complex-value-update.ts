import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';
import { coerceSingleValue, isPlainObject, isStoredSubAttribute, type ComplexValue } from '../resource/attribute-value-coercion.js';
import { findSubAttribute, type AttributeDefinition } from '../schema/attribute-definition.js';

/**
 * Applies the sub-attributes present in `raw` to `current`, leaving the others unchanged (RFC 7644 §3.5.2.1 and
 * §3.5.2.3); a null or empty sub-attribute value clears it. Returns undefined once no sub-attribute is left.
 */
export function mergeComplexValue(
  attribute: AttributeDefinition,
  current: unknown,
  raw: ComplexValue,
  path: string,
): ComplexValue | undefined {
  let merged = isPlainObject(current) ? current : undefined;
  for (const [key, value] of Object.entries(raw)) {
    const subAttribute = findSubAttribute(attribute, key);
    if (!subAttribute || !isStoredSubAttribute(subAttribute)) continue;
    merged = withSubAttribute(merged, subAttribute, coerceSingleValue(subAttribute, value, `${path}.${subAttribute.name}`), path);
  }
  return merged;
}

/** A copy of `current` with one sub-attribute set (or removed, for undefined); undefined once empty. */
export function withSubAttribute(
  current: unknown,
  subAttribute: AttributeDefinition,
  value: unknown,
  path: string,
): ComplexValue | undefined {
  const next: ComplexValue = isPlainObject(current) ? { ...current } : {};
  assertImmutableUnchanged(subAttribute, next[subAttribute.name], value, path);
  if (value === undefined) delete next[subAttribute.name];
  else next[subAttribute.name] = value;
  return Object.keys(next).length > 0 ? next : undefined;
}

/** RFC 7643 §2.2: an immutable value may be set once (e.g. a member's `value`) but not changed afterwards. */
function assertImmutableUnchanged(subAttribute: AttributeDefinition, current: unknown, next: unknown, path: string): void {
  if (subAttribute.mutability !== 'immutable' || current === undefined || current === next) return;
  throw ScimError.mutability(
    `${path}: ${subAttribute.name} is immutable and already ${describeValue(current)}; remove the value and add a new one instead.`,
  );
}
