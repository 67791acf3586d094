import { describe, expect, it } from 'vitest';
import { issueToken, parseToken, secretMatches } from './api-token.js';

describe('API tokens', () => {
  it('issues distinct, parseable tokens whose secret matches only its own hash', () => {
    const a = issueToken('scim');
    const b = issueToken('scim');
    expect(a.token).not.toBe(b.token);
    const parsed = parseToken(a.token)!;
    expect(parsed).toMatchObject({ kind: 'scim', id: a.id });
    expect(secretMatches(parsed.secret, a.secretHash)).toBe(true);
    expect(secretMatches(parsed.secret, b.secretHash)).toBe(false);
  });

  it('is case-sensitive', () => {
    const issued = issueToken('scim');
    const parsed = parseToken(issued.token)!;
    const flipped = parsed.secret.replace(/[a-z]/, (c) => c.toUpperCase());
    expect(flipped).not.toBe(parsed.secret);
    expect(secretMatches(flipped, issued.secretHash)).toBe(false);
  });

  it('rejects malformed tokens', () => {
    expect(parseToken('')).toBeNull();
    expect(parseToken('Bearer x')).toBeNull();
    expect(parseToken(issueToken('admin').token + 'x')).toBeNull();
  });
});
