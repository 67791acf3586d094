import type {
  GroupCreatedData,
  GroupExternalIdChangedData,
  GroupMemberAddedData,
  GroupRenamedData,
  LoggedEvent,
  UserAttributes,
  UserCreatedData,
  UserUpdatedData,
} from '#roster/events';

export type UserChange = {
  tailnetId: string;
  userId: string;
  /** Set when the batch creates the user: its row is inserted with the batch's final state. */
  createdAt?: string;
  /** The attributes of the batch's last UserCreated / UserUpdated of the user. */
  attributes?: UserAttributes;
  /** `active` set by a suspension or reactivation after those attributes (merged into the stored resource). */
  activeOverride?: boolean;
  version: number;
  lastModified: string;
  deleted: boolean;
};

export type GroupChange = {
  tailnetId: string;
  groupId: string;
  createdAt?: string;
  displayName?: string;
  externalIdChanged: boolean;
  externalId: string | null;
  version: number;
  lastModified: string;
  deleted: boolean;
};

export type MembershipChange = { tailnetId: string; groupId: string; userId: string; present: boolean };

/**
 * The net effect of a batch of events on the directory read model, folded in memory in log order so the batch
 * is written with a fixed handful of set-based statements, whatever its size and mix: a user created, renamed
 * and suspended within one batch becomes one inserted row; a membership added then removed, no row at all.
 * Deletions also end the memberships added earlier in the batch; the projection deletes the stored ones first
 * and writes the batch's surviving memberships after, so a membership added after a deletion survives it, as it
 * would event by event.
 */
export class DirectoryBatch {
  readonly users = new Map<string, UserChange>();
  readonly groups = new Map<string, GroupChange>();
  readonly memberships = new Map<string, MembershipChange>();
  private readonly membershipsByUser = new Map<string, Set<string>>();
  private readonly membershipsByGroup = new Map<string, Set<string>>();

  constructor(events: LoggedEvent[]) {
    for (const event of events) this.apply(event);
  }

  private apply(event: LoggedEvent) {
    switch (event.type) {
      case 'UserCreated': {
        const user = this.user(event, (event.data as UserCreatedData).userId);
        user.createdAt = event.time;
        user.attributes = (event.data as UserCreatedData).attributes;
        user.activeOverride = undefined;
        break;
      }
      case 'UserUpdated': {
        const user = this.user(event, (event.data as UserUpdatedData).userId);
        user.attributes = (event.data as UserUpdatedData).attributes;
        user.activeOverride = undefined;
        break;
      }
      case 'UserSuspended':
      case 'UserReactivated':
        this.user(event, event.aggregateId).activeOverride = event.type === 'UserReactivated';
        break;
      case 'UserDeleted': {
        this.user(event, event.aggregateId).deleted = true;
        for (const key of this.membershipsByUser.get(event.aggregateId) ?? []) this.memberships.get(key)!.present = false;
        break;
      }
      case 'GroupCreated': {
        const data = event.data as GroupCreatedData;
        const group = this.group(event, data.groupId);
        group.createdAt = event.time;
        group.displayName = data.displayName;
        group.externalId = data.externalId;
        group.externalIdChanged = true;
        break;
      }
      case 'GroupRenamed':
        this.group(event, (event.data as GroupRenamedData).groupId).displayName = (event.data as GroupRenamedData).to;
        break;
      case 'GroupExternalIdChanged': {
        const group = this.group(event, (event.data as GroupExternalIdChangedData).groupId);
        group.externalId = (event.data as GroupExternalIdChangedData).externalId;
        group.externalIdChanged = true;
        break;
      }
      case 'GroupMemberAdded':
      case 'GroupMemberRemoved': {
        const { groupId, userIds } = event.data as GroupMemberAddedData;
        this.group(event, groupId);
        for (const userId of userIds) this.membership(event.tailnetId, groupId, userId).present = event.type === 'GroupMemberAdded';
        break;
      }
      case 'GroupDeleted': {
        this.group(event, event.aggregateId).deleted = true;
        for (const key of this.membershipsByGroup.get(event.aggregateId) ?? []) this.memberships.get(key)!.present = false;
        break;
      }
      default:
        break;
    }
  }

  private user(event: LoggedEvent, userId: string): UserChange {
    let user = this.users.get(userId);
    if (!user) {
      user = { tailnetId: event.tailnetId, userId, version: 0, lastModified: event.time, deleted: false };
      this.users.set(userId, user);
    }
    user.version = event.aggregateVersion;
    user.lastModified = event.time;
    return user;
  }

  private group(event: LoggedEvent, groupId: string): GroupChange {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { tailnetId: event.tailnetId, groupId, externalIdChanged: false, externalId: null, version: 0, lastModified: event.time, deleted: false };
      this.groups.set(groupId, group);
    }
    group.version = event.aggregateVersion;
    group.lastModified = event.time;
    return group;
  }

  private membership(tailnetId: string, groupId: string, userId: string): MembershipChange {
    const key = `${groupId}/${userId}`;
    let membership = this.memberships.get(key);
    if (!membership) {
      membership = { tailnetId, groupId, userId, present: false };
      this.memberships.set(key, membership);
      indexed(this.membershipsByUser, userId).add(key);
      indexed(this.membershipsByGroup, groupId).add(key);
    }
    return membership;
  }
}

function indexed(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
