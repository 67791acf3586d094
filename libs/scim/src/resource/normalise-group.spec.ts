import { describe, expect, it } from 'vitest';

import { ScimError } from '../errors/scim-error.js';
import { normaliseGroup } from './normalise-group.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

function rejection(body: unknown): ScimError {
  try {
    normaliseGroup(body, { mode: 'create' });
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected the body to be rejected');
}

describe('normaliseGroup', () => {
  it('normalises Entra\'s POST /Groups with Microsoft\'s extra schema URN', () => {
    const body = {
      schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    };
    expect(normaliseGroup(body, { mode: 'create' })).toEqual({
      schemas: [GROUP],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
    });
  });

  it('normalises Okta\'s group push with an empty member list', () => {
    expect(normaliseGroup({ schemas: [GROUP], displayName: 'Test SCIMv2', members: [] }, { mode: 'create' })).toEqual({
      schemas: [GROUP],
      displayName: 'Test SCIMv2',
    });
  });

  it('stores members as {value, display?}, collapsing duplicates and dropping $ref and type', () => {
    const group = normaliseGroup(
      {
        displayName: 'Sales Team',
        members: [
          { value: 'u1', display: 'ann@example.com', $ref: 'https://idp/Users/u1', type: 'User' },
          { value: 'u2', $ref: null },
          { value: 'u1', display: 'dup' },
          { value: null },
        ],
      },
      { mode: 'create' },
    );
    expect(group).toEqual({
      schemas: [GROUP],
      displayName: 'Sales Team',
      members: [{ value: 'u1', display: 'ann@example.com' }, { value: 'u2' }],
    });
  });

  it('normalises an AIW PUT with the full member list', () => {
    expect(
      normaliseGroup({ schemas: [GROUP], id: 'g1', displayName: 'Ops', members: [{ value: 'u1', display: 'a@example.com' }] }, { mode: 'replace', id: 'g1' }),
    ).toEqual({ schemas: [GROUP], displayName: 'Ops', members: [{ value: 'u1', display: 'a@example.com' }] });
  });

  it('allows spaces in displayName', () => {
    expect(normaliseGroup({ displayName: 'All Staff Worldwide' }, { mode: 'create' }).displayName).toBe('All Staff Worldwide');
  });

  it('rejects a displayName with "@" because policies name groups group:<name>@<domain>', () => {
    expect(rejection({ displayName: 'sales@example.com' })).toMatchObject({
      status: 400,
      scimType: 'invalidValue',
      detail:
        'displayName "sales@example.com" contains "@". Synced group names may not contain "@" because the policy file ' +
        'refers to them as group:<name>@<domain>.',
    });
  });

  it('requires displayName', () => {
    expect(rejection({ displayName: '' })).toMatchObject({
      scimType: 'invalidValue',
      detail: 'displayName is required: it is the name the policy file uses for the group.',
    });
  });

  it('rejects nested groups', () => {
    expect(rejection({ displayName: 'x', members: [{ value: 'g2', type: 'Group' }] })).toMatchObject({
      scimType: 'invalidValue',
      detail: 'members value "g2" has type "Group"; Roster groups contain users only, nested groups are not supported.',
    });
  });
});
