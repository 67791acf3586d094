import { describe, expect, it } from 'vitest';

import { ScimError } from '../errors/scim-error.js';
import type { ComparisonOperator, Filter, FilterValue } from './filter-ast.js';
import { parseFilter } from './filter-parser.js';

const compare = (attributePath: string, operator: ComparisonOperator, value: FilterValue): Filter => ({
  kind: 'comparison',
  attributePath,
  operator,
  value,
});
const present = (attributePath: string): Filter => ({ kind: 'present', attributePath });
const and = (left: Filter, right: Filter): Filter => ({ kind: 'logical', operator: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ kind: 'logical', operator: 'or', left, right });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const valuePath = (attributePath: string, filter: Filter): Filter => ({ kind: 'valuePath', attributePath, filter });

function parseError(text: string): ScimError {
  try {
    parseFilter(text);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('parseFilter', () => {
  describe('the examples of RFC 7644 §3.4.2.2', () => {
    it.each<[string, Filter]>([
      ['userName eq "bjensen"', compare('userName', 'eq', 'bjensen')],
      ['name.familyName co "O\'Malley"', compare('name.familyName', 'co', "O'Malley")],
      ['userName sw "J"', compare('userName', 'sw', 'J')],
      [
        'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
        compare('urn:ietf:params:scim:schemas:core:2.0:User:userName', 'sw', 'J'),
      ],
      ['title pr', present('title')],
      ['meta.lastModified gt "2011-05-13T04:42:34Z"', compare('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
      ['meta.lastModified ge "2011-05-13T04:42:34Z"', compare('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
      ['meta.lastModified lt "2011-05-13T04:42:34Z"', compare('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
      ['meta.lastModified le "2011-05-13T04:42:34Z"', compare('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
      ['title pr and userType eq "Employee"', and(present('title'), compare('userType', 'eq', 'Employee'))],
      ['title pr or userType eq "Intern"', or(present('title'), compare('userType', 'eq', 'Intern'))],
      [
        'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
        compare('schemas', 'eq', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'),
      ],
      [
        'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
        and(
          compare('userType', 'eq', 'Employee'),
          or(compare('emails', 'co', 'example.com'), compare('emails.value', 'co', 'example.org')),
        ),
      ],
      [
        'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
        and(
          compare('userType', 'ne', 'Employee'),
          not(or(compare('emails', 'co', 'example.com'), compare('emails.value', 'co', 'example.org'))),
        ),
      ],
      [
        'userType eq "Employee" and (emails.type eq "work")',
        and(compare('userType', 'eq', 'Employee'), compare('emails.type', 'eq', 'work')),
      ],
      [
        'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
        and(
          compare('userType', 'eq', 'Employee'),
          valuePath('emails', and(compare('type', 'eq', 'work'), compare('value', 'co', '@example.com'))),
        ),
      ],
      [
        'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
        or(
          valuePath('emails', and(compare('type', 'eq', 'work'), compare('value', 'co', '@example.com'))),
          valuePath('ims', and(compare('type', 'eq', 'xmpp'), compare('value', 'co', '@foo.com'))),
        ),
      ],
    ])('%s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  it('parses every comparison operator', () => {
    for (const operator of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const) {
      expect(parseFilter(`title ${operator} "x"`)).toEqual(compare('title', operator, 'x'));
    }
  });

  it('lets "and" bind tighter than "or" on either side', () => {
    expect(parseFilter('a eq 1 or b eq 2 and c eq 3')).toEqual(
      or(compare('a', 'eq', 1), and(compare('b', 'eq', 2), compare('c', 'eq', 3))),
    );
    expect(parseFilter('a eq 1 and b eq 2 or c eq 3')).toEqual(
      or(and(compare('a', 'eq', 1), compare('b', 'eq', 2)), compare('c', 'eq', 3)),
    );
  });

  it('groups chains of the same operator from the left', () => {
    expect(parseFilter('a pr and b pr and c pr')).toEqual(and(and(present('a'), present('b')), present('c')));
  });

  it('lets parentheses override precedence', () => {
    expect(parseFilter('(a eq 1 or b eq 2) and c eq 3')).toEqual(
      and(or(compare('a', 'eq', 1), compare('b', 'eq', 2)), compare('c', 'eq', 3)),
    );
  });

  it('reads keywords and operators in any case, keeping attribute names as written', () => {
    expect(parseFilter('USERNAME EQ "x" AND Title PR OR NOT (active Eq TRUE)')).toEqual(
      or(and(compare('USERNAME', 'eq', 'x'), present('Title')), not(compare('active', 'eq', true))),
    );
  });

  it('keeps a sub-attribute after a value filter on the same value', () => {
    expect(parseFilter('emails[type eq "work"].value eq "x@example.com"')).toEqual(
      valuePath('emails', and(compare('type', 'eq', 'work'), compare('value', 'eq', 'x@example.com'))),
    );
  });

  it('parses a value filter combining two conditions', () => {
    expect(parseFilter('emails[type eq "work" and primary eq true]')).toEqual(
      valuePath('emails', and(compare('type', 'eq', 'work'), compare('primary', 'eq', true))),
    );
  });

  it('parses URN-qualified extension attributes, also with a sub-attribute', () => {
    expect(parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m-1"')).toEqual(
      compare('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value', 'eq', 'm-1'),
    );
  });

  it('parses string, number, boolean and null literals', () => {
    expect(parseFilter('a eq "1"')).toEqual(compare('a', 'eq', '1'));
    expect(parseFilter('a eq 42')).toEqual(compare('a', 'eq', 42));
    expect(parseFilter('a eq -1.5e2')).toEqual(compare('a', 'eq', -150));
    expect(parseFilter('a eq false')).toEqual(compare('a', 'eq', false));
    expect(parseFilter('a eq null')).toEqual(compare('a', 'eq', null));
  });

  it('decodes JSON string escapes', () => {
    expect(parseFilter('title eq "say \\"hi\\" \\\\ \\u00e9\\n\\t\\/"')).toEqual(compare('title', 'eq', 'say "hi" \\ é\n\t/'));
  });

  it('accepts the unquoted values of Microsoft examples as strings', () => {
    expect(parseFilter('externalId eq jyoung')).toEqual(compare('externalId', 'eq', 'jyoung'));
    expect(parseFilter('userName sw O')).toEqual(compare('userName', 'sw', 'O'));
    expect(parseFilter('meta.Created gt 2015-10-10T14:38:21.8617979-07:00')).toEqual(
      compare('meta.Created', 'gt', '2015-10-10T14:38:21.8617979-07:00'),
    );
    expect(parseFilter('name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)')).toEqual(
      and(
        compare('name.FamilyName', 'eq', 'Employee'),
        or(compare('emails.Value', 'co', 'example.com'), compare('emails.Value', 'co', 'example.org')),
      ),
    );
    expect(parseFilter('employeeNumber eq 007')).toEqual(compare('employeeNumber', 'eq', '007'));
  });

  it('parses the queries Entra ID sends', () => {
    expect(parseFilter('id eq "5171a35d82074e068ce2" and manager eq "2819c223"')).toEqual(
      and(compare('id', 'eq', '5171a35d82074e068ce2'), compare('manager', 'eq', '2819c223')),
    );
  });

  it('keeps escaped text whole, a surrogate pair included', () => {
    expect(parseFilter('displayName eq "Zo\\u00eb \\ud83d\\ude00"')).toEqual(compare('displayName', 'eq', 'Zoë 😀'));
  });

  it('refuses filters nested or chained beyond any IdP\'s needs before they exhaust the stack', () => {
    expect(parseError(`${'('.repeat(33)}title pr${')'.repeat(33)}`).detail).toBe(
      'Invalid filter: parentheses are nested more than 32 deep at position 32.',
    );
    expect(parseFilter(`${'('.repeat(32)}title pr${')'.repeat(32)}`)).toEqual(present('title'));
    const chain = (count: number) => Array.from({ length: count }, () => 'title pr').join(' and ');
    expect(() => parseFilter(chain(100))).not.toThrow();
    expect(parseError(chain(101))).toMatchObject({
      scimType: 'invalidFilter',
      detail: 'Invalid filter: more than 100 comparisons; the one at position 1300 is one too many.',
    });
  });

  describe('rejects malformed filters with 400 invalidFilter naming the position', () => {
    it.each<[string, string]>([
      ['', 'Invalid filter: the expression is empty.'],
      ['userName eq', 'Invalid filter: expected a value after "eq" at position 11, found the end of the expression.'],
      ['userName eq "x" junk', 'Invalid filter: unexpected "junk" at position 16; expected "and", "or" or the end.'],
      [
        'userName is "x"',
        'Invalid filter: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after "userName" at position 9, found "is".',
      ],
      ['(title pr', 'Invalid filter: expected ")" to close the "(" at position 0, found the end of the expression at position 9.'],
      [
        'emails[type eq "work"',
        'Invalid filter: expected "]" to close the "[" at position 6, found the end of the expression at position 21.',
      ],
      ['title eq "open', 'Invalid filter: the string starting at position 9 is not closed with a double quote.'],
      [
        'title eq "bad \\q"',
        'Invalid filter: the string "bad \\q" at position 9 has an invalid escape sequence or control character; use JSON escapes such as \\" \\\\ \\n \\u00e9.',
      ],
      ['title eq "a\\u0000b"', 'Invalid filter: the string "a\\u0000b" at position 9 holds a NUL character (\\u0000).'],
      [
        'title eq "a\\ud800b"',
        'Invalid filter: the string "a\\ud800b" at position 9 holds half of a surrogate pair (\\ud800–\\udfff) alone.',
      ],
      ['title eq "\\udc00"', 'Invalid filter: the string "\\udc00" at position 9 holds half of a surrogate pair (\\ud800–\\udfff) alone.'],
      ['not title pr', 'Invalid filter: "not" at position 0 must be followed by a filter in parentheses.'],
      ['emails[value[x eq 1]]', 'Invalid filter: value filters cannot be nested: unexpected "[" at position 12.'],
      ['and title pr', 'Invalid filter: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after "and" at position 4, found "title".'],
      ['2024 eq 1', 'Invalid filter: expected an attribute path at position 0, found "2024".'],
      ['a eq 1.5e400', 'Invalid filter: the number 1.5e400 at position 5 is out of range.'],
      ['title pr or', 'Invalid filter: expected an attribute path, "(" or "not" at position 11, found the end of the expression.'],
      ['emails[type eq "work"].', 'Invalid filter: expected a sub-attribute name after "]." at position 23, found "".'],
    ])('%j', (text, detail) => {
      const error = parseError(text);
      expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter', detail });
    });
  });
});
