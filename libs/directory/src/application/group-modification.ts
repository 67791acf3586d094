import type pg from 'pg';
import type { ScimGroup } from '#roster/scim';
import { inTransaction } from '#roster/platform';
import { AggregateStore, ClaimTakenError, type Queryable } from '#roster/write-model';
import { GroupNameTakenError, GroupNotFoundError, PreconditionFailedError, UnknownMemberError } from '../domain/directory.errors.js';
import { changeGroup, groupNameClaim, groupNameKey, type GroupChange, type GroupState, type GroupTarget } from '../domain/group.js';
import type { Causation } from '#roster/events';
import { isRosterId } from '#roster/events';


export type GroupTargetRef = { tailnetId: string; groupId: string; ifMatchVersion?: number };

export type ModifiedGroup = { groupId: string; version: number; state: GroupState };

/** The desired group, from a normalised SCIM Group (PUT body or PATCH result). */
export function groupTargetOf(group: ScimGroup): GroupTarget {
  return {
    displayName: group.displayName,
    externalId: group.externalId ?? null,
    members: (group.members ?? []).map((member) => member.value),
  };
}

/** The ids among `ids` that are live users of the tailnet (not deleted), in one query. */
export async function liveUsers(db: Queryable, tailnetId: string, ids: string[]): Promise<Set<string>> {
  const candidates = ids.filter(isRosterId);
  if (candidates.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>({
    name: 'directory-live-users',
    text: `SELECT aggregate_id AS id FROM writes.aggregates
            WHERE tailnet_id = $1 AND aggregate_type = 'User' AND aggregate_id = ANY($2::uuid[]) AND state->>'deleted' IS NULL`,
    values: [tailnetId, candidates],
  });
  return new Set(rows.map((row) => row.id));
}

export function assertMembersExist(added: string[], live: Set<string>): void {
  const unknown = added.filter((id) => !live.has(id));
  if (unknown.length > 0) throw new UnknownMemberError(unknown);
}

/**
 * Loads a group, works out the change towards what `decide` asks for, checks that every new member is a user of
 * the tailnet, and saves it. The group's row is locked for the duration: IdPs send membership batches for one
 * group concurrently (Entra's cycle, Okta's pushes), and those must queue rather than fail with conflicts.
 * With If-Match, a changed version is the client's 412.
 */
export async function modifyGroup(
  pool: pg.Pool,
  store: AggregateStore,
  { tailnetId, groupId, ifMatchVersion }: GroupTargetRef,
  causation: Causation,
  decide: (current: { version: number; state: GroupState }) => GroupChange | GroupTarget,
): Promise<ModifiedGroup> {
  if (!isRosterId(groupId)) throw new GroupNotFoundError(groupId);
  const modified = await inTransaction(pool, async (client) => {
    const current = await store.load<GroupState>(client, tailnetId, groupId, { lock: true });
    if (!current || current.aggregateType !== 'Group' || current.state.deleted) throw new GroupNotFoundError(groupId);
    if (ifMatchVersion !== undefined && ifMatchVersion !== current.version) throw new PreconditionFailedError(current.version);
    const decided = decide(current);
    // Same connection: waiting writers hold pool connections, so asking the pool for another could deadlock.
    const change = 'events' in decided ? decided : await changeTowards(client, tailnetId, groupId, current, decided, causation);
    if (change.events.length === 0) return { groupId, version: current.version, state: current.state, changed: false };
    const version = current.version + change.events.length;
    const record = { ...current, version, state: change.state };
    try {
      await store.commit(client, record, current.version, change.events, claimsOf(current.state, change.state), { insideTransaction: true });
    } catch (error) {
      if (error instanceof ClaimTakenError) throw new GroupNameTakenError(change.state.displayName);
      throw error;
    }
    return { groupId, version, state: change.state, changed: true };
  });
  if (modified.changed) store.wakeRelay();
  return { groupId: modified.groupId, version: modified.version, state: modified.state };
}

async function changeTowards(
  db: Queryable,
  tailnetId: string,
  groupId: string,
  current: { version: number; state: GroupState },
  target: GroupTarget,
  causation: Causation,
): Promise<GroupChange> {
  const wanted = new Set(target.members);
  const before = new Set(current.state.members);
  const removed = current.state.members.filter((id) => !wanted.has(id));
  const added = target.members.filter((id) => !before.has(id));
  const live = await liveUsers(db, tailnetId, [...removed, ...added]);
  assertMembersExist(added, live);
  const silentlyGone = new Set(removed.filter((id) => !live.has(id)));
  return changeGroup(tailnetId, groupId, current, target, causation, silentlyGone);
}

/** A renamed group moves its name claim; a deleted one frees it. */
function claimsOf(before: GroupState, after: GroupState) {
  if (after.deleted) return { release: [groupNameClaim(before.displayName)] };
  if (groupNameKey(before.displayName) === groupNameKey(after.displayName)) return {};
  return { claim: [groupNameClaim(after.displayName)], release: [groupNameClaim(before.displayName)] };
}
