/** What a client is told when Fastify cannot route its request, before any Nest filter sees it. */
export type RoutingError = { status: number; detail: string; scimType?: string };

const ROUTING_ERRORS: Record<string, RoutingError> = {
  FST_ERR_BAD_URL: { status: 400, detail: 'the URL path is not validly percent-encoded', scimType: 'invalidSyntax' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, detail: 'a path segment is longer than any id' },
};

/**
 * Fastify's own routing errors (given to `FastifyAdapter` as `frameworkErrors`): a path that is not validly
 * percent-encoded, and a path segment over Fastify's length limit. Each service answers them in its API's error
 * form instead of Fastify's.
 */
export function routingErrorOf(error: { code: string }): RoutingError {
  return ROUTING_ERRORS[error.code] ?? { status: 500, detail: 'internal error' };
}
