import { loginEmailOf } from '#roster/acl';
import {
  type GroupCreatedData,
  type GroupDeletedData,
  type GroupMemberAddedData,
  type GroupMemberRemovedData,
  type GroupRenamedData,
  type LoggedEvent,
  type NodeAccessRevokedData,
  type NodeRegisteredData,
  type NodeTagsChangedData,
  type PolicyUpdatedData,
  type TailnetCreatedData,
  type UserAttributes,
  type UserCreatedData,
  type UserUpdatedData,
  userUpdateChanged,
} from '#roster/events';
import type { GroupFact, GroupNameChange, MembershipFact, NodeFact, PolicyFact, UserFact } from './acl-facts.js';

/** What one event changes in the ACL projector's facts. The same list drives PostgreSQL and memory. */
export type AclChange =
  | { kind: 'tailnet'; domain: string | null }
  | { kind: 'user'; fact: UserFact }
  | { kind: 'group'; fact: GroupFact }
  | { kind: 'group-change'; change: GroupNameChange }
  | { kind: 'member-added'; membership: MembershipFact }
  | { kind: 'member-removed'; membership: MembershipFact }
  | { kind: 'node'; fact: NodeFact }
  | { kind: 'node-removed'; nodeId: string }
  | { kind: 'policy'; fact: PolicyFact };

/** The record an event changes only part of, which the caller must look up first. */
export type AclSubject = { kind: 'user' | 'node'; id: string };

/** The attributes a user's login is derived from (loginOf); other updates leave the ACL as it was. */
const LOGIN_ATTRIBUTES = ['userName', 'emails'];

export function subjectOf(event: LoggedEvent): AclSubject | undefined {
  switch (event.type) {
    case 'UserUpdated':
      return userUpdateChanged(event.data as UserUpdatedData, LOGIN_ATTRIBUTES) ? { kind: 'user', id: event.aggregateId } : undefined;
    case 'UserSuspended':
    case 'UserReactivated':
      return { kind: 'user', id: event.aggregateId };
    case 'NodeKeyRenewed':
    case 'NodeKeyExpiryDisabled':
    case 'NodeKeyExpiryEnabled':
    case 'NodeTagsChanged':
    case 'NodeKeyExpired':
    case 'NodeAccessRevoked':
    case 'NodeAccessRestored':
      return { kind: 'node', id: (event.data as { nodeId: string }).nodeId };
    default:
      return undefined;
  }
}

/**
 * The changes an event makes, given the current fact of its subject (see subjectOf). Events about a record the
 * projector never saw change nothing: the log is the writer's, so that only happens for records it rejected.
 */
export function aclChangesOf(event: LoggedEvent, current: UserFact | NodeFact | undefined): AclChange[] {
  switch (event.type) {
    case 'TailnetCreated':
      return [{ kind: 'tailnet', domain: (event.data as TailnetCreatedData).domain }];
    case 'UserCreated': {
      const { userId, userName, active, attributes } = event.data as UserCreatedData;
      return [{ kind: 'user', fact: { userId, login: loginOf(userId, userName, attributes), state: active ? 'active' : 'suspended' } }];
    }
    case 'UserUpdated': {
      const user = current as UserFact | undefined;
      // Undefined also when subjectOf named no subject: the update left the login alone.
      const { userId, userName, attributes } = event.data as UserUpdatedData;
      return user ? [{ kind: 'user', fact: { ...user, login: loginOf(userId, userName, attributes) } }] : [];
    }
    case 'UserSuspended':
    case 'UserReactivated': {
      const user = current as UserFact | undefined;
      return user ? [{ kind: 'user', fact: { ...user, state: event.type === 'UserSuspended' ? 'suspended' : 'active' } }] : [];
    }
    case 'UserDeleted':
      // Kept as a fact with its state, so a node still naming the user as owner stays out of the World.
      return [{ kind: 'user', fact: { userId: event.aggregateId, login: '', state: 'deleted' } }];
    case 'GroupCreated': {
      const { groupId, displayName } = event.data as GroupCreatedData;
      return [{ kind: 'group', fact: { groupId, displayName } }];
    }
    case 'GroupRenamed': {
      const { groupId, from, to } = event.data as GroupRenamedData;
      return [
        { kind: 'group', fact: { groupId, displayName: to } },
        { kind: 'group-change', change: { groupId, kind: 'renamed', from, to, actor: event.actor, time: event.time } },
      ];
    }
    case 'GroupDeleted': {
      const { groupId, displayName } = event.data as GroupDeletedData;
      return [{ kind: 'group-change', change: { groupId, kind: 'deleted', from: displayName, to: null, actor: event.actor, time: event.time } }];
    }
    case 'GroupMemberAdded':
      return membershipsOf(event.data as GroupMemberAddedData).map((membership) => ({ kind: 'member-added', membership }));
    case 'GroupMemberRemoved':
      return membershipsOf(event.data as GroupMemberRemovedData).map((membership) => ({ kind: 'member-removed', membership }));
    case 'NodeRegistered': {
      const { nodeId, ownerUserId, tags, ipv4 } = event.data as NodeRegisteredData;
      return [{ kind: 'node', fact: { nodeId, ownerUserId, tags: [...tags], ipv4, keyExpired: false, ownerAccess: null } }];
    }
    case 'NodeDeleted':
      return [{ kind: 'node-removed', nodeId: (event.data as { nodeId: string }).nodeId }];
    case 'PolicyUpdated': {
      const { policy, sha256 } = event.data as PolicyUpdatedData;
      return [{ kind: 'policy', fact: { policy, sha256, updated: event.time } }];
    }
    default:
      return nodeChange(event, current as NodeFact | undefined);
  }
}

function nodeChange(event: LoggedEvent, node: NodeFact | undefined): AclChange[] {
  if (node === undefined) return [];
  const next = (fact: Partial<NodeFact>): AclChange[] => [{ kind: 'node', fact: { ...node, ...fact } }];
  switch (event.type) {
    // A new key, or a key that no longer expires, is a working key again. An expiry enabled in the past is
    // recorded as NodeKeyExpired by the node-key expiry projector, so it is not guessed from the clock here.
    case 'NodeKeyRenewed':
    case 'NodeKeyExpiryDisabled':
      return next({ keyExpired: false });
    case 'NodeKeyExpired':
      return next({ keyExpired: true });
    case 'NodeTagsChanged': {
      const { to, ownerUserId } = event.data as NodeTagsChangedData;
      return next({ tags: [...to], ownerUserId });
    }
    case 'NodeAccessRevoked':
      return next({ ownerAccess: (event.data as NodeAccessRevokedData).reason });
    case 'NodeAccessRestored':
      return next({ ownerAccess: null });
    default:
      return [];
  }
}

function loginOf(userId: string, userName: string, attributes: UserAttributes): string {
  const emails = Array.isArray(attributes.emails) ? (attributes.emails as { value?: unknown; primary?: unknown }[]) : [];
  return loginEmailOf(
    userId,
    userName,
    emails.filter((email) => typeof email.value === 'string').map((email) => ({ value: email.value as string, primary: email.primary === true })),
  );
}

export function membershipsOf({ groupId, userIds }: { groupId: string; userIds: string[] }): MembershipFact[] {
  return userIds.map((userId) => ({ groupId, userId }));
}
