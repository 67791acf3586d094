import { describe, expect, it } from 'vitest';

import { parsePatchRequest } from './patch-request.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('parsePatchRequest', () => {
  it('reads operations with op, path and value in any case', () => {
    expect(
      parsePatchRequest({
        SCHEMAS: [PATCH_OP.toUpperCase()],
        operations: [
          { OP: 'Add', Path: 'nickName', Value: 'Babs' },
          { op: 'REPLACE', value: { active: false } },
          { op: 'remove', path: 'members[value eq "1"]' },
          { op: 'Remove', path: 'members', value: [{ value: '1' }] },
        ],
      }),
    ).toEqual([
      { op: 'add', path: 'nickName', hasValue: true, value: 'Babs' },
      { op: 'replace', hasValue: true, value: { active: false } },
      { op: 'remove', path: 'members[value eq "1"]', hasValue: false, value: undefined },
      { op: 'remove', path: 'members', hasValue: true, value: [{ value: '1' }] },
    ]);
  });

  it('keeps an explicit null value, which asks to clear', () => {
    expect(parsePatchRequest({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: null }] })).toEqual([
      { op: 'replace', path: 'title', hasValue: true, value: null },
    ]);
  });

  it.each<[string, unknown, string, string]>([
    ['a body that is not an object', 'x', 'invalidSyntax', 'A PATCH body must be a JSON object (a PatchOp message), but got "x".'],
    ['missing schemas', { Operations: [{ op: 'add', value: {} }] }, 'invalidSyntax', `A PATCH body must list "${PATCH_OP}" in "schemas", but got undefined.`],
    ['a different schema', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [] }, 'invalidSyntax', `A PATCH body must list "${PATCH_OP}" in "schemas", but got ["urn:ietf:params:scim:schemas:core:2.0:User"].`],
    ['missing Operations', { schemas: [PATCH_OP] }, 'invalidSyntax', 'A PATCH body needs a non-empty "Operations" array.'],
    ['empty Operations', { schemas: [PATCH_OP], Operations: [] }, 'invalidSyntax', 'A PATCH body needs a non-empty "Operations" array.'],
    ['Operations not an array', { schemas: [PATCH_OP], Operations: { op: 'add' } }, 'invalidSyntax', 'A PATCH body needs a non-empty "Operations" array.'],
    ['an operation that is not an object', { schemas: [PATCH_OP], Operations: ['add'] }, 'invalidSyntax', 'Operations[0] must be an object, but got "add".'],
    ['an unknown op', { schemas: [PATCH_OP], Operations: [{ op: 'merge', value: {} }] }, 'invalidSyntax', 'Operations[0].op must be "add", "replace" or "remove", but got "merge".'],
    ['a missing op', { schemas: [PATCH_OP], Operations: [{ path: 'title' }] }, 'invalidSyntax', 'Operations[0].op must be "add", "replace" or "remove", but got undefined.'],
    ['add without value', { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'title' }, { op: 'add', path: 'title' }] }, 'invalidSyntax', 'Operations[1] ("add") needs a "value" member.'],
    ['a path that is not a string', { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 5 }] }, 'invalidSyntax', 'Operations[0].path must be a string, but got 5.'],
    ['an empty path', { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: ' ' }] }, 'invalidPath', 'Operations[0].path is empty; omit it to target the whole resource.'],
  ])('rejects %s', (_case, body, scimType, detail) => {
    expect(() => parsePatchRequest(body)).toThrow(expect.objectContaining({ status: 400, scimType, detail }));
  });
});
