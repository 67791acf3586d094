/**
 * The public membership feed (topic `roster.membership.v1`), version 1. Unlike the internal log, this is a
 * contract with other teams: shapes change only as docs/events.md's compatibility policy allows, and every type
 * has a JSON Schema in libs/contracts/schemas/membership/.
 */
export const MembershipEventTypes = {
  MemberAdded: 1,
  MemberRemoved: 1,
  GroupRenamed: 1,
  GroupDeleted: 1,
  UserSuspended: 1,
  UserReactivated: 1,
  UserDeleted: 1,
} as const;

export type MembershipEventType = keyof typeof MembershipEventTypes;

/** Carried by every membership event: which group, its sequence number and its member count after the event. */
export type GroupFacts = {
  tailnetId: string;
  groupId: string;
  groupName: string;
  sequence: number;
  memberCount: number;
};

type UserFacts = { userId: string; userName: string };

export type MemberRemovedReason = 'removed' | 'user-deleted' | 'group-deleted';

export type MembershipEventData = {
  MemberAdded: GroupFacts & UserFacts & { userActive: boolean };
  MemberRemoved: GroupFacts & UserFacts & { reason: MemberRemovedReason };
  GroupRenamed: GroupFacts & { from: string; to: string };
  GroupDeleted: GroupFacts;
  UserSuspended: GroupFacts & UserFacts;
  UserReactivated: GroupFacts & UserFacts;
  UserDeleted: GroupFacts & UserFacts;
};

/** One public event, with the internal event it follows from (`causationId`, `position`) for tracing. */
export type MembershipEvent<T extends MembershipEventType = MembershipEventType> = {
  [K in T]: {
    type: K;
    /** When Roster accepted the change (the internal event's time). */
    time: string;
    causationId: string;
    position: string;
    data: MembershipEventData[K];
  };
}[T];

export function isMembershipEventType(type: string): type is MembershipEventType {
  return Object.hasOwn(MembershipEventTypes, type);
}
