import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { assertStorableText, refusingUnstorableText, UnstorableTextError } from './unstorable-text.js';

const parseJson = refusingUnstorableText((_request, body, done) => {
  try {
    done(null, JSON.parse(body));
  } catch (error) {
    done(error as Error);
  }
});

function parsed(body: string): { error: Error | null; value?: unknown } {
  let outcome!: { error: Error | null; value?: unknown };
  parseJson({} as FastifyRequest, body, (error, value) => (outcome = { error, value }));
  return outcome;
}

describe('refusingUnstorableText', () => {
  it('passes ordinary bodies, escaped backslashes and well-formed surrogate pairs as parsed', () => {
    expect(parsed('{"title":"Engineer","tags":["a"]}')).toEqual({ error: null, value: { title: 'Engineer', tags: ['a'] } });
    expect(parsed('{"title":"\\\\u0000"}')).toEqual({ error: null, value: { title: '\\u0000' } });
    expect(parsed('{"title":"\\ud83d\\ude00"}')).toEqual({ error: null, value: { title: '😀' } });
  });

  it('refuses a NUL in a value, deep in an array, or in a key', () => {
    for (const body of ['{"title":"a\\u0000b"}', '{"emails":[{"value":"x"},{"value":"\\u0000"}]}', '{"nick\\u0000Name":"x"}']) {
      const { error } = parsed(body);
      expect(error, body).toBeInstanceOf(UnstorableTextError);
      expect(error?.message).toMatch(/NUL/);
    }
  });

  it('refuses half of a surrogate pair alone, high or low', () => {
    for (const body of ['{"title":"a\\ud800"}', '{"title":"\\udc00b"}', '{"title":"\\ude00\\ud83d"}']) {
      expect(parsed(body).error?.message, body).toMatch(/well-formed Unicode/);
    }
  });

  it('hands on the parser’s own error for what is not JSON', () => {
    expect(parsed('{').error).toBeInstanceOf(SyntaxError);
  });
});

describe('assertStorableText', () => {
  it('refuses raw text with a NUL, and passes any other text', () => {
    expect(() => assertStorableText('{ "acls": [] }\u0000')).toThrow(UnstorableTextError);
    expect(() => assertStorableText('// policy\n{ "acls": [] }')).not.toThrow();
  });
});
