import { randomUUID } from 'node:crypto';
import {
  eventRecorder,
  type Causation,
  type EventEnvelope,
  type EventRecorder,
  type GroupCreatedData,
  type GroupDeletedData,
  type GroupExternalIdChangedData,
  type GroupMemberAddedData,
  type GroupMemberRemovedData,
  type GroupRenamedData,
  MEMBERS_PER_EVENT,
} from '#roster/events';
import { GroupNotFoundError } from './directory.errors.js';
import { GroupMemberIndex } from './group-member-index.js';

/** The write-side state of a group. `members` are user ids, in the order they were added. */
export type GroupState = {
  displayName: string;
  externalId: string | null;
  members: string[];
  created: string;
  lastModified: string;
  deleted?: true;
};

/** What a command wants the group to be; membership is given as the full desired list. */
export type GroupTarget = { displayName: string; externalId: string | null; members: string[] };

export type GroupChange = { state: GroupState; events: EventEnvelope[]; added: string[] };

/** Policy files name a synced group by its lowercased displayName, so that is what must be unique. */
export function groupNameKey(displayName: string): string {
  return displayName.normalize('NFC').toLowerCase();
}

export function groupNameClaim(displayName: string) {
  return { scope: 'groupName', key: groupNameKey(displayName) };
}

function eventFactory(tailnetId: string, groupId: string, fromVersion: number, causation: Causation): EventRecorder {
  return eventRecorder({ tailnetId, type: 'Group', id: groupId }, fromVersion, causation);
}

export function createGroup(tailnetId: string, target: GroupTarget, causation: Causation, groupId: string = randomUUID()): GroupChange {
  const next = eventFactory(tailnetId, groupId, 0, causation);
  const members = unique(target.members);
  const events: EventEnvelope[] = [
    next<GroupCreatedData>('GroupCreated', { groupId, displayName: target.displayName, externalId: target.externalId }),
    ...membershipEvents(next, 'GroupMemberAdded', groupId, members),
  ];
  const state: GroupState = {
    displayName: target.displayName,
    externalId: target.externalId,
    members,
    created: causation.time,
    lastModified: causation.time,
  };
  return { state, events, added: members };
}

/**
 * Moves a group to `target`: a rename, an externalId change, then who left and who joined as GroupMemberRemoved
 * and GroupMemberAdded events listing them (a 5,000-member PATCH is one command, one statement and five events).
 * Members in `silentlyGone` (users deleted since they joined; their UserDeleted already ended the membership)
 * leave without an event.
 */
export function changeGroup(
  tailnetId: string,
  groupId: string,
  current: { version: number; state: GroupState },
  target: GroupTarget,
  causation: Causation,
  silentlyGone: ReadonlySet<string> = new Set(),
): GroupChange {
  assertExists(groupId, current.state);
  const before = new Set(current.state.members);
  const members = unique(target.members);
  const after = new Set(members);
  const membership = {
    members,
    added: members.filter((userId) => !before.has(userId)),
    removed: current.state.members.filter((userId) => !after.has(userId)),
  };
  return recordChange(tailnetId, groupId, current, target, membership, causation, silentlyGone);
}

/** What a command changes of a group's members, when it names them: who joins and who leaves. */
export type GroupDelta = { displayName: string; externalId: string | null; added: string[]; removed: string[] };

/**
 * changeGroup for a command that names the members it adds and removes (an IdP's membership batch). Given an
 * `index` of the current members, it costs as the batch rather than the group, and the index is moved to the new
 * list (an index of another list is ignored). Ids already in (for `added`) or not in (for `removed`) the group
 * change nothing.
 */
export function changeGroupMembers(
  tailnetId: string,
  groupId: string,
  current: { version: number; state: GroupState },
  delta: GroupDelta,
  causation: Causation,
  silentlyGone: ReadonlySet<string> = new Set(),
  index?: GroupMemberIndex,
): GroupChange {
  assertExists(groupId, current.state);
  const indexed = index?.describes(current.state.members) ? index : new GroupMemberIndex(current.state.members);
  const removed = indexed.membersAmong(delta.removed);
  const leaving = new Set(removed);
  const added = unique(delta.added).filter((userId) => !indexed.has(userId) || leaving.has(userId));
  const rejoining = new Set(added.filter((userId) => leaving.has(userId)));
  const kept = leaving.size === 0 ? current.state.members : current.state.members.filter((userId) => !leaving.has(userId));
  const membership = {
    members: [...kept, ...added],
    added: added.filter((userId) => !rejoining.has(userId)),
    removed: removed.filter((userId) => !rejoining.has(userId)),
  };
  const change = recordChange(tailnetId, groupId, current, delta, membership, causation, silentlyGone);
  if (change.state !== current.state) indexed.moveTo(change.state.members, removed, added);
  return change;
}

function recordChange(
  tailnetId: string,
  groupId: string,
  current: { version: number; state: GroupState },
  target: { displayName: string; externalId: string | null },
  membership: { members: string[]; added: string[]; removed: string[] },
  causation: Causation,
  silentlyGone: ReadonlySet<string>,
): GroupChange {
  const next = eventFactory(tailnetId, groupId, current.version, causation);
  const events: EventEnvelope[] = [];
  if (target.displayName !== current.state.displayName) {
    events.push(next<GroupRenamedData>('GroupRenamed', { groupId, from: current.state.displayName, to: target.displayName }));
  }
  if (target.externalId !== current.state.externalId) {
    events.push(next<GroupExternalIdChangedData>('GroupExternalIdChanged', { groupId, externalId: target.externalId }));
  }
  const removed = membership.removed.filter((userId) => !silentlyGone.has(userId));
  events.push(...membershipEvents(next, 'GroupMemberRemoved', groupId, removed), ...membershipEvents(next, 'GroupMemberAdded', groupId, membership.added));
  const { added, members } = membership;
  // Only departed-and-deleted users dropped out: nothing to record, and the next change will drop them again.
  if (events.length === 0) return { state: current.state, events, added };
  const state: GroupState = {
    ...current.state,
    displayName: target.displayName,
    externalId: target.externalId,
    members,
    lastModified: causation.time,
  };
  return { state, events, added };
}

export function deleteGroup(tailnetId: string, groupId: string, current: { version: number; state: GroupState }, causation: Causation): GroupChange {
  assertExists(groupId, current.state);
  const next = eventFactory(tailnetId, groupId, current.version, causation);
  const deleted = next<GroupDeletedData>('GroupDeleted', { groupId, displayName: current.state.displayName });
  return { state: { ...current.state, members: [], deleted: true, lastModified: causation.time }, events: [deleted], added: [] };
}

function membershipEvents(
  next: EventRecorder,
  type: 'GroupMemberAdded' | 'GroupMemberRemoved',
  groupId: string,
  userIds: string[],
): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  for (let start = 0; start < userIds.length; start += MEMBERS_PER_EVENT) {
    const chunk = userIds.slice(start, start + MEMBERS_PER_EVENT);
    events.push(next<GroupMemberAddedData | GroupMemberRemovedData>(type, { groupId, userIds: chunk }));
  }
  return events;
}

function assertExists(groupId: string, state: GroupState): void {
  if (state.deleted) throw new GroupNotFoundError(groupId);
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
