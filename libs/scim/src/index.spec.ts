import { describe, expect, it } from 'vitest';

import * as scim from './index.js';

describe('the public API of libs/scim', () => {
  it('exports the entry points the gateway and projectors use', () => {
    for (const name of [
      'ScimError',
      'isScimError',
      'renderSchemaResources',
      'resolveAttributePath',
      'normaliseUser',
      'normaliseGroup',
      'parseFilter',
      'compileFilter',
      'sortExpression',
      'applyPatch',
    ] as const) {
      expect(typeof scim[name]).toBe('function');
    }
    expect(scim.DIRECTORY_USER_FILTER_MAPPING.resourceType).toBe('User');
    expect(scim.DIRECTORY_GROUP_FILTER_MAPPING.resourceType).toBe('Group');
  });

  it('runs a request end to end: POST, filter, PATCH', () => {
    const user = scim.normaliseUser({ userName: 'ann@example.com', active: 'True' }, { mode: 'create' });
    const query = scim.compileFilter(scim.parseFilter('userName eq "ANN@example.com"'), scim.DIRECTORY_USER_FILTER_MAPPING);
    const patched = scim.applyPatch('User', { ...user, id: 'u-1' }, {
      schemas: [scim.PATCH_OP_SCHEMA_URN],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(user).toEqual({ schemas: [scim.USER_SCHEMA_URN], userName: 'ann@example.com', active: true });
    expect(query).toEqual({ sql: 'lower(u.user_name) = lower($1)', params: ['ANN@example.com'] });
    expect(patched).toEqual({ changed: true, resource: { schemas: [scim.USER_SCHEMA_URN], id: 'u-1', userName: 'ann@example.com', active: false } });
  });
});
