import { describe, expect, it } from 'vitest';

import { ScimError } from '../errors/scim-error.js';
import { DIRECTORY_GROUP_FILTER_MAPPING, DIRECTORY_USER_FILTER_MAPPING } from './directory-filter-mapping.js';
import { sortExpression } from './sort-by.js';

describe('sortExpression', () => {
  it('sorts case-insensitive strings by lower()', () => {
    expect(sortExpression('userName', DIRECTORY_USER_FILTER_MAPPING)).toBe('lower(u.user_name)');
    expect(sortExpression('NAME.familyname', DIRECTORY_USER_FILTER_MAPPING)).toBe('lower(u.family_name)');
    expect(sortExpression('displayName', DIRECTORY_GROUP_FILTER_MAPPING)).toBe('lower(g.display_name)');
  });

  it('sorts caseExact strings, dates and ids by the column', () => {
    expect(sortExpression('externalId', DIRECTORY_USER_FILTER_MAPPING)).toBe('u.external_id');
    expect(sortExpression('meta.lastModified', DIRECTORY_USER_FILTER_MAPPING)).toBe('u.last_modified');
    expect(sortExpression('id', DIRECTORY_GROUP_FILTER_MAPPING)).toBe('g.id');
  });

  it('sorts a multi-valued attribute by its primary value (RFC 7644 §3.4.2.3)', () => {
    expect(sortExpression('emails', DIRECTORY_USER_FILTER_MAPPING)).toBe(
      '(SELECT lower(e.value) FROM directory.user_emails e WHERE (e.tailnet_id = u.tailnet_id AND e.user_id = u.id) ' +
        'ORDER BY e."primary" DESC NULLS LAST, lower(e.value) LIMIT 1)',
    );
    const memberUserName = '(SELECT mu.user_name FROM directory.users mu WHERE mu.tailnet_id = m.tailnet_id AND mu.id = m.user_id)';
    expect(sortExpression('members.display', DIRECTORY_GROUP_FILTER_MAPPING)).toBe(
      `(SELECT lower(${memberUserName}) FROM directory.group_members m WHERE (m.tailnet_id = g.tailnet_id AND m.group_id = g.id) ` +
        `ORDER BY lower(${memberUserName}) LIMIT 1)`,
    );
  });

  it('rejects attributes that are unknown or not stored with 400 invalidValue', () => {
    expect(() => sortExpression('nosuch', DIRECTORY_USER_FILTER_MAPPING)).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidValue', detail: 'Cannot sort by "nosuch": "nosuch" is not an attribute of User.' }),
    );
    expect(() => sortExpression('password', DIRECTORY_USER_FILTER_MAPPING)).toThrow(ScimError);
    expect(() => sortExpression('members.type', DIRECTORY_GROUP_FILTER_MAPPING)).toThrow(
      expect.objectContaining({
        scimType: 'invalidValue',
        detail: 'Cannot sort by "members.type": members.type is not filterable or sortable in Roster; use members.{value, display}.',
      }),
    );
  });
});
