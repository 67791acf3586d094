import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '#roster/testkit';
import { randomProvisioning } from './support/random-provisioning.js';
import { startStack } from './support/stack.js';

type Tailnet = Awaited<ReturnType<Stack['createTailnet']>>;

/**
 * IdPs look users up by userName and groups by displayName before every create. Those lookups are answered from
 * the write model; everything else from the read model. Both must describe every resource identically.
 */
describe('lookups by unique key answer exactly what the read model answers', () => {
  let stack: Stack;
  let tailnet: Tailnet;

  beforeAll(async () => {
    stack = await startStack('lookups', { SCIM_RATE_LIMIT_PER_SECOND: '100000', SCIM_RATE_LIMIT_BURST: '100000' });
    tailnet = await stack.createTailnet('lookups');
    await randomProvisioning(tailnet.scim, { steps: 300, seed: 7, prefix: 'lookup' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('finds every user by userName, in any letter case, as GET /Users/{id} shows it; deleted ones not at all', async () => {
    const { rows } = await stack.pool.query<{ id: string; user_name: string }>('SELECT id, user_name FROM directory.users');
    expect(rows.length).toBeGreaterThan(20);
    for (const { id, user_name } of rows) {
      const byName = await tailnet.scim.filterUsers(`USERNAME eq "${user_name.toUpperCase()}"`);
      expect(byName.body).toMatchObject({ totalResults: 1, itemsPerPage: 1 });
      expect(byName.body.Resources[0]).toEqual((await tailnet.scim.get(`/Users/${id}`)).body);
    }
    const deleted = (await stack.readLog()).filter((event) => event.type === 'UserDeleted');
    expect(deleted.length).toBeGreaterThan(0);
    for (const event of deleted) expect((await tailnet.scim.filterUsers(`userName eq "${event.data.userName}"`)).body.totalResults).toBe(0);
    expect((await tailnet.scim.filterUsers('userName eq "nobody@example.com"')).body).toMatchObject({ totalResults: 0, Resources: [] });
    const pastTheEnd = await tailnet.scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${rows[0].user_name}"`)}&startIndex=2`);
    expect(pastTheEnd.body).toMatchObject({ totalResults: 1, itemsPerPage: 0, Resources: [] });
  });

  it('finds every group by displayName without members, as GET /Groups/{id}?excludedAttributes=members shows it', async () => {
    const { rows } = await stack.pool.query<{ id: string; display_name: string }>('SELECT id, display_name FROM directory.groups');
    expect(rows.length).toBeGreaterThan(1);
    for (const { id, display_name } of rows) {
      const filter = encodeURIComponent(`displayName eq "${display_name.toLowerCase()}"`);
      const byName = await tailnet.scim.get(`/Groups?filter=${filter}&excludedAttributes=members`);
      expect(byName.body.totalResults).toBe(1);
      expect(byName.body.Resources[0]).toEqual((await tailnet.scim.get(`/Groups/${id}?excludedAttributes=members`)).body);
    }
  });
});
