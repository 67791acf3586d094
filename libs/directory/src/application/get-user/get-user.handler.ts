import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ReadFence } from '#roster/write-model';
import { UserNotFoundError } from '../../domain/directory.errors.js';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../directory.tokens.js';
import { STORED_USER_COLUMNS, storedUserOf, type StoredUser, type StoredUserRow } from '../user-view.js';
import { GetUserQuery } from './get-user.query.js';
import { isRosterId } from '#roster/events';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery, StoredUser> {
  constructor(
    @Inject(READ_YOUR_WRITES_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly fence: ReadFence,
  ) {}

  async execute({ tailnetId, userId }: GetUserQuery): Promise<StoredUser> {
    if (!isRosterId(userId)) throw new UserNotFoundError(userId);
    const rows = await this.fence.queryAfterWrites<StoredUserRow>(
      'directory',
      tailnetId,
      this.timeoutMs,
      `SELECT ${STORED_USER_COLUMNS}, 1 AS ord FROM directory.users u WHERE u.tailnet_id = $1 AND u.id = $2`,
      [tailnetId, userId],
      { reusePlan: true },
    );
    if (rows.length === 0) throw new UserNotFoundError(userId);
    return storedUserOf(rows[0]);
  }
}
