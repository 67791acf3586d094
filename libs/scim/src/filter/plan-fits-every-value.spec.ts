import { describe, expect, it } from 'vitest';
import { DIRECTORY_GROUP_FILTER_MAPPING, DIRECTORY_USER_FILTER_MAPPING } from './directory-filter-mapping.js';
import { parseFilter } from './filter-parser.js';
import { planFitsEveryValue } from './plan-fits-every-value.js';

const users = (filter: string) => planFitsEveryValue(parseFilter(filter), DIRECTORY_USER_FILTER_MAPPING);
const groups = (filter: string) => planFitsEveryValue(parseFilter(filter), DIRECTORY_GROUP_FILTER_MAPPING);
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('planFitsEveryValue', () => {
  it.each([
    'userName eq "bjensen@example.com"',
    'externalId eq "00u1"',
    'emails[type eq "work"].value eq "bjensen@example.com"',
    'emails[type eq "work" and primary eq true and value eq "bjensen@example.com"]',
    'emails.value eq "bjensen@example.com"',
    'EMAILS eq "bjensen@example.com"',
    'displayName eq "Babs Jensen"',
    'name.givenName eq "Barbara" and name.familyName eq "Jensen"',
    'active eq true and userName eq "bjensen@example.com"',
    'id eq "2819c223-7f76-453a-919d-413861904646"',
    'urn:ietf:params:scim:schemas:core:2.0:User:preferredLanguage eq "en-IE"',
  ])('holds for the indexed lookup %s', (filter) => {
    expect(users(filter)).toBe(true);
  });

  it.each([
    ['an equality on an unindexed attribute only', 'title eq "Tour Guide"'],
    ['an unindexed equality with a flag', `active eq true and ${ENTERPRISE}:department eq "Sales"`],
    ['a value filter on an unindexed sub-attribute', 'emails[type eq "work"]'],
    ['an indexed equality or another', 'userName eq "a@example.com" or externalId eq "00u1"'],
    ['a negation', 'not (userName eq "a@example.com")'],
    ['an equality with null', 'userName eq "a@example.com" and displayName eq null'],
    ['a substring match beside an indexed equality', 'userName eq "a@example.com" and displayName co "Jen"'],
    ['a prefix match', 'userName sw "bjensen"'],
    ['a presence test', 'externalId pr'],
    ['a range', 'meta.lastModified gt "2011-05-13T04:42:34Z"'],
    ['ne', 'externalId ne "00u1"'],
  ])('does not hold for %s', (_, filter) => {
    expect(users(filter)).toBe(false);
  });

  it('holds for group lookups by name, externalId and member, the ones Entra ID and Okta send', () => {
    expect(groups('displayName eq "Sales (EMEA)"')).toBe(true);
    expect(groups('externalId eq "00g1"')).toBe(true);
    expect(groups('id eq "2819c223-7f76-453a-919d-413861904646" and members[value eq "3819c223-7f76-453a-919d-413861904646"]')).toBe(true);
    expect(groups('displayName co "Sales"')).toBe(false);
  });
});
