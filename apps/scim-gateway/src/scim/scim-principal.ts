import type { FastifyRequest } from 'fastify';
import type { Principal } from '#roster/tailnets';

export type ScimRequest = FastifyRequest & { principal?: Principal; correlationId?: string };
