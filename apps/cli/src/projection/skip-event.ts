import type { KafkaMessage } from 'kafkajs';
import type pg from 'pg';
import { decodeEvent, messageIdentity, type MessageIdentity } from '#roster/events';
import { inTransaction } from '#roster/platform';
import { PROJECTION_APPLIED_CHANNEL } from '#roster/projector';
import type { CatalogueEntry } from '../replay/projection-catalogue.js';
import { CliUsageError } from '../shared/cli-usage-error.js';
import type { LogContext } from '../shared/log-context.js';
import { readMessageAt } from './message-at.js';

export type SkipRequest = { partition: number; offset: bigint; reason: string; operator: string };

export type SkippedEvent = {
  projection: string;
  topic: string;
  partition: number;
  offset: string;
  eventId?: string;
  eventType?: string;
  tailnetId?: string;
  /** Why the projection cannot apply the event, as a trial apply failed just now. */
  failure: string;
  /** Readers that waited on the event to be applied, released now that it never will be. */
  releasedReadFences: number;
};

/**
 * Tells a projection to pass over the event it is stalled on: only that event (the partition's next to apply, and
 * one that fails to apply), never one already applied, which would make a replay differ from the live copy. The
 * message is recorded as it is on the log. The projector sees the record on its next retry, within seconds, and
 * goes on; replays pass over the same event.
 */
export async function skipEvent(context: LogContext, entry: CatalogueEntry, request: SkipRequest): Promise<SkippedEvent> {
  const topic = context.topics.tailnetEvents;
  const { partition, offset } = request;
  const message = await readMessageAt(context.kafka, topic, partition, offset);
  const identity = messageIdentity(message);
  return inTransaction(context.pool, async (client) => {
    const { rows } = await client.query<{ next_offset: string }>(
      `SELECT next_offset FROM ${entry.schema}.projector_checkpoints WHERE topic = $1 AND partition = $2 FOR UPDATE`,
      [topic, partition],
    );
    const next = BigInt(rows[0]?.next_offset ?? 0);
    if (offset !== next) {
      throw new CliUsageError(
        offset < next
          ? `${entry.name} has already applied partition ${partition}, offset ${offset}; only the event it is stalled on can be skipped`
          : `${entry.name} is at partition ${partition}, offset ${next}, not ${offset}; only the event it is stalled on can be skipped`,
      );
    }
    const failure = await trialFailure(client, entry, message, partition);
    if (failure === undefined) {
      throw new CliUsageError(
        `${entry.name} applies partition ${partition}, offset ${offset} without error; it is not an event the projection cannot apply ` +
          '(is its projector running? its /readyz names the event it is stalled on)',
      );
    }
    await client.query(
      `INSERT INTO projector.skipped_events (projection, topic, partition, log_offset, event_id, event_type, tailnet_id, value, reason, operator)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [entry.name, topic, partition, offset.toString(), identity.eventId, identity.ceType, identity.tailnetId, message.value, request.reason, request.operator],
    );
    const releasedReadFences = await releaseReadFences(client, entry.name, identity);
    return {
      projection: entry.name,
      topic,
      partition,
      offset: offset.toString(),
      eventId: identity.eventId,
      eventType: identity.ceType,
      tailnetId: identity.tailnetId,
      failure,
      releasedReadFences,
    };
  });
}

/**
 * Applies the event on top of the live projection, as its projector would, and rolls it back: the error it fails
 * with, or undefined if it applies. Only an event that fails is skipped — never, by a mistyped offset, one that
 * the projector, if it were running, would have applied.
 */
async function trialFailure(client: pg.PoolClient, entry: CatalogueEntry, message: KafkaMessage, partition: number): Promise<string | undefined> {
  await client.query('SAVEPOINT trial_apply');
  try {
    await client.query(`SET LOCAL search_path TO ${entry.schema}, public`);
    await entry.create().apply(client, [decodeEvent(message, partition)], { live: true });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT trial_apply');
  }
}

/** A reader waiting for the skipped event's write would otherwise wait until it timed out, every time. */
async function releaseReadFences(
  client: pg.PoolClient,
  projection: string,
  { tailnetId, aggregateId, aggregateVersion }: MessageIdentity,
): Promise<number> {
  if (!tailnetId || !aggregateId || aggregateVersion === undefined) return 0;
  // Compared as text: the attributes of a message that cannot be applied may not hold valid UUIDs either.
  const { rowCount } = await client.query(
    `DELETE FROM writes.read_fences WHERE projection = $1 AND tailnet_id::text = $2 AND aggregate_id::text = $3 AND version <= $4`,
    [projection, tailnetId, aggregateId, aggregateVersion],
  );
  if (rowCount) await client.query('SELECT pg_notify($1, $2)', [PROJECTION_APPLIED_CHANNEL, projection]);
  return rowCount ?? 0;
}
