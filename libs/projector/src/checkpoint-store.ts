import type { PoolClient, QueryResult } from 'pg';

export type Checkpoint = { nextOffset: bigint; lastPosition: bigint };

export const CHECKPOINT_TABLE_DDL = `
  CREATE TABLE IF NOT EXISTS projector_checkpoints (
    topic text NOT NULL,
    partition integer NOT NULL,
    next_offset bigint NOT NULL,
    last_position bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
  )`;

/**
 * Opens a batch's transaction in one round trip: BEGIN, the session settings, and the partition's checkpoint,
 * locked, so a second consumer of the same partition waits here instead of racing. An upsert that touches the
 * row both creates a missing checkpoint and takes its row lock. Sent as one simple-protocol query, so its
 * values are literals: `settings` must be trusted SQL, the topic is escaped, the partition checked.
 */
export async function beginWithCheckpoint(client: PoolClient, settings: string, topic: string, partition: number): Promise<Checkpoint> {
  if (!Number.isInteger(partition)) throw new Error(`invalid partition ${partition}`);
  const results = (await client.query(
    `BEGIN; ${settings};
     INSERT INTO projector_checkpoints (topic, partition, next_offset, last_position) VALUES (${client.escapeLiteral(topic)}, ${partition}, 0, 0)
     ON CONFLICT (topic, partition) DO UPDATE SET topic = EXCLUDED.topic
     RETURNING next_offset, last_position`,
  )) as unknown as QueryResult<{ next_offset: string; last_position: string }>[];
  const [row] = results[results.length - 1].rows;
  return { nextOffset: BigInt(row.next_offset), lastPosition: BigInt(row.last_position) };
}

export async function readCheckpoints(client: PoolClient, topic: string): Promise<Map<number, bigint>> {
  const { rows } = await client.query<{ partition: number; next_offset: string }>(
    `SELECT partition, next_offset FROM projector_checkpoints WHERE topic = $1`,
    [topic],
  );
  return new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
}
