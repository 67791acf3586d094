import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient, oktaUser, type Stack } from '#roster/testkit';
import { startStack } from './support/stack.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('users through their whole life, as Okta and Entra ID send it', () => {
  let stack: Stack;
  let okta: ScimClient;
  let entra: ScimClient;

  const eventsOf = async (userId: string, count: number) => {
    const log = await stack.waitForLog((events) => events.filter((e) => e.aggregateId === userId).length >= count);
    return log.filter((e) => e.aggregateId === userId).map((e) => [e.type, e.aggregateVersion]);
  };

  beforeAll(async () => {
    stack = await startStack('users');
    const tailnet = await stack.createTailnet('lifecycle');
    okta = new ScimClient(tailnet.scimUrl, tailnet.token, 'Okta SCIM Client 1.0.0');
    entra = new ScimClient(tailnet.scimUrl, tailnet.token, 'Azure Active Directory SCIM client');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("follows Okta's assign → update → deactivate → reactivate → unassign sequence with one stable id", async () => {
    const lookup = await okta.get(`/Users?filter=${encodeURIComponent('userName eq "jane.doe@example.com"')}&startIndex=1&count=100`);
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await okta.post('/Users', oktaUser('jane.doe@example.com'));
    expect(created.status).toBe(201);
    const id = created.body.id;

    // Okta's profile update: GET, then PUT of the whole object with id, meta, groups and an empty middleName.
    const current = (await okta.get(`/Users/${id}`)).body;
    const put = await okta.request('PUT', `/Users/${id}`, {
      ...current,
      name: { ...current.name, givenName: 'Janet', middleName: '' },
      groups: [],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id, name: { givenName: 'Janet' }, meta: { version: 'W/"2"' } });
    expect(put.body.name.middleName).toBeUndefined();
    expect((await okta.get(`/Users/${id}`)).body.name.givenName).toBe('Janet');

    const deactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] };
    const deactivated = await okta.request('PATCH', `/Users/${id}`, deactivate);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    // An inactive user still comes back from GET and from filters; only a hard delete removes it.
    expect((await okta.get(`/Users/${id}`)).body.active).toBe(false);
    expect((await okta.filterUsers('userName eq "jane.doe@example.com" and active eq false')).body.totalResults).toBe(1);

    const reactivated = await okta.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
    expect(reactivated.body).toMatchObject({ id, active: true, name: { givenName: 'Janet' } });
    const unassigned = await okta.request('PATCH', `/Users/${id}`, deactivate);
    expect(unassigned.body).toMatchObject({ id, active: false });
    // The same deactivation again changes nothing and records nothing.
    expect((await okta.request('PATCH', `/Users/${id}`, deactivate)).body.meta.version).toBe(unassigned.body.meta.version);

    expect(await eventsOf(id, 5)).toEqual([
      ['UserCreated', 1],
      ['UserUpdated', 2],
      ['UserSuspended', 3],
      ['UserReactivated', 4],
      ['UserSuspended', 5],
    ]);
  });

  it("follows Entra ID's test connection, create, update (both PATCH dialects), disable and hard delete", async () => {
    const probe = await entra.filterUsers(`userName eq "${randomUUID()}"`);
    expect(probe.body).toMatchObject({ totalResults: 0, Resources: [] });

    expect((await entra.filterUsers('userName eq "ryan.smith@example.com"')).body.totalResults).toBe(0);
    const created = await entra.post('/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', `${ENTERPRISE}`],
      externalId: 'ryan.s',
      userName: 'ryan.smith@example.com',
      active: true,
      addresses: null,
      title: null,
      emails: [{ primary: true, type: 'work', value: 'ryan.smith@example.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Ryan Smith', familyName: 'Smith', givenName: 'Ryan' },
      roles: [],
      [ENTERPRISE]: { employeeNumber: '1001', department: 'Sales', manager: null },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body[ENTERPRISE]).toMatchObject({ employeeNumber: '1001', department: 'Sales' });

    // Default dialect: capitalised ops, one op per path, booleans as strings.
    const legacy = await entra.request('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'ryan.smith2@example.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Bryan' },
        { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Marketing' },
      ],
    });
    expect(legacy.status).toBe(200);
    expect(legacy.body).toMatchObject({ name: { givenName: 'Bryan' }, [ENTERPRISE]: { department: 'Marketing' } });
    expect(legacy.body.emails).toEqual([{ primary: true, type: 'work', value: 'ryan.smith2@example.com' }]);
    expect((await entra.filterUsers('emails[type eq "work"].value eq "ryan.smith2@example.com"')).body.Resources[0]?.id).toBe(id);

    // aadOptscim062020 dialect: one replace without a path, dotted and URN keys.
    const modern = await entra.request('PATCH', `/Users/${id}?aadOptscim062020`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { displayName: 'Bryan Smith', 'name.familyName': 'Smyth', [`${ENTERPRISE}:employeeNumber`]: '2002' } }],
    });
    expect(modern.body).toMatchObject({ displayName: 'Bryan Smith', name: { familyName: 'Smyth' }, [ENTERPRISE]: { employeeNumber: '2002' } });

    const disabled = await entra.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(disabled.body.active).toBe(false);

    expect((await entra.request('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await entra.get(`/Users/${id}`)).status).toBe(404);
    expect((await entra.filterUsers('userName eq "ryan.smith@example.com"')).body.totalResults).toBe(0);
    expect((await entra.request('DELETE', `/Users/${id}`)).status).toBe(404);
    expect((await entra.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] })).status).toBe(404);

    // The name is free again once its user is gone.
    expect((await entra.post('/Users', oktaUser('ryan.smith@example.com'))).status).toBe(201);
    expect(await eventsOf(id, 5)).toEqual([
      ['UserCreated', 1],
      ['UserUpdated', 2],
      ['UserUpdated', 3],
      ['UserSuspended', 4],
      ['UserDeleted', 5],
    ]);
  });

  it('guards changes with ETags: a stale If-Match gets 412 and changes nothing', async () => {
    const id = (await okta.post('/Users', oktaUser('etag.user@example.com'))).body.id;
    const rename = (title: string) => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: title }] });
    const first = await okta.request('PATCH', `/Users/${id}`, rename('Engineer'), { 'if-match': 'W/"1"' });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('W/"2"');
    const stale = await okta.request('PATCH', `/Users/${id}`, rename('Manager'), { 'if-match': 'W/"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.status).toBe('412');
    expect((await okta.get(`/Users/${id}`)).body).toMatchObject({ title: 'Engineer', meta: { version: 'W/"2"' } });
  });

  it('refuses to rename a user onto a taken userName, and to store a non-email userName', async () => {
    await okta.post('/Users', oktaUser('taken.name@example.com'));
    const mover = (await okta.post('/Users', oktaUser('mover@example.com'))).body;
    const clash = await okta.request('PUT', `/Users/${mover.id}`, { ...mover, userName: 'Taken.Name@example.com' });
    expect(clash.status).toBe(409);
    expect(clash.body.scimType).toBe('uniqueness');
    const notEmail = await okta.request('PATCH', `/Users/${mover.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: 'mover' }] });
    expect(notEmail.status).toBe(400);
    expect(notEmail.body.detail).toMatch(/email/i);
    expect((await okta.get(`/Users/${mover.id}`)).body.userName).toBe('mover@example.com');
  });

  it('pages, sorts and trims lists the way the validators and Okta imports walk them', async () => {
    const tailnet = await stack.createTailnet('paging');
    const client = new ScimClient(tailnet.scimUrl, tailnet.token);
    const names = ['mia', 'liam', 'zoe', 'noah', 'ava', 'eli', 'ivy', 'leo', 'amy', 'max', 'kai', 'uma'];
    for (const name of names) expect((await client.post('/Users', oktaUser(`${name}.test@example.com`))).status).toBe(201);

    // Microsoft's validator: pages of five, each answering with the startIndex it was asked for.
    const seen: string[] = [];
    for (let page = 0; page * 5 < names.length; page++) {
      const response = await client.get(`/Users?startIndex=${page * 5 + 1}&count=5`);
      expect(response.body).toMatchObject({ totalResults: names.length, startIndex: page * 5 + 1 });
      expect(typeof response.body.itemsPerPage).toBe('number');
      seen.push(...response.body.Resources.map((user: { id: string }) => user.id));
    }
    expect(new Set(seen).size).toBe(names.length);

    const sorted = await client.get('/Users?sortBy=userName&sortOrder=descending&count=3&attributes=userName');
    expect(sorted.body.Resources.map((user: { userName: string }) => user.userName)).toEqual([
      'zoe.test@example.com',
      'uma.test@example.com',
      'noah.test@example.com',
    ]);
    expect(Object.keys(sorted.body.Resources[0]).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
    expect((await client.get('/Users?sortBy=nosuchattribute')).status).toBe(400);

    const one = sorted.body.Resources[0].id;
    const trimmed = await client.get(`/Users/${one}?excludedAttributes=emails,name`);
    expect(trimmed.body).toMatchObject({ id: one, userName: 'zoe.test@example.com' });
    expect(trimmed.body.emails).toBeUndefined();
    expect(trimmed.body.name).toBeUndefined();
    // Unknown query parameters are ignored.
    expect((await client.get(`/Users/${one}?aadOptscim062020&foo=bar`)).status).toBe(200);
  });
});
