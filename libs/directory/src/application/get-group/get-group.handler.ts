import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { ReadFence } from '#roster/write-model';
import { GroupNotFoundError } from '../../domain/directory.errors.js';
import { PG_POOL, READ_YOUR_WRITES_TIMEOUT_MS } from '../directory.tokens.js';
import { GROUP_COLUMNS, toGroupViews, type GroupView } from '../group-view.js';
import { GetGroupQuery } from './get-group.query.js';
import { isRosterId } from '#roster/events';


@QueryHandler(GetGroupQuery)
export class GetGroupHandler implements IQueryHandler<GetGroupQuery, GroupView> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(READ_YOUR_WRITES_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly fence: ReadFence,
  ) {}

  async execute({ tailnetId, groupId, withMembers }: GetGroupQuery): Promise<GroupView> {
    if (!isRosterId(groupId)) throw new GroupNotFoundError(groupId);
    await this.fence.waitForTailnet('directory', tailnetId, this.timeoutMs);
    const { rows } = await this.pool.query({
      name: 'directory-get-group',
      text: `SELECT ${GROUP_COLUMNS} FROM directory.groups g WHERE g.tailnet_id = $1 AND g.id = $2`,
      values: [tailnetId, groupId],
    });
    if (rows.length === 0) throw new GroupNotFoundError(groupId);
    return (await toGroupViews(this.pool, tailnetId, rows, withMembers))[0];
  }
}
