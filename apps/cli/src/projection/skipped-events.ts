import type pg from 'pg';

export type SkippedEventRecord = {
  projection: string;
  topic: string;
  partition: number;
  offset: string;
  eventId: string | null;
  eventType: string | null;
  tailnetId: string | null;
  /** The message value as it is on the log (JSON text for every event Roster writes). */
  value: string | null;
  reason: string;
  operator: string;
  skippedAt: string;
};

export async function listSkippedEvents(pool: pg.Pool, projection: string | undefined): Promise<SkippedEventRecord[]> {
  const { rows } = await pool.query<SkippedEventRecord>(
    `SELECT projection, topic, partition, log_offset::text AS offset, event_id AS "eventId", event_type AS "eventType",
            tailnet_id AS "tailnetId", convert_from(value, 'UTF8') AS value, reason, operator,
            to_char(skipped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "skippedAt"
       FROM projector.skipped_events
      WHERE $1::text IS NULL OR projection = $1
      ORDER BY skipped_at, projection, partition, log_offset`,
    [projection ?? null],
  );
  return rows;
}
