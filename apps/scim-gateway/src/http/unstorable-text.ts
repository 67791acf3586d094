import type { FastifyInstance, FastifyRequest } from 'fastify';

const NUL = 'strings cannot contain the NUL character (\\u0000)';
const LONE_SURROGATE = 'strings must be well-formed Unicode: one has half of a surrogate pair (\\ud800–\\udfff) alone';

/**
 * Text in a request that PostgreSQL cannot keep as sent. It stores no NUL in text, json or jsonb: a user with one
 * was an event no projection could apply, holding up every read behind it. A lone surrogate is not Unicode: it
 * became U+FFFD on the way in, so what was stored differed from what the write answered.
 */
export class UnstorableTextError extends Error {
  readonly statusCode = 400;
}

type Done = (error: Error | null, body?: unknown) => void;
export type BodyParser = (request: FastifyRequest, body: string | Buffer, done: Done) => void;

/** `parse` (a JSON parser of Fastify's), refusing a body with unstorable text in any string or key. */
export function refusingUnstorableText(parse: (request: FastifyRequest, body: string, done: Done) => void): BodyParser {
  return (request, body, done) => {
    const text = body.toString();
    parse(request, text, (error, parsed) => {
      // JSON carries either only as an escape (\u0000, \ud800), so a search of the text clears most bodies.
      const problem = !error && /\\u(?:0000|[dD][89a-fA-F])/.test(text) ? firstUnstorable(parsed) : undefined;
      done(problem ? new UnstorableTextError(problem) : error, parsed);
    });
  };
}

/** Refuses a request whose URL holds a NUL: a query parameter (a device list's `user`) would carry it to PostgreSQL. */
export function refuseNulInUrls(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (/%00/.test(request.url)) return done(new UnstorableTextError('the URL cannot contain a NUL character (%00)'));
    done();
  });
}

/** Refuses raw text (a policy file) that cannot be stored. */
export function assertStorableText(text: string): void {
  const problem = unstorable(text);
  if (problem) throw new UnstorableTextError(problem);
}

function unstorable(text: string): string | undefined {
  if (text.includes('\u0000')) return NUL;
  if (!text.isWellFormed()) return LONE_SURROGATE;
  return undefined;
}

function firstUnstorable(value: unknown): string | undefined {
  if (typeof value === 'string') return unstorable(value);
  const inner = Array.isArray(value) ? value : value !== null && typeof value === 'object' ? Object.entries(value).flat() : [];
  for (const item of inner) {
    const problem = firstUnstorable(item);
    if (problem) return problem;
  }
  return undefined;
}
