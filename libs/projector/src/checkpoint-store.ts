import type { PoolClient } from 'pg';

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

/** Locks and reads a partition's checkpoint; a second consumer of the same partition waits here instead of racing. */
export async function lockCheckpoint(client: PoolClient, topic: string, partition: number): Promise<Checkpoint> {
  // An upsert that touches the row both creates a missing checkpoint and takes its row lock, in one round trip.
  const { rows } = await client.query<{ next_offset: string; last_position: string }>({
    name: 'checkpoint-lock',
    text: `INSERT INTO projector_checkpoints (topic, partition, next_offset, last_position) VALUES ($1, $2, 0, 0)
           ON CONFLICT (topic, partition) DO UPDATE SET topic = EXCLUDED.topic
           RETURNING next_offset, last_position`,
    values: [topic, partition],
  });
  return { nextOffset: BigInt(rows[0].next_offset), lastPosition: BigInt(rows[0].last_position) };
}


export async function readCheckpoints(client: PoolClient, topic: string): Promise<Map<number, bigint>> {
  const { rows } = await client.query<{ partition: number; next_offset: string }>(
    `SELECT partition, next_offset FROM projector_checkpoints WHERE topic = $1`,
    [topic],
  );
  return new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
}
