import { describe, expect, it } from 'vitest';
import { loginEmailOf } from './login-email.js';

describe('loginEmailOf', () => {
  it('is the lowercased userName when it is email-shaped', () => {
    expect(loginEmailOf('u1', 'Alice@Example.com', [{ value: 'other@example.com', primary: true }])).toBe('alice@example.com');
  });

  it('falls back to the primary email, then any email, then an unnameable address', () => {
    expect(loginEmailOf('u1', 'alice', [{ value: 'a2@example.com' }, { value: 'A@Example.com', primary: true }])).toBe('a@example.com');
    expect(loginEmailOf('u1', 'alice', [{ value: 'not an email' }, { value: 'a2@example.com' }])).toBe('a2@example.com');
    expect(loginEmailOf('u1', 'alice', [])).toBe('u1@unnamed.invalid');
  });
});
