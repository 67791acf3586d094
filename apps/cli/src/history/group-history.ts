import type { GroupCreatedData, GroupMemberAddedData, GroupMemberRemovedData, GroupRenamedData, LoggedEvent, UserCreatedData, UserUpdatedData } from '#roster/events';

export type EventReference = {
  id: string;
  type: string;
  time: string;
  position: string;
  actor: LoggedEvent['actor'];
  correlationId: string;
};

export type MemberAtTime = { userId: string; userName: string; active: boolean; since: string; addedBy: EventReference };

export type GroupAtTime = {
  groupId: string;
  displayName: string;
  createdBy: EventReference;
  at: string;
  members: MemberAtTime[];
};

export class GroupNotFoundAtTimeError extends Error {}

type GroupFold = { displayName: string; createdBy: EventReference; members: Map<string, EventReference> };

/**
 * Who was in a group at a moment, and the event that put each one there, folded from the tailnet's log: the
 * group is the one carrying that name (case-insensitive, as SCIM compares names) at that moment.
 */
export function groupAtTime(events: LoggedEvent[], name: string, at: Date): GroupAtTime {
  const groups = new Map<string, GroupFold>();
  const users = new Map<string, { userName: string; active: boolean }>();
  for (const event of events) {
    // Positions, not times, order the log; an event accepted after `at` may sit before one accepted earlier.
    if (Date.parse(event.time) > at.getTime()) continue;
    const ref = reference(event);
    switch (event.type) {
      case 'UserCreated': {
        const data = event.data as UserCreatedData;
        users.set(data.userId, { userName: data.userName, active: data.active });
        break;
      }
      case 'UserUpdated': {
        const data = event.data as UserUpdatedData;
        const user = users.get(data.userId);
        if (user) user.userName = data.userName;
        break;
      }
      case 'UserSuspended':
      case 'UserReactivated': {
        const user = users.get(event.aggregateId);
        if (user) user.active = event.type === 'UserReactivated';
        break;
      }
      case 'UserDeleted':
        users.delete(event.aggregateId);
        for (const group of groups.values()) group.members.delete(event.aggregateId);
        break;
      case 'GroupCreated': {
        const data = event.data as GroupCreatedData;
        groups.set(data.groupId, { displayName: data.displayName, createdBy: ref, members: new Map() });
        break;
      }
      case 'GroupRenamed': {
        const group = groups.get((event.data as GroupRenamedData).groupId);
        if (group) group.displayName = (event.data as GroupRenamedData).to;
        break;
      }
      case 'GroupMemberAdded': {
        const data = event.data as GroupMemberAddedData;
        for (const userId of data.userIds) groups.get(data.groupId)?.members.set(userId, ref);
        break;
      }
      case 'GroupMemberRemoved': {
        const data = event.data as GroupMemberRemovedData;
        for (const userId of data.userIds) groups.get(data.groupId)?.members.delete(userId);
        break;
      }
      case 'GroupDeleted':
        groups.delete(event.aggregateId);
        break;
      default:
        break;
    }
  }
  const wanted = name.toLowerCase();
  const found = [...groups].find(([, group]) => group.displayName.toLowerCase() === wanted);
  if (!found) throw new GroupNotFoundAtTimeError(`no group named "${name}" existed at ${at.toISOString()}`);
  const [groupId, group] = found;
  return {
    groupId,
    displayName: group.displayName,
    createdBy: group.createdBy,
    at: at.toISOString(),
    members: [...group.members]
      .map(([userId, addedBy]) => ({ userId, userName: users.get(userId)?.userName ?? userId, active: users.get(userId)?.active ?? true, since: addedBy.time, addedBy }))
      .sort((a, b) => a.userName.localeCompare(b.userName)),
  };
}

function reference(event: LoggedEvent): EventReference {
  return { id: event.id, type: event.type, time: event.time, position: event.position.toString(), actor: event.actor, correlationId: event.correlationId };
}
