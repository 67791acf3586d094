import { randomUUID } from 'node:crypto';
import {
  eventRecorder,
  type Causation,
  type EventEnvelope,
  type EventType,
  type UserAttributes,
  type UserCreatedData,
  type UserDeletedData,
  type UserReactivatedData,
  type UserSuspendedData,
  type UserUpdatedData,
} from '#roster/events';
import { UserNotFoundError } from './directory.errors.js';

/** The write-side state of a user, as kept between commands. */
export type UserState = {
  userName: string;
  active: boolean;
  attributes: UserAttributes;
  created: string;
  lastModified: string;
  /** Set once the user is hard-deleted; the aggregate stays so its version keeps counting. */
  deleted?: true;
};

export type { Causation } from '#roster/events';

export type UserChange = { state: UserState; events: EventEnvelope[] };

/** The key under which a userName is unique in a tailnet: logins are matched case-insensitively. */
export function userNameKey(userName: string): string {
  return userName.normalize('NFC').toLowerCase();
}

export function userNameClaim(userName: string) {
  return { scope: 'userName', key: userNameKey(userName) };
}

function event<TData extends Record<string, unknown>>(
  type: EventType,
  tailnetId: string,
  userId: string,
  version: number,
  causation: Causation,
  data: TData,
): EventEnvelope<TData> {
  return eventRecorder({ tailnetId, type: 'User', id: userId }, version - 1, causation)(type, data);
}

export function createUser(
  tailnetId: string,
  attributes: UserAttributes,
  causation: Causation,
  userId: string = randomUUID(),
): { state: UserState; events: EventEnvelope<UserCreatedData>[] } {
  const active = attributes.active !== false;
  const state: UserState = {
    userName: attributes.userName,
    active,
    attributes: { ...attributes, active },
    created: causation.time,
    lastModified: causation.time,
  };
  const created = event<UserCreatedData>('UserCreated', tailnetId, userId, 1, causation, {
    userId,
    userName: state.userName,
    active,
    attributes: state.attributes,
  });
  return { state, events: [created] };
}

/**
 * Moves a user to new attributes (from PUT or PATCH). Records `UserUpdated` when anything but `active` changed,
 * then `UserSuspended` or `UserReactivated` when `active` did; nothing at all when nothing changed.
 */
export function updateUser(
  tailnetId: string,
  userId: string,
  current: { version: number; state: UserState },
  next: UserAttributes,
  causation: Causation,
): UserChange {
  assertExists(userId, current.state);
  const active = next.active === undefined ? current.state.active : next.active !== false;
  const attributes: UserAttributes = { ...next, active };
  const changed = changedAttributes(current.state.attributes, attributes);
  const events: EventEnvelope[] = [];
  let version = current.version;
  if (changed.some((name) => name !== 'active')) {
    events.push(
      event<UserUpdatedData>('UserUpdated', tailnetId, userId, ++version, causation, {
        userId,
        userName: attributes.userName,
        changed: changed.filter((name) => name !== 'active'),
        attributes,
      }),
    );
  }
  if (active !== current.state.active) {
    const type = active ? 'UserReactivated' : 'UserSuspended';
    events.push(event<UserSuspendedData | UserReactivatedData>(type, tailnetId, userId, ++version, causation, { userId, userName: attributes.userName }));
  }
  if (events.length === 0) return { state: current.state, events };
  return {
    state: { ...current.state, userName: attributes.userName, active, attributes, lastModified: causation.time },
    events,
  };
}

export function deleteUser(tailnetId: string, userId: string, current: { version: number; state: UserState }, causation: Causation): UserChange {
  assertExists(userId, current.state);
  const deleted = event<UserDeletedData>('UserDeleted', tailnetId, userId, current.version + 1, causation, {
    userId,
    userName: current.state.userName,
  });
  return { state: { ...current.state, deleted: true, lastModified: causation.time }, events: [deleted] };
}

function assertExists(userId: string, state: UserState): void {
  if (state.deleted) throw new UserNotFoundError(userId);
}

/** Top-level attributes whose values differ (compared as JSON, which is exact for normalised resources). */
function changedAttributes(before: UserAttributes, after: UserAttributes): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  names.delete('schemas');
  return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name])).sort();
}
