import type { Actor } from '#roster/events';
import type { AdminRequest } from '#roster/tailnets';

/** The admin API key that made a change, as recorded on its events. */
export function adminActorOf(request: AdminRequest): Actor {
  return { kind: 'admin-api-key', id: request.principal!.tokenId };
}
