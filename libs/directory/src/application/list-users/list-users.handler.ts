import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { compileFilter, DIRECTORY_USER_FILTER_MAPPING, parseFilter, sortExpression } from '#roster/scim';
import { ReadFence } from '#roster/write-model';
import { PG_POOL, READ_YOUR_WRITES_TIMEOUT_MS } from '../directory.tokens.js';
import { totalOf } from '../list-total.js';
import { toUserView, type UserRow } from '../user-view.js';
import { ListUsersQuery, type UserPage } from './list-users.query.js';

@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery, UserPage> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(READ_YOUR_WRITES_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly fence: ReadFence,
  ) {}

  async execute({ tailnetId, filter, startIndex, count, sortBy, sortOrder }: ListUsersQuery): Promise<UserPage> {
    // Parse before waiting, so a bad filter or sort is refused at once.
    const where = filter ? compileFilter(parseFilter(filter), DIRECTORY_USER_FILTER_MAPPING, 2) : { sql: 'TRUE', params: [] };
    // Creation order breaks ties, so paging is stable whatever the sort (Okta pages through imports).
    const order = sortBy
      ? `${sortExpression(sortBy, DIRECTORY_USER_FILTER_MAPPING)} ${sortOrder === 'descending' ? 'DESC' : 'ASC'} NULLS LAST, u.created_at, u.id`
      : 'u.created_at, u.id';
    await this.fence.waitForTailnet('directory', tailnetId, this.timeoutMs);
    const params = [tailnetId, ...where.params];
    const page = await this.pool.query<UserRow>(
      `SELECT id, resource, version, created_at, last_modified
         FROM directory.users u
        WHERE u.tailnet_id = $1 AND (${where.sql})
        ORDER BY ${order}
        OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
      [...params, startIndex - 1, count],
    );
    const totalResults = await totalOf(this.pool, 'directory.users u', 'u', where.sql, params, startIndex, count, page.rows.length);
    return { totalResults, startIndex, users: page.rows.map(toUserView) };
  }
}
