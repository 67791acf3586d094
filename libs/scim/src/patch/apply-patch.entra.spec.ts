import { describe, expect, it } from 'vitest';

import type { ScimGroup, ScimUser } from '../resource/scim-resource.js';
import { applyPatch } from './apply-patch.js';

// The PATCH bodies Microsoft Entra ID sends, in its default dialect and with the aadOptscim062020 flag.
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const USER_ID = '5171a35d82074e068ce2';
const MANAGER_ID = '2819c223-7f76-453a-919d-413861904646';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

const jyoung: ScimUser = {
  schemas: [USER_SCHEMA],
  id: USER_ID,
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z' },
  externalId: 'jyoung',
  userName: 'jyoung@contoso.com',
  active: true,
  displayName: 'Joy Young',
  name: { familyName: 'Young', givenName: 'Joy' },
  emails: [{ type: 'work', value: 'jyoung@contoso.com', primary: true }],
};

const withoutEmails: ScimUser = { schemas: [USER_SCHEMA], id: USER_ID, userName: 'jyoung@contoso.com' };

const group: ScimGroup = { schemas: [GROUP_SCHEMA], id: 'a99962b9f99d4c4fac67', displayName: 'Group1DisplayName' };

describe('applyPatch: Entra ID', () => {
  describe('default dialect', () => {
    it('replaces a work email and a family name, one op per path', () => {
      const result = applyPatch(
        'User',
        jyoung,
        patch(
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        ),
      );
      expect(result.resource.emails).toEqual([{ type: 'work', value: 'updatedEmail@microsoft.com', primary: true }]);
      expect(result.resource.name).toEqual({ familyName: 'updatedFamilyName', givenName: 'Joy' });
      expect(result.changed).toBe(true);
    });

    it('replaces userName', () => {
      const result = applyPatch('User', jyoung, patch({ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }));
      expect(result.resource.userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
    });

    it('disables a user with the string "False"', () => {
      const result = applyPatch('User', jyoung, patch({ op: 'Replace', path: 'active', value: 'False' }));
      expect(result.resource.active).toBe(false);
      expect(result.changed).toBe(true);
    });

    it('sets a single-valued attribute for the first time with Add', () => {
      expect(applyPatch('User', jyoung, patch({ op: 'Add', path: 'nickName', value: 'Babs' })).resource.nickName).toBe('Babs');
    });

    it('replaces a single-valued attribute with Add', () => {
      expect(applyPatch('User', jyoung, patch({ op: 'Add', path: 'displayName', value: 'Joy Y.' })).resource.displayName).toBe('Joy Y.');
    });

    it('creates the work email with Add when the user has none', () => {
      const result = applyPatch('User', withoutEmails, patch({ op: 'Add', path: 'emails[type eq "work"].value', value: 'jyoung@contoso.com' }));
      expect(result.resource.emails).toEqual([{ type: 'work', value: 'jyoung@contoso.com' }]);
    });

    it('creates the work email with Replace when the user has none', () => {
      const result = applyPatch('User', withoutEmails, patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'jyoung@contoso.com' }));
      expect(result.resource.emails).toEqual([{ type: 'work', value: 'jyoung@contoso.com' }]);
    });

    it('changes the existing work email with Add instead of adding a second one', () => {
      const result = applyPatch('User', jyoung, patch({ op: 'Add', path: 'emails[type eq "work"].value', value: 'joy@contoso.com' }));
      expect(result.resource.emails).toEqual([{ type: 'work', value: 'joy@contoso.com', primary: true }]);
    });

    it('sets, changes and removes the manager as Microsoft\'s validator does', () => {
      const set = applyPatch(
        'User',
        jyoung,
        patch({ op: 'Add', path: 'manager', value: [{ $ref: `http://.../scim/Users/${MANAGER_ID}`, value: MANAGER_ID }] }),
      );
      expect(set.resource[ENTERPRISE]).toEqual({ manager: { value: MANAGER_ID } });
      expect(set.resource.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);

      const changed = applyPatch('User', set.resource, patch({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: 'other-manager' }));
      expect(changed.resource[ENTERPRISE]).toEqual({ manager: { value: 'other-manager' } });

      for (const empty of ['', null]) {
        const removed = applyPatch('User', changed.resource, patch({ op: 'Replace', path: 'manager', value: empty }));
        expect(removed.resource[ENTERPRISE]).toBeUndefined();
        expect(removed.resource.schemas).toEqual([USER_SCHEMA]);
        expect(removed.changed).toBe(true);
      }
    });

    it('replaces an enterprise attribute by its URN-qualified path', () => {
      const result = applyPatch('User', jyoung, patch({ op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '701984' }));
      expect(result.resource[ENTERPRISE]).toEqual({ employeeNumber: '701984' });
    });

    it("drops an operation on a custom extension's attribute, as bodies drop them, and applies the rest", () => {
      const custom = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
      const result = applyPatch(
        'User',
        jyoung,
        patch(
          { op: 'Replace', path: `${custom}:tag`, value: 'blue' },
          { op: 'Add', path: `${custom.toUpperCase()}:tag`, value: 'blue' },
          { op: 'Remove', path: `${custom}:tag` },
          { op: 'Replace', path: 'title', value: 'Engineer' },
        ),
      );
      expect(result.resource).toEqual({ ...jyoung, title: 'Engineer' });
    });

    it('passes the null-update test: empty strings and nulls clear optional attributes and keep them clear', () => {
      const withTitle = applyPatch('User', jyoung, patch({ op: 'Add', path: 'title', value: 'Engineer' })).resource;
      const emptied = applyPatch(
        'User',
        withTitle,
        patch(
          { op: 'Replace', path: 'title', value: '' },
          { op: 'Replace', path: 'displayName', value: '' },
          { op: 'Replace', path: 'name.givenName', value: '' },
        ),
      );
      expect(emptied.changed).toBe(true);
      expect(emptied.resource).toEqual({ ...jyoung, name: { familyName: 'Young' }, displayName: undefined });
      expect('displayName' in emptied.resource).toBe(false);

      const nulled = applyPatch(
        'User',
        emptied.resource,
        patch({ op: 'Replace', path: 'title', value: null }, { op: 'Replace', path: 'displayName', value: null }),
      );
      expect(nulled).toEqual({ changed: false, resource: emptied.resource });
    });

    it('adds members and removes the listed ones with the legacy value form', () => {
      const added = applyPatch(
        'Group',
        group,
        patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }, { $ref: null, value: 'a2c8f5d0a1234b8ab4b5' }] }),
      );
      expect(added.resource.members).toEqual([{ value: 'f648f8d5ea4e4cd38e9c' }, { value: 'a2c8f5d0a1234b8ab4b5' }]);

      const removed = applyPatch('Group', added.resource, patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'a2c8f5d0a1234b8ab4b5' }] }));
      expect(removed.resource.members).toEqual([{ value: 'f648f8d5ea4e4cd38e9c' }]);
    });

    it('renames a group', () => {
      const result = applyPatch('Group', group, patch({ op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }));
      expect(result.resource.displayName).toBe('1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
    });

    it('updates several memberships in one PATCH', () => {
      const result = applyPatch(
        'Group',
        { ...group, members: [{ value: 'u1' }, { value: 'u2' }] },
        patch(
          { op: 'Add', path: 'members', value: [{ value: 'u3' }] },
          { op: 'Remove', path: 'members', value: [{ value: 'u1' }] },
          { op: 'Add', path: 'members', value: [{ value: 'u4' }, { value: 'u2' }] },
        ),
      );
      expect(result.resource.members).toEqual([{ value: 'u2' }, { value: 'u3' }, { value: 'u4' }]);
    });
  });

  describe('aadOptscim062020 dialect', () => {
    it('disables a user with a JSON boolean', () => {
      expect(applyPatch('User', jyoung, patch({ op: 'replace', path: 'active', value: false })).resource.active).toBe(false);
    });

    it('removes a member by filter', () => {
      const result = applyPatch(
        'Group',
        { ...group, members: [{ value: '16b083c0-f1e8-4544-b6ee-27a28dc98761' }, { value: 'other' }] },
        patch({ op: 'remove', path: 'members[value eq "16b083c0-f1e8-4544-b6ee-27a28dc98761"]' }),
      );
      expect(result.resource.members).toEqual([{ value: 'other' }]);
    });

    it('replaces several attributes in one path-less op with dotted and URN keys, and the email by path', () => {
      const result = applyPatch(
        'User',
        jyoung,
        patch(
          {
            op: 'replace',
            value: {
              displayName: 'Pertin Lewis',
              'name.givenName': 'Pertin',
              'name.familyName': 'Lewis',
              [`${ENTERPRISE}:employeeNumber`]: '1234',
              [`${ENTERPRISE}:department`]: 'Sales',
            },
          },
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'Pertin@contoso.com' },
        ),
      );
      expect(result.resource).toEqual({
        ...jyoung,
        schemas: [USER_SCHEMA, ENTERPRISE],
        displayName: 'Pertin Lewis',
        name: { givenName: 'Pertin', familyName: 'Lewis' },
        emails: [{ type: 'work', value: 'Pertin@contoso.com', primary: true }],
        [ENTERPRISE]: { employeeNumber: '1234', department: 'Sales' },
      });
    });

    it('accepts the whole extension object in a path-less replace, keeping unmentioned extension attributes', () => {
      const start = applyPatch('User', jyoung, patch({ op: 'add', path: `${ENTERPRISE}:costCenter`, value: 'CC-1' })).resource;
      const result = applyPatch(
        'User',
        start,
        patch({ op: 'replace', value: { [ENTERPRISE]: { department: 'Sales', manager: { value: MANAGER_ID } }, active: 'True' } }),
      );
      expect(result.resource[ENTERPRISE]).toEqual({ costCenter: 'CC-1', department: 'Sales', manager: { value: MANAGER_ID } });
    });

    it('ignores read-only attributes echoed in a path-less value', () => {
      const result = applyPatch(
        'User',
        jyoung,
        patch({ op: 'replace', value: { id: USER_ID, meta: { resourceType: 'User' }, groups: [], displayName: 'Joy' } }),
      );
      expect(result.resource).toEqual({ ...jyoung, displayName: 'Joy' });
    });
  });
});
