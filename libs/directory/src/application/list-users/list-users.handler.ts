import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { compileFilter, DIRECTORY_USER_FILTER_MAPPING, exactMatchOf, parseFilter, planFitsEveryValue, sortExpression } from '#roster/scim';
import { AggregateStore, ReadFence } from '#roster/write-model';
import { userNameClaim, type UserState } from '../../domain/user.js';
import { PG_POOL, READ_YOUR_WRITES_TIMEOUT_MS } from '../directory.tokens.js';
import { totalOf } from '../list-total.js';
import { STORED_USER_COLUMNS, storedUserOf, type StoredUserRow } from '../user-view.js';
import { ListUsersQuery, type UserPage } from './list-users.query.js';

@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery, UserPage> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(READ_YOUR_WRITES_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly fence: ReadFence,
    private readonly store: AggregateStore,
  ) {}

  async execute({ tailnetId, filter, startIndex, count, sortBy, sortOrder }: ListUsersQuery): Promise<UserPage> {
    // Parse before waiting, so a bad filter or sort is refused at once.
    const parsed = filter ? parseFilter(filter) : undefined;
    // Creation order breaks ties, so paging is stable whatever the sort (Okta pages through imports).
    const order = sortBy
      ? `${sortExpression(sortBy, DIRECTORY_USER_FILTER_MAPPING)} ${sortOrder === 'descending' ? 'DESC' : 'ASC'} NULLS LAST, u.created_at, u.id`
      : 'u.created_at, u.id';
    const userName = parsed && exactMatchOf(parsed, 'User', 'userName');
    if (userName !== undefined) return this.byUserName(tailnetId, userName, startIndex, count);
    const where = parsed ? compileFilter(parsed, DIRECTORY_USER_FILTER_MAPPING, 2) : { sql: 'TRUE', params: [] };
    const params = [tailnetId, ...where.params];
    // A sort may be on any attribute, indexed or not; unsorted pages of a lookup all take the lookup's index.
    const reusePlan = !sortBy && (!parsed || planFitsEveryValue(parsed, DIRECTORY_USER_FILTER_MAPPING));
    const page = await this.fence.queryAfterWrites<StoredUserRow>(
      'directory',
      tailnetId,
      this.timeoutMs,
      `SELECT p.*, row_number() OVER () AS ord FROM (
         SELECT ${STORED_USER_COLUMNS}
           FROM directory.users u
          WHERE u.tailnet_id = $1 AND (${where.sql})
          ORDER BY ${order}
         OFFSET $${params.length + 1} LIMIT $${params.length + 2}) p`,
      [...params, startIndex - 1, count],
      { reusePlan },
    );
    const matches = { from: 'directory.users u', alias: 'u', where: where.sql, params, reusePlan };
    const totalResults = await totalOf(this.pool, matches, { startIndex, count, rowsOnPage: page.length });
    return { totalResults, startIndex, users: page.map(storedUserOf) };
  }

  /**
   * `userName eq "…"`, the lookup both IdPs make before every create, answered from the write model: the claim on
   * the name finds the user's aggregate, which is never behind, so the lookup waits for no projector.
   */
  private async byUserName(tailnetId: string, userName: string, startIndex: number, count: number): Promise<UserPage> {
    const record = await this.store.findByClaim<UserState>(this.pool, tailnetId, userNameClaim(userName));
    const found = record && !record.state.deleted ? [record] : [];
    const users = found.slice(startIndex - 1, startIndex - 1 + count).map(({ aggregateId, version, state }) => ({
      id: aggregateId,
      attributesJson: JSON.stringify(state.attributes),
      version,
      created: state.created,
      lastModified: state.lastModified,
    }));
    return { totalResults: found.length, startIndex, users };
  }
}
