import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { ReadFence } from '#roster/write-model';
import { UserNotFoundError } from '../../domain/directory.errors.js';
import { PG_POOL, READ_YOUR_WRITES_TIMEOUT_MS } from '../directory.tokens.js';
import { toUserView, type UserRow, type UserView } from '../user-view.js';
import { GetUserQuery } from './get-user.query.js';
import { isRosterId } from '#roster/events';


@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery, UserView> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(READ_YOUR_WRITES_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly fence: ReadFence,
  ) {}

  async execute({ tailnetId, userId }: GetUserQuery): Promise<UserView> {
    if (!isRosterId(userId)) throw new UserNotFoundError(userId);
    await this.fence.waitForTailnet('directory', tailnetId, this.timeoutMs);
    const { rows } = await this.pool.query<UserRow>({
      name: 'directory-get-user',
      text: 'SELECT id, resource, version, created_at, last_modified FROM directory.users WHERE tailnet_id = $1 AND id = $2',
      values: [tailnetId, userId],
    });
    if (rows.length === 0) throw new UserNotFoundError(userId);
    return toUserView(rows[0]);
  }
}
