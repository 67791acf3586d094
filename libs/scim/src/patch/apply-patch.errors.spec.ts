import { describe, expect, it } from 'vitest';

import type { ScimGroup, ScimUser } from '../resource/scim-resource.js';
import { applyPatch } from './apply-patch.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

const user: ScimUser = {
  schemas: [USER_SCHEMA, ENTERPRISE],
  id: 'u-1',
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z' },
  userName: 'ann@example.com',
  name: { givenName: 'Ann' },
  emails: [{ value: 'ann@example.com', type: 'work', primary: true }],
  [ENTERPRISE]: { manager: { value: 'm-1' } },
};

const group: ScimGroup = { schemas: [GROUP_SCHEMA], id: 'g-1', displayName: 'Sales', members: [{ value: 'u-1' }] };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('applyPatch: errors', () => {
  it.each<[string, unknown[], string, string]>([
    ['remove without a path', [{ op: 'remove' }], 'noTarget', 'Operations[0] (remove): "remove" needs a "path" naming what to remove (RFC 7644 §3.5.2.2).'],
    ['an unknown attribute', [{ op: 'replace', path: 'favouriteColour', value: 'blue' }], 'invalidPath', 'Operations[0] (replace favouriteColour): "favouriteColour" does not name an attribute of User: no attribute "favouriteColour".'],
    ['an unknown sub-attribute', [{ op: 'replace', path: 'name.nickName', value: 'x' }], 'invalidPath', 'Operations[0] (replace name.nickName): "name.nickName" does not name an attribute of User: no attribute "name.nickName".'],
    ['an unknown extension attribute', [{ op: 'add', path: `${ENTERPRISE}:badge`, value: 'x' }], 'invalidPath', `Operations[0] (add ${ENTERPRISE}:badge): "${ENTERPRISE}:badge" does not name an attribute of User: no attribute "${ENTERPRISE}:badge".`],
    ['an attribute of a URN that names no SCIM extension', [{ op: 'add', path: 'urn:example:badge', value: 'x' }], 'invalidPath', 'Operations[0] (add urn:example:badge): "urn:example:badge" does not name an attribute of User: no attribute "urn:example:badge".'],
    ['a malformed path', [{ op: 'remove', path: 'emails[type eq "work"' }], 'invalidPath', 'Operations[0] (remove emails[type eq "work"): Invalid path: expected "]" to close the "[" at position 6, found the end of the expression at position 21.'],
    ['a filter on a single-valued attribute', [{ op: 'remove', path: 'name[givenName eq "Ann"]' }], 'invalidPath', 'Operations[0] (remove name[givenName eq "Ann"]): "name[givenName eq "Ann"]": a value filter [...] can only follow a multi-valued attribute such as emails or members.'],
    ['an unknown sub-attribute after a filter', [{ op: 'replace', path: 'emails[type eq "work"].address', value: 'x' }], 'invalidPath', 'Operations[0] (replace emails[type eq "work"].address): "emails[type eq "work"].address": emails has no sub-attribute "address".'],
    ['an unknown sub-attribute inside a filter', [{ op: 'remove', path: 'emails[kind eq "work"]' }], 'invalidFilter', 'Operations[0] (remove emails[kind eq "work"]): "kind" is not a sub-attribute of emails; use one of value, display, type, primary.'],
    ['changing the id', [{ op: 'replace', path: 'id', value: 'u-2' }], 'mutability', 'Operations[0] (replace id): id "u-2" is not this resource\'s id "u-1"; id is assigned by the server and cannot be changed.'],
    ['removing the id', [{ op: 'remove', path: 'id' }], 'mutability', 'Operations[0] (remove id): id undefined is not this resource\'s id "u-1"; id is assigned by the server and cannot be changed.'],
    ['modifying meta', [{ op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }], 'mutability', 'Operations[0] (replace meta.created): "meta.created" is read-only and cannot be modified.'],
    ['modifying groups', [{ op: 'add', path: 'groups', value: [{ value: 'g-1' }] }], 'mutability', 'Operations[0] (add groups): "groups" is read-only and cannot be modified.'],
    ['modifying the manager\'s displayName', [{ op: 'replace', path: 'manager.displayName', value: 'Boss' }], 'mutability', 'Operations[0] (replace manager.displayName): "manager.displayName" is read-only and cannot be modified.'],
    ['a boolean that is not one', [{ op: 'Replace', path: 'active', value: 'maybe' }], 'invalidValue', 'Operations[0] (replace active): "active" must be a boolean (true or false), but got "maybe".'],
    ['a number for a string', [{ op: 'replace', path: 'name.givenName', value: 5 }], 'invalidValue', 'Operations[0] (replace name.givenName): "name.givenName" must be a string, but got 5.'],
    ['a string for a complex value', [{ op: 'replace', path: 'name', value: 'Ann Lee' }], 'invalidValue', 'Operations[0] (replace name): "name" must be an object with the sub-attributes formatted, familyName, givenName, middleName, honorificPrefix, honorificSuffix, but got "Ann Lee".'],
    ['a path-less value that is not an object', [{ op: 'add', value: 'x' }], 'invalidValue', 'Operations[0] (add): "add" without a path needs an object of attributes as its value, but got "x".'],
    ['a selected value replaced by a non-object', [{ op: 'replace', path: 'emails[type eq "work"]', value: 'x@example.com' }], 'invalidValue', 'Operations[0] (replace emails[type eq "work"]): "emails[type eq "work"]" selects whole values, so its value must be an object, but got "x@example.com".'],
    ['a filter that neither matches nor describes a value', [{ op: 'add', path: 'emails[value co "@other"].display', value: 'x' }], 'noTarget', 'Operations[0] (add emails[value co "@other"].display): "emails[value co "@other"].display" matches no value of emails, so there is nothing to add.'],
  ])('rejects %s', (_case, operations, scimType, detail) => {
    expect(() => applyPatch('User', user, patch(...operations))).toThrow(expect.objectContaining({ status: 400, scimType, detail }));
  });

  describe('validates the result like a POST body', () => {
    it.each<[string, unknown[], string]>([
      ['a userName that is not an email', [{ op: 'replace', path: 'userName', value: 'ann' }], 'userName "ann" is not an email address.'],
      ['removing userName', [{ op: 'remove', path: 'userName' }], 'userName is required.'],
      ['a second work email', [{ op: 'add', path: 'emails', value: [{ value: 'ann2@example.com', type: 'work' }] }], 'emails has more than one value with type "work"'],
    ])('rejects %s', (_case, operations, detailStart) => {
      expect(() => applyPatch('User', user, patch(...operations))).toThrow(
        expect.objectContaining({ status: 400, scimType: 'invalidValue', detail: expect.stringContaining(detailStart) }),
      );
    });

    it('rejects a group name with "@" and the removal of the name', () => {
      expect(() => applyPatch('Group', group, patch({ op: 'Replace', path: 'displayName', value: 'sales@example.com' }))).toThrow(
        expect.objectContaining({ scimType: 'invalidValue', detail: expect.stringContaining('Synced group names may not contain "@"') }),
      );
      expect(() => applyPatch('Group', group, patch({ op: 'remove', path: 'displayName' }))).toThrow(
        expect.objectContaining({ scimType: 'invalidValue', detail: 'displayName is required: it is the name the policy file uses for the group.' }),
      );
    });

    it('rejects changing a member\'s immutable value', () => {
      expect(() => applyPatch('Group', group, patch({ op: 'replace', path: 'members[value eq "u-1"].value', value: 'u-2' }))).toThrow(
        expect.objectContaining({
          scimType: 'mutability',
          detail:
            'Operations[0] (replace members[value eq "u-1"].value): members[value eq "u-1"].value: value is immutable and already "u-1"; ' +
            'remove the value and add a new one instead.',
        }),
      );
    });
  });

  it('is all-or-nothing: a failing operation leaves the resource untouched', () => {
    const frozen = deepFreeze(structuredClone(user));
    expect(() =>
      applyPatch(
        'User',
        frozen,
        patch(
          { op: 'replace', path: 'name.givenName', value: 'Changed' },
          { op: 'add', path: 'emails', value: [{ value: 'x@example.com', type: 'home', primary: true }] },
          { op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' },
        ),
      ),
    ).toThrow(expect.objectContaining({ scimType: 'mutability' }));
    expect(frozen).toEqual(user);
  });

  it('never mutates its input, even on success', () => {
    const frozen = deepFreeze(structuredClone(group));
    const result = applyPatch('Group', frozen, patch({ op: 'add', path: 'members', value: [{ value: 'u-2' }] }, { op: 'remove', path: 'members[value eq "u-1"]' }));
    expect(result.resource.members).toEqual([{ value: 'u-2' }]);
    expect(frozen).toEqual(group);
  });

  it('ignores writes to password, which is never stored', () => {
    expect(applyPatch('User', user, patch({ op: 'replace', path: 'password', value: 'hunter2' }, { op: 'add', value: { password: 'x' } }))).toEqual({
      changed: false,
      resource: user,
    });
  });
});
