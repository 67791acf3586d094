import type { GroupMember, ScimGroup } from '../src/resource/scim-resource.js';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const MEMBER_COUNT = 5_000;

export const memberId = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

export const members = (count: number, offset = 0): GroupMember[] =>
  Array.from({ length: count }, (_, index) => ({ value: memberId(index + offset), display: `user${index + offset}@example.com` }));

export const largeGroup = (groupMembers: GroupMember[]): ScimGroup => ({
  schemas: [GROUP_SCHEMA],
  id: 'g-1',
  displayName: 'Everyone',
  ...(groupMembers.length > 0 ? { members: groupMembers } : {}),
});

/** One `add` of MEMBER_COUNT members numbered after the first MEMBER_COUNT. */
export const memberAdditions = () => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'add', path: 'members', value: members(MEMBER_COUNT, MEMBER_COUNT) }],
});
