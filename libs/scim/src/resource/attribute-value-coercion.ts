import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';
import { findSubAttribute, type AttributeDefinition } from '../schema/attribute-definition.js';
import { isIsoDateTime } from '../schema/date-time-format.js';

export type ComplexValue = Record<string, unknown>;

/**
 * Explicit null and the empty string both mean "no value": Entra sends nulls for unset attributes and its
 * null-update test writes "" expecting the attribute to read back empty (RFC 7643 §2.5 makes unassigned and null
 * equivalent).
 */
export function isAbsentValue(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

export function isPlainObject(value: unknown): value is ComplexValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Converts a value sent for `attribute` into its canonical stored form, or undefined when it amounts to no value
 * (null, "", [], or a complex value whose sub-attributes are all absent). `path` names the attribute in errors.
 */
export function coerceAttributeValue(attribute: AttributeDefinition, raw: unknown, path: string): unknown {
  return attribute.multiValued ? coerceMultiValued(attribute, raw, path) : coerceSingleValue(attribute, raw, path);
}

/** Coerces one value of `attribute`: the whole value when single-valued, or one item when multi-valued. */
export function coerceSingleValue(attribute: AttributeDefinition, raw: unknown, path: string): unknown {
  if (isAbsentValue(raw)) return undefined;
  switch (attribute.type) {
    case 'complex':
      return coerceComplexValue(attribute, raw, path);
    case 'boolean':
      return coerceBoolean(raw, path);
    case 'integer':
      return coerceNumber(raw, path, Number.isSafeInteger, 'an integer');
    case 'decimal':
      return coerceNumber(raw, path, Number.isFinite, 'a number');
    case 'dateTime':
      return coerceDateTime(raw, path);
    case 'string':
    case 'reference':
    case 'binary':
      return coerceString(raw, path);
  }
}

/**
 * Entra ID sends booleans as the strings "True"/"False" in its default PATCH dialect, so those are accepted too.
 */
function coerceBoolean(raw: unknown, path: string): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  throw ScimError.invalidValue(`"${path}" must be a boolean (true or false), but got ${describeValue(raw)}.`);
}

/**
 * A sub-attribute-less shorthand some IdPs use for single-valued complex attributes is accepted: Entra sends
 * `manager` as a bare id or as a one-element array `[{"$ref": …, "value": id}]`.
 */
export function complexObjectFrom(attribute: AttributeDefinition, raw: unknown, path: string): ComplexValue | undefined {
  if (isAbsentValue(raw)) return undefined;
  if (Array.isArray(raw) && !attribute.multiValued) return singleElementOf(attribute, raw, path);
  if (typeof raw === 'string' && !attribute.multiValued && findSubAttribute(attribute, 'value')) return { value: raw };
  if (isPlainObject(raw)) return raw;
  const subAttributeNames = (attribute.subAttributes ?? []).map((subAttribute) => subAttribute.name).join(', ');
  throw ScimError.invalidValue(
    `"${path}" must be an object with the sub-attributes ${subAttributeNames}, but got ${describeValue(raw)}.`,
  );
}

/**
 * Sub-attributes that a client may not write are dropped silently, as RFC 7644 §3.5.1 does for readOnly attributes
 * in a replaced resource. `$ref` is dropped too: the server derives it from `value`, and an IdP's `$ref` points at
 * its own URL space.
 */
export function isStoredSubAttribute(subAttribute: AttributeDefinition): boolean {
  return subAttribute.mutability !== 'readOnly' && subAttribute.name !== '$ref';
}

/** Coerces the values of a multi-valued attribute, accepting a lone value for a one-element array. */
export function coerceMultiValued(attribute: AttributeDefinition, raw: unknown, path: string): unknown[] | undefined {
  if (isAbsentValue(raw)) return undefined;
  const rawItems = Array.isArray(raw) ? raw : [raw];
  const items: unknown[] = [];
  for (let index = 0; index < rawItems.length; index += 1) {
    const item = coerceSingleValue(attribute, rawItems[index], `${path}[${index}]`);
    if (item !== undefined && isMeaningfulValue(attribute, item)) items.push(item);
  }
  return items.length > 0 ? items : undefined;
}

/** A value of an attribute that has a `value` sub-attribute means nothing without one (an email with no address). */
export function isMeaningfulValue(attribute: AttributeDefinition, item: unknown): boolean {
  return !findSubAttribute(attribute, 'value') || (isPlainObject(item) && item['value'] !== undefined);
}

function coerceComplexValue(attribute: AttributeDefinition, raw: unknown, path: string): ComplexValue | undefined {
  const object = complexObjectFrom(attribute, raw, path);
  if (object === undefined) return undefined;
  const result: ComplexValue = {};
  let isEmpty = true;
  for (const key in object) {
    const subAttribute = findSubAttribute(attribute, key);
    if (!subAttribute || !isStoredSubAttribute(subAttribute)) continue;
    const coerced = coerceSingleValue(subAttribute, object[key], `${path}.${subAttribute.name}`);
    if (coerced === undefined) continue;
    result[subAttribute.name] = coerced;
    isEmpty = false;
  }
  return isEmpty ? undefined : result;
}

function singleElementOf(attribute: AttributeDefinition, raw: unknown[], path: string): ComplexValue | undefined {
  if (raw.length > 1) {
    throw ScimError.invalidValue(`"${path}" is single-valued, but ${raw.length} values were sent.`);
  }
  return complexObjectFrom(attribute, raw[0], path);
}

function coerceString(raw: unknown, path: string): string {
  if (typeof raw === 'string') return raw;
  throw ScimError.invalidValue(`"${path}" must be a string, but got ${describeValue(raw)}.`);
}

function coerceNumber(raw: unknown, path: string, isValid: (value: number) => boolean, expected: string): number {
  if (typeof raw === 'number' && isValid(raw)) return raw;
  throw ScimError.invalidValue(`"${path}" must be ${expected}, but got ${describeValue(raw)}.`);
}

function coerceDateTime(raw: unknown, path: string): string {
  if (typeof raw === 'string' && isIsoDateTime(raw)) return raw;
  throw ScimError.invalidValue(
    `"${path}" must be an ISO 8601 date and time such as "2024-05-13T04:42:34Z", but got ${describeValue(raw)}.`,
  );
}
