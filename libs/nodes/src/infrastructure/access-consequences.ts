import type { PoolClient } from 'pg';
import {
  eventRecorder,
  type EventEnvelope,
  type LoggedEvent,
  type NodeAccessReason,
  type NodeAccessRestoredData,
  type NodeAccessRevokedData,
} from '#roster/events';
import { appendToOutbox } from '#roster/outbox';
import type { NodeAccessState } from '../domain/node-access.js';

/** A node whose access changed because of its owner's event. */
export type AccessChange = { tailnetId: string; nodeId: string; ownerUserId: string; before: NodeAccessState; after: NodeAccessState; cause: LoggedEvent };

/**
 * Records on the log, as events of the nodes concerned, that nodes lost or regained access because of their
 * owner. Runs inside the projector's batch transaction, so the events are recorded exactly when the batch that
 * caused them is applied — once. Each event takes the next version of its node's aggregate (rows locked in id
 * order, so two writers of overlapping nodes never deadlock), and carries the cause's actor, time and correlation.
 */
export async function recordAccessConsequences(client: PoolClient, changes: AccessChange[]): Promise<number> {
  const meaningful = changes.filter((change) => revocation(change) || restoration(change));
  if (meaningful.length === 0) return 0;
  const { rows } = await client.query<{ aggregate_id: string; version: number }>(
    `WITH locked AS (
       SELECT aggregate_id FROM writes.aggregates
        WHERE aggregate_id = ANY($1::uuid[]) AND aggregate_type = 'Node' ORDER BY aggregate_id FOR UPDATE)
     UPDATE writes.aggregates a SET version = a.version + 1, updated_at = now()
       FROM locked WHERE a.aggregate_id = locked.aggregate_id
     RETURNING a.aggregate_id, a.version`,
    [meaningful.map((change) => change.nodeId)],
  );
  const versions = new Map(rows.map((row) => [row.aggregate_id, row.version]));
  const events: EventEnvelope[] = [];
  for (const change of meaningful) {
    const version = versions.get(change.nodeId);
    // A node registered straight into the log without a write-side aggregate cannot be versioned; nothing to say.
    if (version === undefined) continue;
    const record = eventRecorder({ tailnetId: change.tailnetId, type: 'Node', id: change.nodeId }, version - 1, {
      actor: change.cause.actor,
      correlationId: change.cause.correlationId,
      causationId: change.cause.id,
      time: change.cause.time,
    });
    const reason = revocation(change);
    events.push(
      reason
        ? record<NodeAccessRevokedData>('NodeAccessRevoked', { nodeId: change.nodeId, ownerUserId: change.ownerUserId, reason })
        : record<NodeAccessRestoredData>('NodeAccessRestored', { nodeId: change.nodeId, ownerUserId: change.ownerUserId, reason: 'owner-reactivated' }),
    );
  }
  // The runtime commits batches without waiting for the WAL flush; a batch that records events must not: the relay
  // could publish them before a crash undoes the batch, which would then record them a second time.
  await client.query('SET LOCAL synchronous_commit TO on');
  await appendToOutbox(client, events);
  return events.length;
}

/** Access taken away by the owner from a node that had it; a node that had none already loses nothing. */
function revocation(change: AccessChange): NodeAccessReason | undefined {
  if (change.before !== 'active') return undefined;
  return change.after === 'owner-suspended' || change.after === 'owner-deleted' ? change.after : undefined;
}

function restoration(change: AccessChange): boolean {
  return (change.before === 'owner-suspended' || change.before === 'owner-deleted') && change.after === 'active';
}
