import { describe, expect, it } from 'vitest';

import type { ScimGroup, ScimUser } from '../resource/scim-resource.js';
import { applyPatch } from './apply-patch.js';

// The PATCH bodies Okta sends for OIN apps.
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const GROUP_ID = 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b';
const OLD_MEMBER = '89bb1940-b905-4575-9e7f-6f887cfb368e';
const NEW_MEMBER = '23a35c27-23d3-4c03-b4c5-6443c09e7173';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

const user: ScimUser = {
  schemas: [USER_SCHEMA],
  id: NEW_MEMBER,
  userName: 'test.user@okta.local',
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
  active: true,
};

const group: ScimGroup = {
  schemas: [GROUP_SCHEMA],
  id: GROUP_ID,
  displayName: 'Test SCIMv2',
  members: [{ value: OLD_MEMBER, display: 'old.user@okta.local' }],
};

describe('applyPatch: Okta', () => {
  it('deactivates and reactivates a user with a path-less replace', () => {
    const deactivated = applyPatch('User', user, patch({ op: 'replace', value: { active: false } }));
    expect(deactivated).toEqual({ changed: true, resource: { ...user, active: false } });
    const reactivated = applyPatch('User', deactivated.resource, patch({ op: 'replace', value: { active: true } }));
    expect(reactivated).toEqual({ changed: true, resource: user });
  });

  it('renames a group with the group\'s own read-only id in the value', () => {
    const result = applyPatch('Group', group, patch({ op: 'replace', value: { id: GROUP_ID, displayName: 'Renamed Group' } }));
    expect(result).toEqual({ changed: true, resource: { ...group, displayName: 'Renamed Group' } });
  });

  it('reports no change when the echoed id and name are unchanged', () => {
    expect(applyPatch('Group', group, patch({ op: 'replace', value: { id: GROUP_ID, displayName: 'Test SCIMv2' } })).changed).toBe(false);
  });

  it('refuses a value naming a different id', () => {
    expect(() => applyPatch('Group', group, patch({ op: 'replace', value: { id: 'someone-else', displayName: 'x' } }))).toThrow(
      expect.objectContaining({
        status: 400,
        scimType: 'mutability',
        detail:
          `Operations[0] (replace): id "someone-else" is not this resource's id "${GROUP_ID}"; id is assigned by the server and cannot be changed.`,
      }),
    );
  });

  it('removes one member and adds another in one request', () => {
    const result = applyPatch(
      'Group',
      group,
      patch(
        { op: 'remove', path: `members[value eq "${OLD_MEMBER}"]` },
        { op: 'add', path: 'members', value: [{ value: NEW_MEMBER, display: 'test.user@okta.local' }] },
      ),
    );
    expect(result).toEqual({ changed: true, resource: { ...group, members: [{ value: NEW_MEMBER, display: 'test.user@okta.local' }] } });
  });

  it('overwrites all members on "Push Now"', () => {
    const everyone = [
      { value: NEW_MEMBER, display: 'test.user@okta.local' },
      { value: 'c0ffee00-0000-4000-8000-000000000001', display: 'second@okta.local' },
    ];
    const result = applyPatch('Group', group, patch({ op: 'replace', path: 'members', value: everyone }));
    expect(result).toEqual({ changed: true, resource: { ...group, members: everyone } });
  });

  it('reports no change when "Push Now" sends the same members in another order', () => {
    const members = [{ value: 'a' }, { value: 'b' }, { value: 'c' }];
    const result = applyPatch('Group', { ...group, members }, patch({ op: 'replace', path: 'members', value: [...members].reverse() }));
    expect(result.changed).toBe(false);
  });

  it('pushes empty values without error', () => {
    const result = applyPatch('Group', group, patch({ op: 'replace', path: 'members', value: [] }));
    expect(result).toEqual({ changed: true, resource: { schemas: [GROUP_SCHEMA], id: GROUP_ID, displayName: 'Test SCIMv2' } });
  });
});
