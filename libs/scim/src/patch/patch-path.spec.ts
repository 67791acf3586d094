import { describe, expect, it } from 'vitest';

import { parsePatchPath } from './patch-path.js';

describe('parsePatchPath', () => {
  it('parses attribute paths, sub-attributes and URN-qualified paths', () => {
    expect(parsePatchPath('name.givenName')).toEqual({ attributePath: 'name.givenName' });
    expect(parsePatchPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager')).toEqual({
      attributePath: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
    });
  });

  it('parses value filters with and without a trailing sub-attribute', () => {
    expect(parsePatchPath('members[value eq "2819c223"]')).toEqual({
      attributePath: 'members',
      valueFilter: { kind: 'comparison', attributePath: 'value', operator: 'eq', value: '2819c223' },
    });
    expect(parsePatchPath('emails[type eq "work"].value')).toEqual({
      attributePath: 'emails',
      valueFilter: { kind: 'comparison', attributePath: 'type', operator: 'eq', value: 'work' },
      subAttribute: 'value',
    });
  });

  it.each<[string, string]>([
    ['emails[type eq "work"', 'Invalid path: expected "]" to close the "[" at position 6, found the end of the expression at position 21.'],
    ['emails[type eq "work"] value', 'Invalid path: unexpected "value" at position 23; expected "and", "or" or the end.'],
    ['name givenName', 'Invalid path: unexpected "givenName" at position 5; expected "and", "or" or the end.'],
    ['[type eq "work"]', 'Invalid path: expected an attribute path at position 0, found "[".'],
    ['emails[type xx "work"]', 'Invalid path: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after "type" at position 12, found "xx".'],
  ])('rejects %j with 400 invalidPath', (path, detail) => {
    expect(() => parsePatchPath(path)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidPath', detail }));
  });
});
