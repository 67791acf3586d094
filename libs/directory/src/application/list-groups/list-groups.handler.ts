import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { reusedPlans } from '#roster/platform';
import { compileFilter, DIRECTORY_GROUP_FILTER_MAPPING, exactMatchOf, parseFilter, planFitsEveryValue, sortExpression } from '#roster/scim';
import { AggregateStore, ReadFence } from '#roster/write-model';
import { groupNameClaim, type GroupState } from '../../domain/group.js';
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
    private readonly store: AggregateStore,
  ) {}

  async execute({ tailnetId, filter, startIndex, count, withMembers, sortBy, sortOrder }: ListGroupsQuery): Promise<GroupPage> {
    const parsed = filter ? parseFilter(filter) : undefined;
    const order = sortBy
      ? `${sortExpression(sortBy, DIRECTORY_GROUP_FILTER_MAPPING)} ${sortOrder === 'descending' ? 'DESC' : 'ASC'} NULLS LAST, g.created_at, g.id`
      : 'g.created_at, g.id';
    // Members name their users as the read model has them; only a lookup without members can skip it.
    const displayName = parsed && !withMembers ? exactMatchOf(parsed, 'Group', 'displayName') : undefined;
    if (displayName !== undefined) return this.byDisplayName(tailnetId, displayName, startIndex, count);
    const where = parsed ? compileFilter(parsed, DIRECTORY_GROUP_FILTER_MAPPING, 2) : { sql: 'TRUE', params: [] };
    await this.fence.waitForTailnet('directory', tailnetId, this.timeoutMs);
    const params = [tailnetId, ...where.params];
    const reusePlan = !sortBy && (!parsed || planFitsEveryValue(parsed, DIRECTORY_GROUP_FILTER_MAPPING));
    const text = `SELECT ${GROUP_COLUMNS} FROM directory.groups g
        WHERE g.tailnet_id = $1 AND (${where.sql})
        ORDER BY ${order}
        OFFSET $${params.length + 1} LIMIT $${params.length + 2}`;
    const values = [...params, startIndex - 1, count];
    const page = await this.pool.query(reusedPlans.statement(text, values, reusePlan));
    const matches = { from: 'directory.groups g', alias: 'g', where: where.sql, params, reusePlan };
    return {
      totalResults: await totalOf(this.pool, matches, { startIndex, count, rowsOnPage: page.rows.length }),
      startIndex,
      groups: await toGroupViews(this.pool, tailnetId, page.rows, withMembers),
    };
  }

  /**
   * `displayName eq "…"` with `excludedAttributes=members`, Entra's lookup before creating a group, answered from
   * the write model like userName lookups (the state is read without its member list, which may be thousands).
   */
  private async byDisplayName(tailnetId: string, displayName: string, startIndex: number, count: number): Promise<GroupPage> {
    const record = await this.store.findByClaim<Omit<GroupState, 'members'>>(this.pool, tailnetId, groupNameClaim(displayName), "(a.state::jsonb - 'members')");
    const found = record && !record.state.deleted ? [record] : [];
    const groups = found.slice(startIndex - 1, startIndex - 1 + count).map(({ aggregateId, version, state }) => ({
      id: aggregateId,
      displayName: state.displayName,
      externalId: state.externalId,
      version,
      created: state.created,
      lastModified: state.lastModified,
    }));
    return { totalResults: found.length, startIndex, groups };
  }
}
