import { describe, expect, it } from 'vitest';
import { scimTokenOf } from './scim-token-of.js';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('scimTokenOf', () => {
  it('reads a bearer token, in any case of the scheme', () => {
    expect(scimTokenOf('Bearer rstr-scim-abc')).toBe('rstr-scim-abc');
    expect(scimTokenOf('bearer  rstr-scim-abc ')).toBe('rstr-scim-abc');
  });

  it('reads a bare token, as Okta sends a plain header value', () => {
    expect(scimTokenOf('rstr-scim-abc')).toBe('rstr-scim-abc');
  });

  it("reads HTTP Basic's password, whatever the user name, a colon in the password included", () => {
    expect(scimTokenOf(basic('okta:rstr-scim-abc'))).toBe('rstr-scim-abc');
    expect(scimTokenOf(basic(':rstr-scim-abc'))).toBe('rstr-scim-abc');
    expect(scimTokenOf(basic('okta:rstr:scim'))).toBe('rstr:scim');
  });

  it('reads nothing from a missing header, or Basic credentials without a password', () => {
    expect(scimTokenOf(undefined)).toBe('');
    expect(scimTokenOf('Bearer ')).toBe('');
    expect(scimTokenOf(basic('rstr-scim-abc'))).toBe('');
    expect(scimTokenOf('Basic %%%')).toBe('');
  });
});
