import type { MembershipEvent, MembershipEventData, MembershipEventType, MemberRemovedReason } from '#roster/contracts';
import type {
  GroupCreatedData,
  GroupMemberAddedData,
  GroupMemberRemovedData,
  GroupRenamedData,
  LoggedEvent,
  UserCreatedData,
  UserUpdatedData,
} from '#roster/events';

export type GroupState = { tailnetId: string; groupId: string; name: string; sequence: number; memberCount: number };
export type UserState = { tailnetId: string; userId: string; userName: string; active: boolean };

/**
 * The slice of the membership state one batch of internal events needs, and the rules turning those events into
 * public ones. Pure: the projection loads the slice (every membership of a user a user-event touches, every
 * member of a group being deleted, the pairs member events name), applies the batch, and saves what changed.
 *
 * Consequences are spelled out in a fixed order (members by user id, groups by group id), so a replay assigns
 * exactly the sequence numbers the live projection did.
 */
export class MembershipLedger {
  readonly groups = new Map<string, GroupState>();
  readonly users = new Map<string, UserState>();
  private readonly membersByGroup = new Map<string, Set<string>>();
  private readonly groupsByUser = new Map<string, Set<string>>();
  readonly changedGroups = new Set<string>();
  readonly deletedGroups = new Set<string>();
  readonly changedUsers = new Set<string>();
  readonly deletedUsers = new Set<string>();
  /** `<tailnetId>/<groupId>/<userId>` → whether the membership exists after the batch. */
  readonly changedMemberships = new Map<string, boolean>();

  loadGroup(group: GroupState) {
    this.groups.set(group.groupId, group);
  }

  loadUser(user: UserState) {
    this.users.set(user.userId, user);
  }

  loadMembership(groupId: string, userId: string) {
    this.link(groupId, userId);
  }

  apply(event: LoggedEvent): MembershipEvent[] {
    switch (event.type) {
      case 'UserCreated': {
        const data = event.data as UserCreatedData;
        this.putUser({ tailnetId: event.tailnetId, userId: data.userId, userName: data.userName, active: data.active });
        return [];
      }
      case 'UserUpdated': {
        const data = event.data as UserUpdatedData;
        const user = this.users.get(data.userId);
        if (user) this.putUser({ ...user, userName: data.userName });
        return [];
      }
      case 'UserSuspended':
      case 'UserReactivated':
        return this.userActivity(event, event.type === 'UserReactivated');
      case 'UserDeleted':
        return this.userDeleted(event);
      case 'GroupCreated': {
        const data = event.data as GroupCreatedData;
        if (this.groups.has(data.groupId)) return [];
        this.putGroup({ tailnetId: event.tailnetId, groupId: data.groupId, name: data.displayName, sequence: 0, memberCount: 0 });
        return [];
      }
      case 'GroupRenamed':
        return this.groupRenamed(event as LoggedEvent<GroupRenamedData>);
      case 'GroupMemberAdded':
        return this.memberAdded(event as LoggedEvent<GroupMemberAddedData>);
      case 'GroupMemberRemoved':
        return this.memberRemoved(event as LoggedEvent<GroupMemberRemovedData>);
      case 'GroupDeleted':
        return this.groupDeleted(event);
      default:
        return [];
    }
  }

  private memberAdded(event: LoggedEvent<GroupMemberAddedData>): MembershipEvent[] {
    const { groupId, userIds } = event.data;
    const group = this.groups.get(groupId);
    if (!group) return [];
    return userIds.flatMap((userId) => {
      if (this.membersByGroup.get(groupId)?.has(userId)) return [];
      this.link(groupId, userId);
      this.changedMemberships.set(membershipKey(group.tailnetId, groupId, userId), true);
      group.memberCount++;
      const user = this.userFacts(userId);
      return [this.emit(event, group, 'MemberAdded', { ...user, userActive: this.users.get(userId)?.active ?? true })];
    });
  }

  private memberRemoved(event: LoggedEvent<GroupMemberRemovedData>): MembershipEvent[] {
    const group = this.groups.get(event.data.groupId);
    if (!group) return [];
    return event.data.userIds.flatMap((userId) => this.removeMember(event, group, userId, 'removed'));
  }

  private removeMember(event: LoggedEvent, group: GroupState, userId: string, reason: MemberRemovedReason): MembershipEvent[] {
    if (!this.membersByGroup.get(group.groupId)?.has(userId)) return [];
    this.unlink(group.groupId, userId);
    this.changedMemberships.set(membershipKey(group.tailnetId, group.groupId, userId), false);
    group.memberCount--;
    return [this.emit(event, group, 'MemberRemoved', { ...this.userFacts(userId), reason })];
  }

  private groupRenamed(event: LoggedEvent<GroupRenamedData>): MembershipEvent[] {
    const group = this.groups.get(event.data.groupId);
    if (!group) return [];
    group.name = event.data.to;
    return [this.emit(event, group, 'GroupRenamed', { from: event.data.from, to: event.data.to })];
  }

  private groupDeleted(event: LoggedEvent): MembershipEvent[] {
    const group = this.groups.get(event.aggregateId);
    if (!group) return [];
    const members = [...(this.membersByGroup.get(group.groupId) ?? [])].sort();
    const emitted = members.flatMap((userId) => this.removeMember(event, group, userId, 'group-deleted'));
    emitted.push(this.emit(event, group, 'GroupDeleted', {}));
    this.groups.delete(group.groupId);
    this.changedGroups.delete(group.groupId);
    this.deletedGroups.add(group.groupId);
    return emitted;
  }

  private userActivity(event: LoggedEvent, active: boolean): MembershipEvent[] {
    const user = this.users.get(event.aggregateId);
    if (!user) return [];
    this.putUser({ ...user, active });
    const type = active ? 'UserReactivated' : 'UserSuspended';
    return this.groupsOf(user.userId).map((group) => this.emit(event, group, type, this.userFacts(user.userId)));
  }

  private userDeleted(event: LoggedEvent): MembershipEvent[] {
    const user = this.users.get(event.aggregateId);
    if (!user) return [];
    const facts = this.userFacts(user.userId);
    const emitted = this.groupsOf(user.userId).flatMap((group) => [
      ...this.removeMember(event, group, user.userId, 'user-deleted'),
      this.emit(event, group, 'UserDeleted', facts),
    ]);
    this.users.delete(user.userId);
    this.changedUsers.delete(user.userId);
    this.deletedUsers.add(user.userId);
    return emitted;
  }

  private groupsOf(userId: string): GroupState[] {
    return [...(this.groupsByUser.get(userId) ?? [])]
      .sort()
      .map((groupId) => this.groups.get(groupId))
      .filter((group): group is GroupState => group !== undefined);
  }

  private emit<T extends MembershipEventType>(
    event: LoggedEvent,
    group: GroupState,
    type: T,
    extra: Omit<MembershipEventData[T], 'tailnetId' | 'groupId' | 'groupName' | 'sequence' | 'memberCount'>,
  ): MembershipEvent {
    group.sequence++;
    this.changedGroups.add(group.groupId);
    return {
      type,
      time: event.time,
      causationId: event.id,
      position: event.position.toString(),
      data: {
        tailnetId: group.tailnetId,
        groupId: group.groupId,
        groupName: group.name,
        sequence: group.sequence,
        memberCount: group.memberCount,
        ...extra,
      },
    } as MembershipEvent;
  }

  private userFacts(userId: string) {
    // Every member was created on the log before joining; the id stands in only if the log says otherwise.
    return { userId, userName: this.users.get(userId)?.userName ?? userId };
  }

  private putUser(user: UserState) {
    this.users.set(user.userId, user);
    this.changedUsers.add(user.userId);
  }

  private putGroup(group: GroupState) {
    this.groups.set(group.groupId, group);
    this.changedGroups.add(group.groupId);
  }

  private link(groupId: string, userId: string) {
    setOf(this.membersByGroup, groupId).add(userId);
    setOf(this.groupsByUser, userId).add(groupId);
  }

  private unlink(groupId: string, userId: string) {
    this.membersByGroup.get(groupId)?.delete(userId);
    this.groupsByUser.get(userId)?.delete(groupId);
  }
}

export function membershipKey(tailnetId: string, groupId: string, userId: string) {
  return `${tailnetId}/${groupId}/${userId}`;
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
