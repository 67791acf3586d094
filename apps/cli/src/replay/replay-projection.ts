import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import { NO_PROJECTOR_METRICS, ParallelProjectorRuntime, ProjectorRuntime, REPLAY_PARTITIONS_CONCURRENTLY, type ProjectorRuntimeOptions, type RebuildRuntime } from '#roster/projector';
import type { LogContext } from '../shared/log-context.js';
import type { CatalogueEntry } from './projection-catalogue.js';
import { ReplayProgress } from './replay-progress.js';
import { untilOffsets, type ReplayUntil } from './replay-until.js';
import { diffSchemas, schemaExists, stateTables, type TableDiff } from './schema-tables.js';

const REPLAY_LOCK = 7_319_100;
const TICK_MS = 200;
const HEADS_EVERY_MS = 1_000;
// The live projector is frozen while the swap waits for the replay to match it: keep that short, or reads
// waiting on read fences start to time out. Past this the swap lets go and tries again a moment later.
const SWAP_WAIT_MS = 3_000;

export type ReplayContext = { pool: pg.Pool; kafka: Kafka; topic: string; namespace: string; logger: Logger; connection: LogContext['connection'] };
export type ReplayOptions = {
  dryRun?: boolean;
  until?: ReplayUntil;
  maxRate?: number;
  /** Worker threads, each a ProjectorRuntime in the replay's consumer group (1: in this thread). */
  workers?: number;
};

export const DEFAULT_REPLAY_WORKERS = 2;
export type ReplayResult = {
  projection: string;
  mode: 'swapped' | 'dry-run' | 'until';
  /** Where the rebuilt state is now. */
  schema: string;
  /** The previous live copy, kept until `roster replay drop-old`. */
  oldSchema?: string;
  resumedFromEvents: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  offsets: Record<string, string>;
  tables: Array<{ table: string; rows: number } | TableDiff>;
};

export class ReplayBusyError extends Error {}
export class ReplayRefusedError extends Error {}


/**
 * Rebuilds one projection from the log through the projector runtime, into `<schema>_replay` beside the live
 * copy (or `<schema>_asof_<point>` for `--until`). The replay never gets ahead of the live projection: its stop
 * offsets follow the live checkpoints, so at the swap both have applied exactly the same events and the live
 * projector — frozen for that moment by a lock on its checkpoint table — carries on in the new schema with the
 * very next event (named prepared statements re-plan against the renamed schemas: test/replay.e2e.spec.ts).
 */
export async function replayProjection(context: ReplayContext, entry: CatalogueEntry, options: ReplayOptions): Promise<ReplayResult> {
  return withReplayLock(context.pool, entry.name, async () => {
    const { pool, kafka, topic } = context;
    const live = entry.schema;
    const target = options.until ? `${live}_asof_${options.until.label}` : `${live}_replay`;
    const oldSchema = `${live}_old`;
    if (!options.until && !options.dryRun && (await schemaExists(pool, oldSchema))) {
      throw new ReplayRefusedError(`${oldSchema} still holds the copy a previous replay replaced: drop it first (roster replay drop-old ${entry.name})`);
    }
    const admin = kafka.admin();
    await admin.connect();
    try {
      const liveExists = await schemaExists(pool, live);
      const fixedLimits = options.until ? await untilOffsets(admin, topic, options.until) : undefined;
      const partitions = [...(await headsOf(admin, topic)).keys()];
      // Every partition gets a limit (0 where the live projection has seen nothing yet): an unlisted one is unbounded.
      const ceiling = async () => {
        if (fixedLimits) return fixedLimits;
        if (!liveExists) return undefined;
        const checkpoints = await checkpointsOf(pool, live, topic);
        return new Map(partitions.map((partition) => [partition, checkpoints.get(partition) ?? 0n]));
      };
      const resumedFrom = (await schemaExists(pool, target)) ? sum(await checkpointsOf(pool, target, topic)) : 0n;
      const runtimeOptions: ProjectorRuntimeOptions = {
        projection: entry.create(),
        topic,
        schema: target,
        // A fresh group per run: PostgreSQL's checkpoints say where to resume, and a run after a crash must not
        // wait out the dead run's session in the old group.
        groupId: `${context.namespace}roster-replay-${target}-${Date.now().toString(36)}`,
        live: false,
        partitionsConsumedConcurrently: REPLAY_PARTITIONS_CONCURRENTLY,
        limits: pace(await ceiling(), new Map(), options.maxRate),
      };
      const workers = options.workers ?? DEFAULT_REPLAY_WORKERS;
      const runtime: RebuildRuntime =
        workers > 1
          ? new ParallelProjectorRuntime(pool, new URL('./replay-worker.js', import.meta.url), workers, runtimeOptions.projection, context.connection, runtimeOptions)
          : new ProjectorRuntime(pool, kafka, context.logger, NO_PROJECTOR_METRICS, runtimeOptions);
      let heads = await headsOf(admin, topic);
      const progress = new ReplayProgress(entry.name, Number(sum(heads)), Number(resumedFrom));
      let result: Pick<ReplayResult, 'mode' | 'schema' | 'oldSchema' | 'tables'> | undefined;
      let headsAt = Date.now();
      let analyzed = false;
      await runtime.start();
      try {
        while (!result) {
          await sleep(TICK_MS);
          if (Date.now() - headsAt >= HEADS_EVERY_MS) {
            heads = await headsOf(admin, topic);
            headsAt = Date.now();
          }
          const applied = await runtime.checkpoints();
          const limit = await ceiling();
          runtime.limitTo(pace(limit, applied, options.maxRate));
          const reached = limit === undefined ? reachedAll(applied, heads) : reachedAll(applied, limit);
          progress.update(Number(sum(applied)), Number(sum(limit ?? heads)), reached ? 'switching' : 'rebuilding');
          if (!reached) continue;
          if (options.until) {
            await runtime.stop();
            result = { mode: 'until', schema: target, tables: await rowCounts(pool, target) };
            continue;
          }
          if (!analyzed) {
            // Fresh statistics and visibility map before the copy starts serving, not after the first slow queries.
            for (const table of await stateTables(pool, target)) await pool.query(`VACUUM (ANALYZE) "${target}"."${table}"`);
            analyzed = true;
          }
          result = liveExists
            ? await switchOver(pool, runtime, { live, target, oldSchema, topic, dryRun: !!options.dryRun, partitions })
            : await adoptWithoutLive(pool, runtime, { live, target, dryRun: !!options.dryRun });
        }
      } finally {
        await runtime.stop();
      }
      const seconds = progress.stop();
      const finalSchema = result.mode === 'swapped' ? live : target;
      const finished = await checkpointsOf(pool, finalSchema, topic);
      const events = Number(sum(finished) - resumedFrom);
      return {
        projection: entry.name,
        ...result,
        resumedFromEvents: Number(resumedFrom),
        events,
        seconds,
        eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : events,
        offsets: Object.fromEntries([...finished].sort(([a], [b]) => a - b).map(([p, o]) => [String(p), o.toString()])),
      };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  });
}

/**
 * Freezes the live projector between two batches (its next batch waits on the checkpoint table's lock), lets
 * the replay reach exactly the live checkpoints, then swaps the schemas — or, for a dry run, takes a snapshot of
 * both at that instant and compares them after letting go of the lock. Returns undefined to try again later.
 */
async function switchOver(
  pool: pg.Pool,
  runtime: RebuildRuntime,
  { live, target, oldSchema, topic, dryRun, partitions }: { live: string; target: string; oldSchema: string; topic: string; dryRun: boolean; partitions: number[] },
): Promise<Pick<ReplayResult, 'mode' | 'schema' | 'oldSchema' | 'tables'> | undefined> {
  const client = await pool.connect();
  let snapshot: pg.PoolClient | undefined;
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL lock_timeout = '${SWAP_WAIT_MS}ms'`);
    await client.query(`LOCK TABLE "${live}".projector_checkpoints IN EXCLUSIVE MODE`);
    const frozen = await checkpointsOf(client, live, topic);
    runtime.limitTo(new Map([...partitions].map((partition) => [partition, frozen.get(partition) ?? 0n])));
    const deadline = Date.now() + SWAP_WAIT_MS;
    while (!sameCheckpoints(await runtime.checkpoints(), frozen)) {
      if (Date.now() > deadline) {
        await client.query('ROLLBACK');
        return undefined;
      }
      await sleep(20);
    }
    await runtime.stop();
    if (dryRun) {
      snapshot = await pool.connect();
      await snapshot.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await snapshot.query('SELECT 1');
      await client.query('ROLLBACK');
      const tables = await diffSchemas(snapshot, target, live);
      await snapshot.query('COMMIT');
      return { mode: 'dry-run', schema: target, tables };
    }
    await client.query(`ALTER SCHEMA "${live}" RENAME TO "${oldSchema}"`);
    await client.query(`ALTER SCHEMA "${target}" RENAME TO "${live}"`);
    await client.query('COMMIT');
    return { mode: 'swapped', schema: live, oldSchema, tables: await rowCounts(pool, live) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string }).code === '55P03') return undefined; // lock_timeout: the live batch took long
    throw error;
  } finally {
    snapshot?.release();
    client.release();
  }
}

/** No live copy yet (its projector never ran): the rebuild simply becomes it. */
async function adoptWithoutLive(
  pool: pg.Pool,
  runtime: RebuildRuntime,
  { live, target, dryRun }: { live: string; target: string; dryRun: boolean },
): Promise<Pick<ReplayResult, 'mode' | 'schema' | 'tables'>> {
  await runtime.stop();
  const tables = await rowCounts(pool, target);
  if (dryRun) return { mode: 'dry-run', schema: target, tables: tables.map((t) => ({ ...t, added: t.rows, changed: 0, removed: 0 })) };
  await pool.query(`ALTER SCHEMA "${target}" RENAME TO "${live}"`);
  return { mode: 'swapped', schema: live, tables };
}

/** `roster replay drop-old`: forgets the copy a replay replaced. */
export async function dropOldCopy(pool: pg.Pool, entry: CatalogueEntry): Promise<{ dropped: string | null }> {
  return withReplayLock(pool, entry.name, async () => {
    const oldSchema = `${entry.schema}_old`;
    if (!(await schemaExists(pool, oldSchema))) return { dropped: null };
    await pool.query(`DROP SCHEMA "${oldSchema}" CASCADE`);
    return { dropped: oldSchema };
  });
}

async function withReplayLock<T>(pool: pg.Pool, projection: string, work: () => Promise<T>): Promise<T> {
  const holder = await pool.connect();
  try {
    const { rows } = await holder.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [REPLAY_LOCK, projection]);
    if (!rows[0].locked) throw new ReplayBusyError(`another replay of ${projection} is running; wait for it or stop it first`);
    try {
      return await work();
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1, hashtext($2))', [REPLAY_LOCK, projection]);
    }
  } finally {
    holder.release();
  }
}

/** With `--max-rate`, lets each partition go at most a tick's share of the rate past where it is. */
function pace(limit: Map<number, bigint> | undefined, applied: Map<number, bigint>, maxRate: number | undefined): Map<number, bigint> | undefined {
  if (!maxRate || !limit) return limit;
  const step = BigInt(Math.max(1, Math.ceil((maxRate * TICK_MS) / 1000 / Math.max(1, limit.size))));
  return new Map([...limit].map(([partition, offset]) => {
    const next = (applied.get(partition) ?? 0n) + step;
    return [partition, next < offset ? next : offset];
  }));
}

async function checkpointsOf(db: Pick<pg.PoolClient, 'query'>, schema: string, topic: string): Promise<Map<number, bigint>> {
  if (!(await schemaExists(db, schema))) return new Map();
  const { rows } = await db.query<{ partition: number; next_offset: string }>(
    `SELECT partition, next_offset FROM "${schema}".projector_checkpoints WHERE topic = $1`,
    [topic],
  );
  return new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
}

async function headsOf(admin: ReturnType<Kafka['admin']>, topic: string): Promise<Map<number, bigint>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.high)]));
}

async function rowCounts(pool: pg.Pool, schema: string) {
  const tables = [];
  for (const table of await stateTables(pool, schema)) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${table}"`);
    tables.push({ table, rows: rows[0].n });
  }
  return tables;
}

function reachedAll(applied: Map<number, bigint>, targets: Map<number, bigint>): boolean {
  return [...targets].every(([partition, offset]) => (applied.get(partition) ?? 0n) >= offset);
}

function sameCheckpoints(applied: Map<number, bigint>, frozen: Map<number, bigint>): boolean {
  const partitions = new Set([...applied.keys(), ...frozen.keys()]);
  return [...partitions].every((partition) => (applied.get(partition) ?? 0n) === (frozen.get(partition) ?? 0n));
}

function sum(offsets: Map<number, bigint>): bigint {
  let total = 0n;
  for (const offset of offsets.values()) total += offset;
  return total;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
