import { describe, expect, it } from 'vitest';
import { ScimError } from '#roster/scim';
import { SingleValuedQueryPipe } from './single-valued-query.pipe.js';

const pipe = new SingleValuedQueryPipe();

describe('SingleValuedQueryPipe', () => {
  it('passes SCIM parameters given once, and parameters SCIM does not define, repeated or not', () => {
    const query = { filter: 'userName eq "a@example.com"', attributes: 'userName,active', aadOptscim062020: ['1', '2'] };
    expect(pipe.transform(query, { type: 'query' })).toBe(query);
  });

  it('refuses a SCIM parameter given twice with 400 invalidValue naming it', () => {
    const refused = () => pipe.transform({ sortOrder: ['ascending', 'descending'] }, { type: 'query' });
    expect(refused).toThrow(ScimError);
    expect(refused).toThrow('the query parameter sortOrder was given 2 times; give it once');
    try {
      refused();
    } catch (error) {
      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    }
  });

  it('checks a single named parameter, and leaves bodies and path parameters alone', () => {
    expect(() => pipe.transform(['a', 'b'], { type: 'query', data: 'filter' })).toThrow('the query parameter filter was given 2 times');
    expect(pipe.transform(undefined, { type: 'query', data: 'filter' })).toBeUndefined();
    const body = { members: [{ value: 'a' }, { value: 'b' }] };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });
});
