import type pg from 'pg';
import { AggregateStore, ClaimTakenError, VersionConflictError } from '#roster/write-model';
import { PreconditionFailedError, UserNameTakenError, UserNotFoundError } from '../domain/directory.errors.js';
import { userNameClaim, userNameKey, type UserChange, type UserState } from '../domain/user.js';
import { isRosterId } from '#roster/events';

const ATTEMPTS = 3;

export type ModifiedUser = { userId: string; version: number; state: UserState };

export type UserTarget = { tailnetId: string; userId: string; ifMatchVersion?: number };

/**
 * Loads a user, lets `decide` work out the change, and saves it with optimistic concurrency. Writes of one user
 * take turns within this gateway, so only another gateway's write can conflict: a request without If-Match is
 * then decided again on the fresh state; with If-Match, a changed version is the client's 412. The first decision
 * without If-Match is made on the state this gateway last committed, when it has it: the version guard catches a
 * stale one, and a decision to change nothing is confirmed on the stored state.
 */
export async function modifyUser(
  pool: pg.Pool,
  store: AggregateStore,
  target: UserTarget,
  decide: (current: { version: number; state: UserState }) => UserChange,
): Promise<ModifiedUser> {
  if (!isRosterId(target.userId)) throw new UserNotFoundError(target.userId);
  return store.exclusively(target.tailnetId, target.userId, () => decideAndCommit(pool, store, target, decide));
}

async function decideAndCommit(
  pool: pg.Pool,
  store: AggregateStore,
  { tailnetId, userId, ifMatchVersion }: UserTarget,
  decide: (current: { version: number; state: UserState }) => UserChange,
): Promise<ModifiedUser> {
  let mayUseCache = ifMatchVersion === undefined;
  for (let freshDecisions = 0; ; ) {
    const current = mayUseCache
      ? await store.loadLastCommitted<UserState>(pool, tailnetId, userId)
      : await store.load<UserState>(pool, tailnetId, userId);
    const fromCache = current !== null && 'fromCache' in current && current.fromCache;
    mayUseCache = false;
    if (!fromCache) freshDecisions++;
    if (!current || current.aggregateType !== 'User' || current.state.deleted) throw new UserNotFoundError(userId);
    if (ifMatchVersion !== undefined && ifMatchVersion !== current.version) throw new PreconditionFailedError(current.version);
    const change = fromCache ? decideOrUndefined(decide, current) : decide(current);
    // Refused or left as it was on a state that may be stale: only the stored state may say so.
    if (change === undefined || (fromCache && change.events.length === 0)) continue;
    if (change.events.length === 0) return { userId, version: current.version, state: current.state };
    const version = current.version + change.events.length;
    try {
      await store.commit(pool, { ...current, version, state: change.state }, current.version, change.events, claimsOf(current.state, change.state));
      return { userId, version, state: change.state };
    } catch (error) {
      if (error instanceof ClaimTakenError) throw new UserNameTakenError(change.state.userName);
      if (!(error instanceof VersionConflictError)) throw error;
      if (ifMatchVersion !== undefined) throw new PreconditionFailedError(current.version + 1);
      if (freshDecisions >= ATTEMPTS) throw error;
    }
  }
}

function decideOrUndefined(decide: (current: { version: number; state: UserState }) => UserChange, current: { version: number; state: UserState }) {
  try {
    return decide(current);
  } catch {
    return undefined;
  }
}

/** A renamed user moves its claim to the new name; a deleted one gives its name back. */
function claimsOf(before: UserState, after: UserState) {
  if (after.deleted) return { release: userNameClaim(before.userName) };
  if (userNameKey(before.userName) === userNameKey(after.userName)) return {};
  return { claim: userNameClaim(after.userName), release: userNameClaim(before.userName) };
}
