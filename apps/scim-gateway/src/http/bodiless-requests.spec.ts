import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { allowingEmptyBodies } from './bodiless-requests.js';

const parse = allowingEmptyBodies((_request, body, done) => {
  try {
    done(null, JSON.parse(body.toString()));
  } catch (error) {
    done(error as Error);
  }
});

function outcome(method: string, body: string): { error: Error | null; value?: unknown } {
  let result!: { error: Error | null; value?: unknown };
  parse({ method } as FastifyRequest, body, (error, value) => (result = { error, value }));
  return result;
}

describe('allowingEmptyBodies', () => {
  it('reads an empty body as none on a DELETE or GET', () => {
    expect(outcome('DELETE', '')).toEqual({ error: null, value: undefined });
    expect(outcome('GET', '')).toEqual({ error: null, value: undefined });
  });

  it('still parses what a DELETE sends, and still refuses an empty body on a write', () => {
    expect(outcome('DELETE', '{"a":1}')).toEqual({ error: null, value: { a: 1 } });
    for (const method of ['POST', 'PUT', 'PATCH']) expect(outcome(method, '').error).toBeInstanceOf(SyntaxError);
  });
});
