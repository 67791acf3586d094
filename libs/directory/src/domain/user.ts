import { randomUUID } from 'node:crypto';
import { EventTypes, type Actor, type EventEnvelope, type UserAttributes, type UserCreatedData } from '#roster/events';

/** The write-side state of a user, as kept between commands. */
export type UserState = {
  userName: string;
  active: boolean;
  attributes: UserAttributes;
  created: string;
  lastModified: string;
};

export type Causation = { actor: Actor; correlationId: string; time: string };

/** The key under which a userName is unique in a tailnet: logins are matched case-insensitively. */
export function userNameKey(userName: string): string {
  return userName.normalize('NFC').toLowerCase();
}

export function userNameClaim(userName: string) {
  return { scope: 'userName', key: userNameKey(userName) };
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
  const event: EventEnvelope<UserCreatedData> = {
    id: randomUUID(),
    type: 'UserCreated',
    schemaVersion: EventTypes.UserCreated,
    tailnetId,
    aggregateType: 'User',
    aggregateId: userId,
    aggregateVersion: 1,
    time: causation.time,
    actor: causation.actor,
    correlationId: causation.correlationId,
    data: { userId, userName: state.userName, active, attributes: state.attributes },
  };
  return { state, events: [event] };
}
