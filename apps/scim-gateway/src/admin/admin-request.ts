import type { FastifyRequest } from 'fastify';
import type { Actor } from '#roster/events';
import type { Principal } from '#roster/tailnets';

export type AdminRequest = FastifyRequest & { principal?: Principal; correlationId?: string };

/** The admin API key that made a change, as recorded on its events. */
export function adminActorOf(request: AdminRequest): Actor {
  return { kind: 'admin-api-key', id: request.principal!.tokenId };
}
