import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';
import {
  coerceMultiValued,
  coerceSingleValue,
  isAbsentValue,
  isMeaningfulValue,
  isPlainObject,
  type ComplexValue,
} from '../resource/attribute-value-coercion.js';
import type { AttributeDefinition } from '../schema/attribute-definition.js';
import { mergeComplexValue, withSubAttribute } from './complex-value-update.js';
import { describedValue } from './described-value.js';
import type { ItemKey, MultiValuedItems } from './multi-valued-items.js';
import type { PatchOperation } from './patch-request.js';
import type { AttributeTarget } from './patch-target.js';
import type { WorkingResource } from './working-resource.js';

/** add, replace and remove on a multi-valued attribute, its filtered values, or a sub-attribute of them. */
export function applyToMultiValued(work: WorkingResource, target: AttributeTarget, operation: PatchOperation): void {
  const items = work.items(target.resolved);
  if (!target.selection && !target.subAttribute) {
    applyToAllValues(items, target, operation);
    return;
  }
  const keys = target.selection ? items.select(target.selection) : items.keys();
  if (operation.op === 'remove') removeSelected(items, keys, target);
  else if (keys.length === 0) addDescribedValue(items, target, operation);
  else for (const key of keys) updateValue(items, key, target, operation.value);
}

/**
 * Whole-attribute operations. A remove that carries a value removes just the listed values: Entra ID's default
 * dialect removes group members with `{"op":"Remove","path":"members","value":[{"value":"<id>"}]}`.
 */
function applyToAllValues(items: MultiValuedItems, target: AttributeTarget, operation: PatchOperation): void {
  const values = coerceMultiValued(target.resolved.attribute, operation.value, target.label) ?? [];
  if (operation.op === 'remove') {
    if (isAbsentValue(operation.value)) items.clear();
    else items.removeEach(values);
    return;
  }
  if (operation.op === 'replace') items.clear();
  for (const value of values) addValue(items, value, target.resolved.attribute);
}

/**
 * Removing values a filter does not match changes nothing and is not an error: RFC 7644 §3.5.2.2 asks for
 * noTarget only when the path is missing, and IdPs retry removals of members that are already gone.
 */
function removeSelected(items: MultiValuedItems, keys: ItemKey[], target: AttributeTarget): void {
  const { subAttribute, label } = target;
  for (const key of keys) {
    if (!subAttribute) items.delete(key);
    else storeUpdatedValue(items, key, target, withSubAttribute(items.get(key), subAttribute, undefined, label));
  }
}

/**
 * No value matched: create the one the filter describes (Entra's first work email, for add and replace alike,
 * since Entra uses either), or fail with noTarget as RFC 7644 §3.5.2.3 requires when the filter describes none.
 */
function addDescribedValue(items: MultiValuedItems, target: AttributeTarget, operation: PatchOperation): void {
  const { resolved, subAttribute, selection, label } = target;
  const described = selection && describedValue(selection.filter, resolved.attribute);
  if (!described) {
    throw ScimError.noTarget(`"${label}" matches no value of ${resolved.attribute.name}, so there is nothing to ${operation.op}.`);
  }
  if (isAbsentValue(operation.value)) return;
  const sent = subAttribute ? { [subAttribute.name]: operation.value } : objectValue(operation.value, label);
  const value = coerceSingleValue(resolved.attribute, { ...described, ...sent }, label);
  if (value !== undefined) addValue(items, value, resolved.attribute);
}

function updateValue(items: MultiValuedItems, key: ItemKey, target: AttributeTarget, value: unknown): void {
  storeUpdatedValue(items, key, target, updatedValue(items.get(key), target, value));
}

/** A value left without its `value` sub-attribute (e.g. an email whose address was cleared) is removed. */
function storeUpdatedValue(items: MultiValuedItems, key: ItemKey, target: AttributeTarget, next: ComplexValue | undefined): void {
  if (next === undefined || !isMeaningfulValue(target.resolved.attribute, next)) {
    items.delete(key);
    return;
  }
  items.replace(key, next);
  if (next['primary'] === true) items.demoteOtherPrimaries(key);
}

/** Replacing a selected value with null or "" removes it, like Entra's "Replace with empty" elsewhere. */
function updatedValue(current: unknown, target: AttributeTarget, value: unknown): ComplexValue | undefined {
  const { resolved, subAttribute, label } = target;
  if (subAttribute) return withSubAttribute(current, subAttribute, coerceSingleValue(subAttribute, value, label), label);
  if (isAbsentValue(value)) return undefined;
  return mergeComplexValue(resolved.attribute, current, objectValue(value, label), label);
}

function addValue(items: MultiValuedItems, value: unknown, attribute: AttributeDefinition): void {
  if (!isMeaningfulValue(attribute, value)) return;
  const key = items.add(value);
  if (key !== undefined && isPlainObject(value) && value['primary'] === true) items.demoteOtherPrimaries(key);
}

function objectValue(value: unknown, label: string): ComplexValue {
  if (isPlainObject(value)) return value;
  throw ScimError.invalidValue(`"${label}" selects whole values, so its value must be an object, but got ${describeValue(value)}.`);
}
