import { ScimError } from '../errors/scim-error.js';
import type { ComplexValue } from '../resource/attribute-value-coercion.js';
import { groupFromAttributes } from '../resource/normalise-group.js';
import { userFromAttributes } from '../resource/normalise-user.js';
import type { ScimGroup, ScimResource, ScimUser } from '../resource/scim-resource.js';
import type { ScimResourceType } from '../schema/resource-types.js';
import { applyOperation, type PatchContext } from './apply-operation.js';
import { parsePatchRequest, type PatchOperation } from './patch-request.js';
import { sameResourceContent } from './resource-equality.js';
import { WorkingResource } from './working-resource.js';

export interface PatchResult<Resource> {
  readonly resource: Resource;
  /** False when the operations left the data as it was, so no event needs to be recorded. */
  readonly changed: boolean;
}

/**
 * Applies a PatchOp message (RFC 7644 §3.5.2, plus the Entra ID and Okta dialects) to a stored resource, i.e. one
 * that normaliseUser, normaliseGroup or applyPatch returned (it is not coerced again: large groups are patched
 * often). The operations apply in order to a copy; any failure throws a ScimError and leaves `resource` untouched.
 * Sent values are coerced as in a POST body and the result is checked by the same rules, so a PATCH can never store
 * what a POST would refuse. `id` and `meta` are carried over unchanged.
 */
export function applyPatch(resourceType: 'User', resource: ScimUser, request: unknown): PatchResult<ScimUser>;
export function applyPatch(resourceType: 'Group', resource: ScimGroup, request: unknown): PatchResult<ScimGroup>;
export function applyPatch(resourceType: ScimResourceType, resource: ScimResource, request: unknown): PatchResult<ScimResource> {
  const operations = parsePatchRequest(request);
  const { schemas, id, meta, ...attributes } = resource;
  const work = new WorkingResource(attributes);
  const context: PatchContext = { resourceType, resourceId: id };
  operations.forEach((operation, index) => applyNumberedOperation(work, operation, index, context));
  const after = fromAttributes(resourceType, work.snapshot());
  return {
    resource: { ...after, ...(id === undefined ? {} : { id }), ...(meta === undefined ? {} : { meta }) },
    changed: !sameResourceContent({ schemas, ...attributes }, after),
  };
}

function fromAttributes(resourceType: ScimResourceType, attributes: ComplexValue): ScimResource {
  return resourceType === 'User' ? userFromAttributes(attributes) : groupFromAttributes(attributes);
}

/** Errors name the failing operation, so an IdP's provisioning log points at the part of the request to fix. */
function applyNumberedOperation(work: WorkingResource, operation: PatchOperation, index: number, context: PatchContext): void {
  try {
    applyOperation(work, operation, context);
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    const where = operation.path === undefined ? operation.op : `${operation.op} ${operation.path}`;
    throw new ScimError(error.status, error.scimType, `Operations[${index}] (${where}): ${error.detail}`);
  }
}
