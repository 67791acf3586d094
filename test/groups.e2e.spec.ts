import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient, oktaUser, type Stack } from '#roster/testkit';
import { startStack } from './support/stack.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe('groups and memberships, as Entra ID and Okta push them', () => {
  let stack: Stack;
  let entra: ScimClient;
  let okta: ScimClient;
  const users: Record<string, string> = {};

  const memberIds = async (client: ScimClient, groupId: string) =>
    ((await client.get(`/Groups/${groupId}`)).body.members ?? []).map((m: { value: string }) => m.value).sort();
  const eventsOf = async (groupId: string, count: number) => {
    const log = await stack.waitForLog((events) => events.filter((e) => e.aggregateId === groupId).length >= count);
    return log.filter((e) => e.aggregateId === groupId).map((e) => [e.type, e.data.userIds ?? e.data.to ?? e.data.displayName]);
  };

  beforeAll(async () => {
    // Bulk-creating 5,000 users is faster than any IdP sends, so this stack's per-tailnet rate limit is lifted.
    stack = await startStack('groups', { SCIM_RATE_LIMIT_PER_SECOND: '100000', SCIM_RATE_LIMIT_BURST: '100000' });
    const tailnet = await stack.createTailnet('groups');
    entra = new ScimClient(tailnet.scimUrl, tailnet.token, 'Azure Active Directory SCIM client');
    okta = new ScimClient(tailnet.scimUrl, tailnet.token, 'Okta SCIM Client 1.0.0');
    for (const name of ['alice', 'bob', 'carol', 'dave']) users[name] = (await okta.post('/Users', oktaUser(`${name}@example.com`))).body.id;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("follows Entra ID's group sync: lookup, create, add members, read without members, remove (legacy form), rename, delete", async () => {
    const lookup = await entra.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Sales Team"')}`);
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await entra.post('/Groups', {
      schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Sales Team',
      meta: { resourceType: 'Group' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const added = await entra.request('PATCH', `/Groups/${id}`, patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: users.alice }, { $ref: null, value: users.bob }] }));
    expect(added.status).toBe(204);
    const withoutMembers = await entra.get(`/Groups/${id}?excludedAttributes=members`);
    expect(withoutMembers.body).toMatchObject({ id, displayName: 'Sales Team', externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159' });
    expect(withoutMembers.body.members).toBeUndefined();
    expect(await memberIds(entra, id)).toEqual([users.alice, users.bob].sort());
    expect((await entra.get(`/Groups/${id}`)).body.members).toContainEqual(expect.objectContaining({ value: users.alice, display: 'alice@example.com' }));
    // Every member sub-attribute the schema lists is filterable; display (the member's userName) once answered 500.
    const byMemberDisplay = await entra.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('members[display eq "ALICE@example.com"]')}`);
    expect(byMemberDisplay.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });

    expect((await entra.request('PATCH', `/Groups/${id}`, patch({ op: 'Remove', path: 'members', value: [{ value: users.alice }] }))).status).toBe(204);
    expect(await memberIds(entra, id)).toEqual([users.bob]);

    expect((await entra.request('PATCH', `/Groups/${id}`, patch({ op: 'Replace', path: 'displayName', value: 'Sales EMEA' }))).status).toBe(204);
    expect((await entra.get(`/Groups?filter=${encodeURIComponent('displayName eq "sales emea"')}`)).body.totalResults).toBe(1);

    expect((await entra.request('DELETE', `/Groups/${id}`)).status).toBe(204);
    expect((await entra.get(`/Groups/${id}`)).status).toBe(404);
    expect(await eventsOf(id, 5)).toEqual([
      ['GroupCreated', 'Sales Team'],
      ['GroupMemberAdded', [users.alice, users.bob]],
      ['GroupMemberRemoved', [users.alice]],
      ['GroupRenamed', 'Sales EMEA'],
      ['GroupDeleted', 'Sales EMEA'],
    ]);
  });

  it("follows Okta's Group Push: push, link by name, combined remove+add, rename with the read-only id, Push Now, AIW PUT", async () => {
    const pushed = await okta.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [] });
    expect(pushed.status).toBe(201);
    expect(pushed.body).toMatchObject({ displayName: 'Engineering', meta: { resourceType: 'Group' } });
    const id = pushed.body.id;
    const linked = await okta.get(`/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}&startIndex=1&count=100`);
    expect(linked.body.Resources.map((g: { id: string }) => g.id)).toEqual([id]);

    await okta.request('PATCH', `/Groups/${id}`, patch({ op: 'add', path: 'members', value: [{ value: users.alice, display: 'alice@example.com' }] }));
    const combined = await okta.request(
      'PATCH',
      `/Groups/${id}`,
      patch({ op: 'remove', path: `members[value eq "${users.alice}"]` }, { op: 'add', path: 'members', value: [{ value: users.carol, display: 'carol@example.com' }] }),
    );
    expect(combined.status).toBe(204);
    expect(await memberIds(okta, id)).toEqual([users.carol]);

    expect((await okta.request('PATCH', `/Groups/${id}`, patch({ op: 'replace', value: { id, displayName: 'Platform Engineering' } }))).status).toBe(204);
    expect((await okta.get(`/Groups/${id}`)).body.displayName).toBe('Platform Engineering');

    const pushNow = await okta.request('PATCH', `/Groups/${id}`, patch({ op: 'replace', path: 'members', value: [{ value: users.bob }, { value: users.dave }] }));
    expect(pushNow.status).toBe(204);
    expect(await memberIds(okta, id)).toEqual([users.bob, users.dave].sort());

    const put = await okta.request('PUT', `/Groups/${id}`, { schemas: [GROUP], displayName: 'Platform Engineering', members: [{ value: users.alice }] });
    expect(put.status).toBe(200);
    expect(put.body.members.map((m: { value: string }) => m.value)).toEqual([users.alice]);
    expect(await memberIds(okta, id)).toEqual([users.alice]);
  });

  it('refuses bad groups and bad members, applying nothing of the request', async () => {
    expect((await okta.post('/Groups', { schemas: [GROUP], displayName: 'ops@example.com' })).body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    const ops = (await okta.post('/Groups', { schemas: [GROUP], displayName: 'Ops (EU) [on-call]' })).body;
    const clash = await okta.post('/Groups', { schemas: [GROUP], displayName: 'OPS (eu) [ON-CALL]' });
    expect(clash.status).toBe(409);
    expect(clash.body.scimType).toBe('uniqueness');

    const stranger = '00000000-0000-4000-8000-000000000000';
    const bad = await okta.request('PATCH', `/Groups/${ops.id}`, patch(
      { op: 'add', path: 'members', value: [{ value: users.alice }] },
      { op: 'add', path: 'members', value: [{ value: stranger }] },
    ));
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidValue');
    expect(bad.body.detail).toContain(stranger);
    expect(await memberIds(okta, ops.id)).toEqual([]);
    expect((await okta.get('/Groups/not-a-uuid')).status).toBe(404);
  });

  it('adds five thousand members in one PATCH, and drops a deleted user from every group', async () => {
    const tailnet = await stack.createTailnet('large-groups');
    const client = new ScimClient(tailnet.scimUrl, tailnet.token);
    const ids: string[] = [];
    const batch = 50;
    for (let i = 0; i < 5000; i += batch) {
      const created = await Promise.all(
        Array.from({ length: batch }, (_, j) => client.post('/Users', oktaUser(`member.${i + j}@example.com`))),
      );
      ids.push(...created.map((response) => response.body.id));
    }
    const group = (await client.post('/Groups', { schemas: [GROUP], displayName: 'Everyone' })).body;
    const added = await client.request('PATCH', `/Groups/${group.id}`, patch({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }));
    expect(added.status).toBe(204);
    expect((await client.get(`/Groups/${group.id}`)).body.members).toHaveLength(5000);
    // One change, recorded as five GroupMemberAdded events of at most 1,000 members each.
    expect((await client.get(`/Groups/${group.id}`)).body.meta.version).toBe('W/"6"');

    // Membership batches for one group sent at the same time queue up; none fails.
    const concurrent = (await client.post('/Groups', { schemas: [GROUP], displayName: 'Concurrent Batches' })).body;
    const batches = Array.from({ length: 16 }, (_, b) => ids.slice(b * 100, (b + 1) * 100));
    const statuses = await Promise.all(
      batches.map((batchIds) =>
        client.request('PATCH', `/Groups/${concurrent.id}`, patch({ op: 'Add', path: 'members', value: batchIds.map((value) => ({ value })) })),
      ),
    );
    expect(statuses.map((response) => response.status)).toEqual(Array(16).fill(204));
    expect((await client.get(`/Groups/${concurrent.id}`)).body.members).toHaveLength(1600);

    // Concurrent writes of one group are committed together, yet each keeps its own outcome: a batch naming a
    // stranger and one with a stale If-Match are refused whole, the others land, and versions stay consecutive.
    const stranger = '00000000-0000-4000-8000-000000000000';
    const mixed = await Promise.all([
      client.request('PATCH', `/Groups/${concurrent.id}`, patch({ op: 'Remove', path: `members[value eq "${ids[0]}"]` })),
      client.request('PATCH', `/Groups/${concurrent.id}`, patch({ op: 'Add', path: 'members', value: [{ value: ids[1700] }, { value: stranger }] })),
      client.request('PATCH', `/Groups/${concurrent.id}`, patch({ op: 'Add', path: 'members', value: [{ value: ids[1701] }] }), { 'if-match': 'W/"1"' }),
      client.request('PATCH', `/Groups/${concurrent.id}`, patch({ op: 'Add', path: 'members', value: [{ value: ids[1702] }] })),
    ]);
    expect(mixed.map((response) => response.status)).toEqual([204, 400, 412, 204]);
    expect(mixed[1].body.detail).toContain(stranger);
    const after = (await client.get(`/Groups/${concurrent.id}`)).body.members.map((m: { value: string }) => m.value);
    expect(after).toHaveLength(1600);
    expect(after).toContain(ids[1702]);
    expect(after).not.toContain(ids[0]);
    expect(after).not.toContain(ids[1700]);
    const groupLog = await stack.waitForLog((events) => events.filter((e) => e.aggregateId === concurrent.id).length >= 1 + 16 + 2);
    const versions = groupLog.filter((e) => e.aggregateId === concurrent.id).map((e) => e.aggregateVersion);
    expect(versions).toEqual(versions.map((_, i) => i + 1));

    expect((await client.request('DELETE', `/Users/${ids[0]}`)).status).toBe(204);
    const members = (await client.get(`/Groups/${group.id}`)).body.members.map((m: { value: string }) => m.value);
    expect(members).toHaveLength(4999);
    expect(members).not.toContain(ids[0]);
    // The next change of the group does not record a removal for the user who is already gone.
    expect((await client.request('PATCH', `/Groups/${group.id}`, patch({ op: 'replace', path: 'members', value: [{ value: ids[1] }] }))).status).toBe(204);
    const log = await stack.waitForLog((events) => events.filter((e) => e.aggregateId === group.id).length >= 1 + 5 + 5);
    const groupEvents = log.filter((e) => e.aggregateId === group.id);
    expect(groupEvents.map((e) => [e.type, (e.data.userIds as string[] | undefined)?.length])).toEqual([
      ['GroupCreated', undefined],
      ...Array(5).fill(['GroupMemberAdded', 1000]),
      ...[1000, 1000, 1000, 1000, 998].map((count) => ['GroupMemberRemoved', count]),
    ]);
    const removed = groupEvents.filter((e) => e.type === 'GroupMemberRemoved').flatMap((e) => e.data.userIds as string[]);
    expect(new Set(removed).size).toBe(4998);
    expect(removed).not.toContain(ids[0]);
    expect(removed).not.toContain(ids[1]);
  }, 180_000);
});
