import { describe, expect, it } from 'vitest';

import type { ScimGroup, ScimUser } from '../resource/scim-resource.js';
import { applyPatch } from './apply-patch.js';

// The examples of RFC 7644 §3.5.2.1–3.5.2.3, applied to resources shaped like the RFC's bjensen and "Tour Guides".
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const BJENSEN = '2819c223-7f76-453a-919d-413861904646';
const JSMITH = '902c246b-6245-4190-8e05-00816be7344a';
const META = { resourceType: 'Group', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', version: 'W/"3694e05e9dff592"' };

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

const tourGuides: ScimGroup = {
  schemas: [GROUP_SCHEMA],
  id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
  meta: META,
  displayName: 'Tour Guides',
  members: [{ value: BJENSEN, display: 'Babs Jensen' }],
};

const bjensen: ScimUser = {
  schemas: [USER_SCHEMA],
  id: BJENSEN,
  meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z' },
  userName: 'bjensen@example.com',
  name: { familyName: 'Jensen', givenName: 'Barbara' },
  emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
  addresses: [
    {
      type: 'work',
      streetAddress: '100 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'USA',
      primary: true,
    },
  ],
};

describe('applyPatch: RFC 7644 §3.5.2 examples', () => {
  describe('add (§3.5.2.1)', () => {
    it('adds a member, dropping the $ref the server derives', () => {
      const result = applyPatch(
        'Group',
        tourGuides,
        patch({
          op: 'add',
          path: 'members',
          value: [{ display: 'James Smith', $ref: `https://example.com/v2/Users/${JSMITH}`, value: JSMITH }],
        }),
      );
      expect(result).toEqual({
        changed: true,
        resource: { ...tourGuides, members: [{ value: BJENSEN, display: 'Babs Jensen' }, { value: JSMITH, display: 'James Smith' }] },
      });
    });

    it('adds attributes without a path, matching names in any case', () => {
      const result = applyPatch(
        'User',
        bjensen,
        patch({ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }),
      );
      expect(result.resource.emails).toEqual([
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ]);
      expect(result.resource.nickName).toBe('Babs');
      expect(result.changed).toBe(true);
    });

    it('changes nothing when the value is already present', () => {
      expect(applyPatch('Group', tourGuides, patch({ op: 'add', path: 'members', value: [{ value: BJENSEN }] }))).toEqual({
        changed: false,
        resource: tourGuides,
      });
    });

    it('makes a newly added primary value the only primary one', () => {
      const result = applyPatch(
        'User',
        bjensen,
        patch({ op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home', primary: true }] }),
      );
      expect(result.resource.emails).toEqual([
        { value: 'bjensen@example.com', type: 'work', primary: false },
        { value: 'babs@jensen.org', type: 'home', primary: true },
      ]);
    });

    it('keeps the last of several values sent as primary in one add', () => {
      const result = applyPatch(
        'User',
        bjensen,
        patch({ op: 'add', path: 'phoneNumbers', value: [{ value: '555-0100', primary: true }, { value: '555-0199', primary: true }] }),
      );
      expect(result.resource.phoneNumbers).toEqual([
        { value: '555-0100', primary: false },
        { value: '555-0199', primary: true },
      ]);
    });

    it('makes a value set primary through a filter the only primary one', () => {
      const withHome = { ...bjensen, emails: [...(bjensen.emails ?? []), { value: 'babs@jensen.org', type: 'home' }] };
      const result = applyPatch('User', withHome, patch({ op: 'replace', path: 'emails[type eq "home"].primary', value: true }));
      expect(result.resource.emails).toEqual([
        { value: 'bjensen@example.com', type: 'work', primary: false },
        { value: 'babs@jensen.org', type: 'home', primary: true },
      ]);
    });
  });

  describe('remove (§3.5.2.2)', () => {
    it('removes one member by filter', () => {
      const result = applyPatch('Group', tourGuides, patch({ op: 'remove', path: `members[value eq "${BJENSEN}"]` }));
      expect(result).toEqual({ changed: true, resource: { schemas: [GROUP_SCHEMA], id: tourGuides.id, meta: META, displayName: 'Tour Guides' } });
    });

    it('removes all members', () => {
      expect(applyPatch('Group', tourGuides, patch({ op: 'remove', path: 'members' })).resource.members).toBeUndefined();
    });

    it('removes the values a complex filter selects', () => {
      const result = applyPatch('User', bjensen, patch({ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' }));
      expect(result.resource.emails).toBeUndefined();
      expect(result.changed).toBe(true);
    });

    it('replaces all members with a remove and an add in one request', () => {
      const result = applyPatch(
        'Group',
        tourGuides,
        patch(
          { op: 'remove', path: 'members' },
          {
            op: 'add',
            path: 'members',
            value: [
              { display: 'James Smith', $ref: `https://example.com/v2/Users/${JSMITH}`, value: JSMITH },
              { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BJENSEN}`, value: BJENSEN },
            ],
          },
        ),
      );
      expect(result.resource.members).toEqual([
        { value: JSMITH, display: 'James Smith' },
        { value: BJENSEN, display: 'Babs Jensen' },
      ]);
      expect(result.changed).toBe(true);
    });

    it('removes a sub-attribute of the selected values', () => {
      const result = applyPatch('User', bjensen, patch({ op: 'remove', path: 'addresses[type eq "work"].postalCode' }));
      expect(result.resource.addresses).toEqual([
        { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', country: 'USA', primary: true },
      ]);
    });

    it('treats a filter that matches nothing as no change, so retried removals succeed', () => {
      expect(applyPatch('Group', tourGuides, patch({ op: 'remove', path: `members[value eq "${JSMITH}"]` }))).toEqual({
        changed: false,
        resource: tourGuides,
      });
    });

    it('removes a single-valued attribute and a sub-attribute', () => {
      const result = applyPatch('User', bjensen, patch({ op: 'remove', path: 'name.givenName' }, { op: 'remove', path: 'addresses' }));
      expect(result.resource.name).toEqual({ familyName: 'Jensen' });
      expect(result.resource.addresses).toBeUndefined();
    });
  });

  describe('replace (§3.5.2.3)', () => {
    it('replaces all members', () => {
      const result = applyPatch(
        'Group',
        tourGuides,
        patch({
          op: 'replace',
          path: 'members',
          value: [
            { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BJENSEN}`, value: BJENSEN },
            { display: 'James Smith', $ref: `https://example.com/v2/Users/${JSMITH}`, value: JSMITH },
          ],
        }),
      );
      expect(result.resource.members).toEqual([
        { value: BJENSEN, display: 'Babs Jensen' },
        { value: JSMITH, display: 'James Smith' },
      ]);
    });

    it('replaces the work address selected by a filter', () => {
      const result = applyPatch(
        'User',
        bjensen,
        patch({
          op: 'replace',
          path: 'addresses[type eq "work"]',
          value: {
            type: 'work',
            streetAddress: '911 Universal City Plaza',
            locality: 'Hollywood',
            region: 'CA',
            postalCode: '91608',
            country: 'US',
            formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
            primary: true,
          },
        }),
      );
      expect(result.resource.addresses).toEqual([
        {
          type: 'work',
          streetAddress: '911 Universal City Plaza',
          locality: 'Hollywood',
          region: 'CA',
          postalCode: '91608',
          country: 'US',
          primary: true,
          formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
        },
      ]);
    });

    it('replaces a sub-attribute of the selected values', () => {
      const result = applyPatch('User', bjensen, patch({ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' }));
      expect(result.resource.addresses?.[0]?.streetAddress).toBe('1010 Broadway Ave');
      expect(result.resource.addresses?.[0]?.locality).toBe('Hollywood');
    });

    it('replaces attributes without a path', () => {
      const result = applyPatch(
        'User',
        bjensen,
        patch({
          op: 'replace',
          value: {
            emails: [
              { value: 'bjensen@example.com', type: 'work', primary: true },
              { value: 'babs@jensen.org', type: 'home' },
            ],
            nickname: 'Babs',
          },
        }),
      );
      expect(result.resource.emails).toEqual([
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ]);
      expect(result.resource.nickName).toBe('Babs');
    });

    it('merges the sent sub-attributes of a complex attribute, leaving the others', () => {
      const result = applyPatch('User', bjensen, patch({ op: 'replace', path: 'name', value: { givenName: 'Babs', middleName: 'J' } }));
      expect(result.resource.name).toEqual({ familyName: 'Jensen', givenName: 'Babs', middleName: 'J' });
    });

    it('treats replacing an attribute without a value as adding it', () => {
      expect(applyPatch('User', bjensen, patch({ op: 'replace', path: 'title', value: 'Tour Guide' })).resource.title).toBe('Tour Guide');
    });

    it('fails with noTarget when a filter selects nothing and does not describe a value', () => {
      expect(() => applyPatch('User', bjensen, patch({ op: 'replace', path: 'addresses[locality co "Springfield"].region', value: 'IL' }))).toThrow(
        expect.objectContaining({
          status: 400,
          scimType: 'noTarget',
          detail:
            'Operations[0] (replace addresses[locality co "Springfield"].region): "addresses[locality co "Springfield"].region" ' +
            'matches no value of addresses, so there is nothing to replace.',
        }),
      );
    });
  });

  it('applies operations in order, each on the result of the previous one', () => {
    const result = applyPatch(
      'User',
      bjensen,
      patch({ op: 'add', path: 'title', value: 'Guide' }, { op: 'replace', path: 'title', value: 'Lead' }, { op: 'remove', path: 'title' }),
    );
    expect(result).toEqual({ changed: false, resource: bjensen });
  });
});
