import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { isPolicyRoute, policyAwareJsonParser, registerPolicyTextParsers } from './policy-body-parsers.js';

async function server() {
  const fastify = Fastify();
  // As Nest's FastifyAdapter.useBodyParser registers it: the body as a buffer.
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, policyAwareJsonParser(fastify));
  registerPolicyTextParsers(fastify);
  fastify.post('/*', async (request) => ({ type: typeof request.body, body: request.body }));
  await fastify.ready();
  return fastify;
}

const text = '// comment\n{ "acls": [], }';

describe('policy body parsers', () => {
  it('hands the policy routes their body as raw text, whatever of the three types it comes as', async () => {
    const fastify = await server();
    for (const type of ['application/hujson', 'application/json', 'text/plain', 'application/json; charset=utf-8']) {
      for (const url of ['/api/v2/tailnet/-/acl', '/api/v2/tailnet/t1/acl/validate', '/api/v2/tailnet/t1/acl?x=1']) {
        const response = await fastify.inject({ method: 'POST', url, headers: { 'content-type': type }, payload: text });
        expect(response.json(), `${type} ${url}`).toEqual({ type: 'string', body: text });
      }
    }
  });

  it('still parses JSON everywhere else, and rejects malformed JSON there', async () => {
    const fastify = await server();
    const parsed = await fastify.inject({ method: 'POST', url: '/api/v2/tailnet/-/devices', headers: { 'content-type': 'application/json' }, payload: '{"a":1}' });
    expect(parsed.json()).toEqual({ type: 'object', body: { a: 1 } });
    const bad = await fastify.inject({ method: 'POST', url: '/scim/v2/Users', headers: { 'content-type': 'application/json' }, payload: text });
    expect(bad.statusCode).toBe(400);
  });

  it('matches only the acl and acl/validate routes', () => {
    expect(isPolicyRoute('/api/v2/tailnet/example.com/acl')).toBe(true);
    expect(isPolicyRoute('/api/v2/tailnet/example.com/acl/')).toBe(true);
    expect(isPolicyRoute('/api/v2/tailnet/example.com/aclx')).toBe(false);
    expect(isPolicyRoute('/api/v2/tailnet/example.com/acl/check')).toBe(false);
    expect(isPolicyRoute('/scim/v2/api/v2/tailnet/x/acl')).toBe(false);
  });
});
