import { coerceSingleValue, complexObjectFrom } from '../resource/attribute-value-coercion.js';
import { mergeComplexValue, withSubAttribute } from './complex-value-update.js';
import type { PatchOperation } from './patch-request.js';
import type { AttributeTarget } from './patch-target.js';
import type { WorkingResource } from './working-resource.js';

/**
 * add and replace both set a single-valued attribute (Entra uses Add for values set the first time and may use
 * either); a null or empty value clears it, which is how Entra's "Replace with empty" removes a manager. For a
 * complex attribute the sent sub-attributes are merged into the present ones.
 */
export function applyToSingleValued(work: WorkingResource, target: AttributeTarget, operation: PatchOperation): void {
  const { resolved, subAttribute, label } = target;
  if (subAttribute) {
    const value = operation.op === 'remove' ? undefined : coerceSingleValue(subAttribute, operation.value, label);
    work.write(resolved, withSubAttribute(work.read(resolved), subAttribute, value, label));
    return;
  }
  if (operation.op === 'remove') {
    work.write(resolved, undefined);
    return;
  }
  if (resolved.attribute.type !== 'complex') {
    work.write(resolved, coerceSingleValue(resolved.attribute, operation.value, label));
    return;
  }
  const sent = complexObjectFrom(resolved.attribute, operation.value, label);
  work.write(resolved, sent && mergeComplexValue(resolved.attribute, work.read(resolved), sent, label));
}
