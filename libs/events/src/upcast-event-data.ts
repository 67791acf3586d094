import type { EventType } from './event-types.js';

type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** v1 membership events named one user; v2 carry a list. */
const singleMemberToList: Upcaster = ({ userId, ...rest }) => ({ ...rest, userIds: [userId] });

/** For each event type, the upcaster from each older schema version to the next one. */
const UPCASTERS: Partial<Record<EventType, Record<number, Upcaster>>> = {
  GroupMemberAdded: { 1: singleMemberToList },
  GroupMemberRemoved: { 1: singleMemberToList },
};

/**
 * Brings the data of an event written at an older schema version to the shape of the current one, so readers
 * handle only the current shape while the log keeps every event exactly as it was written.
 */
export function upcastEventData(type: EventType, schemaVersion: number, data: Record<string, unknown>): Record<string, unknown> {
  const steps = UPCASTERS[type];
  if (!steps) return data;
  let version = schemaVersion;
  let upcast = data;
  while (steps[version]) upcast = steps[version++](upcast);
  return upcast;
}
