import type { Actor } from '#roster/events';
import type { AdminRequest } from '#roster/tailnets';

/** The admin API key that made a change, as recorded on its events. */
export function adminActorOf(request: AdminRequest): Actor {
  return { kind: 'admin-api-key', id: request.principal!.tokenId };
}

/** Whether a request path is the admin API's (`/api/v2/…`), whose errors read `{ "message": … }`, not SCIM's. */
export function isAdminApiPath(url: string): boolean {
  return url.startsWith('/api/');
}
