import { describe, expect, it } from 'vitest';

import { ScimError } from '../errors/scim-error.js';
import { DIRECTORY_GROUP_FILTER_MAPPING, DIRECTORY_USER_FILTER_MAPPING } from './directory-filter-mapping.js';
import type { FilterMapping } from './filter-mapping.js';
import { parseFilter } from './filter-parser.js';
import { compileFilter, type CompiledFilter } from './filter-to-sql.js';

const EMAILS_EXISTS = 'EXISTS (SELECT 1 FROM directory.user_emails e WHERE (e.tailnet_id = u.tailnet_id AND e.user_id = u.id)';
const MEMBERS_EXISTS = 'EXISTS (SELECT 1 FROM directory.group_members m WHERE (m.tailnet_id = g.tailnet_id AND m.group_id = g.id)';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const USER_ID = '2819c223-7f76-453a-919d-413861904646';

function users(filter: string, firstParamIndex?: number): CompiledFilter {
  return compileFilter(parseFilter(filter), DIRECTORY_USER_FILTER_MAPPING, firstParamIndex);
}

function groups(filter: string): CompiledFilter {
  return compileFilter(parseFilter(filter), DIRECTORY_GROUP_FILTER_MAPPING);
}

function compileError(filter: string, mapping: FilterMapping = DIRECTORY_USER_FILTER_MAPPING): ScimError {
  try {
    compileFilter(parseFilter(filter), mapping);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error(`expected ${filter} to be rejected`);
}

describe('compileFilter', () => {
  describe('string attributes', () => {
    it('compares case-insensitive attributes through lower() so a lower(column) index serves them', () => {
      expect(users('userName eq "BJensen@example.com"')).toEqual({
        sql: 'lower(u.user_name) = lower($1)',
        params: ['BJensen@example.com'],
      });
    });

    it('compares caseExact attributes as they are', () => {
      expect(users('externalId eq "jyoung"')).toEqual({ sql: 'u.external_id = $1', params: ['jyoung'] });
    });

    it('resolves attribute names in any case and the URN-qualified core form', () => {
      expect(users('USERNAME eq "x"').sql).toBe('lower(u.user_name) = lower($1)');
      expect(users('name.GivenName eq "x"').sql).toBe('lower(u.given_name) = lower($1)');
      expect(users('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"')).toEqual({
        sql: "lower(u.user_name) LIKE lower($1) ESCAPE '\\'",
        params: ['J%'],
      });
    });

    it('numbers placeholders from firstParamIndex', () => {
      expect(users('userName eq "a" or title eq "b"', 4)).toEqual({
        sql: '(lower(u.user_name) = lower($4) OR lower(u.title) = lower($5))',
        params: ['a', 'b'],
      });
    });

    it('compiles co, sw and ew to LIKE patterns', () => {
      expect(users('name.familyName co "O\'Malley"')).toEqual({
        sql: "lower(u.family_name) LIKE lower($1) ESCAPE '\\'",
        params: ["%O'Malley%"],
      });
      expect(users('userName sw "J"').params).toEqual(['J%']);
      expect(users('userName ew "@example.com"').params).toEqual(['%@example.com']);
    });

    it('escapes LIKE wildcards so values match literally', () => {
      expect(users('userName sw "john_smith"').params).toEqual(['john\\_smith%']);
      expect(users('userName co "100%"').params).toEqual(['%100\\%%']);
      expect(users('userName ew "back\\\\slash"').params).toEqual(['%back\\\\slash']);
      expect(users('userName sw "john.smith@x"').params).toEqual(['john.smith@x%']);
    });

    it('compares caseExact attributes with LIKE without lower()', () => {
      expect(users('externalId sw "00u"')).toEqual({ sql: "u.external_id LIKE $1 ESCAPE '\\'", params: ['00u%'] });
    });

    it('orders strings with gt, ge, lt and le', () => {
      expect(users('title gt "m"').sql).toBe('lower(u.title) > lower($1)');
      expect(users('title ge "m"').sql).toBe('lower(u.title) >= lower($1)');
      expect(users('title lt "m"').sql).toBe('lower(u.title) < lower($1)');
      expect(users('title le "m"').sql).toBe('lower(u.title) <= lower($1)');
    });

    it('makes ne true for users without the attribute', () => {
      expect(users('title ne "Manager"')).toEqual({ sql: 'lower(u.title) IS DISTINCT FROM lower($1)', params: ['Manager'] });
    });

    it('compiles pr and comparisons with null', () => {
      expect(users('title pr')).toEqual({ sql: 'u.title IS NOT NULL', params: [] });
      expect(users('title eq null')).toEqual({ sql: 'u.title IS NULL', params: [] });
      expect(users('title ne null')).toEqual({ sql: 'u.title IS NOT NULL', params: [] });
    });

    it('compares unquoted (Microsoft) values as strings', () => {
      expect(users('externalId eq jyoung')).toEqual({ sql: 'u.external_id = $1', params: ['jyoung'] });
      expect(users(`${ENTERPRISE}:employeeNumber eq 701984`)).toEqual({
        sql: 'lower(u.employee_number) = lower($1)',
        params: ['701984'],
      });
    });
  });

  describe('the attributes Entra ID filters on', () => {
    it.each<[string, string]>([
      ['userName eq "x"', 'lower(u.user_name) = lower($1)'],
      ['active eq true', 'u.active = $1'],
      ['displayName eq "x"', 'lower(u.display_name) = lower($1)'],
      ['preferredLanguage eq "x"', 'lower(u.preferred_language) = lower($1)'],
      ['name.givenName eq "x"', 'lower(u.given_name) = lower($1)'],
      ['name.familyName eq "x"', 'lower(u.family_name) = lower($1)'],
      ['name.formatted eq "x"', 'lower(u.formatted_name) = lower($1)'],
      ['externalId eq "x"', 'u.external_id = $1'],
      ['nickName eq "x"', 'lower(u.nick_name) = lower($1)'],
      ['title eq "x"', 'lower(u.title) = lower($1)'],
      ['userType eq "x"', 'lower(u.user_type) = lower($1)'],
      ['locale eq "x"', 'lower(u.locale) = lower($1)'],
      ['timezone eq "x"', 'lower(u.timezone) = lower($1)'],
      ['name.middleName eq "x"', 'lower(u.middle_name) = lower($1)'],
      [`${ENTERPRISE}:employeeNumber eq "x"`, 'lower(u.employee_number) = lower($1)'],
      [`${ENTERPRISE}:department eq "x"`, 'lower(u.department) = lower($1)'],
      [`${ENTERPRISE}:organization eq "x"`, 'lower(u.organization) = lower($1)'],
      [`${ENTERPRISE}:division eq "x"`, 'lower(u.division) = lower($1)'],
      [`${ENTERPRISE}:costCenter eq "x"`, 'lower(u.cost_center) = lower($1)'],
      [`${ENTERPRISE}:manager eq "x"`, 'u.manager_id = $1'],
      [`${ENTERPRISE}:manager.value eq "x"`, 'u.manager_id = $1'],
      ['manager eq "x"', 'u.manager_id = $1'],
      ['employeeNumber eq "x"', 'lower(u.employee_number) = lower($1)'],
    ])('%s', (filter, sql) => {
      expect(users(filter).sql).toBe(sql);
    });

    it('compiles the work-email match to one correlated email row', () => {
      expect(users('emails[type eq "work"].value eq "jyoung@Contoso.com"')).toEqual({
        sql: `${EMAILS_EXISTS} AND (lower(e.type) = lower($1) AND lower(e.value) = lower($2)))`,
        params: ['work', 'jyoung@Contoso.com'],
      });
    });

    it('compiles the manager check Entra runs before updating a manager', () => {
      expect(users(`id eq "${USER_ID}" and manager eq "mgr-1"`)).toEqual({
        sql: '(u.id = $1::uuid AND u.manager_id = $2)',
        params: [USER_ID, 'mgr-1'],
      });
    });
  });

  describe('emails, stored one row per value', () => {
    it('reads "emails" and "emails.value" as "some email\'s value"', () => {
      const expected = { sql: `${EMAILS_EXISTS} AND lower(e.value) = lower($1))`, params: ['x@example.com'] };
      expect(users('emails eq "x@example.com"')).toEqual(expected);
      expect(users('emails.value eq "x@example.com"')).toEqual(expected);
      expect(users('EMAILS.VALUE eq "x@example.com"')).toEqual(expected);
    });

    it('compiles the sub-attributes type and primary', () => {
      expect(users('emails.type eq "work"').sql).toBe(`${EMAILS_EXISTS} AND lower(e.type) = lower($1))`);
      expect(users('emails[type eq "work" and primary eq true]')).toEqual({
        sql: `${EMAILS_EXISTS} AND (lower(e.type) = lower($1) AND e."primary" = $2))`,
        params: ['work', true],
      });
    });

    it('compiles pr on the attribute as "has an email" and on a sub-attribute as "has one with it"', () => {
      expect(users('emails pr').sql).toBe(`${EMAILS_EXISTS})`);
      expect(users('emails.display pr').sql).toBe(`${EMAILS_EXISTS} AND e.display IS NOT NULL)`);
    });

    it('compiles the RFC example mixing emails forms', () => {
      expect(users('userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")')).toEqual({
        sql:
          `(lower(u.user_type) = lower($1) AND (${EMAILS_EXISTS} AND lower(e.value) LIKE lower($2) ESCAPE '\\') OR ` +
          `${EMAILS_EXISTS} AND lower(e.value) LIKE lower($3) ESCAPE '\\')))`,
        params: ['Employee', '%example.com%', '%example.org%'],
      });
    });
  });

  describe('booleans', () => {
    it('accepts true/false and Entra\'s "True"/"False" strings', () => {
      expect(users('active eq false')).toEqual({ sql: 'u.active = $1', params: [false] });
      expect(users('active eq "True"')).toEqual({ sql: 'u.active = $1', params: [true] });
      expect(users('active ne "false"')).toEqual({ sql: 'u.active IS DISTINCT FROM $1', params: [false] });
    });

    it('rejects ordering and text operators on booleans', () => {
      expect(compileError('active gt true')).toMatchObject({
        scimType: 'invalidFilter',
        detail: 'active is a boolean, which has no order; use eq or ne instead of "gt".',
      });
      expect(compileError('active co "t"').detail).toBe('"co" compares strings, but active is a boolean.');
      expect(compileError('active eq "yes"').detail).toBe('active is a boolean; compare it with true or false, not "yes".');
    });
  });

  describe('dateTimes', () => {
    it('casts validated ISO 8601 values to timestamptz', () => {
      expect(users('meta.lastModified gt "2011-05-13T04:42:34Z"')).toEqual({
        sql: 'u.last_modified > $1::timestamptz',
        params: ['2011-05-13T04:42:34Z'],
      });
      expect(users('meta.created le "2015-10-10T14:38:21.8617979-07:00"')).toEqual({
        sql: 'u.created_at <= $1::timestamptz',
        params: ['2015-10-10T14:38:21.8617979-07:00'],
      });
      expect(groups('meta.Created ge 2024-02-29').sql).toBe('g.created_at >= $1::timestamptz');
    });

    it('rejects values that are not dates', () => {
      expect(compileError('meta.created gt "yesterday"')).toMatchObject({
        scimType: 'invalidFilter',
        detail:
          'meta.created is a dateTime; compare it with an ISO 8601 timestamp such as "2024-05-13T04:42:34Z", not "yesterday".',
      });
      expect(compileError('meta.created gt "2023-02-29T00:00:00Z"').scimType).toBe('invalidFilter');
      expect(compileError('meta.created co "2023"').detail).toBe('"co" compares strings, but meta.created is a dateTime.');
    });
  });

  describe('uuid ids', () => {
    it('casts a UUID parameter', () => {
      expect(users(`id eq "${USER_ID}"`)).toEqual({ sql: 'u.id = $1::uuid', params: [USER_ID] });
      expect(users(`id ne "${USER_ID}"`)).toEqual({ sql: 'u.id IS DISTINCT FROM $1::uuid', params: [USER_ID] });
    });

    it('turns comparisons with a non-UUID into constants instead of a failing cast', () => {
      expect(users('id eq "not-a-uuid"')).toEqual({ sql: 'FALSE', params: [] });
      expect(users('id gt "zzz"')).toEqual({ sql: 'FALSE', params: [] });
      expect(users('id ne "not-a-uuid"')).toEqual({ sql: 'TRUE', params: [] });
      expect(users('userName eq "a@b.co" and id eq "5171a35d82074e068ce2"')).toEqual({
        sql: '(lower(u.user_name) = lower($1) AND FALSE)',
        params: ['a@b.co'],
      });
    });

    it('matches ids as text with co, sw and ew', () => {
      expect(users('id sw "2819C223"')).toEqual({ sql: "u.id::text LIKE $1 ESCAPE '\\'", params: ['2819c223%'] });
    });
  });

  describe('groups', () => {
    it('filters by displayName, externalId and id', () => {
      expect(groups('displayName eq "Sales Team"')).toEqual({ sql: 'lower(g.display_name) = lower($1)', params: ['Sales Team'] });
      expect(groups('externalId eq "8aa1a0c0"')).toEqual({ sql: 'g.external_id = $1', params: ['8aa1a0c0'] });
      expect(groups(`id eq "${USER_ID}"`).sql).toBe('g.id = $1::uuid');
    });

    it('filters by member through the membership table', () => {
      expect(groups(`members eq "${USER_ID}"`)).toEqual({ sql: `${MEMBERS_EXISTS} AND m.user_id = $1::uuid)`, params: [USER_ID] });
      expect(groups(`members[value eq "${USER_ID}"]`).sql).toBe(`${MEMBERS_EXISTS} AND m.user_id = $1::uuid)`);
      expect(groups('members.value eq "not-a-uuid"')).toEqual({ sql: `${MEMBERS_EXISTS} AND FALSE)`, params: [] });
      expect(groups('members.display co "jensen"').params).toEqual(['%jensen%']);
    });
  });

  describe('not', () => {
    it('negates a two-valued result, so users without a title match not (title eq "x")', () => {
      expect(users('not (title eq "x")')).toEqual({ sql: 'NOT COALESCE(lower(u.title) = lower($1), FALSE)', params: ['x'] });
    });

    it('compiles the RFC example with not', () => {
      expect(users('userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")').sql).toBe(
        `(lower(u.user_type) IS DISTINCT FROM lower($1) AND NOT COALESCE((${EMAILS_EXISTS} AND lower(e.value) LIKE lower($2) ESCAPE '\\') OR ` +
          `${EMAILS_EXISTS} AND lower(e.value) LIKE lower($3) ESCAPE '\\')), FALSE))`,
      );
    });

    it('works inside value filters', () => {
      expect(users('emails[not (type eq "work")]').sql).toBe(`${EMAILS_EXISTS} AND NOT COALESCE(lower(e.type) = lower($1), FALSE))`);
    });
  });

  describe('rejects what cannot be compiled with 400 invalidFilter', () => {
    it.each<[string, string]>([
      ['nosuch eq "x"', '"nosuch" is not an attribute of User.'],
      ['nosuch[type eq "x"]', '"nosuch[…]" is not supported: value filters apply to multi-valued attributes such as emails or members.'],
      ['urn:example:custom:2.0:User:tag eq "x"', '"urn:example:custom:2.0:User:tag" is not an attribute of User.'],
      ['name.nosuch eq "x"', '"name.nosuch" is not an attribute of User.'],
      ['emails[nosuch eq "x"]', '"nosuch" is not a sub-attribute of emails.'],
      ['name[givenName eq "x"]', '"name[…]" is not supported: value filters apply to multi-valued attributes such as emails or members.'],
    ])('%s', (filter, detail) => {
      expect(compileError(filter)).toMatchObject({ status: 400, scimType: 'invalidFilter', detail });
    });

    it('names the filterable attributes when one is not mapped', () => {
      const error = compileError('schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"');
      expect(error.detail).toBe('"schemas" is not an attribute of User.');
      const unmapped = compileError('profileUrl pr');
      expect(unmapped.scimType).toBe('invalidFilter');
      expect(unmapped.detail).toMatch(/^profileUrl is not filterable or sortable in Roster; the supported attributes are id, externalId, userName, /);
      expect(compileError('emails.nosuch eq "x"').detail).toBe('"emails.nosuch" is not an attribute of User.');
      expect(compileError('members.type eq "User"', DIRECTORY_GROUP_FILTER_MAPPING).detail).toBe(
        'members.type is not filterable or sortable in Roster; use members.{value, display}.',
      );
    });

    it('rejects values of the wrong type', () => {
      expect(compileError('title eq true').detail).toBe('title is a string; "eq" needs a string such as "true" in quotes, not true.');
      expect(compileError('title gt null').detail).toBe('"title gt null" is not meaningful; null can only be compared with eq or ne.');
    });
  });

  it('never puts values into the SQL text', () => {
    const hostile = `x'); DROP TABLE directory.users; --`;
    const compiled = users(`userName eq ${JSON.stringify(hostile)} or emails[value co ${JSON.stringify(hostile)}]`);
    expect(compiled.sql).not.toContain('DROP');
    expect(compiled.params).toEqual([hostile, `%${hostile}%`]);
  });
});
