import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { isRosterId, type Actor } from '#roster/events';
import { PG_POOL, READ_YOUR_WRITES_TIMEOUT_MS } from '#roster/platform';
import { ReadFence } from '#roster/write-model';
import { NodeNotFoundError } from '../../domain/node.errors.js';
import { NODES_PROJECTION } from '../nodes-projection-name.js';
import { GetNodeHistoryQuery } from './get-node-history.query.js';

export type NodeHistoryEntry = {
  event: string;
  eventId: string;
  position: string;
  time: string;
  /** The node's access after the event (`removed` once deleted). */
  access: string;
  detail: Record<string, unknown>;
  actor: Actor;
};

/** Kept after the node is deleted, so "why did this device go away" has an answer. */
@QueryHandler(GetNodeHistoryQuery)
export class GetNodeHistoryHandler implements IQueryHandler<GetNodeHistoryQuery, NodeHistoryEntry[]> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(READ_YOUR_WRITES_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly fence: ReadFence,
  ) {}

  async execute({ tailnetId, nodeId }: GetNodeHistoryQuery): Promise<NodeHistoryEntry[]> {
    if (!isRosterId(nodeId)) throw new NodeNotFoundError(nodeId);
    await this.fence.waitForTailnet(NODES_PROJECTION, tailnetId, this.timeoutMs);
    const { rows } = await this.pool.query<{
      event_type: string; event_id: string; position: string; time: Date; access_state: string; detail: Record<string, unknown>; actor: Actor;
    }>(
      `SELECT event_type, event_id, position, time, access_state, detail, actor FROM nodes.node_history
        WHERE tailnet_id = $1 AND node_id = $2 ORDER BY position`,
      [tailnetId, nodeId],
    );
    if (rows.length === 0) throw new NodeNotFoundError(nodeId);
    return rows.map((row) => ({
      event: row.event_type,
      eventId: row.event_id,
      position: row.position,
      time: row.time.toISOString(),
      access: row.access_state,
      detail: row.detail,
      actor: row.actor,
    }));
  }
}
