import type pg from 'pg';
import type { ScimGroup } from '#roster/scim';
import { AggregateStore, ClaimTakenError, VersionConflictError } from '#roster/write-model';
import { GroupNameTakenError, GroupNotFoundError, PreconditionFailedError, UnknownMemberError } from '../domain/directory.errors.js';
import { changeGroup, groupNameClaim, groupNameKey, type GroupChange, type GroupState, type GroupTarget } from '../domain/group.js';
import type { Causation } from '../domain/user.js';
import { isRosterId } from '#roster/events';

const ATTEMPTS = 3;

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
export async function liveUsers(pool: pg.Pool, tailnetId: string, ids: string[]): Promise<Set<string>> {
  const candidates = ids.filter(isRosterId);
  if (candidates.length === 0) return new Set();
  const { rows } = await pool.query<{ id: string }>({
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
 * Loads a group, works out the change towards `targetOf(current)`, checks that every new member is a user of
 * the tailnet, and saves it with optimistic concurrency (decided again on conflict without If-Match; 412 with).
 */
export async function modifyGroup(
  pool: pg.Pool,
  store: AggregateStore,
  { tailnetId, groupId, ifMatchVersion }: GroupTargetRef,
  causation: Causation,
  decide: (current: { version: number; state: GroupState }) => GroupChange | GroupTarget,
): Promise<ModifiedGroup> {
  if (!isRosterId(groupId)) throw new GroupNotFoundError(groupId);
  for (let attempt = 1; ; attempt++) {
    const current = await store.load<GroupState>(pool, tailnetId, groupId);
    if (!current || current.aggregateType !== 'Group' || current.state.deleted) throw new GroupNotFoundError(groupId);
    if (ifMatchVersion !== undefined && ifMatchVersion !== current.version) throw new PreconditionFailedError(current.version);
    const decided = decide(current);
    const change = 'events' in decided ? decided : await changeTowards(pool, tailnetId, groupId, current, decided, causation);
    if (change.events.length === 0) return { groupId, version: current.version, state: current.state };
    const version = current.version + change.events.length;
    try {
      await store.commit(pool, { ...current, version, state: change.state }, current.version, change.events, claimsOf(current.state, change.state));
      return { groupId, version, state: change.state };
    } catch (error) {
      if (error instanceof ClaimTakenError) throw new GroupNameTakenError(change.state.displayName);
      if (!(error instanceof VersionConflictError)) throw error;
      if (ifMatchVersion !== undefined) throw new PreconditionFailedError(current.version + 1);
      if (attempt >= ATTEMPTS) throw error;
    }
  }
}

async function changeTowards(
  pool: pg.Pool,
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
  const live = await liveUsers(pool, tailnetId, [...removed, ...added]);
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
