import { describe, expect, it } from 'vitest';
import { listResponse, listResponseJson } from './scim-media.js';
import { renderStoredUserJson, renderUser } from './user-resource.js';

const BASE = 'https://roster.example.com/scim/v2';
const stored = (attributesJson: string) => ({
  id: '1d7f2a8e-3c4b-4a5d-9e6f-7a8b9c0d1e2f',
  attributesJson,
  version: 7,
  created: '2026-11-23T04:00:00.000Z',
  lastModified: '2026-11-23T05:30:00.123Z',
});

describe('a stored user answered without parsing its attributes', () => {
  it('is the resource renderUser builds, byte for byte, for attributes as the projection writes them', () => {
    const attributes = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: "o'brien+test@example.com",
      name: { givenName: 'Siobhán', familyName: "O'Brien" },
      emails: [{ value: "o'brien+test@example.com", type: 'work', primary: true }],
      title: 'Says "hi" \\ }',
    };
    const user = stored(JSON.stringify(attributes));
    expect(renderStoredUserJson(BASE, user)).toBe(JSON.stringify(renderUser(BASE, { ...user, attributes })));
  });

  it('splices into jsonb-formatted text (spaces, reordered keys), a trailing newline and an empty object', () => {
    for (const text of ['{"active": false, "userName": "a@example.com"}', '{"userName":"a@example.com"}\n', '{}', '{ }']) {
      const rendered = JSON.parse(renderStoredUserJson(BASE, stored(text)));
      expect(rendered).toEqual(renderUser(BASE, { ...stored(text), attributes: JSON.parse(text) }));
    }
  });

  it('escapes a base URL that JSON must escape', () => {
    const rendered = JSON.parse(renderStoredUserJson('https://h/"odd"\\path', stored('{"userName":"a@example.com"}')));
    expect(rendered.meta.location).toBe('https://h/"odd"\\path/Users/1d7f2a8e-3c4b-4a5d-9e6f-7a8b9c0d1e2f');
    expect(rendered.meta.version).toBe('W/"7"');
  });

  it('lists serialised resources exactly as listResponse serialises them', () => {
    const resources = [{ a: 1 }, { b: 'two' }];
    expect(listResponseJson(2_500, 201, resources.map((r) => JSON.stringify(r)))).toBe(JSON.stringify(listResponse(2_500, 201, resources)));
    expect(listResponseJson(0, 1, [])).toBe(JSON.stringify(listResponse(0, 1, [])));
  });
});
