import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The admin API routes whose body is a policy file, kept as text: HuJSON comments and formatting are the policy. */
const POLICY_ROUTE = /^\/api\/v2\/tailnet\/[^/?]+\/acl(?:\/validate)?\/?(?:\?|$)/;

/**
 * Policy files are sent as application/hujson, application/json or text/plain (Tailscale's clients use all three).
 * On the policy routes each is handed over as the raw string; everywhere else JSON is parsed as before, so SCIM and
 * the other admin routes see objects.
 */
export function registerPolicyBodyParsers(fastify: FastifyInstance): void {
  const json = fastify.getDefaultJsonParser('ignore', 'ignore');
  const raw = (_request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => done(null, body.toString());
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    isPolicyRoute(request.url) ? raw(request, body, done) : json(request, body.toString(), done),
  );
  fastify.addContentTypeParser(['application/hujson', 'text/plain'], { parseAs: 'string' }, raw);
}

export function isPolicyRoute(url: string): boolean {
  return POLICY_ROUTE.test(url);
}
