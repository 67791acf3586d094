import { isAdminApiPath } from '../admin/admin-request.js';
import { SCIM_CONTENT_TYPE, scimErrorBody } from '../scim/scim-media.js';

const ADMIN_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * An error answered before Nest's exception filters can see it, in the error form of the API its path belongs to:
 * the admin API's `{ message }`, or SCIM's error schema.
 */
export function edgeErrorBody(path: string, status: number, detail: string, scimType?: string): { contentType: string; body: string } {
  return isAdminApiPath(path)
    ? { contentType: ADMIN_CONTENT_TYPE, body: JSON.stringify({ message: detail }) }
    : { contentType: SCIM_CONTENT_TYPE, body: JSON.stringify(scimErrorBody(status, detail, scimType)) };
}
