import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient, oktaUser, type Stack } from '#roster/testkit';
import { startStack } from './support/stack.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** The less travelled requests of `idp-dialects.md`: Entra's manager checks, custom mappings, Okta's imports and PUTs. */
describe('the rarer requests Entra ID and Okta send', () => {
  let stack: Stack;
  let tailnet: Awaited<ReturnType<Stack['createTailnet']>>;
  let okta: ScimClient;
  let entra: ScimClient;

  const eventsOf = async (aggregateId: string, count: number) => {
    const log = await stack.waitForLog((events) => events.filter((e) => e.aggregateId === aggregateId).length >= count);
    return log.filter((e) => e.aggregateId === aggregateId).map((e) => e.type);
  };
  const entraUser = (userName: string, externalId: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER, ENTERPRISE],
    externalId,
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: userName }],
    name: { formatted: userName, familyName: 'Employee', givenName: userName.split('@')[0] },
    ...extra,
  });

  beforeAll(async () => {
    stack = await startStack('idp_details');
    tailnet = await stack.createTailnet('details');
    okta = new ScimClient(tailnet.scimUrl, tailnet.token, 'Okta SCIM Client 1.0.0');
    entra = new ScimClient(tailnet.scimUrl, tailnet.token, 'Azure Active Directory SCIM client');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("follows Entra's manager checks: set in the array form, checked by `id eq … and manager eq …`, changed, cleared", async () => {
    const boss = (await entra.post('/Users', entraUser('boss.one@example.com', 'boss-1'))).body.id;
    const other = (await entra.post('/Users', entraUser('boss.two@example.com', 'boss-2'))).body.id;
    const report = (await entra.post('/Users', entraUser('report@example.com', 'report-1'))).body.id;
    const managedBy = async (manager: string) => {
      const filter = encodeURIComponent(`id eq "${report}" and manager eq "${manager}"`);
      return (await entra.get(`/Users?filter=${filter}&attributes=id`)).body;
    };

    const set = await entra.request('PATCH', `/Users/${report}`, patch({ op: 'Add', path: 'manager', value: [{ $ref: `${tailnet.scimUrl}/Users/${boss}`, value: boss }] }));
    expect(set.status).toBe(200);
    expect(set.body[ENTERPRISE]).toEqual({ manager: { value: boss } });
    const checked = await managedBy(boss);
    expect(checked.totalResults).toBe(1);
    // `attributes=id` answers what is always returned: id, schemas and meta.
    expect(Object.keys(checked.Resources[0]).sort()).toEqual(['id', 'meta', 'schemas']);
    expect(checked.Resources[0].id).toBe(report);

    await entra.request('PATCH', `/Users/${report}`, patch({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: other }));
    expect((await managedBy(boss)).totalResults).toBe(0);
    expect((await managedBy(other)).totalResults).toBe(1);

    const cleared = await entra.request('PATCH', `/Users/${report}`, patch({ op: 'Replace', path: 'manager', value: '' }));
    expect(cleared.body[ENTERPRISE]).toBeUndefined();
    expect((await managedBy(other)).totalResults).toBe(0);
    expect(await eventsOf(report, 4)).toEqual(['UserCreated', 'UserUpdated', 'UserUpdated', 'UserUpdated']);
  });

  it('matches users on externalId, quoted as Entra sends it and unquoted as in Microsoft\'s examples', async () => {
    const guid = randomUUID();
    expect((await entra.filterUsers(`externalId eq "${guid}"`)).body).toMatchObject({ totalResults: 0, Resources: [] });
    const id = (await entra.post('/Users', entraUser('jyoung@example.com', guid))).body.id;
    expect((await entra.filterUsers(`externalId eq "${guid}"`)).body.Resources.map((user: { id: string }) => user.id)).toEqual([id]);
    await entra.request('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'externalId', value: 'jyoung' }));
    expect((await entra.filterUsers('externalId eq jyoung')).body.Resources.map((user: { id: string }) => user.id)).toEqual([id]);
    expect((await entra.filterUsers(`externalId eq "${guid}"`)).body.totalResults).toBe(0);
    expect(await eventsOf(id, 2)).toEqual(['UserCreated', 'UserUpdated']);
  });

  it("answers Microsoft's mixed-case, unquoted filters", async () => {
    const id = (await entra.post('/Users', entraUser('olive.employee@example.org', 'olive-1'))).body.id;
    const found = await entra.filterUsers('name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)');
    expect(found.status).toBe(200);
    expect(found.body.Resources.map((user: { id: string }) => user.id)).toContain(id);
    expect((await entra.filterUsers('userName sw O')).body.Resources.map((user: { id: string }) => user.id)).toEqual([id]);
  });

  it('deactivates and reactivates with PUT, as Okta apps made with its integration wizard do', async () => {
    const created = (await okta.post('/Users', oktaUser('aiw.user@example.com'))).body;
    const put = (active: boolean) => okta.request('PUT', `/Users/${created.id}`, { ...created, active });
    expect((await put(false)).body).toMatchObject({ active: false, meta: { version: 'W/"2"' } });
    expect((await put(true)).body).toMatchObject({ active: true, meta: { version: 'W/"3"' } });
    expect(await eventsOf(created.id, 3)).toEqual(['UserCreated', 'UserSuspended', 'UserReactivated']);
  });

  it("replaces a group's externalId by path", async () => {
    const id = (await entra.post('/Groups', { schemas: [GROUP], displayName: 'Finance', externalId: 'fin-1' })).body.id;
    expect((await entra.request('PATCH', `/Groups/${id}`, patch({ op: 'Replace', path: 'externalId', value: 'fin-2' }))).status).toBe(204);
    const found = await entra.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('externalId eq "fin-2"')}`);
    expect(found.body.Resources.map((group: { id: string }) => group.id)).toEqual([id]);
    expect(await eventsOf(id, 2)).toEqual(['GroupCreated', 'GroupExternalIdChanged']);
  });

  it('lists groups without a filter in stable pages, members included, as an Okta import walks them', async () => {
    const own = await stack.createTailnet('group-import');
    const client = new ScimClient(own.scimUrl, own.token);
    const member = (await client.post('/Users', oktaUser('member.one@example.com'))).body.id;
    const names = ['Ops', 'Legal', 'Design', 'Support', 'Research'];
    for (const displayName of names) {
      expect((await client.post('/Groups', { schemas: [GROUP], displayName, members: [{ value: member }] })).status).toBe(201);
    }
    const seen: { displayName: string; members: { value: string }[] }[] = [];
    for (let startIndex = 1; startIndex <= names.length; startIndex += 2) {
      const page = await client.get(`/Groups?startIndex=${startIndex}&count=2`);
      expect(page.body).toMatchObject({ totalResults: names.length, startIndex, itemsPerPage: Math.min(2, names.length - startIndex + 1) });
      seen.push(...page.body.Resources);
    }
    expect(seen.map((group) => group.displayName)).toEqual(names);
    for (const group of seen) expect(group.members.map((m) => m.value)).toEqual([member]);
  });

  it('drops attributes of a custom extension, in a body and in a PATCH path alike, and applies the rest', async () => {
    const created = await entra.post('/Users', entraUser('custom.map@example.com', 'custom-1', { schemas: [USER, CUSTOM], [CUSTOM]: { tag: 'blue' } }));
    expect(created.status).toBe(201);
    expect(created.body[CUSTOM]).toBeUndefined();
    expect(created.body.schemas).toEqual([USER]);
    const patched = await entra.request(
      'PATCH',
      `/Users/${created.body.id}`,
      patch({ op: 'Replace', path: `${CUSTOM}:tag`, value: 'green' }, { op: 'Replace', path: 'title', value: 'Analyst' }),
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Analyst', schemas: [USER] });
    const misspelt = await entra.request('PATCH', `/Users/${created.body.id}`, patch({ op: 'Replace', path: `${ENTERPRISE}:departmnet`, value: 'x' }));
    expect(misspelt.body).toMatchObject({ status: '400', scimType: 'invalidPath' });
  });

  it('takes the token with or without "Bearer " or as Basic auth\'s password, and a DELETE that declares a body type but sends none', async () => {
    const listWith = async (authorization: string) => (await fetch(`${tailnet.scimUrl}/Users?count=1`, { headers: { authorization } })).status;
    const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
    expect(await listWith(tailnet.token)).toBe(200);
    expect(await listWith(basic(`okta:${tailnet.token}`))).toBe(200);
    expect(await listWith(basic(`${tailnet.token}:`))).toBe(401);
    expect(await listWith(basic('okta:rstr-scim-wrong'))).toBe(401);
    const id = (await okta.post('/Users', oktaUser('delete.me@example.com'))).body.id;
    const deleted = await fetch(`${tailnet.scimUrl}/Users/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tailnet.token}`, 'content-type': 'application/scim+json' },
    });
    expect(deleted.status, await deleted.text()).toBe(204);
  });
});
