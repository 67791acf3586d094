import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { compileFilter, DIRECTORY_GROUP_FILTER_MAPPING, parseFilter, sortExpression } from '#roster/scim';
import { ReadFence } from '#roster/write-model';
import { PG_POOL, READ_YOUR_WRITES_TIMEOUT_MS } from '../directory.tokens.js';
import { GROUP_COLUMNS, toGroupViews } from '../group-view.js';
import { totalOf } from '../list-total.js';
import { ListGroupsQuery, type GroupPage } from './list-groups.query.js';

@QueryHandler(ListGroupsQuery)
export class ListGroupsHandler implements IQueryHandler<ListGroupsQuery, GroupPage> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(READ_YOUR_WRITES_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly fence: ReadFence,
  ) {}

  async execute({ tailnetId, filter, startIndex, count, withMembers, sortBy, sortOrder }: ListGroupsQuery): Promise<GroupPage> {
    const where = filter ? compileFilter(parseFilter(filter), DIRECTORY_GROUP_FILTER_MAPPING, 2) : { sql: 'TRUE', params: [] };
    const order = sortBy
      ? `${sortExpression(sortBy, DIRECTORY_GROUP_FILTER_MAPPING)} ${sortOrder === 'descending' ? 'DESC' : 'ASC'} NULLS LAST, g.created_at, g.id`
      : 'g.created_at, g.id';
    await this.fence.waitForTailnet('directory', tailnetId, this.timeoutMs);
    const params = [tailnetId, ...where.params];
    const page = await this.pool.query(
      `SELECT ${GROUP_COLUMNS} FROM directory.groups g
        WHERE g.tailnet_id = $1 AND (${where.sql})
        ORDER BY ${order}
        OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
      [...params, startIndex - 1, count],
    );
    return {
      totalResults: await totalOf(this.pool, 'directory.groups g', 'g', where.sql, params, startIndex, count, page.rows.length),
      startIndex,
      groups: await toGroupViews(this.pool, tailnetId, page.rows, withMembers),
    };
  }
}
