import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * A request body holding U+0000. PostgreSQL keeps no NUL in text, json or jsonb, so no write could store it — and
 * one that reached the log would be an event no projection could apply, holding up every read behind it.
 */
export class NulCharacterError extends Error {
  readonly statusCode = 400;

  constructor(detail = 'strings cannot contain the NUL character (\\u0000)') {
    super(detail);
  }
}

type Done = (error: Error | null, body?: unknown) => void;
export type BodyParser = (request: FastifyRequest, body: string | Buffer, done: Done) => void;

/** `parse` (a JSON parser of Fastify's), refusing a body with NUL in any string or key. */
export function refusingNul(parse: (request: FastifyRequest, body: string, done: Done) => void): BodyParser {
  return (request, body, done) => {
    const text = body.toString();
    parse(request, text, (error, parsed) => {
      // JSON cannot carry a raw NUL, only the escape, so most bodies are cleared by a search of their text.
      if (!error && text.includes('\\u0000') && holdsNul(parsed)) return done(new NulCharacterError());
      done(error, parsed);
    });
  };
}

/** Refuses a request whose URL holds a NUL: a query parameter (a device list's `user`) would carry it to PostgreSQL. */
export function refuseNulInUrls(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (/%00/.test(request.url)) return done(new NulCharacterError('the URL cannot contain a NUL character (%00)'));
    done();
  });
}

/** Refuses raw text (a policy file) with NUL in it. */
export function assertNoNul(text: string): void {
  if (text.includes('\u0000')) throw new NulCharacterError();
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || holdsNul(inner));
  }
  return false;
}
