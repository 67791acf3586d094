import { describe, expect, it } from 'vitest';

import { ScimError } from '../errors/scim-error.js';
import { normaliseUser } from './normalise-user.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function rejection(body: unknown, options: Parameters<typeof normaliseUser>[1] = { mode: 'create' }): ScimError {
  try {
    normaliseUser(body, options);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected the body to be rejected');
}

describe('normaliseUser', () => {
  describe('Entra ID', () => {
    it('normalises the POST /Users body of Microsoft\'s SCIM guide', () => {
      const body = {
        schemas: [CORE, ENTERPRISE],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com',
        active: true,
        emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
        meta: { resourceType: 'User' },
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        roles: [],
      };
      expect(normaliseUser(body, { mode: 'create' })).toEqual({
        schemas: [CORE],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com',
        active: true,
        emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      });
    });

    it('tolerates the nulls and the mistyped enterprise URN of the older example', () => {
      const body = {
        schemas: [CORE, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
        externalId: 'jyoung',
        userName: 'jyoung@testuser.com',
        active: true,
        addresses: null,
        displayName: 'Joy Young',
        emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
        meta: { resourceType: 'User' },
        name: { familyName: 'Young', givenName: 'Joy' },
        phoneNumbers: null,
        preferredLanguage: null,
        title: null,
        department: null,
        manager: null,
      };
      expect(normaliseUser(body, { mode: 'create' })).toEqual({
        schemas: [CORE],
        externalId: 'jyoung',
        userName: 'jyoung@testuser.com',
        active: true,
        displayName: 'Joy Young',
        emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
        name: { familyName: 'Young', givenName: 'Joy' },
      });
    });

    it('stores enterprise attributes under their URN, whether nested, URN-qualified or unqualified', () => {
      const user = normaliseUser(
        {
          userName: 'a@example.com',
          [ENTERPRISE]: { employeeNumber: '701984', Department: 'Sales', costCenter: null },
          [`${ENTERPRISE}:division`]: 'EMEA',
          organization: 'Contoso',
        },
        { mode: 'create' },
      );
      expect(user).toEqual({
        schemas: [CORE, ENTERPRISE],
        userName: 'a@example.com',
        [ENTERPRISE]: { employeeNumber: '701984', department: 'Sales', division: 'EMEA', organization: 'Contoso' },
      });
    });

    it('accepts the manager as an id, as {value} and as Entra\'s array, and stores {value}', () => {
      const manager = (value: unknown) => normaliseUser({ userName: 'a@example.com', [ENTERPRISE]: { manager: value } }, { mode: 'create' })[ENTERPRISE];
      const expected = { manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } };
      expect(manager('26118915-6090-4610-87e4-49d8ca9f808d')).toEqual(expected);
      expect(manager({ value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'Boss', $ref: '../Users/26118915' })).toEqual(expected);
      expect(manager([{ $ref: 'https://idp/Users/26118915', value: '26118915-6090-4610-87e4-49d8ca9f808d' }])).toEqual(expected);
      expect(manager([])).toBeUndefined();
      expect(manager('')).toBeUndefined();
      expect(manager({ value: null })).toBeUndefined();
    });

    it('accepts booleans sent as strings', () => {
      expect(normaliseUser({ userName: 'a@example.com', active: 'False' }, { mode: 'create' }).active).toBe(false);
      expect(normaliseUser({ userName: 'a@example.com', active: 'TRUE' }, { mode: 'create' }).active).toBe(true);
      expect(
        normaliseUser({ userName: 'a@example.com', emails: [{ value: 'a@example.com', primary: 'True' }] }, { mode: 'create' }).emails,
      ).toEqual([{ value: 'a@example.com', primary: true }]);
    });
  });

  describe('Okta', () => {
    it('normalises the create body, dropping password and the read-only groups', () => {
      const body = {
        schemas: [CORE],
        userName: 'test.user@okta.local',
        name: { givenName: 'Test', familyName: 'User' },
        emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
        displayName: 'Test User',
        locale: 'en-US',
        externalId: '00ujl29u0le5T6Aj10h7',
        groups: [],
        password: '1mz050nq',
        active: true,
      };
      expect(normaliseUser(body, { mode: 'create' })).toEqual({
        schemas: [CORE],
        userName: 'test.user@okta.local',
        name: { givenName: 'Test', familyName: 'User' },
        emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
        displayName: 'Test User',
        locale: 'en-US',
        externalId: '00ujl29u0le5T6Aj10h7',
        active: true,
      });
    });

    it('normalises the PUT body with id, meta, groups and an empty middleName', () => {
      const id = '23a35c27-23d3-4c03-b4c5-6443c09e7173';
      const body = {
        schemas: [CORE],
        id,
        userName: 'test.user@okta.local',
        name: { givenName: 'Another', middleName: '', familyName: 'User' },
        emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
        displayName: 'Another User',
        locale: 'en-US',
        externalId: '00u1dhhb1fkIGP7RL1d8',
        groups: [{ value: 'g1', display: 'Sales' }],
        active: true,
        meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-02T00:00:00Z' },
      };
      expect(normaliseUser(body, { mode: 'replace', id })).toEqual({
        schemas: [CORE],
        userName: 'test.user@okta.local',
        name: { givenName: 'Another', familyName: 'User' },
        emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
        displayName: 'Another User',
        locale: 'en-US',
        externalId: '00u1dhhb1fkIGP7RL1d8',
        active: true,
      });
    });
  });

  it('reads attribute and sub-attribute names in any case and ignores unknown ones', () => {
    const user = normaliseUser(
      { USERNAME: 'a@example.com', Name: { GIVENNAME: 'Ann', nickname: 'x' }, DisplayName: 'Ann', favouriteColour: 'blue' },
      { mode: 'create' },
    );
    expect(user).toEqual({ schemas: [CORE], userName: 'a@example.com', name: { givenName: 'Ann' }, displayName: 'Ann' });
  });

  it('merges dotted and URN-qualified core keys', () => {
    expect(
      normaliseUser({ [`${CORE}:userName`]: 'a@example.com', 'name.givenName': 'Ann', name: { familyName: 'Lee' } }, { mode: 'create' }),
    ).toEqual({ schemas: [CORE], userName: 'a@example.com', name: { givenName: 'Ann', familyName: 'Lee' } });
  });

  it('drops multi-valued entries without a value and treats empty arrays as absent', () => {
    expect(
      normaliseUser({ userName: 'a@example.com', emails: [{ type: 'work', value: null }, null], phoneNumbers: [] }, { mode: 'create' }),
    ).toEqual({ schemas: [CORE], userName: 'a@example.com' });
  });

  it('keeps values exactly as sent', () => {
    const user = normaliseUser({ userName: 'Mixed.Case+tag@Example.COM', displayName: '  spaced  ' }, { mode: 'create' });
    expect(user.userName).toBe('Mixed.Case+tag@Example.COM');
    expect(user.displayName).toBe('  spaced  ');
  });

  describe('userName', () => {
    it.each(['a@example.com', "o'brien@example.co.uk", 'first.last+tag@sub.example.org', 'jürgen@müller.de', 'x_y-z@example.io'])(
      'accepts %s',
      (userName) => {
        expect(normaliseUser({ userName }, { mode: 'create' }).userName).toBe(userName);
      },
    );

    it.each(['jyoung', 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1', 'a@localhost', '@example.com', 'a@@example.com', 'a b@example.com', 'a..b@example.com', 'a@example.'])(
      'rejects %s with an actionable detail',
      (userName) => {
        expect(rejection({ userName })).toMatchObject({
          status: 400,
          scimType: 'invalidValue',
          detail:
            `userName ${JSON.stringify(userName)} is not an email address. userName must be the user's email address, because ` +
            "Roster matches SSO logins on it (in Okta, set the application username format to Email; in Entra ID, map userName " +
            "to the user's email or UPN).",
        });
      },
    );

    it('is required', () => {
      expect(rejection({ displayName: 'x' }).detail).toMatch(/^userName is required\. userName must be the user's email address/);
      expect(rejection({ userName: null }).scimType).toBe('invalidValue');
    });
  });

  describe('rejects', () => {
    it.each<[string, unknown, string]>([
      ['a string where a string is not', { userName: 'a@example.com', displayName: 5 }, '"displayName" must be a string, but got 5.'],
      ['a non-boolean active', { userName: 'a@example.com', active: 'yes' }, '"active" must be a boolean (true or false), but got "yes".'],
      ['a complex attribute sent as a string', { userName: 'a@example.com', name: 'Ann Lee' }, '"name" must be an object with the sub-attributes formatted, familyName, givenName, middleName, honorificPrefix, honorificSuffix, but got "Ann Lee".'],
      ['several managers', { userName: 'a@example.com', [ENTERPRISE]: { manager: [{ value: '1' }, { value: '2' }] } }, `"${ENTERPRISE}:manager" is single-valued, but 2 values were sent.`],
      ['an extension that is not an object', { userName: 'a@example.com', [ENTERPRISE]: 'x' }, `"${ENTERPRISE}" must be an object of extension attributes, but got "x".`],
      [
        'two work emails',
        { userName: 'a@example.com', emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'Work' }] },
        'emails has more than one value with type "Work"; each type may appear only once (for example only one "work" email).',
      ],
      [
        'two primary phone numbers',
        { userName: 'a@example.com', phoneNumbers: [{ value: '1', primary: true }, { value: '2', primary: 'true' }] },
        'phoneNumbers has 2 values marked primary; at most one value may have "primary": true.',
      ],
      ['an email item that is not an object', { userName: 'a@example.com', emails: ['a@example.com'] }, '"emails[0]" must be an object with the sub-attributes value, display, type, primary, but got "a@example.com".'],
    ])('%s', (_case, body, detail) => {
      expect(rejection(body)).toMatchObject({ status: 400, scimType: 'invalidValue', detail });
    });

    it('a body that is not an object', () => {
      expect(rejection([])).toMatchObject({
        status: 400,
        scimType: 'invalidSyntax',
        detail: 'The request body must be a JSON object holding a User, but got [].',
      });
    });

    it('a PUT whose id names another resource', () => {
      expect(rejection({ id: 'other', userName: 'a@example.com' }, { mode: 'replace', id: 'this' })).toMatchObject({
        status: 400,
        scimType: 'mutability',
        detail: 'The body\'s id "other" does not match the resource being replaced ("this"); id is assigned by the server and cannot be changed.',
      });
    });
  });

  it('allows several roles of the same type, as Entra sends app roles', () => {
    const roles = [
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Admin', value: 'Admin' },
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' },
    ];
    expect(normaliseUser({ userName: 'a@example.com', roles }, { mode: 'create' }).roles).toEqual(roles);
  });

  it('ignores an id in a create body', () => {
    expect(normaliseUser({ id: 'client-chosen', userName: 'a@example.com' }, { mode: 'create' })).toEqual({ schemas: [CORE], userName: 'a@example.com' });
  });
});
