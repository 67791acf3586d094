import { describe, expect, it } from 'vitest';

import { resolveAttributePath } from './attribute-path-resolver.js';
import { ENTERPRISE_USER_SCHEMA_URN, GROUP_SCHEMA_URN, USER_SCHEMA_URN } from './schema-urns.js';

describe('resolveAttributePath', () => {
  it.each<[string, string]>([
    ['userName', 'userName'],
    ['USERNAME', 'userName'],
    ['name.GivenName', 'name.givenName'],
    ['emails.value', 'emails.value'],
    ['EMAILS.TYPE', 'emails.type'],
    ['meta.Created', 'meta.created'],
    ['ID', 'id'],
    ['externalid', 'externalId'],
    [`${USER_SCHEMA_URN}:userName`, 'userName'],
    [`${USER_SCHEMA_URN.toLowerCase()}:name.familyName`, 'name.familyName'],
    [`${ENTERPRISE_USER_SCHEMA_URN}:employeeNumber`, `${ENTERPRISE_USER_SCHEMA_URN}:employeeNumber`],
    [`${ENTERPRISE_USER_SCHEMA_URN}:Manager.Value`, `${ENTERPRISE_USER_SCHEMA_URN}:manager.value`],
    ['manager', `${ENTERPRISE_USER_SCHEMA_URN}:manager`],
    ['department', `${ENTERPRISE_USER_SCHEMA_URN}:department`],
  ])('resolves %s on User to %s', (path, canonicalPath) => {
    expect(resolveAttributePath('User', path)?.canonicalPath).toBe(canonicalPath);
  });

  it('returns the definitions and where the attribute is stored', () => {
    const manager = resolveAttributePath('User', `${ENTERPRISE_USER_SCHEMA_URN}:manager.value`);
    expect(manager).toMatchObject({
      isExtension: true,
      attributePath: `${ENTERPRISE_USER_SCHEMA_URN}:manager`,
      attribute: { name: 'manager', type: 'complex' },
      subAttribute: { name: 'value', caseExact: true },
    });
    expect(manager?.schema.id).toBe(ENTERPRISE_USER_SCHEMA_URN);
    expect(resolveAttributePath('User', 'userName')).toMatchObject({
      isExtension: false,
      attribute: { name: 'userName', caseExact: false, uniqueness: 'server', required: true },
    });
    expect(resolveAttributePath('User', 'id')?.attribute).toMatchObject({ caseExact: true, mutability: 'readOnly' });
    expect(resolveAttributePath('User', 'externalId')?.attribute).toMatchObject({ caseExact: true });
  });

  it('resolves Group attributes', () => {
    expect(resolveAttributePath('Group', 'MEMBERS.value')?.canonicalPath).toBe('members.value');
    expect(resolveAttributePath('Group', `${GROUP_SCHEMA_URN}:displayName`)?.canonicalPath).toBe('displayName');
  });

  it.each(['nosuch', 'name.nosuch', 'name.givenName.extra', 'urn:example:custom:2.0:User:tag', `${ENTERPRISE_USER_SCHEMA_URN}:userName`, ENTERPRISE_USER_SCHEMA_URN, 'userName'])(
    'returns undefined for %s where it does not exist',
    (path) => {
      const resourceType = path === 'userName' ? 'Group' : 'User';
      expect(resolveAttributePath(resourceType, path)).toBeUndefined();
    },
  );
});
