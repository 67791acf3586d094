import type { ArgumentsHost } from '@nestjs/common';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ReadModelBehindError } from '#roster/write-model';
import { ScimExceptionFilter } from './scim-exception.filter.js';

/** The filter's answer and log lines for one error thrown while serving a request with this correlation id. */
function handle(error: unknown, correlationId: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const answer: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const reply = {
    status: (status: number) => ((answer.status = status), reply),
    header: (name: string, value: string) => ((answer.headers[name] = value), reply),
    send: (body: unknown) => ((answer.body = body), reply),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ correlationId }) }) } as unknown as ArgumentsHost;
  new ScimExceptionFilter(logger).catch(error, host);
  return { answer, lines };
}

describe('ScimExceptionFilter', () => {
  it("answers an unexpected error with a SCIM 500 and logs it under the request's correlation id", () => {
    const { answer, lines } = handle(new TypeError('boom'), 'entra-42');
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ status: '500', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    expect(lines).toEqual([expect.objectContaining({ msg: 'unexpected error', correlationId: 'entra-42' })]);
  });

  it('logs a 503 under the correlation id and tells the client when to retry', () => {
    const { answer, lines } = handle(new ReadModelBehindError('directory', 5_000), 'okta-7');
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBeDefined();
    expect(lines).toEqual([expect.objectContaining({ msg: 'request failed', status: 503, correlationId: 'okta-7' })]);
  });
});
