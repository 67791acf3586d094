import { describe, expect, it } from 'vitest';

import { largeGroup, memberAdditions, memberId, members, MEMBER_COUNT, PATCH_OP } from '../../testing/large-groups.js';
import { applyPatch } from './apply-patch.js';

// How fast these run is measured by `npm run bench` (libs/scim/bench/patch.bench.ts), not here.
describe('applyPatch: large memberships', () => {
  it(`adds ${MEMBER_COUNT} members in one operation`, () => {
    const result = applyPatch('Group', largeGroup([]), memberAdditions());
    expect(result.resource.members).toEqual(members(MEMBER_COUNT, MEMBER_COUNT));
  });

  it(`adds ${MEMBER_COUNT} members to a group of ${MEMBER_COUNT}, skipping those already present`, () => {
    const result = applyPatch('Group', largeGroup(members(MEMBER_COUNT + 1)), memberAdditions());
    expect(result.resource.members).toHaveLength(2 * MEMBER_COUNT);
    expect(result.resource.members?.[MEMBER_COUNT]).toEqual({ value: memberId(MEMBER_COUNT), display: `user${MEMBER_COUNT}@example.com` });
  });

  it(`removes ${MEMBER_COUNT} members listed in Entra's legacy value form`, () => {
    const request = { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: members(MEMBER_COUNT).map(({ value }) => ({ value })) }] };
    expect(applyPatch('Group', largeGroup(members(MEMBER_COUNT * 2)), request).resource.members).toEqual(members(MEMBER_COUNT, MEMBER_COUNT));
  });

  it(`removes ${MEMBER_COUNT} members with one filtered remove operation each`, () => {
    const removals = {
      schemas: [PATCH_OP],
      Operations: members(MEMBER_COUNT).map((member) => ({ op: 'remove', path: `members[value eq "${member.value}"]` })),
    };
    expect(applyPatch('Group', largeGroup(members(MEMBER_COUNT * 2)), removals).resource.members).toEqual(members(MEMBER_COUNT, MEMBER_COUNT));
  });
});
