import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { isRosterId } from '#roster/events';
import { PG_POOL, READ_YOUR_WRITES_TIMEOUT_MS } from '#roster/platform';
import { ReadFence } from '#roster/write-model';
import { NODE_ROW_COLUMNS, NODE_ROW_SOURCE, toNodeView, type NodeRow, type NodeView } from '../node-view.js';
import { NODES_PROJECTION } from '../nodes-projection-name.js';
import { ListNodesQuery } from './list-nodes.query.js';

export type NodeList = { devices: NodeView[]; truncated: boolean };

/** Lists a tailnet's nodes from the read model; `expiringBefore` walks the expiry index in expiry order. */
@QueryHandler(ListNodesQuery)
export class ListNodesHandler implements IQueryHandler<ListNodesQuery, NodeList> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(READ_YOUR_WRITES_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly fence: ReadFence,
  ) {}

  async execute({ tailnetId, filter }: ListNodesQuery): Promise<NodeList> {
    await this.fence.waitForTailnet(NODES_PROJECTION, tailnetId, this.timeoutMs);
    const values: unknown[] = [tailnetId];
    const where = ['n.tailnet_id = $1'];
    if (filter.state) where.push(`n.access_state = $${values.push(filter.state)}`);
    if (filter.user !== undefined) {
      where.push(
        isRosterId(filter.user)
          ? `n.owner_user_id = $${values.push(filter.user)}`
          : `n.owner_user_id = (SELECT user_id FROM nodes.owners WHERE tailnet_id = $1 AND lower(user_name) = lower($${values.push(filter.user)}))`,
      );
    }
    if (filter.expiringBefore) where.push(`NOT n.key_expiry_disabled AND n.key_expiry < $${values.push(filter.expiringBefore)}`);
    const order = filter.expiringBefore ? 'n.key_expiry, n.id' : 'n.created_at, n.id';
    const text = `SELECT ${NODE_ROW_COLUMNS} FROM ${NODE_ROW_SOURCE} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${values.push(filter.limit + 1)}`;
    // Named after its text: there are a dozen filter shapes, each then parsed and planned once per connection.
    const name = `nodes-list-${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    const { rows } = await this.pool.query<NodeRow>({ name, text, values });
    return { devices: rows.slice(0, filter.limit).map(toNodeView), truncated: rows.length > filter.limit };
  }
}
