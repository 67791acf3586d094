import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient, oktaUser, type Stack } from '#roster/testkit';
import { startStack } from './support/stack.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('SCIM protocol edges: media types, limits, mutability, null updates, tenant isolation of groups', () => {
  let stack: Stack;
  let client: ScimClient;

  beforeAll(async () => {
    stack = await startStack('protocol', { SCIM_MAX_BODY_BYTES: '65536' });
    client = (await stack.createTailnet('protocol')).scim;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('accepts application/json as well as application/scim+json, and always answers application/scim+json', async () => {
    const created = await client.request('POST', '/Users', oktaUser('plain.json@example.com'), { 'content-type': 'application/json' });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  });

  it('answers 413 with a SCIM error for a body over the limit', async () => {
    const huge = oktaUser('huge.body@example.com', { title: 'x'.repeat(70_000) });
    const response = await client.post('/Users', huge);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ status: '413', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
  });

  it('refuses text PostgreSQL cannot keep (a NUL, half a surrogate pair) anywhere in a body or a filter with 400, and goes on serving reads', async () => {
    // PostgreSQL stores no NUL: accepted, it became an event the directory could never apply, and every read
    // behind it waited. A lone surrogate was stored as U+FFFD, unlike what the write answered.
    const user = (await client.post('/Users', oktaUser('nul.check@example.com'))).body;
    const refused = [
      await client.post('/Users', oktaUser('nul.title@example.com', { title: 'a\u0000b' })),
      await client.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { displayName: 'x\u0000' } }] }),
      await client.request('PUT', `/Users/${user.id}`, oktaUser('nul.check@example.com', { ['nick\u0000Name']: 'key' })),
      await client.post('/Groups', { schemas: [GROUP], displayName: 'nul\u0000group' }),
    ];
    for (const response of refused) expect(response.body).toMatchObject({ status: '400', scimType: 'invalidValue', detail: expect.stringMatching(/NUL/) });
    const loneSurrogate = await client.post('/Groups', { schemas: [GROUP], displayName: 'half \ud800 pair' });
    expect(loneSurrogate.body).toMatchObject({ status: '400', scimType: 'invalidValue', detail: expect.stringMatching(/well-formed Unicode/) });
    expect((await client.filterUsers('title co "\\u0000"')).body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect((await client.filterUsers('title co "\\ud800"')).body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect((await client.get('/Users?filter=title%20co%20%22%00%22')).body).toMatchObject({ status: '400', detail: expect.stringMatching(/NUL/) });
    const read = await client.get(`/Users/${user.id}`);
    expect(read.status).toBe(200);
    expect(read.body.meta.version).toBe('W/"1"');
  });

  it('refuses a body nested more than 32 levels deep with 400 invalidSyntax, and applies none of it', async () => {
    // Ten thousand nested arrays in a PATCH value once exhausted the stack and answered 500.
    const user = (await client.post('/Users', oktaUser('deep.body@example.com'))).body;
    const abyss = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const refused = [
      await client.request('PATCH', `/Users/${user.id}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"emails","value":${abyss}}]}`),
      await client.request('PATCH', `/Users/${user.id}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","path":"title","value":"new"},{"op":"replace","path":"name","value":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}]}`),
      await client.request('PUT', `/Users/${user.id}`, JSON.stringify(oktaUser('deep.body@example.com', { name: { givenName: 'x' } })).replace('"x"', abyss)),
      await client.post('/Groups', `{"schemas":["${GROUP}"],"displayName":"Deep","members":${abyss}}`),
    ];
    for (const response of refused) {
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidSyntax', detail: expect.stringMatching(/more than 32 levels deep/) });
    }
    expect((await client.get(`/Users/${user.id}`)).body.meta.version).toBe('W/"1"');
    expect((await client.get(`/Groups?filter=${encodeURIComponent('displayName eq "Deep"')}`)).body.totalResults).toBe(0);
  });

  it('answers a URL too long for Node (over 16 KB with the headers) in the error form of its API', async () => {
    const longFilter = await client.filterUsers(`userName eq "${'x'.repeat(20_000)}@example.com"`);
    expect(longFilter.status).toBe(431);
    expect(longFilter.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(longFilter.body).toMatchObject({ schemas: [ERROR], status: '431', detail: expect.stringMatching(/exceed 16 KB/) });
    const admin = await fetch(`${stack.gatewayUrl}/api/v2/tailnet/-/devices?user=${'x'.repeat(20_000)}`);
    expect([admin.status, await admin.json()]).toEqual([431, { message: expect.stringMatching(/exceed 16 KB/) }]);
  });

  it('answers paths it cannot route, and SCIM parameters given twice, in the SCIM error schema', async () => {
    expect((await client.get('/Users/%zz')).body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect((await client.get(`/Users/${'x'.repeat(3_000)}`)).body).toMatchObject({ status: '414', schemas: [ERROR] });
    const twice = await client.get('/Users?filter=userName%20pr&filter=title%20pr');
    expect(twice.body).toMatchObject({ status: '400', scimType: 'invalidValue', detail: 'the query parameter filter was given 2 times; give it once' });
    expect((await client.get('/Users?startIndex=99999999999999999999')).body).toMatchObject({ totalResults: expect.any(Number), Resources: [] });
  });

  it('refuses to change a read-only attribute through PATCH with 400 mutability', async () => {
    const user = (await client.post('/Users', oktaUser('immutable.id@example.com'))).body;
    const response = await client.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'id', value: 'other' }] });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('mutability');
    expect((await client.get(`/Users/${user.id}`)).body.meta.version).toBe('W/"1"');
  });

  it("clears optional attributes patched to empty strings and then to null (Microsoft's null-update test)", async () => {
    const user = (await client.post('/Users', oktaUser('null.update@example.com', { title: 'Engineer', nickName: 'Nulls' }))).body;
    const empty = await client.request('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'title', value: '' },
        { op: 'Replace', path: 'nickName', value: '' },
      ],
    });
    expect(empty.status).toBe(200);
    const afterEmpty = (await client.get(`/Users/${user.id}`)).body;
    expect(afterEmpty.title ?? '').toBe('');
    expect(afterEmpty.nickName ?? '').toBe('');
    const nulls = await client.request('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'title', value: null }],
    });
    expect(nulls.status).toBe(200);
    expect((await client.get(`/Users/${user.id}`)).body.title ?? '').toBe('');
  });

  it("never shows or changes another tailnet's groups", async () => {
    const other = (await stack.createTailnet('protocol-other')).scim;
    const group = (await client.post('/Groups', { schemas: [GROUP], displayName: 'Private Group' })).body;
    expect((await other.get(`/Groups/${group.id}`)).status).toBe(404);
    expect((await other.request('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Stolen' }] })).status).toBe(404);
    expect((await other.request('DELETE', `/Groups/${group.id}`)).status).toBe(404);
    expect((await other.get(`/Groups?filter=${encodeURIComponent('displayName eq "Private Group"')}`)).body.totalResults).toBe(0);
    expect((await client.get(`/Groups/${group.id}`)).body.displayName).toBe('Private Group');
    // The same name is free in the other tailnet.
    expect((await other.post('/Groups', { schemas: [GROUP], displayName: 'Private Group' })).status).toBe(201);
  });
});
