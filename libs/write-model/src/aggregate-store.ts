import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { EventEnvelope } from '#roster/events';
import { OUTBOX_COLUMNS, outboxRowsFrom, outboxValues } from '#roster/outbox';
import { isUniqueViolation } from '#roster/platform';

export type Queryable = {
  query<R extends object = Record<string, unknown>>(
    query: string | { name: string; text: string; values: unknown[] },
    params?: unknown[],
  ): Promise<{ rows: R[] }>;
};

export type AggregateRecord<TState> = {
  aggregateId: string;
  tailnetId: string;
  aggregateType: EventEnvelope['aggregateType'];
  version: number;
  state: TState;
};

/** A value that must be unique within a tailnet, such as a userName (`scope` says which kind). */
export type UniqueClaim = { scope: string; key: string };

/** The aggregate was changed by someone else since it was loaded. */
export class VersionConflictError extends Error {
  constructor(readonly aggregateId: string, readonly expectedVersion: number) {
    super(`aggregate ${aggregateId} is no longer at version ${expectedVersion}`);
  }
}

/** Another aggregate of the tailnet already holds this unique value. */
export class ClaimTakenError extends Error {
  constructor(readonly claim: UniqueClaim) {
    super(`${claim.scope} "${claim.key}" is already taken`);
  }
}

/** A record as `loadLastCommitted` returns it: `fromCache` says it may be stale. */
export type KnownRecord<TState> = AggregateRecord<TState> & { fromCache: boolean };

type CommittedState = { tailnetId: string; aggregateType: EventEnvelope['aggregateType']; version: number; json: string };

/** Enough for the aggregates of an IdP's sync in flight; big group snapshots take their share of it. */
const LAST_COMMITTED_MAX_BYTES = 16 * 1024 * 1024;

/** The projection whose reads promise read-your-writes for an aggregate unless the commit names others. */
const DEFAULT_FENCED_PROJECTIONS = ['directory'];

/**
 * The write side: current aggregate state (a snapshot, so loading never replays history), its unique claims, the
 * events that changed it and the read fences, all saved by ONE statement. A single statement is atomic on its
 * own, so a command costs one round trip to PostgreSQL instead of a transaction's six or seven.
 */
export class AggregateStore {
  /**
   * @param committed called after every successful commit, to wake the outbox relay. Deliberately not a NOTIFY
   * inside the statement: PostgreSQL serialises the commits of notifying transactions, fsync included.
   */
  constructor(private readonly committed: () => void = () => undefined) {}

  /**
   * What this store last committed of each aggregate, as the JSON it saved, so it reads back exactly as a load
   * would. IdPs change a user right after creating it (Entra ID: POST, then PATCH); this saves that load.
   */
  private readonly lastCommitted = new LRUCache<string, CommittedState>({
    maxSize: LAST_COMMITTED_MAX_BYTES,
    sizeCalculation: (entry) => entry.json.length + 200,
  });

  /** The tail of each aggregate's queue of writers in this process (see `exclusively`). */
  private readonly writers = new Map<string, Promise<void>>();

  /**
   * Runs `work` once every earlier `exclusively` for the same aggregate in this process has finished. Writers of
   * one aggregate in one gateway then never conflict with each other: only another gateway's write can make
   * the version guard fail, and the state this store last committed is current for the next in line.
   */
  async exclusively<T>(tailnetId: string, aggregateId: string, work: () => Promise<T>): Promise<T> {
    const key = `${tailnetId}/${aggregateId}`;
    const before = this.writers.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = before ? before.then(() => mine) : mine;
    this.writers.set(key, tail);
    try {
      await before;
      return await work();
    } finally {
      done();
      if (this.writers.get(key) === tail) this.writers.delete(key);
    }
  }

  /** With `lock`, inside a transaction, concurrent writers of the aggregate queue up instead of conflicting. */
  async load<TState>(db: Queryable, tailnetId: string, aggregateId: string, { lock = false } = {}) {
    // Prepared (named): every PATCH, PUT and DELETE loads its aggregate, and planning it each time costs more
    // than running it.
    const { rows } = await db.query<Omit<AggregateRow<TState>, 'aggregate_id'>>({
      name: lock ? 'aggregate-load-for-update' : 'aggregate-load',
      text: `SELECT version, state, aggregate_type FROM writes.aggregates WHERE aggregate_id = $1 AND tailnet_id = $2${lock ? ' FOR UPDATE' : ''}`,
      values: [aggregateId, tailnetId],
    });
    return rows.length === 0 ? null : toRecord<TState>(tailnetId, { aggregate_id: aggregateId, ...rows[0] });
  }

  /**
   * The aggregate as this store last committed it, or else as `load` reads it. Another writer (a second gateway)
   * may have changed it since, so the record is only fit for a decision saved by `commit`: its version guard then
   * fails with VersionConflictError, and the caller decides again on `load`. A decision that changes nothing
   * saves nothing to catch that, so the caller must confirm it on `load` when `fromCache` is set.
   */
  async loadLastCommitted<TState>(db: Queryable, tailnetId: string, aggregateId: string): Promise<KnownRecord<TState> | null> {
    const known = this.lastCommitted.get(aggregateId);
    if (known?.tailnetId === tailnetId) {
      const { aggregateType, version, json } = known;
      return { aggregateId, tailnetId, aggregateType, version, state: JSON.parse(json) as TState, fromCache: true };
    }
    const loaded = await this.load<TState>(db, tailnetId, aggregateId);
    return loaded && { ...loaded, fromCache: false };
  }

  /**
   * The aggregate holding a unique value of the tailnet (a userName, a group name), read with the given
   * expression of its state instead of the whole state when only part of it is wanted.
   */
  async findByClaim<TState>(db: Queryable, tailnetId: string, claim: UniqueClaim, stateExpression = 'a.state') {
    const { rows } = await db.query<AggregateRow<TState>>({
      name: `aggregate-by-claim-${stateExpression === 'a.state' ? 'whole' : createHash('sha1').update(stateExpression).digest('hex').slice(0, 12)}`,
      text: `SELECT a.aggregate_id, a.version, ${stateExpression} AS state, a.aggregate_type
               FROM writes.unique_claims c JOIN writes.aggregates a ON a.aggregate_id = c.aggregate_id
              WHERE c.tailnet_id = $1 AND c.scope = $2 AND c.key = $3`,
      values: [tailnetId, claim.scope, claim.key],
    });
    return rows.length === 0 ? null : toRecord<TState>(tailnetId, rows[0]);
  }

  /**
   * Saves `record` (at `expectedVersion + events.length`), creating it when `expectedVersion` is 0; claims and
   * releases a unique value; appends the events to the outbox; sets read fences. The release names the claim's
   * whole key, so even the generic plan PostgreSQL settles on for this prepared statement — made while the table
   * was small — finds it by the primary key: joined with an array of releases instead, it scanned every claim of
   * the tailnet on every write (0.8 ms at 6,000 users, growing with the tailnet). Fails with VersionConflictError
   * if another writer got there first, or ClaimTakenError if a claimed value is held by another aggregate.
   * Pass `insideTransaction` when `db` is a client in an open transaction, and call `wakeRelay` after COMMIT.
   * `fences` names the projections whose reads of this aggregate must wait for the write (read-your-writes).
   */
  async commit<TState>(
    db: Queryable,
    record: AggregateRecord<TState>,
    expectedVersion: number,
    events: EventEnvelope[],
    claims: { claim?: UniqueClaim; release?: UniqueClaim } = {},
    { insideTransaction = false, fences = DEFAULT_FENCED_PROJECTIONS }: { insideTransaction?: boolean; fences?: string[] } = {},
  ): Promise<void> {
    const { claim, release } = withoutUnchangedClaim(claims);
    const save =
      expectedVersion === 0
        ? `INSERT INTO writes.aggregates (aggregate_id, tailnet_id, aggregate_type, version, state)
           SELECT $1, $2, $3, $4, $5 WHERE $6::int = 0 ON CONFLICT (aggregate_id) DO NOTHING RETURNING 1`
        : `UPDATE writes.aggregates SET version = $4, state = $5, updated_at = now()
            WHERE aggregate_id = $1 AND tailnet_id = $2 AND aggregate_type = $3 AND version = $6 RETURNING 1`;
    const json = JSON.stringify(record.state);
    // Until this statement's outcome is known, and for good inside a transaction that may yet roll back.
    this.lastCommitted.delete(record.aggregateId);
    try {
      // Named, so each connection parses and plans this statement once rather than on every command.
      const { rows } = await db.query<{ saved: boolean }>({
        name: expectedVersion === 0 ? 'aggregate-create' : 'aggregate-update',
        text: `WITH saved AS (${save}),
         released AS (
           DELETE FROM writes.unique_claims c
            WHERE EXISTS (SELECT 1 FROM saved) AND c.tailnet_id = $2 AND c.scope = $7 AND c.key = $8 AND c.aggregate_id = $1),
         claimed AS (
           INSERT INTO writes.unique_claims (tailnet_id, scope, key, aggregate_id)
           SELECT $2, $9, $10, $1 WHERE $9::text IS NOT NULL AND EXISTS (SELECT 1 FROM saved)),
         appended AS (
           INSERT INTO writes.outbox (${OUTBOX_COLUMNS})
           SELECT e.* FROM ${outboxRowsFrom(12)} AS e WHERE EXISTS (SELECT 1 FROM saved)),
         fenced AS (
           INSERT INTO writes.read_fences (projection, tailnet_id, aggregate_id, version)
           SELECT p, $2, $1, $4 FROM unnest($11::text[]) AS p WHERE EXISTS (SELECT 1 FROM saved)
           ON CONFLICT (projection, tailnet_id, aggregate_id)
           DO UPDATE SET version = GREATEST(writes.read_fences.version, EXCLUDED.version))
         SELECT EXISTS (SELECT 1 FROM saved) AS saved`,
        values: [
          record.aggregateId,
          record.tailnetId,
          record.aggregateType,
          record.version,
          json,
          expectedVersion,
          release?.scope ?? null,
          release?.key ?? null,
          claim?.scope ?? null,
          claim?.key ?? null,
          fences,
          ...outboxValues(events),
        ],
      });
      if (!rows[0].saved) throw new VersionConflictError(record.aggregateId, expectedVersion);
    } catch (error) {
      if (claim && isUniqueViolation(error, 'unique_claims_pkey')) throw new ClaimTakenError(claim);
      throw error;
    }
    // Inside a caller's transaction nothing is visible yet; the caller wakes the relay once it has committed.
    if (insideTransaction) return;
    this.lastCommitted.set(record.aggregateId, { tailnetId: record.tailnetId, aggregateType: record.aggregateType, version: record.version, json });
    this.committed();
  }

  /** Wakes the outbox relay after a caller-managed transaction that used `commit` has committed. */
  wakeRelay(): void {
    this.committed();
  }
}

type AggregateRow<TState> = { aggregate_id: string; version: number; state: TState; aggregate_type: EventEnvelope['aggregateType'] };

function toRecord<TState>(tailnetId: string, row: AggregateRow<TState>): AggregateRecord<TState> {
  return { aggregateId: row.aggregate_id, tailnetId, aggregateType: row.aggregate_type, version: row.version, state: row.state };
}

/** Releasing and re-claiming the same key in one statement would collide with itself; such a key stays as it is. */
function withoutUnchangedClaim({ claim, release }: { claim?: UniqueClaim; release?: UniqueClaim }) {
  const unchanged = claim !== undefined && release !== undefined && claim.scope === release.scope && claim.key === release.key;
  return unchanged ? {} : { claim, release };
}
