import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA_URN, GROUP_SCHEMA_URN, USER_SCHEMA_URN, renderSchemaResources } from '#roster/scim';
import { ScimClient, type ScimResponse, type Stack } from '#roster/testkit';
import { MAX_PAGE_SIZE } from '../apps/scim-gateway/src/scim/paging.js';
import { startStack } from './support/stack.js';

const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const DISCOVERY_PATHS = ['/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/User', '/Schemas', `/Schemas/${USER_SCHEMA_URN}`];

function expectScimJson(response: ScimResponse, status: number) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
}

/** A `meta.location` as a path under the client's base URL, so following it also proves it is absolute and right. */
function pathOf(scim: ScimClient, location: string): string {
  expect(location.startsWith(`${scim.baseUrl}/`), location).toBe(true);
  return location.slice(scim.baseUrl.length);
}

describe('SCIM discovery: /ServiceProviderConfig, /ResourceTypes and /Schemas', () => {
  let stack: Stack;
  let scim: ScimClient;

  beforeAll(async () => {
    stack = await startStack('discovery');
    scim = (await stack.createTailnet('discovering')).scim;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('describes what the gateway supports: no bulk; patch, filter up to the page size, sort and etag', async () => {
    const response = await scim.get('/ServiceProviderConfig');
    expectScimJson(response, 200);
    expect(response.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: MAX_PAGE_SIZE },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: "Authentication with the tailnet's SCIM bearer token",
          primary: true,
        },
        {
          type: 'httpbasic',
          name: 'HTTP Basic',
          description: "Any user name, with the tailnet's SCIM token as the password (Okta's Basic Auth option)",
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${stack.scimUrl}/ServiceProviderConfig` },
    });
  });

  it('lists the User and Group resource types, each readable at its location', async () => {
    const list = await scim.get('/ResourceTypes');
    expectScimJson(list, 200);
    expect(list.body).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 2, itemsPerPage: 2, startIndex: 1 });
    expect(list.body.Resources).toEqual([
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'User Account',
        schema: USER_SCHEMA_URN,
        schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA_URN, required: false }],
        meta: { resourceType: 'ResourceType', location: `${stack.scimUrl}/ResourceTypes/User` },
      },
      expect.objectContaining({
        id: 'Group',
        endpoint: '/Groups',
        schema: GROUP_SCHEMA_URN,
        schemaExtensions: [],
        meta: { resourceType: 'ResourceType', location: `${stack.scimUrl}/ResourceTypes/Group` },
      }),
    ]);
    for (const resourceType of list.body.Resources) {
      const one = await scim.get(pathOf(scim, resourceType.meta.location));
      expectScimJson(one, 200);
      expect(one.body).toEqual(resourceType);
    }
  });

  it('serves the core User, Enterprise User and Group schemas, each readable at its location', async () => {
    const list = await scim.get('/Schemas');
    expectScimJson(list, 200);
    expect(list.body).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 3, itemsPerPage: 3, startIndex: 1 });
    expect(list.body.Resources.map((schema: { id: string }) => schema.id)).toEqual(
      expect.arrayContaining([USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN, GROUP_SCHEMA_URN]),
    );
    expect(list.body.Resources).toEqual(renderSchemaResources(stack.scimUrl));
    for (const schema of list.body.Resources) {
      const one = await scim.get(pathOf(scim, schema.meta.location));
      expectScimJson(one, 200);
      expect(one.body).toEqual(schema);
    }
  });

  it('finds a schema by its URN, however a client cases or escapes it', async () => {
    const group = await scim.get(`/Schemas/${GROUP_SCHEMA_URN}`);
    expectScimJson(group, 200);
    expect(group.body).toMatchObject({ id: GROUP_SCHEMA_URN, name: 'Group' });
    expect(group.body.attributes.map((attribute: { name: string }) => attribute.name)).toEqual(['displayName', 'members']);

    const escaped = await scim.get(`/Schemas/${encodeURIComponent(ENTERPRISE_USER_SCHEMA_URN.toUpperCase())}`);
    expectScimJson(escaped, 200);
    expect(escaped.body.id).toBe(ENTERPRISE_USER_SCHEMA_URN);
  });

  it('answers an unknown schema or resource type with a SCIM 404', async () => {
    for (const path of ['/Schemas/urn:ietf:params:scim:schemas:core:2.0:Device', '/ResourceTypes/Device', '/ResourceTypes/user']) {
      const response = await scim.get(path);
      expectScimJson(response, 404);
      expect(response.body).toEqual({ schemas: [ERROR], status: '404', detail: expect.stringContaining('not found') });
    }
  });

  it('refuses a filter on the discovery lists with 403 rather than pretend every entry matched', async () => {
    for (const path of ['/Schemas', '/ResourceTypes']) {
      const response = await scim.get(`${path}?filter=${encodeURIComponent('id eq "User"')}`);
      expectScimJson(response, 403);
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '403' });
    }
  });

  it('requires the tailnet token on every discovery endpoint', async () => {
    const anonymous = new ScimClient(stack.scimUrl, '');
    const forged = new ScimClient(stack.scimUrl, 'rstr-scim-00000000-0000-0000-0000-000000000000-nope');
    for (const client of [anonymous, forged]) {
      for (const path of DISCOVERY_PATHS) {
        const response = await client.get(path);
        expectScimJson(response, 401);
        expect(response.body).toMatchObject({ schemas: [ERROR], status: '401' });
      }
    }
  });
});

describe('per-tailnet rate limit', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('rate_limit', { SCIM_RATE_LIMIT_PER_SECOND: '5', SCIM_RATE_LIMIT_BURST: '5' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** 20 requests at once: four times the burst, far faster than 5 per second refills it. */
  const burst = (scim: ScimClient, paths: string[]) => Array.from({ length: 20 }, (_, i) => scim.get(paths[i % paths.length]));

  function expectRateLimited(answers: ScimResponse[]) {
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(5);
    const limited = answers.filter((answer) => answer.status !== 200);
    expect(limited.length).toBeGreaterThan(0);
    for (const answer of limited) {
      expectScimJson(answer, 429);
      const retryAfter = answer.headers.get('retry-after');
      expect(retryAfter).toMatch(/^[1-9]\d*$/);
      expect(answer.body).toEqual({
        schemas: [ERROR],
        status: '429',
        detail: `too many requests for this tailnet; retry after ${retryAfter} s`,
      });
    }
    return Number(limited[0].headers.get('retry-after'));
  }

  it('answers 429 with Retry-After to the tailnet over its budget while another tailnet is served, then recovers', async () => {
    const noisy = (await stack.createTailnet('noisy')).scim;
    const quiet = (await stack.createTailnet('quiet')).scim;

    const [quietAnswer, ...noisyAnswers] = await Promise.all([quiet.get('/Users'), ...burst(noisy, ['/Users'])]);
    expect(quietAnswer.status).toBe(200);
    const retryAfter = expectRateLimited(noisyAnswers);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect((await noisy.get('/Users')).status).toBe(200);
  });

  it('limits the discovery endpoints too', async () => {
    const probing = (await stack.createTailnet('probing')).scim;
    expectRateLimited(await Promise.all(burst(probing, DISCOVERY_PATHS)));
  });
});
