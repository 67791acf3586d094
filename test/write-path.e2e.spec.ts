import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient, oktaUser, type Stack } from '#roster/testkit';
import { startStack } from './support/stack.js';

describe('write path: SCIM → command → outbox → Kafka → directory read model', () => {
  let stack: Stack;
  let acme: Awaited<ReturnType<Stack['createTailnet']>>;

  beforeAll(async () => {
    stack = await startStack('write-path');
    acme = await stack.createTailnet('acme');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('puts a created user on the log as a CloudEvent and serves it at once by id and by filter', async () => {
    const created = await acme.scim.post('/Users', oktaUser('ada.lovelace@example.com'));
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const user = created.body;
    expect(user).toMatchObject({
      schemas: expect.arrayContaining(['urn:ietf:params:scim:schemas:core:2.0:User']),
      userName: 'ada.lovelace@example.com',
      active: true,
      meta: { resourceType: 'User', version: 'W/"1"', location: `${stack.scimUrl}/Users/${user.id}` },
    });
    expect(user.password).toBeUndefined();
    expect(created.headers.get('location')).toBe(user.meta.location);
    expect(created.headers.get('etag')).toBe('W/"1"');

    // Read-your-writes: no sleeping between the 201 and the reads.
    const byId = await acme.scim.get(`/Users/${user.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(user);
    const byFilter = await acme.scim.filterUsers('userName eq "Ada.Lovelace@example.com"');
    expect(byFilter.status).toBe(200);
    expect(byFilter.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 1,
      startIndex: 1,
      itemsPerPage: 1,
    });
    expect(byFilter.body.Resources[0].id).toBe(user.id);

    const log = await stack.waitForLog((events) => events.some((event) => event.aggregateId === user.id));
    const event = log.find((e) => e.aggregateId === user.id)!;
    expect(event).toMatchObject({
      type: 'UserCreated',
      schemaVersion: 1,
      tailnetId: acme.tailnetId,
      aggregateType: 'User',
      aggregateVersion: 1,
      actor: { kind: 'scim-token', idp: 'okta' },
      data: { userId: user.id, userName: 'ada.lovelace@example.com', active: true },
    });
    expect(JSON.stringify(event.data)).not.toContain('never-stored');
    expect(log.find((e) => e.type === 'TailnetCreated' && e.tailnetId === acme.tailnetId)).toBeDefined();
  });

  it('reads its own write on every one of many create-then-filter round trips', async () => {
    for (let i = 0; i < 25; i++) {
      const userName = `ryw.${i}@example.com`;
      expect((await acme.scim.post('/Users', oktaUser(userName))).status).toBe(201);
      const found = await acme.scim.filterUsers(`userName eq "${userName}"`);
      expect(found.body.totalResults).toBe(1);
    }
  });

  it('answers 409 uniqueness for a userName that differs only in case', async () => {
    await acme.scim.post('/Users', oktaUser('grace.hopper@example.com'));
    const duplicate = await acme.scim.post('/Users', oktaUser('GRACE.HOPPER@example.com'));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
    });
  });

  it('lets exactly one of two concurrent creates of the same userName succeed', async () => {
    for (let i = 0; i < 10; i++) {
      const body = oktaUser(`race.${i}@example.com`);
      const statuses = (await Promise.all([acme.scim.post('/Users', body), acme.scim.post('/Users', body)])).map((r) => r.status);
      expect(statuses.sort()).toEqual([201, 409]);
    }
    const log = await stack.waitForLog((events) => events.filter((e) => String(e.data.userName).startsWith('race.')).length >= 10);
    expect(log.filter((e) => String(e.data.userName).startsWith('race.'))).toHaveLength(10);
  });

  it('refuses a missing or wrong token with 401 and a SCIM error', async () => {
    for (const token of ['', 'rstr-scim-AAAAAAAAAAAA-' + 'A'.repeat(40), acme.token.toUpperCase()]) {
      const response = await new ScimClient(stack.scimUrl, token).get('/Users');
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ status: '401', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    }
  });

  it("keeps tailnets apart: one tailnet's token never reads or writes another's users", async () => {
    const globex = await stack.createTailnet('globex', 'globex.example');
    const mine = (await acme.scim.post('/Users', oktaUser('private.person@example.com'))).body;

    expect((await globex.scim.get(`/Users/${mine.id}`)).status).toBe(404);
    expect((await globex.scim.filterUsers('userName eq "private.person@example.com"')).body.totalResults).toBe(0);
    expect((await globex.scim.get('/Users')).body.Resources.map((u: { id: string }) => u.id)).not.toContain(mine.id);

    // The same userName is free in the other tailnet, and creating it there leaves ours untouched.
    const theirs = await globex.scim.post('/Users', oktaUser('private.person@example.com'));
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.id);
    expect((await acme.scim.get(`/Users/${mine.id}`)).body.id).toBe(mine.id);
    expect((await acme.scim.filterUsers('userName eq "private.person@example.com"')).body.Resources[0].id).toBe(mine.id);
  });

  it('answers an unknown id with 404 and a filter with no match with an empty ListResponse (Entra Test Connection)', async () => {
    expect((await acme.scim.get('/Users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await acme.scim.get('/Users/not-a-uuid')).status).toBe(404);
    const probe = await acme.scim.filterUsers('userName eq "5d2ff1a4-8c2e-4b1e-9f57-0d1c1a1f2b3c"');
    expect(probe.status).toBe(200);
    expect(probe.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('rejects malformed input with SCIM errors, never a 500', async () => {
    const notJson = await acme.scim.request('POST', '/Users', '{"userName": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ scimType: 'invalidSyntax', status: '400' });
    const badFilter = await acme.scim.filterUsers('userName eq');
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.scimType).toBe('invalidFilter');
    const noUserName = await acme.scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] });
    expect(noUserName.status).toBe(400);
  });
});
