/**
 * The catalogue of event types on the internal log, with the schema version each is written at.
 * A breaking change to an event's data adds a new version; readers keep accepting the old ones.
 * The data shapes are documented in docs/events.md.
 */
export const EventTypes = {
  TailnetCreated: 1,
  UserCreated: 1,
  UserUpdated: 1,
  UserSuspended: 1,
  UserReactivated: 1,
  UserDeleted: 1,
  GroupCreated: 1,
  GroupRenamed: 1,
  GroupExternalIdChanged: 1,
  GroupMemberAdded: 2,
  GroupMemberRemoved: 2,
  GroupDeleted: 1,
  NodeRegistered: 1,
  NodeKeyRenewed: 1,
  NodeKeyExpiryDisabled: 1,
  NodeKeyExpiryEnabled: 1,
  NodeTagsChanged: 1,
  NodeDeleted: 1,
  NodeKeyExpired: 1,
  NodeAccessRevoked: 1,
  NodeAccessRestored: 1,
  PolicyUpdated: 1,
} as const;

export type EventType = keyof typeof EventTypes;

export function isKnownEventType(type: string): type is EventType {
  return Object.hasOwn(EventTypes, type);
}
