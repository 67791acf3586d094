import { describe, expect, it } from 'vitest';

import { renderSchemaResources } from './render-schemas.js';
import { ENTERPRISE_USER_SCHEMA_URN, GROUP_SCHEMA_URN, SCHEMA_SCHEMA_URN, USER_SCHEMA_URN } from './schema-urns.js';

describe('renderSchemaResources', () => {
  const [user, group, enterprise] = renderSchemaResources('https://roster.example/scim/v2/');

  it('renders the User, Group and Enterprise User schemas as RFC 7643 §7 resources', () => {
    expect([user?.id, group?.id, enterprise?.id]).toEqual([USER_SCHEMA_URN, GROUP_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN]);
    expect(user).toMatchObject({
      schemas: [SCHEMA_SCHEMA_URN],
      name: 'User',
      meta: { resourceType: 'Schema', location: `https://roster.example/scim/v2/Schemas/${USER_SCHEMA_URN}` },
    });
  });

  it('renders every characteristic of an attribute', () => {
    expect(user?.attributes[0]).toEqual({
      name: 'userName',
      type: 'string',
      multiValued: false,
      description: "Unique identifier for the User. Roster requires the user's email address, because SSO logins are matched on it.",
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    });
  });

  it('lists the core User attributes in RFC order, with password write-only and groups read-only', () => {
    expect(user?.attributes.map((attribute) => attribute.name)).toEqual([
      'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale',
      'timezone', 'active', 'password', 'emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'groups', 'entitlements',
      'roles', 'x509Certificates',
    ]);
    expect(user?.attributes.find((attribute) => attribute.name === 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(user?.attributes.find((attribute) => attribute.name === 'groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
    expect(user?.attributes.find((attribute) => attribute.name === 'name')?.subAttributes?.map((sub) => sub.name)).toEqual([
      'formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix',
    ]);
    expect(user?.attributes.find((attribute) => attribute.name === 'emails')?.subAttributes?.find((sub) => sub.name === 'type')).toMatchObject({
      canonicalValues: ['work', 'home', 'other'],
    });
  });

  it('renders the enterprise extension with a manager reference', () => {
    expect(enterprise?.attributes.map((attribute) => attribute.name)).toEqual([
      'employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager',
    ]);
    expect(enterprise?.attributes.find((attribute) => attribute.name === 'manager')?.subAttributes).toEqual([
      expect.objectContaining({ name: 'value', caseExact: true }),
      expect.objectContaining({ name: '$ref', type: 'reference', referenceTypes: ['User'] }),
      expect.objectContaining({ name: 'displayName', mutability: 'readOnly' }),
    ]);
  });

  it('renders Group with a required displayName and members', () => {
    expect(group?.attributes.map((attribute) => attribute.name)).toEqual(['displayName', 'members']);
    expect(group?.attributes[0]).toMatchObject({ required: true, uniqueness: 'server' });
    expect(group?.attributes[1]?.subAttributes?.map((sub) => sub.name)).toEqual(['value', '$ref', 'display', 'type']);
  });

  it('produces plain JSON', () => {
    expect(JSON.parse(JSON.stringify(user))).toEqual(user);
  });
});
