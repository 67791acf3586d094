import { describe, expect, it } from 'vitest';

import type { AttributeDefinition } from '../schema/attribute-definition.js';
import { GROUP_SCHEMA } from '../schema/group-schema.js';
import { USER_SCHEMA } from '../schema/user-schema.js';
import { parseFilter } from './filter-parser.js';
import { compileValuePredicate } from './value-filter-predicate.js';

const attribute = (name: string, schema = USER_SCHEMA): AttributeDefinition => {
  const found = schema.attributes.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};
const emails = attribute('emails');
const members = attribute('members', GROUP_SCHEMA);

const work = { value: 'Babs@Example.com', type: 'work', primary: true };
const home = { value: 'babs@home.example', type: 'home' };

function matches(filter: string, item: unknown, on = emails): boolean {
  return compileValuePredicate(parseFilter(filter), on)(item);
}

describe('compileValuePredicate', () => {
  it('compares case-insensitive sub-attributes ignoring case', () => {
    expect(matches('type eq "WORK"', work)).toBe(true);
    expect(matches('value eq "babs@example.com"', work)).toBe(true);
    expect(matches('Value co "EXAMPLE"', home)).toBe(true);
    expect(matches('value sw "babs@h"', home)).toBe(true);
    expect(matches('value ew ".com"', home)).toBe(false);
  });

  it('compares caseExact sub-attributes exactly', () => {
    expect(matches('value eq "ABC"', { value: 'ABC' }, members)).toBe(true);
    expect(matches('value eq "abc"', { value: 'ABC' }, members)).toBe(false);
  });

  it('evaluates and, or, not and pr', () => {
    expect(matches('type eq "work" and primary eq true', work)).toBe(true);
    expect(matches('type eq "work" and primary eq true', home)).toBe(false);
    expect(matches('type eq "other" or primary eq "True"', work)).toBe(true);
    expect(matches('not (primary pr)', home)).toBe(true);
    expect(matches('display pr', work)).toBe(false);
  });

  it('treats absent values as matching ne and eq null only', () => {
    expect(matches('primary ne true', home)).toBe(true);
    expect(matches('primary eq null', home)).toBe(true);
    expect(matches('primary eq false', home)).toBe(false);
    expect(matches('type ne null', home)).toBe(true);
  });

  it('orders strings', () => {
    expect(matches('value gt "a"', home)).toBe(true);
    expect(matches('value lt "a"', home)).toBe(false);
    expect(matches('value ge "BABS@HOME.EXAMPLE"', home)).toBe(true);
    expect(matches('value le "babs@home.example"', home)).toBe(true);
  });

  it('rejects unknown sub-attributes and type mismatches when compiled, even with no values to test', () => {
    expect(() => compileValuePredicate(parseFilter('nosuch eq "x"'), emails)).toThrow(
      expect.objectContaining({
        scimType: 'invalidFilter',
        detail: '"nosuch" is not a sub-attribute of emails; use one of value, display, type, primary.',
      }),
    );
    expect(() => compileValuePredicate(parseFilter('primary gt true'), emails)).toThrow(
      expect.objectContaining({ scimType: 'invalidFilter', detail: 'emails.primary is a boolean, which has no order; use eq or ne instead of "gt".' }),
    );
  });
});
