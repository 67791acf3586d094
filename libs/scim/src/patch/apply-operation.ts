import { describeValue } from '../errors/describe-value.js';
import { ScimError } from '../errors/scim-error.js';
import { isAbsentValue, isPlainObject } from '../resource/attribute-value-coercion.js';
import { visitResourceAttributes } from '../resource/visit-resource-attributes.js';
import type { SchemaDefinition } from '../schema/attribute-definition.js';
import type { ResolvedAttributePath } from '../schema/attribute-path-resolver.js';
import { isResourceId } from '../schema/common-attributes.js';
import type { ScimResourceType } from '../schema/resource-types.js';
import { applyToMultiValued } from './multi-valued-operations.js';
import type { PatchOperation } from './patch-request.js';
import { attributeTarget, resolvePatchTarget, type AttributeTarget } from './patch-target.js';
import { applyToSingleValued } from './single-valued-operations.js';
import type { WorkingResource } from './working-resource.js';

export interface PatchContext {
  readonly resourceType: ScimResourceType;
  /** The id of the resource being patched; a value carrying this same id is not a change. */
  readonly resourceId: string | undefined;
}

export function applyOperation(work: WorkingResource, operation: PatchOperation, context: PatchContext): void {
  if (operation.path === undefined) {
    applyWithoutPath(work, operation, context);
    return;
  }
  const target = resolvePatchTarget(context.resourceType, operation.path);
  if (target.kind === 'unmodelled') return;
  if (target.kind === 'extension') applyToExtension(work, target.schema, operation, context);
  else applyToAttribute(work, target, operation, context);
}

/**
 * A path-less add or replace carries a partial resource (Okta's `{"active":false}`, Entra's object of dotted and
 * URN-qualified keys). Like a resource body, read-only attributes echoed back in it are ignored, except an `id`
 * that names another resource.
 */
function applyWithoutPath(work: WorkingResource, operation: PatchOperation, context: PatchContext): void {
  if (operation.op === 'remove') {
    throw ScimError.noTarget('"remove" needs a "path" naming what to remove (RFC 7644 §3.5.2.2).');
  }
  if (!isPlainObject(operation.value)) {
    throw ScimError.invalidValue(
      `"${operation.op}" without a path needs an object of attributes as its value, but got ${describeValue(operation.value)}.`,
    );
  }
  visitResourceAttributes(context.resourceType, operation.value, (resolved, value) => {
    if (isReadOnly(resolved) && !isResourceId(resolved)) return;
    applyToAttribute(work, attributeTarget(resolved), { ...operation, value }, context);
  });
}

/** `path` is an extension URN: the value is an object of that extension's attributes; remove drops them all. */
function applyToExtension(
  work: WorkingResource,
  schema: SchemaDefinition,
  operation: PatchOperation,
  context: PatchContext,
): void {
  if (operation.op === 'remove' || isAbsentValue(operation.value)) work.clearExtension(schema);
  else applyWithoutPath(work, { ...operation, value: { [schema.id]: operation.value } }, context);
}

function applyToAttribute(
  work: WorkingResource,
  target: AttributeTarget,
  operation: PatchOperation,
  context: PatchContext,
): void {
  if (!isWritable(target, operation, context)) return;
  if (target.resolved.attribute.multiValued) applyToMultiValued(work, target, operation);
  else applyToSingleValued(work, target, operation);
}

/**
 * Whether the operation applies (true), is silently ignored (false: `password`, server-derived `$ref`, Okta
 * echoing the resource's own id), or is refused as a change to a read-only attribute (400 mutability).
 */
function isWritable(target: AttributeTarget, operation: PatchOperation, context: PatchContext): boolean {
  const { resolved, subAttribute, label } = target;
  if (isResourceId(resolved)) {
    if (operation.op !== 'remove' && operation.value === context.resourceId) return false;
    throw ScimError.mutability(
      `id ${describeValue(operation.value)} is not this resource's id ${describeValue(context.resourceId)}; ` +
        'id is assigned by the server and cannot be changed.',
    );
  }
  if (resolved.attribute.mutability === 'readOnly' || subAttribute?.mutability === 'readOnly') {
    throw ScimError.mutability(`"${label}" is read-only and cannot be modified.`);
  }
  return resolved.attribute.mutability !== 'writeOnly' && subAttribute?.name !== '$ref';
}

function isReadOnly(resolved: ResolvedAttributePath): boolean {
  return resolved.attribute.mutability === 'readOnly' || resolved.subAttribute?.mutability === 'readOnly';
}
