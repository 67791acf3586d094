import { describe, expect, it } from 'vitest';

import { isScimError, ScimError } from './scim-error.js';

describe('ScimError', () => {
  it('pairs each scimType with the status RFC 7644 §3.12 gives it', () => {
    expect(ScimError.invalidFilter('x')).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    expect(ScimError.of('uniqueness', 'taken')).toMatchObject({ status: 409, scimType: 'uniqueness', detail: 'taken' });
    expect(ScimError.mutability('x').status).toBe(400);
  });

  it('renders the SCIM error body with status as a string', () => {
    expect(ScimError.noTarget('nothing matched').toResponse()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'noTarget',
      detail: 'nothing matched',
    });
    expect(new ScimError(404, undefined, 'User 1 not found').toResponse()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: 'User 1 not found',
    });
  });

  it('is recognisable as an Error and as a ScimError', () => {
    const error = ScimError.invalidValue('bad');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('bad');
    expect(isScimError(error)).toBe(true);
    expect(isScimError(new Error('bad'))).toBe(false);
  });
});
