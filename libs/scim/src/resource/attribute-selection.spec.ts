import { describe, expect, it } from 'vitest';
import { selectAttributes } from './attribute-selection.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: 'u1',
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
  [ENTERPRISE]: { department: 'Maths', employeeNumber: '1' },
  meta: { resourceType: 'User' },
};

describe('selectAttributes', () => {
  it('returns only the asked-for attributes, with id, schemas and meta', () => {
    expect(selectAttributes('User', user, { attributes: 'userName,name.givenName,emails.value' })).toEqual({
      schemas: user.schemas,
      id: 'u1',
      meta: user.meta,
      userName: 'ada@example.com',
      name: { givenName: 'Ada' },
      emails: [{ value: 'ada@example.com' }],
    });
  });

  it('resolves names case-insensitively and extension attributes by URN', () => {
    expect(selectAttributes('User', user, { attributes: `USERNAME,${ENTERPRISE}:department` })).toMatchObject({
      userName: 'ada@example.com',
      [ENTERPRISE]: { department: 'Maths' },
    });
    expect(selectAttributes('User', user, { attributes: 'id' })).toEqual({ schemas: user.schemas, id: 'u1', meta: user.meta });
  });

  it('leaves out excluded attributes and never id', () => {
    const trimmed = selectAttributes('User', user, { excludedAttributes: 'emails,name.familyName,id' });
    expect(trimmed).not.toHaveProperty('emails');
    expect(trimmed).toMatchObject({ id: 'u1', name: { givenName: 'Ada' } });
    expect(trimmed.name).not.toHaveProperty('familyName');
    expect(user.name).toHaveProperty('familyName');
  });

  it('drops members from a group on excludedAttributes=members, as Entra asks', () => {
    const group = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g1', displayName: 'Sales', members: [{ value: 'u1' }] };
    expect(selectAttributes('Group', group, { excludedAttributes: 'members' })).toEqual({ schemas: group.schemas, id: 'g1', displayName: 'Sales' });
  });
});
