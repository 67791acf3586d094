import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { isRosterId } from '#roster/events';
import { PG_POOL, READ_YOUR_WRITES_TIMEOUT_MS } from '#roster/platform';
import { ReadFence } from '#roster/write-model';
import { NodeNotFoundError } from '../../domain/node.errors.js';
import { NODE_ROW_COLUMNS, NODE_ROW_SOURCE, toNodeView, type NodeRow, type NodeView } from '../node-view.js';
import { NODES_PROJECTION } from '../nodes-projection-name.js';
import { GetNodeQuery } from './get-node.query.js';

@QueryHandler(GetNodeQuery)
export class GetNodeHandler implements IQueryHandler<GetNodeQuery, NodeView> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(READ_YOUR_WRITES_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly fence: ReadFence,
  ) {}

  async execute({ tailnetId, nodeId }: GetNodeQuery): Promise<NodeView> {
    if (!isRosterId(nodeId)) throw new NodeNotFoundError(nodeId);
    await this.fence.waitForTailnet(NODES_PROJECTION, tailnetId, this.timeoutMs);
    const { rows } = await this.pool.query<NodeRow>({
      name: 'nodes-get',
      text: `SELECT ${NODE_ROW_COLUMNS} FROM ${NODE_ROW_SOURCE} WHERE n.tailnet_id = $1 AND n.id = $2`,
      values: [tailnetId, nodeId],
    });
    if (rows.length === 0) throw new NodeNotFoundError(nodeId);
    return toNodeView(rows[0]);
  }
}
