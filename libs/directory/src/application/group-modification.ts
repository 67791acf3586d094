import type pg from 'pg';
import type { ScimGroup } from '#roster/scim';
import { inTransaction } from '#roster/platform';
import { AggregateStore, ClaimTakenError, VersionConflictError, type Queryable } from '#roster/write-model';
import { GroupNameTakenError, GroupNotFoundError, PreconditionFailedError, UnknownMemberError } from '../domain/directory.errors.js';
import {
  changeGroup,
  changeGroupMembers,
  groupNameClaim,
  groupNameKey,
  type GroupChange,
  type GroupDelta,
  type GroupState,
  type GroupTarget,
} from '../domain/group.js';
import { GroupMemberIndex } from '../domain/group-member-index.js';
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

export function assertMembersExist(added: string[], live: ReadonlySet<string>): void {
  const unknown = added.filter((id) => !live.has(id));
  if (unknown.length > 0) throw new UnknownMemberError(unknown);
}

/** A membership delta, with which of the users it names are live users of the tailnet (see liveUsers). */
export type MembershipDelta = GroupDelta & { live: ReadonlySet<string> };

/** The group as a write is decided on, and an index of its members (built when first asked for). */
export type DecidedOn = { version: number; state: GroupState; memberIndex: () => GroupMemberIndex };

/** What a write wants of the group: events already decided, the whole group it should be, or a membership delta. */
type Decide = (current: DecidedOn) => GroupChange | GroupTarget | MembershipDelta;

type GroupWrite = {
  ref: GroupTargetRef;
  causation: Causation;
  decide: Decide;
  resolve: (modified: ModifiedGroup) => void;
  reject: (error: unknown) => void;
};

/** Writes of one group waiting for the one in progress, by gateway (its store), tailnet and group. */
const waitingIn = new WeakMap<AggregateStore, Map<string, GroupWrite[]>>();
// Enough to absorb an IdP's concurrent batches for one group; bounded so one commit stays short.
const MAX_WRITES_PER_COMMIT = 32;

/**
 * Loads a group, works out the change towards what `decide` asks for, checks that every new member is a user of
 * the tailnet, and saves it. With If-Match, a changed version is the client's 412.
 *
 * Writes of one group take turns in this process, and those that queue up meanwhile are committed together (group
 * commit): each is decided in turn on the state the previous one left, with its own events and its own outcome,
 * and the lot is saved at once — one write of the group's state, one flush — instead of one each. A batch is
 * first decided on the state this gateway last committed and saved by one guarded statement; only when another
 * gateway wrote the group meanwhile is it decided again with the group's row locked, so that IdPs' concurrent
 * batches of one group (Entra's cycle, Okta's pushes) queue across gateways rather than fail with conflicts.
 */
export function modifyGroup(
  pool: pg.Pool,
  store: AggregateStore,
  ref: GroupTargetRef,
  causation: Causation,
  decide: Decide,
): Promise<ModifiedGroup> {
  if (!isRosterId(ref.groupId)) return Promise.reject(new GroupNotFoundError(ref.groupId));
  const key = `${ref.tailnetId}/${ref.groupId}`;
  const waiting = waitingIn.get(store) ?? waitingIn.set(store, new Map()).get(store)!;
  return new Promise<ModifiedGroup>((resolve, reject) => {
    const queue = waiting.get(key);
    const write = { ref, causation, decide, resolve, reject };
    if (queue) return void queue.push(write);
    waiting.set(key, [write]);
    void drain(pool, store, waiting, key);
  });
}

async function drain(pool: pg.Pool, store: AggregateStore, waiting: Map<string, GroupWrite[]>, key: string): Promise<void> {
  for (;;) {
    const queue = waiting.get(key)!;
    if (queue.length === 0) return void waiting.delete(key);
    const batch = queue.splice(0, MAX_WRITES_PER_COMMIT);
    try {
      await commitTogether(pool, store, batch);
    } catch (error) {
      // A name another group holds fails only the write that asked for it: the others go again, one at a time.
      if (error instanceof GroupNameTakenError && batch.length > 1) {
        for (const write of batch) await commitTogether(pool, store, [write]).catch(write.reject);
      } else {
        for (const write of batch) write.reject(error);
      }
    }
  }
}

async function commitTogether(pool: pg.Pool, store: AggregateStore, batch: GroupWrite[]): Promise<void> {
  if (await commitOnLastCommitted(pool, store, batch)) return;
  await commitUnderLock(pool, store, batch);
}

/**
 * The cheap way, for when no other gateway wrote the group since this one last did (here, writes of a group take
 * turns already, in `drain`): the batch is decided on the state this gateway last committed, or else read without
 * a lock, and saved by one statement whose version guard catches another gateway's write. Returns false, having
 * saved and answered nothing, when that state may have been stale: the guard failed, or a decision made on the
 * remembered state refused a write or changed nothing, which no guard would confirm.
 */
async function commitOnLastCommitted(pool: pg.Pool, store: AggregateStore, batch: GroupWrite[]): Promise<boolean> {
  const { tailnetId, groupId } = batch[0].ref;
  const known = await store.loadLastCommitted<GroupState>(pool, tailnetId, groupId);
  if (!known || known.aggregateType !== 'Group' || known.state.deleted) return false;
  const decided = await decideInTurn(pool, batch, known);
  if (known.fromCache && (decided.refused || decided.events.length === 0)) return false;
  if (decided.events.length > 0) {
    try {
      const record = { aggregateId: groupId, tailnetId, aggregateType: known.aggregateType, version: decided.version, state: decided.state };
      await store.commit(pool, record, known.version, decided.events, claimsOf(known.state, decided.state));
    } catch (error) {
      if (error instanceof VersionConflictError) return false;
      if (error instanceof ClaimTakenError) throw new GroupNameTakenError(decided.state.displayName);
      throw error;
    }
  }
  for (const outcome of decided.outcomes) outcome();
  return true;
}

/**
 * When another gateway writes the group too (IdPs send one group's batches concurrently, and a load balancer
 * spreads them): the group's row is locked while the batch is decided and saved, so the gateways' writes queue
 * instead of failing each other's version guards.
 */
async function commitUnderLock(pool: pg.Pool, store: AggregateStore, batch: GroupWrite[]): Promise<void> {
  const { tailnetId, groupId } = batch[0].ref;
  const decided = await inTransaction(pool, async (client) => {
    const loaded = await store.load<GroupState>(client, tailnetId, groupId, { lock: true });
    if (!loaded || loaded.aggregateType !== 'Group' || loaded.state.deleted) throw new GroupNotFoundError(groupId);
    const decided = await decideInTurn(client, batch, loaded);
    if (decided.events.length === 0) return decided;
    try {
      const record = { ...loaded, version: decided.version, state: decided.state };
      await store.commit(client, record, loaded.version, decided.events, claimsOf(loaded.state, decided.state), { insideTransaction: true });
    } catch (error) {
      if (error instanceof ClaimTakenError) throw new GroupNameTakenError(decided.state.displayName);
      throw error;
    }
    return decided;
  });
  if (decided.events.length > 0) store.wakeRelay();
  for (const outcome of decided.outcomes) outcome();
}

type Decided = { version: number; state: GroupState; events: GroupChange['events']; outcomes: (() => void)[]; refused: boolean };

/**
 * Decides each write of the batch in turn on the state the previous one left, each with its own events and its
 * own outcome (to be delivered once the batch is saved). A refused write (bad input, a stale If-Match) fails alone.
 */
async function decideInTurn(db: Queryable, batch: GroupWrite[], from: { version: number; state: GroupState }): Promise<Decided> {
  const { tailnetId, groupId } = batch[0].ref;
  let current = { version: from.version, state: from.state };
  // One index for the batch, moved along by each membership delta, instead of one per write.
  let index: GroupMemberIndex | undefined;
  const memberIndex = () => (index?.describes(current.state.members) ? index : (index = new GroupMemberIndex(current.state.members)));
  const events: GroupChange['events'] = [];
  const outcomes: (() => void)[] = [];
  let refused = false;
  for (const write of batch) {
    try {
      current = await decideOne(db, write, { ...current, memberIndex }, tailnetId, groupId, events);
      const modified = { groupId, version: current.version, state: current.state };
      outcomes.push(() => write.resolve(modified));
    } catch (error) {
      // A store failure aborts the whole batch; a refused write only itself.
      if (!isRefusal(error)) throw error;
      refused = true;
      outcomes.push(() => write.reject(error));
    }
  }
  return { ...current, events, outcomes, refused };
}

async function decideOne(
  client: Queryable,
  { ref, causation, decide }: GroupWrite,
  current: DecidedOn,
  tailnetId: string,
  groupId: string,
  events: GroupChange['events'],
): Promise<{ version: number; state: GroupState }> {
  if (current.state.deleted) throw new GroupNotFoundError(groupId);
  if (ref.ifMatchVersion !== undefined && ref.ifMatchVersion !== current.version) throw new PreconditionFailedError(current.version);
  const decided = decide(current);
  // Under the lock, the locking connection: waiting writers hold pool connections, so asking for another could deadlock.
  const change =
    'events' in decided
      ? decided
      : 'added' in decided
        ? changeByDelta(tailnetId, groupId, current, decided, causation)
        : await changeTowards(client, tailnetId, groupId, current, decided, causation);
  events.push(...change.events);
  return { version: current.version + change.events.length, state: change.state };
}

/** Errors that refuse one write (bad input, a stale If-Match, a gone group), as opposed to a failing store. */
function isRefusal(error: unknown): boolean {
  return !(error instanceof Error && 'code' in error && typeof (error as { code?: unknown }).code === 'string');
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

function changeByDelta(
  tailnetId: string,
  groupId: string,
  current: DecidedOn,
  { live, ...delta }: MembershipDelta,
  causation: Causation,
): GroupChange {
  assertMembersExist(delta.added, live);
  const silentlyGone = new Set(delta.removed.filter((id) => !live.has(id)));
  return changeGroupMembers(tailnetId, groupId, current, delta, causation, silentlyGone, current.memberIndex());
}

/** A renamed group moves its name claim; a deleted one frees it. */
function claimsOf(before: GroupState, after: GroupState) {
  if (after.deleted) return { release: groupNameClaim(before.displayName) };
  if (groupNameKey(before.displayName) === groupNameKey(after.displayName)) return {};
  return { claim: groupNameClaim(after.displayName), release: groupNameClaim(before.displayName) };
}
