import { describe, expect, it } from 'vitest';
import { selectAttributes, selectsEverything } from './attribute-selection.js';

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

  it('knows when a selection leaves the resource whole: nothing asked, unknown names, or only what is always returned', () => {
    for (const selection of [{}, { attributes: '' }, { attributes: 'nonsense' }, { excludedAttributes: 'id,meta,nonsense' }]) {
      expect(selectsEverything('User', selection)).toBe(true);
    }
    expect(selectsEverything('User', { attributes: 'userName' })).toBe(false);
    expect(selectsEverything('User', { excludedAttributes: 'emails' })).toBe(false);
    expect(selectsEverything('User', { excludedAttributes: `${ENTERPRISE}:department` })).toBe(false);
  });
});
