import { expect } from 'vitest';
import { oktaUser, seededRandom, type ScimClient } from '#roster/testkit';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

export { seededRandom };

export type ProvisioningCounts = Record<string, number>;

/**
 * What an IdP does over a day, at random through SCIM: users created, added to and removed from groups,
 * deactivated and reactivated, groups renamed, users and groups deleted. Every request must succeed.
 */
export async function randomProvisioning(scim: ScimClient, { steps, seed, prefix }: { steps: number; seed: number; prefix: string }) {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const users: { id: string; active: boolean }[] = [];
  const groups: { id: string; members: Set<string> }[] = [];
  const counts: ProvisioningCounts = {};
  const ok = (what: string, status: number, expected: number[]) => {
    expect(expected, `${what} answered ${status}`).toContain(status);
    counts[what] = (counts[what] ?? 0) + 1;
  };
  let serial = 0;
  const createUser = async () => {
    const response = await scim.post('/Users', oktaUser(`${prefix}.u${serial++}@example.com`));
    ok('user created', response.status, [201]);
    users.push({ id: response.body.id, active: true });
  };
  const createGroup = async () => {
    const response = await scim.post('/Groups', { schemas: [GROUP], displayName: `${prefix} group ${serial++}` });
    ok('group created', response.status, [201]);
    groups.push({ id: response.body.id, members: new Set() });
  };
  for (let i = 0; i < 6; i++) await createUser();
  for (let i = 0; i < 2; i++) await createGroup();
  for (let step = 0; step < steps; step++) {
    const roll = random();
    if (roll < 0.2 || users.length < 4) await createUser();
    else if (roll < 0.27 || groups.length < 2) await createGroup();
    else if (roll < 0.55) {
      const group = pick(groups);
      const joining = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(users).id).filter((id) => !group.members.has(id));
      if (joining.length === 0) continue;
      const unique = [...new Set(joining)];
      const response = await scim.request('PATCH', `/Groups/${group.id}`, patch({ op: 'add', path: 'members', value: unique.map((value) => ({ value })) }));
      ok('members added', response.status, [204, 200]);
      unique.forEach((id) => group.members.add(id));
    } else if (roll < 0.68) {
      const group = pick(groups);
      const leaving = pick([...group.members]);
      if (!leaving) continue;
      const response = await scim.request('PATCH', `/Groups/${group.id}`, patch({ op: 'remove', path: `members[value eq "${leaving}"]` }));
      ok('member removed', response.status, [204, 200]);
      group.members.delete(leaving);
    } else if (roll < 0.78) {
      const user = pick(users);
      const response = await scim.request('PATCH', `/Users/${user.id}`, patch({ op: 'replace', path: 'active', value: !user.active }));
      ok(user.active ? 'user suspended' : 'user reactivated', response.status, [200, 204]);
      user.active = !user.active;
    } else if (roll < 0.84) {
      const group = pick(groups);
      const response = await scim.request('PATCH', `/Groups/${group.id}`, patch({ op: 'replace', path: 'displayName', value: `${prefix} renamed ${serial++}` }));
      ok('group renamed', response.status, [204, 200]);
    } else if (roll < 0.93) {
      const user = users.splice(Math.floor(random() * users.length), 1)[0];
      ok('user deleted', (await scim.request('DELETE', `/Users/${user.id}`)).status, [204]);
      groups.forEach((group) => group.members.delete(user.id));
    } else if (groups.length > 2) {
      const group = groups.splice(Math.floor(random() * groups.length), 1)[0];
      ok('group deleted', (await scim.request('DELETE', `/Groups/${group.id}`)).status, [204]);
    }
  }
  return counts;
}
