import { ScimError, type AttributeSelection } from '#roster/scim';
import type { Actor } from '#roster/events';
import { identityProviderOf } from './identity-provider.js';
import type { ScimRequest } from './scim-principal.js';

/** The query parameters of a SCIM list (RFC 7644 §3.4.2); unknown ones are ignored. */
export type ListParameters = AttributeSelection & {
  filter?: string;
  startIndex?: string;
  count?: string;
  sortBy?: string;
  sortOrder?: string;
};

export function sortOrderOf(sortOrder: string | undefined): 'ascending' | 'descending' | undefined {
  if (sortOrder === undefined || sortOrder === '') return undefined;
  const lowered = sortOrder.toLowerCase();
  if (lowered === 'ascending' || lowered === 'descending') return lowered;
  throw ScimError.of('invalidValue', `sortOrder must be "ascending" or "descending", got "${sortOrder}"`);
}

/** Who is making the request, as recorded on the events it causes. */
export function actorOf(request: ScimRequest): Actor {
  const idp = identityProviderOf(request.headers['user-agent']);
  return { kind: 'scim-token', id: request.principal!.tokenId, ...(idp ? { idp } : {}) };
}
