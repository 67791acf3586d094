import type { FastifyInstance } from 'fastify';
import { jsonBodyParser } from './json-body-parser.js';
import { assertStorableText, type BodyParser } from './unstorable-text.js';

/** The admin API routes whose body is a policy file, kept as text: HuJSON comments and formatting are the policy. */
const POLICY_ROUTE = /^\/api\/v2\/tailnet\/[^/?]+\/acl(?:\/validate)?\/?(?:\?|$)/;

/**
 * Policy files are sent as application/hujson, application/json or text/plain (Tailscale's clients use all three).
 * On the policy routes each is handed over as the raw string; everywhere else JSON is parsed as before, so SCIM and
 * the other admin routes see objects.
 *
 * The JSON parser is returned rather than registered: Nest registers its own application/json parser unless one is
 * given to `FastifyAdapter.useBodyParser`, which is where main.ts puts this one.
 */
export function policyAwareJsonParser(fastify: FastifyInstance): BodyParser {
  const json = jsonBodyParser(fastify);
  return (request, body, done) => (isPolicyRoute(request.url) ? raw(request, body, done) : json(request, body.toString(), done));
}

/** application/hujson is only ever a policy; text/plain stays what it always was, a string. */
export function registerPolicyTextParsers(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser(['application/hujson', 'text/plain'], { parseAs: 'string' }, raw);
}

export function isPolicyRoute(url: string): boolean {
  return POLICY_ROUTE.test(url);
}

const raw: BodyParser = (_request, body, done) => {
  const text = body.toString();
  try {
    assertStorableText(text);
  } catch (error) {
    return done(error as Error);
  }
  done(null, text);
};
