import { describe, expect, it } from 'vitest';

import { parseFilter } from '../filter/filter-parser.js';
import { compileValuePredicate } from '../filter/value-filter-predicate.js';
import type { AttributeDefinition } from '../schema/attribute-definition.js';
import { GROUP_SCHEMA } from '../schema/group-schema.js';
import { USER_SCHEMA } from '../schema/user-schema.js';
import { MultiValuedItems } from './multi-valued-items.js';

const attribute = (name: string, schema = USER_SCHEMA): AttributeDefinition => {
  const found = schema.attributes.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

function selection(filter: string, on: AttributeDefinition) {
  const parsed = parseFilter(filter);
  return { filter: parsed, matches: compileValuePredicate(parsed, on) };
}

describe('MultiValuedItems', () => {
  const emails = attribute('emails');
  const members = attribute('members', GROUP_SCHEMA);

  it('finds values by `value eq` ignoring case when the sub-attribute is not caseExact', () => {
    const items = new MultiValuedItems(emails, [{ value: 'Babs@Example.com', type: 'work' }, { value: 'babs@home.example' }]);
    expect(items.select(selection('value eq "BABS@EXAMPLE.COM"', emails)).map((key) => items.get(key))).toEqual([
      { value: 'Babs@Example.com', type: 'work' },
    ]);
  });

  it('finds member values exactly, as ids are caseExact', () => {
    const items = new MultiValuedItems(members, [{ value: 'ABC' }]);
    expect(items.select(selection('value eq "abc"', members))).toEqual([]);
    expect(items.select(selection('value eq "ABC"', members))).toHaveLength(1);
  });

  it('answers other filters by evaluating every value', () => {
    const items = new MultiValuedItems(emails, [{ value: 'a@x.com', type: 'work' }, { value: 'b@y.com', type: 'home' }]);
    expect(items.select(selection('type eq "home" or value ew "x.com"', emails))).toHaveLength(2);
  });

  it('does not add a value whose identity is present', () => {
    const items = new MultiValuedItems(emails, [{ value: 'a@x.com', type: 'work' }]);
    expect(items.add({ value: 'A@X.COM' })).toBeUndefined();
    expect(items.add({ value: 'b@x.com' })).toBeDefined();
    expect(items.toArray()).toEqual([{ value: 'a@x.com', type: 'work' }, { value: 'b@x.com' }]);
  });

  it('compares whole values for attributes without a `value` sub-attribute', () => {
    const addresses = attribute('addresses');
    const items = new MultiValuedItems(addresses, [{ type: 'work', locality: 'Hollywood' }]);
    expect(items.add({ locality: 'Hollywood', type: 'work' })).toBeUndefined();
    expect(items.add({ type: 'home', locality: 'Hollywood' })).toBeDefined();
    expect(items.size).toBe(2);
  });

  it('replaces a value in place and keeps the index in step', () => {
    const items = new MultiValuedItems(members, [{ value: 'u1' }, { value: 'u2' }, { value: 'u3' }]);
    const [key] = items.select(selection('value eq "u2"', members));
    items.replace(key as number, { value: 'u9' });
    expect(items.toArray()).toEqual([{ value: 'u1' }, { value: 'u9' }, { value: 'u3' }]);
    expect(items.select(selection('value eq "u2"', members))).toEqual([]);
    expect(items.select(selection('value eq "u9"', members))).toEqual([key]);
  });

  it('removes every value listed, including duplicates of one identity', () => {
    const items = new MultiValuedItems(emails, [{ value: 'a@x.com', type: 'work' }, { value: 'A@x.com', type: 'home' }, { value: 'b@x.com' }]);
    items.removeEach([{ value: 'a@X.com' }, { value: 'missing@x.com' }]);
    expect(items.toArray()).toEqual([{ value: 'b@x.com' }]);
  });

  it('demotes every other primary value', () => {
    const items = new MultiValuedItems(emails, [{ value: 'a@x.com', primary: true }, { value: 'b@x.com' }]);
    const key = items.add({ value: 'c@x.com', primary: true });
    items.demoteOtherPrimaries(key as number);
    expect(items.toArray()).toEqual([{ value: 'a@x.com', primary: false }, { value: 'b@x.com' }, { value: 'c@x.com', primary: true }]);
  });
});
