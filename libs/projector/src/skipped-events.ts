import type pg from 'pg';

/** Per partition, the offsets an operator told a projection to pass over (see the SkippedEvents migration). */
export type SkippedOffsets = Map<number, Set<bigint>>;

export async function readSkippedOffsets(pool: pg.Pool, projection: string, topic: string): Promise<SkippedOffsets> {
  const { rows } = await pool.query<{ partition: number; log_offset: string }>(
    'SELECT partition, log_offset FROM projector.skipped_events WHERE projection = $1 AND topic = $2',
    [projection, topic],
  );
  const skipped: SkippedOffsets = new Map();
  for (const { partition, log_offset } of rows) {
    const offsets = skipped.get(partition) ?? new Set<bigint>();
    offsets.add(BigInt(log_offset));
    skipped.set(partition, offsets);
  }
  return skipped;
}
