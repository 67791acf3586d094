export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export const SCIM_SCHEMAS = {
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
} as const;

/** RFC 7644 §3.12: `status` is a string in the error body. */
export function scimErrorBody(status: number, detail: string, scimType?: string) {
  return { schemas: [SCIM_SCHEMAS.error], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/** A weak ETag of the resource version (RFC 7644 §3.14). */
export function etag(version: number): string {
  return `W/"${version}"`;
}

/** A ListResponse of resources already serialised, as listResponse would serialise it. */
export function listResponseJson(totalResults: number, startIndex: number, resourcesJson: string[]): string {
  return (
    `{"schemas":["${SCIM_SCHEMAS.listResponse}"],"totalResults":${totalResults},"startIndex":${startIndex},` +
    `"itemsPerPage":${resourcesJson.length},"Resources":[${resourcesJson.join(',')}]}`
  );
}

/** A ListResponse (RFC 7644 §3.4.2); `itemsPerPage` is how many this page holds. */
export function listResponse<T>(totalResults: number, startIndex: number, resources: T[]) {
  return { schemas: [SCIM_SCHEMAS.listResponse], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
