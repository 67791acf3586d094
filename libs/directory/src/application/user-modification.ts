import type pg from 'pg';
import { AggregateStore, ClaimTakenError, VersionConflictError } from '#roster/write-model';
import { PreconditionFailedError, UserNameTakenError, UserNotFoundError } from '../domain/directory.errors.js';
import { userNameClaim, userNameKey, type UserChange, type UserState } from '../domain/user.js';
import { isRosterId } from '#roster/events';

const ATTEMPTS = 3;

export type ModifiedUser = { userId: string; version: number; state: UserState };

export type UserTarget = { tailnetId: string; userId: string; ifMatchVersion?: number };

/**
 * Loads a user, lets `decide` work out the change, and saves it with optimistic concurrency. A request without
 * If-Match is decided again on the fresh state when another writer got there first (IdPs send PATCHes of one
 * user back to back); with If-Match, a changed version is the client's 412.
 */
export async function modifyUser(
  pool: pg.Pool,
  store: AggregateStore,
  { tailnetId, userId, ifMatchVersion }: UserTarget,
  decide: (current: { version: number; state: UserState }) => UserChange,
): Promise<ModifiedUser> {
  if (!isRosterId(userId)) throw new UserNotFoundError(userId);
  for (let attempt = 1; ; attempt++) {
    const current = await store.load<UserState>(pool, tailnetId, userId);
    if (!current || current.aggregateType !== 'User' || current.state.deleted) throw new UserNotFoundError(userId);
    if (ifMatchVersion !== undefined && ifMatchVersion !== current.version) throw new PreconditionFailedError(current.version);
    const change = decide(current);
    if (change.events.length === 0) return { userId, version: current.version, state: current.state };
    const version = current.version + change.events.length;
    try {
      await store.commit(pool, { ...current, version, state: change.state }, current.version, change.events, claimsOf(current.state, change.state));
      return { userId, version, state: change.state };
    } catch (error) {
      if (error instanceof ClaimTakenError) throw new UserNameTakenError(change.state.userName);
      if (!(error instanceof VersionConflictError)) throw error;
      if (ifMatchVersion !== undefined) throw new PreconditionFailedError(current.version + 1);
      if (attempt >= ATTEMPTS) throw error;
    }
  }
}

/** A renamed user moves its claim to the new name; a deleted one gives its name back. */
function claimsOf(before: UserState, after: UserState) {
  if (after.deleted) return { release: [userNameClaim(before.userName)] };
  if (userNameKey(before.userName) === userNameKey(after.userName)) return {};
  return { claim: [userNameClaim(after.userName)], release: [userNameClaim(before.userName)] };
}
