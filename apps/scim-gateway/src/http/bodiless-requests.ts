import type { BodyParser } from './unstorable-text.js';

const WITHOUT_BODY = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * Passes `parse` an empty body only where one is an error. Some clients declare a content type on every request,
 * a DELETE included; Fastify then parses its empty body as JSON and fails, and the resource is never deleted.
 */
export function allowingEmptyBodies(parse: BodyParser): BodyParser {
  return (request, body, done) => (body.length === 0 && WITHOUT_BODY.has(request.method) ? done(null, undefined) : parse(request, body, done));
}
