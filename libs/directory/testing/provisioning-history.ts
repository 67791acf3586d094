import { randomUUID } from 'node:crypto';
import { upcastEventData, type EventEnvelope, type EventType, type LoggedEvent } from '#roster/events';

export type HistoryEvent = { envelope: Omit<EventEnvelope, 'data'>; data: Record<string, unknown> };

/**
 * A seeded, realistic provisioning history of one tailnet as log events: an initial sync (users, groups, members
 * pushed in PATCHes of up to 100), then daily churn — profile updates, the odd changed login, deactivations and
 * reactivations, small membership changes, group renames, departures and the odd deleted group. Written straight as events (a fixture for
 * benchmarks and projection tests; through SCIM it would take far too long), every one at schema version 1, as a
 * log recorded before GroupMemberAdded/Removed v2 holds them: one user per membership event. Readers see them
 * through upcastEventData, as decodeEvent hands them over.
 */
export function* tailnetHistory(tailnetId: string, events: number, seed: number): Generator<HistoryEvent> {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  const versions = new Map<string, number>();
  const users: { id: string; userName: string; active: boolean }[] = [];
  const suspended: typeof users = [];
  const groups: { id: string; name: string; members: Set<string> }[] = [];
  let produced = 0;
  let time = Date.parse('2026-01-01T00:00:00Z');
  const event = (type: EventType, aggregateType: 'User' | 'Group', aggregateId: string, data: Record<string, unknown>): HistoryEvent => {
    const version = (versions.get(aggregateId) ?? 0) + 1;
    versions.set(aggregateId, version);
    produced++;
    time += 7;
    return {
      envelope: {
        id: randomUUID(),
        type,
        schemaVersion: 1,
        tailnetId,
        aggregateType,
        aggregateId,
        aggregateVersion: version,
        time: new Date(time).toISOString(),
        actor: { kind: 'scim-token', id: 'fixture-token', idp: 'entra-id' },
        correlationId: randomUUID(),
      },
      data,
    };
  };
  const attributes = (userName: string, active: boolean, title: string, otherEmails = 0) => {
    const [given, family] = userName.split('@')[0].split('.');
    return {
      userName,
      externalId: `ext-${userName}`,
      name: { givenName: given, familyName: family, formatted: `${given} ${family}` },
      displayName: `${given} ${family}`,
      title,
      active,
      emails: [
        { value: userName, type: 'work', primary: true },
        ...Array.from({ length: otherEmails }, (_, i) => ({ value: `${i}.${userName}`, type: 'other', primary: false })),
      ],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: `dept-${Math.floor(random() * 40)}`, employeeNumber: String(1000 + users.length) },
    };
  };
  const createUser = () => {
    const id = randomUUID();
    const userName = `user${users.length}.t${seed}@example.com`;
    users.push({ id, userName, active: true });
    return event('UserCreated', 'User', id, { userId: id, userName, active: true, attributes: attributes(userName, true, 'Engineer') });
  };
  const userUpdated = (user: (typeof users)[number], changed: string[], title: string, otherEmails = 0) =>
    event('UserUpdated', 'User', user.id, { userId: user.id, userName: user.userName, changed, attributes: attributes(user.userName, user.active, title, otherEmails) });
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const initialUsers = Math.floor(events * 0.24);
  const initialGroups = Math.max(10, Math.floor(events * 0.004));
  for (let i = 0; i < initialUsers; i++) yield createUser();
  for (let i = 0; i < initialGroups; i++) {
    const id = randomUUID();
    groups.push({ id, name: `group ${i} t${seed}`, members: new Set() });
    yield event('GroupCreated', 'Group', id, { groupId: id, displayName: `group ${i} t${seed}`, externalId: null });
  }
  // The initial membership push, until three quarters of the history is written.
  while (produced < events * 0.75) {
    const group = pick(groups);
    const size = 1 + Math.floor(random() * 100);
    for (let i = 0; i < size; i++) {
      const user = pick(users);
      if (group.members.has(user.id)) continue;
      group.members.add(user.id);
      yield event('GroupMemberAdded', 'Group', group.id, { groupId: group.id, userId: user.id });
    }
  }
  while (produced < events) {
    const roll = random();
    if (roll < 0.01) {
      // A changed login (a married name, a new domain): userName and the work email move together.
      const user = pick(users);
      user.userName = `renamed.${user.userName}`;
      yield userUpdated(user, ['emails', 'userName'], 'Engineer');
    } else if (roll < 0.05) {
      // Other emails come and go, so a user's stored emails grow and shrink.
      yield userUpdated(pick(users), ['emails'], 'Engineer', Math.floor(random() * 4));
    } else if (roll < 0.3) {
      yield userUpdated(pick(users), ['title'], `Title ${Math.floor(random() * 100)}`);
    } else if (roll < 0.4) {
      // Deactivations, and about as many reactivations of the deactivated.
      const back = suspended.length > 0 && random() < 0.45 ? suspended.splice(Math.floor(random() * suspended.length), 1)[0] : undefined;
      const user = back && users.includes(back) ? back : pick(users);
      if (!user.active && user !== back) continue;
      user.active = !user.active;
      if (!user.active) suspended.push(user);
      yield event(user.active ? 'UserReactivated' : 'UserSuspended', 'User', user.id, { userId: user.id, userName: user.userName });
    } else if (roll < 0.62) {
      const group = pick(groups);
      for (let i = 0, n = 1 + Math.floor(random() * 5); i < n; i++) {
        const user = pick(users);
        if (group.members.has(user.id)) continue;
        group.members.add(user.id);
        yield event('GroupMemberAdded', 'Group', group.id, { groupId: group.id, userId: user.id });
      }
    } else if (roll < 0.8) {
      const group = pick(groups);
      for (const userId of [...group.members].slice(0, 1 + Math.floor(random() * 3))) {
        group.members.delete(userId);
        yield event('GroupMemberRemoved', 'Group', group.id, { groupId: group.id, userId });
      }
    } else if (roll < 0.9) {
      yield createUser();
    } else if (roll < 0.95) {
      const group = pick(groups);
      const to = `${group.name} v${versions.get(group.id)}`;
      yield event('GroupRenamed', 'Group', group.id, { groupId: group.id, from: group.name, to });
      group.name = to;
    } else if (roll < 0.99 && users.length > 100) {
      const [user] = users.splice(Math.floor(random() * users.length), 1);
      for (const group of groups) group.members.delete(user.id);
      yield event('UserDeleted', 'User', user.id, { userId: user.id, userName: user.userName });
    } else if (groups.length > 5) {
      const [group] = groups.splice(Math.floor(random() * groups.length), 1);
      yield event('GroupDeleted', 'Group', group.id, { groupId: group.id, displayName: group.name });
    }
  }
}

/**
 * Histories of several tailnets as one partition of the log would hold them: interleaved, each tailnet's own
 * events in order, upcast as decodeEvent hands them over.
 */
export function loggedHistories(tailnets: number, eventsPerTailnet: number): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  let position = 0n;
  for (let seed = 1; seed <= tailnets; seed++) {
    for (const { envelope, data } of tailnetHistory(randomUUID(), eventsPerTailnet, seed)) {
      position++;
      const upcast = upcastEventData(envelope.type, envelope.schemaVersion, data);
      events.push({ ...envelope, data: upcast, position, partition: 0, offset: String(position) } as LoggedEvent);
    }
  }
  return events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}
